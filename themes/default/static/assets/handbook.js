/* handbook default theme: meeting times in the reader's zone, clocks on people pages, what is
   overdue by the reader's day, what changed since their last visit, sortable and filterable tables,
   the sidebar.
   Progressive enhancement only: the server-rendered text stays as the fallback. */
(function () {
  "use strict";
  if (!document.querySelectorAll || !Date.prototype.toLocaleTimeString) { return; }
  var hm = { hour: "2-digit", minute: "2-digit" };
  // The site's root, from this script's own address (ROOT/assets/handbook.js): what the
  // browser remembers of visits is kept per site.
  var script = document.currentScript;
  var siteRoot = script && script.src ? script.src.replace(/assets\/handbook\.js(?:[?#].*)?$/, "") : "";
  function each(selector, fn) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) {
      try { fn(nodes[i]); } catch (e) { /* leave this element as it is */ }
    }
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  /** The reader's calendar day of `date`, as YYYY-MM-DD (the pages write dates so). */
  function dayOf(date) { return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()); }
  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.appendChild(document.createTextNode(text)); }
    return el;
  }
  var today = dayOf(new Date());

  // The build marked what was overdue on its day; the reader's day decides. An open action item
  // (<li data-due> in .action-items) is overdue once its day has passed.
  each(".action-items > li[data-due]", function (li) {
    var overdue = li.getAttribute("data-due") < today;
    li.className = overdue ? "overdue" : "open";
    var state = li.querySelector(".state");
    if (state) { state.textContent = overdue ? "Overdue" : "Open"; }
  });

  // The home page's "Needs attention": each group lists what is due (data-due before today, or
  // on it for a group marked data-from-the-day) or
  // needs attention any day (no data-due), at most data-attention items; its count is what the
  // build counted, less what is not due yet for the reader, plus what the page held back.
  each("[data-attention]", function (section) {
    var limit = +section.getAttribute("data-attention") || 5, any = false;
    var groups = section.querySelectorAll("[data-total]");
    for (var g = 0; g < groups.length; g++) {
      var group = groups[g], total = +group.getAttribute("data-total"), shown = 0;
      // A revisit date is met on its day; a due date the day after.
      var fromTheDay = group.hasAttribute("data-from-the-day");
      var items = group.querySelectorAll("li");
      for (var i = 0; i < items.length; i++) {
        var due = items[i].getAttribute("data-due");
        var now = !due || due < today || (fromTheDay && due === today);
        if (due) {
          total += (now ? 1 : 0) - (items[i].classList.contains("overdue") ? 1 : 0);
          items[i].classList.toggle("overdue", now);
        }
        items[i].hidden = !now || shown >= limit;
        if (!items[i].hidden) { shown++; }
      }
      group.setAttribute("data-total", total);
      var count = group.querySelector("[data-count]");
      if (count) { count.textContent = total; }
      group.hidden = shown === 0;
      any = any || shown > 0;
    }
    section.classList.toggle("is-empty", !any);
    var none = section.querySelector(".home-none");
    if (none) { none.hidden = any; }
  });

  // Visits: page views less than half an hour apart are one visit, and the last visit is when
  // the one before this one ended. Kept in localStorage, per site; none when it is unavailable.
  var lastVisit = null;
  try {
    var key = "handbook:visits:" + siteRoot, now = Date.now();
    var seen = JSON.parse(localStorage.getItem(key) || "{}") || {};
    var previous = typeof seen.seen === "number" && now - seen.seen > 30 * 60 * 1000 ? seen.seen : seen.previous;
    localStorage.setItem(key, JSON.stringify({ previous: previous, seen: now }));
    if (typeof previous === "number") { lastVisit = new Date(previous); }
  } catch (e) { /* storage disabled: every visit is a first one */ }

  // The home page's "Since your last visit": on a first visit it keeps the latest week, as
  // built; after that it lists the embedded changes from the day of the last visit on (a change
  // is dated by its day, so that day's are listed again rather than missed).
  each("[data-since]", function (section) {
    var data = section.querySelector("script[data-recent-changes]");
    if (!lastVisit || !data) { return; }
    var recent = JSON.parse(data.textContent);
    var day = dayOf(lastVisit), limit = +section.getAttribute("data-since") || 8;
    var changes = recent.changes.filter(function (c) { return c.d >= day; });
    var href = section.getAttribute("data-changes-href");
    var when = lastVisit.toLocaleDateString([], { weekday: "short", day: "numeric", month: "short" });
    var heading = section.querySelector("h2");
    heading.textContent = "Since your last visit";
    while (heading.nextSibling) { section.removeChild(heading.nextSibling); }
    section.classList.toggle("is-empty", !changes.length);
    if (!changes.length) {
      section.appendChild(element("p", "home-none", "Nothing new since your last visit (" + when + ")."));
    } else {
      section.appendChild(element("p", "since-note", changes.length + (changes.length === 1 ? " change" : " changes") + " since " + when));
      var list = section.appendChild(element("ul", "page-list changes"));
      changes.slice(0, limit).forEach(function (c) {
        var li = list.appendChild(element("li"));
        li.appendChild(element("span", "what", c.w));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(element("a", "", c.t)).href = siteRoot + c.h;
        if (c.s) {
          var status = element("span", "status status-" + c.s[0], c.s[1]);
          if (c.s[2]) { status.style.setProperty("--status-color", c.s[2]); }
          li.appendChild(document.createTextNode(" "));
          li.appendChild(status);
        }
        li.appendChild(document.createTextNode(" "));
        li.appendChild(element("time", "", c.d)).setAttribute("datetime", c.d);
      });
      var more = section.appendChild(element("p", "more"));
      more.appendChild(element("a", "", changes.length > limit ? "All " + changes.length + " changes" : "What's new")).href = href;
    }
    if (day < recent.from) {
      section.appendChild(element("p", "since-note", "Changes before " + recent.from + " are listed on What's new."));
    }
  });

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

  // <span data-zone-clock="Europe/Berlin">: fill in "(now 14:05)" and keep it current; with
  // data-clock="weekday" (a column of clocks), "Tue 14:05".
  var clocks = [];
  each("[data-zone-clock]", function (el) {
    var weekday = el.getAttribute("data-clock") === "weekday";
    var format = new Intl.DateTimeFormat([], { weekday: weekday ? "short" : undefined, hour: weekday ? "numeric" : "2-digit", minute: "2-digit", timeZone: el.getAttribute("data-zone-clock") });
    format.format(new Date()); // throws here, not later, for an unknown zone
    clocks.push({ el: el, format: format, bare: weekday });
  });
  function tick() {
    var now = new Date();
    for (var i = 0; i < clocks.length; i++) {
      var time = clocks[i].format.format(now);
      clocks[i].el.textContent = clocks[i].bare ? time : "(now " + time + ")";
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
