// Detail page: the URL builder updates the Scene7 URL and the rendered
// result as fields change, and a box dragged on the image sets crop= in
// the source's pixels. Without this script the builder is a GET form and
// the server builds the same URL (urlbuilder.go).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("builder");
  if (!form) return;
  const out = document.getElementById("built-url");
  const result = document.getElementById("result");
  const size = document.getElementById("result-size");
  const fields = ["wid", "hei", "fit", "crop", "fmt", "qlt"];
  const valid = /^[A-Za-z0-9.,]{1,40}$/;
  let timer = 0;

  function build() {
    const parts = [];
    const preset = form.elements.preset.value;
    if (preset) parts.push("$" + preset + "$");
    for (const f of fields) {
      const v = form.elements[f].value.trim();
      if (v && valid.test(v)) parts.push(f + "=" + v);
    }
    return form.dataset.base + (parts.length ? "?" + parts.join("&") : "");
  }
  function update() {
    const url = build();
    out.value = location.origin + url;
    clearTimeout(timer);
    // Renditions load from where the asset is live (delivery, or preview
    // with the session); the URL to copy stays delivery's.
    const from = form.dataset.renderFrom; // "" (delivery) or "/preview"; absent: nothing renders
    if (!result || from === undefined) return;
    const src = from + url;
    timer = setTimeout(() => { if (result.getAttribute("src") !== src) { size.textContent = "Loading…"; result.src = src; } }, 250);
  }
  form.addEventListener("input", update);
  form.addEventListener("submit", (e) => { e.preventDefault(); update(); });
  const showSize = () => { size.textContent = result.naturalWidth ? `${result.naturalWidth} × ${result.naturalHeight} px` : ""; };
  if (result) {
    result.addEventListener("load", showSize);
    result.addEventListener("error", () => { size.textContent = "The server refused this URL."; });
    if (result.complete) showSize();
  }

  // Crop: drag a box on the image; its corners in the source's pixels.
  const stage = document.getElementById("stage");
  const img = document.getElementById("source");
  const box = document.getElementById("crop-box");
  if (!img) return; // nothing renders: nothing to crop on
  cropDrag(stage, img, box, () => Number(stage.dataset.width), (c) => {
    if (c.w < 2 || c.h < 2) { box.hidden = true; form.elements.crop.value = ""; } else { form.elements.crop.value = `${c.x},${c.y},${c.w},${c.h}`; }
    update();
  });
});
