// The search engine of themes/default/scripts/search.js, over a small hand-made index in
// the format src/search writes (see its module docs), with the real English stemmer.
// Run with `node --test tests/js/`.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const search = require(path.join(__dirname, "../../themes/default/scripts/search.js"));
const { stemmerOf } = require("./support.js");
const { createEngine, parseQuery, excerpt } = search;

// ---- A tiny index, as the Rust side writes it (docs newest first). ----

const DOCS = [
  { t: "Written async standups in a thread", u: "decisions/0006-written-async-standups/index.html", k: "decision", s: "accepted", sl: "Accepted", d: "2026-03-01", g: ["async", "rituals"],
    x: "Context Every morning we post a written update in the standup thread. Async standups replace the daily meeting for everyone.", h: [["context", "Context"], ["decision", "Decision"]] },
  { t: "Weekly sync: standup review", u: "meetings/2026-02-10-weekly-sync/index.html", k: "meeting", s: null, sl: null, d: "2026-02-10", g: ["meetings", "async"],
    x: "Notes We looked at <script>alert('x')</script> & the standups from last month. Review: async works.", h: [["notes", "Notes"]] },
  { t: "Record decisions in decision records", u: "decisions/0001-record-decisions/index.html", k: "decision", s: "accepted", sl: "Accepted", d: "2025-06-01", g: ["process", "security"],
    x: "We make decisions in many places. L'Équipe agreed. Six months later nobody remembers why.", h: [] },
  { t: "Daily standup on a video call", u: "decisions/0002-daily-standup/index.html", k: "decision", s: "superseded", sl: "Superseded", d: "2025-05-01", g: ["rituals"],
    x: "Every day at 09:00 UTC we meet on a video call for fifteen minutes.", h: [] },
  { t: "Security reviews", u: "protocols/security-reviews/index.html", k: "protocol", s: null, sl: null, d: "2025-04-01", g: ["security"],
    x: "Every protocol gets a security review. See the standard checklist.", h: [["checklist", "Checklist"]] },
  { t: "Rotate the call time", u: "decisions/0004-rotate-call-time/index.html", k: "decision", s: "rejected", sl: "Rejected", d: "2025-03-01", g: ["security"],
    x: "We considered rotating the call time across zones. See ADR-0007 for the rota.", h: [] },
  { t: "On-call rota", u: "decisions/0007-on-call-rota/index.html", k: "decision", s: "accepted", sl: "Accepted", d: "2025-02-01", g: [],
    x: "Who is on call, and the Café where we meet. 会議では毎週確認します。", h: [] },
  { t: "IT", u: "guides/it/index.html", k: "page", s: null, sl: null, d: null, g: [], x: "The IT help desk.", h: [] },
];

// term → [df, doc, impact, code, ...], best first. Codes: a section (-1 before any heading), or
// for a term of the title -1 - n, n being the title's number of words.
const TERMS = {
  async: [2, 0, 200, -5, 1, 50, 0], standup: [3, 0, 180, -5, 3, 150, -5, 1, 90, -5], standard: [1, 4, 60, 0],
  thread: [1, 0, 120, -5], decis: [1, 2, 220, -3], record: [1, 2, 150, -3], call: [3, 3, 140, -5, 6, 130, -3, 5, 100, -4],
  secur: [1, 4, 200, -3], review: [2, 4, 90, -3, 1, 80, 0], rotat: [1, 5, 100, -4], written: [1, 0, 100, -5],
  video: [1, 3, 100, -5], morn: [1, 0, 40, 0], mornington: [1, 4, 10, -1], equip: [1, 2, 10, -1], cafe: [1, 6, 30, -1], rota: [2, 6, 150, -3, 5, 20, -1],
  time: [1, 5, 90, -4], adr: [1, 5, 20, -1], 7: [1, 5, 20, -1], "#7": [1, 6, 60, -1], "#0004-rotate-call-time": [1, 5, 60, -1],
  it: [2, 7, 100, -2, 4, 5, -1], the: [3, 7, 20, -1, 5, 15, -4, 1, 10, -1], who: [1, 6, 30, -1],
  "written async": [1, 0, 50, -5], "async standup": [1, 0, 60, -5], "video call": [1, 3, 70, -5], "call time": [1, 5, 40, -4],
  "会議": [1, 6, 30, -1], "議で": [1, 6, 10, -1], "では": [1, 6, 10, -1],
};

