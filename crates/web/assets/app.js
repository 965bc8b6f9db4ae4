// eduportal: small enhancements; every page works without them.
(function () {
  'use strict';
  var root = document.documentElement;

  // Text size (A- A A+): small, normal (the default) and large, kept across pages
  // and visits. At either end the button that cannot go further says so
  // (aria-disabled, and the status it points to names the size).
  var SIZES = { '-1': '87.5%', '0': '', '1': '125%' };
  var NAMES = { '-1': 'Cỡ chữ: nhỏ nhất.', '0': 'Cỡ chữ: mặc định.', '1': 'Cỡ chữ: lớn nhất.' };
  var KEY = 'eduportal.textSize';
  function clamp(step) { return Math.max(-1, Math.min(1, step | 0)); }
  var current = 0;
  try { current = clamp(parseInt(localStorage.getItem(KEY) || '0', 10) || 0); } catch (e) { current = 0; }
  root.style.fontSize = SIZES[current];
  var group = document.querySelector('[data-text-sizes]');
  if (group) {
    var status = group.querySelector('[role="status"]');
    var buttons = group.querySelectorAll('[data-text-size]');
    var show = function () {
      buttons.forEach(function (b) {
        var d = parseInt(b.getAttribute('data-text-size'), 10);
        var stuck = d !== 0 && clamp(current + d) === current;
        if (stuck) { b.setAttribute('aria-disabled', 'true'); } else { b.removeAttribute('aria-disabled'); }
      });
      if (status) { status.textContent = NAMES[current]; }
    };
    buttons.forEach(function (b) {
      b.addEventListener('click', function () {
        var d = parseInt(b.getAttribute('data-text-size'), 10);
        current = d === 0 ? 0 : clamp(current + d);
        root.style.fontSize = SIZES[current];
        try { localStorage.setItem(KEY, String(current)); } catch (e) { /* private mode */ }
        show();
      });
    });
    show();
    group.hidden = false;
  }

  // "Quay lại": back to where the reader came from when that was this site,
  // otherwise the link's own target (the category).
  document.querySelectorAll('[data-back]').forEach(function (a) {
    a.addEventListener('click', function (e) {
      var ref = document.referrer;
      if (ref && ref.indexOf(location.origin + '/') === 0 && history.length > 1) {
        e.preventDefault();
        history.back();
      }
    });
  });

  // The print view's button.
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () { window.print(); });
  });

  // Share: copy the link; Zalo through the phone's share sheet, else copy for pasting.
  function say(el, text) {
    var status = el.parentNode.querySelector('.share-status');
    if (status) { status.textContent = text; }
  }
  function copy(el, done) {
    var url = el.getAttribute('data-url');
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () { say(el, done); },
        function () { say(el, 'Không sao chép được. Địa chỉ bài: ' + url); });
    } else {
      say(el, 'Địa chỉ bài: ' + url);
    }
  }
  document.querySelectorAll('[data-copy-link]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () { copy(b, 'Đã sao chép liên kết.'); });
  });
  document.querySelectorAll('[data-share-zalo]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      if (navigator.share) {
        navigator.share({ title: document.title, url: b.getAttribute('data-url') }).catch(function () {});
      } else {
        copy(b, 'Đã sao chép liên kết, mời bạn dán vào Zalo để chia sẻ.');
      }
    });
  });
})();

