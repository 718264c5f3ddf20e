// While a report is being written, ask the status URL every few seconds and reload the page once it is done,
// so the download links appear without the reader refreshing (a file: the CSP allows no inline script).
(function () {
  var box = document.getElementById("report-status");
  if (!box || !box.dataset.running) return;
  var url = box.dataset.statusUrl;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (state && !state.running) { window.location.reload(); return; }
        window.setTimeout(poll, 3000);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 3000);
})();
