/* Task pages: poll the job's status.json every second, move the progress bar, and reload the
   page when the job is done so the server renders its result. No framework, no CDN. */
(function () {
  "use strict";
  var box = document.querySelector("[data-task-progress]");
  if (!box) { return; }
  var bar = box.querySelector("[data-task-bar]");
  var status = document.querySelector("[data-status]");
  var url = box.getAttribute("data-status-url");
  var failures = 0;

  function show(data) {
    var percent = Math.max(0, Math.min(100, Number(data.progress) || 0));
    box.setAttribute("aria-valuenow", String(percent));
    bar.style.width = percent + "%";
    bar.textContent = percent + " %";
    if (status && data.status_label) { status.textContent = data.status_label; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        // 404: the run is gone or no longer ours; 403/302: signed out. Stop asking.
        if (response.status === 404 || response.status === 403 || response.redirected) { throw "stop"; }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        show(data);
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function (error) {
        if (error === "stop") { return; }
        // A network hiccup: keep trying, more slowly, for a while.
        failures += 1;
        if (failures < 30) { window.setTimeout(poll, 1000 * Math.min(failures, 5)); }
      });
  }

  window.setTimeout(poll, 1000);
})();
