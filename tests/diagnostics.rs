//! Bad input: every problem of a handbook is reported in one run, each at its file:line:col with
//! the offending line and advice, and nothing is written.

mod common;

use common::Fixture;
use predicates::prelude::*;

/// Runs `check` and returns stderr, asserting exit code 1.
fn errors_of(hb: &Fixture) -> String {
    let output = hb.cmd(&["check"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn every_error_of_a_build_is_reported_together() {
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-a.md",
            "+++\ntitle = \"A\"\ndate = = 2026-01-01\n+++\n",
        ),
        ("content/decisions/0002-b.md", "---\ntitle: B\ntags: [x, y\n---\n"),
        (
            "content/decisions/0003-c.md",
            "+++\ntitle = \"C\"\ndate = \"yesterday\"\n+++\n",
        ),
        (
            "content/decisions/0004-d.md",
            "+++\ntitle = \"D\"\nstatus = \"acepted\"\n+++\n",
        ),
        ("content/decisions/0005-e.md", "+++\ntitle = \"E\"\n+++\n"),
        ("content/decisions/5-e-again.md", "+++\ntitle = \"E again\"\n+++\n"),
        ("content/guides/My Page.md", "Mine.\n"),
        ("content/guides/my-page.md", "Also mine.\n"),
        ("content/guides/empty.md", "  \n\n"),
        (
            "content/guides/links.md",
            "Intro\n\nSee [gone](missing.md) and [bad anchor](../decisions/0005-e.md#nope).\n",
        ),
    ]);
    hb.write_bytes("content/guides/latin1.md", b"+++\ntitle = \"Caf\xe9\"\n+++\n");
    let stderr = errors_of(&hb);
    for expected in [
        "content/decisions/0001-a.md:3:8",
        "invalid TOML front matter",
        "content/decisions/0002-b.md:",
        "invalid YAML front matter",
        "content/decisions/0003-c.md:3:8",
        "`date` must be a date, not the text \"yesterday\"",
        "write `date` as YYYY-MM-DD",
        "content/decisions/0004-d.md:3:10",
        "`status` is not a known decision status: \"acepted\"",
        "did you mean \"accepted\"?",
        "decision number 5 is also used by content/decisions/0005-e.md",
        "content/guides/my-page.md:1:1",
        "this page and content/guides/My Page.md both have the URL `guides/my-page/`",
        "content/guides/empty.md",
        "the file is empty",
        "content/guides/latin1.md:2:13",
        "not valid UTF-8 (byte 0xE9)",
        "content/guides/links.md:3:5",
        "broken link: `missing.md` does not exist",
        "content/guides/links.md:3:28",
        "has no heading `#nope`",
        "the handbook has 10 errors, 0 warnings and 2 notes",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
}

#[test]
fn links_to_a_page_that_cannot_be_read_are_not_reported_as_broken_too() {
    let hb = Fixture::new(&[
        (
            "content/guides/setup.md",
            "---\ntitle: Setup: the first day\n---\nHello.\n",
        ),
        (
            "content/guides/index.md",
            "See [setup](setup.md) and [missing](missing.md).\n",
        ),
    ]);
    let errors = errors_of(&hb);
    assert!(errors.contains("content/guides/setup.md:2"), "{errors}");
    assert!(errors.contains("`missing.md` does not exist"), "{errors}");
    assert!(!errors.contains("`setup.md` does not exist"), "{errors}");
    assert!(errors.contains("2 errors"), "{errors}");
}

#[test]
fn a_diagnostic_shows_the_line_and_a_marker() {
    let hb = Fixture::new(&[(
        "content/decisions/0001-a.md",
        "+++\ntitle = \"A\"\ndate = \"yesterday\"\n+++\n",
    )]);
    let stderr = errors_of(&hb);
    let expected = "error[bad-date]: `date` must be a date, not the text \"yesterday\"\n --> content/decisions/0001-a.md:3:8\n  |\n3 | date = \"yesterday\"\n  |        ^^^^^^^^^^^\n  |\nhelp: write `date` as YYYY-MM-DD, e.g. 2026-11-20";
    assert!(stderr.contains(expected), "{stderr}");
}

#[test]
fn unknown_config_keys_name_the_nearest_valid_key() {
    let hb = Fixture::new(&[
        ("handbook.toml", "titel = \"x\"\n\n[protocols]\nreview_evry = \"90d\"\n"),
        ("content/a.md", "A\n"),
    ]);
    hb.cmd(&["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("handbook.toml:1:1"))
        .stderr(predicate::str::contains("unknown key `titel`"))
        .stderr(predicate::str::contains("did you mean `title`?"))
        .stderr(predicate::str::contains("handbook.toml:4:1"))
        .stderr(predicate::str::contains("did you mean `protocols.review_every`?"));
    assert!(!hb.path("public").exists());
}

#[test]
fn references_to_missing_decisions_are_errors() {
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-a.md",
            "+++\ntitle = \"A\"\nsupersedes = [9]\n+++\n",
        ),
        (
            "content/meetings/2026-01-01-sync.md",
            "+++\ntitle = \"Sync\"\ndecisions = [1, 8]\n+++\n",
        ),
    ]);
    let stderr = errors_of(&hb);
    assert!(stderr.contains("content/decisions/0001-a.md:3:1"), "{stderr}");
    assert!(stderr.contains("`supersedes` names decision 9, which does not exist"));
    assert!(stderr.contains("content/meetings/2026-01-01-sync.md:3:1"));
    assert!(stderr.contains("`decisions` names decision 8"));
}

