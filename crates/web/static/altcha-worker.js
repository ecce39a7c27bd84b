// Solves a proof-of-work challenge in ALTCHA's format, off the page's thread: tries each number
// from 0 up to `maxnumber` until the hex SHA-256 of `salt + number` is the challenge, telling the
// page how far it got. Our own SHA-256, synchronous: the browser's crypto.subtle answers each hash
// through a promise (which costs more than the hash) and only on https pages.
'use strict';

function fractionalBits(n) {
  return ((n - Math.floor(n)) * 0x100000000) | 0;
}

// The first 32 bits of the fractional parts of the square roots of the first 8 primes (H) and of
// the cube roots of the first 64 (K), as FIPS 180-4 defines them.
var H = new Int32Array(8);
var K = new Int32Array(64);
(function () {
  var found = 0;
  for (var candidate = 2; found < 64; candidate++) {
    var prime = true;
    for (var d = 2; d * d <= candidate; d++) {
      if (candidate % d === 0) { prime = false; break; }
    }
    if (!prime) continue;
    if (found < 8) H[found] = fractionalBits(Math.pow(candidate, 1 / 2));
    K[found] = fractionalBits(Math.pow(candidate, 1 / 3));
    found++;
  }
})();

var W = new Int32Array(64);
var out = new Int32Array(8);

function sha256(msg, len) {
  var blocks = ((len + 8) >> 6) + 1;
  var h0 = H[0], h1 = H[1], h2 = H[2], h3 = H[3], h4 = H[4], h5 = H[5], h6 = H[6], h7 = H[7];
  for (var blk = 0; blk < blocks; blk++) {
    for (var i = 0; i < 16; i++) {
      var w = 0;
      for (var j = 0; j < 4; j++) {
        var p = blk * 64 + i * 4 + j;
        w = (w << 8) | (p < len ? msg[p] : (p === len ? 0x80 : 0));
      }
      W[i] = w;
    }
    if (blk === blocks - 1) {
      W[14] = Math.floor(len / 0x20000000);
      W[15] = len << 3;
    }
    for (i = 16; i < 64; i++) {
      var x = W[i - 15], y = W[i - 2];
      var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (i = 0; i < 64; i++) {
      var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      var t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
  }
  out[0] = h0; out[1] = h1; out[2] = h2; out[3] = h3; out[4] = h4; out[5] = h5; out[6] = h6; out[7] = h7;
  return out;
}

function solve(challenge, report) {
  var target = new Int32Array(8);
  for (var i = 0; i < 8; i++) target[i] = parseInt(challenge.challenge.substr(i * 8, 8), 16) | 0;
  var salt = new TextEncoder().encode(challenge.salt);
  var msg = new Uint8Array(salt.length + 24);
  msg.set(salt);
  var max = challenge.maxnumber;
  for (var n = 0; n <= max; n++) {
    var digits = String(n);
    for (i = 0; i < digits.length; i++) msg[salt.length + i] = digits.charCodeAt(i);
    var hash = sha256(msg, salt.length + digits.length);
    if (hash[0] === target[0] && hash[1] === target[1] && hash[2] === target[2] && hash[3] === target[3] &&
        hash[4] === target[4] && hash[5] === target[5] && hash[6] === target[6] && hash[7] === target[7]) {
      return n;
    }
    if (n % 5000 === 0) report(Math.floor((n * 100) / Math.max(max, 1)));
  }
  return null;
}

if (typeof self !== 'undefined' && typeof module === 'undefined') {
  self.onmessage = function (event) {
    var number = solve(event.data, function (percent) { self.postMessage({ progress: percent }); });
    self.postMessage({ number: number });
  };
} else {
  module.exports = { sha256: sha256, solve: solve };
}
