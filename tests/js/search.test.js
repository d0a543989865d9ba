// The search engine of themes/default/static/assets/search.js, over a small hand-made index.
// Run with `node --test tests/js/`.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const search = require(path.join(__dirname, "../../themes/default/static/assets/search.js"));
const { tokenize, stem, createEngine, parseQuery, excerpt } = search;

// ---- A tiny index, as the Rust side writes it (docs newest first, chunks of 2). ----

const DOCS = [
  { t: "Written async standups in a thread", u: "decisions/0006-written-async-standups/index.html", k: "decision", s: "accepted", sl: "Accepted", d: "2026-03-01", g: ["async", "rituals"],
    x: "Context Every morning we post a written update in the standup thread. Async standups replace the daily meeting for everyone.", h: [["context", "Context"], ["decision", "Decision"]] },
  { t: "Weekly sync: standup review", u: "meetings/2026-02-10-weekly-sync/index.html", k: "meeting", s: null, sl: null, d: "2026-02-10", g: ["meetings", "async"],
    x: "Notes We looked at <script>alert('x')</script> & the standups from last month. Review: async works.", h: [["notes", "Notes"]] },
  { t: "Record decisions in decision records", u: "decisions/0001-record-decisions/index.html", k: "decision", s: "accepted", sl: "Accepted", d: "2025-06-01", g: ["process", "security"],
    x: "We make decisions in many places. Six months later nobody remembers why.", h: [] },
  { t: "Daily standup on a video call", u: "decisions/0002-daily-standup/index.html", k: "decision", s: "superseded", sl: "Superseded", d: "2025-05-01", g: ["rituals"],
    x: "Every day at 09:00 UTC we meet on a video call for fifteen minutes.", h: [] },
  { t: "Security reviews", u: "protocols/security-reviews/index.html", k: "protocol", s: null, sl: null, d: "2025-04-01", g: ["security"],
    x: "Every protocol gets a security review. See the standard checklist.", h: [["checklist", "Checklist"]] },
  { t: "Rotate the call time", u: "decisions/0004-rotate-call-time/index.html", k: "decision", s: "rejected", sl: "Rejected", d: "2025-03-01", g: ["security"],
    x: "We considered rotating the call time across zones.", h: [] },
];

// term → [df, doc, impact, heading, ...], best first; keyed by shard file id.
const SHARDS = {
  asy: { async: [2, 0, 200, 1, 1, 50, -1] },
  stan: { standup: [3, 0, 180, 1, 3, 150, -1, 1, 90, -1], standard: [1, 4, 60, 0] },
  thr: { thread: [1, 0, 120, 0] },
  dec: { decis: [1, 2, 220, -1] },
  rec: { record: [1, 2, 150, -1] },
  cal: { call: [2, 3, 140, -1, 5, 100, -1] },
  sec: { security: [1, 4, 200, 0] },
  rev: { review: [2, 4, 90, -1, 1, 80, 0] },
  rot: { rotat: [1, 5, 100, -1] },
  wri: { written: [1, 0, 100, -1] },
  vid: { video: [1, 3, 100, -1] },
  mor: { morn: [1, 0, 40, 0] },
  xc3a97175: { "équipe": [1, 2, 10, -1] },
};

const META = {
  v: 1, docs: DOCS.length, chunk: 2,
  // "sta" was split by one more letter, so "standup" lives in the "stan" shard.
  // A list of keys; the file of a non-ASCII key is "x" and its UTF-8 bytes in hex.
  shards: ["asy", "stan", "thr", "dec", "rec", "cal", "sec", "rev", "rot", "wri", "vid", "mor", "équ"],
  stop: search.STOP_WORDS,
  facets: {
    kind: [["decision", 4], ["meeting", 1], ["protocol", 1]],
    status: [["accepted", "Accepted", 2], ["rejected", "Rejected", 1], ["superseded", "Superseded", 1]],
    tag: [["async", "async", 2], ["meetings", "meetings", 1], ["process", "process", 1], ["rituals", "rituals", 2], ["security", "sec-id", 3]],
    year: [["2026", 2], ["2025", 4]],
  },
};

