/* handbook serve: live reload and build errors in the browser.

   `handbook serve` inserts this script before </body> of every HTML page it serves (never into
   a built site) as <script src="/__handbook/live.js" data-hash="...">, data-hash being the
   fingerprint of the page's bytes, which is also the page's ETag. The server's events, on
   /__handbook/events:

     hello   {}                                  on connecting, when the handbook builds
     reload  {"changed": [...], "all": false}    after a good rebuild: the output files (site
                                                 paths such as "decisions/0007-x/index.html")
                                                 whose bytes changed; all: every page may have
     failed  {"errors": [{file, line, column,    after a failed rebuild (and on connecting while
              message, text}]}                   the handbook is broken); the server keeps
                                                 serving the last good site

   One stream per browser, not per tab: a browser opens about six HTTP/1.1 connections per host,
   and a stream keeps one busy while it is open, so with a stream per tab the seventh tab never
   loaded and six left none for search. The first way the browser has carries the events:

     worker    a shared worker (/__handbook/live-worker.js) holds the one stream and relays its
               events to every tab;
     leader    else (Safari on iOS, Chrome on Android) one tab leads: it holds a Web Lock and the
               stream, and relays the events over a BroadcastChannel. The tab the reader looks
               at takes the lead (mobile browsers freeze the others); when the leader closes,
               the lock passes to a waiting tab, which opens the stream;
     tab       else this tab holds a stream of its own.

   A page reloads only when its own file changed, and keeps the reader's place: the scroll
   position is saved in sessionStorage for this path and restored once the new page has loaded.
   Build errors are shown over the page without reloading it. After every hello (on connecting,
   and on reconnecting, as when serve was stopped and started again) and whenever the tab is
   shown again, the page asks for its own address with HEAD and compares the ETag with its
   data-hash: a page that changed while it could not be told reloads, and only that one.

   Each message handled here is then dispatched on window as a "handbook:live" event, detail
   {type, data, via} (via: "worker", "leader", "follower" or "tab"), for tests, and for a theme
   that wants to show the connection. */
