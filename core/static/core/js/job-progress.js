// The one poller of background jobs' pages: a certificate ZIP, a large audit export, a roster
// import, "my certificates" while one is being prepared. Pages work without it (they reload).
//
// The page marks one element with data-job-status-url; that URL answers the shape of
// core.jobs.status_payload: {status, label, progress, message, download_url, running, ...}.
// Extra keys whose value is true are flags (retrying, stalled). Within the page:
//   [data-job-bar]           a progress bar: its data-pct (the CSS draws the width) and the
//                            aria-valuenow of the progressbar around it follow `progress`
//   [data-job-text="…"]      its text is the pattern with {key} replaced ({label} · {progress}%)
//   [data-job-when="a b"]    shown only while the status, or a true flag, is one of the words
//   [data-job-unless="a b"]  hidden while the status, or a true flag, is one of the words
//   a[data-job-download]     its href becomes download_url once there is one
// While `running` is true it polls again; then it stops, or reloads the page when the marked
// element says data-job-finished="reload" (the server renders the outcome).
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box) return;
  var url = box.getAttribute("data-job-status-url");
  var every = parseInt(box.getAttribute("data-job-every") || "2000", 10);

  function states(data) {
    var on = [data.status];
    Object.keys(data).forEach(function (key) {
      if (data[key] === true) on.push(key);
    });
    return on;
  }

  function matches(element, attribute, on) {
    return element
      .getAttribute(attribute)
      .split(/\s+/)
      .some(function (word) { return on.indexOf(word) !== -1; });
  }

  function each(selector, callback) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), callback);
  }

  function show(data) {
    var on = states(data);
    var progress = Math.max(0, Math.min(100, Math.round(Number(data.progress) || 0)));
    each("[data-job-bar]", function (bar) {
      bar.setAttribute("data-pct", String(progress));
      var meter = bar.closest("[role=progressbar]");
      if (meter) meter.setAttribute("aria-valuenow", String(progress));
    });
    each("[data-job-text]", function (element) {
      element.textContent = element.getAttribute("data-job-text").replace(/\{(\w+)\}/g, function (all, key) {
        if (key === "progress") return String(progress);
        return data[key] === undefined || data[key] === null ? "" : String(data[key]);
      });
    });
    each("[data-job-when]", function (element) { element.hidden = !matches(element, "data-job-when", on); });
    each("[data-job-unless]", function (element) { element.hidden = matches(element, "data-job-unless", on); });
    if (data.download_url) {
      each("a[data-job-download]", function (link) { link.setAttribute("href", data.download_url); });
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.running) {
          setTimeout(poll, every);
        } else if (box.getAttribute("data-job-finished") === "reload") {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, every * 2); });
  }

  setTimeout(poll, every);
})();
