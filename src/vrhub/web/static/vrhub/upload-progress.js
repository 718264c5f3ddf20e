// Polls an upload's status while it loads and reloads the page when the load ends, to show the report.
// Without JavaScript the page offers a refresh link instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-upload-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-upload-status-url");
  var stage = box.querySelector("[data-upload-stage]");
  var failures = 0;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (status) {
        failures = 0;
        if (status.final) {
          window.location.reload();
          return;
        }
        if (stage && status.stage && stage.textContent !== status.stage) {
          stage.textContent = status.stage;
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        // A server restarting or a dropped connection: try less often, and stop after a while.
        failures += 1;
        if (failures < 10) { window.setTimeout(poll, 2000 * failures); }
      });
  }

  window.setTimeout(poll, 1000);
})();
