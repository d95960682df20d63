// Setup → CDN: the Invalidate CDN dialog submits without leaving the page
// and lists each edge's confirmation as the invalidation reports it,
// asking again until every edge has answered. Without this script the
// form posts and the invalidation's own page shows the same, with a
// refresh link.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("invalidate-form");
  const live = document.getElementById("invalidation-live");
  if (!form || !live) return;
  const status = document.getElementById("live-status");
  const edges = document.getElementById("live-edges");
  const page = document.getElementById("live-page");
  const submit = document.getElementById("invalidate-submit");
  const json = { Accept: "application/json" };

  function say(text, bad) {
    status.textContent = text;
    status.classList.toggle("error", !!bad);
  }
  function showError(err) {
    say(err.message || "The invalidation was refused.", true);
    for (const d of err.details || []) {
      const li = document.createElement("li");
      li.className = "error";
      li.textContent = d.item + ": " + d.message;
      edges.append(li);
    }
  }
  async function follow(url) {
    const seen = new Set();
    for (;;) {
      const resp = await fetch(url, { headers: json, credentials: "same-origin" });
      const body = await resp.json();
      if (!resp.ok) { showError(body.error || {}); return; }
      for (const line of body.log) {
        if (seen.has(line.id)) continue;
        seen.add(line.id);
        const li = document.createElement("li");
        li.className = line.level;
        li.textContent = line.message;
        edges.append(li);
      }
      const j = body.job;
      if (body.done) {
        say(`Invalidation ${j.name}: ${j.status.replaceAll("_", " ")}; ${j.done} of ${j.total} edges confirmed.`, j.errors > 0);
        return;
      }
      say(`Waiting for the edges: ${j.done} of ${j.total} confirmed so far…`);
      await new Promise((ok) => setTimeout(ok, 500));
    }
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    edges.replaceChildren();
    live.hidden = false;
    page.hidden = true;
    say("Sending the invalidation to the edges…");
    submit.disabled = true;
    try {
      const resp = await fetch(form.action, { method: "POST", headers: json, credentials: "same-origin",
        body: new URLSearchParams(new FormData(form)) });
      const body = await resp.json();
      if (!resp.ok) { showError(body.error || {}); return; }
      page.href = body.page;
      page.hidden = false;
      await follow(body.page);
    } catch (err) {
      say("The invalidation could not be sent: " + err.message, true);
    } finally {
      submit.disabled = false;
    }
  });
});
