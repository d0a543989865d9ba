//! `handbook init` and `handbook new`.

mod common;

use common::{Fixture, handbook};
use predicates::prelude::*;

#[test]
fn init_then_build_works_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    handbook()
        .current_dir(dir.path())
        .args(["init", "my-team"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Created ./my-team/handbook.toml"));
    let root = dir.path().join("my-team");
    for file in [
        "handbook.toml",
        "README.md",
        "content/_index.md",
        "content/protocols/how-we-work.md",
        "content/meetings/2026-11-25-kickoff.md",
        "content/decisions/0001-record-architecture-decisions.md",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    handbook()
        .arg("--root")
        .arg(&root)
        .arg("build")
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::contains("(1 decision, 1 meeting, 1 protocol)"));
    assert_eq!(common::broken_links(&root.join("public")), Vec::<String>::new());
}

#[test]
fn init_never_overwrites_a_handbook() {
    let hb = Fixture::new(&[("handbook.toml", "title = \"Mine\"\n")]);
    hb.cmd(&["init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(hb.read("handbook.toml"), "title = \"Mine\"\n");
}

#[test]
fn new_decisions_get_consecutive_numbers() {
    let hb = Fixture::new(&[("content/decisions/0007-old.md", "+++\ntitle = \"Old\"\n+++\n")]);
    hb.cmd(&["new", "decision", "Use Postgres"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("content/decisions/0008-use-postgres.md\n"));
    hb.cmd(&["new", "decision", "Use Redis"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("content/decisions/0009-use-redis.md\n"));
    let text = hb.read("content/decisions/0008-use-postgres.md");
    assert!(
        text.contains("title = \"Use Postgres\"\ndate = 2026-11-25\nstatus = \"proposed\""),
        "{text}"
    );
    hb.cmd(&["check"]).assert().success();
}

#[test]
fn new_meetings_and_protocols_are_dated_and_never_overwritten() {
    let hb = Fixture::new(&[("handbook.toml", "[folders]\nmeetings = [\"minutes\"]\n")]);
    hb.cmd(&["new", "meeting", "Weekly sync"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("content/minutes/2026-11-25-weekly-sync.md\n"));
    hb.cmd(&["new", "protocol", "On-call rota"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("content/protocols/on-call-rota.md\n"));
    hb.write("content/protocols/on-call-rota.md", "mine\n");
    hb.cmd(&["new", "protocol", "On-call rota"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(hb.read("content/protocols/on-call-rota.md"), "mine\n");
}
