// Search in every team's language, in headless Chromium, over HTTP and from file://: folding,
// Chinese/Japanese/Korean, stop words, record numbers and ids, identifiers, ranking, and the
// stemmer of the handbook's `language`. Run against tests/search/multilingual built three times:
//   node tests/e2e/languages.e2e.mjs SITE_EN SITE_DE SITE_FR
// (tests/browser.rs does this.) Exits non-zero when a check fails.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { ARGS, CHROMIUM, runner, serve } from "./runner.mjs";

const [EN, DE, FR] = process.argv.slice(2, 5).map((p) => path.resolve(p || ""));
const WAIT = 10000;

const { check, fatal, puppeteer: loadPuppeteer, done } = runner({ seconds: 240 });
for (const site of [EN, DE, FR]) {
  if (!site || !fs.existsSync(path.join(site, "search/meta.js"))) fatal(`usage: languages.e2e.mjs SITE_EN SITE_DE SITE_FR (built sites)`);
}
const puppeteer = await loadPuppeteer();

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** The search page's results for `query`: titles and excerpt HTML, best first. */
async function searchPage(browser, base, query, errors) {
  const page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(`${query}: ${e.message}`));
  // Every failed load but the favicon's (the theme has none yet) is an error.
  page.on("console", (m) => { if (m.type() === "error" && !/^Failed to load resource/.test(m.text())) errors.push(`${query}: console: ${m.text()}`); });
  page.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) errors.push(`${query}: ${r.status()} ${r.url()}`); });
  page.on("requestfailed", (r) => errors.push(`${query}: could not load ${r.url()}`));
  await page.goto(base + "search/index.html?q=" + encodeURIComponent(query), { waitUntil: "load" });
  await page.waitForFunction(() => /result/i.test(document.getElementById("search-count").textContent), { timeout: WAIT });
  const results = await page.$$eval("#search-results > li", (lis) => lis.map((li) => ({
    title: li.querySelector(".result-title").textContent,
    excerpt: li.querySelector(".result-excerpt").innerHTML,
  })));
  await page.close();
  return results;
}

/** The titles the header box lists for `query`, typed key by key. */
async function dropdown(browser, base, query, errors) {
  const page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(`${query}: ${e.message}`));
  await page.goto(base + "index.html", { waitUntil: "load" });
  await page.click("#site-search-input");
  await page.type("#site-search-input", query, { delay: 20 });
  await page.waitForSelector(".search-dropdown:not([hidden]) [role=option]", { timeout: WAIT });
  await new Promise((r) => setTimeout(r, 400));
  const titles = await page.$$eval(".search-dropdown:not([hidden]) [role=option] .result-title", (els) => els.map((e) => e.textContent));
  await page.close();
  return titles;
}

/** Each query must list `first` first (and `then`, in order, right after it, when given). */
const ENGLISH = [
  ["cafe", "Café etiquette"],
  ["CAFÉ", "Café etiquette"],
  ["resume", "Résumé template"],
  ["api", "ＡＰＩ guidelines"],
  ["ＡＰＩ", "ＡＰＩ guidelines"],
  ["产品", "发布流程"],
  ["测试", "发布流程"],
  ["会議", "週次ミーティング"],
  ["회의록", "회의 안내"],
  ["IT", "IT"],
  ["will", "What we will do next quarter"],
  ["the who", "The Who"],
  ['"the who"', "The Who"],
  ["0007", "On-call rota", ["Upgrade the build image"]],
  ["7", "On-call rota", ["Upgrade the build image"]],
  ["ADR-7", "On-call rota", ["Upgrade the build image"]],
  ["ADR 7", "On-call rota", ["Upgrade the build image"]],
  ["ADR-0007", "On-call rota", ["Upgrade the build image"]],
  ["RFC 7", "On-call rota"],
  ["#7", "On-call rota"],
  ["20200925-use-prettier", "Use Prettier for code formatting"],
  ["raw transaction", "Ledger internals"],
  ["RawTransaction", "Ledger internals"],
  ["release notes", "Release notes", ["Writing release notes for customers", "Shipping"]],
  ["quarterly report", "Finance", ["Cadence"]],
  ["Brandt", "Jonas Brandt"],
  ["李小龍", "李小龍"],
  ["reliability engineer", "李小龍"],
  ["standups", "Daily stand-up"],
  ["maxattempts", "Daily stand-up"],
];

