// What the end-to-end scripts share: the browser they drive and a small test runner that prints
// a line per check, bounds the whole run, and never passes silently (a missing browser or driver
// is a failure).
import fs from "node:fs";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

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
