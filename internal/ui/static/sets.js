// Set editor: members reorder by drag and drop or with Move up and Move
// down, and are removed, in place; the form then posts them in their new
// order. Without this script every button is a form post that comes back
// with the same change (set_edit.go). The Viewer preview lays out the
// saved set's req=set answer from the preview server.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("set-form");
  if (form) setEditor(form);
  const box = document.getElementById("set-preview");
  if (box) setPreview(box);
  for (const img of document.querySelectorAll(".set-editor img")) retryImage(img);
});

// retryImage loads a thumbnail again when it failed: the image server
// answers 503 "busy, retry shortly" when its render queue is full.
function retryImage(img) {
  let tries = 0;
  const again = () => {
    if (++tries > 5) return;
    setTimeout(() => { const src = img.getAttribute("src"); img.removeAttribute("src"); img.setAttribute("src", src); }, 500 * tries);
  };
  img.addEventListener("error", again);
  if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) again();
}

function setEditor(form) {
  const live = document.getElementById("set-live");
  const say = (t) => { live.className = "live info"; live.textContent = t; };
  const cols = document.getElementById("columns");
  const grid = () => {
    const n = cols ? parseInt(cols.value, 10) : 0;
    return n > 0 && n <= 24 ? n : 0;
  };
  const list = () => document.getElementById("members");
  const posOf = (li) => li.querySelector(".pos").textContent;

  // renumber rewrites positions, button values and labels after a change.
  function renumber() {
    const ol = list();
    if (!ol) return;
    const g = grid();
    ol.className = "members" + (g ? " gridded cols-" + g : "");
    ol.dataset.grid = String(g);
    const items = [...ol.children];
    items.forEach((li, i) => {
      const pos = g ? `row ${Math.floor(i / g) + 1}, column ${(i % g) + 1}` : String(i + 1);
      li.querySelector(".pos").textContent = pos;
      const name = li.dataset.name;
      for (const [verb, label] of [["up", `Move ${name} up from ${pos}`], ["down", `Move ${name} down from ${pos}`], ["remove", `Remove ${name} at ${pos}`]]) {
        const b = li.querySelector("button." + verb);
        b.value = verb + "-" + i;
        b.setAttribute("aria-label", label);
      }
    });
    document.getElementById("member-count").textContent = String(items.length);
  }

  // Move up, Move down, Remove: in place, focus kept on the button.
  form.addEventListener("click", (e) => {
    const b = e.target.closest("button[name=op]");
    const m = b && /^(up|down|remove)-\d+$/.exec(b.value);
    if (!m) return;
    e.preventDefault();
    const li = b.closest("li.member");
    const ol = li.parentElement;
    if (m[1] === "remove") {
      const next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      renumber();
      say(`${li.dataset.name} removed. Save to keep the change.`);
      (next ? next.querySelector("button.remove") : document.getElementById("save")).focus();
      return;
    }
    if (m[1] === "up" && li.previousElementSibling) ol.insertBefore(li, li.previousElementSibling);
    if (m[1] === "down" && li.nextElementSibling) ol.insertBefore(li.nextElementSibling, li);
    renumber();
    b.focus();
    say(`${li.dataset.name} is now at ${posOf(li)}.`);
  });

  // Drag and drop: a member dropped on another takes its place.
  let dragged = null, pressed = null;
  for (const li of form.querySelectorAll("li.member")) li.draggable = true;
  form.addEventListener("pointerdown", (e) => { pressed = e.target; });
  const finish = () => {
    for (const o of form.querySelectorAll("li.member.over, li.member.dragging")) o.classList.remove("over", "dragging");
    dragged = null;
  };
  form.addEventListener("dragstart", (e) => {
    const li = e.target.closest && e.target.closest("li.member");
    if (!li) return;
    if (pressed && pressed.closest("input, select, button, textarea, .crop-draw")) { e.preventDefault(); return; }
    dragged = li;
    li.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", li.dataset.name);
  });
  form.addEventListener("dragover", (e) => {
    const li = dragged && e.target.closest("li.member");
    if (!li || li.parentElement !== dragged.parentElement) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    for (const o of form.querySelectorAll("li.member.over")) if (o !== li) o.classList.remove("over");
    li.classList.add("over");
  });
  form.addEventListener("drop", (e) => {
    const li = dragged && e.target.closest("li.member");
    if (!li || li.parentElement !== dragged.parentElement) return;
    e.preventDefault();
    const moved = dragged;
    if (li !== moved) {
      const items = [...li.parentElement.children];
      if (items.indexOf(moved) < items.indexOf(li)) li.after(moved); else li.before(moved);
    }
    finish();
    renumber();
    say(`${moved.dataset.name} is now at ${posOf(moved)}.`);
  });
  form.addEventListener("dragend", finish);

  if (cols) cols.addEventListener("input", renumber);

  // Swatch fields: only those of the chosen kind show.
  const showKind = (sel) => {
    const fs = sel.closest("fieldset");
    for (const [cls, kind] of [["f-color", "color"], ["f-crop", "crop"], ["f-image", "image"]]) {
      for (const l of fs.querySelectorAll("." + cls)) l.hidden = sel.value !== kind;
    }
  };
  for (const sel of form.querySelectorAll("select.sk")) {
    showKind(sel);
    sel.addEventListener("change", () => showKind(sel));
  }

  for (const d of form.querySelectorAll(".crop-draw")) cropDrawer(d);

  // Enter in the picker's search searches rather than saves.
  const pq = document.getElementById("pq");
  if (pq) pq.addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    document.getElementById("pick-search").click();
  });
}

