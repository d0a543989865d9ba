// Reads generated cases (a JSON file: [{language, stop, text, terms}], the terms the Rust analyzer
// gave) and prints, as JSON, the cases where the browser's analyzer gives other terms.
// Used by tests/browser.rs (the_browser_analyzes_generated_text_as_the_build_does).
"use strict";

const fs = require("node:fs");
const search = require("../../themes/default/scripts/search.js");
const { stemmerOf } = require("./support.js");

const stemmers = {};
const differ = [];
for (const c of JSON.parse(fs.readFileSync(process.argv[2], "utf8"))) {
  const stem = stemmers[c.language] || (stemmers[c.language] = stemmerOf(c.language));
  const got = search.terms(c.text, { stem: stem, stop: new Set(c.stop) });
  if (JSON.stringify(got) !== JSON.stringify(c.terms)) differ.push({ language: c.language, text: c.text, rust: c.terms, browser: got });
}
process.stdout.write(JSON.stringify(differ.slice(0, 5), null, 1) + "\n" + differ.length + " differ\n");