(function () {
  "use strict";
  if (!window.EventSource || !window.JSON || window.__handbookLive) { return; }
  window.__handbookLive = true;

  var script = document.currentScript; // read now: it is null once this script has run
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
    // The server's stand-in page, before any build succeeded, has no good build to show.
    var built = !(document.body && document.body.hasAttribute("data-handbook-not-built"));
    panel.appendChild(element("p", { id: OVERLAY_ID + "-note" },
      (built ? "This page shows the last good build." : "The handbook has not built yet.") +
      " Fix the file and save: the page updates by itself."));
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

  // ---- Is this page current? ----

  var EVENTS = "/__handbook/events";
  var TYPES = ["hello", "reload", "failed"];
  var hash = (script && script.getAttribute("data-hash")) || "";
  var reloading = false;

  function reloadHere() {
    if (reloading) { return; }
    reloading = true;
    saveScroll();
    stop();
    location.reload();
  }

  // The server answers for this address now with the ETag of the page it would send.
  function checkCurrent() {
    if (!hash || !window.fetch || reloading) { return; }
    fetch(location.pathname + location.search, { method: "HEAD", cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        var etag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
        if (etag && etag !== hash) { reloadHere(); }
      }, function () { /* the server is gone again: its next hello asks again */ });
  }

  // ---- The server's events, whichever way they came ----

  function parse(text) {
    try { return JSON.parse(text) || {}; } catch (e) { return {}; }
  }

  function handle(type, text, via) {
    var message = parse(text);
    if (type === "hello") {
      hideErrors(); // (re)connected and the handbook builds
      checkCurrent();
    } else if (type === "reload") {
      hideErrors();
      var changed = message.changed instanceof Array ? message.changed : [];
      if (message.all === true || changedHere(changed)) { reloadHere(); }
    } else if (type === "failed") {
      showErrors(message.errors instanceof Array ? message.errors : []);
    } else {
      return;
    }
    try {
      window.dispatchEvent(new CustomEvent("handbook:live", { detail: { type: type, data: message, via: via } }));
    } catch (e) { /* no CustomEvent: nobody to tell */ }
  }

  // A stream of the server's events, each given to onEvent(type, text), and onError() when it
  // breaks. EventSource reconnects by itself, except when an answer is not an event stream (as
  // from another program on the port while serve restarts): then it is opened again a few
  // seconds later, so that a page left open never stops listening. Returns what closes it.
  function listen(onEvent, onError) {
    var source = null;
    var timer = null;
    var closed = false;
    function open() {
      var opened = new EventSource(EVENTS);
      source = opened;
      TYPES.forEach(function (type) {
        opened.addEventListener(type, function (event) { onEvent(type, event.data); });
      });
      opened.addEventListener("error", function () {
        if (onError) { onError(); }
        if (opened.readyState === 2 && !closed) { timer = setTimeout(open, 5000); } // 2: CLOSED, given up
      });
    }
    open();
    return {
      close: function () {
        closed = true;
        clearTimeout(timer);
        source.close();
      }
    };
  }

  // Set by the way in use: what ends this tab's part in the connection (before it reloads or
  // goes), and what it does when the reader comes back to it (a page frozen in the background
  // may have missed events).
  var stop = function () {};
  var shown = checkCurrent;

  function connect() {
    shown = checkCurrent;
    if (window.SharedWorker && viaWorker()) { return; }
    withoutWorker();
  }

  function withoutWorker() {
    if (navigator.locks && navigator.locks.request && window.BroadcastChannel) {
      viaLeader();
    } else {
      viaTab();
    }
  }

  // ---- 1. A shared worker holds the browser's one stream ----

  function viaWorker() {
    var worker;
    try {
      // The name says which messages the worker speaks: a tab of a newer serve must not join
      // an older worker that tabs opened before the upgrade still hold.
      worker = new SharedWorker("/__handbook/live-worker.js", { name: "handbook-live-1" });
    } catch (e) {
      return false; // refused (e.g. by privacy settings)
    }
    var port = worker.port;
    var heard = false;
    var stopped = false;
    function leave() {
      if (stopped) { return; }
      stopped = true;
      try { port.postMessage({ type: "bye" }); port.close(); } catch (e) { /* already gone */ }
    }
    // The worker could not start, or has no EventSource: another way, if nothing came yet.
    function abandon() {
      if (heard || stopped) { return; }
      leave();
      withoutWorker();
    }
    worker.addEventListener("error", abandon);
    port.onmessage = function (event) {
      var message = event.data || {};
      if (message.type === "unsupported") { abandon(); return; }
      if (stopped) { return; }
      heard = true;
      handle(message.type, message.data, "worker");
    };
    stop = leave;
    return true;
  }

  // ---- 2. A leader tab holds it and relays it over a BroadcastChannel ----

  // Browsers without shared workers are mobile ones, which show one tab at a time and freeze
  // the others (a frozen leader would relay nothing): so the tab the reader looks at leads. It
  // takes the lock (steal) when it opens or is shown; the tab it took it from closes its stream
  // and waits in the lock's queue, so that when the leader closes, the next tab leads.
  function viaLeader() {
    var NAME = "handbook-live";
    var id = String(Math.random()).slice(2);
    var channel = new BroadcastChannel(NAME);
    var source = null;   // while this tab leads
    var current = null;  // what the stream said last, for a tab that asks
    var release = null;  // ends this tab's hold on the lock
    var waiting = null;  // cancels this tab's place in the lock's queue
    var taking = false;  // a steal is under way (a second would take the lock from the first)
    var stopped = false;

    channel.onmessage = function (event) {
      var message = event.data || {};
      if (message.type === "ask") {
        if (source && current) { channel.postMessage({ type: current.type, data: current.data, to: message.from }); }
        return;
      }
      // A leader hears its own stream; an answer to another tab's question is not for this one.
      if (source || stopped || (message.to && message.to !== id)) { return; }
      handle(message.type, message.data, "follower");
    };

    function leadWhileHeld() {
      if (source || stopped) { return null; } // nothing to do: let the lock go
      source = listen(function (type, text) {
        current = type === "reload" ? { type: "hello", data: "{}" } : { type: type, data: text };
        channel.postMessage({ type: type, data: text }); // first: handling may reload this tab
        handle(type, text, "leader");
      }, function () { current = null; });
      return new Promise(function (resolve) { release = resolve; });
    }

    // The lock was taken from this tab, or could not be had at all. A place in the queue that
    // this tab gave up itself (to take over, or to go) changes nothing: by the time that is
    // said, the tab may lead already.
    function lost(error, cancelled) {
      if (cancelled) { return; }
      var led = !!source;
      if (source) { source.close(); }
      source = null;
      current = null;
      release = null;
      if (stopped) { return; }
      if (led) {
        follow();
      } else if (!error || error.name !== "AbortError") {
        stopped = true; // locks refused (e.g. by privacy settings)
        channel.close();
        viaTab();
      }
    }

    // Waits in the lock's queue, to lead when the tabs before it have gone.
    function follow() {
      var controller = window.AbortController ? new AbortController() : null;
      var options = controller ? { signal: controller.signal } : {};
      waiting = controller;
      navigator.locks.request(NAME, options, leadWhileHeld).catch(function (error) {
        lost(error, !!controller && controller.signal.aborted);
      });
    }

    function takeOver() {
      if (source || stopped || taking) { return; }
      taking = true;
      if (waiting) { waiting.abort(); waiting = null; }
      navigator.locks.request(NAME, { steal: true }, function () {
        taking = false;
        return leadWhileHeld();
      }).catch(function (error) {
        taking = false;
        lost(error, false);
      });
    }

    shown = takeOver; // its stream's hello makes the tab check that its page is current
    stop = function () {
      if (stopped) { return; }
      stopped = true;
      if (source) { source.close(); }
      source = null;
      if (release) { release(); }
      if (waiting) { waiting.abort(); }
      channel.close();
    };
    if (document.visibilityState === "hidden") {
      follow();
      channel.postMessage({ type: "ask", from: id }); // what the leader's stream said last
    } else {
      takeOver();
    }
  }

  // ---- 3. This tab holds a stream of its own ----

  function viaTab() {
    var source = listen(function (type, text) { handle(type, text, "tab"); });
    stop = function () { source.close(); };
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !reloading) { shown(); }
  });
  window.addEventListener("pagehide", function () { stop(); });
  // Back from the back/forward cache: its connection was ended on the way in.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && !reloading) { connect(); }
  });

  connect();
  restoreScroll();
})();
