// Polls the import job's JSON status and moves the progress bar; reloads when the job is done.
(function () {
  var box = document.getElementById("import-progress");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector(".progress__bar");
  var meter = box.querySelector(".progress");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.style.width = data.percent + "%";
        meter.setAttribute("aria-valuenow", data.percent);
        document.getElementById("import-rows").textContent = data.processed_rows;
        document.getElementById("import-total").textContent = data.total_rows;
        document.getElementById("import-status").textContent = data.status_label;
        if (data.running) { setTimeout(poll, 1500); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
