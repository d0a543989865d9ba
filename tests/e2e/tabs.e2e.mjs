// End-to-end test of `handbook serve` with many tabs open all day, in headless Chromium (Debian's
// /usr/bin/chromium, driven by puppeteer-core):
//
//   (A) twenty tabs of one preview all load, search works in each, the browser holds one
//       live-reload stream for all of them (a shared worker), and an edit reloads the tabs
//       showing the edited page and no other; tabs that close leave the worker;
//   (R) serve is stopped, a page is edited, serve starts again on the same port: the open tabs
//       of that page refresh themselves (keeping the scroll position), the others do not;
//   (B) without SharedWorker (Safari on iOS, Chrome on Android), one leader tab holds the stream
//       and relays it; when it closes another takes over, and a tab the reader switches to takes
//       over from a leader frozen in the background;
//   (C) without SharedWorker and Web Locks, each tab holds its own stream, as before.
//
//   node tests/e2e/tabs.e2e.mjs BIN HANDBOOK
//
// BIN is the handbook binary; HANDBOOK a handbook folder holding a decision long enough to scroll
// (content/decisions/0001-long-page.md, titled "A long decision") and an unrelated page
// (content/protocols/unrelated.md); tests/browser.rs writes one into a temporary folder. The
// script edits the long page's file and puts it back at the end. Prints a line per check; exits
// non-zero when a check fails, or when Chromium or puppeteer-core is missing.
import fs from "node:fs";
import path from "node:path";

import { ARGS, CHROMIUM, runner } from "./runner.mjs";
import {
  assert, bodyHas, heardSources, inPage, mark, openSources, openTab, poll, rebuilt, seenOf, sitePath, sleep, startServer, stillHere,
  stopServer, withParagraph,
} from "./serving.mjs";

const BIN = process.argv[2] && path.resolve(process.argv[2]);
const ROOT = process.argv[3] && path.resolve(process.argv[3]);
const PAGE = "content/decisions/0001-long-page.md";
const OTHER = "content/protocols/unrelated.md";
const QUERY = "long decision";
const EXPECTED = "A long decision";
const TABS = Number(process.env.TABS || 20); // fewer, to try a version that cannot hold twenty

let server = null;
let restore = null;
const { check, fatal, puppeteer: loadPuppeteer, done } = runner({ cleanUp, seconds: 300 });
if (!BIN || !ROOT) fatal("usage: node tests/e2e/tabs.e2e.mjs BIN HANDBOOK");
const puppeteer = await loadPuppeteer();
if (!fs.existsSync(BIN)) fatal(`${BIN} is missing: cargo build`);
for (const file of [PAGE, OTHER]) {
  if (!fs.existsSync(path.join(ROOT, file))) fatal(`${path.join(ROOT, file)} is missing`);
}

const pageFile = path.join(ROOT, PAGE);
const original = fs.readFileSync(pageFile, "utf8");
restore = () => fs.writeFileSync(pageFile, original);

function cleanUp() {
  if (restore) restore();
  if (server && !server.exit) server.child.kill("SIGKILL");
}

// ---- Tabs and what they show. ----

/** Opens `count` tabs in `context`, alternating the long page and the other one. */
async function openTabs(context, count, errors, setUp) {
  const tabs = [];
  for (let i = 0; i < count; i++) {
    const long = i % 2 === 0;
    const url = server.base + sitePath(long ? PAGE : OTHER).replace(/index\.html$/, "");
    const page = await openTab(context, url, errors, setUp).catch((e) => {
      throw new Error(`tab ${i + 1} of ${count} (${url}) did not load: ${e.message}`);
    });
    tabs.push({ page, long, url });
  }
  return tabs;
}

/**
 * Switches to the tab, types the query into the header's search box and waits for the expected
 * first result (polling on a timer: a tab in the background gets no animation frames).
 */
async function search(page) {
  await page.bringToFront();
  await page.click("#site-search-input", { count: 3 });
  await page.type("#site-search-input", QUERY);
  await page.waitForFunction((t) => {
    const first = document.querySelector(".search-dropdown:not([hidden]) [role=option] .result-title");
    return first && first.textContent === t;
  }, { timeout: 15000, polling: 50 }, EXPECTED);
}

