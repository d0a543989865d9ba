// The browser's analyzer (themes/default/scripts/search.js) against
// tests/search/analysis.json, the texts and terms the Rust analyzer (src/search/analyze.rs) is
// held to as well: what the index stores is what a query looks up.
// Run with `node --test tests/js/`.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const search = require("../../themes/default/scripts/search.js");
const { stemmerOf } = require("./support.js");

const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, "../search/analysis.json"), "utf8"));

for (const c of FIXTURE.cases) {
  test(`${c.language}: ${c.text}`, () => {
    // As the browser gets them: the stop words from meta.js, the stemmer from search/stem.js.
    const env = { stem: stemmerOf(c.language), stop: new Set(FIXTURE.stop[c.language]) };
    assert.deepEqual(search.terms(c.text, env), c.terms);
  });
}

test("the sequence of every case is the one Rust gives, kind by kind", () => {
  const kinds = new Set(FIXTURE.cases.flatMap((c) => c.terms.map((t) => t[1])));
  assert.deepEqual(Array.from(kinds).sort(), ["bigram", "joined", "pair", "variant", "word"]);
});
