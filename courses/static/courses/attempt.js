// Autosave for quiz attempts: answers go to the server as the learner works, so a
// refresh or a lost connection loses nothing. The page works without this script.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form || !window.fetch) return;
  var status = form.querySelector("[data-save-status]");
  var seqInput = form.querySelector("input[name=sequence]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pending = {};
  var inFlight = false;
  var timer = null;
  var stopped = false;
  var waiting = null; // the submit button pressed while a save was still under way
  // A random token for this page load. If a save reaches the server but its response is
  // lost, the retry carries the same token and sequence, and the server accepts it as a
  // repeat of this page's own last save instead of taking it for another tab.
  var tab = (function () {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  })();

  function idle() { return !inFlight && !Object.keys(pending).length; }

  function show(text) { if (status) status.textContent = text; }

  function answerOf(fieldset) {
    var id = fieldset.getAttribute("data-question");
    var name = "q-" + id;
    var inputs = fieldset.querySelectorAll("[name='" + name + "']");
    if (!inputs.length) return [id, ""];
    var first = inputs[0];
    if (first.type === "checkbox") {
      var values = [];
      inputs.forEach(function (el) { if (el.checked) values.push(el.value); });
      return [id, values];
    }
    if (first.type === "radio") {
      var value = "";
      inputs.forEach(function (el) { if (el.checked) value = el.value; });
      return [id, value];
    }
    return [id, first.value];
  }

  function flush() {
    if (inFlight || stopped || !Object.keys(pending).length) return;
    var answers = pending;
    pending = {};
    inFlight = true;
    show(form.dataset.msgSaving);
    fetch(form.dataset.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ answers: answers, sequence: parseInt(seqInput.value, 10), tab: tab })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      inFlight = false;
      if (result.ok) {
        seqInput.value = result.body.sequence;
        show(form.dataset.msgSaved);
        if (Object.keys(pending).length) {
          flush();
        } else if (waiting) {
          // Submit only once the last save is in, so the form carries the newest sequence.
          var button = waiting;
          waiting = null;
          button.dataset.confirm = "";
          form.requestSubmit(button);
        }
      } else if (result.body.redirect) {
        stopped = true;
        window.location.href = result.body.redirect;
      } else {
        // A newer save came from another tab: stop and ask the learner to reload.
        stopped = true;
        show(result.body.message || "");
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
        if (window.confirm(result.body.message)) window.location.reload();
      }
    }).catch(function () {
      inFlight = false;
      Object.keys(answers).forEach(function (k) { if (!(k in pending)) pending[k] = answers[k]; });
      show(form.dataset.msgOffline);
      window.setTimeout(flush, 3000);
    });
  }

  function queue(event) {
    var fieldset = event.target.closest("[data-question]");
    if (!fieldset) return;
    var pair = answerOf(fieldset);
    pending[pair[0]] = pair[1];
    window.clearTimeout(timer);
    timer = window.setTimeout(flush, event.type === "input" ? 700 : 100);
  }
  form.addEventListener("change", queue);
  form.addEventListener("input", queue);

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (!idle()) {
      event.preventDefault();
      window.clearTimeout(timer);
      waiting = button;
      flush();
      return;
    }
    stopped = true; // the form post carries every answer and the latest sequence
    form.querySelectorAll("button[type=submit]").forEach(function (b) {
      if (b !== button) b.disabled = true;
    });
  });

  // Countdown (the server enforces the deadline; this only shows it).
  var left = form.dataset.secondsLeft;
  if (left !== undefined) {
    var end = Date.now() + parseInt(left, 10) * 1000;
    var out = form.querySelector("[data-timer-value]");
    var box = form.querySelector("[data-timer]");
    var tick = function () {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      out.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      if (s <= 60) box.classList.add("is-low");
      if (s === 0) {
        window.clearInterval(handle);
        // Not `stopped`: the submit handler first sends a pending save (the server allows
        // a short grace after the deadline), then submits.
        var submit = form.querySelector("button[value=submit]");
        if (submit) { submit.dataset.confirm = ""; submit.click(); }
      }
    };
    var handle = window.setInterval(tick, 1000);
    tick();
  }
})();
