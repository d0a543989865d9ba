// End-to-end tests of the home page and the people index in headless Chromium, against the
// handbook tests/browser.rs builds on 2026-11-25: the first screen at 1280×900, "Since your last
// visit" after a simulated earlier visit, what is overdue by the reader's day when it is later
// than the build's, and the people index's clocks. The browser's clock is set in every check, so
// the run does not depend on the day it happens.
// Usage: node tests/e2e/home.e2e.mjs SITE
import fs from "node:fs";
import path from "node:path";

import { ARGS, CHROMIUM, recordErrors, runner, serve } from "./runner.mjs";

const SITE = path.resolve(process.argv[2] || "");
const BUILD_DAY = "2026-11-25T12:00:00";
const LATER = "2026-12-05T12:00:00"; // after the 2026-12-03 item fell due
const LATER_UTC = "2026-12-05T12:00:00Z"; // 17:30 in Kolkata, wherever the browser is

const { check, fatal, puppeteer: loadPuppeteer, done } = runner();
const puppeteer = await loadPuppeteer();
for (const file of ["index.html", "people/index.html", "assets/handbook.js"]) {
  if (!fs.existsSync(path.join(SITE, file))) fatal(`${path.join(SITE, file)} is missing: build the site first`);
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const server = await serve(SITE);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ARGS });
const errors = [];

/** A page at 1280×900 whose clock reads `now` (local time unless it says Z) and stands still. */
async function openAt(context, url, now) {
  const page = await context.newPage();
  recordErrors(page, url, errors);
  await page.setViewport({ width: 1280, height: 900 });
  await page.evaluateOnNewDocument((iso) => {
    const fixed = new Date(iso).getTime();
    const Real = Date;
    class FixedDate extends Real {
      constructor(...args) { if (args.length) super(...args); else super(fixed); }
      static now() { return fixed; }
    }
    window.Date = FixedDate;
  }, now);
  await page.goto(url, { waitUntil: "load" });
  return page;
}

const since = (page) => page.$eval("[data-since]", (s) => ({
  heading: s.querySelector("h2").textContent,
  titles: Array.from(s.querySelectorAll("li a")).map((a) => a.textContent),
  hrefs: Array.from(s.querySelectorAll("li a")).map((a) => a.href),
}));

/** The items of "Needs attention" the reader sees: text, whether marked overdue. */
const attention = (page) => page.$$eval("[data-attention] li", (lis) => lis
  .filter((li) => li.offsetParent !== null)
  .map((li) => ({ text: li.textContent.replace(/\s+/g, " ").trim(), overdue: li.classList.contains("overdue") })));

