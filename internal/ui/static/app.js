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