// The main menu. A dropdown opens by its button (Enter or Space; Arrow Down opens
// it and goes to its first link), arrows move between its links, Escape closes it
// and returns to its button, as does leaving it. Under 768 px "☰ Danh mục" opens
// the whole menu. Without this script the dropdowns open on hover and when the
// keyboard reaches them (CSS :focus-within), and a small screen shows the menu whole.
(function () {
  'use strict';
  var nav = document.querySelector('[data-menu]');
  if (!nav) { return; }
  var toggle = nav.querySelector('.menu-toggle');
  var buttons = Array.prototype.slice.call(nav.querySelectorAll('.sub-toggle'));
  function isOpen(b) { return b.getAttribute('aria-expanded') === 'true'; }
  function setOpen(b, open) { b.setAttribute('aria-expanded', open ? 'true' : 'false'); }
  function linksOf(b) {
    var list = document.getElementById(b.getAttribute('aria-controls'));
    return list ? Array.prototype.slice.call(list.querySelectorAll('a')) : [];
  }
  function closeAll(except) {
    buttons.forEach(function (b) { if (b !== except) { setOpen(b, false); } });
  }
  buttons.forEach(function (b) {
    var item = b.parentNode;
    b.hidden = false;
    b.addEventListener('click', function () {
      var open = !isOpen(b);
      closeAll(b);
      setOpen(b, open);
    });
    item.addEventListener('keydown', function (e) {
      var links = linksOf(b);
      var at = links.indexOf(document.activeElement);
      if (e.key === 'ArrowDown' && (document.activeElement === b || at >= 0)) {
        e.preventDefault();
        closeAll(b);
        setOpen(b, true);
        if (links.length) { links[at < 0 ? 0 : (at + 1) % links.length].focus(); }
      } else if (e.key === 'ArrowUp' && at >= 0) {
        e.preventDefault();
        if (at === 0) { b.focus(); } else { links[at - 1].focus(); }
      } else if (e.key === 'Escape' && isOpen(b)) {
        e.preventDefault();
        e.stopPropagation();
        setOpen(b, false);
        b.focus();
      }
    });
    item.addEventListener('focusout', function (e) {
      if (!item.contains(e.relatedTarget)) { setOpen(b, false); }
    });
  });
  document.addEventListener('click', function (e) {
    if (!nav.contains(e.target)) { closeAll(null); }
  });
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener('click', function () { setOpen(toggle, !isOpen(toggle)); });
    nav.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && isOpen(toggle) && getComputedStyle(toggle).display !== 'none') {
        setOpen(toggle, false);
        toggle.focus();
      }
    });
  }
  nav.classList.add('menu-ready');
})();

// Live figures: the page may come from a cache, so ask for today's numbers.
(function () {
  'use strict';
  var stats = document.querySelector('[data-live-stats]');
  if (!stats || !window.fetch) { return; }
  var viewsEl = document.querySelector('[data-live="views"]');
  var url = '/thong-ke.json' + (viewsEl ? '?bai=' + encodeURIComponent(viewsEl.getAttribute('data-article')) : '');
  function vi(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.'); }
  fetch(url, { credentials: 'same-origin', cache: 'no-store' })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (f) {
      if (!f) { return; }
      ['online', 'today', 'total', 'views'].forEach(function (k) {
        if (typeof f[k] !== 'number') { return; }
        document.querySelectorAll('[data-live="' + k + '"]').forEach(function (el) { el.textContent = vi(f[k]); });
      });
      stats.setAttribute('data-live-updated', '1');
    })
    .catch(function () { /* keep the server's figures */ });
})();

// Search suggestions: titles for what is being typed, offered by the browser's own
// list under the box (a <datalist>); the search itself works without this.
(function () {
  'use strict';
  var list = document.getElementById('goi-y-tim-kiem');
  if (!list || !window.fetch) { return; }
  var timer = null;
  var last = '';
  document.querySelectorAll('input[list="goi-y-tim-kiem"]').forEach(function (input) {
    input.addEventListener('input', function () {
      var q = input.value.trim();
      clearTimeout(timer);
      if (q.length < 2 || q === last) { return; }
      timer = setTimeout(function () {
        last = q;
        fetch('/tim-kiem/goi-y.json?q=' + encodeURIComponent(q), { credentials: 'same-origin' })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            list.textContent = '';
            items.forEach(function (it) {
              var o = document.createElement('option');
              o.value = it.title;
              list.appendChild(o);
            });
          })
          .catch(function () { /* no suggestions, the box still works */ });
      }, 150);
    });
  });
})();
