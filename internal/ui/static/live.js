// Vitrine workspace, Browse: when the company's event stream says an
// asset's publish state changed elsewhere (a job, another user, the API),
// the icons of that asset on this page are drawn again by the server and
// swapped in, without reloading. Without script the page shows the state
// it loaded with.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const meta = document.querySelector('meta[name="vitrine-events"]');
  const assets = document.querySelector('meta[name="vitrine-assets"]');
  if (!meta || !assets || !window.EventSource) return;
  const es = new EventSource(meta.content);
  // data-live says whether the page is following the stream.
  es.addEventListener("open", () => { document.body.dataset.live = "on"; });
  es.addEventListener("error", () => { document.body.dataset.live = "off"; });
  let queue = Promise.resolve();
  es.addEventListener("asset", (e) => {
    let d;
    try { d = JSON.parse(e.data); } catch { return; }
    // One at a time, in the order the events came.
    queue = queue.then(async () => {
      for (const a of d.assets || []) {
        for (const tile of document.querySelectorAll('.asset[data-name="' + CSS.escape(a.name) + '"]')) {
          await redraw(tile, a.name, assets.content);
        }
      }
    });
  });
});

// redraw asks the server for an asset's icons and puts them in place of
// the ones shown, keeping focus on the same icon.
async function redraw(tile, name, base) {
  const box = tile.querySelector(".pubs");
  if (!box) return;
  const back = document.querySelector('#selection input[name="back"]');
  const q = new URLSearchParams({ slot: box.id.replace("pubs-", ""), back: back ? back.value : "" });
  try {
    const res = await fetch(base + encodeURIComponent(name) + "/pubs?" + q, { headers: { "X-Fragment": "pubs" } });
    if (!res.ok) return;
    const html = await res.text();
    const buttons = [...box.querySelectorAll("button")];
    const focused = buttons.indexOf(document.activeElement);
    const cur = document.getElementById(box.id);
    if (!cur) return;
    cur.outerHTML = html;
    if (focused >= 0) {
      const now = document.getElementById(box.id);
      if (now) now.querySelectorAll("button")[focused]?.focus();
    }
  } catch {
    // The page keeps what it shows; the next change or a reload fixes it.
  }
}
