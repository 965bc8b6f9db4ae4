// The back office's script: the rich-text editor (Quill, vendored unmodified) over
// the article body's textarea, and confirmations. Without JavaScript the textarea
// itself is the editor and every form still works.
(function () {
  'use strict';

  function mountEditor(textarea) {
    if (typeof window.Quill !== 'function') return;
    var holder = document.createElement('div');
    holder.className = 'editor-holder';
    var box = document.createElement('div');
    box.className = 'editor-box';
    holder.appendChild(box);
    textarea.parentNode.insertBefore(holder, textarea.nextSibling);

    var quill = new window.Quill(box, {
      theme: 'snow',
      modules: {
        table: true,
        toolbar: {
          container: [
            [{ header: [2, 3, 4, false] }],
            ['bold', 'italic', 'underline', 'strike'],
            [{ list: 'ordered' }, { list: 'bullet' }, 'blockquote'],
            [{ script: 'sub' }, { script: 'super' }],
            ['link', 'image', 'table'],
            ['clean']
          ],
          handlers: {
            table: function () { quill.getModule('table').insertTable(3, 3); }
          }
        }
      }
    });
    // Names for the toolbar's buttons, read by screen readers and shown on hover.
    var names = {
      'ql-bold': 'Chữ đậm', 'ql-italic': 'Chữ nghiêng', 'ql-underline': 'Gạch dưới',
      'ql-strike': 'Gạch ngang', 'ql-blockquote': 'Trích dẫn', 'ql-link': 'Chèn liên kết',
      'ql-image': 'Chèn ảnh', 'ql-table': 'Chèn bảng 3 × 3', 'ql-clean': 'Xoá định dạng'
    };
    holder.querySelectorAll('.ql-toolbar button').forEach(function (b) {
      var label = names[b.classList[0]];
      if (b.classList.contains('ql-list')) label = b.value === 'ordered' ? 'Danh sách đánh số' : 'Danh sách gạch đầu dòng';
      if (b.classList.contains('ql-script')) label = b.value === 'sub' ? 'Chỉ số dưới' : 'Chỉ số trên';
      if (label) { b.setAttribute('aria-label', label); b.title = label; }
    });
    var editable = box.querySelector('.ql-editor');
    editable.setAttribute('aria-labelledby', 'nhan-noi-dung');
    editable.setAttribute('aria-multiline', 'true');
    editable.setAttribute('role', 'textbox');

    quill.clipboard.dangerouslyPasteHTML(textarea.value);
    textarea.hidden = true;
    document.getElementById('nhan-noi-dung').addEventListener('click', function () { quill.focus(); });

    textarea.form.addEventListener('submit', function () {
      // Quill 2 writes every space as &nbsp; in its semantic HTML; readers' pages
      // want plain spaces so lines can wrap.
      var html = quill.getLength() > 1 ? quill.getSemanticHTML() : '';
      textarea.value = html.replace(/&nbsp;/g, ' ');
    });
  }

  document.querySelectorAll('textarea[data-editor]').forEach(mountEditor);

  document.querySelectorAll('[data-confirm]').forEach(function (el) {
    el.addEventListener('click', function (e) {
      if (!window.confirm(el.getAttribute('data-confirm'))) e.preventDefault();
    });
  });
})();
