// Public forms' guard (platform/antispam.rs): finds n such that SHA-256 of
// "token:n" starts with the asked number of zero bits, puts it in the form and
// hides the question that readers without JavaScript answer instead. Plain
// SHA-256 here, because crypto.subtle is missing on pages served over http.
(function () {
  "use strict";
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var W = new Array(64);
  // SHA-256 of an ASCII string; the first word of the digest is enough for up
  // to 32 zero bits, so only it is returned.
  function firstWord(s) {
    var n = s.length, total = ((n + 9 + 63) >> 6) << 6, bytes = new Array(total), i;
    for (i = 0; i < total; i++) bytes[i] = 0;
    for (i = 0; i < n; i++) bytes[i] = s.charCodeAt(i) & 0xff;
    bytes[n] = 0x80;
    var bits = n * 8;
    bytes[total - 4] = (bits >>> 24) & 0xff; bytes[total - 3] = (bits >>> 16) & 0xff;
    bytes[total - 2] = (bits >>> 8) & 0xff; bytes[total - 1] = bits & 0xff;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a,
      h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var off = 0; off < total; off += 64) {
      for (i = 0; i < 16; i++) {
        var j = off + i * 4;
        W[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
      }
      for (i = 16; i < 64; i++) {
        var a = W[i - 15], b = W[i - 2];
        var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
      }
      var A = h0, B = h1, C = h2, D = h3, E = h4, F = h5, G = h6, H = h7;
      for (i = 0; i < 64; i++) {
        var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
        var ch = (E & F) ^ (~E & G);
        var t1 = (H + S1 + ch + K[i] + W[i]) | 0;
        var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
        var maj = (A & B) ^ (A & C) ^ (B & C);
        var t2 = (S0 + maj) | 0;
        H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
      }
      h0 = (h0 + A) | 0; h1 = (h1 + B) | 0; h2 = (h2 + C) | 0; h3 = (h3 + D) | 0;
      h4 = (h4 + E) | 0; h5 = (h5 + F) | 0; h6 = (h6 + G) | 0; h7 = (h7 + H) | 0;
    }
    return h0 >>> 0;
  }
  function guard(box) {
    var form = box.closest("form");
    var bits = Math.min(32, parseInt(box.getAttribute("data-pow-bits"), 10) || 0);
    var token = form.querySelector('input[name="thu_thach"]').value;
    var out = form.querySelector('input[name="loi_giai"]');
    var question = box.querySelector(".spam-question");
    var answer = question.querySelector("input");
    var status = box.querySelector(".spam-status");
    var limit = bits >= 32 ? 0 : Math.pow(2, 32 - bits);
    var done = false, waiting = false, n = 0;
    question.hidden = true;
    answer.required = false;
    form.addEventListener("submit", function (e) {
      if (done) return;
      e.preventDefault();
      waiting = true;
      status.textContent = "Đang kiểm tra chống thư rác, xin chờ một chút…";
    });
    function step() {
      var end = n + 20000;
      for (; n < end; n++) {
        if (firstWord(token + ":" + n) < limit || bits === 0) {
          out.value = String(n);
          done = true;
          status.textContent = "";
          form.setAttribute("data-pow-done", "1");
          if (waiting) form.submit();
          return;
        }
      }
      setTimeout(step, 0);
    }
    step();
  }
  var boxes = document.querySelectorAll(".spam-guard");
  for (var i = 0; i < boxes.length; i++) guard(boxes[i]);
})();