const FACET_FILES = {
  "f/kind/decision": [0, 2, 3, 5], "f/kind/meeting": [1], "f/kind/protocol": [4],
  "f/status/accepted": [0, 2], "f/status/rejected": [5], "f/status/superseded": [3],
  "f/tag/async": [0, 1], "f/tag/meetings": [1], "f/tag/process": [2], "f/tag/rituals": [0, 3], "f/tag/sec-id": [2, 4, 5],
  "f/year/2026": [0, 1], "f/year/2025": [2, 3, 4, 5],
};

function files(meta, docs, shards, facets) {
  const out = { meta: meta };
  Object.keys(shards).forEach((id) => { out["t/" + id] = shards[id]; });
  for (let n = 0; n * meta.chunk < docs.length; n++) out["d/" + n] = docs.slice(n * meta.chunk, (n + 1) * meta.chunk);
  return Object.assign(out, facets);
}

/** An engine over `index`, recording every file it asks for. */
function engine(index) {
  const data = index || files(META, DOCS, SHARDS, FACET_FILES);
  const loads = [];
  const e = createEngine((name) => {
    loads.push(name);
    return name in data ? Promise.resolve(JSON.parse(JSON.stringify(data[name]))) : Promise.reject(new Error("404 " + name));
  });
  e.loads = loads;
  return e;
}

const ids = (res) => res.results.map((r) => r.id);

// ---- Tokenizer and stemmer: must match src/search/tokens.rs. ----

test("stems as the index does", () => {
  const cases = { decide: "decid", decisions: "decis", running: "run", runs: "run", meetings: "meet", policies: "policy",
    classes: "class", status: "status", use: "use", "café": "café", ties: "tie", standups: "standup", rotate: "rotat" };
  for (const [word, stemmed] of Object.entries(cases)) assert.equal(stem(word), stemmed, word);
});

test("tokenizes: lowercase, split on non-letters, drop stop words and long tokens, stem", () => {
  assert.deepEqual(tokenize("The on-call rota: Priya's 2 weeks!"), ["call", "rota", "priya", "s", "2", "week"]);
  assert.deepEqual(tokenize("Café—CRÈME über_alles"), ["café", "crème", "über", "all"]);
  assert.deepEqual(tokenize("a".repeat(41) + " " + "7".repeat(40)), ["7".repeat(40)]);
  assert.deepEqual(tokenize("the cat", ["cat"]), ["the"]);
});

test("parses phrases and marks only the last, unfinished word as a prefix", () => {
  const q = parseQuery('"async standups" rotat', search.STOP_WORDS);
  assert.deepEqual(q.phrases, ["async standups"]);
  assert.deepEqual(q.tokens.map((t) => [t.term, t.prefix, t.typo]), [["async", false, false], ["standup", false, false], ["rotat", true, true]]);
  assert.equal(parseQuery("rotat ").tokens[0].prefix, false);
  assert.equal(parseQuery("ro").tokens[0].prefix, false); // too short to complete
});

// ---- Engine ----

test("loads nothing before the first search, then only what the query needs", async () => {
  const e = engine();
  assert.deepEqual(e.loads, []);
  const res = await e.search("thread ");
  assert.deepEqual(ids(res), [0]);
  assert.deepEqual(e.loads.sort(), ["d/0", "meta", "t/thr"]);
});

test("finds exact terms, stemmed", async () => {
  const res = await engine().search("standups ");
  assert.equal(res.mode, "and");
  assert.deepEqual(ids(res), [0, 3, 1]); // by impact
  assert.equal(res.total, 3);
  assert.equal(res.results[0].title, "Written async standups in a thread");
});

test("completes the last word while typing, most frequent terms first", async () => {
  const e = engine();
  const res = await e.search("stan");
  assert.deepEqual(ids(res), [0, 3, 1, 4]); // standup ×0.6, then standard ×0.6
  assert.equal(res.results[0].score, 180 * 0.6);
  assert.equal((await e.search("stan ")).total, 0); // a finished word is not completed
  // Typed past the stem: "mornin" is on its way to "morning" → "morn".
  assert.deepEqual(ids(await e.search("mornin")), [0]);
});

test("forgives one typo in longer words", async () => {
  const res = await engine().search("secrity ");
  assert.deepEqual(ids(res), [4]);
  assert.equal(res.results[0].score, 200 * 0.5);
  assert.equal((await engine().search("vidoe ")).total, 0); // two edits: no
});