/**
 * The streams the tabs' pages hold themselves: how many EventSources each has open, their sum,
 * and the `via` of each tab's last message.
 */
async function connections(tabs) {
  const open = await Promise.all(tabs.map(({ page }) => openSources(page)));
  const via = await Promise.all(tabs.map(({ page }) => inPage(page, () => (window.__events[window.__events.length - 1] || {}).via)));
  return { open, sources: open.reduce((n, o) => n + (o || 0), 0), via };
}

/** Waits until exactly one tab holds a stream, leading the others, and returns that tab. A tab
 * that has just taken the lead counts once its own new stream is open and has said hello to it:
 * an edit made while that stream still connects is not sent to it as a reload, and its hello then
 * finds the pages current. (The last event a tab handled is no sign: one that led before still
 * has a leader's.) */
async function oneLeader(tabs, what) {
  const now = await poll(what, async () => {
    const seen = await connections(tabs);
    const leading = seen.open.indexOf(1);
    const settled = seen.sources === 1 && seen.via[leading] === "leader" && (await heardSources(tabs[leading].page)) === 1;
    return settled && seen.via.every((v) => v === "leader" || v === "follower") ? seen : null;
  }).catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await connections(tabs))}`); });
  return tabs[now.open.indexOf(1)];
}

/** The shared workers of the browser, and what the one there says about its stream. */
async function workers(browser) {
  const targets = browser.targets().filter((t) => t.type() === "shared_worker");
  if (targets.length !== 1) return { count: targets.length };
  const worker = await targets[0].worker();
  const state = await worker.evaluate(() => ({ ports: ports.length, open: !!source && source.readyState === 1 }));
  return { count: 1, ...state };
}

/**
 * Edits the long page (or has it edited by `edit`), then waits until every tab of it shows
 * `text`, and checks that the other tabs reloaded only if the reload event listed their file.
 */
async function expectReloads(tabs, text, edit, label) {
  const others = tabs.filter((t) => !t.long);
  const before = await Promise.all(others.map(({ page }) => seenOf(page, "reload")));
  await edit();
  for (const { page } of tabs.filter((t) => t.long)) {
    await poll(`${label}: the long page's tab to show the new text`, async () => !(await stillHere(page)) && (await bodyHas(page, text)));
    await mark(page);
  }
  // Each other tab has handled the reload event (or reloaded) before it is judged.
  let listed = null;
  for (const [i, { page }] of others.entries()) {
    await poll(`${label}: the reload event in the other tab`, async () => !(await stillHere(page)) || (await seenOf(page, "reload")) > before[i]);
    if (listed === null && (await stillHere(page))) {
      const event = await inPage(page, () => window.__events.filter((e) => e.type === "reload").pop());
      listed = event.data.all === true || event.data.changed.includes(sitePath(OTHER));
    }
  }
  await sleep(500);
  const reloaded = [];
  for (const { page } of others) {
    if (!(await stillHere(page))) { reloaded.push(page); await mark(page); }
  }
  if (listed === null) listed = true; // every one reloaded: they must have been listed
  assert(reloaded.length === (listed ? others.length : 0),
    `${reloaded.length} of ${others.length} tabs of the other page reloaded, but its file was ${listed ? "" : "not "}in changed`);
}

// ---- The run. ----

