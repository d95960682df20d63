// Vitrine workspace, the job forms and the Scheduled tab: progressive
// enhancement only. Without this script every part of the forms shows,
// "Preview the next run times" is a submit button, and the Active switch
// has an Apply button.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  jobForm(document.getElementById("job-form"));
  activeSwitches();
});

// The schedule fields a preview needs, and no more (an upload job's URL
// list stays out of the query).
const scheduleFields = ["when", "at", "kind", "daily_time", "weekdays_only", "weekly_day", "weekly_time",
  "monthly_by", "monthly_day", "monthly_nth", "monthly_weekday", "monthly_time", "rule"];

function jobForm(form) {
  if (!form) return;
  // Groups shown for one choice of a radio group: data-when="later" shows
  // while the "when" radio is "later", and so on.
  const groups = ["when", "kind", "scope", "source", "follow"];
  const sync = () => {
    for (const g of groups) {
      const picked = form.querySelector(`input[type=radio][name="${g}"]:checked`);
      for (const el of form.querySelectorAll(`[data-${g}]`)) {
        el.hidden = !picked || picked.value !== el.dataset[g];
      }
    }
  };
  const box = document.getElementById("next-runs-box");
  let timer = 0;
  let asked = 0;
  // The next five run times, asked as the schedule changes: debounced, and
  // only the latest answer is shown.
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++asked;
      const q = new URLSearchParams();
      for (const [k, v] of new FormData(form)) {
        if (scheduleFields.includes(k)) q.append(k, v);
      }
      try {
        const res = await fetch(form.dataset.preview + "?" + q.toString(), { credentials: "same-origin" });
        // A redirect (the session ended: the sign-in page) or another
        // answer is not a preview: keep what is shown.
        if (!res.ok || res.redirected || !(res.headers.get("Content-Type") || "").startsWith("text/html")) return;
        const html = await res.text();
        if (mine === asked) {
          // The answer is the server's own fragment; parsed, not run.
          const doc = new DOMParser().parseFromString(html, "text/html");
          box.replaceChildren(...doc.body.childNodes);
        }
      } catch {
        // Offline: the Preview button still works.
      }
    }, 250);
  };
  const inSchedule = (e) => e.target.closest && e.target.closest("#when-fields");
  form.addEventListener("change", (e) => {
    sync();
    if (inSchedule(e)) refresh();
  });
  form.addEventListener("input", (e) => {
    if (inSchedule(e)) refresh();
  });
  sync();
  if (box) refresh();
}

// The Active switch saves as it changes.
function activeSwitches() {
  for (const form of document.querySelectorAll("form.active-form")) {
    const box = form.querySelector("input[type=checkbox]");
    const apply = form.querySelector(".apply-active");
    if (apply) apply.hidden = true;
    box.addEventListener("change", () => form.requestSubmit());
  }
}
