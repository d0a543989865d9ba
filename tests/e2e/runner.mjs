// What the end-to-end scripts share: the browser they drive and a small test runner that prints
// a line per check, bounds the whole run, and never passes silently (a missing browser or driver
// is a failure).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

/** One page of every type of the sample handbook. */
export const PAGE_TYPES = [
  "index.html", "decisions/index.html", "decisions/0007-overlap-windows-per-region-pair/index.html",
  "decisions/status/accepted/index.html", "meetings/index.html", "meetings/2026-10-28-weekly-sync/index.html",
  "meetings/series/weekly-sync/index.html", "protocols/index.html", "protocols/async-first/index.html",
  "actions/index.html", "reviews/index.html", "people/index.html", "people/amara/index.html",
  "changes/index.html", "search/index.html", "tags/index.html", "tags/on-call/index.html",
  "guides/index.html", "guides/tools/index.html", "people/time-zones/index.html", "teams/index.html",
  "teams/platform/index.html", "print/index.html", "404.html",
];

/** A runner whose `fatal` calls `cleanUp` before exiting. */
export function runner({ cleanUp = () => {}, seconds = 180 } = {}) {
  let passed = 0;
  let failed = 0;

  function finish(code) {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(code);
  }

  function fatal(message) {
    console.error(`error: ${message}`);
    failed++;
    cleanUp();
    finish(1);
  }

  async function check(name, fn) {
    try {
      await fn();
      passed++;
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}\n  ${String((e && e.stack) || e).split("\n").slice(0, 4).join("\n  ")}`);
    }
  }

  /** puppeteer-core, after checking that it and Chromium are there. */
  async function puppeteer() {
    let module;
    try {
      module = (await import("puppeteer-core")).default;
    } catch (e) {
      fatal(`puppeteer-core is missing (npm ci --prefix tests/e2e): ${e.message}`);
    }
    if (!fs.existsSync(CHROMIUM)) fatal(`${CHROMIUM} is missing (apt-get install chromium)`);
    return module;
  }

  // The whole run is bounded, whatever hangs.
  setTimeout(() => fatal(`timed out after ${seconds} s`), seconds * 1000).unref();

  return { check, fatal, puppeteer, done: () => finish(failed ? 1 : 0) };
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".xml": "application/xml", ".svg": "image/svg+xml", ".png": "image/png",
  ".json": "application/json" };

/** A tiny static server for the site at `root`, on a random loopback port: files as they are,
 * folders as their index.html, and for anything missing a plain "not found", or the site's
 * 404.html when `notFoundPage` is set, as GitHub Pages, GitLab Pages and Netlify serve it. With
 * `prefix` (`/team/`) the site is served under that path, as a project site is on GitHub Pages,
 * and nothing outside it exists. */
export function serve(root, { notFoundPage = false, prefix = "/" } = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const missing = () => {
      if (notFoundPage) res.writeHead(404, { "content-type": TYPES[".html"] }).end(fs.readFileSync(path.join(root, "404.html")));
      else res.writeHead(404).end("not found");
    };
    if (!url.pathname.startsWith(prefix)) { missing(); return; }
    let file = path.join(root, decodeURIComponent(url.pathname.slice(prefix.length - 1)));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, body) => {
      if (err) { missing(); return; }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" }).end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Collects into `errors` what goes wrong on `page` (opened at `url`): script errors, console
 * errors, and responses of 400 or more, each with its address (the browser's own "Failed to load
 * resource" console line has none). */
export function recordErrors(page, url, errors) {
  page.on("pageerror", (e) => errors.push(`${url}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(`${url}: console: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`${url}: ${r.status()} for ${r.url()}`);
  });
}
