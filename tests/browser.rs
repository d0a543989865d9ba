//! JavaScript in the browser: the search engine's unit tests under Node, end-to-end tests of
//! search that drive headless Chromium against the built sample handbook, over HTTP and from
//! `file://`, of the home page and the people index as a reader's browser dates them, and of
//! `handbook serve`'s live reload and error overlay, with many tabs open and across a restart,
//! of the layout on phones and right to left, and of accessibility (axe-core) and the 404 page.
//!
//! In CI (`CI` set) a missing Node, Chromium or Puppeteer is a failure, never a silent pass;
//! on a developer's machine these tests say what is missing and return.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Fixture, handbook};

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

/// Whether Node, Chromium and puppeteer-core are all there for the end-to-end tests.
fn browser_available() -> bool {
    let chromium = Path::new("/usr/bin/chromium").exists();
    let puppeteer = root().join("tests/e2e/node_modules/puppeteer-core").exists();
    available("node", node_works(), "install Node.js")
        && available("chromium", chromium, "apt-get install chromium")
        && available("puppeteer-core", puppeteer, "npm ci --prefix tests/e2e")
}

#[test]
fn search_works_in_chromium_over_http_and_from_file_urls() {
    if !browser_available() {
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

#[test]
fn search_finds_every_language_in_chromium_over_http_and_from_file_urls() {
    if !browser_available() {
        return;
    }
    let fixture = root().join("tests/search/multilingual");
    let out = tempfile::tempdir().unwrap();
    let mut sites = Vec::new();
    for language in ["en", "de", "fr"] {
        let hb = Fixture::copy_of(&fixture, &[]);
        hb.write(
            "handbook.toml",
            &format!("title = \"Multilingual\"\nlanguage = \"{language}\"\n"),
        );
        let site = out.path().join(language);
        hb.cmd(&["build", "--output"]).arg(&site).assert().success();
        sites.push(site);
    }
    let mut args: Vec<&std::ffi::OsStr> = vec!["tests/e2e/languages.e2e.mjs".as_ref()];
    args.extend(sites.iter().map(|s| s.as_os_str()));
    let stdout = node(&args);
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// Text made of pieces that test folding, scripts, identifiers, numbers and stop words, joined
/// by separators, from a fixed seed: the same cases every run.
fn generated_texts(count: usize) -> Vec<String> {
    const PIECES: &[&str] = &[
        "Café",
        "naïve",
        "ＡＰＩ",
        "RawTransaction",
        "HTTPServer",
        "OAuth2",
        "URLs",
        "GATs",
        "never_type",
        "0007",
        "ADR-7",
        "会議",
        "では",
        "我们的产品",
        "テスト",
        "ｶﾞｲﾄﾞ",
        "회의록을",
        "Straße",
        "Øresund",
        "ΆΘΗΝΑ",
        "İstanbul",
        "ﬁle",
        "½",
        "x²",
        "𐐀𐐯𐑅",
        "😀",
        "e\u{301}te",
        "the",
        "will",
        "who",
        "l'équipe",
        "ΟΔΟΣ",
        "Σίσυφος",
        "MÜLLER",
        "ǅemal",
        "Büchern",
        "chevaux",
        "données",
        "running",
        "generalization",
        "ıi",
        "ŁÓDŹ",
        "Þór",
        "Æsir",
        "œuvre",
        "a\u{300}\u{301}",
        "١٢٣",
        "हिन्दी",
        "ไทย",
        "mp3",
        "IPv6",
        "iPhone",
        "XMLHttpRequest",
        "snake_case_name",
        "dotted.name.here",
        "ÀÉÎÕÜ",
        "ﾃｽﾄ",
        "ｶ",
        "々",
        "〇",
        "ㄱ",
        "ᄀ",
        "👍🏽",
        "\u{200d}",
        "a\u{fe0f}",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ];
    const SEPARATORS: &[&str] = &[" ", "-", "_", ".", "", ", ", "\n", "/", "'", "·", "\u{3000}"];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..count)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..1 + next(6) {
                text.push_str(PIECES[next(PIECES.len())]);
                text.push_str(SEPARATORS[next(SEPARATORS.len())]);
            }
            text
        })
        .collect()
}

