// Upload page: drop files or whole folders (structure kept under the
// chosen folder), sent one file per request into one batch upload job,
// with per-file and total progress, cancel and retry. Without this
// script the form posts the chosen files in one request.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const company = form.dataset.company;
  const base = form.elements.folder.value;
  const drop = document.getElementById("drop");
  const list = document.getElementById("file-list");
  const progress = document.getElementById("progress");
  const totalBar = document.getElementById("total-bar");
  const totalText = document.getElementById("total-text");
  const PARALLEL = 3;
  let batch = null; // {id, files: [...], finished}

  // The folder picker reloads the page for that folder's defaults.
  const pick = document.getElementById("pick-folder");
  pick.addEventListener("change", () => document.getElementById("folder-form").submit());

  drop.hidden = false;
  for (const ev of ["dragenter", "dragover"]) {
    drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add("over"); });
  }
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", async (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    start(await dropped(e.dataTransfer));
  });
  document.getElementById("dir-input").addEventListener("change", (e) => {
    start([...e.target.files].map((f) => ({ file: f, path: f.webkitRelativePath || f.name })));
    e.target.value = "";
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const input = document.getElementById("files");
    start([...input.files].map((f) => ({ file: f, path: f.name })));
    input.value = "";
  });
  document.getElementById("cancel-all").addEventListener("click", () => {
    if (!batch) return;
    for (const f of batch.files) cancel(f);
  });
  window.addEventListener("beforeunload", (e) => {
    if (batch && !batch.finished) e.preventDefault();
  });

  // dropped lists the files of a drop with their paths, walking folders
  // (webkitGetAsEntry; readEntries answers in chunks until empty).
  async function dropped(dt) {
    const entries = [...dt.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
    if (entries.length === 0) return [...dt.files].map((f) => ({ file: f, path: f.name }));
    const out = [];
    async function walk(entry) {
      if (entry.isFile) {
        const file = await new Promise((ok, bad) => entry.file(ok, bad));
        out.push({ file, path: entry.fullPath.replace(/^\//, "") });
        return;
      }
      const reader = entry.createReader();
      for (;;) {
        const chunk = await new Promise((ok, bad) => reader.readEntries(ok, bad));
        if (chunk.length === 0) break;
        for (const c of chunk) await walk(c);
      }
    }
    for (const e of entries) await walk(e);
    return out;
  }

  const hidden = (path) => path.split("/").some((seg) => seg.startsWith("."));

  function folderOf(path) {
    const dirs = path.split("/").slice(0, -1);
    if (dirs.length === 0) return base;
    return (base === "/" ? "" : base) + "/" + dirs.join("/");
  }

  async function start(items) {
    if (batch && !batch.finished) {
      alertText("Wait for the current upload to finish, or cancel it.");
      return;
    }
    const skipped = items.filter((i) => hidden(i.path));
    items = items.filter((i) => !hidden(i.path));
    progress.hidden = false;
    list.replaceChildren();
    document.getElementById("hidden-note").textContent = skipped.length
      ? `Skipped ${skipped.length} hidden file${skipped.length === 1 ? "" : "s"}: ${skipped.map((i) => i.path).join(", ")}.` : "";
    document.getElementById("batch-job").textContent = "";
    if (items.length === 0) {
      totalText.textContent = "Nothing to upload.";
      return;
    }
    let job;
    try {
      job = await post(`/c/${company}/upload/jobs`, JSON.stringify({ folder: base, total: items.length }), "application/json");
    } catch (err) {
      alertText(err.message);
      return;
    }
    batch = { id: job.id, files: items.map(row), finished: false };
    const link = document.createElement("a");
    link.href = `/c/${company}/jobs/${job.id}`;
    link.id = "batch-link";
    link.textContent = job.name;
    document.getElementById("batch-job").replaceChildren("Upload job: ", link, " ");
    update();
    pump();
  }

  function row(item) {
    const f = { ...item, folder: folderOf(item.path), state: "queued", loaded: 0, xhr: null, message: "" };
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.className = "path";
    name.textContent = item.path;
    const st = document.createElement("span");
    st.className = "st";
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Progress of " + item.path);
    const actions = document.createElement("span");
    li.append(name, st, bar, actions);
    list.append(li);
    f.ui = { li, st, bar, actions };
    return f;
  }

  function pump() {
    const active = batch.files.filter((f) => f.state === "uploading").length;
    for (const f of batch.files.filter((f) => f.state === "queued").slice(0, Math.max(0, PARALLEL - active))) send(f);
    update();
    if (batch.files.every((f) => f.state === "done" || f.state === "cancelled")) finish();
  }

  function send(f) {
    f.state = "uploading";
    f.loaded = 0;
    const fd = new FormData();
    fd.append("folder", f.folder);
    fd.append("publish", form.elements.publish.value);
    fd.append("overwrite", form.elements.overwrite.value);
    fd.append("upload_job", String(batch.id));
    fd.append("file", f.file, f.file.name);
    const xhr = new XMLHttpRequest();
    f.xhr = xhr;
    xhr.open("POST", `/c/${company}/upload`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) f.loaded = Math.min(f.file.size, f.file.size * e.loaded / e.total);
      update();
    });
    xhr.addEventListener("load", () => {
      f.xhr = null;
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch { /* shown below */ }
      if (xhr.status === 201) {
        f.state = "done";
        f.loaded = f.file.size;
        const a = body.assets && body.assets[0];
        f.message = a && a.warning ? a.warning : "uploaded";
      } else {
        f.state = "failed";
        f.message = (body.error && body.error.message) || `the server answered ${xhr.status}`;
      }
      pump();
    });
    xhr.addEventListener("error", () => { f.xhr = null; f.state = "failed"; f.message = "the connection failed"; pump(); });
    xhr.addEventListener("abort", () => { f.xhr = null; pump(); });
    xhr.send(fd);
    update();
  }

  function cancel(f) {
    if (f.state === "done" || f.state === "cancelled") return;
    f.state = "cancelled";
    f.loaded = 0;
    if (f.xhr) f.xhr.abort(); else pump();
  }

  function retry(f) {
    f.state = "queued";
    f.message = "";
    pump();
  }

  function update() {
    let size = 0, loaded = 0, done = 0, live = 0;
    for (const f of batch.files) {
      if (f.state === "cancelled") continue;
      live++;
      size += f.file.size;
      loaded += f.state === "done" ? f.file.size : f.loaded;
      if (f.state === "done") done++;
      drawRow(f);
    }
    for (const f of batch.files) if (f.state === "cancelled") drawRow(f);
    const pct = size ? Math.round(100 * loaded / size) : (live ? 0 : 100);
    totalBar.value = pct;
    totalText.textContent = `${done} of ${live} files, ${pct}%`;
  }

  function drawRow(f) {
    const { st, bar, actions } = f.ui;
    const pct = f.state === "done" ? 100 : f.file.size ? Math.round(100 * f.loaded / f.file.size) : 0;
    bar.value = pct;
    const label = { queued: "waiting", uploading: `uploading ${pct}%`, done: f.message, failed: "failed: " + f.message, cancelled: "cancelled" }[f.state];
    if (st.textContent !== label) st.textContent = label;
    st.className = "st" + (f.state === "failed" ? " bad" : f.state === "done" ? " ok" : "");
    f.ui.li.dataset.state = f.state;
    const want = f.state === "failed" ? "retry,cancel" : f.state === "queued" || f.state === "uploading" ? "cancel" : "";
    if (actions.dataset.want === want) return;
    actions.dataset.want = want;
    actions.replaceChildren();
    for (const what of want ? want.split(",") : []) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "secondary";
      b.textContent = what === "retry" ? "Retry" : "Cancel";
      b.setAttribute("aria-label", `${b.textContent} ${f.path}`);
      b.addEventListener("click", () => (what === "retry" ? retry(f) : cancel(f)));
      actions.append(b);
    }
  }

  async function finish() {
    if (batch.finished || batch.finishing) return;
    batch.finishing = true;
    const notUploaded = batch.files.filter((f) => f.state === "cancelled")
      .map((f) => ({ file: f.path, cancelled: true, message: f.message }));
    try {
      const job = await post(`/c/${company}/upload/jobs/${batch.id}/finish`, JSON.stringify({ not_uploaded: notUploaded }), "application/json");
      batch.finished = true;
      const browse = document.createElement("a");
      browse.href = `/c/${company}/browse?folder=${encodeURIComponent(base)}`;
      browse.textContent = "Browse " + base;
      document.getElementById("batch-job").append(`(${job.status.replaceAll("_", " ")}). `, browse);
    } catch (err) {
      batch.finishing = false;
      alertText(err.message);
    }
  }

  async function post(url, body, type) {
    const r = await fetch(url, { method: "POST", body, headers: { "Content-Type": type, Accept: "application/json" } });
    const out = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error((out.error && out.error.message) || `the server answered ${r.status}`);
    return out;
  }

  function alertText(msg) {
    let p = document.getElementById("upload-error");
    if (!p) {
      p = document.createElement("p");
      p.id = "upload-error";
      p.className = "error";
      p.setAttribute("role", "alert");
      progress.before(p);
    }
    p.textContent = msg;
  }
});