#[test]
fn a_superseded_record_that_says_accepted_is_shown_superseded_with_a_warning() {
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-a.md",
            "+++\ntitle = \"A\"\nstatus = \"accepted\"\n+++\n",
        ),
        (
            "content/decisions/0002-b.md",
            "+++\ntitle = \"B\"\nstatus = \"accepted\"\nsupersedes = [1]\n+++\n",
        ),
    ]);
    hb.cmd(&["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("content/decisions/0001-a.md:3:1"))
        .stderr(predicate::str::contains(
            "superseded by decision 0002 but says accepted",
        ));
    assert!(
        hb.read("public/decisions/0001-a/index.html")
            .contains("status-superseded")
    );
    hb.cmd(&["check", "--strict"]).assert().code(1);
}

#[test]
fn wrong_types_in_yaml_point_at_the_value() {
    let hb = Fixture::new(&[(
        "content/meetings/sync.md",
        "---\ntitle: Sync\ndraft: maybe\ntimezone: Mars/Base\n---\n",
    )]);
    let stderr = errors_of(&hb);
    assert!(
        stderr.contains("content/meetings/sync.md:3:8: ") || stderr.contains("content/meetings/sync.md:3:8\n"),
        "{stderr}"
    );
    assert!(stderr.contains("`draft` must be true or false"));
    assert!(stderr.contains("content/meetings/sync.md:4:11"));
    assert!(stderr.contains("`timezone` must be an IANA time zone, not the text \"Mars/Base\""));
}

#[test]
fn a_missing_content_folder_is_explained() {
    let hb = Fixture::new(&[("handbook.toml", "")]);
    hb.cmd(&["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("there is no content/ folder"));
}

/// A handbook with one people page, naming `bob`, who has none, in three records.
fn people_fixture(config: &str) -> Fixture {
    Fixture::new(&[
        ("handbook.toml", config),
        ("content/people/ann.md", "+++\nname = \"Ann\"\n+++\nAnn.\n"),
        (
            "content/decisions/0001-a.md",
            "+++\ntitle = \"A\"\ndate = 2026-01-01\nstatus = \"accepted\"\ndeciders = [\"ann\", \"bob\"]\n+++\nA.\n",
        ),
        (
            "content/meetings/2026-01-02-sync.md",
            "+++\ntitle = \"Sync\"\ndate = 2026-01-02\nattendees = [\"bob\"]\n+++\n## Action items\n\n- [ ] @bob writes it up\n",
        ),
        (
            "content/protocols/p.md",
            "+++\ntitle = \"P\"\nowner = \"carol\"\nreviewed = 2026-01-01\n+++\nP.\n",
        ),
    ])
}

#[test]
fn a_person_without_a_page_is_reported_once_with_every_mention() {
    let hb = people_fixture("title = \"T\"\n");
    let output = hb.cmd(&["check"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.matches("warning[unknown-person]").count(), 2, "{stderr}");
    assert!(
        // At the name itself in `deciders = ["ann", "bob"]`.
        stderr.contains("content/decisions/0001-a.md:5:21")
            && stderr.contains("`bob` has no page in people/ (named 3 times)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("also named at content/meetings/2026-01-02-sync.md:4:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`carol` has no page in people/\n") || stderr.contains("`carol` has no page in people/ "),
        "{stderr}"
    );
    assert!(stderr.contains("[people] pages = \"optional\""), "{stderr}");

    // --strict fails on them, and says so in the same words as every other format.
    let output = hb.cmd(&["check", "--strict"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.matches("error[unknown-person]").count(), 2, "{stderr}");
    assert!(!stderr.contains("warning["), "{stderr}");
    assert!(
        stderr.ends_with("error: the handbook has 2 errors, 0 warnings and 3 notes (--strict makes warnings errors)\n"),
        "{stderr}"
    );
}

#[test]
fn optional_people_pages_make_a_missing_page_a_note() {
    let hb = people_fixture("title = \"T\"\n[people]\npages = \"optional\"\n");
    let output = hb.cmd(&["check", "--strict"]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.matches("note[unknown-person]").count(), 2, "{stderr}");
    let hb = people_fixture("title = \"T\"\n[people]\npages = \"sometimes\"\n");
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("handbook.toml:3:9"));
}

#[test]
fn check_speaks_github_gitlab_and_json_and_strict_makes_warnings_errors_in_each() {
    let hb = people_fixture("title = \"T\"\n");
    // GitHub workflow commands, one per line, annotating the file, line and column.
    let output = hb.cmd(&["check", "--strict", "--format", "github"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr, "error: the handbook has 2 errors, 0 warnings and 3 notes\n",
        "{stderr}"
    );
    for line in stdout.lines() {
        let (command, rest) = line.strip_prefix("::").and_then(|l| l.split_once(' ')).expect(line);
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (properties, message) = rest.split_once("::").expect(line);
        assert!(
            properties.split(',').all(|p| p.contains('=')) && !message.contains('\n'),
            "{line}"
        );
    }
    assert!(
        stdout
            .contains("::error file=content/decisions/0001-a.md,line=5,col=21,title=unknown-person::`bob` has no page"),
        "{stdout}"
    );
    let plain = hb.cmd(&["check", "--format", "github"]).output().unwrap();
    assert!(
        String::from_utf8(plain.stdout)
            .unwrap()
            .contains("::warning file=content/decisions/0001-a.md")
    );
    // GitLab Code Quality: issues with a path, a line and a fingerprint.
    let output = hb.cmd(&["check", "--strict", "--format", "gitlab"]).output().unwrap();
    let issues: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let person = issues
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["check_name"] == "unknown-person")
        .unwrap();
    assert_eq!(person["severity"], "major");
    assert_eq!(person["location"]["path"], "content/decisions/0001-a.md");
    assert_eq!(person["location"]["lines"]["begin"], 5);
    assert_eq!(person["fingerprint"].as_str().unwrap().len(), 16);
    // JSON: the severity follows --strict, and a person reads the summary in the log.
    let output = hb.cmd(&["check", "--strict", "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"], 2);
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["severity"] == "error")
    );
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .starts_with("error: the handbook has 2 errors")
    );
}
