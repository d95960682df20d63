// Vitrine workspace: progressive enhancement only; every page works
// without it. Hand-written; served with a content hash.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Copy buttons: data-copy names the input whose value to copy.
  for (const b of document.querySelectorAll("button.copy[data-copy]")) {
    b.addEventListener("click", async () => {
      const input = document.getElementById(b.dataset.copy);
      try {
        await navigator.clipboard.writeText(input.value);
        b.textContent = "Copied";
      } catch {
        input.select();
      }
    });
  }
  // Menus close with Escape, focus back on their summary.
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    for (const d of document.querySelectorAll("details.menu[open]")) {
      d.open = false;
      d.querySelector("summary").focus();
    }
  });
  browseSelection();
  publishIcons();
});

// Browse: checkboxes select assets; shift-click selects the range from the
// last one clicked, ctrl- or cmd-click on a tile toggles it without opening
// it. The toolbar says how many are selected.
function browseSelection() {
  const boxes = [...document.querySelectorAll("input.pick")];
  if (!boxes.length) return;
  const count = document.getElementById("sel-count");
  let last = null;
  const update = () => {
    let n = 0;
    for (const b of boxes) {
      b.closest(".asset").classList.toggle("picked", b.checked);
      if (b.checked) n++;
    }
    count.textContent = n ? n + " selected:" : "Select assets, then:";
  };
  for (const b of boxes) {
    b.addEventListener("click", (e) => {
      if (e.shiftKey && last !== null) {
        const [i, j] = [boxes.indexOf(last), boxes.indexOf(b)].sort((x, y) => x - y);
        for (const o of boxes.slice(i, j + 1)) o.checked = b.checked;
      }
      last = b;
      update();
    });
  }
  for (const tile of document.querySelectorAll(".asset")) {
    tile.addEventListener("click", (e) => {
      if (!(e.ctrlKey || e.metaKey || e.shiftKey) || e.target.closest("input, button")) return;
      const b = tile.querySelector("input.pick");
      e.preventDefault();
      b.click();
    });
  }
  update();
}

// Publish icons post with fetch and swap in the icons the server answers,
// keeping focus; without script they are plain forms.
function publishIcons() {
  const live = document.getElementById("live");
  document.addEventListener("submit", async (e) => {
    const f = e.target;
    if (!f.matches("form.pubtoggle")) return;
    e.preventDefault();
    const box = f.closest(".pubs");
    const which = [...box.querySelectorAll("form")].indexOf(f);
    try {
      // f.action would be the input named "action", not the form's URL.
      const res = await fetch(f.getAttribute("action"), { method: "POST", body: new URLSearchParams(new FormData(f)), headers: { "X-Fragment": "pubs" } });
      const text = await res.text();
      if (!res.ok) {
        if (live) { live.className = "error"; live.textContent = text; }
        return;
      }
      box.outerHTML = text;
      const now = document.getElementById(box.id);
      now.querySelectorAll("button")[Math.max(which, 0)].focus();
      if (live) { live.className = "info"; live.textContent = now.querySelectorAll("button")[Math.max(which, 0)].getAttribute("aria-label").replace(/\. (Un)?[Pp]ublish$/, "."); }
    } catch {
      f.submit();
    }
  });
}

// cropDrag lets a pointer drag a rectangle on img, inside stage, drawn as
// box, and calls done with it in the source image's pixels ({x, y, w, h},
// sourceWidth() pixels wide) when the pointer is released. Detail's URL
// builder and the set editor's crop swatches share it.
function cropDrag(stage, img, box, sourceWidth, done) {
  let start = null;
  const at = (e) => {
    const r = img.getBoundingClientRect();
    return { x: Math.min(Math.max(e.clientX - r.left, 0), r.width), y: Math.min(Math.max(e.clientY - r.top, 0), r.height) };
  };
  const draw = (a, b) => {
    box.style.left = Math.min(a.x, b.x) + "px";
    box.style.top = Math.min(a.y, b.y) + "px";
    box.style.width = Math.abs(b.x - a.x) + "px";
    box.style.height = Math.abs(b.y - a.y) + "px";
  };
  stage.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    start = at(e);
    stage.setPointerCapture(e.pointerId);
    box.hidden = false;
    draw(start, start);
  });
  stage.addEventListener("pointermove", (e) => { if (start) draw(start, at(e)); });
  stage.addEventListener("pointerup", (e) => {
    if (!start) return;
    const end = at(e);
    const scale = (sourceWidth() || img.naturalWidth) / img.clientWidth;
    const rect = {
      x: Math.round(Math.min(start.x, end.x) * scale), y: Math.round(Math.min(start.y, end.y) * scale),
      w: Math.round(Math.abs(end.x - start.x) * scale), h: Math.round(Math.abs(end.y - start.y) * scale),
    };
    start = null;
    done(rect);
  });
}
