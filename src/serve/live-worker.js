/* handbook serve: the one live-reload connection of a browser.

   A browser opens about six HTTP/1.1 connections per host, and a live-reload stream
   (/__handbook/events) keeps one busy for as long as it is open: with one stream per tab, the
   seventh tab never loaded, and six tabs left no connection for the pages' own requests (search
   shards, images). So live.js, in every tab of the preview, starts this shared worker (served
   as /__handbook/live-worker.js); the browser runs one instance per origin, whichever tab
   started it, and it holds the one stream and relays each event to every tab:

     worker → tab   {type: "hello" | "reload" | "failed", data: "<the event's JSON text>"}
                    {type: "unsupported"}      no EventSource in workers here: the tab
                                               finds another way
     tab → worker   {type: "bye"}              the tab is going (pagehide)

   A tab that joins while the stream is open is told at once what the stream said last: hello
   while the handbook builds (the tab then checks that its page is current), failed with the
   errors while it is broken. Each tab decides for itself whether its page changed. When the
   last tab has gone the stream is closed; the browser ends the worker soon after. */
"use strict";

var EVENTS = "/__handbook/events";
var TYPES = ["hello", "reload", "failed"];

// The tabs' ports, the stream while any tab is here, and what a tab joining now is told.
// (tests/e2e/tabs.e2e.mjs reads ports and source to count the browser's streams.)
var ports = [];
var source = null;
var current = null;

self.addEventListener("connect", function (event) {
  var port = event.ports[0];
  if (typeof EventSource === "undefined") {
    port.postMessage({ type: "unsupported" });
    return;
  }
  ports.push(port);
  port.onmessage = function (message) {
    if (message.data && message.data.type === "bye") { leave(port); }
  };
  // Where the browser says when a port's tab is gone (a tab that crashes sends no bye).
  port.addEventListener("close", function () { leave(port); });
  if (!source) {
    open();
  } else if (current) {
    port.postMessage(current);
  }
});

function leave(port) {
  var at = ports.indexOf(port);
  if (at < 0) { return; }
  ports.splice(at, 1);
  port.close();
  if (ports.length === 0 && source) {
    source.close();
    source = null;
    current = null;
  }
}

function open() {
  var opened = new EventSource(EVENTS);
  source = opened;
  TYPES.forEach(function (type) {
    opened.addEventListener(type, function (event) {
      var message = { type: type, data: event.data };
      // After a reload the handbook builds again: a tab joining then is greeted as on connecting.
      current = type === "reload" ? { type: "hello", data: "{}" } : message;
      send(message);
    });
  });
  // Disconnected (the server stopped): EventSource tries again by itself, and its next hello
  // makes every tab check its page. Until then a joining tab is told nothing. It gives up only
  // when an answer is not an event stream (as from another program on the port while serve
  // restarts): then the stream is opened again a few seconds later, while any tab is here.
  opened.addEventListener("error", function () {
    current = null;
    if (opened.readyState === EventSource.CLOSED) {
      setTimeout(function () {
        if (source === opened && ports.length > 0) { open(); }
      }, 5000);
    }
  });
}

function send(message) {
  for (var i = 0; i < ports.length; i++) {
    try { ports[i].postMessage(message); } catch (e) { /* that tab is gone */ }
  }
}
