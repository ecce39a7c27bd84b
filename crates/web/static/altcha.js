// The sign form's proof of work, in the "under attack" mode (crates/web/src/defence/mod.rs). When
// the person first touches the form, asks our server for a challenge (204: the mode is off, and
// nothing more happens); solves it in a Web Worker while they type, showing how far it got; and
// puts the solution (ALTCHA's payload) in the form's hidden `altcha` field. A form sent before
// the solution is ready waits for it. Without this script the form still sends, and the server
// holds it to a stricter limit.
(function () {
  'use strict';
  var form = document.querySelector('form[data-pow]');
  if (!form || !window.Worker || !window.fetch || !window.TextEncoder) return;
  var field = form.querySelector('input[name="altcha"]');
  var status = form.querySelector('.pow-status');
  var text = status.querySelector('.pow-text');
  var bar = status.querySelector('progress');
  var state = 'idle';
  var sendWhenDone = false;

  function show(words, percent) {
    status.hidden = false;
    text.textContent = words;
    if (percent === null) {
      bar.hidden = true;
    } else {
      bar.hidden = false;
      bar.value = percent;
    }
  }

  function finish(next) {
    state = next;
    if (sendWhenDone) form.submit();
  }

  function failed() {
    if (state === 'done' || state === 'failed') return;
    show(form.dataset.powFailed, null);
    finish('failed');
  }

  function start() {
    if (state !== 'idle') return;
    state = 'asking';
    fetch(form.dataset.pow, { credentials: 'omit', cache: 'no-store' })
      .then(function (response) {
        if (response.status === 204) return null;
        if (!response.ok) throw new Error('challenge: ' + response.status);
        return response.json();
      })
      .then(function (challenge) {
        if (!challenge) {
          finish('off');
          return;
        }
        state = 'solving';
        show(form.dataset.powWorking, 0);
        var worker = new Worker(form.dataset.powWorker);
        worker.onmessage = function (event) {
          if (event.data.progress !== undefined) {
            show(form.dataset.powWorking, event.data.progress);
            return;
          }
          worker.terminate();
          if (event.data.number === null) {
            failed();
            return;
          }
          field.value = btoa(JSON.stringify({
            algorithm: challenge.algorithm,
            challenge: challenge.challenge,
            number: event.data.number,
            salt: challenge.salt,
            signature: challenge.signature,
          }));
          show(form.dataset.powDone, 100);
          finish('done');
        };
        worker.onerror = failed;
        worker.postMessage(challenge);
      })
      .catch(failed);
  }

  form.addEventListener('focusin', start);
  form.addEventListener('input', start);
  form.addEventListener('submit', function (event) {
    if (state === 'done' || state === 'off' || state === 'failed') return;
    event.preventDefault();
    sendWhenDone = true;
    if (state === 'solving') show(form.dataset.powWaiting, bar.value);
    start();
  });
})();
