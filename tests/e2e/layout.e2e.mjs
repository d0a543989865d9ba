// The layout in headless Chromium: on a 390×844 phone the header stays short however many
// folders a handbook has, the menu opens the folder tree (without JavaScript too), no page type
// scrolls sideways, and code that overflows can be scrolled from the keyboard; at 1280 px the
// sidebar is beside the page, on its right in a right-to-left language.
//   node tests/e2e/layout.e2e.mjs SAMPLE_SITE FOLDERS_SITE RTL_SITE
// SAMPLE_SITE is the sample handbook built; FOLDERS_SITE a handbook of 24 top-level folders
// with `engineering/page-1/` and a wide code block and table in `engineering/code/`;
// RTL_SITE the same in Hebrew. (tests/browser.rs builds them.) Exits non-zero when a check fails.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { ARGS, CHROMIUM, PAGE_TYPES, runner } from "./runner.mjs";

const sites = process.argv.slice(2, 5).map((p) => path.resolve(p || ""));
const [SAMPLE, FOLDERS, RTL] = sites;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const { check, fatal, puppeteer: loadPuppeteer, done } = runner({ seconds: 240 });
for (const site of sites) {
  if (!fs.existsSync(path.join(site, "index.html"))) fatal("usage: layout.e2e.mjs SAMPLE_SITE FOLDERS_SITE RTL_SITE (built sites)");
}
const puppeteer = await loadPuppeteer();

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** The file:// address of `page` (a path under the site) in `site`. */
const url = (site, page) => pathToFileURL(path.join(site, page)).href;

async function open(browser, viewport, address, { javascript = true } = {}) {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(javascript);
  await page.setViewport(viewport);
  await page.goto(address, { waitUntil: "load" });
  return page;
}

/** The box of the first element matching `selector`: x, y, width, height, rounded. */
function box(page, selector) {
  return page.$eval(selector, (e) => {
    const b = e.getBoundingClientRect();
    return { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) };
  });
}

/** How far the page scrolls sideways, in pixels (0 when it does not). */
function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Whether the folder tree is shown (a closed <details> keeps its content laid out, but hidden). */
function treeShown(page) {
  return page.$eval(".sidebar .tree a", (a) => a.checkVisibility());
}

