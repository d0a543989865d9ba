// The search engine browsers get (themes/default/static/assets/search.js) is what
// scripts/minify-theme.mjs makes of its source (themes/default/scripts/search.js), which the
// other tests load: regenerate it with `node scripts/minify-theme.mjs` after an edit.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const vm = require("node:vm");

test("the minified engine is the source, minified", async () => {
  const { SOURCE, TARGET, minified } = await import("../../scripts/minify-theme.mjs");
  const want = await minified(fs.readFileSync(SOURCE, "utf8"));
  assert.ok(fs.readFileSync(TARGET, "utf8") === want, "themes/default/static/assets/search.js is stale: run node scripts/minify-theme.mjs");
});

test("the minified engine exports the same functions, which agree on a query", async () => {
  const { SOURCE, TARGET } = await import("../../scripts/minify-theme.mjs");
  const load = (file) => {
    const module = { exports: {} };
    vm.runInNewContext(fs.readFileSync(file, "utf8"), { module: module });
    return module.exports;
  };
  const source = load(SOURCE);
  const min = load(TARGET);
  assert.equal(JSON.stringify(Object.keys(min).sort()), JSON.stringify(Object.keys(source).sort()));
  const env = { stem: (w) => w, stop: new Set(["the"]) };
  const text = "The Café RawTransaction 会議では ADR-0007";
  assert.equal(JSON.stringify(min.terms(text, env)), JSON.stringify(source.terms(text, env)));
});
