// The one script tipsheets serve puts into the pages it serves (never into the files a build writes).
// It listens to the server's event stream and reloads the page when its content changed, keeping its
// scroll position (and that of the web version framed in a preview page); over a page that the last
// save left as it was, it shows that save's errors. In the gallery it adds a link to each handout's
// preview page. It builds every element with textContent: no markup from the server is parsed.
(() => {
  "use strict";
  const script = document.currentScript;
  const config = JSON.parse(script.dataset.tipsheets);
  const scrollKey = (path) => "tipsheets-scroll:" + path;

  function restoreScroll() {
    const key = scrollKey(location.pathname);
    const saved = sessionStorage.getItem(key);
    if (saved === null) return;
    sessionStorage.removeItem(key);
    const [x, y] = JSON.parse(saved);
    window.scrollTo(x, y);
  }
  if (document.readyState === "complete") restoreScroll();
  else window.addEventListener("load", restoreScroll);

  if (window.top !== window) return;  // a preview page's frame: the preview page reloads it

  function saveScroll() {
    sessionStorage.setItem(scrollKey(location.pathname), JSON.stringify([window.scrollX, window.scrollY]));
    for (const frame of document.querySelectorAll("iframe")) {
      try {
        const inner = frame.contentWindow;
        sessionStorage.setItem(scrollKey(inner.location.pathname), JSON.stringify([inner.scrollX, inner.scrollY]));
      } catch (error) {
        // a frame that is not this server's keeps its own position
      }
    }
  }

  let banner = null;
  function showErrors(errors) {
    if (config.preview) return;  // a preview page shows them itself
    if (!errors.length) {
      if (banner) banner.remove();
      banner = null;
      return;
    }
    if (!banner) {
      banner = document.createElement("aside");
      banner.setAttribute("role", "alert");
      banner.id = "tipsheets-serve-errors";
      Object.assign(banner.style, {
        position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "2147483647", maxHeight: "40vh",
        overflow: "auto", margin: "0", padding: "0.75rem 1rem", background: "#fde8e8", color: "#5f1111",
        borderTop: "3px solid #9b1c1c", font: "14px/1.4 system-ui, sans-serif", whiteSpace: "pre-wrap",
      });
      document.body.appendChild(banner);
    }
    banner.textContent = "";
    const heading = document.createElement("strong");
    heading.textContent = "The last save has errors; this page is the last good version.";
    banner.appendChild(heading);
    for (const line of errors) {
      const item = document.createElement("div");
      item.style.fontFamily = "ui-monospace, monospace";
      item.textContent = line;
      banner.appendChild(item);
    }
  }

  function addPreviewLinks() {
    const stems = new Set(config.previews || []);
    const done = new Set();
    for (const link of document.querySelectorAll("a[href]")) {
      const url = new URL(link.getAttribute("href"), location.href);
      if (url.origin !== location.origin || !url.pathname.endsWith(".html")) continue;
      const stem = decodeURIComponent(url.pathname.slice(1, -".html".length));
      if (!stems.has(stem) || done.has(stem)) continue;
      done.add(stem);
      const preview = document.createElement("a");
      preview.href = config.prefix + "/preview/" + stem.split("/").map(encodeURIComponent).join("/");
      preview.textContent = "Preview";
      preview.className = "tipsheets-preview-link";
      link.after(" ", preview);
    }
  }

  const query = new URLSearchParams({ page: location.pathname, since: String(config.generation),
                                      session: config.session });
  const events = new EventSource(config.prefix + "/events?" + query);
  events.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.reload) {
      events.close();
      saveScroll();
      location.reload();
      return;
    }
    if (document.body) showErrors(message.errors || []);
  };

  if (config.previews) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addPreviewLinks);
    else addPreviewLinks();
  }
})();
