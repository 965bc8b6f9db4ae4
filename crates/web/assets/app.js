// eduportal: small enhancements; every page works without them.
(function () {
  'use strict';
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
})();