async function suite(browser, label, bases) {
  const errors = [];
  for (const [query, first, then = []] of ENGLISH) {
    await check(`${label}: "${query}" lists "${[first, ...then].join('", "')}" first`, async () => {
      const titles = (await searchPage(browser, bases.en, query, errors)).map((r) => r.title);
      assert(JSON.stringify(titles.slice(0, 1 + then.length)) === JSON.stringify([first, ...then]), `got ${titles.join(" | ")}`);
    });
  }
  await check(`${label}: excerpts highlight what was matched, folded`, async () => {
    const [cafe] = await searchPage(browser, bases.en, "cafe", errors);
    assert(/<mark>café<\/mark> est servi/.test(cafe.excerpt), cafe.excerpt);
    const [product] = await searchPage(browser, bases.en, "测试", errors);
    assert(/完整的<mark>测试<\/mark>/.test(product.excerpt), product.excerpt);
  });
  await check(`${label}: the search page loads excerpts once typing pauses, not for every letter`, async () => {
    const page = await browser.newPage();
    const excerpts = [];
    page.on("request", (r) => { if (/\/search\/x\//.test(r.url())) excerpts.push(r.url()); });
    await page.goto(bases.en + "search/index.html", { waitUntil: "load" });
    // The longest gap between two letters as the page saw them: on a loaded machine a keystroke
    // can come late, and a gap of the pause's length is a pause, rightly followed by excerpts.
    await page.evaluate(() => {
      window.__longestGap = 0;
      let last = 0;
      document.querySelector("#search-q").addEventListener("input", () => {
        const now = performance.now();
        if (last) window.__longestGap = Math.max(window.__longestGap, now - last);
        last = now;
      });
    });
    await page.type("#search-q", "release notes", { delay: 150 });
    const whileTyping = excerpts.length;
    const longestGap = await page.evaluate(() => window.__longestGap);
    await page.waitForSelector("#search-results .result-excerpt mark", { timeout: WAIT });
    await page.close();
    assert(whileTyping === 0 || longestGap >= 400,
      `${whileTyping} excerpt files loaded while typing, with no gap of 400 ms (longest ${Math.round(longestGap)} ms)`);
    assert(excerpts.length > 0, "no excerpts after the pause");
  });
  await check(`${label}: the header box finds folded words as they are typed`, async () => {
    const titles = await dropdown(browser, bases.en, "resum", errors);
    assert(titles[0] === "Résumé template", `got ${titles.join(" | ")}`);
  });
  await check(`${label}: language = "de": "Büchern" finds "Buch"`, async () => {
    const titles = (await searchPage(browser, bases.de, "Büchern", errors)).map((r) => r.title);
    assert(titles[0] === "Das Buch des Monats", `got ${titles.join(" | ")}`);
  });
  await check(`${label}: language = "fr": "chevaux" finds "cheval"`, async () => {
    const titles = (await searchPage(browser, bases.fr, "chevaux", errors)).map((r) => r.title);
    assert(titles[0] === "Le cheval de l'équipe", `got ${titles.join(" | ")}`);
  });
  await check(`${label}: no script errors`, async () => {
    assert(errors.length === 0, errors.join("\n"));
  });
}

const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
  .catch((e) => fatal(`could not start ${CHROMIUM}: ${e.message}`));
const servers = await Promise.all([EN, DE, FR].map(serve));
const at = (server) => `http://127.0.0.1:${server.address().port}/`;
try {
  await suite(browser, "http", { en: at(servers[0]), de: at(servers[1]), fr: at(servers[2]) });
  await suite(browser, "file", { en: pathToFileURL(EN).href + "/", de: pathToFileURL(DE).href + "/", fr: pathToFileURL(FR).href + "/" });
} finally {
  servers.forEach((s) => s.close());
  await browser.close();
}
done();
