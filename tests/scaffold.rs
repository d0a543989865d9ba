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
        .stderr(common::quiet())
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

#[test]
fn new_decision_supersedes_an_old_one_changing_only_its_status() {
    let old = "+++\ntitle = \"Use Postgres\"\ndate = 2025-01-01\nstatus = \"accepted\"\ntags = [\"storage\"]\n+++\n\n## Context\n\nKeep   this   spacing.\n";
    let hb = Fixture::new(&[("content/decisions/0007-use-postgres.md", old)]);
    hb.cmd(&["new", "decision", "Use SQLite", "--supersedes", "7"])
        .assert()
        .success()
        .stdout(predicate::str::contains("content/decisions/0008-use-sqlite.md"))
        .stdout(predicate::str::contains("Marked superseded: "));
    assert_eq!(
        hb.read("content/decisions/0007-use-postgres.md"),
        old.replace("status = \"accepted\"", "status = \"superseded\"")
    );
    assert!(
        hb.read("content/decisions/0008-use-sqlite.md")
            .contains("supersedes = [7]")
    );
    hb.cmd(&["build"]).assert().success().stderr(common::quiet());
    assert!(
        hb.read("public/decisions/0007-use-postgres/index.html")
            .contains("Superseded by <a href=\"../../decisions/0008-use-sqlite/index.html\">")
    );

    hb.cmd(&["new", "decision", "Use Oracle", "--supersedes", "99"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("there is no decision number 99"));
    assert!(!hb.path("content/decisions/0009-use-oracle.md").exists());
}

#[test]
fn new_decision_in_madr_and_nygard_formats() {
    let hb = Fixture::new(&[(
        "content/decisions/0001-first.md",
        "+++\ntitle = \"First\"\nstatus = \"accepted\"\n+++\n",
    )]);
    hb.cmd(&["new", "decision", "Use MADR", "--format", "madr"])
        .assert()
        .success();
    let madr = hb.read("content/decisions/0002-use-madr.md");
    assert!(
        madr.starts_with("---\nstatus: proposed\ndate: 2026-11-25\n")
            && madr.contains("# Use MADR")
            && madr.contains("## Decision Outcome")
    );
    hb.cmd(&[
        "new",
        "decision",
        "Use Nygard",
        "--format",
        "nygard",
        "--supersedes",
        "1",
    ])
    .assert()
    .success();
    let nygard = hb.read("content/decisions/0003-use-nygard.md");
    assert!(
        nygard.starts_with(
            "# 3. Use Nygard\n\nDate: 2026-11-25\n\n## Status\n\nProposed\n\nSupersedes [1. First](0001-first.md)"
        ),
        "{nygard}"
    );
    hb.cmd(&["new", "meeting", "Sync", "--format", "madr"]).assert().code(2);
}

#[test]
fn new_meeting_in_a_series_carries_over_attendees_and_open_items() {
    let hb = Fixture::new(&[
        (
            "content/meetings/2026-11-11-weekly.md",
            "+++\ntitle = \"Weekly\"\nseries = \"weekly\"\nattendees = [\"ana\"]\n+++\n- [ ] @ana Old task (due 2026-11-01)\n",
        ),
        (
            "content/meetings/2026-11-18-weekly.md",
            "+++\ntitle = \"Weekly 2\"\nseries = \"weekly\"\ntime = \"16:30\"\ntimezone = \"Europe/Berlin\"\nattendees = [\"ana\", \"ben\"]\nfacilitator = \"ben\"\n+++\n- [ ] @ben Draft the rota (due 2026-12-01)\n- [x] @ana Done already\n- [ ] Unowned thing\n",
        ),
    ]);
    hb.cmd(&["new", "meeting", "Weekly 3", "--series", "weekly"])
        .assert()
        .success();
    let text = hb.read("content/meetings/2026-11-25-weekly-3.md");
    for expected in [
        "time = \"16:30\"\ntimezone = \"Europe/Berlin\"\nseries = \"weekly\"\nattendees = [\"ana\", \"ben\"]\nfacilitator = \"ben\"",
        "- [ ] @ben Draft the rota (due 2026-12-01)\n- [ ] Unowned thing\n",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(!text.contains("Done already") && !text.contains("Old task"));
    hb.cmd(&["build"]).assert().success();
}

/// A new meeting is in the handbook's time zone unless the one it follows named another; it
/// takes the time of that one, or has none when that one had none.
#[test]
fn new_meetings_are_in_the_handbooks_time_zone_and_follow_their_series_time_or_lack_of_one() {
    let hb = Fixture::new(&[
        ("handbook.toml", "title = \"Ops\"\ntimezone = \"Europe/Berlin\"\n"),
        (
            "content/meetings/2026-11-18-retro.md",
            "+++\ntitle = \"Retro\"\nseries = \"retro\"\nattendees = [\"ana\"]\n+++\nNotes.\n",
        ),
    ]);
    hb.cmd(&["new", "meeting", "Planning"]).assert().success();
    let text = hb.read("content/meetings/2026-11-25-planning.md");
    assert!(text.contains("time = \"15:00\"\n"), "{text}");
    assert!(
        !text.contains("timezone"),
        "the handbook's zone is not written out: {text}"
    );
    hb.cmd(&["new", "meeting", "Retro 2", "--series", "retro", "--date", "2026-11-26"])
        .assert()
        .success();
    let text = hb.read("content/meetings/2026-11-26-retro-2.md");
    assert!(!text.contains("time =") && !text.contains("timezone"), "{text}");
    hb.cmd(&["build"]).assert().success();
    // 15:00 in Berlin on 25 November is 14:00 UTC.
    let calendar = hb.read("public/meetings/2026-11-25-planning/meeting.ics");
    assert!(calendar.contains("DTSTART:20261125T140000Z"), "{calendar}");
    assert!(
        !hb.root()
            .join("public/meetings/2026-11-26-retro-2/meeting.ics")
            .exists()
    );
}

#[test]
fn init_names_the_site_after_its_folder_and_has_git_ignore_the_built_site() {
    let dir = tempfile::tempdir().unwrap();
    handbook()
        .current_dir(dir.path())
        .args(["init", "team-handbook"])
        .assert()
        .success();
    let root = dir.path().join("team-handbook");
    let config = std::fs::read_to_string(root.join("handbook.toml")).unwrap();
    assert!(config.contains("title = \"Team handbook\"\n"), "{config}");
    assert!(
        std::fs::read_to_string(root.join(".gitignore"))
            .unwrap()
            .contains("/public/\n")
    );
    // An existing .gitignore keeps its lines and gains one.
    let other = dir.path().join("ops");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join(".gitignore"), "target").unwrap();
    handbook().current_dir(&other).arg("init").assert().success();
    assert_eq!(
        std::fs::read_to_string(other.join(".gitignore")).unwrap(),
        "target\n# The site handbook builds\n/public/\n"
    );
    assert!(
        std::fs::read_to_string(other.join("handbook.toml"))
            .unwrap()
            .contains("title = \"Ops handbook\"")
    );
    if common::has_git() {
        handbook().arg("--root").arg(&root).arg("build").assert().success();
        let git = |args: &[&str]| {
            let out = std::process::Command::new("git")
                .current_dir(&root)
                .args(args)
                .output()
                .unwrap();
            assert!(out.status.success(), "git {args:?}");
            String::from_utf8(out.stdout).unwrap()
        };
        git(&["init", "-q"]);
        git(&["add", "-A"]);
        let staged = git(&["diff", "--cached", "--name-only"]);
        assert!(
            staged.contains("handbook.toml") && !staged.contains("public/"),
            "{staged}"
        );
    }
}

#[test]
fn commands_find_the_handbook_from_any_folder_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    handbook()
        .current_dir(dir.path())
        .args(["init", "hb"])
        .assert()
        .success();
    let decisions = dir.path().join("hb/content/decisions");
    handbook()
        .current_dir(&decisions)
        .args(["new", "decision", "Use Postgres"])
        .assert()
        .success();
    assert!(decisions.join("0002-use-postgres.md").is_file());
    assert!(!decisions.join("content").exists(), "content/ nested inside itself");
    let found = dir.path().join("hb").canonicalize().unwrap();
    handbook()
        .current_dir(&decisions)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("(2 decisions, 1 meeting, 1 protocol)"))
        .stderr(predicate::str::contains(format!(
            "Using the handbook in {}\n",
            found.display()
        )));
    handbook()
        .current_dir(dir.path().join("hb/content"))
        .arg("build")
        .assert()
        .success();
    assert!(dir.path().join("hb/public/index.html").is_file());
    assert!(!dir.path().join("hb/content/public").exists());
}
