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

  // What the heading picker offers, by Quill's value ('' is a plain paragraph).
  // app.css shows the same names in the picker (CSS content).
  var BLOCK_NAMES = { '': 'Đoạn văn', '2': 'Tiêu đề lớn', '3': 'Tiêu đề vừa', '4': 'Tiêu đề nhỏ' };

  // Our own drawing for the caption button: a photo with a line of text under it.
  var CAPTION_ICON =
    '<svg viewBox="0 0 18 18" aria-hidden="true" focusable="false">' +
    '<rect class="ql-stroke" x="3" y="2" width="12" height="9" rx="1"></rect>' +
    '<polyline class="ql-stroke" points="4 10 7.5 6.5 10 9 11.5 7.5 14 10"></polyline>' +
    '<line class="ql-stroke" x1="4" x2="14" y1="14" y2="14"></line>' +
    '<line class="ql-stroke" x1="6" x2="12" y1="16.5" y2="16.5"></line></svg>' +
    '<span class="ql-caption-text">Chú thích</span>';

  /**
   * Quill's picker (the heading menu) reacts only to the mouse and to Enter.
   * This makes it a button that opens a list box: Space, Enter or an arrow opens
   * it, arrows and Home/End move, Enter or Space chooses, Escape closes and goes
   * back to the button, Tab closes and goes on. The same class names and
   * attributes as Quill's own code are used, so the mouse keeps working as before.
   */
  function makePickerOperable(picker, name, itemName) {
    var label = picker.querySelector('.ql-picker-label');
    var list = picker.querySelector('.ql-picker-options');
    if (!label || !list) return;
    var items = function () { return Array.prototype.slice.call(list.querySelectorAll('.ql-picker-item')); };
    label.setAttribute('aria-haspopup', 'listbox');
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', name);
    items().forEach(function (item) {
      item.setAttribute('role', 'option');
      item.setAttribute('tabindex', '-1');
      item.setAttribute('aria-label', itemName(item.getAttribute('data-value') || ''));
    });

    // The button's name says what is chosen now; the chosen option is marked.
    function describe() {
      var current = itemName(label.getAttribute('data-value') || '');
      label.setAttribute('aria-label', name + ': ' + current);
      label.title = name;
      items().forEach(function (item) {
        item.setAttribute('aria-selected', item.classList.contains('ql-selected') ? 'true' : 'false');
      });
    }
    describe();
    new MutationObserver(describe).observe(picker, {
      subtree: true, attributes: true, attributeFilter: ['data-value', 'class']
    });

    var isOpen = function () { return picker.classList.contains('ql-expanded'); };
    function open(focusLast) {
      picker.classList.add('ql-expanded');
      label.setAttribute('aria-expanded', 'true');
      list.setAttribute('aria-hidden', 'false');
      var all = items();
      var chosen = list.querySelector('.ql-selected') || all[focusLast ? all.length - 1 : 0];
      if (chosen) chosen.focus();
    }
    function close(refocus) {
      picker.classList.remove('ql-expanded');
      label.setAttribute('aria-expanded', 'false');
      list.setAttribute('aria-hidden', 'true');
      if (refocus) label.focus();
    }
    function move(item, step) {
      var all = items();
      var i = all.indexOf(item);
      var next = step === 'first' ? all[0] : step === 'last' ? all[all.length - 1]
        : all[(i + step + all.length) % all.length];
      if (next) next.focus();
    }

    // Captured here, before Quill's own key handlers on the label and items.
    picker.addEventListener('keydown', function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var onLabel = e.target === label;
      var item = e.target.closest && e.target.closest('.ql-picker-item');
      if (e.key === 'Tab') {
        if (isOpen()) close(false);
        return;
      }
      var handled = true;
      if (onLabel) {
        if (e.key === 'Enter' || e.key === ' ' || e.key === 'ArrowDown') open(false);
        else if (e.key === 'ArrowUp') open(true);
        else if (e.key === 'Escape' && isOpen()) close(true);
        else handled = false;
      } else if (item) {
        if (e.key === 'ArrowDown') move(item, 1);
        else if (e.key === 'ArrowUp') move(item, -1);
        else if (e.key === 'Home') move(item, 'first');
        else if (e.key === 'End') move(item, 'last');
        // Quill's click handler chooses the item, applies it and closes the list.
        else if (e.key === 'Enter' || e.key === ' ') item.click();
        else if (e.key === 'Escape') close(true);
        else handled = false;
      } else {
        handled = false;
      }
      if (handled) {
        e.preventDefault();
        e.stopPropagation();
      }
    }, true);
    picker.addEventListener('focusout', function (e) {
      if (isOpen() && !picker.contains(e.relatedTarget)) close(false);
    });
  }

  /**
   * The link box under the text: a name for its address field, Vietnamese
   * placeholders, and its "Sửa", "Lưu" and "Gỡ" links (bare anchors in Quill)
   * made buttons that the keyboard reaches and presses.
   */
  function makeTooltipOperable(tooltip) {
    var input = tooltip.querySelector('input[type=text]');
    if (input) {
      input.setAttribute('aria-label', 'Địa chỉ liên kết');
      input.setAttribute('data-link', 'https://…');
      input.setAttribute('data-video', 'Địa chỉ video');
      input.setAttribute('data-formula', 'Công thức');
    }
    var action = tooltip.querySelector('a.ql-action');
    var remove = tooltip.querySelector('a.ql-remove');
    [action, remove].forEach(function (a) {
      if (!a) return;
      a.setAttribute('role', 'button');
      a.setAttribute('tabindex', '0');
      a.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          a.click();
        }
      });
    });
    if (remove) remove.setAttribute('aria-label', 'Gỡ liên kết');
    function describe() {
      if (action) action.setAttribute('aria-label', tooltip.classList.contains('ql-editing') ? 'Lưu liên kết' : 'Sửa liên kết');
    }
    describe();
    new MutationObserver(describe).observe(tooltip, { attributes: true, attributeFilter: ['class'] });
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

    // Tab and Shift+Tab leave the text for the next or previous field, as
    // everywhere else on the page (WCAG 2.1.2, no keyboard trap): Quill's own Tab
    // bindings (a tab character, list indent, next table cell, code indent) are
    // switched off, and ours lets the browser move the focus. A list item is
    // indented with Ctrl+] and brought back with Ctrl+[ (the hint under the
    // editor says so).
    var listIndent = function (step) {
      return { key: step > 0 ? ']' : '[', ctrlKey: true, format: ['list'], handler: function () {
        this.quill.format('indent', step > 0 ? '+1' : '-1', 'user');
      } };
    };
    var bindings = {
      tab: { key: 'Tab', shiftKey: null, handler: function () { return true; } },
      indent: false,
      outdent: false,
      'remove tab': false,
      'table tab': false,
      'indent code-block': false,
      'outdent code-block': false,
      'list indent': listIndent(1),
      'list outdent': listIndent(-1)
    };

    var quill = new window.Quill(box, {
      theme: 'snow',
      placeholder: 'Viết nội dung bài…',
      modules: {
        keyboard: { bindings: bindings },
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
    var caption = holder.querySelector('.ql-toolbar button.ql-caption');
    if (caption) caption.innerHTML = CAPTION_ICON;
    holder.querySelectorAll('.ql-toolbar .ql-picker.ql-header').forEach(function (picker) {
      makePickerOperable(picker, 'Kiểu đoạn', function (value) { return BLOCK_NAMES[value] || BLOCK_NAMES['']; });
    });
    holder.querySelectorAll('.ql-tooltip').forEach(makeTooltipOperable);

    var editable = box.querySelector('.ql-editor');
    editable.setAttribute('aria-labelledby', 'nhan-noi-dung');
    editable.setAttribute('aria-multiline', 'true');
    editable.setAttribute('role', 'textbox');
    var hint = document.getElementById('goi-y-noi-dung');
    if (hint) {
      hint.hidden = false;
      editable.setAttribute('aria-describedby', hint.id);
    }

    // The article as it is, put in silently: not a change that Ctrl+Z would undo
    // (leaving an empty body), and without placing the cursor, which would take
    // the focus into the body as the page opens, past the skip link and the title.
    quill.setContents(quill.clipboard.convert({ html: textarea.value, text: '' }), 'silent');
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
