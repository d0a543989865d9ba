// Search ranking quality on a built site, headless: loads the site's search index files the way
// the browser does (each search/<name>.js is a classic script calling handbookSearch.register)
// and runs the real query engine, themes/default/scripts/search.js, on a list of queries.
//
//   node benches/search-queries.mjs SITE QUERIES.tsv [--top N] [--engine PATH/search.js]
//
// QUERIES.tsv: one `query<TAB>expected` a line, where `expected` is a substring of the href of
// the result the query should find (e.g. `1598-` or `/0007-`); blank lines and comments (lines
// that start with `#` and have no TAB) are skipped. The query is searched as typed, without a
// trailing space, so the last word also completes as a prefix, as in the search box.
//
// Prints one line per query: the rank of the first result whose href holds `expected` (1-based;
// `-` when not in the first N, default 10; `?` when no page of the site matches `expected` at
// all, a mistake in the query file), the query, `expected`, the number of results and the top 3
// titles. Then how many expected results are in the top 1, 3 and N, and the mean reciprocal rank.
// Exits 0 whatever the scores; 2 on bad arguments or a broken index.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

function die(message) {
  console.error(`error: ${message}`);
  process.exit(2);
}

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  if (i + 1 >= process.argv.length) die(`${name} needs a value`);
  return process.argv[i + 1];
}
const positional = [];
for (let i = 2; i < process.argv.length; i++) {
  if (!process.argv[i].startsWith("--")) positional.push(process.argv[i]);
  else if (["--top", "--engine"].includes(process.argv[i])) i++; // an option and its value
  else die(`unknown option ${process.argv[i]}`);
}
if (positional.length !== 2) die("usage: node benches/search-queries.mjs SITE QUERIES.tsv [--top N] [--engine search.js]");
const SITE = path.resolve(positional[0]);
const QUERIES = path.resolve(positional[1]);
const TOP = Number(option("--top", 10));
if (!Number.isInteger(TOP) || TOP < 1) die("--top wants a positive whole number");
const ENGINE = path.resolve(option("--engine", path.join(here, "../themes/default/scripts/search.js")));
if (!fs.existsSync(path.join(SITE, "search/meta.js"))) die(`${SITE}/search/meta.js is missing: build the site first`);

// ---- The index, loaded as the browser's script loader does ----

// Every index file runs in one global, as the <script> tags of a page do. Whatever any file
// registers is kept under its name, so a file may register more than its own name.
const registered = new Map();
const global = vm.createContext({ handbookSearch: { register: (name, data) => registered.set(String(name), data) } });
vm.runInContext("var window = this, self = this;", global);

function load(name) {
  if (!registered.has(name)) {
    const file = path.join(SITE, "search", name + ".js");
    let source;
    try {
      source = fs.readFileSync(file, "utf8");
    } catch (e) {
      return Promise.reject(new Error(`could not load search/${name}.js: ${e.code || e.message}`));
    }
    vm.runInContext(source, global, { filename: file });
    if (!registered.has(name)) return Promise.reject(new Error(`search/${name}.js did not register "${name}"`));
  }
  return Promise.resolve(registered.get(name));
}

const require = createRequire(import.meta.url);
const { createEngine } = require(ENGINE);
const engine = createEngine(load);

// ---- Queries ----

const queries = fs.readFileSync(QUERIES, "utf8").split(/\r?\n/)
  .map((line, i) => [line, i + 1])
  // A comment starts with `#` and has no TAB: `#2094<TAB>2094-` is a query.
  .filter(([line]) => line.trim() && !(line.trimStart().startsWith("#") && !line.includes("\t")))
  .map(([line, n]) => {
    const cells = line.split("\t");
    if (cells.length !== 2 || !cells[0].trim() || !cells[1].trim()) die(`${QUERIES}:${n}: want "query<TAB>expected"`);
    return { query: cells[0].trim(), expected: cells[1].trim() };
  });
if (!queries.length) die(`${QUERIES} has no queries`);

// Every page's href, to tell a query that misses from an `expected` that names no page.
async function allHrefs() {
  const meta = await load("meta");
  const chunks = [];
  for (let n = 0; n * meta.chunk < meta.docs; n++) chunks.push(load("d/" + n));
  return (await Promise.all(chunks)).flat().map((d) => d.u);
}

function clip(text, width) {
  const chars = Array.from(String(text));
  return chars.length <= width ? chars.join("") : chars.slice(0, width - 1).join("") + "…";
}

const started = process.hrtime.bigint();
const hrefs = await allHrefs().catch((e) => die(e.message));
const queryWidth = Math.min(32, Math.max(...queries.map((q) => Array.from(q.query).length)));
const expectedWidth = Math.max(8, ...queries.map((q) => q.expected.length));
let top1 = 0, top3 = 0, found = 0, reciprocal = 0, unknown = 0;
console.log(`${"#".padStart(2)}  ${"query".padEnd(queryWidth)}  ${"expected".padEnd(expectedWidth)}  ${"hits".padStart(4)}  top 3`);
for (const q of queries) {
  // At least 3 results, for the top-3 titles and count even with --top 1 or 2.
  const res = await engine.search(q.query, { pageSize: Math.max(TOP, 3) }).catch((e) => die(`${JSON.stringify(q.query)}: ${e.message}`));
  const at = res.results.findIndex((r) => r.href.includes(q.expected));
  const known = hrefs.some((u) => u.includes(q.expected));
  const rank = at >= 0 && at < TOP ? String(at + 1) : known ? "-" : "?";
  if (at >= 0 && at < 3) top3++;
  if (at >= 0 && at < TOP) {
    found++;
    reciprocal += 1 / (at + 1);
    if (at === 0) top1++;
  }
  if (!known) unknown++;
  const titles = res.results.slice(0, 3).map((r) => clip(r.title, 30)).join(" | ");
  console.log(`${rank.padStart(2)}  ${clip(q.query, queryWidth).padEnd(queryWidth)}  ${q.expected.padEnd(expectedWidth)}  ${String(res.total).padStart(4)}  ${titles}`);
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const n = queries.length;
console.log(`top-3: ${top3}/${n}   top-1: ${top1}/${n}   top-${TOP}: ${found}/${n}   MRR@${TOP}: ${(reciprocal / n).toFixed(3)}   (${ms.toFixed(0)} ms)`);
if (unknown) console.error(`warning: ${unknown} expected value(s) match no page of ${SITE} (rank "?")`);
