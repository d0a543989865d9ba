//! Folders mounted where they are (`[[mounts]]`), decision records found by their format
//! wherever they sit, and one number space per decision log.

mod common;

use common::{Fixture, broken_links, quiet};
use predicates::prelude::*;

const RFC: &str = "- Feature Name: `private_fields`\n- Start Date: 2014-03-11\n- RFC PR: [rust-lang/rfcs#1](https://github.com/rust-lang/rfcs/pull/1)\n\n# Summary\n\nFields are private.\n\n![diagram](0001-private-fields/diagram.svg)\n";

const NYGARD: &str = "# 1. Record architecture decisions\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n## Context\n\nWe need to record decisions.\n";

const NYGARD_2: &str =
    "# 2. Implement as shell scripts\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n## Context\n\nShell.\n";

#[test]
fn an_rfc_repository_builds_in_place_without_content() {
    let hb = Fixture::new(&[
        (
            "handbook.toml",
            "title = \"RFCs\"\n[[mounts]]\nsource = \"text\"\ntarget = \"rfcs\"\nkind = \"decision\"\nstatus = \"accepted\"\n",
        ),
        ("text/0001-private-fields.md", RFC),
        (
            "text/0001-private-fields/diagram.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        ("text/notes.txt", "not shown by any page\n"),
        ("src/main.rs", "fn main() {}\n"),
        ("README.md", "# The repository\n"),
    ]);
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let page = hb.read("public/rfcs/0001-private-fields/index.html");
    assert!(page.contains("Accepted"), "the mount's status is the record's");
    assert!(page.contains("rust-lang/rfcs#1"), "the RFC header is in the facts box");
    assert!(hb.path("public/rfcs/0001-private-fields/diagram.svg").is_file());
    assert!(
        !hb.path("public/rfcs/notes.txt").exists(),
        "a mounted file no page shows is not published"
    );
    assert!(!hb.path("public/src").exists() && !hb.path("public/README").exists());
    let log = hb.read("public/decisions/index.html");
    assert!(log.contains("Private fields"), "{log}");
    assert_eq!(broken_links(&hb.path("public")), Vec::<String>::new());
}

#[test]
fn an_adr_folder_inside_a_code_repository_is_found_by_its_format() {
    // No `kind`, no `[folders]`: the Nygard records are decisions because of how they are
    // written; the code repository's README beside them is not.
    let hb = Fixture::new(&[
        ("handbook.toml", "[[mounts]]\nsource = \"doc/adr\"\n"),
        ("doc/adr/0001-record-architecture-decisions.md", NYGARD),
        ("doc/adr/0002-implement-as-shell-scripts.md", NYGARD_2),
        ("doc/adr/README.md", "# Architecture decisions\n\nSee the records.\n"),
        ("content/_index.md", "# Team\n"),
    ]);
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let log = hb.read("public/decisions/index.html");
    assert!(log.contains("Record architecture decisions") && log.contains("Implement as shell scripts"));
    assert!(
        hb.path("public/adr/0002-implement-as-shell-scripts/index.html")
            .is_file()
    );
    assert!(
        !log.contains("Architecture decisions</a>"),
        "the README is a page, not a record"
    );
}

#[test]
fn two_logs_number_their_records_on_their_own() {
    let hb = Fixture::new(&[
        (
            "handbook.toml",
            "[[mounts]]\nsource = \"vendor/billing/doc/adr\"\ntarget = \"billing\"\n",
        ),
        ("vendor/billing/doc/adr/0001-record-architecture-decisions.md", NYGARD),
        ("vendor/billing/doc/adr/0002-implement-as-shell-scripts.md", NYGARD_2),
        (
            "vendor/billing/doc/adr/0003-use-make.md",
            "# 3. Use make\n\nDate: 2016-02-13\n\n## Status\n\nAccepted\n",
        ),
        (
            "content/decisions/0001-use-rust.md",
            "+++\ntitle = \"Use Rust\"\nstatus = \"superseded\"\n+++\n",
        ),
        (
            "content/decisions/0002-use-postgres.md",
            "+++\ntitle = \"Use Postgres\"\nstatus = \"accepted\"\nsupersedes = [1]\nrelated = [\"billing/3\"]\n+++\nSee [[billing/0002]].\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let own = hb.read("public/decisions/0001-use-rust/index.html");
    assert!(
        own.contains("0002-use-postgres/index.html"),
        "`supersedes = [1]` binds to its own log's record 1"
    );
    let billing = hb.read("public/billing/0001-record-architecture-decisions/index.html");
    assert!(
        !billing.contains("0002-use-postgres"),
        "not to the other log's record 1"
    );
    let postgres = hb.read("public/decisions/0002-use-postgres/index.html");
    assert!(
        postgres.contains("../../billing/0003-use-make/index.html"),
        "{postgres}"
    );
    assert!(postgres.contains("../../billing/0002-implement-as-shell-scripts/index.html"));
    // The decision log shows all logs, with a column naming each record's, or one log.
    let all = hb.read("public/decisions/index.html");
    assert!(all.contains(">Log</th>") && all.contains("decisions/logs/billing/index.html"));
    let billing_log = hb.read("public/decisions/logs/billing/index.html");
    assert!(billing_log.contains("Use make") && !billing_log.contains("Use Postgres"));
    assert!(billing_log.contains("3 of 5 decision records"), "{billing_log}");
}

#[test]
fn a_record_never_binds_to_another_logs_number_unnamed() {
    let hb = Fixture::new(&[
        ("handbook.toml", "[[mounts]]\nsource = \"ops/adr\"\ntarget = \"ops\"\n"),
        (
            "ops/adr/0003-use-make.md",
            "# 3. Use make\n\nDate: 2016-02-13\n\n## Status\n\nAccepted\n",
        ),
        (
            "content/decisions/0001-use-rust.md",
            "+++\nstatus = \"accepted\"\nsupersedes = [3]\n+++\n",
        ),
        (
            "content/meetings/2026-11-20-sync.md",
            "+++\ndecisions = [1]\n+++\n# Sync\n",
        ),
        ("content/decisions/0002-b.md", "+++\nstatus = \"accepted\"\n+++\n"),
    ]);
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error[missing-decision]: `supersedes` names decision 3, which its own decision log does not have",
        ))
        .stderr(predicate::str::contains("--> content/decisions/0001-use-rust.md:3:14"))
        .stderr(predicate::str::contains("name its log: \"ops/3\""));
    // A meeting has no log of its own: a number only one log has is that log's.
    hb.write(
        "content/decisions/0001-use-rust.md",
        "+++\nstatus = \"accepted\"\n+++\n",
    );
    hb.cmd(&["check"]).assert().success();
    hb.write(
        "ops/adr/0001-use-ant.md",
        "# 1. Use ant\n\nDate: 2016-02-13\n\n## Status\n\nAccepted\n",
    );
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("which more than one decision log has"))
        .stderr(predicate::str::contains("\"decisions/1\" or \"ops/1\""));
    // So does a wiki-link by number alone in a page of no log.
    hb.write(
        "content/meetings/2026-11-20-sync.md",
        "+++
+++
# Sync

See [[0001]].
",
    );
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[ambiguous-link]"))
        .stderr(predicate::str::contains(
            "name one of them: [[decisions/0001]] or [[ops/0001]]",
        ));
}

#[test]
fn a_log4brains_multi_package_log_builds_in_place() {
    let record =
        |status: &str| format!("# Use a thing\n\n- Status: {status}\n- Date: 2020-10-16\n\n## Context\n\nText.\n");
    let hb = Fixture::new(&[
        (
            "handbook.toml",
            "[[mounts]]\nsource = \"docs/adr\"\ntarget = \"adr\"\n[[mounts]]\nsource = \"packages/core/docs/adr\"\ntarget = \"adr/core\"\n[[mounts]]\nsource = \"packages/web/docs/adr\"\ntarget = \"adr/web\"\n",
        ),
        ("docs/adr/20201016-use-markdown.md", &record("accepted")),
        ("docs/adr/index.md", "# Architecture knowledge base\n"),
        (
            "docs/adr/template.md",
            "# [short title]\n\n- Status: [draft | proposed]\n- Date: [YYYY-MM-DD]\n",
        ),
        (
            "packages/core/docs/adr/20200925-use-hexagonal-architecture.md",
            &record("accepted"),
        ),
        ("packages/web/docs/adr/20200927-use-nextjs.md", &record("superseded")),
    ]);
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    for page in [
        "adr/20201016-use-markdown",
        "adr/core/20200925-use-hexagonal-architecture",
        "adr/web/20200927-use-nextjs",
    ] {
        let html = hb.read(&format!("public/{page}/index.html"));
        assert!(html.contains("2020-10-16"), "the Date bullet dates the record");
        assert!(
            !html.contains("- Status:"),
            "the status bullet is shown once, in the facts box"
        );
    }
    let log = hb.read("public/decisions/index.html");
    assert!(!log.contains("[short title]"), "the template is not a record");
    assert_eq!(log.matches("Use a thing").count(), 3, "{log}");
}

#[test]
fn bad_mounts_are_reported_at_their_keys() {
    let hb = Fixture::new(&[
        (
            "handbook.toml",
            "[[mounts]]\nsource = \"missing\"\n\n[[mounts]]\nsource = \"../outside\"\n\n[[mounts]]\nsource = \"a/adr\"\n\n[[mounts]]\nsource = \"b/adr\"\n\n[[mounts]]\nsource = \"c\"\nkind = \"decisoin\"\n",
        ),
        ("content/a.md", "# A\n"),
    ]);
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error[bad-mount]: the mounted folder `../outside` leaves the handbook root",
        ))
        .stderr(predicate::str::contains("--> handbook.toml:5:10"))
        .stderr(predicate::str::contains(
            "error[mount-conflict]: mount 3 (`source = \"a/adr\"`) already shows its pages at `adr/`",
        ))
        .stderr(predicate::str::contains("--> handbook.toml:11:10"))
        .stderr(predicate::str::contains(
            "error[unknown-kind]: `decisoin` is not a kind",
        ))
        .stderr(predicate::str::contains("--> handbook.toml:15:8"));
    hb.write("handbook.toml", "[[mounts]]\nsource = \"missing\"\n");
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error[missing-mount]: there is no folder `missing` to mount",
        ))
        .stderr(predicate::str::contains("--> handbook.toml:2:10"));
}

