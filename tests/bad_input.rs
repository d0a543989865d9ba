//! Bad input gets a precise diagnostic (code, file:line:col in the file's own numbering, advice),
//! and `check` and `build` agree on what is an error.
//!
//! Each folder under `tests/bad_input/` is a small handbook with an `expected` file: one line per
//! error or warning, `SEVERITY CODE FILE:LINE:COL`, optionally followed by `| TEXT` that the
//! message or the help must contain. A new case is a new folder. Bad command-line input has its own
//! tests below.

mod common;

use std::path::Path;

use common::Fixture;
use predicates::prelude::*;
use serde_json::Value;

/// One expected diagnostic.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    severity: String,
    code: String,
    place: String,
    text: Option<String>,
}

fn read_expected(path: &Path) -> Vec<Expected> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut expected: Vec<Expected> = text
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (head, text) = match line.split_once(" | ") {
                Some((head, text)) => (head, Some(text.to_string())),
                None => (line, None),
            };
            let fields: Vec<&str> = head.split_whitespace().collect();
            let [severity, code, place] = fields[..] else {
                panic!("{}: cannot read {line:?}", path.display());
            };
            Expected {
                severity: severity.into(),
                code: code.into(),
                place: place.into(),
                text,
            }
        })
        .collect();
    expected.sort();
    expected
}

/// The errors and warnings of `check --format json`, asserting it fails.
fn checked(hb: &Fixture) -> Vec<Value> {
    let output = hb.cmd(&["check", "--format", "json"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] != "note")
        .cloned()
        .collect()
}

/// `file:line:col` of a JSON diagnostic.
fn place(d: &Value) -> String {
    format!("{}:{}:{}", d["file"].as_str().unwrap_or("-"), d["line"], d["column"])
}

/// Checks that `build` fails with exactly `errors` (JSON diagnostics of `check`) and writes nothing.
fn assert_build_agrees(hb: &Fixture, errors: &[&Value], case: &str) {
    let output = hb.cmd(&["build"]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{case}: build must fail too:\n{stderr}");
    let count = format!(
        "the handbook has {} error{}",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    assert!(stderr.contains(&count), "{case}: expected {count:?} in:\n{stderr}");
    for d in errors {
        let code = format!("error[{}]", d["code"].as_str().unwrap());
        let at = format!("--> {}", place(d));
        assert!(
            stderr.contains(&code) && stderr.contains(&at),
            "{case}: build does not report {code} {at}:\n{stderr}"
        );
    }
    assert!(!hb.path("public").exists(), "{case}: nothing is written");
}

#[test]
fn each_case_is_reported_where_it_is_by_check_and_by_build() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input");
    let mut names: Vec<_> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    assert!(names.len() >= 6, "cases: {names:?}");
    for case in names {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected = read_expected(&case.join("expected"));
        let hb = Fixture::copy_of(&case, &["expected"]);
        let found = checked(&hb);
        let mut seen: Vec<Expected> = found
            .iter()
            .map(|d| Expected {
                severity: d["severity"].as_str().unwrap().into(),
                code: d["code"].as_str().unwrap().into(),
                place: place(d),
                text: None,
            })
            .collect();
        seen.sort();
        let without_text: Vec<Expected> = expected
            .iter()
            .map(|e| Expected {
                text: None,
                severity: e.severity.clone(),
                code: e.code.clone(),
                place: e.place.clone(),
            })
            .collect();
        assert_eq!(seen, without_text, "{name}: check reported {found:#?}");
        for e in &expected {
            let Some(text) = &e.text else { continue };
            let d = found
                .iter()
                .find(|d| place(d) == e.place && d["code"] == e.code.as_str())
                .unwrap();
            let said = format!(
                "{} {}",
                d["message"].as_str().unwrap(),
                d["help"].as_str().unwrap_or_default()
            );
            assert!(said.contains(text.as_str()), "{name}: {:?} not in {said}", text);
            assert!(
                !d["message"].as_str().unwrap().contains("line "),
                "{name}: a position in the message: {}",
                d["message"]
            );
        }
        let errors: Vec<&Value> = found.iter().filter(|d| d["severity"] == "error").collect();
        assert_build_agrees(&hb, &errors, &name);
    }
}

#[test]
fn the_base_url_option_is_checked_as_the_key_is() {
    let hb = Fixture::new(&[("content/_index.md", "Home.\n")]);
    hb.cmd(&["build", "--base-url", "handbook.example.com"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error[bad-base-url]: --base-url `handbook.example.com` is not an absolute http(s) URL",
        ))
        .stderr(predicate::str::contains("or leave --base-url out"));
    assert!(!hb.path("public").exists());
    hb.cmd(&["build", "--base-url", "https://hb.example.com/?v=1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has a query or fragment"));
    // A good option replaces a bad key: the key is not what is published.
    hb.write("handbook.toml", "base_url = \"nope\"\n");
    hb.cmd(&["build", "--base-url", "https://hb.example.com/docs"])
        .assert()
        .success();
    assert!(
        hb.read("public/sitemap.xml")
            .contains("<loc>https://hb.example.com/docs/</loc>")
    );
}

#[test]
fn new_refuses_a_title_that_names_no_file() {
    let hb = Fixture::new(&[("content/_index.md", "Home.\n")]);
    for (kind, title, said) in [
        ("decision", "", "the title is empty"),
        ("protocol", "   ", "the title is empty"),
        ("decision", "!!!", "the title \"!!!\" has no letter or digit"),
        ("meeting", "Line\nbreak", "the title must be one line"),
    ] {
        hb.cmd(&["new", kind, title])
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(format!("error: {said}")))
            .stderr(predicate::str::contains("e.g. \"Use Postgres\" or \"Weekly sync\""));
    }
    for folder in ["decisions", "meetings", "protocols"] {
        assert!(
            !hb.path(&format!("content/{folder}")).exists(),
            "{folder}: nothing is written"
        );
    }
}

