/* handbook default theme: meeting times in the reader's zone, clocks on people pages, the sidebar.
   Progressive enhancement only: the server-rendered text stays as the fallback. */
(function () {
  "use strict";
  if (!document.querySelectorAll || !Date.prototype.toLocaleTimeString) { return; }
  var hm = { hour: "2-digit", minute: "2-digit" };
  function each(selector, fn) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) {
      try { fn(nodes[i]); } catch (e) { /* leave this element as it is */ }
    }
  }

  // <time data-local-time datetime="2026-11-18T15:00:00+01:00">: add " (16:00 your time)".
  each("time[data-local-time]", function (el) {
    var m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?(?:\.\d+)?(Z|([+-])(\d\d):?(\d\d))$/i
      .exec(el.getAttribute("datetime") || "");
    if (!m) { return; } // no offset given: we cannot tell which instant is meant
    var given = m[7].toUpperCase() === "Z" ? 0 : (m[8] === "-" ? -1 : 1) * (60 * +m[9] + +m[10]);
    var date = new Date(Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0)) - given * 60000);
    if (isNaN(date.getTime()) || -date.getTimezoneOffset() === given) { return; }
    var text = date.toLocaleTimeString([], hm);
    if (date.getDate() !== +m[3]) { // another calendar day for the reader
      text = date.toLocaleDateString([], { weekday: "short" }) + " " + text;
    }
    var note = document.createElement("span");
    note.className = "local-time";
    note.appendChild(document.createTextNode(" (" + text + " your time)"));
    el.parentNode.insertBefore(note, el.nextSibling);
  });

  // <span data-zone-clock="Europe/Berlin">: fill in "(now 14:05)" and keep it current.
  var clocks = [];
  each("[data-zone-clock]", function (el) {
    var format = new Intl.DateTimeFormat([], { hour: "2-digit", minute: "2-digit", timeZone: el.getAttribute("data-zone-clock") });
    format.format(new Date()); // throws here, not later, for an unknown zone
    clocks.push({ el: el, format: format });
  });
  function tick() {
    var now = new Date();
    for (var i = 0; i < clocks.length; i++) {
      clocks[i].el.textContent = "(now " + clocks[i].format.format(now) + ")";
    }
  }
  if (clocks.length) { tick(); setInterval(tick, 30000); }

  // <table data-sortable>: headers with data-sort become buttons that sort the rows.
  each("table[data-sortable]", function (table) {
    var headers = table.querySelectorAll("th");
    for (var i = 0; i < headers.length; i++) {
      if (!headers[i].hasAttribute("data-sort")) { continue; }
      (function (th, column) {
        var button = document.createElement("button");
        button.type = "button";
        while (th.firstChild) { button.appendChild(th.firstChild); }
        th.appendChild(button);
        button.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          for (var j = 0; j < headers.length; j++) { headers[j].removeAttribute("aria-sort"); }
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          var numeric = th.getAttribute("data-sort") === "number";
          rows.sort(function (a, b) {
            var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
            var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
            return ascending ? order : -order;
          });
          for (var k = 0; k < rows.length; k++) { body.appendChild(rows[k]); }
        });
      })(headers[i], i);
    }
  });

  // <input data-filter-table="selector">: hide rows that do not contain every typed word.
  each("input[data-filter-table]", function (input) {
    var table = document.querySelector(input.getAttribute("data-filter-table"));
    var count = input.parentNode.querySelector(".filter-count");
    if (!table) { return; }
    input.parentNode.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var rows = table.tBodies[0].rows, shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var text = (rows[i].textContent + " " + (rows[i].getAttribute("data-tags") || "")).toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        rows[i].hidden = !match;
        if (match) { shown++; }
      }
      if (count) { count.textContent = words.length ? shown + " of " + rows.length + " shown" : ""; }
    });
  });

  // The sidebar is a <details>, so that phones open it as a menu without JavaScript. Beside the
  // page on wide screens, where the stylesheet shows it anyway, it is marked open for assistive
  // technology; it closes back into a menu when the window narrows.
  var menu = document.querySelector(".site-menu");
  if (menu && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 60rem)");
    var fit = function () { menu.open = wide.matches; };
    fit();
    if (wide.addEventListener) { wide.addEventListener("change", fit); }
  }

  // The search box: the engine (assets/search.js) is loaded only once the box is used, and `/`
  // or Ctrl+K jump to it from anywhere.
  var box = document.getElementById("site-search-input");
  if (box) {
    var loaded = false;
    var loadEngine = function () {
      if (loaded || document.querySelector("script[data-search-engine]")) { return; }
      loaded = true;
      var script = document.createElement("script");
      script.src = (box.getAttribute("data-search-root") || "") + "assets/search.js";
      script.setAttribute("data-search-engine", "");
      document.head.appendChild(script);
    };
    box.addEventListener("focus", loadEngine);
    box.addEventListener("input", loadEngine);
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
      if ((event.key === "/" && !typing) || (event.key === "k" && (event.ctrlKey || event.metaKey))) {
        event.preventDefault();
        box.focus();
        loadEngine();
      }
    });
  }
})();