test('"decide" finds a document that says "decisions" (stemming, then one edit)', async () => {
  const res = await engine().search("decide");
  assert.deepEqual(ids(res), [2]);
  assert.equal(res.results[0].title, "Record decisions in decision records");
  assert.match(res.results[0].excerpt, /<mark>decisions<\/mark>/);
});

test("requires every word, and falls back to any word when none has all", async () => {
  const and = await engine().search("async standup ");
  assert.equal(and.mode, "and");
  assert.deepEqual(ids(and), [0, 1]);
  const or = await engine().search("async call ");
  assert.equal(or.mode, "or");
  assert.deepEqual(ids(or), [0, 3, 5, 1]); // 200, 140, 100, 50
});

test("also takes the shard files as a map from key to file id", async () => {
  const shards = {};
  META.shards.forEach((k) => { shards[k] = k === "équ" ? "xc3a97175" : k; });
  const e = engine(files(Object.assign({}, META, { shards: shards }), DOCS, SHARDS, FACET_FILES));
  assert.deepEqual(ids(await e.search("équipe thread")), [0, 2]);
});

test("a word with no shard matches nothing, without an error", async () => {
  const res = await engine().search("zzzzz ");
  assert.equal(res.total, 0);
  assert.deepEqual(res.results, []);
});

test("looks up non-ASCII terms through the shard's file id", async () => {
  const e = engine();
  assert.deepEqual(ids(await e.search("Équipe ")), [2]);
  assert.ok(e.loads.includes("t/xc3a97175"));
});

test("keeps phrase matches only where the phrase is in the title or text", async () => {
  const res = await engine().search('"async standups"');
  assert.deepEqual(ids(res), [0]); // doc 1 has both words, not together
  assert.equal(res.total, 1);
  assert.equal(res.approximate, false);
  assert.deepEqual(ids(await engine().search('"DAILY   standup"')), [3]); // case and spaces do not matter
  assert.equal((await engine().search('"standup async"')).total, 0);
});

test("lists documents matching filters, newest first, with an empty query", async () => {
  const e = engine();
  assert.deepEqual(ids(await e.search("", { status: "accepted" })), [0, 2]);
  assert.deepEqual(ids(await e.search("", { kind: "decision", tag: "security" })), [2, 5]);
  assert.deepEqual(ids(await e.search("", { kind: "decision", year: "2025" })), [2, 3, 5]);
  assert.deepEqual(ids(await e.search("", { kind: "decision", status: "accepted", tag: "security", year: 2025 })), [2]);
  assert.equal((await e.search("", { tag: "nonexistent" })).total, 0);
  assert.equal((await e.search("", {})).total, 0); // nothing asked, nothing listed
  assert.ok(e.loads.includes("f/tag/sec-id")); // tag files by the id meta gives
  const r = (await e.search("", { status: "accepted" })).results[1];
  assert.deepEqual([r.title, r.kind, r.status, r.statusLabel, r.date, r.tags], ["Record decisions in decision records", "decision", "accepted", "Accepted", "2025-06-01", ["process", "security"]]);
  assert.equal(r.href, "decisions/0001-record-decisions/index.html");
});

test("filters the ranked results of a query", async () => {
  const e = engine();
  assert.deepEqual(ids(await e.search("call ", { status: "rejected" })), [5]);
  assert.deepEqual(ids(await e.search("standup ", { kind: "decision" })), [0, 3]);
  assert.deepEqual(ids(await e.search("standup ", { kind: "decision", year: "2025" })), [3]);
  // AND with the filter finds nothing, so any word will do.
  const or = await e.search("video thread ", { kind: "decision" });
  assert.equal(or.mode, "or");
  assert.deepEqual(ids(or), [0, 3]);
});

test("links to the heading of the best match", async () => {
  const res = await engine().search("async ");
  assert.equal(res.results[0].href, "decisions/0006-written-async-standups/index.html#decision");
  assert.equal(res.results[0].heading, "Decision");
  assert.equal(res.results[1].href, "meetings/2026-02-10-weekly-sync/index.html"); // heading -1
  assert.equal((await engine().search("review ")).results[1].href, "meetings/2026-02-10-weekly-sync/index.html#notes");
});

