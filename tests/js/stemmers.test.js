// The browser stemmers of themes/default/stemmers/ (Snowball's JS output of rust-stemmers'
// own .sbl files) against tests/search/stems.tsv, the word/stem table the Rust side shares.
// Each language is loaded as a site gets it: base-stemmer.js and that language's file in one
// classic script, wrapped as below, run in a fresh vm context.
// Run with `node --test tests/js/`.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const { ALGORITHMS, DIR, load } = require("./support.js");
const TABLE = path.join(__dirname, "../search/stems.tsv");

function table() {
  const rows = [];
  fs.readFileSync(TABLE, "utf8").split("\n").forEach((line, i) => {
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split("\t");
    assert.equal(fields.length, 3, `stems.tsv line ${i + 1} has 3 columns`);
    rows.push({ line: i + 1, lang: fields[0], word: fields[1], stem: fields[2] });
  });
  return rows;
}

const ROWS = table();

test("the theme has base-stemmer.js, a stemmer for each language, LICENSE and README.md", () => {
  const want = ["LICENSE", "README.md", "base-stemmer.js", ...Object.values(ALGORITHMS).map((a) => a + "-stemmer.js")];
  assert.deepEqual(fs.readdirSync(DIR).sort(), want.sort());
});

test("the table covers every language, about 150 words each, and only those", () => {
  const counts = {};
  for (const r of ROWS) counts[r.lang] = (counts[r.lang] || 0) + 1;
  assert.deepEqual(Object.keys(counts).sort(), Object.keys(ALGORITHMS).sort());
  for (const [lang, n] of Object.entries(counts)) assert.ok(n >= 140, `${lang} has ${n} rows`);
});

test("the table has the required words", () => {
  const has = (lang, word, stem) => assert.ok(ROWS.some((r) => r.lang === lang && r.word === word && r.stem === stem), `${lang} ${word} → ${stem}`);
  has("de", "büchern", "buch"); has("de", "buch", "buch"); has("de", "bücher", "buch");
  has("fr", "chevaux", "cheval"); has("fr", "cheval", "cheval");
  has("en", "meetings", "meet"); has("en", "decisions", "decis"); has("en", "running", "run"); has("en", "generalization", "general");
});

for (const [lang, algorithm] of Object.entries(ALGORITHMS)) {
  test(`${lang} (${algorithm}): the browser stems every word of stems.tsv as the table says`, () => {
    const stem = load(algorithm);
    const rows = ROWS.filter((r) => r.lang === lang);
    const wrong = rows.filter((r) => stem(r.word) !== r.stem).map((r) => `line ${r.line}: ${r.word} → ${stem(r.word)}, table says ${r.stem}`);
    assert.deepEqual(wrong, []);
    // One stemmer object serves every word: stemming again, in another order, changes nothing.
    for (const r of rows.slice().reverse()) assert.equal(stem(r.word), r.stem, r.word);
  });
}

test("the wrapper also works under \"use strict\"", () => {
  for (const algorithm of Object.values(ALGORITHMS)) {
    const stem = load(algorithm, true);
    for (const r of ROWS.filter((r) => ALGORITHMS[r.lang] === algorithm)) assert.equal(stem(r.word), r.stem, `${algorithm} ${r.word}`);
  }
});
