// Polls an export job and shows the download link when it is ready.
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        document.getElementById("export-progress").style.width = data.progress + "%";
        document.getElementById("export-state").textContent = data.progress + "%";
        if (data.status === "done") {
          var link = document.getElementById("export-download");
          link.hidden = false;
        } else if (data.status !== "failed") {
          setTimeout(poll, 1000);
        }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
