/* Live training job page: polls the job's API every second until the job ends. */
(function () {
  "use strict";
  var card = document.getElementById("job");
  var svg = document.getElementById("training-curve");
  var initial = document.getElementById("curve-data");
  if (initial && svg) { SelkoCharts.trainingCurve(svg, JSON.parse(initial.textContent)); }
  if (!card) { return; }
  var FINAL = ["succeeded", "failed", "cancelled"];

  function set(id, text) { var node = document.getElementById(id); if (node) { node.textContent = text; } }

  function render(job) {
    var status = document.getElementById("job-status");
    status.textContent = job.status.charAt(0).toUpperCase() + job.status.slice(1);
    status.className = "badge " + job.status;
    set("job-phase", job.phase);
    document.getElementById("job-progress-bar").style.width = job.progress + "%";
    set("job-progress", Math.round(job.progress) + "%");
    if (job.worker_host) { set("job-worker", "on " + job.worker_host + " " + job.device); }
    set("job-outcome", job.outcome || "");
    set("job-error", job.error_message || "");
    if (job.model_version) { set("job-version", "Result: v" + job.model_version); }
    var log = document.getElementById("job-log");
    log.textContent = (job.log_lines || []).slice(-200).join("\n");
    log.scrollTop = log.scrollHeight;
    SelkoCharts.trainingCurve(svg, job.metrics_series);
    var cancel = document.getElementById("cancel-form");
    if (cancel) { cancel.hidden = FINAL.indexOf(job.status) !== -1; }
  }

  function poll() {
    fetch(card.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (job) {
        render(job);
        if (FINAL.indexOf(job.status) === -1) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