async function suite(browser) {
  await check("phone: the header is at most 120 px tall with 24 top-level folders, on every kind of page", async () => {
    for (const address of [url(FOLDERS, "engineering/page-1/index.html"), url(FOLDERS, "engineering/index.html"),
      url(FOLDERS, "decisions/index.html"), url(FOLDERS, "index.html"), url(RTL, "engineering/page-1/index.html")]) {
      const page = await open(browser, PHONE, address);
      const header = await box(page, ".site-header");
      assert(header.height <= 120, `${address}: the header is ${header.height} px tall`);
      const menu = await box(page, ".site-menu > summary");
      assert(menu.y + menu.height <= header.y + header.height, `${address}: the menu button is not in the header (${JSON.stringify(menu)})`);
      await page.close();
    }
  });

  await check("phone: the menu button opens the folder tree, by pointer or keyboard, and without JavaScript", async () => {
    for (const javascript of [true, false]) {
      const page = await open(browser, PHONE, url(FOLDERS, "engineering/page-1/index.html"), { javascript });
      assert(!(await treeShown(page)), "the tree is shown before the menu is opened");
      await page.click(".site-menu > summary");
      assert(await treeShown(page), `the tree is not shown once the menu is opened (JavaScript ${javascript ? "on" : "off"})`);
      const folders = await page.$$eval(".sidebar > .tree > li > a", (links) => links.map((a) => a.textContent));
      assert(folders.length >= 24, `the menu lists ${folders.length} folders: ${folders.join(", ")}`);
      const current = await page.$eval(".sidebar [aria-current=page]", (a) => a.textContent);
      assert(current === "Engineering: topic 1", `the current page is marked as "${current}"`);
      assert((await overflow(page)) <= 0, "the open menu scrolls sideways");
      await page.close();
    }
    const page = await open(browser, PHONE, url(FOLDERS, "engineering/page-1/index.html"));
    await page.focus(".site-menu > summary");
    await page.keyboard.press("Enter");
    assert(await treeShown(page), "Enter on the menu button does not open it");
    const expanded = await page.$eval(".site-menu", (d) => d.open);
    assert(expanded, "the menu is not open");
    await page.keyboard.press("Enter");
    assert(!(await treeShown(page)), "Enter again does not close it");
    await page.close();
  });

  await check("phone: no page type scrolls sideways at 390 px, with the menu closed or open", async () => {
    const pages = PAGE_TYPES.map((p) => url(SAMPLE, p)).concat(
      ["engineering/code/index.html", "engineering/index.html"].flatMap((p) => [url(FOLDERS, p), url(RTL, p)]));
    const wide = [];
    for (const address of pages) {
      const page = await open(browser, PHONE, address);
      const sideways = await overflow(page);
      if (sideways > 0) {
        const culprit = await page.evaluate(() => {
          const out = [...document.querySelectorAll("body *")].find((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1);
          return out ? `${out.tagName.toLowerCase()}.${out.className}` : "?";
        });
        wide.push(`${address} by ${sideways} px (${culprit})`);
      }
      if (await page.$(".site-menu > summary")) {
        await page.click(".site-menu > summary");
        if ((await overflow(page)) > 0) wide.push(`${address} with the menu open`);
      }
      await page.close();
    }
    assert(wide.length === 0, `scrolls sideways:\n${wide.join("\n")}`);
  });

  await check("phone: the time-zone table scrolls inside itself, but its title is whole on the screen", async () => {
    const page = await open(browser, PHONE, url(SAMPLE, "people/time-zones/index.html"));
    const scroll = await page.$eval(".hours-scroll", (e) => e.scrollWidth > e.clientWidth);
    assert(scroll, "the table fits a phone: this check would not see a title cut at the screen's edge");
    const title = await box(page, "#hours-caption");
    assert(title.x >= 0 && title.x + title.width <= PHONE.width, `the title runs off the screen: ${JSON.stringify(title)}`);
    const named = await page.$eval("table.hours", (t) => t.getAttribute("aria-labelledby"));
    assert(named === "hours-caption", `the table is not named by its title (aria-labelledby=${named})`);
    await page.close();
  });

  await check("phone: code and tables too wide for the screen scroll inside themselves, code from the keyboard too", async () => {
    for (const site of [FOLDERS, RTL]) {
      const page = await open(browser, PHONE, url(site, "engineering/code/index.html"));
      const blocks = await page.$$eval("pre, .table-scroll", (els) => els.map((e) => ({
        tag: e.tagName.toLowerCase(), scrolls: e.scrollWidth > e.clientWidth, focusable: e.tabIndex >= 0,
        named: e.tagName !== "PRE" || (e.getAttribute("role") === "group" && !!e.getAttribute("aria-label")),
      })));
      assert(blocks.some((b) => b.tag === "pre" && b.scrolls), `no code block overflows: ${JSON.stringify(blocks)}`);
      for (const b of blocks.filter((b) => b.scrolls)) {
        assert(b.focusable && b.named, `a ${b.tag} that scrolls cannot be reached by keyboard or has no name: ${JSON.stringify(b)}`);
      }
      await page.focus("pre[tabindex]");
      const before = await page.$eval("pre[tabindex]", (e) => e.scrollLeft);
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      await new Promise((r) => setTimeout(r, 500)); // keyboard scrolling is smooth
      const after = await page.$eval("pre[tabindex]", (e) => e.scrollLeft);
      assert(Math.abs(after - before) > 0, `the arrow keys do not scroll the code (${before} → ${after})`);
      await page.close();
    }
  });

  await check("desktop: the sidebar is beside the page and open; on the right of it right to left", async () => {
    for (const [site, rtl] of [[FOLDERS, false], [RTL, true]]) {
      const page = await open(browser, DESKTOP, url(site, "engineering/page-1/index.html"));
      const dir = await page.$eval("html", (h) => h.dir);
      assert(dir === (rtl ? "rtl" : "ltr"), `dir is "${dir}"`);
      assert(await treeShown(page), "the tree is not shown");
      assert(await page.$eval(".site-menu", (d) => d.open), "the sidebar is not marked open");
      assert(!(await page.$eval(".site-menu > summary", (s) => s.getBoundingClientRect().height > 0)), "the menu button shows");
      const sidebar = await box(page, ".sidebar");
      const main = await box(page, "main");
      if (rtl) {
        assert(sidebar.x > main.x + main.width - 1, `right to left, the sidebar (${JSON.stringify(sidebar)}) is not right of the page (${JSON.stringify(main)})`);
      } else {
        assert(sidebar.x + sidebar.width <= main.x, `the sidebar (${JSON.stringify(sidebar)}) is not left of the page (${JSON.stringify(main)})`);
      }
      const header = await box(page, ".site-header");
      assert(header.height <= 80, `the header is ${header.height} px tall`);
      // The title (English in both) starts where the page's text starts: right, right to left.
      const gaps = await page.$eval("h1", (h) => {
        const range = document.createRange();
        range.selectNodeContents(h);
        const text = range.getBoundingClientRect();
        const line = h.getBoundingClientRect();
        return { left: Math.round(text.left - line.left), right: Math.round(line.right - text.right) };
      });
      assert((rtl ? gaps.right : gaps.left) <= 1, `the title is not at the start of its line: ${JSON.stringify(gaps)}`);
      await page.close();
    }
  });

  await check("desktop: a title written left to right in a right-to-left list reads whole: \"VPN (2.4)\"", async () => {
    const page = await open(browser, DESKTOP, url(RTL, "engineering/vpn/index.html"));
    const link = await page.$$eval(".sidebar a", (links) => {
      const a = links.find((l) => l.textContent === "VPN (2.4)");
      const bdi = a && a.querySelector("bdi");
      return bdi ? getComputedStyle(bdi).direction : null;
    });
    assert(link === "ltr", `the title's direction is ${link}`);
    await page.close();
  });

  await check("print: the header's navigation, the sidebar and the breadcrumbs are not printed", async () => {
    const page = await open(browser, DESKTOP, url(SAMPLE, "protocols/async-first/index.html"));
    await page.emulateMediaType("print");
    const shown = await page.$$eval(".site-nav, .site-search, .site-menu, .breadcrumbs, .pager, .toc",
      (els) => els.filter((e) => e.getBoundingClientRect().height > 0).map((e) => e.className));
    assert(shown.length === 0, `printed: ${shown.join(", ")}`);
    const main = await box(page, "main");
    assert(main.x < 100 && main.width > 600, `the text does not take the page: ${JSON.stringify(main)}`);
    await page.close();
  });
}

const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
  .catch((e) => fatal(`could not start ${CHROMIUM}: ${e.message}`));
try {
  await suite(browser);
} finally {
  await browser.close();
}
done();