#[test]
fn new_names_a_file_after_a_title_in_another_script() {
    let hb = Fixture::new(&[("content/_index.md", "Home.\n")]);
    hb.cmd(&["new", "meeting", "会議"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-11-25-hui-yi.md"));
    assert!(
        hb.read("content/meetings/2026-11-25-hui-yi.md")
            .contains("title = \"会議\"")
    );
    hb.cmd(&["check"]).assert().success();
}

#[test]
fn the_summary_counts_errors_warnings_and_notes_apart() {
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-a.md",
            "+++\ntitle = \"A\"\nstatus = \"on hold\"\n+++\n",
        ),
        ("content/decisions/0002-b.md", "+++\ntitle = \"\"\n+++\n"),
    ]);
    // Notes: base_url is not set, and the handbook is not in git.
    hb.cmd(&["build"]).assert().code(1).stderr(predicate::str::contains(
        "error: the handbook has 1 error, 1 warning and 2 notes; nothing was written",
    ));
    // `check` never writes, so it does not say so.
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error: the handbook has 1 error, 1 warning and 2 notes
",
        ))
        .stderr(predicate::str::contains("nothing was written").not());
    let output = hb.cmd(&["check", "--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (&report["errors"], &report["warnings"], &report["notes"]),
        (&Value::from(1), &Value::from(1), &Value::from(2)),
        "{report}"
    );
}

#[test]
fn thousands_of_equal_headings_get_distinct_ids() {
    let mut body = String::from("# Page\n\n## same-1\n\n");
    body.push_str(&"## same\n\nText.\n\n".repeat(3000));
    let hb = Fixture::new(&[("content/page.md", body.as_str())]);
    hb.cmd(&["build"]).assert().success();
    let html = hb.read("public/page/index.html");
    for id in ["same", "same-1", "same-2", "same-3000"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no heading {id}");
    }
    assert!(!html.contains("id=\"same-3001\""));
    assert_eq!(html.matches("id=\"same-1\"").count(), 1, "same-1 is written once");
}
