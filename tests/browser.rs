//! Search in JavaScript: the query engine's unit tests under Node, and end-to-end tests that
//! drive headless Chromium against the built sample handbook, over HTTP and from `file://`.
//!
//! In CI (`CI` set) a missing Node, Chromium or Puppeteer is a failure, never a silent pass;
//! on a developer's machine these tests say what is missing and return.

mod common;

use std::path::Path;
use std::process::Command;

use common::handbook;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the tool is there; in CI its absence fails the test.
fn available(what: &str, present: bool, how: &str) -> bool {
    if present {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing in CI: {how}");
    }
    eprintln!("skipped: {what} is missing ({how})");
    false
}

/// Runs `node args…` in the project folder and returns its standard output, failing the test
/// with both outputs when it fails.
fn node(args: &[&std::ffi::OsStr]) -> String {
    let output = Command::new("node").args(args).current_dir(root()).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "node {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn node_works() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_query_engine_passes_its_node_tests() {
    if !available("node", node_works(), "install Node.js") {
        return;
    }
    let stdout = node(&["--test".as_ref(), "tests/js/".as_ref()]);
    assert!(stdout.contains("# fail 0"), "{stdout}");
}

#[test]
fn search_works_in_chromium_over_http_and_from_file_urls() {
    let chromium = Path::new("/usr/bin/chromium").exists();
    let puppeteer = root().join("tests/e2e/node_modules/puppeteer-core").exists();
    if !available("node", node_works(), "install Node.js")
        || !available("chromium", chromium, "apt-get install chromium")
        || !available("puppeteer-core", puppeteer, "npm ci --prefix tests/e2e")
    {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    handbook()
        .arg("--root")
        .arg(root())
        .args(["build", "--output"])
        .arg(&site)
        .assert()
        .success();
    let stdout = node(&["tests/e2e/search.e2e.mjs".as_ref(), site.as_os_str()]);
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
