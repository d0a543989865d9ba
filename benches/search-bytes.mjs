// How many bytes a real browser loads for a first search: the page, its styles and scripts, the
// index metadata, the dictionary shards, the filter lists and the document chunks of the results
// shown. Serves a built site from 127.0.0.1, drives Debian's Chromium with puppeteer-core (from
// tests/e2e: `npm ci --prefix tests/e2e`), and counts what arrives over the network (CDP
// Network.loadingFinished encodedDataLength, HTTP cache off), from page load to results shown.
//
//   node benches/search-bytes.mjs [SITE] [--query "async standups"] [--page home|search|both]
//                                 [--filters "kind=decision&status=accepted"] [--budget BYTES]
//                                 [--delay MS]   (between keys; default 40)
//
// SITE defaults to $SITE or public/. The gzip column is what the same files weigh compressed
// (gzip -6), as most static hosts serve them. --budget: exit 1 when a first query loads more.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && !(i > 0 && all[i - 1].startsWith("--")));
const SITE = path.resolve(positional[0] || process.env.SITE || "public");
const QUERY = option("--query", process.env.QUERY || "async standups");
const PAGES = option("--page", "both") === "both" ? ["home", "search"] : [option("--page")];
const BUDGET = Number(option("--budget", 0));
// Milliseconds between keys: 40 is a fast typist, 200 a usual one (every key then searches).
const DELAY = Number(option("--delay", 40));
// Filters are given in the search page's URL (the home page's box has none); the query may then be "".
const FILTERS = option("--filters", "");

function die(message) {
  console.error(`error: ${message}`);
  process.exit(2);
}

let puppeteer;
try {
  puppeteer = createRequire(path.join(here, "../tests/e2e/package.json"))("puppeteer-core");
} catch (e) {
  die(`puppeteer-core is missing (npm ci --prefix tests/e2e): ${e.message}`);
}
if (!fs.existsSync(CHROMIUM)) die(`${CHROMIUM} is missing (apt-get install chromium)`);
if (!fs.existsSync(path.join(SITE, "search/meta.js"))) die(`${SITE}/search/meta.js is missing: build the site first`);
setTimeout(() => die("timed out after 120 s"), 120000).unref();

// ---- The index on disk ----

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function kb(n) {
  return (n / 1024).toFixed(1).padStart(8) + " KB";
}

function indexOnDisk() {
  const files = walk(path.join(SITE, "search")).filter((f) => f.endsWith(".js"));
  const groups = {};
  for (const f of files) {
    const rel = path.relative(path.join(SITE, "search"), f);
    const group = rel.includes(path.sep) ? rel.split(path.sep)[0] + "/" : rel;
    const size = fs.statSync(f).size;
    const g = groups[group] || (groups[group] = { files: 0, bytes: 0, largest: 0 });
    g.files++;
    g.bytes += size;
    g.largest = Math.max(g.largest, size);
  }
  const total = Object.values(groups).reduce((s, g) => s + g.bytes, 0);
  const meta = fs.readFileSync(path.join(SITE, "search/meta.js"), "utf8");
  const docs = /"docs":(\d+)/.exec(meta);
  console.log(`search/ on disk: ${files.length} files, ${kb(total).trim()} (${docs ? docs[1] : "?"} documents)`);
  for (const [group, g] of Object.entries(groups).sort()) {
    console.log(`  ${group.padEnd(8)} ${String(g.files).padStart(7)} files ${kb(g.bytes)}   largest ${kb(g.largest).trim()}`);
  }
}

// ---- A static server for the site ----

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

function serve(root) {
  const server = http.createServer((req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end(); return; }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" }).end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// ---- One first query in a fresh page ----

function kindOf(url) {
  const p = new URL(url).pathname;
  if (/\/search\/meta\.js$/.test(p)) return "index: meta";
  if (/\/search\/stem\.js$/.test(p)) return "index: stemmer";
  const m = /\/search\/([tdfkx])\//.exec(p);
  if (m) return { t: "index: shards (t/)", d: "index: documents (d/)", f: "index: filters (f/)", k: "index: shard lists (k/)", x: "index: excerpts (x/)" }[m[1]];
  if (p.endsWith(".html") || p.endsWith("/")) return "page (html)";
  if (p.endsWith(".css")) return "styles (css)";
  if (p.endsWith(".js")) return "scripts (js)";
  return "other";
}

async function measure(browser, base, which) {
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const urls = new Map();
  const loaded = [];
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => loaded.push({ url: urls.get(e.requestId), bytes: e.encodedDataLength }));
  const start = which === "home" ? "index.html" : "search/index.html" + (FILTERS ? "?" + FILTERS : "");
  await page.goto(base + start, { waitUntil: "load" });
  const box = which === "home" ? "#site-search-input" : "#search-q";
  const shown = which === "home" ? ".search-dropdown:not([hidden]) [role=option]" : "#search-results > li";
  // The answer has arrived when the live region or the count says so (results or none).
  const answered = which === "home" ? ".site-search [role=status]" : "#search-count";
  await page.click(box);
  if (QUERY) await page.type(box, QUERY, { delay: DELAY });
  await page.waitForFunction((sel) => /result/i.test(document.querySelector(sel).textContent), { timeout: 20000 }, answered);
  await page.waitForNetworkIdle({ idleTime: 500, timeout: 20000 });
  const count = await page.$$eval(shown, (e) => e.length);
  await page.close();

  const groups = {};
  for (const r of loaded.filter((r) => r.url && !r.url.startsWith("data:"))) {
    const file = path.join(SITE, decodeURIComponent(new URL(r.url).pathname));
    const body = fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file) : Buffer.alloc(0);
    const g = groups[kindOf(r.url)] || (groups[kindOf(r.url)] = { files: 0, bytes: 0, gzip: 0 });
    g.files++;
    g.bytes += r.bytes;
    g.gzip += zlib.gzipSync(body, { level: 6 }).length;
  }
  const total = Object.values(groups).reduce((s, g) => s + g.bytes, 0);
  const gzip = Object.values(groups).reduce((s, g) => s + g.gzip, 0);
  console.log(`\nfirst query "${QUERY}"${FILTERS && which === "search" ? " ?" + FILTERS : ""} from the ${which} page (${count} results shown): ${kb(total).trim()} loaded, ${kb(gzip).trim()} gzipped`);
  console.log(`  ${"".padEnd(24)} ${"files".padStart(5)} ${"loaded".padStart(11)} ${"gzipped".padStart(11)}`);
  for (const [kind, g] of Object.entries(groups).sort()) {
    console.log(`  ${kind.padEnd(24)} ${String(g.files).padStart(5)} ${kb(g.bytes)} ${kb(g.gzip)}`);
  }
  const page0 = (groups["page (html)"] || { bytes: 0 }).bytes;
  if (which === "home") console.log(`  without the home page itself: ${kb(total - page0).trim()}`);
  return { which, total };
}

indexOnDisk();
const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
const server = await serve(SITE);
const runs = [];
try {
  for (const which of PAGES) runs.push(await measure(browser, `http://127.0.0.1:${server.address().port}/`, which));
} finally {
  server.close();
  await browser.close();
}
// The budget is for a first query on the search page: the home page's own size is not search's.
const judged = runs.find((r) => r.which === "search") || runs[0];
if (BUDGET) {
  const ok = judged.total <= BUDGET;
  console.log(`\nbudget ${kb(BUDGET).trim()}: ${ok ? "within" : "OVER"} (first query from the ${judged.which} page: ${kb(judged.total).trim()})`);
  process.exit(ok ? 0 : 1);
}
