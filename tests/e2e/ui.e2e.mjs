// What a reader sees, checked in headless Chromium: axe-core finds no accessibility violations
// on any page type in light and in dark mode, nothing fails to load or comes from outside the
// site, and a missing address at any depth gets the 404 page, styled and with links that work,
// wherever the site is served and whether or not `base_url` is set.
//
//   node tests/e2e/ui.e2e.mjs SAMPLE_SITE BASE_URL_SITE [RTL_SITE] [SHOTS]
//
// SAMPLE_SITE is the sample handbook built; BASE_URL_SITE the same built with
// `--base-url https://handbook.example/team/`; RTL_SITE, when given, any handbook in a
// right-to-left language, checked with axe on its home page and first page. SHOTS, when given,
// is a folder for screenshots of every page type at 1280×900 and 390×844, light and dark, to
// look at. Prints a line per check; exits non-zero when one fails.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

import { ARGS, CHROMIUM, PAGE_TYPES, runner, serve } from "./runner.mjs";

const [SAMPLE, BASE_URL_SITE, RTL, SHOTS] = process.argv.slice(2).map((p) => p && path.resolve(p));
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true };

const { check, fatal, puppeteer: loadPuppeteer, done } = runner({ seconds: 420 });
for (const site of [SAMPLE, BASE_URL_SITE]) {
  if (!site || !fs.existsSync(path.join(site, "404.html"))) fatal("usage: node tests/e2e/ui.e2e.mjs SAMPLE_SITE BASE_URL_SITE [RTL_SITE] [SHOTS]");
}
const puppeteer = await loadPuppeteer();
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ARGS });
const servers = [];

