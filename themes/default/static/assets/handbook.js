/* handbook default theme: meeting times in the reader's zone, clocks on people pages.
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
})();
