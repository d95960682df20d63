// Vitrine workspace, Jobs History and a job's detail: the page follows the
// company's event stream (Server-Sent Events, no polling) and updates the
// status, progress bar and counts of the jobs it shows, in place. Without
// script the page shows them as they were when it loaded.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const meta = document.querySelector('meta[name="vitrine-events"]');
  if (!meta || !window.EventSource) return;
  const live = document.getElementById("live");
  const say = (cls, text) => { if (live) { live.className = "live " + cls; live.textContent = text; } };
  const es = new EventSource(meta.content);
  // data-live says whether the page is following the stream.
  es.addEventListener("open", () => { document.body.dataset.live = "on"; });
  es.addEventListener("error", () => { document.body.dataset.live = "off"; });
  const history = document.querySelector(".jobs-filters"); // on History
  const told = new Set(); // new jobs already announced
  es.addEventListener("job", (e) => {
    let j;
    try { j = JSON.parse(e.data); } catch { return; }
    const boxes = document.querySelectorAll('[data-job="' + j.id + '"]');
    const type = document.querySelector('.jobs-filters select[name="type"]');
    if (!boxes.length && history && !told.has(j.id) && (j.status === "queued" || j.status === "running") && (!type || !type.value || type.value === j.type)) {
      // History lists what was there when it loaded; say that more came.
      told.add(j.id);
      say("info", "Job " + j.name + " has started: reload the page to see it.");
    }
    for (const box of boxes) {
      const before = box.querySelector(".job-status");
      const was = before ? before.textContent : "";
      updateJob(box, j);
      if (was !== j.status && (j.status === "stopping" || ended(j.status))) say("info", "Job " + j.name + ": " + j.status + ".");
    }
  });
  es.addEventListener("reload", () => say("error", "Some changes were missed: reload the page to see the latest."));

  // Cancel posts with fetch and stays on the page: the answer is the new
  // status ("stopping" until the batch boundary), the stream then says
  // "cancelled". Without script it is a plain form post.
  document.addEventListener("submit", async (e) => {
    const f = e.target;
    if (!f.matches("form.job-cancel")) return;
    e.preventDefault();
    const box = f.closest("[data-job]");
    const button = f.querySelector("button");
    button.disabled = true;
    try {
      const res = await fetch(f.getAttribute("action"), { method: "POST", body: new URLSearchParams(new FormData(f)), headers: { "X-Fragment": "job" } });
      const text = (await res.text()).trim();
      if (!res.ok) {
        button.disabled = false;
        say("error", text);
        return;
      }
      const st = box.querySelector(".job-status");
      // The stream may have told the end already: never show it running again.
      if (st && !ended(st.textContent)) {
        updateJob(box, { status: text });
        say("info", text === "stopping" ? "Stopping: the job ends after the batch it is on." : "The job is " + text + ".");
      }
    } catch {
      f.submit();
    }
  });
});

const endStates = ["succeeded", "succeeded_with_warnings", "failed", "cancelled"];
function ended(status) { return endStates.includes(status); }

// updateJob shows job event j in box, the element carrying data-job; j
// may carry a status only (the answer to Cancel).
function updateJob(box, j) {
  const st = box.querySelector(".job-status");
  if (st && st.textContent !== j.status) {
    st.textContent = j.status;
    st.className = "job-status st-" + j.status;
  }
  if (j.total !== undefined) {
    const bar = box.querySelector("progress.job-progress");
    if (bar && j.total > 0) {
      bar.max = j.total;
      bar.value = j.done;
      bar.textContent = j.done + " of " + j.total;
    }
    const counts = box.querySelector(".job-counts");
    if (counts) {
      counts.textContent = j.done + " of " + j.total + " done" + (j.type === "publish" ? ", " + j.published + " published" : "") +
        ", " + j.warnings + " warnings, " + j.errors + " errors";
    }
  }
  if (j.status === "stopping" || ended(j.status)) {
    // Nothing left to cancel; focus goes to the job rather than nowhere.
    const f = box.querySelector("form.job-cancel");
    if (f) {
      const had = f.contains(document.activeElement);
      f.remove();
      if (had) { box.tabIndex = -1; box.focus(); }
    }
  }
  if (ended(j.status)) box.classList.remove("active");
}