// setPreview fetches the saved set's req=set answer (bare JSON) from the
// preview server with the session cookie and lays the members out in
// order: a spin set by rows, nested sets as groups.
async function setPreview(box) {
  const note = (t) => { const p = document.createElement("p"); p.className = "hint"; p.textContent = t; box.replaceChildren(p); };
  let data;
  try {
    const res = await fetch(box.dataset.src, { credentials: "same-origin" });
    if (res.status === 403) { note("The set is not on the preview server yet. It goes there when saved with Publish after save (with instant publish off, at the next publish job)."); return; }
    if (!res.ok) { note(`The preview server answered ${res.status}.`); return; }
    data = await res.json();
  } catch {
    note("The preview could not be loaded.");
    return;
  }
  const set = data && data.set;
  if (!set) { note("The preview server's answer is not a set."); return; }
  const items = many(set.item);
  const view = document.createElement("div");
  view.className = "viewer";
  view.id = "viewer";
  if (!items.length) { note("No member of the set is published yet."); return; }
  const rows = set.type === "spin" && items.every((it) => it.set) ? items.map((it) => many(it.set.item)) : [items];
  let n = 0;
  rows.forEach((row, r) => {
    const div = document.createElement("div");
    div.className = "vrow";
    div.setAttribute("role", "group");
    div.setAttribute("aria-label", rows.length > 1 ? `Row ${r + 1}` : "Members");
    for (const it of row) div.append(previewItem(it, ++n));
    view.append(div);
  });
  const cap = document.createElement("p");
  cap.className = "hint";
  cap.textContent = `${n} published member(s)` + (rows.length > 1 ? `, ${rows.length} rows of ${rows[0].length}` : "") + ".";
  box.replaceChildren(cap, view);
}

// many reads a req=set JSON list: one item is an object, several an array.
function many(x) {
  if (x === undefined || x === null) return [];
  return Array.isArray(x) ? x : [x];
}

function previewItem(it, n) {
  const fig = document.createElement("figure");
  const name = (it.i && it.i.n) || (it.v && it.v.n) || (it.set && it.set.n) || "";
  const thumb = (it.i && it.i.n) || (it.s && it.s.n) || "";
  const short = name.slice(name.indexOf("/") + 1);
  fig.dataset.name = short;
  if (it.set) fig.className = "group";
  if (thumb) {
    const img = document.createElement("img");
    const slash = thumb.indexOf("/");
    img.src = `/preview/is/image/${encodeURIComponent(thumb.slice(0, slash))}/${encodeURIComponent(thumb.slice(slash + 1))}?wid=192`;
    img.alt = short;
    retryImage(img);
    fig.append(img);
  }
  if (it.s && it.s.c) {
    const chip = document.createElement("span");
    chip.className = "chip";
    chip.style.backgroundColor = "#" + it.s.c.replace(/^0x/, "");
    chip.setAttribute("role", "img");
    chip.setAttribute("aria-label", "Swatch colour " + (it.s.l || it.s.c));
    fig.append(chip);
  }
  const cap = document.createElement("figcaption");
  cap.textContent = `${n}. ${short}` + (it.type && it.type !== "img" ? ` (${it.type})` : "");
  fig.append(cap);
  return fig;
}

// cropDrawer lets a crop swatch be drawn on the member's image: a box
// dragged on it fills the crop field in the image's pixels. The field
// stays the keyboard's way.
function cropDrawer(holder) {
  const field = holder.closest("fieldset").querySelector("input.crop");
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "secondary";
  toggle.textContent = "Draw the crop on the image";
  toggle.setAttribute("aria-expanded", "false");
  holder.append(toggle);
  let stage = null;
  toggle.addEventListener("click", () => {
    if (stage) {
      stage.remove();
      stage = null;
      toggle.setAttribute("aria-expanded", "false");
      return;
    }
    toggle.setAttribute("aria-expanded", "true");
    stage = document.createElement("div");
    stage.className = "stage";
    const img = document.createElement("img");
    img.src = holder.dataset.big;
    img.alt = "Drag on " + holder.dataset.name + " to choose the swatch";
    img.draggable = false;
    retryImage(img);
    const box = document.createElement("div");
    box.className = "crop-box";
    box.hidden = true;
    stage.append(img, box);
    holder.append(stage);
    cropDrag(stage, img, box, () => Number(holder.dataset.width), (c) => {
      if (c.w >= 1 && c.h >= 1) field.value = `${c.x},${c.y},${c.w},${c.h}`;
    });
  });
}
