// Setup → Presets: the preview beside the modifiers follows what is typed.
// It renders a sample asset through /preview (the workspace session lets
// the browser in) with the modifiers as a URL's query, after a short pause
// in typing, and says how large the answer is. Without this script the
// preview shows the saved preset.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const figure = document.getElementById("preview-figure");
  const mods = document.getElementById("preset-modifiers");
  const sample = document.getElementById("preset-sample");
  if (!figure || !mods || !sample) return;
  const img = document.getElementById("preset-preview");
  const shown = document.getElementById("preview-url");
  const size = document.getElementById("preview-size");
  let timer = 0;
  let asked = 0;

  function url() {
    const name = sample.value.trim();
    if (!name) return "";
    const q = mods.value.trim().replace(/\s+/g, "");
    return figure.dataset.base + encodeURIComponent(name) + (q ? "?" + q : "");
  }
  async function show() {
    const u = url();
    const mine = ++asked;
    shown.textContent = u;
    if (!u) { img.hidden = true; size.textContent = "Name a published image to preview on."; return; }
    size.textContent = "Loading…";
    try {
      const resp = await fetch(u, { credentials: "same-origin" });
      const body = await resp.blob();
      if (mine !== asked) return; // a newer preview is on its way
      if (!resp.ok) {
        img.hidden = true;
        size.textContent = "The server refused this preview (" + resp.status + "): " + (await body.text()).trim();
        return;
      }
      img.dataset.bytes = String(body.size);
      img.alt = "Preview of " + sample.value.trim() + " with these modifiers";
      img.hidden = false;
      img.src = u;
      size.textContent = body.size.toLocaleString("en") + " bytes";
    } catch (e) {
      if (mine === asked) size.textContent = "The preview could not be loaded.";
    }
  }
  const later = () => { clearTimeout(timer); timer = setTimeout(show, 300); };
  mods.addEventListener("input", later);
  sample.addEventListener("input", later);
  img.addEventListener("load", () => {
    if (img.dataset.bytes) size.textContent = Number(img.dataset.bytes).toLocaleString("en") + " bytes, " + img.naturalWidth + " × " + img.naturalHeight + " px";
  });
  if (sample.value.trim()) show();
});
