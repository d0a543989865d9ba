/* handbook serve: live reload and build errors in the browser.

   `handbook serve` inserts this script before </body> of every HTML page it serves (never into
   a built site) and serves it as /__handbook/live.js. It listens to /__handbook/events:

     hello   {}                                  on connecting, when the handbook builds
     reload  {"changed": [...], "all": false}    after a good rebuild: the output files (site
                                                 paths such as "decisions/0007-x/index.html")
                                                 whose bytes changed; all: every page may have
     failed  {"errors": [{file, line, column,    after a failed rebuild (and on connecting while
              message, text}]}                   the handbook is broken); the server keeps
                                                 serving the last good site

   A page reloads only when its own file changed, and keeps the reader's place: the scroll
   position is saved in sessionStorage for this path and restored once the new page has loaded.
   Build errors are shown over the page without reloading it. EventSource reconnects by itself
   when the server restarts. */
(function () {
  "use strict";
  if (!window.EventSource || !window.JSON || window.__handbookLive) { return; }
  window.__handbookLive = true;

  var OVERLAY_ID = "handbook-error-overlay";
  var files = pageFiles(location.pathname);
  var scrollKey = "handbook-serve-scroll:" + files[0];

  // ---- Which output file is this page? ----

  // "/" is index.html, "/a/b/" is a/b/index.html, "/a/b.html" is a/b.html; "/a/b", with no
  // extension, may be the file a/b or the folder page a/b/index.html.
  function pageFiles(pathname) {
    var path = pathname;
    try { path = decodeURIComponent(pathname); } catch (e) { /* a stray "%": keep it as it is */ }
    path = path.replace(/^\/+/, "");
    if (path === "" || path.charAt(path.length - 1) === "/") { return [path + "index.html"]; }
    if (/\.[^\/]*$/.test(path)) { return [path]; }
    return [path, path + "/index.html"];
  }

  function changedHere(changed) {
    for (var i = 0; i < files.length; i++) {
      for (var j = 0; j < changed.length; j++) {
        if (changed[j] === files[i]) { return true; }
      }
    }
    return false;
  }

  // ---- Keeping the scroll position across a reload ----

  // sessionStorage may be missing or refuse access (privacy settings): then just reload.
  function storage() {
    try { return window.sessionStorage || null; } catch (e) { return null; }
  }

  function saveScroll() {
    var store = storage();
    try {
      if (store) { store.setItem(scrollKey, JSON.stringify({ x: window.scrollX, y: window.scrollY })); }
    } catch (e) { /* full or refused: the page reloads at the top */ }
  }

  function restoreScroll() {
    var store = storage();
    var saved = null;
    try {
      if (store) {
        saved = JSON.parse(store.getItem(scrollKey));
        store.removeItem(scrollKey);
      }
    } catch (e) { saved = null; }
    if (!saved || typeof saved.y !== "number") { return; }

    // Once the reader scrolls or types, their position wins over the saved one.
    var touched = false;
    function touch() { touched = true; }
    var events = ["wheel", "touchstart", "keydown", "mousedown"];
    for (var i = 0; i < events.length; i++) {
      window.addEventListener(events[i], touch, { passive: true, once: true });
    }
    function apply() {
      if (!touched) { window.scrollTo(saved.x || 0, saved.y); }
    }
    // After layout, and once more a moment later: late fonts and images can move things.
    function afterLoad() {
      apply();
      setTimeout(apply, 250);
    }
    if (document.readyState === "complete") {
      afterLoad();
    } else {
      window.addEventListener("load", afterLoad, { once: true });
    }
  }

  // ---- The error overlay ----

  var overlay = null;
  var previousFocus = null;

  // Every rule is scoped under the overlay's id, so the theme's styles and ours never meet;
  // the properties a theme commonly sets on pre, h2, ol, p and button are set here explicitly.
  var CSS = [
    "#" + OVERLAY_ID + "{position:fixed;top:0;right:0;bottom:0;left:0;z-index:2147483647;display:flex;align-items:flex-start;justify-content:center;",
    "padding:4vh 1rem;overflow:auto;background:rgba(15,18,24,.55);box-sizing:border-box;",
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;",
    "--hb-bg:#fff;--hb-fg:#1c2027;--hb-muted:#545b67;--hb-red:#9b1c14;--hb-soft:#f5f6f8;--hb-border:#d5d9e0;--hb-focus:#0a56a8}",
    "@media (prefers-color-scheme:dark){#" + OVERLAY_ID + "{background:rgba(0,0,0,.65);",
    "--hb-bg:#1d2129;--hb-fg:#e4e7ec;--hb-muted:#a6adb9;--hb-red:#ffaaa3;--hb-soft:#15181e;--hb-border:#363c48;--hb-focus:#8fc0ff}}",
    "#" + OVERLAY_ID + " *{box-sizing:border-box}",
    "#" + OVERLAY_ID + " .hb-panel{width:100%;max-width:56rem;margin:0;padding:1.25rem 1.5rem;background:var(--hb-bg);color:var(--hb-fg);",
    "border:1px solid var(--hb-border);border-top:4px solid var(--hb-red);border-radius:6px;box-shadow:0 10px 40px rgba(0,0,0,.35);text-align:left}",
    "#" + OVERLAY_ID + " .hb-head{display:flex;align-items:flex-start;justify-content:space-between;gap:1rem}",
    "#" + OVERLAY_ID + " h2{margin:0;padding:0;border:0;font-family:inherit;font-size:1.2em;font-weight:700;line-height:1.3;color:var(--hb-red)}",
    "#" + OVERLAY_ID + " p{margin:.4rem 0 0;color:var(--hb-muted);font-size:.93em}",
    "#" + OVERLAY_ID + " button{flex:none;margin:0;padding:.2rem .65rem;font:inherit;font-size:1.3em;line-height:1.2;cursor:pointer;",
    "color:var(--hb-fg);background:var(--hb-soft);border:1px solid var(--hb-border);border-radius:6px}",
    "#" + OVERLAY_ID + " button:focus-visible,#" + OVERLAY_ID + " pre:focus-visible{outline:3px solid var(--hb-focus);outline-offset:2px}",
    "#" + OVERLAY_ID + " ol{margin:1rem 0 0;padding:0;list-style:none}",
    "#" + OVERLAY_ID + " li{margin:0 0 1rem;padding:0}",
    "#" + OVERLAY_ID + " .hb-where{display:block;font:600 .93em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;",
    "color:var(--hb-fg);overflow-wrap:anywhere}",
    "#" + OVERLAY_ID + " .hb-message{display:block;margin-top:.15rem;color:var(--hb-fg)}",
    "#" + OVERLAY_ID + " pre{margin:.5rem 0 0;padding:.75rem 1rem;max-height:50vh;overflow:auto;white-space:pre;",
    "font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;",
    "color:var(--hb-fg);background:var(--hb-soft);border:1px solid var(--hb-border);border-radius:6px;tab-size:4}"
  ].join("");

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    for (var name in attributes) {
      if (Object.prototype.hasOwnProperty.call(attributes, name)) { node.setAttribute(name, attributes[name]); }
    }
    if (text) { node.appendChild(document.createTextNode(text)); } // text, never markup
    return node;
  }

  function addStyle() {
    if (document.getElementById(OVERLAY_ID + "-style")) { return; }
    var style = element("style", { id: OVERLAY_ID + "-style" }, CSS);
    (document.head || document.documentElement).appendChild(style);
  }

  // "content/decisions/0007-x.md:3:1", or as much of it as is known.
  function where(error) {
    var text = error.file || "";
    if (text && error.line != null) {
      text += ":" + error.line;
      if (error.column != null) { text += ":" + error.column; }
    }
    return text;
  }

  function errorItem(error) {
    var item = element("li", {});
    var place = where(error);
    if (place) { item.appendChild(element("code", { "class": "hb-where" }, place)); }
    item.appendChild(element("span", { "class": "hb-message" }, error.message || "error"));
    if (error.text) { item.appendChild(element("pre", { tabindex: "0" }, error.text)); }
    return item;
  }

  function showErrors(errors) {
    var wasOpen = !!overlay;
    if (!wasOpen) { previousFocus = document.activeElement; }
    removeOverlay();
    addStyle();
    var count = errors.length;
    overlay = element("div", {
      id: OVERLAY_ID,
      role: "alertdialog",
      "aria-modal": "true",
      "aria-labelledby": OVERLAY_ID + "-title",
      "aria-describedby": OVERLAY_ID + "-note"
    });
    var panel = element("div", { "class": "hb-panel" });
    var head = element("div", { "class": "hb-head" });
    head.appendChild(element("h2", { id: OVERLAY_ID + "-title" },
      "Build failed: " + count + (count === 1 ? " error" : " errors")));
    var close = element("button", { type: "button", "aria-label": "Close", title: "Close (Esc)" }, "\u00d7");
    close.addEventListener("click", hideErrors);
    head.appendChild(close);
    panel.appendChild(head);
    panel.appendChild(element("p", { id: OVERLAY_ID + "-note" },
      "This page shows the last good build. Fix the file and save: the page updates by itself."));
    var list = element("ol", {});
    for (var i = 0; i < count; i++) { list.appendChild(errorItem(errors[i] || {})); }
    panel.appendChild(list);
    overlay.appendChild(panel);
    // A click on the dimmed backdrop, outside the panel, closes it too.
    overlay.addEventListener("click", function (event) {
      if (event.target === overlay) { hideErrors(); }
    });
    (document.body || document.documentElement).appendChild(overlay);
    close.focus();
  }

  function removeOverlay() {
    if (overlay && overlay.parentNode) { overlay.parentNode.removeChild(overlay); }
    overlay = null;
  }

  function hideErrors() {
    if (!overlay) { return; }
    removeOverlay();
    if (previousFocus && previousFocus.focus && document.contains(previousFocus)) { previousFocus.focus(); }
    previousFocus = null;
  }

  // Escape closes the overlay; Tab stays inside it while it is open (it is modal).
  document.addEventListener("keydown", function (event) {
    if (!overlay) { return; }
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      event.stopPropagation();
      hideErrors();
      return;
    }
    if (event.key !== "Tab") { return; }
    var stops = overlay.querySelectorAll("button, [tabindex='0']");
    if (!stops.length) { return; }
    var first = stops[0];
    var last = stops[stops.length - 1];
    var inside = overlay.contains(document.activeElement);
    if (event.shiftKey && (!inside || document.activeElement === first)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (!inside || document.activeElement === last)) {
      event.preventDefault();
      first.focus();
    }
  }, true);

  // ---- The server's events ----

  function data(event) {
    try { return JSON.parse(event.data) || {}; } catch (e) { return {}; }
  }

  var source = new EventSource("/__handbook/events");

  source.addEventListener("hello", function () {
    hideErrors(); // (re)connected and the handbook builds
  });

  source.addEventListener("reload", function (event) {
    var message = data(event);
    hideErrors();
    var changed = message.changed instanceof Array ? message.changed : [];
    if (message.all === true || changedHere(changed)) {
      saveScroll();
      source.close();
      location.reload();
    }
  });

  source.addEventListener("failed", function (event) {
    var errors = data(event).errors;
    showErrors(errors instanceof Array ? errors : []);
  });

  restoreScroll();
})();
