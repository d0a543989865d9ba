// End-to-end test of `handbook serve` in headless Chromium (Debian's /usr/bin/chromium, driven by
// puppeteer-core): live reload that keeps the scroll position, the build-error overlay,
// reloading only the pages that changed, and the lists a title edit changes reloading after it.
//
//   node tests/e2e/serve.e2e.mjs BIN HANDBOOK
//
// BIN is the handbook binary; HANDBOOK a handbook folder holding a decision long enough to scroll
// with TOML front matter and a `status = "..."` line (content/decisions/0001-long-page.md) and an
// unrelated page (content/protocols/unrelated.md); SERVE_PAGE and SERVE_OTHER name other files.
// tests/browser.rs writes such a handbook into a temporary folder. The script edits the long
// page's file and puts it back as it was at the end. Prints a line per check; exits non-zero when
// a check fails, or when Chromium or puppeteer-core is missing.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

import { ARGS, CHROMIUM, runner } from "./runner.mjs";
import {
  assert, bodyHas, inPage, mark, openTab, poll, seenOf, sitePath, sleep, startServer, stillHere, stopServer,
  withParagraph,
} from "./serving.mjs";

const BIN = process.argv[2] && path.resolve(process.argv[2]);
const ROOT = process.argv[3] && path.resolve(process.argv[3]);
const PAGE = process.env.SERVE_PAGE || "content/decisions/0001-long-page.md";
const OTHER = process.env.SERVE_OTHER || "content/protocols/unrelated.md";
const OVERLAY = "#handbook-error-overlay";
const LIVE_TAG = /<script src="\/__handbook\/live\.js" data-hash="[0-9a-f]{16}"><\/script>\s*<\/body>/;

// The server process and what it says; the edited file's text, to put back.
let server = null;
let restore = null;

// No silent pass: a missing browser, driver, binary or fixture is a failure.
const { check, fatal, puppeteer: loadPuppeteer, done } = runner({ cleanUp, seconds: 150 });
if (!BIN || !ROOT) fatal("usage: node tests/e2e/serve.e2e.mjs BIN HANDBOOK");
const puppeteer = await loadPuppeteer();
if (!fs.existsSync(BIN)) fatal(`${BIN} is missing: cargo build`);
for (const file of [PAGE, OTHER]) {
  if (!fs.existsSync(path.join(ROOT, file))) fatal(`${path.join(ROOT, file)} is missing`);
}

// ---- The page files: what the test edits, and where the site shows it. ----

const pageFile = path.join(ROOT, PAGE);
const original = fs.readFileSync(pageFile, "utf8");
restore = () => fs.writeFileSync(pageFile, original);

/** The source with its `status` line given a misspelt status, and that line's number. */
function withBadStatus(source) {
  const lines = source.split("\n");
  const at = lines.findIndex((line) => /^status\s*[=:]/.test(line));
  assert(at > 0, `${PAGE} has no status line in its front matter`);
  lines[at] = lines[0] === "+++" ? 'status = "acceptd"' : "status: acceptd";
  return { text: lines.join("\n"), line: at + 1 };
}

// ---- The server, and what it says. ----

/** After a fatal error: the file as it was, and no server left running. */
function cleanUp() {
  if (restore) restore();
  if (server && !server.exit) server.child.kill("SIGKILL");
}

/** The server's Server-Sent Events, parsed, as they arrive. */
function listen(url) {
  const stream = { events: [], status: null, type: null, request: null };
  stream.request = http.get(url, { headers: { accept: "text/event-stream" } }, (res) => {
    stream.status = res.statusCode;
    stream.type = res.headers["content-type"];
    res.setEncoding("utf8");
    let buffer = "";
    res.on("data", (chunk) => {
      buffer = (buffer + chunk).replace(/\r\n/g, "\n");
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let type = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line === "" || line.startsWith(":")) continue; // comments keep the line open
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") type = value;
          else if (field === "data") data.push(value);
        }
        if (data.length) stream.events.push({ type, data: data.join("\n") });
      }
    });
  });
  stream.request.on("error", () => {});
  return stream;
}

/** Waits for the first event after the first `seen` ones, and returns it parsed. */
async function nextEvent(stream, seen) {
  const event = await poll("an event from /__handbook/events", () => stream.events[seen]);
  let data;
  try {
    data = JSON.parse(event.data);
  } catch (e) {
    throw new Error(`event ${event.type}: data is not JSON: ${event.data}`);
  }
  return { type: event.type, data };
}

