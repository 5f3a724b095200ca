// Follows a running job: polls /api/jobs/<id> and updates the progress bar; reloads when done.
// Text from the server is set with textContent only, never as HTML.
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.finished === "yes") return;
  const stage = document.getElementById("job-stage");
  const bar = document.getElementById("job-progress");
  const count = document.getElementById("job-count");
  async function poll() {
    try {
      const response = await fetch("/api/jobs/" + encodeURIComponent(box.dataset.job), { credentials: "same-origin" });
      if (!response.ok) return;
      const job = await response.json();
      stage.textContent = job.stage;
      bar.max = job.total || 1;
      bar.value = job.done;
      count.textContent = job.total ? job.done + " / " + job.total : String(job.done);
      if (job.finished) { window.location.reload(); return; }
    } catch (error) { /* the server may be busy: try again */ }
    window.setTimeout(poll, 700);
  }
  window.setTimeout(poll, 300);
})();