#[test]
fn the_browser_analyzes_generated_text_as_the_build_does() {
    use handbook::search::analyze::Analyzer;
    use handbook::search::language::Language;
    if !available("node", node_works(), "install Node.js") {
        return;
    }
    let mut cases = Vec::new();
    for code in ["en", "de", "fr", "tr", "el", "ru", "ja"] {
        let analyzer = Analyzer::new(Language::from_tag(code));
        for text in generated_texts(300) {
            let mut terms = Vec::new();
            analyzer.tokens(&text, &mut None, &mut |t| {
                terms.push(serde_json::json!([t.term, t.kind.name(), t.stop]));
            });
            cases.push(
                serde_json::json!({"language": code, "stop": analyzer.stop_words(), "text": text, "terms": terms}),
            );
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cases.json");
    std::fs::write(&file, serde_json::to_string(&cases).unwrap()).unwrap();
    let stdout = node(&["tests/js/agree.js".as_ref(), file.as_os_str()]);
    assert!(stdout.ends_with("\n0 differ\n"), "{stdout}");
}

/// A handbook built on 2026-11-25 (the fixtures' today) with changes before and after
/// 2026-11-10, action items due before the build and after it, and a person with a time zone,
/// for the home page and the people index in the browser.
fn morning_handbook() -> Fixture {
    Fixture::new(&[
        (
            "content/_index.md",
            "+++\ntitle = \"Team\"\n+++\nWelcome to the team handbook.\n",
        ),
        (
            "content/decisions/0001-old.md",
            "+++\ntitle = \"Old decision\"\ndate = 2026-11-02\nstatus = \"accepted\"\n+++\nOld.\n",
        ),
        (
            "content/decisions/0002-fresh.md",
            "+++\ntitle = \"Fresh decision\"\ndate = 2026-11-20\nstatus = \"accepted\"\n+++\nFresh.\n",
        ),
        (
            "content/decisions/0003-tricky.md",
            "+++\ntitle = 'Use </script> & \"quotes\"'\ndate = 2026-11-19\nstatus = \"proposed\"\n+++\nTricky.\n",
        ),
        (
            "content/meetings/2026-11-18-weekly-sync.md",
            "+++\ntitle = \"Weekly sync\"\nattendees = [\"ana\"]\n+++\n\
             - [ ] @ana Overdue at build (due 2026-11-10)\n\
             - [ ] @ana Due after the build (due 2026-12-03)\n",
        ),
        (
            "content/people/ana.md",
            "+++\nname = \"Ana\"\nrole = \"Engineering lead\"\ntimezone = \"Asia/Kolkata\"\n+++\n",
        ),
    ])
}

#[test]
fn the_home_page_shows_the_readers_day_and_the_people_index_their_clocks_in_chromium() {
    if !browser_available() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    morning_handbook()
        .cmd(&["build", "--output"])
        .arg(&site)
        .assert()
        .success();
    let stdout = node(&["tests/e2e/home.e2e.mjs".as_ref(), site.as_os_str()]);
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// A decision long enough to scroll far down: 80 paragraphs under a few headings.
fn long_decision() -> String {
    let mut text = String::from("+++\ntitle = \"A long decision\"\ndate = 2026-01-15\nstatus = \"accepted\"\n+++\n");
    for n in 1..=80 {
        if n % 20 == 1 {
            text.push_str(&format!("\n## Part {}\n", n / 20 + 1));
        }
        text.push_str(&format!(
            "\nParagraph {n} of the long decision. It says the same thing at some length, so that \
             the page is long enough to scroll, and each paragraph can be told from the others.\n"
        ));
    }
    text
}

/// A handbook with a decision long enough to scroll and a page unrelated to it, for the tests
/// of `serve` in the browser.
fn long_and_unrelated() -> Fixture {
    let long = long_decision();
    Fixture::new(&[
        ("content/decisions/0001-long-page.md", long.as_str()),
        (
            "content/protocols/unrelated.md",
            "+++\ntitle = \"Unrelated\"\n+++\nA page that has nothing to do with the long decision.\n",
        ),
    ])
}

/// Runs the end-to-end script `script` against `serve` of the handbook `hb`.
fn serve_script(script: &str, hb: &Fixture) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_handbook"));
    node(&[script.as_ref(), bin.as_os_str(), hb.root().as_os_str()])
}

#[test]
fn serve_reloads_edited_pages_in_place_and_shows_build_errors_in_chromium() {
    if !browser_available() {
        return;
    }
    let stdout = serve_script("tests/e2e/serve.e2e.mjs", &long_and_unrelated());
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// A preview open all day: twenty tabs share one live-reload stream (with one per tab, the
/// seventh never loaded and search hung), a leader tab holds it where shared workers are
/// missing, and tabs left open while `serve` was restarted refresh if their page changed.
#[test]
fn serve_holds_one_stream_for_twenty_tabs_and_refreshes_stale_tabs_after_a_restart_in_chromium() {
    if !browser_available() {
        return;
    }
    let stdout = serve_script("tests/e2e/tabs.e2e.mjs", &long_and_unrelated());
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// A handbook of 24 top-level folders in `language`, with a page of wide code and a wide table
/// in `engineering/code/`, a page titled "VPN (2.4)" and records in the top bar.
fn many_folders(language: &str) -> Fixture {
    let hb = Fixture::new(&[
        (
            "handbook.toml",
            &format!("title = \"Many folders\"\nlanguage = \"{language}\"\n"),
        ),
        (
            "content/decisions/0001-a.md",
            "+++\ntitle = \"A decision\"\nstatus = \"accepted\"\n+++\nWhy.\n",
        ),
        (
            "content/meetings/2026-01-05-sync.md",
            "+++\ntitle = \"Sync\"\ndate = 2026-01-05\n+++\nNotes.\n",
        ),
        ("content/protocols/on-call.md", "+++\ntitle = \"On-call\"\n+++\nRota.\n"),
        ("content/people/ana.md", "+++\nname = \"Ana Lima\"\n+++\nHi.\n"),
        (
            "content/engineering/vpn.md",
            "+++\ntitle = \"VPN (2.4)\"\n+++\nConnect.\n",
        ),
        (
            "content/engineering/code.md",
            "+++\ntitle = \"Code\"\n+++\n```sh\ncurl --fail --silent --show-error --location https://example.com/a/long/path?with=a&query=string\n```\n\n\
             | Column one | Column two | Column three | Column four | Column five | Column six |\n|---|---|---|---|---|---|\n\
             | a long cell | another long cell | and a third | and a fourth | and a fifth | and a sixth |\n",
        ),
    ]);
    let folders = [
        "About us",
        "Benefits",
        "Careers",
        "Communication",
        "Customer support",
        "Design",
        "Diversity",
        "Engineering",
        "Equipment",
        "Finance",
        "Getting started",
        "Hiring",
        "Incidents",
        "Legal",
        "Marketing",
        "Onboarding",
        "Operations",
        "Performance reviews",
        "Product",
        "Security",
        "Tools",
        "Training",
        "Travel and leave",
        "Wellbeing",
    ];
    for folder in folders {
        let slug = folder.to_lowercase().replace(' ', "-");
        for n in 1..=2 {
            hb.write(
                &format!("content/{slug}/page-{n}.md"),
                &format!("+++\ntitle = \"{folder}: topic {n}\"\n+++\nText.\n"),
            );
        }
    }
    hb
}

/// The header stays short on a phone with 24 top-level folders, whose tree the menu opens;
/// nothing scrolls sideways at 390 px; the sidebar is beside the page at 1280 px, mirrored in
/// Hebrew; print leaves the navigation out.
#[test]
fn the_layout_fits_phones_and_mirrors_right_to_left_in_chromium() {
    if !browser_available() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let sample = out.path().join("sample");
    handbook()
        .arg("--root")
        .arg(root())
        .args(["build", "--output"])
        .arg(&sample)
        .assert()
        .success();
    let mut sites = vec![sample];
    for language in ["en", "he"] {
        let site = out.path().join(language);
        many_folders(language)
            .cmd(&["build", "--output"])
            .arg(&site)
            .assert()
            .success();
        sites.push(site);
    }
    let mut args: Vec<&std::ffi::OsStr> = vec!["tests/e2e/layout.e2e.mjs".as_ref()];
    args.extend(sites.iter().map(|s| s.as_os_str()));
    let stdout = node(&args);
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// axe-core finds nothing on any page type of the sample, light and dark, nor in a right-to-left
/// handbook; nothing fails to load; a missing address at any depth gets a styled 404 page whose
/// links work, at the host's root or under a sub-path, with and without `base_url`, and from disk.
#[test]
fn every_page_type_is_accessible_and_the_404_page_works_at_any_depth_in_chromium() {
    if !browser_available() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let (sample, production, rtl) = (
        out.path().join("sample"),
        out.path().join("production"),
        out.path().join("he"),
    );
    handbook()
        .arg("--root")
        .arg(root())
        .args(["build", "--output"])
        .arg(&sample)
        .assert()
        .success();
    handbook()
        .arg("--root")
        .arg(root())
        .args(["build", "--base-url", "https://handbook.example/team/", "--output"])
        .arg(&production)
        .assert()
        .success();
    many_folders("he")
        .cmd(&["build", "--output"])
        .arg(&rtl)
        .assert()
        .success();
    let stdout = node(&[
        "tests/e2e/ui.e2e.mjs".as_ref(),
        sample.as_os_str(),
        production.as_os_str(),
        rtl.as_os_str(),
    ]);
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