const FACETS = {
  kind: [["decision", 5], ["meeting", 1], ["page", 1], ["protocol", 1]],
  status: [["accepted", "Accepted", 3], ["rejected", "Rejected", 1], ["superseded", "Superseded", 1]],
  tag: [["async", "async", 2], ["meetings", "meetings", 1], ["process", "process", 1], ["rituals", "rituals", 2], ["security", "sec-id", 3]],
  year: [["2026", 2], ["2025", 5]],
};
const FACET_FILES = {
  "f/kind/decision": [0, 2, 3, 5, 6], "f/kind/meeting": [1], "f/kind/protocol": [4], "f/kind/page": [7],
  "f/status/accepted": [0, 2, 6], "f/status/rejected": [5], "f/status/superseded": [3],
  "f/tag/async": [0, 1], "f/tag/meetings": [1], "f/tag/process": [2], "f/tag/rituals": [0, 3], "f/tag/sec-id": [2, 4, 5],
  "f/year/2026": [0, 1], "f/year/2025": [2, 3, 4, 5, 6],
};

/** The file id of a shard key or first character (src/search/shards.rs, file_id). */
function fileId(key) {
  return /^[a-z0-9-]+$/.test(key) ? key : "x" + Array.from(Buffer.from(key, "utf8"), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The index files of `docs` and `terms`: one shard per group of terms (3 letters, 1 for CJK and ids). */
function files(docs, terms, facetFiles, extra) {
  const meta = Object.assign({ v: 1, docs: docs.length, chunk: 2, xchunk: 2, stem: true, stop: ["a", "the", "in", "on", "it", "who", "will", "is", "we", "and", "for"],
    idw: ["adr", "rfc", "decis", "record"], facets: FACETS }, extra);
  const shards = {};
  for (const [term, postings] of Object.entries(terms)) {
    const chars = Array.from(term);
    const key = chars.slice(0, chars[0] === "#" || /[0-9\u3040-\u9fff]/.test(chars[0]) ? 1 : 3).join("");
    (shards[key] = shards[key] || {})[term] = postings;
  }
  const out = { meta: meta, stem: stemmerOf("en") };
  const firsts = {};
  for (const key of Object.keys(shards)) {
    out["t/" + fileId(key)] = shards[key];
    (firsts[Array.from(key)[0]] = firsts[Array.from(key)[0]] || []).push(key);
  }
  for (const [first, keys] of Object.entries(firsts)) out["k/" + fileId(first)] = keys;
  meta.first = Object.keys(firsts).sort().join("");
  const split = (d) => [{ t: d.t, u: d.u, k: d.k, s: d.s, sl: d.sl, d: d.d, h: d.h.map((h) => h[0]) }, { g: d.g, x: d.x, h: d.h.map((h) => h[1]) }];
  for (let n = 0; n * meta.chunk < docs.length; n++) out["d/" + n] = docs.slice(n * meta.chunk, (n + 1) * meta.chunk).map((d) => split(d)[0]);
  for (let n = 0; n * meta.xchunk < docs.length; n++) out["x/" + n] = docs.slice(n * meta.xchunk, (n + 1) * meta.xchunk).map((d) => split(d)[1]);
  return Object.assign(out, facetFiles);
}

/** An engine over `index`, recording every file it asks for. */
function engine(index) {
  const data = index || files(DOCS, TERMS, FACET_FILES);
  const loads = [];
  const e = createEngine((name) => {
    loads.push(name);
    if (!(name in data)) return Promise.reject(new Error("404 " + name));
    return Promise.resolve(typeof data[name] === "function" ? data[name] : JSON.parse(JSON.stringify(data[name])));
  });
  e.loads = loads;
  return e;
}

const ids = (res) => res.results.map((r) => r.id);
const ENV = { stem: stemmerOf("en"), stop: new Set(["the", "in", "a", "who", "will", "it"]) };

// ---- Query parsing ----

test("parses phrases and marks only the last, unfinished word as a prefix", () => {
  const q = parseQuery('"async standups" rotat', ENV);
  assert.deepEqual(q.phrases, [["async", "standup"]]);
  assert.deepEqual(q.tokens.map((t) => [t.term, t.prefix, t.typo]), [["async", false, false], ["standup", false, false], ["rotat", true, true]]);
  assert.equal(parseQuery("rotat ", ENV).tokens[0].prefix, false);
  assert.equal(parseQuery("ro", ENV).tokens[0].prefix, false); // too short to complete
  assert.deepEqual(parseQuery("video call ", ENV).pairs, ["video call"]);
});

test("drops stop words, unless the query has nothing else or quotes them", () => {
  assert.deepEqual(parseQuery("the thread ", ENV).tokens.map((t) => t.term), ["thread"]);
  assert.deepEqual(parseQuery("the who ", ENV).tokens.map((t) => t.term), ["the", "who"]);
  assert.deepEqual(parseQuery('"in the" thread ', ENV).tokens.map((t) => t.term), ["in", "the", "thread"]);
});

// ---- Engine ----

test("loads nothing before the first search, then only what the query needs", async () => {
  const e = engine();
  assert.deepEqual(e.loads, []);
  const res = await e.search("thread ");
  assert.deepEqual(ids(res), [0]);
  assert.deepEqual(e.loads.sort(), ["d/0", "k/t", "meta", "stem", "t/thr"]);
});

test("finds exact terms, stemmed, and a title that holds the whole query first", async () => {
  const res = await engine().search("standups ");
  assert.equal(res.mode, "and");
  assert.deepEqual(ids(res), [0, 3, 1]); // all three titles hold it: by impact
  assert.equal(res.results[0].title, "Written async standups in a thread");
  // "review": the protocol's title says it (and has two words), the meeting's body does.
  assert.deepEqual(ids(await engine().search("review ")), [4, 1]);
});

test("a title that is the query ranks above one that only holds it", async () => {
  // "call" is in three titles; "On-call rota" is not "call", but "Rotate the call time" holds
  // "call time" exactly: equal (two words) beats a higher impact.
  assert.deepEqual(ids(await engine().search("call time ")), [5]);
  assert.deepEqual(ids(await engine().search("rota ")), [6, 5]);
  // Of the titles that hold "call", the one with fewest other words first, whatever the impact.
  assert.deepEqual(ids(await engine().search("call ")), [6, 5, 3]);
  const both = await engine().search("call rota ");
  assert.deepEqual(ids(both), [6, 5]); // doc 6's title is exactly "call rota"
});

test("adjacent words count more than scattered ones", async () => {
  const res = await engine().search("video call ");
  assert.deepEqual(ids(res), [3]);
  assert.equal(res.results[0].score, 100 + 140 + 70);
});

test("completes the last word while typing, most frequent terms first", async () => {
  const e = engine();
  const res = await e.search("stan");
  assert.deepEqual(ids(res), [0, 3, 1, 4]); // standup ×0.6, then standard ×0.6
  assert.equal(res.results[0].score, 180 * 0.6);
  assert.equal((await e.search("stan ")).total, 0); // a finished word is not completed
  // Typed past the stem: "mornin" is on its way to "morning" → "morn", though "mornington"
  // starts with what was typed too.
  assert.deepEqual(ids(await e.search("mornin")), [0, 4]);
});

test("forgives one typo in longer words", async () => {
  const res = await engine().search("secrity ");
  assert.deepEqual(ids(res), [4]);
  assert.equal(res.results[0].score, 200 * 0.5);
  assert.deepEqual(ids(await engine().search("standrad ")), [4]); // two letters swapped
  assert.equal((await engine().search("vidoe ")).total, 0); // two edits: no
  // A long word the index lacks is not a typo of a short one it starts like.
  assert.equal((await engine().search("securitymonitoring ")).total, 0);
});

test("requires every word, and falls back to any word when none has all", async () => {
  const and = await engine().search("async standup ");
  assert.equal(and.mode, "and");
  assert.deepEqual(ids(and), [0, 1]);
  const or = await engine().search("async video ");
  assert.equal(or.mode, "or");
  assert.deepEqual(ids(or), [0, 3, 1]);
});

test("folds case, diacritics and compatibility forms, and looks up non-ASCII terms by file id", async () => {
  const e = engine();
  assert.deepEqual(ids(await e.search("ÉQUIPE ")), [2]);
  assert.deepEqual(ids(await e.search("cafe ")), [6]);
  assert.deepEqual(ids(await e.search("ｃａｆé ")), [6]);
  assert.deepEqual(ids(await e.search("会議")), [6]);
  assert.ok(e.loads.includes("t/" + fileId("会")) && e.loads.includes("k/" + fileId("会")));
});

test("a query of stop words only still searches", async () => {
  assert.deepEqual(ids(await engine().search("IT")), [7, 4]);
  // No document has both: any will do.
  const either = await engine().search("the who ");
  assert.deepEqual([either.mode, ids(either)], ["or", [6, 7, 5, 1]]);
});

test("a record's number finds it first, however it is written", async () => {
  for (const q of ["7", "0007", "ADR-7", "ADR 7", "ADR-0007", "adr 0007", "#7", "decision 7"]) {
    const res = await engine().search(q);
    assert.equal(res.results[0] && res.results[0].id, 6, q);
  }
  // The record that merely mentions ADR-0007 comes after it.
  assert.deepEqual(ids(await engine().search("ADR-0007")), [6, 5]);
  // "version 7" is not a record number: every word must match.
  assert.equal((await engine().search("rotate 7")).results[0].id, 5);
  // A page's slug (a Log4brains id) finds it first.
  assert.equal((await engine().search("0004-rotate-call-time")).results[0].id, 5);
});

test("a word with no shard matches nothing, without an error", async () => {
  const e = engine();
  const res = await e.search("zzzzz ");
  assert.equal(res.total, 0);
  assert.deepEqual(res.results, []);
  assert.equal((await e.search("ω ")).total, 0);
  assert.ok(!e.loads.some((n) => n.startsWith("k/x")), "no list is asked for a first character no term has");
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
  assert.deepEqual(ids(await e.search("", { status: "accepted" })), [0, 2, 6]);
  assert.deepEqual(ids(await e.search("", { kind: "decision", tag: "security" })), [2, 5]);
  assert.deepEqual(ids(await e.search("", { kind: "decision", year: "2025" })), [2, 3, 5, 6]);
  assert.deepEqual(ids(await e.search("", { kind: "decision", status: "accepted", tag: "security", year: 2025 })), [2]);
  assert.equal((await e.search("", { tag: "nonexistent" })).total, 0);
  assert.equal((await e.search("", {})).total, 0); // nothing asked, nothing listed
  assert.ok(e.loads.includes("f/tag/sec-id")); // tag files by the id meta gives
  const r = (await e.search("", { status: "accepted", excerpts: true })).results[1];
  assert.deepEqual([r.title, r.kind, r.status, r.statusLabel, r.date, r.tags], ["Record decisions in decision records", "decision", "accepted", "Accepted", "2025-06-01", ["process", "security"]]);
  assert.equal(r.href, "decisions/0001-record-decisions/index.html");
});

test("filters the ranked results of a query", async () => {
  const e = engine();
  assert.deepEqual(ids(await e.search("call ", { status: "rejected" })), [5]);
  assert.deepEqual(ids(await e.search("standup ", { kind: "decision" })), [0, 3]);
  assert.deepEqual(ids(await e.search("standup ", { kind: "decision", year: "2025" })), [3]);
  const or = await e.search("video thread ", { kind: "decision" });
  assert.equal(or.mode, "or");
  assert.deepEqual(ids(or), [0, 3]);
});

test("links to the heading of the best match, and names it when excerpts are asked for", async () => {
  const res = await engine().search("async ", { excerpts: true });
  assert.equal(res.results[0].href, "decisions/0006-written-async-standups/index.html"); // in the title
  assert.equal(res.results[1].href, "meetings/2026-02-10-weekly-sync/index.html#notes"); // section 0
  assert.equal(res.results[1].heading, "Notes");
  const brief = await engine().search("async ");
  assert.equal(brief.results[1].heading, null);
  assert.equal(brief.results[1].excerpt, "");
});

test("the dropdown's results load no text; the search page's load it for excerpts", async () => {
  const e = engine();
  await e.search("thread ");
  assert.ok(!e.loads.some((n) => n.startsWith("x/")));
  await e.search("thread ", { excerpts: true });
  assert.ok(e.loads.includes("x/0"));
});

test("excerpts mark the matches, folded, and escape everything else", async () => {
  const res = await engine().search("review ", { excerpts: true });
  const meeting = res.results.find((r) => r.id === 1);
  assert.match(meeting.excerpt, /&lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt; &amp; the standups/);
  assert.match(meeting.excerpt, /<mark>Review<\/mark>: async/);
  assert.doesNotMatch(meeting.excerpt.replace(/<\/?mark>/g, ""), /[<>]/);
  assert.match((await engine().search("cafe ", { excerpts: true })).results[0].excerpt, /the <mark>Café<\/mark> where/);
  assert.match((await engine().search("会議", { excerpts: true })).results[0].excerpt, /<mark>会議<\/mark>では/);
  const long = "word ".repeat(60) + "target here " + "more ".repeat(60);
  const html = excerpt(long, (w) => w === "target");
  assert.ok(html.startsWith("…") && html.endsWith("…"));
  assert.ok(html.length < 200);
  assert.match(html, /<mark>target<\/mark> here/);
  assert.equal(excerpt("plain <b>", null), "plain &lt;b&gt;");
});

/** 25 documents that all say "alpha", best first. */
function alphas() {
  const docs = Array.from({ length: 25 }, (_, i) => ({ t: "Doc " + i, u: "d" + i + ".html", k: "page", s: null, sl: null, d: null, g: [],
    x: "alpha text " + (i === 2 || i >= 20 ? "two" : "other " + i), h: [] }));
  const postings = [25];
  docs.forEach((_, i) => postings.push(i, 250 - i, -1));
  return engine(files(docs, { alpha: postings }, { "f/kind/page": docs.map((_, i) => i) }, { chunk: 5, xchunk: 5, facets: { kind: [["page", 25]] } }));
}

test("pages through results ten at a time, loading only the shown documents", async () => {
  const e = alphas();
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
  const e = alphas();
  const chunks = () => e.loads.filter((n) => n.startsWith("x/")).sort();
  // Candidates are every "alpha" document (no shard has "text" or "two"), best first: 0, 1, 2, …
  const first = await e.search('"alpha text two"');
  assert.deepEqual([ids(first), first.total, first.approximate, first.more], [[2], 1, true, true]);
  assert.deepEqual(chunks(), ["x/0", "x/1"]); // the first ten candidates only
  const second = await e.search('"alpha text two"', { offset: 1 });
  assert.deepEqual([ids(second), second.approximate, second.more], [[], true, true]);
  const third = await e.search('"alpha text two"', { offset: 1 });
  assert.deepEqual([ids(third), third.total, third.approximate, third.more], [[20, 21, 22, 23, 24], 6, false, false]);
  assert.deepEqual(chunks(), ["x/0", "x/1", "x/2", "x/3", "x/4"]);
});

test("a failed load rejects, and the next search tries again", async () => {
  let fail = true;
  const data = files(DOCS, TERMS, FACET_FILES);
  const e = createEngine((name) => (fail && name === "t/thr" ? Promise.reject(new Error("offline")) : Promise.resolve(data[name])));
  await assert.rejects(e.search("thread "), /offline/);
  fail = false;
  assert.deepEqual(ids(await e.search("thread ")), [0]);
});
