// What the end-to-end tests of `handbook serve` share: the server process and what it prints,
// the page sources they edit, and browser tabs that record what live.js tells them.
import { spawn } from "node:child_process";
import { recordErrors } from "./runner.mjs";

export const WAIT = 10000;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Calls `fn` until it returns something truthy, and returns that; fails after `timeout` ms. */
export async function poll(what, fn, timeout = WAIT) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      last = e; // e.g. the page is navigating: try again
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (${last.message})` : ""}`);
    await sleep(50);
  }
}

/** `page.evaluate` that returns undefined instead of throwing while the page navigates. */
export async function inPage(page, fn, ...args) {
  try {
    return await page.evaluate(fn, ...args);
  } catch {
    return undefined;
  }
}

// ---- The server. ----

/**
 * Runs `BIN --root ROOT serve --port PORT` and resolves, once it prints its Serving line, to
 * `{ child, stdout: [lines], stderr, exit, base: "http://127.0.0.1:N/", port }`.
 */
export async function startServer(bin, root, port = 0) {
  const server = { child: null, stdout: [], stderr: "", exit: null, base: null, port: null };
  server.child = spawn(bin, ["--root", root, "serve", "--port", String(port)], {
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let partial = "";
  server.child.stdout.setEncoding("utf8");
  server.child.stdout.on("data", (chunk) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop();
    server.stdout.push(...lines.map((l) => l.replace(/\r$/, "")));
  });
  server.child.stderr.setEncoding("utf8");
  server.child.stderr.on("data", (chunk) => { server.stderr += chunk; });
  server.child.on("exit", (code, signal) => { server.exit = { code, signal }; });
  server.base = await poll("the Serving line on standard output", () => {
    if (server.exit) throw new Error(`the server exited (${JSON.stringify(server.exit)}):\n${server.stderr}`);
    const line = server.stdout.find((l) => l.startsWith("Serving "));
    const m = line && /^Serving (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl\+C to stop\)$/.exec(line);
    if (line && !m) throw new Error(`unexpected line: ${line}`);
    return m && m[1];
  }, 60000).catch((e) => {
    server.child.kill("SIGKILL");
    throw new Error(`${e.message}\nstdout:\n${server.stdout.join("\n")}\nstderr:\n${server.stderr}`);
  });
  server.port = Number(new URL(server.base).port);
  return server;
}

/** Stops the server with Ctrl+C (SIGINT) and returns how it exited. */
export async function stopServer(server) {
  if (!server.exit) server.child.kill("SIGINT");
  return poll("the server to exit", () => server.exit);
}

/** Waits for a `Rebuilt N pages in X ms (M files changed)` line after the first `seen` lines. */
export function rebuilt(server, seen) {
  return poll("a Rebuilt line", () => server.stdout.slice(seen).some((l) => /^Rebuilt [1-9]\d* pages? in \d+ ms \(\d+ files? changed\)$/.test(l)));
}

// ---- The page sources. ----

/** `content/decisions/0001-x.md` → the site path `decisions/0001-x/index.html`. */
export function sitePath(source) {
  return source.replace(/^content\//, "").replace(/\.md$/, "") + "/index.html";
}

/** The Markdown source with the body paragraph three quarters of the way down replaced by `text`. */
export function withParagraph(source, text) {
  const lines = source.split("\n");
  const close = lines.indexOf(lines[0], 1); // the front matter's closing +++ or ---
  const prose = [];
  for (let i = close + 1; i < lines.length; i++) {
    if (/^[A-Za-z]/.test(lines[i]) && (lines[i - 1] === "" || i === close + 1)) prose.push(i);
  }
  assert(prose.length >= 10, `the page has only ${prose.length} paragraphs: not long enough to scroll`);
  lines[prose[Math.floor(prose.length * 0.75)]] = text;
  return lines.join("\n");
}

// ---- Tabs. ----

/**
 * Opens `url` in a new tab of `context` (a browser or a browser context). Each message live.js
 * handles is recorded in window.__events as `{type, data, via}` (live.js dispatches the
 * "handbook:live" event after handling it, so when it shows up there live.js has acted on it),
 * and each EventSource the page itself opens is kept in window.__sources. The browser's
 * own scroll restoration is off, so that live.js alone keeps the position. `setUp` runs in the
 * page before its scripts (e.g. to take SharedWorker away). Resolves once the tab has heard from
 * the server (hello, or failed while the handbook is broken), with window.__serveMarker set: it
 * is gone once the tab reloads.
 */
export async function openTab(context, url, errors, setUp = null) {
  const page = await context.newPage();
  recordErrors(page, url, errors);
  if (setUp) await page.evaluateOnNewDocument(setUp);
  await page.evaluateOnNewDocument(() => {
    history.scrollRestoration = "manual";
    window.__events = [];
    window.__sources = [];
    window.addEventListener("handbook:live", (e) => window.__events.push(e.detail));
    const Native = window.EventSource;
    if (Native) {
      window.EventSource = function (href, options) {
        const source = new Native(href, options);
        window.__sources.push(source);
        source.addEventListener("hello", () => { window.__sourceHello = true; source.heard = true; });
        return source;
      };
    }
  });
  await page.goto(url, { waitUntil: "load", timeout: 15000 });
  // A live.js that dispatches no "handbook:live" events (one from before there was one stream
  // per browser) is seen connecting on its own EventSource: then a test run against it fails
  // where that version fails, not here.
  await poll(`the first message from the server in ${url}`, () => inPage(page, () => window.__sourceHello || window.__events.length > 0));
  await page.evaluate(() => { window.__serveMarker = "not reloaded"; });
  return page;
}

/** Whether the tab has not reloaded since its marker was set. */
export const stillHere = (page) => inPage(page, () => window.__serveMarker === "not reloaded");

/** Sets the marker again, once the tab has loaded. */
export const mark = (page) => poll("the tab to load again", () => inPage(page, () => { window.__serveMarker = "not reloaded"; return true; }));

/** Whether the page's text includes `text`. */
export const bodyHas = (page, text) => inPage(page, (t) => document.body.innerText.includes(t), text);

/** How many of the EventSources the page opened itself are not closed. */
export const openSources = (page) => inPage(page, () => window.__sources.filter((s) => s.readyState !== 2).length);

/** How many of the EventSources the page opened itself are open and have said hello: a stream
 * still connecting (as one a tab opens on taking the lead) would miss an edit made now. */
export const heardSources = (page) => inPage(page, () => window.__sources.filter((s) => s.readyState === 1 && s.heard).length);

/** How many messages of `type` the tab has had since it was (re)loaded. */
export const seenOf = (page, type) => inPage(page, (t) => window.__events.filter((e) => e.type === t).length, type);