try {
  await check("the first screen at 1280×900 holds Needs attention and Since your last visit, before the welcome text", async () => {
    const context = await browser.createBrowserContext();
    const page = await openAt(context, base, BUILD_DAY);
    const tops = await page.evaluate(() => {
      const top = (selector) => document.querySelector(selector).getBoundingClientRect().top + scrollY;
      return { attention: top("[data-attention]"), since: top("[data-since]"), welcome: top(".intro") };
    });
    assert(tops.attention < 900 && tops.since < 900, `tops: ${JSON.stringify(tops)}`);
    assert(tops.welcome > tops.attention && tops.welcome > tops.since, `tops: ${JSON.stringify(tops)}`);
    await context.close();
  });

  await check("a first visit shows the latest week; after an earlier visit, what changed since it", async () => {
    const context = await browser.createBrowserContext();
    const page = await openAt(context, base, BUILD_DAY);
    let shown = await since(page);
    assert(shown.heading.startsWith("What's new: week of"), `first visit: ${JSON.stringify(shown)}`);
    assert(shown.titles.includes("Fresh decision") && !shown.titles.includes("Old decision"), `first visit: ${JSON.stringify(shown)}`);
    // The visit is remembered for this site, under its root's address.
    const keys = await page.evaluate(() => Object.keys(localStorage));
    assert(keys.length === 1 && keys[0] === `handbook:visits:${base}`, `keys: ${keys}`);
    // A visit on 2026-11-10, long enough ago to be a visit of its own.
    await page.evaluate((key) => {
      const then = new Date("2026-11-10T09:00:00").getTime();
      localStorage.setItem(key, JSON.stringify({ previous: then, seen: then }));
    }, keys[0]);
    await page.reload({ waitUntil: "load" });
    shown = await since(page);
    assert(shown.heading === "Since your last visit", `heading: ${shown.heading}`);
    assert(shown.titles.includes("Fresh decision"), `changed after the visit: ${JSON.stringify(shown)}`);
    assert(shown.titles.includes("Weekly sync"), `changed after the visit: ${JSON.stringify(shown)}`);
    assert(!shown.titles.includes("Old decision"), `changed before the visit: ${JSON.stringify(shown)}`);
    assert(shown.hrefs.every((h) => h.startsWith(base) && h.endsWith("/index.html")), `links: ${shown.hrefs}`);
    // A title that says </script> is listed as written.
    assert(shown.titles.includes('Use </script> & "quotes"'), `titles: ${shown.titles}`);
    // Reloading within the same visit keeps the same last visit.
    await page.reload({ waitUntil: "load" });
    assert((await since(page)).heading === "Since your last visit", "the second view of one visit");
    await context.close();
  });

  await check("nothing changed since the last visit is one line", async () => {
    const context = await browser.createBrowserContext();
    const page = await openAt(context, base, BUILD_DAY);
    await page.evaluate((key) => {
      const then = new Date("2026-11-24T09:00:00").getTime();
      localStorage.setItem(key, JSON.stringify({ previous: then, seen: then }));
    }, `handbook:visits:${base}`);
    await page.reload({ waitUntil: "load" });
    const section = await page.$eval("[data-since]", (s) => ({ empty: s.classList.contains("is-empty"), text: s.innerText.trim(), height: s.getBoundingClientRect().height }));
    assert(section.empty && /Nothing new since your last visit/.test(section.text), JSON.stringify(section));
    assert(section.height < 60, `one line: ${JSON.stringify(section)}`);
    await context.close();
  });

  await check("on the build day, the item due later is not shown as overdue", async () => {
    const context = await browser.createBrowserContext();
    const page = await openAt(context, base, BUILD_DAY);
    const items = await attention(page);
    assert(items.some((i) => i.text.startsWith("Overdue at build") && i.overdue), JSON.stringify(items));
    assert(!items.some((i) => i.text.startsWith("Due after the build")), JSON.stringify(items));
    assert(await page.$eval("[data-attention] [data-count]", (c) => c.textContent) === "1", "count on the build day");
    await context.close();
  });

  await check("read after the build, an item due in between is overdue, on the home page and its meeting's", async () => {
    const context = await browser.createBrowserContext();
    const page = await openAt(context, base, LATER);
    const items = await attention(page);
    const later = items.find((i) => i.text.startsWith("Due after the build"));
    assert(later && later.overdue, JSON.stringify(items));
    assert(await page.$eval("[data-attention] [data-count]", (c) => c.textContent) === "2", "count on the reader's day");
    const meeting = await openAt(context, `${base}meetings/2026-11-18-weekly-sync/index.html`, LATER);
    const state = await meeting.$$eval(".action-items li", (lis) => lis.map((li) => [li.querySelector(".text").textContent, li.className, li.querySelector(".state").textContent]));
    const row = state.find((s) => s[0].startsWith("Due after the build"));
    assert(row && row[1] === "overdue" && row[2] === "Overdue", JSON.stringify(state));
    await context.close();
  });

  await check("the people index shows each person's local time now", async () => {
    const context = await browser.createBrowserContext();
    const page = await openAt(context, `${base}people/index.html`, LATER_UTC);
    const clock = await page.$eval("[data-zone-clock]", (el) => ({
      zone: el.getAttribute("data-zone-clock"),
      text: el.textContent,
      expected: new Intl.DateTimeFormat([], { weekday: "short", hour: "numeric", minute: "2-digit", timeZone: el.getAttribute("data-zone-clock") }).format(new Date()),
    }));
    assert(clock.zone === "Asia/Kolkata" && clock.text === clock.expected, JSON.stringify(clock));
    assert(/\b(5|17):30\b/.test(clock.text), `12:00 UTC is 17:30 in Kolkata: ${JSON.stringify(clock)}`);
    await context.close();
  });

  await check("no script errors", async () => {
    assert(errors.length === 0, errors.join("\n"));
  });
} finally {
  await browser.close();
  server.close();
}
done();
