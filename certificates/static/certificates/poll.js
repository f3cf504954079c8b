// Polls a status URL: reloads "my certificates" when one is ready; updates a ZIP's progress bar.
(function () {
  "use strict";
  var mine = document.getElementById("preparing-note");
  var bulk = document.getElementById("bulk-export");
  var node = mine || bulk;
  if (!node) return;
  var url = node.getAttribute("data-status-url");
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return setTimeout(tick, 5000);
        if (mine) {
          if (data.preparing === 0) { window.location.reload(); return; }
        } else {
          document.getElementById("bulk-label").textContent = data.label;
          document.getElementById("bulk-count").textContent = data.done + "/" + data.total;
          document.getElementById("bulk-bar").style.width = data.percent + "%";
          document.getElementById("bulk-retrying").hidden = !data.retrying;
          // Stalled: its task was lost; offer to ask again, and keep watching in case it ends.
          document.getElementById("bulk-stalled").hidden = !data.stalled;
          document.getElementById("bulk-failed").hidden = !data.stalled;
          // Its file was deleted after the retention period: the page says so and offers a new one.
          if (data.status === "expired") { window.location.reload(); return; }
          if (data.status === "done") { document.getElementById("bulk-download").hidden = false; return; }
          if (data.status === "failed") {
            // Given up: say so, with the way to ask again, instead of a progress bar.
            document.getElementById("bulk-progress").hidden = true;
            document.getElementById("bulk-stalled").hidden = true;
            document.getElementById("bulk-failed-final").hidden = false;
            document.getElementById("bulk-failed").hidden = false;
            return;
          }
        }
        setTimeout(tick, 2000);
      })
      .catch(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 2000);
})();
