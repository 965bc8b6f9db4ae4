// Albums and clips (issue 15). Every part works without this script: thumbnails
// lead to each photo's own page, the play button to the page with the player,
// the upload form sends all files at once, "Lên" / "Xuống" are plain forms.
(function () {
  'use strict';

  // ---- The viewer: swipe, arrow keys, Escape; the caption is announced. ----
  function viewer(grid) {
    var dialog = document.querySelector('[data-viewer]');
    if (!dialog) return;
    var links = Array.prototype.slice.call(grid.querySelectorAll('[data-photo]'));
    var img = dialog.querySelector('[data-viewer-image]');
    var caption = dialog.querySelector('[data-viewer-caption]');
    var count = dialog.querySelector('[data-viewer-count]');
    var live = dialog.querySelector('[data-viewer-live]');
    var close = dialog.querySelector('[data-viewer-close]');
    var prev = dialog.querySelector('[data-viewer-prev]');
    var next = dialog.querySelector('[data-viewer-next]');
    var at = 0;
    var startX = null;
    var startY = null;
    var swiped = false;

    function show(i) {
      at = (i + links.length) % links.length;
      var a = links[at];
      if (a.dataset.srcset) {
        img.srcset = a.dataset.srcset;
      } else {
        img.removeAttribute('srcset');
      }
      img.src = a.dataset.full;
      img.alt = a.dataset.alt || '';
      var n = 'Ảnh ' + (at + 1) + '/' + links.length;
      count.textContent = n + (a.dataset.caption ? ':' : '');
      caption.textContent = a.dataset.caption || '';
      live.textContent = n + (a.dataset.caption ? ': ' + a.dataset.caption : '');
    }
    function open(i) {
      show(i);
      dialog.hidden = false;
      document.body.classList.add('viewer-open');
      close.focus();
    }
    function shut() {
      dialog.hidden = true;
      document.body.classList.remove('viewer-open');
      // Back to the photo the reader was looking at.
      links[at].focus();
    }
    links.forEach(function (a, i) {
      a.addEventListener('click', function (e) {
        if (e.ctrlKey || e.metaKey || e.shiftKey) return;
        e.preventDefault();
        open(i);
      });
    });
    prev.addEventListener('click', function () { show(at - 1); });
    next.addEventListener('click', function () { show(at + 1); });
    close.addEventListener('click', shut);
    // On the document: a tap on the photo may leave the focus on the page's body.
    document.addEventListener('keydown', function (e) {
      if (dialog.hidden) return;
      if (e.key === 'Escape') { e.preventDefault(); shut(); }
      else if (e.key === 'ArrowLeft') { e.preventDefault(); show(at - 1); }
      else if (e.key === 'ArrowRight') { e.preventDefault(); show(at + 1); }
      else if (e.key === 'Tab') {
        // Focus stays inside the dialog.
        var f = [prev, next, close];
        var k = f.indexOf(document.activeElement);
        e.preventDefault();
        f[(k + (e.shiftKey ? f.length - 1 : 1)) % f.length].focus();
      }
    });
    dialog.addEventListener('pointerdown', function (e) {
      startX = e.clientX;
      startY = e.clientY;
      swiped = false;
    });
    dialog.addEventListener('pointerup', function (e) {
      if (startX === null) return;
      var dx = e.clientX - startX;
      var dy = e.clientY - startY;
      startX = null;
      if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy)) {
        swiped = true;
        show(at + (dx < 0 ? 1 : -1));
      }
    });
    dialog.addEventListener('click', function (e) {
      // The click that ends a swipe closes nothing.
      if (swiped) { swiped = false; return; }
      if (e.target === dialog) shut();
    });
  }

  // ---- A clip's player, loaded only when the reader presses play. ----
  function player(link) {
    var id = link.dataset.youtube;
    if (!id) return; // Facebook: the link leads to the page with the player.
    link.addEventListener('click', function (e) {
      e.preventDefault();
      var frame = document.createElement('iframe');
      frame.src = 'https://www.youtube-nocookie.com/embed/' + encodeURIComponent(id) + '?autoplay=1&rel=0';
      frame.title = link.dataset.title || 'YouTube';
      frame.width = '800';
      frame.height = '450';
      frame.allow = 'autoplay; encrypted-media; picture-in-picture; fullscreen';
      frame.allowFullscreen = true;
      link.replaceWith(frame);
      frame.focus();
    });
  }

  // ---- Uploads: one request per file, two at a time, progress for each. ----
  function uploader(form) {
    var input = form.querySelector('input[type=file]');
    var list = form.querySelector('[data-upload-list]');
    var summary = form.querySelector('[data-upload-summary]');
    var csrf = form.querySelector('input[name=csrf]').value;
    // A file over the limit is named here, as the server would name it, unsent.
    var maxBytes = Number(form.getAttribute('data-max-bytes')) || 0;
    var maxLabel = form.getAttribute('data-max-label') || '';
    function megabytes(n) {
      var t = Math.ceil(n * 10 / 1048576);
      return Math.floor(t / 10).toLocaleString('vi-VN') + (t % 10 ? ',' + (t % 10) : '') + ' MB';
    }
    form.addEventListener('submit', function (e) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length || !window.FormData) return;
      e.preventDefault();
      list.textContent = '';
      summary.textContent = 'Đang tải ' + files.length + ' ảnh…';
      var rows = files.map(function (f) {
        var li = document.createElement('li');
        var name = document.createElement('span');
        name.className = 'upload-name';
        name.textContent = f.name;
        var bar = document.createElement('progress');
        bar.max = 100;
        bar.value = 0;
        bar.setAttribute('aria-label', 'Tiến độ tải ' + f.name);
        var state = document.createElement('span');
        state.className = 'upload-state';
        state.textContent = 'Đang chờ';
        li.appendChild(name);
        li.appendChild(bar);
        li.appendChild(state);
        list.appendChild(li);
        return { file: f, li: li, bar: bar, state: state };
      });
      var next = 0;
      var ok = 0;
      var bad = 0;
      var running = 0;
      function finish() {
        summary.textContent = 'Xong: ' + ok + ' ảnh đã thêm' + (bad ? ', ' + bad + ' ảnh không nhận (xem lý do bên dưới).' : '.');
        form.querySelector('[data-upload-done]') || (function () {
          var a = document.createElement('a');
          a.href = location.pathname + '?da-tai=' + ok + '#anh-trong-album';
          a.className = 'button';
          a.setAttribute('data-upload-done', '');
          a.textContent = 'Xem ảnh trong album';
          form.appendChild(a);
        })();
        if (!bad) location.assign(location.pathname + '?da-tai=' + ok + '#anh-trong-album');
      }
      function send() {
        if (next >= rows.length) {
          if (!running) finish();
          return;
        }
        var r = rows[next++];
        if (maxBytes && r.file.size > maxBytes) {
          bad++;
          r.li.className = 'upload-refused';
          r.state.textContent = 'Không nhận: Tệp quá lớn: ' + megabytes(r.file.size) +
            '; giới hạn cho loại này là ' + maxLabel + '. Hãy thu nhỏ ảnh rồi tải lên lại.';
          send();
          return;
        }
        running++;
        var body = new FormData();
        body.append('csrf', csrf);
        body.append('tep', r.file, r.file.name);
        var xhr = new XMLHttpRequest();
        xhr.open('POST', form.getAttribute('action'));
        xhr.setRequestHeader('Accept', 'application/json');
        r.state.textContent = 'Đang tải';
        xhr.upload.onprogress = function (ev) {
          if (ev.lengthComputable) r.bar.value = Math.round(ev.loaded * 100 / ev.total);
        };
        xhr.onloadend = function () {
          running--;
          var answer = null;
          try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = null; }
          if (answer && answer.done && answer.done.length) {
            ok++;
            r.bar.value = 100;
            r.state.textContent = 'Đã thêm';
            r.li.className = 'upload-ok';
          } else {
            bad++;
            r.li.className = 'upload-refused';
            r.state.textContent = 'Không nhận: ' + (answer && answer.refused && answer.refused[0] ? answer.refused[0].reason : 'máy chủ không trả lời; hãy thử lại.');
          }
          send();
        };
        xhr.send(body);
      }
      send();
      send();
    });
  }

  // ---- Ordering (drag, or "Lên" / "Xuống") and captions edited in place. ----
  function editor(list) {
    var status = document.querySelector('[data-order-status]');
    var csrf = list.dataset.csrf;
    function post(url, fields) {
      var body = new URLSearchParams();
      body.append('csrf', csrf);
      Object.keys(fields).forEach(function (k) { body.append(k, fields[k]); });
      return fetch(url, {
        method: 'POST',
        body: body,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' }
      }).then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        return res;
      });
    }
    function items() {
      return Array.prototype.slice.call(list.querySelectorAll('li[data-media]'));
    }
    function renumber() {
      var all = items();
      all.forEach(function (li, i) {
        var no = li.querySelector('.photo-no');
        if (no) no.textContent = 'Ảnh ' + (i + 1) + (li.classList.contains('is-cover') ? ' · Ảnh bìa' : '');
        var label = li.querySelector('label[for^="chu-thich-"]');
        if (label) label.textContent = 'Chú thích ảnh ' + (i + 1);
        var up = li.querySelector('button[value=len]');
        var down = li.querySelector('button[value=xuong]');
        if (up) { up.disabled = i === 0; up.setAttribute('aria-label', 'Lên: chuyển ảnh ' + (i + 1) + ' lên trước'); }
        if (down) { down.disabled = i === all.length - 1; down.setAttribute('aria-label', 'Xuống: chuyển ảnh ' + (i + 1) + ' xuống sau'); }
      });
    }
    function failed() {
      status.textContent = 'Chưa lưu được thay đổi; hãy tải lại trang rồi thử lại.';
    }
    // "Lên" / "Xuống" move in place; the focus stays on the photo's button.
    list.addEventListener('click', function (e) {
      var b = e.target.closest('button[value=len], button[value=xuong]');
      if (!b || b.disabled) return;
      e.preventDefault();
      var li = b.closest('li[data-media]');
      var up = b.value === 'len';
      var other = up ? li.previousElementSibling : li.nextElementSibling;
      if (!other) return;
      post(b.form.getAttribute('action'), { action: b.value }).then(function () {
        if (up) list.insertBefore(li, other); else list.insertBefore(other, li);
        renumber();
        var pos = items().indexOf(li) + 1;
        status.textContent = 'Đã chuyển ảnh đến vị trí ' + pos + '.';
        (b.disabled ? li.querySelector(up ? 'button[value=xuong]' : 'button[value=len]') : b).focus();
      }, failed);
    });
    // Drag and drop: the whole order is sent once the photo is dropped.
    var dragged = null;
    list.addEventListener('dragstart', function (e) {
      dragged = e.target.closest('li[data-media]');
      if (!dragged) return;
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', dragged.dataset.media);
      dragged.classList.add('dragging');
    });
    list.addEventListener('dragover', function (e) {
      var over = e.target.closest('li[data-media]');
      if (!dragged || !over || over === dragged) return;
      e.preventDefault();
      var box = over.getBoundingClientRect();
      var after = (e.clientY - box.top) > box.height / 2 || (e.clientX - box.left) > box.width / 2 && (e.clientY - box.top) > box.height / 4;
      list.insertBefore(dragged, after ? over.nextElementSibling : over);
    });
    list.addEventListener('drop', function (e) { e.preventDefault(); });
    list.addEventListener('dragend', function () {
      if (!dragged) return;
      dragged.classList.remove('dragging');
      dragged = null;
      renumber();
      var order = items().map(function (li) { return li.dataset.media; }).join(',');
      post(list.dataset.orderUrl, { order: order }).then(function () {
        status.textContent = 'Đã lưu thứ tự ảnh.';
      }, failed);
    });
    // Captions are saved when the field is left (or Enter is pressed).
    Array.prototype.forEach.call(list.querySelectorAll('[data-caption-form]'), function (f) {
      var field = f.querySelector('input[name=caption]');
      var saved = field.value;
      function save(e) {
        if (e) e.preventDefault();
        if (field.value === saved) return;
        var value = field.value;
        post(f.getAttribute('action'), { action: 'chu-thich', caption: value }).then(function () {
          saved = value;
          status.textContent = 'Đã lưu chú thích.';
        }, failed);
      }
      f.addEventListener('submit', save);
      field.addEventListener('change', function () { save(); });
    });
  }

  function start() {
    var grid = document.querySelector('[data-album]');
    if (grid) viewer(grid);
    Array.prototype.forEach.call(document.querySelectorAll('[data-video-play]'), player);
    Array.prototype.forEach.call(document.querySelectorAll('[data-album-upload]'), uploader);
    var list = document.querySelector('[data-album-editor]');
    if (list) editor(list);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