#[test]
fn folder_settings_that_match_nothing_warn_and_dot_is_everything() {
    let hb = Fixture::new(&[
        ("handbook.toml", "[folders]\ndecisions = [\"adrs\"]\n"),
        (
            "content/0001-record-architecture-decisions.md",
            "+++\nstatus = \"accepted\"\n+++\n# Record\n",
        ),
    ]);
    hb.cmd(&["check"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning[empty-folder-setting]: `folders.decisions` names `adrs`, which holds no page",
        ))
        .stderr(predicate::str::contains("--> handbook.toml:2:14"));
    hb.write("handbook.toml", "[folders]\ndecisions = [\".\"]\n");
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    assert!(hb.read("public/decisions/index.html").contains("Record"));
}

#[test]
fn a_folder_another_mount_covers_is_reported_not_merged() {
    let hb = Fixture::new(&[
        ("handbook.toml", "[[mounts]]\nsource = \"text\"\ntarget = \"rfcs\"\n"),
        ("text/0001-a.md", "- Start Date: 2014-03-11\n\n# Summary\n"),
        ("content/rfcs/old.md", "# Old\n"),
    ]);
    hb.cmd(&["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[shadowed-folder]"))
        .stderr(predicate::str::contains("--> content/rfcs"));
    assert!(!hb.path("public/rfcs/old").exists());
}