/** The origin of a server of `site` under `prefix` that answers missing paths with 404.html. */
async function host(site, prefix = "/") {
  const server = await serve(site, { notFoundPage: true, prefix });
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}`;
}

/** Opens `url` and records what fails to load (the 404 page's own document aside), what comes
 * from anywhere but `origin`, and the HEAD requests the 404 page probes the root with. */
async function open(url, { viewport = DESKTOP, scheme = "light", origin = new URL(url).origin } = {}) {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
  const failures = [];
  const probes = [];
  page.on("pageerror", (e) => failures.push(`script error: ${e.message}`));
  page.on("requestfailed", (request) => {
    // Chromium reports a HEAD request as aborted once its headers are read: the response says
    // whether it worked.
    if (request.method() !== "HEAD" || !request.response()) failures.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on("request", (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith("data:")) failures.push(`outside the site: ${request.url()}`);
  });
  page.on("response", (response) => {
    const request = response.request();
    if (request.method() === "HEAD") probes.push(`${response.url()}: ${response.status()}`);
    else if (response.status() >= 400 && request.resourceType() !== "document") failures.push(`${response.url()}: ${response.status()}`);
  });
  await page.goto(url, { waitUntil: "networkidle0" });
  return { page, failures, probes };
}

/** axe-core's violations on `page`, one line each. */
async function axe(page, disabled = []) {
  await page.evaluate(AXE);
  return page.evaluate(async (disabled) => {
    const rules = Object.fromEntries(disabled.map((id) => [id, { enabled: false }]));
    const result = await window.axe.run(document, { resultTypes: ["violations"], rules });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  }, disabled);
}

/** Rules left out per page type: the print page holds every protocol's text, and the sample's
 * response-times protocol (no page type of its own here) has a table with an empty corner
 * header, which is its author's to fix, not the print page's. */
const AXE_LEFT_OUT = { "print/index.html": ["empty-table-header"] };

/** What the 404 page at `url` shows: whether the theme's styles apply, the site's script ran,
 * and the status of every link in it, fetched as the reader's click would. */
async function notFound(url, options) {
  const { page, failures, probes } = await open(url, options);
  const state = await page.evaluate(async () => {
    const header = document.querySelector(".site-header");
    const links = [...new Set([...document.querySelectorAll("a[href]")].map((a) => a.href))].filter((href) => !href.includes("#"));
    const status = await Promise.all(links.map((href) => fetch(href).then((r) => `${r.status} ${href}`)));
    return {
      styled: Boolean(header) && getComputedStyle(header).display === "flex",
      script: performance.getEntriesByType("resource").some((e) => /\/assets\/handbook\.js$/.test(e.name)),
      base: document.baseURI,
      status,
      search: document.querySelector("[data-search-missing]")?.textContent || "",
      skip: document.querySelector(".skip-link").href === location.href.replace(/#.*$/, "") + "#main",
    };
  });
  await page.close();
  return { ...state, failures, probes };
}

function assertWorks(found, root) {
  assert(found.styled, "the page is not styled");
  assert(found.base === root, `the links start at ${found.base}, not ${root}`);
  assert(found.script, "the theme's script did not load");
  assert(found.skip, "the skip link leaves the page");
  const broken = found.status.filter((s) => !s.startsWith("200 "));
  assert(found.status.length > 10 && broken.length === 0, `${found.status.length} links, broken: ${broken.join(", ")}`);
  assert(found.status.every((s) => s.includes(root)), `a link leaves ${root}: ${found.status.join(", ")}`);
}

const origin = await host(SAMPLE);

for (const type of PAGE_TYPES) {
  await check(`${type}: no axe violations in light and dark mode, nothing fails to load`, async () => {
    const problems = [];
    for (const scheme of ["light", "dark"]) {
      const { page, failures } = await open(`${origin}/${type}`, { scheme });
      problems.push(...(await axe(page, AXE_LEFT_OUT[type])).map((v) => `${scheme}: ${v}`), ...failures);
      await page.close();
    }
    assert(problems.length === 0, problems.join("\n  "));
  });
}

if (RTL) {
  const rtl = await host(RTL);
  await check("right to left: no axe violations on the home page and a page, light and dark", async () => {
    const problems = [];
    for (const at of ["/", "/engineering/vpn/"]) {
      for (const scheme of ["light", "dark"]) {
        const { page, failures } = await open(rtl + at, { scheme });
        problems.push(...(await axe(page)).map((v) => `${at} ${scheme}: ${v}`), ...failures);
        await page.close();
      }
    }
    assert(problems.length === 0, problems.join("\n  "));
  });
}

await check("404 deep in a site at the host's root: styled, its links work, nothing fails, axe-clean", async () => {
  const found = await notFound(`${origin}/decisions/no/such/page/`);
  assertWorks(found, `${origin}/`);
  assert(found.failures.length === 0 && found.probes.every((p) => p.endsWith(": 200")), [...found.failures, ...found.probes].join("\n  "));
  assert(found.search === "Search the handbook for “page”", `the search link says "${found.search}"`);
  const { page } = await open(`${origin}/decisions/no/such/page/`, { scheme: "dark" });
  const violations = await axe(page);
  await page.close();
  assert(violations.length === 0, violations.join("\n  "));
});

const project = await host(SAMPLE, "/team/");
await check("404 in a site served under /team/ without base_url: found by a top-level folder in the address, with no failed request", async () => {
  const found = await notFound(`${project}/team/meetings/2026/gone-retro.html`);
  assertWorks(found, `${project}/team/`);
  assert(found.failures.length === 0 && found.probes.length === 1, [...found.failures, ...found.probes].join("\n  "));
  assert(found.search === "Search the handbook for “gone retro”", `the search link says "${found.search}"`);
});

await check("404 in a site served under /team/ without base_url, at an address with nothing known in it: found by probing", async () => {
  const found = await notFound(`${project}/team/nothing-here/deeper/`);
  assertWorks(found, `${project}/team/`);
  assert(found.failures.length === 0, found.failures.join("\n  "));
});

const production = await host(BASE_URL_SITE, "/team/");
await check("404 with base_url https://handbook.example/team/, served under /team/: nothing from handbook.example", async () => {
  const found = await notFound(`${production}/team/a/b/c/d`);
  assertWorks(found, `${production}/team/`);
  assert(found.failures.length === 0 && found.probes.length === 1, [...found.failures, ...found.probes].join("\n  "));
});

const preview = await host(BASE_URL_SITE);
await check("404 with base_url set, served at the root of a preview host: the links follow the preview", async () => {
  const found = await notFound(`${preview}/protocols/gone/`);
  assertWorks(found, `${preview}/`);
  assert(found.failures.length === 0, found.failures.join("\n  "));
});

await check("404 opened from disk: styled, links to the files beside it", async () => {
  const file = pathToFileURL(path.join(SAMPLE, "404.html")).href;
  const { page, failures } = await open(file, { origin: "file://" });
  const state = await page.evaluate(() => ({
    styled: getComputedStyle(document.querySelector(".site-header")).display === "flex",
    home: document.querySelector(".site-title").href,
  }));
  await page.close();
  assert(state.styled, "not styled");
  assert(state.home === file.replace(/404\.html$/, "index.html"), `the home link is ${state.home}`);
  assert(failures.length === 0, failures.join("\n  "));
});

if (SHOTS) {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const type of PAGE_TYPES) {
    const name = type.replace(/\/?index\.html$/, "").replace(/[/.]/g, "_") || "home";
    for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
      for (const scheme of ["light", "dark"]) {
        const { page } = await open(`${origin}/${type}`, { viewport, scheme });
        await page.screenshot({ path: path.join(SHOTS, `${name}-${size}-${scheme}.png`) });
        await page.close();
      }
    }
  }
}

await browser.close();
servers.forEach((server) => server.close());
done();
