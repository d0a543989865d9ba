// End-to-end tests of the handbook's search in headless Chromium (Debian's /usr/bin/chromium,
// driven by puppeteer-core), against a built site: once served over HTTP from 127.0.0.1, once
// opened from file://. Usage: node tests/e2e/search.e2e.mjs [SITE]   (or SITE=...; default public/)
// Exits non-zero when a check fails, or when Chromium or puppeteer-core is missing.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { ARGS, CHROMIUM, runner, serve } from "./runner.mjs";

const SITE = path.resolve(process.argv[2] || process.env.SITE || "public");
// The sample handbook's answer to the sample query; override for another handbook.
const QUERY = process.env.SEARCH_QUERY || "async standups";
const EXPECTED = process.env.SEARCH_EXPECTED || "Written async standups in a thread";
const WAIT = 10000;

const { check, fatal, puppeteer: loadPuppeteer, done } = runner();
const puppeteer = await loadPuppeteer();
for (const file of ["index.html", "search/index.html", "search/meta.js", "assets/search.js", "decisions/index.html"]) {
  if (!fs.existsSync(path.join(SITE, file))) fatal(`${path.join(SITE, file)} is missing: build the site first`);
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// ---- What the site itself says: the decision log's rows, to compare search results with. ----

function decode(html) {
  return html.replace(/&quot;/g, '"').replace(/&#0?39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").trim();
}

function decisionLog() {
  const html = fs.readFileSync(path.join(SITE, "decisions/index.html"), "utf8");
  const rows = [];
  for (const row of html.matchAll(/<tr data-status="([^"]*)"[^>]*>([\s\S]*?)<\/tr>/g)) {
    const link = /<a href="([^"]+)">([^<]+)<\/a>/.exec(row[2]);
    if (link) rows.push({ status: row[1], href: path.posix.normalize(path.posix.join("decisions", link[1])), title: decode(link[2]) });
  }
  return rows;
}

// ---- The checks, run once per way of opening the site. ----