// ---- Chromium. ----

const overlayShown = (page) => inPage(page, (sel) => !!document.querySelector(sel), OVERLAY);

/** How many reload events the tab has had since it was (re)loaded. */
const reloadsSeen = (page) => seenOf(page, "reload");

/**
 * Whether the tab reloaded on the next reload event: waits until its live.js has handled more
 * than `before` of them, then gives a navigation half a second to start.
 */
async function reloadedAfter(page, before) {
  await poll("the reload event in the other tab", async () => !(await stillHere(page)) ||
    (await reloadsSeen(page)) > before);
  await sleep(500);
  const reloaded = !(await stillHere(page));
  if (reloaded) await mark(page);
  return reloaded;
}

// ---- The run. ----

server = await startServer(BIN, ROOT).catch((e) => fatal(e.message));
const base = server.base;
const pageUrl = base + sitePath(PAGE).replace(/index\.html$/, ""); // as /decisions/0001-x/
const otherUrl = base + sitePath(OTHER); // as /protocols/unrelated/index.html
const events = listen(base + "__handbook/events");
const errors = [];
let browser;

try {
  await check("standard output: the build summary, Watching …, then Serving …", async () => {
    const [built, watching, serving] = server.stdout;
    assert(/^Built \d+ pages? .*in \d+(\.\d+)? ?ms$/.test(built), `first line: ${built}`);
    // Only the folders that exist are listed; the fixture has content/ and no static/ or themes/.
    assert(/^Watching content\/(, [a-z]+\/)* and handbook\.toml$/.test(watching), `second line: ${watching}`);
    assert(serving && serving.startsWith("Serving http://127.0.0.1:"), `third line: ${serving}`);
  });

  await check("served HTML gets live.js before </body>, and /__handbook/live.js is served; `build` output has no live.js", async () => {
    const res = await fetch(pageUrl);
    const html = await res.text();
    assert(res.ok && /text\/html/.test(res.headers.get("content-type")), `${pageUrl}: ${res.status} ${res.headers.get("content-type")}`);
    assert(LIVE_TAG.test(html), `${pageUrl} has no <script src="/__handbook/live.js" data-hash="…"> right before </body>`);
    assert(html.split("/__handbook/live.js").length === 2, "live.js is inserted more than once");
    const js = await fetch(base + "__handbook/live.js");
    const type = js.headers.get("content-type") || "";
    assert(js.ok && /javascript/.test(type), `/__handbook/live.js: ${js.status} ${type}`);
    assert((await js.text()).includes("/__handbook/events"), "/__handbook/live.js does not open /__handbook/events");
    const worker = await fetch(base + "__handbook/live-worker.js");
    const workerType = worker.headers.get("content-type") || "";
    assert(worker.ok && /javascript/.test(workerType), `/__handbook/live-worker.js: ${worker.status} ${workerType}`);
    assert((await worker.text()).includes("/__handbook/events"), "/__handbook/live-worker.js does not open /__handbook/events");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "handbook-serve-e2e-"));
    try {
      const build = spawnSync(BIN, ["--root", ROOT, "build", "--output", path.join(out, "site")], { encoding: "utf8", timeout: 60000 });
      assert(build.status === 0, `build failed: ${build.stderr}`);
      const built = fs.readFileSync(path.join(out, "site", sitePath(PAGE)), "utf8");
      assert(!built.includes("__handbook"), "the built page refers to /__handbook/");
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  await check("/__handbook/events is an event stream that says hello first", async () => {
    const hello = await nextEvent(events, 0);
    assert(events.status === 200 && /^text\/event-stream/.test(events.type), `${events.status} ${events.type}`);
    assert(hello.type === "hello" && JSON.stringify(hello.data) === "{}", `first event: ${hello.type} ${JSON.stringify(hello.data)}`);
  });

  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
    .catch((e) => fatal(`could not start ${CHROMIUM}: ${e.message}`));
  const other = await openTab(browser, otherUrl, errors);
  const page = await openTab(browser, pageUrl, errors);
  await page.bringToFront();
  const scrolled = await page.evaluate(() => {
    window.scrollTo(0, Math.floor((document.documentElement.scrollHeight - innerHeight) * 0.6));
    return window.scrollY;
  });
  // Whether each reload event listed the other tab's file, and its reload count before it.
  let editChangedOther = false;
  let fixChangedOther = false;
  let otherBefore = 0;
  const edited = `Edited while serving ${Date.now()}: this paragraph was rewritten on disk.`;
  const fixed = `Fixed while serving ${Date.now()}: the front matter is valid again.`;
  const otherFile = sitePath(OTHER);

  await check(`(1) an edit of ${PAGE} reloads its page by itself, shows the new text and keeps the scroll position`, async () => {
    assert(scrolled > 1000, `the page scrolls only to ${scrolled}px: not long enough`);
    const seen = events.events.length;
    otherBefore = await reloadsSeen(other);
    fs.writeFileSync(pageFile, withParagraph(original, edited));
    const event = await nextEvent(events, seen);
    assert(event.type === "reload", `got ${event.type}: ${JSON.stringify(event.data)}\n${server.stderr}`);
    const { changed, all } = event.data;
    assert(Array.isArray(changed) && typeof all === "boolean", `reload data: ${JSON.stringify(event.data)}`);
    assert(all || changed.includes(sitePath(PAGE)), `${sitePath(PAGE)} is not in changed: ${JSON.stringify(changed)}`);
    editChangedOther = all || changed.includes(otherFile);
    await poll("the reloaded page to show the new text", async () => !(await stillHere(page)) && (await bodyHas(page, edited)));
    await page.evaluate(() => { window.__serveMarker = "not reloaded"; });
    const y = await poll("the scroll position to come back", async () => {
      const now = await inPage(page, () => window.scrollY);
      return Math.abs(now - scrolled) <= 4 ? now : 0;
    }, 3000).catch(async (e) => { throw new Error(`${e.message}: scrollY is ${await inPage(page, () => window.scrollY)}, was ${scrolled}`); });
    assert(Math.abs(y - scrolled) <= 4, `scrollY ${y}, was ${scrolled}`);
    await poll("a Rebuilt line", () => server.stdout.some((l) => /^Rebuilt [1-9]\d* pages? in \d+ ms \(\d+ files? changed\)$/.test(l)))
      .catch(() => { throw new Error(`no "Rebuilt N pages in X ms" line; standard output after Serving: ${server.stdout.slice(3).join(" | ")}`); });
  });

  await check(`(4) the other tab (${otherFile}) reloads on that edit only if its file changed`, async () => {
    const reloaded = await reloadedAfter(other, otherBefore);
    assert(reloaded === editChangedOther, reloaded ? "it reloaded, but its file was not in changed" : "its file changed, but it did not reload");
    if (editChangedOther) console.log(`  note: the server listed ${otherFile} as changed by an edit of ${PAGE}`);
  });

  const bad = withBadStatus(withParagraph(original, edited));
  await check(`(2) invalid front matter shows the error overlay, naming ${path.basename(PAGE)}:${bad.line}, without reloading`, async () => {
    const seen = events.events.length;
    fs.writeFileSync(pageFile, bad.text);
    const event = await nextEvent(events, seen);
    assert(event.type === "failed", `got ${event.type}: ${JSON.stringify(event.data)}`);
    const [first] = event.data.errors || [];
    assert(first && String(first.file).endsWith(path.basename(PAGE)) && first.line === bad.line,
      `failed data: ${JSON.stringify(event.data)}, expected ${PAGE} line ${bad.line}`);
    assert(typeof first.message === "string" && typeof first.text === "string" && first.text.includes("\n"), `error: ${JSON.stringify(first)}`);
    await poll("the overlay", () => overlayShown(page));
    const shown = await page.$eval(OVERLAY, (o) => ({
      text: o.innerText,
      role: o.getAttribute("role"),
      label: (document.getElementById(o.getAttribute("aria-labelledby")) || {}).textContent,
      pre: (o.querySelector("pre") || {}).textContent,
      focused: o.contains(document.activeElement) && document.activeElement.tagName,
    }));
    assert(shown.text.includes(`${path.basename(PAGE)}:${bad.line}`), `the overlay does not say ${path.basename(PAGE)}:${bad.line}:\n${shown.text}`);
    assert(shown.role === "alertdialog" && shown.label && shown.label.trim(), `role ${shown.role}, label ${shown.label}`);
    assert(shown.pre === first.text, "the <pre> does not hold the full diagnostic");
    assert(shown.focused === "BUTTON", `focus is on ${shown.focused}, not the close button`);
    assert(await stillHere(page), "the page reloaded");
    assert(await bodyHas(page, edited), "the page no longer shows the last good text");
    assert(/^Build failed: the handbook has 1 error; still serving the last good site$/m.test(server.stderr),
      `no "Build failed: the handbook has 1 error; still serving the last good site" line; standard error ends: ${server.stderr.trim().split("\n").slice(-2).join(" | ")}`);
    assert(server.stderr.includes(`${path.basename(PAGE)}:${bad.line}`), `standard error has no file:line:\n${server.stderr}`);
    const served = await (await fetch(pageUrl)).text();
    assert(served.includes(edited.replace(/:.*/, "")), "the server no longer serves the last good page");
  });

  await check("(2) Escape closes the overlay; the other tab shows it too, without reloading", async () => {
    await page.keyboard.press("Escape");
    assert(!(await overlayShown(page)), "Escape did not close the overlay");
    await poll("the overlay in the other tab", () => overlayShown(other));
    assert(await stillHere(other), "the other tab reloaded on a failed build");
  });

  await check("(2) a tab opened while the handbook is broken shows the errors at once", async () => {
    const late = await openTab(browser, otherUrl, errors);
    try {
      const first = await inPage(late, () => window.__events[0]);
      assert(first && first.type === "failed", `its first message: ${JSON.stringify(first)}`);
      await poll("the overlay in the new tab", () => overlayShown(late));
    } finally {
      await late.close();
    }
  });

  await check(`(3) fixing the file removes the overlay and shows the fixed content`, async () => {
    const seen = events.events.length;
    otherBefore = await reloadsSeen(other);
    fs.writeFileSync(pageFile, withParagraph(original, fixed));
    const event = await nextEvent(events, seen);
    assert(event.type === "reload", `got ${event.type}: ${JSON.stringify(event.data)}`);
    const { changed, all } = event.data;
    assert(all || changed.includes(sitePath(PAGE)), `${sitePath(PAGE)} is not in changed: ${JSON.stringify(changed)}`);
    fixChangedOther = all || changed.includes(otherFile);
    await poll("the page to show the fixed text", async () => !(await stillHere(page)) && (await bodyHas(page, fixed)));
    assert(!(await overlayShown(page)), "the overlay is still there");
    await poll("the overlay in the other tab to go", async () => (await overlayShown(other)) === false);
  });

  await check(`(4) the other tab reloads on the fix only if its file changed`, async () => {
    const reloaded = await reloadedAfter(other, otherBefore);
    assert(reloaded === fixChangedOther, reloaded ? "it reloaded, but its file was not in changed" : "its file changed, but it did not reload");
  });

  await check("(5) a title edit reloads the edited page, then a tab of the decision log, which lists the new title", async () => {
    const log = await openTab(browser, base + "decisions/index.html", errors);
    try {
      const retitled = withParagraph(original, fixed).replace(/^(title\s*[=:]\s*["']?)/m, "$1Retitled ");
      assert(retitled !== withParagraph(original, fixed), `${PAGE} has no title line`);
      await mark(page);
      await mark(log);
      const seen = events.events.length;
      fs.writeFileSync(pageFile, retitled);
      const first = await nextEvent(events, seen);
      assert(first.type === "reload" && first.data.changed.includes(sitePath(PAGE)), `first event: ${JSON.stringify(first)}`);
      await poll("the edited page to show its new title", async () => !(await stillHere(page)) && (await bodyHas(page, "Retitled ")));
      await poll("the decision log to show the new title", async () => !(await stillHere(log)) && (await bodyHas(log, "Retitled ")));
      assert(server.stdout.some((l) => /^Brought [1-9]\d* pages? up to date in \d+ ms \(\d+ files? changed\)$/.test(l)),
        `no "Brought N pages up to date" line; standard output after Serving: ${server.stdout.slice(3).join(" | ")}`);
    } finally {
      await log.close();
    }
  });

  await check("no script errors", async () => {
    assert(errors.length === 0, errors.join("\n"));
  });
} finally {
  restore();
  events.request.destroy();
  if (browser) await browser.close();
}

await check("Ctrl+C (SIGINT) stops the server with exit code 0", async () => {
  const exit = await stopServer(server);
  assert(exit.code === 0, `exit ${JSON.stringify(exit)}\n${server.stderr}`);
});
done();
