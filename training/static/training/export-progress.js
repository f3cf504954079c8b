// Polls an export job: moves the progress bar, shows the download link when the file is
// ready, or the (server-translated) message when the job failed or its file has expired.
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var state = document.getElementById("export-state");

  function show(data) {
    document.getElementById("export-progress").style.width = data.progress + "%";
    var label = state.getAttribute("data-label-" + data.status) || "";
    state.textContent = label + " · " + data.progress + "%";
    if (data.status === "done") {
      document.getElementById("export-download").hidden = false;
    } else if (data.status === "expired") {
      document.getElementById("export-progress-box").hidden = true;
      document.getElementById("export-expired").hidden = false;
    } else if (data.status === "failed") {
      document.getElementById("export-progress-box").hidden = true;
      document.getElementById("export-failed").hidden = false;
    } else {
      setTimeout(poll, 1000);
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(show)
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
