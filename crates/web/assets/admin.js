// The back office's script: the rich-text editor (Quill, vendored unmodified) over
// the article body's textarea, and confirmations. Without JavaScript the textarea
// itself is the editor and every form still works.
(function () {
  'use strict';

  // Photos with a caption: <figure><img><figcaption>, as articles have them.
  // Quill has no such block of its own; this one keeps figures whole when an
  // article is opened and saved, and makes new ones from an image and a caption.
  function registerFigure(Quill) {
    var BlockEmbed = Quill.import('blots/block/embed');
    class Figure extends BlockEmbed {
      static create(value) {
        var node = super.create();
        var img = document.createElement('img');
        img.setAttribute('src', value.src || '');
        img.setAttribute('alt', value.alt || value.caption || '');
        node.appendChild(img);
        if (value.caption) {
          var cap = document.createElement('figcaption');
          cap.textContent = value.caption;
          node.appendChild(cap);
        }
        return node;
      }
      static value(node) {
        var img = node.querySelector('img');
        var cap = node.querySelector('figcaption');
        return {
          src: img ? img.getAttribute('src') : '',
          alt: img ? img.getAttribute('alt') || '' : '',
          caption: cap ? cap.textContent.trim() : ''
        };
      }
    }
    Figure.blotName = 'figure';
    Figure.tagName = 'FIGURE';
    Quill.register(Figure, true);
  }

  /** Gives the image or figure at the cursor a caption, asked in a prompt. */
  function captionImage(quill) {
    var range = quill.getSelection(true);
    if (!range) return;
    var found = null;
    [range.index, range.index - 1].forEach(function (i) {
      if (found || i < 0) return;
      var op = quill.getContents(i, 1).ops[0];
      if (op && op.insert && (op.insert.image || op.insert.figure)) found = { index: i, op: op };
    });
    if (!found) {
      window.alert('Hãy bấm vào ảnh (ngay sau ảnh) rồi bấm nút này để ghi chú thích.');
      return;
    }
    var ins = found.op.insert;
    var src = ins.image || ins.figure.src;
    var current = ins.figure ? ins.figure.caption : '';
    var caption = window.prompt('Chú thích ảnh:', current);
    if (caption === null) return;
    quill.deleteText(found.index, 1, 'user');
    quill.insertEmbed(found.index, 'figure', { src: src, alt: caption, caption: caption.trim() }, 'user');
    quill.setSelection(found.index + 1, 0, 'silent');
  }

  function mountEditor(textarea) {
    if (typeof window.Quill !== 'function') return;
    registerFigure(window.Quill);
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
            ['link', 'image', 'caption', 'table'],
            ['clean']
          ],
          handlers: {
            table: function () { quill.getModule('table').insertTable(3, 3); },
            caption: function () { captionImage(quill); }
          }
        }
      }
    });
    // Names for the toolbar's buttons, read by screen readers and shown on hover.
    var names = {
      'ql-bold': 'Chữ đậm', 'ql-italic': 'Chữ nghiêng', 'ql-underline': 'Gạch dưới',
      'ql-strike': 'Gạch ngang', 'ql-blockquote': 'Trích dẫn', 'ql-link': 'Chèn liên kết',
      'ql-image': 'Chèn ảnh', 'ql-caption': 'Chú thích ảnh', 'ql-table': 'Chèn bảng 3 × 3', 'ql-clean': 'Xoá định dạng'
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