async function openPage(browser, url, errors) {
  const page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(`${url}: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") errors.push(`${url}: console: ${m.text()}`); });
  await page.goto(url, { waitUntil: "load" });
  return page;
}

/** Types into the header box and waits for the dropdown to show `title` first; returns the titles. */
async function typeInHeader(page, query, title) {
  await page.click("#site-search-input");
  await page.type("#site-search-input", query, { delay: 25 });
  await page.waitForSelector(".search-dropdown:not([hidden]) [role=option]", { timeout: WAIT });
  const first = ".search-dropdown:not([hidden]) [role=option] .result-title";
  await page.waitForFunction((sel, t) => { const e = document.querySelector(sel); return e && e.textContent === t; },
    { timeout: WAIT }, first, title).catch(() => {});
  return page.$$eval(".search-dropdown:not([hidden]) [role=option] .result-title", (els) => els.map((e) => e.textContent));
}

async function results(page) {
  return page.$$eval("#search-results > li", (lis) => lis.map((li) => ({
    title: li.querySelector(".result-title").textContent,
    href: li.querySelector(".result-title").href,
    meta: li.querySelector(".result-meta").textContent,
  })));
}

/** Waits until the search page has settled on an answer (count shown, no pending change). */
async function settled(page) {
  await page.waitForFunction(() => document.getElementById("search-count").textContent !== "", { timeout: WAIT });
  await new Promise((r) => setTimeout(r, 300));
}

async function suite(browser, label, base) {
  const errors = [];
  const log = decisionLog();
  const target = log.find((d) => d.title === EXPECTED);
  const url = (p) => base + p;

  await check(`${label}: nothing is loaded before the box is used, then "${QUERY}" lists "${EXPECTED}" first`, async () => {
    const page = await browser.newPage();
    const requested = [];
    page.on("request", (r) => requested.push(r.url()));
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url("index.html"), { waitUntil: "load" });
    const early = requested.filter((u) => /\/search\/|search\.js/.test(u));
    assert(early.length === 0, `loaded before use: ${early.join(", ")}`);
    const titles = await typeInHeader(page, QUERY, EXPECTED);
    assert(titles[0] === EXPECTED, `first result is "${titles[0]}" (all: ${titles.join(" | ")})`);
    assert(titles.length <= 9, `${titles.length} options`);
    const live = await page.$eval(".site-search [role=status]", (e) => e.textContent);
    assert(/\d+\+? results?/.test(live), `live region says "${live}"`);
    const expanded = await page.$eval("#site-search-input", (e) => e.getAttribute("aria-expanded"));
    assert(expanded === "true", "aria-expanded is not true");
    // Arrow down selects the first result; Enter opens it.
    await page.keyboard.press("ArrowDown");
    const active = await page.$eval("#site-search-input", (e) => e.getAttribute("aria-activedescendant"));
    const selected = await page.$eval(".search-option[aria-selected=true] .result-title", (e) => e.textContent);
    assert(active && selected === EXPECTED, `selected "${selected}" (${active})`);
    await Promise.all([page.waitForNavigation({ timeout: WAIT }), page.keyboard.press("Enter")]);
    const at = new URL(page.url());
    assert(target && at.pathname.endsWith("/" + target.href), `opened ${page.url()}, expected …/${target && target.href}`);
    // A record's heading starts with its number (`0006 Written async standups…`).
    const h1 = await page.$eval("h1", (e) => e.textContent.trim());
    assert(h1 === EXPECTED || h1.replace(/^\d+ /, "") === EXPECTED, `page title is "${h1}"`);
    await page.close();
  });

  await check(`${label}: a click on a result opens it; Escape closes the list; Enter without a selection opens the search page`, async () => {
    const page = await openPage(browser, url("protocols/index.html"), errors);
    await typeInHeader(page, QUERY, EXPECTED);
    await page.keyboard.press("Escape");
    const hidden = await page.$eval(".search-dropdown", (e) => e.hidden);
    assert(hidden, "Escape did not close the list");
    await page.keyboard.press("ArrowDown"); // opens it again
    await page.waitForSelector(".search-dropdown:not([hidden])", { timeout: WAIT });
    await Promise.all([page.waitForNavigation({ timeout: WAIT }), page.click(".search-dropdown:not([hidden]) [role=option]")]);
    assert(new URL(page.url()).pathname.endsWith("/" + target.href), `click opened ${page.url()}`);
    await page.goto(url("meetings/index.html"), { waitUntil: "load" });
    await typeInHeader(page, QUERY, EXPECTED);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp"); // back to the box: nothing selected
    await Promise.all([page.waitForNavigation({ timeout: WAIT }), page.keyboard.press("Enter")]);
    const at = new URL(page.url());
    assert(at.pathname.endsWith("/search/index.html") && at.searchParams.get("q") === QUERY, `Enter opened ${page.url()}`);
    await settled(page);
    const found = await results(page);
    assert(found.length && found[0].title === EXPECTED, `search page lists "${found[0] && found[0].title}" first`);
    await page.close();
  });

  await check(`${label}: "/" focuses the box from anywhere, and what is typed before the engine arrives is searched`, async () => {
    const page = await openPage(browser, url("index.html"), errors);
    await page.keyboard.press("/");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    assert(focused === "site-search-input", `focus is on "${focused}"`);
    await page.keyboard.type(QUERY); // at once, while assets/search.js may still be loading
    await page.waitForSelector(".search-dropdown:not([hidden]) [role=option]", { timeout: WAIT });
    // Results of the words typed so far may show first; the full query's results replace them.
    const title = () => page.$eval(".search-dropdown:not([hidden]) [role=option] .result-title", (e) => e.textContent);
    await page
      .waitForFunction(
        (want) => {
          const el = document.querySelector(".search-dropdown:not([hidden]) [role=option] .result-title");
          return el && el.textContent === want;
        },
        { timeout: WAIT },
        EXPECTED,
      )
      .catch(() => {});
    const first = await title();
    assert(first === EXPECTED, `first result is "${first}"`);
    await page.close();
  });

  await check(`${label}: ?q=&status=accepted&kind=decision lists exactly the accepted decisions of the decision log`, async () => {
    const page = await openPage(browser, url("search/index.html?q=&status=accepted&kind=decision"), errors);
    await settled(page);
    while (await page.$eval("#search-more", (b) => !b.hidden)) {
      const before = (await results(page)).length;
      await page.click("#search-more");
      await page.waitForFunction((n) => document.querySelectorAll("#search-results > li").length > n, { timeout: WAIT }, before);
    }
    const found = await results(page);
    const accepted = log.filter((d) => d.status === "accepted");
    assert(accepted.length > 0, "the decision log lists no accepted decision");
    for (const r of found) assert(/^Decision · Accepted/.test(r.meta), `not an accepted decision: ${r.title} (${r.meta})`);
    const want = accepted.map((d) => d.title).sort();
    const got = found.map((r) => r.title).sort();
    assert(JSON.stringify(got) === JSON.stringify(want), `got ${got.length}: ${got.join(" | ")}\nwant ${want.length}: ${want.join(" | ")}`);
    // Newest first, as the decision log lists them.
    assert(JSON.stringify(found.map((r) => r.title)) === JSON.stringify(accepted.map((d) => d.title)), "not in the decision log's order");
    const count = await page.$eval("#search-count", (e) => e.textContent);
    assert(count.startsWith(accepted.length + " result"), `count says "${count}", the log ${accepted.length}`);
    const selects = await page.evaluate(() => [document.getElementById("search-status").value, document.getElementById("search-kind").value]);
    assert(selects.join() === "accepted,decision", `selects show ${selects}`);
    await page.close();
  });

  await check(`${label}: a query with a filter on the search page, and the shareable URL it writes`, async () => {
    const page = await openPage(browser, url("search/index.html"), errors);
    await page.waitForFunction(() => document.getElementById("search-kind").options.length > 1, { timeout: WAIT });
    await page.type("#search-q", "standup", { delay: 25 });
    await page.select("#search-kind", "decision");
    await page.waitForFunction(() => /[?&]kind=decision/.test(location.search) && /[?&]q=standup/.test(location.search), { timeout: WAIT });
    await settled(page);
    const found = await results(page);
    assert(found.length > 0, "no results");
    for (const r of found) assert(r.meta.startsWith("Decision"), `not a decision: ${r.title} (${r.meta})`);
    assert(found.some((r) => r.title === EXPECTED), `"${EXPECTED}" is missing: ${found.map((r) => r.title).join(" | ")}`);
    // Excerpts come with the search run once typing pauses: give a slow machine until WAIT.
    const excerpts = await page
      .waitForFunction(() => document.querySelectorAll("#search-results .result-excerpt mark").length > 0, { timeout: WAIT })
      .then(() => true, () => false);
    assert(excerpts, "no <mark> in the excerpts");
    // The URL, opened anew, shows the same results.
    const shared = page.url();
    const again = await openPage(browser, shared, errors);
    await settled(again);
    // Both pages answer as their shards arrive, and a slow machine may still be finishing
    // the first page's last search: read both until they agree or WAIT runs out.
    let now = await results(page);
    let same = await results(again);
    for (const started = Date.now(); JSON.stringify(same) !== JSON.stringify(now) && Date.now() - started < WAIT;) {
      await new Promise((r) => setTimeout(r, 100));
      [now, same] = [await results(page), await results(again)];
    }
    const differs = same.findIndex((r, i) => JSON.stringify(r) !== JSON.stringify(now[i]));
    assert(JSON.stringify(same) === JSON.stringify(now),
      `the shared URL ${shared} shows other results (${same.length} against ${now.length}); the first that differs: ${JSON.stringify(same[differs])} instead of ${JSON.stringify(now[differs])}`);
    await again.close();
    await page.close();
  });

  await check(`${label}: "More results" adds the next page to a filter-only list`, async () => {
    const page = await openPage(browser, url("search/index.html"), errors);
    await page.waitForFunction(() => document.getElementById("search-year").options.length > 1, { timeout: WAIT });
    // The year with the most documents, from the select's own labels: "2026 (16)".
    const [year, expected] = await page.$eval("#search-year", (s) => Array.from(s.options).slice(1)
      .map((o) => [o.value, Number(/\((\d+)\)/.exec(o.textContent)[1])]).sort((a, b) => b[1] - a[1])[0]);
    await page.select("#search-year", year);
    await page.waitForFunction((y) => location.search === `?q=&year=${y}`, { timeout: WAIT }, year);
    await settled(page);
    assert(expected > 10, `only ${expected} documents in ${year}: nothing to page through`);
    assert((await results(page)).length === 10, "the first page does not have ten results");
    await page.click("#search-more");
    await page.waitForFunction((n) => document.querySelectorAll("#search-results > li").length === n, { timeout: WAIT }, Math.min(expected, 20));
    const focused = await page.evaluate(() => document.activeElement === document.querySelectorAll("#search-results > li")[10].querySelector("a"));
    assert(focused, "focus did not move to the first new result");
    const count = await page.$eval("#search-count", (e) => e.textContent);
    assert(count === `${expected} results`, `count says "${count}"`);
    await page.close();
  });

  await check(`${label}: no script errors`, async () => {
    assert(errors.length === 0, errors.join("\n"));
  });
}

const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
  .catch((e) => fatal(`could not start ${CHROMIUM}: ${e.message}`));
const server = await serve(SITE);
try {
  await suite(browser, "http", `http://127.0.0.1:${server.address().port}/`);
  await suite(browser, "file", pathToFileURL(SITE).href + "/");
} finally {
  server.close();
  await browser.close();
}
done();