#[test]
fn the_output_never_replaces_a_mounted_folder() {
    let hb = Fixture::new(&[
        ("handbook.toml", "[[mounts]]\nsource = \"doc/adr\"\n"),
        ("doc/adr/0001-record-architecture-decisions.md", NYGARD),
    ]);
    hb.cmd(&["build", "--output", "doc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mounted folder doc/adr"));
    assert!(hb.path("doc/adr/0001-record-architecture-decisions.md").is_file());
    // An output inside a mounted folder is left out of the next build's walk.
    hb.cmd(&["build", "--output", "doc/adr/site"]).assert().success();
    hb.cmd(&["build", "--output", "doc/adr/site"])
        .assert()
        .success()
        .stderr(quiet());
    assert!(!hb.path("doc/adr/site/adr/site").exists());
}

#[test]
fn new_decision_numbers_within_the_log_it_writes_to() {
    let hb = Fixture::new(&[
        ("handbook.toml", "[[mounts]]\nsource = \"doc/adr\"\ntarget = \"adr\"\n"),
        ("doc/adr/0001-record-architecture-decisions.md", NYGARD),
        ("doc/adr/0002-implement-as-shell-scripts.md", NYGARD_2),
        // Numbered by `id`, not by its file name.
        (
            "content/decisions/use-rust.md",
            "+++\nid = 7\nstatus = \"accepted\"\n+++\n# Use Rust\n",
        ),
    ]);
    hb.cmd(&["new", "decision", "Use Postgres"])
        .assert()
        .success()
        .stdout(predicate::str::contains("content/decisions/0008-use-postgres.md"));
    hb.cmd(&["new", "decision", "Use make", "--log", "adr", "--supersedes", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("doc/adr/0003-use-make.md"))
        .stdout(predicate::str::contains("Marked superseded: "));
    let written = hb.read("doc/adr/0003-use-make.md");
    assert!(
        written.starts_with("# 3. Use make"),
        "an adr-tools log gets a Nygard record: {written}"
    );
    hb.cmd(&["new", "decision", "X", "--log", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "there is no decision log `nope`; the logs are: decisions, adr",
        ));
    hb.cmd(&["check"]).assert().success();
}

#[test]
fn a_record_beside_its_folder_is_still_a_record() {
    // RFC 3392 sits beside a folder of its translations: it is that folder's page and a record.
    let hb = Fixture::new(&[
        (
            "handbook.toml",
            "[[mounts]]\nsource = \"text\"\ntarget = \"rfcs\"\nkind = \"decision\"\nstatus = \"accepted\"\n",
        ),
        (
            "text/3392-leadership-council.md",
            "- Start Date: 2023-02-01\n\n# Summary\n\nA council.\n",
        ),
        ("text/3392-leadership-council/translation-ja.md", "# 概要\n\n評議会。\n"),
        (
            "text/0001-private-fields.md",
            RFC.replace("![diagram](0001-private-fields/diagram.svg)\n", "")
                .as_str(),
        ),
    ]);
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let log = hb.read("public/decisions/index.html");
    assert!(log.contains("rfcs/3392-leadership-council/index.html"), "{log}");
    assert!(log.contains("2 of 2 decision records"));
    let page = hb.read("public/rfcs/3392-leadership-council/index.html");
    assert!(page.contains("A council.") && page.contains("translation-ja/index.html"));
}

#[test]
fn a_madr_record_with_metadata_only_in_front_matter_is_a_record() {
    // Found by a new user: MADR 3 and 4 keep status and deciders in front matter only.
    let hb = Fixture::new(&[
        ("handbook.toml", "[[mounts]]\nsource = \"docs/adr\"\n"),
        (
            "docs/adr/0001-use-x.md",
            "---\nstatus: accepted\ndate: 2024-01-02\ndecision-makers: [alice]\n---\n# Use X\n\nWe use X.\n",
        ),
        ("docs/adr/README.md", "---\ntitle: Decisions\n---\nAll of them.\n"),
    ]);
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let log = hb.read("public/decisions/index.html");
    assert!(
        log.contains("1 of 1 decision records") && log.contains("Use X"),
        "{log}"
    );
}

#[test]
fn prose_that_names_records_is_never_cut_from_a_plain_record() {
    // Found by a new user: "See also [[0003]]" in a handbook record's body became a relation
    // and the whole paragraph left the page.
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-a.md",
            "+++\ntitle = \"A\"\nstatus = \"accepted\"\n+++\nIntro.\n\nSee also the old [[0003]] and [[0002]].\n",
        ),
        (
            "content/decisions/0002-b.md",
            "+++\ntitle = \"B\"\nstatus = \"accepted\"\n+++\n",
        ),
        (
            "content/decisions/0003-c.md",
            "+++\ntitle = \"C\"\nstatus = \"accepted\"\n+++\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success();
    let page = hb.read("public/decisions/0001-a/index.html");
    assert!(page.contains("See also the old"), "{page}");
}

#[test]
fn a_stale_status_in_a_body_is_reported_where_it_is_written() {
    // Found by a new user: an adr-tools record that a later one supersedes was reported at
    // 1:1 with TOML advice.
    let hb = Fixture::new(&[
        ("handbook.toml", "[[mounts]]\nsource = \"doc/adr\"\n"),
        ("doc/adr/0001-record-architecture-decisions.md", NYGARD),
        (
            "doc/adr/0002-implement-as-shell-scripts.md",
            "# 2. Implement as shell scripts\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\nSupersedes [1. Record architecture decisions](0001-record-architecture-decisions.md)\n",
        ),
    ]);
    hb.cmd(&["check"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[status-not-superseded]"))
        .stderr(predicate::str::contains(
            "--> doc/adr/0001-record-architecture-decisions.md:7:1",
        ))
        .stderr(predicate::str::contains("change its status to superseded"));
}

#[test]
fn a_log_named_by_content_is_slugged_in_paths_and_escaped_in_pages() {
    // A record found by its format in any folder makes that folder a log: its name is content.
    let hb = Fixture::new(&[
        (
            "content/x\"><zztag zz=1>/0001-use-x.md",
            "# 1. Use X\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n",
        ),
        ("content/decisions/0001-b.md", "+++\nstatus = \"accepted\"\n+++\n# B\n"),
    ]);
    hb.cmd(&["build"]).assert().success();
    assert!(hb.path("public/decisions/logs/x-zztag-zz-1/index.html").is_file());
    for entry in walkdir::WalkDir::new(hb.path("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
            assert!(!text.contains("<zztag"), "{}", entry.path().display());
        }
    }
}