const errors = [];
let browser;
try {
  server = await startServer(BIN, ROOT).catch((e) => fatal(e.message));
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, protocolTimeout: 60000 })
    .catch((e) => fatal(`could not start ${CHROMIUM}: ${e.message}`));

  // (A) Twenty tabs, one shared worker.
  let tabs = [];
  await check(`(A) ${TABS} tabs of one preview all load and connect (with one stream per tab, the seventh never loads)`, async () => {
    const started = Date.now();
    tabs = await openTabs(browser, TABS, errors);
    console.log(`  note: ${TABS} tabs loaded and connected in ${Date.now() - started} ms`);
  });
  if (tabs.length !== TABS) fatal("the tabs did not load: the rest cannot run");

  await check(`(A) the browser holds one live-reload stream for all ${TABS} tabs: one shared worker, no EventSource in any tab`, async () => {
    const { sources, via } = await connections(tabs);
    assert(via.every((v) => v === "worker"), `the tabs connect via ${[...new Set(via)].join(", ")}`);
    assert(sources === 0, `the tabs opened ${sources} EventSources themselves`);
    const shared = await workers(browser);
    assert(shared.count === 1 && shared.open && shared.ports === TABS, `shared workers: ${JSON.stringify(shared)}`);
  });

  await check(`(A) search works in each of the ${TABS} tabs`, async () => {
    const started = Date.now();
    for (const [i, { page }] of tabs.entries()) {
      await search(page).catch((e) => { throw new Error(`tab ${i + 1}: ${e.message}`); });
    }
    console.log(`  note: ${TABS} searches answered in ${Date.now() - started} ms`);
  });

  const edited = `Edited with ${TABS} tabs open ${Date.now()}: this paragraph was rewritten on disk.`;
  await check(`(A) an edit of ${PAGE} reloads its ${TABS / 2} tabs and not the others`, async () => {
    const seen = server.stdout.length;
    await expectReloads(tabs, edited, () => fs.writeFileSync(pageFile, withParagraph(original, edited)), "(A)");
    await rebuilt(server, seen);
  });

  await check("(A) the reloaded tabs joined the same worker again, and closed tabs leave it", async () => {
    let shared = await poll("the reloaded tabs to join the worker", async () => {
      const now = await workers(browser);
      return now.ports === TABS ? now : null;
    }).catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await workers(browser))}`); });
    assert(shared.count === 1 && shared.open, `shared workers: ${JSON.stringify(shared)}`);
    const closing = tabs.splice(tabs.length - 4, 4);
    for (const { page } of closing) await page.close();
    shared = await poll("the closed tabs to leave the worker", async () => {
      const now = await workers(browser);
      return now.ports === tabs.length ? now : null;
    }).catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(await workers(browser))}`); });
    assert(shared.count === 1 && shared.open, `shared workers: ${JSON.stringify(shared)}`);
  });

  // (R) Stop, edit, start again on the same port.
  const whileDown = `Edited while serve was stopped ${Date.now()}: the open tab must catch up.`;
  await check("(R) after serve is stopped, the page edited and serve started again on the same port, the stale tabs refresh, keeping their place, and the others do not reload", async () => {
    const stale = tabs.filter((t) => t.long);
    const scroller = stale[0].page;
    await scroller.bringToFront();
    const scrolled = await scroller.evaluate(() => {
      window.scrollTo(0, Math.floor((document.documentElement.scrollHeight - innerHeight) * 0.6));
      return window.scrollY;
    });
    assert(scrolled > 1000, `the page scrolls only to ${scrolled}px: not long enough`);
    const hellos = await Promise.all(tabs.map(({ page }) => seenOf(page, "hello")));
    const port = server.port;
    const exit = await stopServer(server);
    assert(exit.code === 0, `serve exited with ${JSON.stringify(exit)}`);
    fs.writeFileSync(pageFile, withParagraph(original, whileDown));
    await sleep(500); // the tabs notice that the server has gone
    server = await startServer(BIN, ROOT, port);
    const started = Date.now();
    for (const { page } of stale) {
      await poll("the stale tab to refresh and show the text edited while serve was stopped",
        async () => !(await stillHere(page)) && (await bodyHas(page, whileDown)), 20000);
    }
    console.log(`  note: the stale tabs refreshed ${Date.now() - started} ms after serve started again`);
    const y = await poll("the scroll position to come back", async () => {
      const now = await inPage(scroller, () => window.scrollY);
      return Math.abs(now - scrolled) <= 4 ? now : 0;
    }, 3000).catch(async (e) => { throw new Error(`${e.message}: scrollY is ${await inPage(scroller, () => window.scrollY)}, was ${scrolled}`); });
    assert(Math.abs(y - scrolled) <= 4, `scrollY ${y}, was ${scrolled}`);
    for (const { page } of stale) await mark(page);
    // The others have had the new server's hello (and so asked whether they are current).
    for (const [i, { page, long }] of tabs.entries()) {
      if (long) continue;
      await poll("the new server's hello in an unchanged tab", async () => (await seenOf(page, "hello")) > hellos[i]);
    }
    await sleep(1000);
    for (const { page, long } of tabs) {
      if (!long) assert(await stillHere(page), "a tab whose page did not change reloaded after the restart");
    }
  });

  await check("(R) after the restart one worker holds the one stream again, and an edit still reloads the right tabs", async () => {
    const shared = await workers(browser);
    assert(shared.count === 1 && shared.open && shared.ports === tabs.length, `shared workers: ${JSON.stringify(shared)}`);
    const again = `Edited after the restart ${Date.now()}.`;
    await expectReloads(tabs, again, () => fs.writeFileSync(pageFile, withParagraph(original, again)), "(R)");
  });

  for (const { page } of tabs) await page.close();

  // (B) No SharedWorker: a leader tab.
  const noWorker = () => { delete window.SharedWorker; };
  const leaderContext = await browser.createBrowserContext();
  let led = [];
  await check("(B) without SharedWorker, 8 tabs load; one leader tab holds the only stream and relays it; search works in each", async () => {
    led = await openTabs(leaderContext, 8, errors, noWorker);
    await oneLeader(led, "one tab to lead");
    for (const [i, { page }] of led.entries()) {
      await search(page).catch((e) => { throw new Error(`tab ${i + 1}: ${e.message}`); });
    }
  });

  await check("(B) an edit reloads the long page's tabs and not the others, whichever leads", async () => {
    const text = `Edited without a shared worker ${Date.now()}.`;
    await expectReloads(led, text, () => fs.writeFileSync(pageFile, withParagraph(original, text)), "(B)");
    await oneLeader(led, "one leader after the reloads");
  });

  await check("(B) when the leader tab closes, another takes over, and an edit still reloads the right tabs", async () => {
    const leader = await oneLeader(led, "one leader");
    led = led.filter((t) => t !== leader);
    await leader.page.close();
    await oneLeader(led, "another tab to lead");
    const text = `Edited after the leader closed ${Date.now()}.`;
    await expectReloads(led, text, () => fs.writeFileSync(pageFile, withParagraph(original, text)), "(B)");
  });

  await check("(B) a tab the reader switches to takes the lead from a leader frozen in the background; the thawed one follows", async () => {
    const leader = await oneLeader(led, "one leader");
    const cdp = await leader.page.createCDPSession();
    await cdp.send("Page.setWebLifecycleState", { state: "frozen" });
    const looked = led.find((t) => t !== leader && !t.long); // a tab the edit below leaves alone
    await looked.page.bringToFront(); // the reader switches to it: it becomes visible
    assert(await inPage(looked.page, () => document.visibilityState === "visible"), "the tab switched to is not visible");
    await poll("the tab switched to to lead", async () => (await heardSources(looked.page)) === 1);
    const awake = led.filter((t) => t !== leader);
    const text = `Edited while the leader was frozen ${Date.now()}.`;
    await expectReloads(awake, text, () => fs.writeFileSync(pageFile, withParagraph(original, text)), "(B)");
    await cdp.send("Page.setWebLifecycleState", { state: "active" });
    assert((await oneLeader(led, "one stream again once the old leader has thawed")) === looked, "the tab switched to no longer leads");
  });
  await leaderContext.close();

  // (C) Neither SharedWorker nor Web Locks: a stream per tab.
  const neither = () => {
    delete window.SharedWorker;
    Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined });
  };
  const ownContext = await browser.createBrowserContext();
  await check("(C) without SharedWorker and Web Locks, each tab holds its own stream, and an edit reloads the right tab", async () => {
    const own = await openTabs(ownContext, 2, errors, neither);
    const { open, via } = await connections(own);
    assert(via.every((v) => v === "tab") && open.every((o) => o === 1), `EventSources open: ${open.join(", ")}, via ${via.join(", ")}`);
    const text = `Edited with a stream per tab ${Date.now()}.`;
    await expectReloads(own, text, () => fs.writeFileSync(pageFile, withParagraph(original, text)), "(C)");
  });
  await ownContext.close();

  await check("no script errors", async () => {
    assert(errors.length === 0, errors.join("\n"));
  });
} finally {
  restore();
  if (browser) await browser.close();
}

await check("Ctrl+C (SIGINT) stops the server with exit code 0", async () => {
  const exit = await stopServer(server);
  assert(exit.code === 0, `exit ${JSON.stringify(exit)}\n${server.stderr}`);
});
done();