test("excerpts mark the matches and escape everything else", async () => {
  const res = await engine().search("review ");
  const meeting = res.results.find((r) => r.id === 1);
  assert.match(meeting.excerpt, /&lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt; &amp; the standups/);
  assert.match(meeting.excerpt, /<mark>Review<\/mark>: async/);
  assert.doesNotMatch(meeting.excerpt.replace(/<\/?mark>/g, ""), /[<>]/);
  const long = "word ".repeat(60) + "target here " + "more ".repeat(60);
  const html = excerpt(long, (w) => w === "target");
  assert.ok(html.startsWith("…") && html.endsWith("…"));
  assert.ok(html.length < 200);
  assert.match(html, /<mark>target<\/mark> here/);
  assert.equal(excerpt("plain <b>", null), "plain &lt;b&gt;");
});

test("pages through results ten at a time, loading only the shown documents", async () => {
  const docs = Array.from({ length: 25 }, (_, i) => ({ t: "Doc " + i, u: "d" + i + ".html", k: "page", s: null, sl: null, d: null, g: [], x: "alpha text " + i, h: [] }));
  const postings = [25];
  docs.forEach((_, i) => postings.push(i, 250 - i, -1));
  const meta = Object.assign({}, META, { docs: 25, chunk: 5, shards: { alp: "alp" }, facets: { kind: [["page", 25]] } });
  const e = engine(files(meta, docs, { alp: { alpha: postings } }, { "f/kind/page": docs.map((_, i) => i) }));
  const first = await e.search("alpha ");
  assert.deepEqual([first.total, first.results.length, first.more], [25, 10, true]);
  assert.deepEqual(e.loads.filter((n) => n.startsWith("d/")).sort(), ["d/0", "d/1"]);
  const second = await e.search("alpha ", { page: 1 });
  assert.deepEqual(ids(second), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  assert.deepEqual(e.loads.filter((n) => n.startsWith("d/")).sort(), ["d/0", "d/1", "d/2", "d/3"]);
  const last = await e.search("alpha ", { page: 2 });
  assert.deepEqual([last.results.length, last.more], [5, false]);
  assert.deepEqual(ids(await e.search("", { kind: "page", page: 2, pageSize: 8 })), [16, 17, 18, 19, 20, 21, 22, 23]);
  assert.equal(e.loads.filter((n) => n === "t/alp").length, 1); // each file once
});

test("checks phrases a page of candidates at a time, going on from where it stopped", async () => {
  const docs = Array.from({ length: 25 }, (_, i) => ({ t: "Doc " + i, u: "d" + i + ".html", k: "page", s: null, sl: null, d: null, g: [], x: "alpha text " + i, h: [] }));
  const postings = [25];
  docs.forEach((_, i) => postings.push(i, 250 - i, -1));
  const meta = Object.assign({}, META, { docs: 25, chunk: 5, shards: ["alp"], facets: { kind: [] } });
  const e = engine(files(meta, docs, { alp: { alpha: postings } }, {}));
  const chunks = () => e.loads.filter((n) => n.startsWith("d/")).sort();
  // Candidates are every "alpha" document (no shard has "text" or "2"), best first: 0, 1, 2, …
  const first = await e.search('"alpha text 2"');
  assert.deepEqual([ids(first), first.total, first.approximate, first.more], [[2], 1, true, true]);
  assert.deepEqual(chunks(), ["d/0", "d/1"]); // the first ten candidates only
  const second = await e.search('"alpha text 2"', { offset: 1 });
  assert.deepEqual([ids(second), second.approximate, second.more], [[], true, true]);
  const third = await e.search('"alpha text 2"', { offset: 1 });
  assert.deepEqual([ids(third), third.total, third.approximate, third.more], [[20, 21, 22, 23, 24], 6, false, false]);
  assert.deepEqual(chunks(), ["d/0", "d/1", "d/2", "d/3", "d/4"]);
});

test("a failed load rejects, and the next search tries again", async () => {
  let fail = true;
  const data = files(META, DOCS, SHARDS, FACET_FILES);
  const e = createEngine((name) => (fail && name === "t/thr" ? Promise.reject(new Error("offline")) : Promise.resolve(data[name])));
  await assert.rejects(e.search("thread "), /offline/);
  fail = false;
  assert.deepEqual(ids(await e.search("thread ")), [0]);
});
