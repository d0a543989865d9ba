//! Change awareness: git history on pages, Atom feeds, what's new, JSON diagnostics for CI,
//! drafts and public builds.

mod common;

use common::{Fixture, broken_links, commit, quiet};
use predicates::prelude::*;

fn history_handbook() -> Fixture {
    let hb = Fixture::new(&[
        (
            "handbook.toml",
            "title = \"Ops <&> Co\"\nbase_url = \"https://example.com/hb/\"\n[repository]\nurl = \"https://github.com/acme/handbook\"\n",
        ),
        (
            "content/protocols/on-call.md",
            "+++\ntitle = \"On-call\"\nreviewed = 2026-03-01\n+++\nRota.\n",
        ),
        (
            "content/decisions/0001-use-postgres.md",
            "+++\ntitle = \"Use Postgres & <SQL>\"\nstatus = \"accepted\"\n+++\nWe use Postgres.\n",
        ),
    ]);
    commit(&hb, "Alice", "2026-03-02", "first");
    hb.write(
        "content/meetings/2026-03-10-sync.md",
        "+++\ntitle = \"Sync\"\n+++\nNotes.\n",
    );
    hb.write(
        "content/protocols/on-call.md",
        "+++\ntitle = \"On-call\"\nreviewed = 2026-03-01\n+++\nRota, revised.\n",
    );
    commit(&hb, "Bob", "2026-03-11", "second");
    hb.write(
        "content/guides/pinned.md",
        "+++\ntitle = \"Pinned\"\nupdated = 2025-01-01\n+++\nOld.\n",
    );
    commit(&hb, "Carol", "2026-04-01", "third");
    hb
}

#[test]
fn pages_show_when_and_by_whom_they_last_changed() {
    let hb = history_handbook();
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let protocol = hb.read("public/protocols/on-call/index.html");
    assert!(
        protocol.contains("Last updated <time datetime=\"2026-03-11\">2026-03-11</time> by Bob"),
        "{protocol}"
    );
    assert!(
        protocol.contains(
            "href=\"https://github.com/acme/handbook/commits/main/content/protocols/on-call.md\">History</a>"
        )
    );
    assert!(protocol.contains(
        "href=\"https://github.com/acme/handbook/edit/main/content/protocols/on-call.md\">Edit this page</a>"
    ));
    let decision = hb.read("public/decisions/0001-use-postgres/index.html");
    assert!(decision.contains("Last updated <time datetime=\"2026-03-02\">2026-03-02</time> by Alice"));
    let pinned = hb.read("public/guides/pinned/index.html");
    assert!(pinned.contains("datetime=\"2025-01-01\""), "front matter wins over git");
}

#[test]
fn without_git_the_build_says_so_once() {
    let hb = Fixture::new(&[("content/a.md", "A.\n"), ("content/b.md", "B.\n")]);
    let output = hb.cmd(&["build"]).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.matches("not in a git repository").count(), 1, "{stderr}");
}

#[test]
fn feeds_are_valid_atom_with_absolute_links_and_escaped_text() {
    let hb = history_handbook();
    hb.cmd(&["build"]).assert().success();
    let all = hb.read("public/feed.xml");
    let doc = roxmltree::Document::parse(&all).expect("feed.xml is well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    assert_eq!(
        feed.children().find(|n| n.has_tag_name("title")).unwrap().text(),
        Some("Ops <&> Co")
    );
    let entries: Vec<_> = feed.children().filter(|n| n.has_tag_name("entry")).collect();
    assert_eq!(entries.len(), 4);
    let text = |entry: &roxmltree::Node, tag: &str| {
        entry
            .children()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
            .map(String::from)
    };
    assert_eq!(
        text(&entries[0], "title").as_deref(),
        Some("Sync"),
        "newest change first"
    );
    assert_eq!(
        text(&entries[0], "id").as_deref(),
        Some("https://example.com/hb/meetings/2026-03-10-sync/")
    );
    let link = entries[0].children().find(|n| n.has_tag_name("link")).unwrap();
    assert_eq!(
        link.attribute("href"),
        Some("https://example.com/hb/meetings/2026-03-10-sync/index.html")
    );
    for entry in &entries {
        assert!(text(entry, "updated").unwrap().ends_with("T00:00:00Z"));
    }

    let decisions = hb.read("public/decisions/feed.xml");
    let doc = roxmltree::Document::parse(&decisions).unwrap();
    let titles: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| text(&e, "title").unwrap())
        .collect();
    assert_eq!(titles, ["0001: Use Postgres & <SQL> (Accepted)"]);
    assert!(
        hb.read("public/index.html")
            .contains("<link rel=\"alternate\" type=\"application/atom+xml\"")
    );
}

#[test]
fn feeds_without_base_url_link_relatively_and_say_why() {
    let hb = Fixture::new(&[(
        "content/decisions/0001-a.md",
        "+++\ntitle = \"A\"\ndate = 2026-01-01\n+++\n",
    )]);
    hb.cmd(&["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("base_url is not set"));
    let feed = hb.read("public/decisions/feed.xml");
    roxmltree::Document::parse(&feed).unwrap();
    assert!(feed.contains("<id>urn:handbook:decisions/0001-a.md</id>"));
    assert!(feed.contains("href=\"../decisions/0001-a/index.html\""));
}

#[test]
fn whats_new_groups_changes_by_week() {
    let hb = history_handbook();
    hb.cmd(&["build"]).assert().success();
    let page = hb.read("public/changes/index.html");
    let week = |monday: &str| {
        page.find(&format!("Week of <time datetime=\"{monday}\">"))
            .unwrap_or_else(|| panic!("{monday}: {page}"))
    };
    assert!(week("2026-03-09") < week("2026-02-23") && week("2026-02-23") < week("2024-12-30"));
    assert!(page.contains("new meeting summary</span> <a href=\"../meetings/2026-03-10-sync/index.html\">Sync</a>"));
    assert!(page.contains("protocol updated</span> <a href=\"../protocols/on-call/index.html\">On-call</a>"));
    assert!(page.contains("protocol reviewed</span>"));
    // Committed in April, but its front matter says it was last updated in 2025: it was
    // written by then, and is not news in April.
    let pinned = page
        .find("new page</span> <a href=\"../guides/pinned/index.html\">Pinned</a> <time datetime=\"2025-01-01\">")
        .expect("pinned is new as of its front matter");
    assert!(pinned > week("2024-12-30"));
    let home = hb.read("public/index.html");
    assert!(home.contains("What's new: week of <time datetime=\"2026-03-09\">"));
}

#[test]
fn check_prints_json_that_names_file_and_line() {
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-a.md",
            "+++\ntitle = \"A\"\nstatus = \"acepted\"\n+++\nSee [x](nope.md).\n",
        ),
        (
            "content/meetings/2026-01-01-sync.md",
            "+++\ntitle = \"Sync\"\n+++\n- [ ] @ana Overdue thing (due 2026-02-01)\n",
        ),
    ]);
    let output = hb.cmd(&["check", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"], 2);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let status = diagnostics.iter().find(|d| d["code"] == "unknown-status").unwrap();
    assert_eq!(status["file"], "content/decisions/0001-a.md");
    assert_eq!(
        (status["line"].as_u64(), status["column"].as_u64()),
        (Some(3), Some(10))
    );
    assert_eq!(status["severity"], "error");
    let link = diagnostics.iter().find(|d| d["code"] == "broken-link").unwrap();
    assert_eq!(link["line"], 5);
    let overdue = diagnostics
        .iter()
        .find(|d| d["code"] == "action-overdue")
        .expect("check lists past-due items");
    assert_eq!(
        (overdue["severity"].as_str(), overdue["line"].as_u64()),
        (Some("note"), Some(4))
    );
}

#[test]
fn check_lists_overdue_work_and_fails_strict_only_when_configured() {
    let files = [
        (
            "content/protocols/old.md",
            "+++\ntitle = \"Old\"\nreviewed = 2024-01-01\n+++\n",
        ),
        (
            "content/meetings/2026-01-01-sync.md",
            "+++\ntitle = \"Sync\"\n+++\n- [ ] Late thing (due 2026-02-01)\n",
        ),
    ];
    let hb = Fixture::new(&files);
    hb.cmd(&["check", "--strict"])
        .assert()
        .success()
        .stderr(predicate::str::contains("note[review-overdue]"))
        .stderr(predicate::str::contains("note[action-overdue]"));
    hb.cmd(&["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("overdue").not());
    hb.write("handbook.toml", "[meetings]\nwarn_when_overdue = true\n");
    hb.cmd(&["check"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[action-overdue]"));
    // --strict fails on the warning, and shows it as the error it then is.
    hb.cmd(&["check", "--strict"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[action-overdue]"))
        .stderr(predicate::str::contains("content/meetings/2026-01-01-sync.md:4:1"));
}

#[test]
fn a_public_build_leaves_no_trace_of_internal_pages() {
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        (
            "content/decisions/0001-zanzibar-vendor.md",
            "+++\ntitle = \"Pick Zanzibarvendor\"\nvisibility = \"internal\"\ntags = [\"secretive\"]\nstatus = \"superseded\"\n+++\nQuokkaword is our codename.\n",
        ),
        (
            "content/decisions/0002-open-vendor.md",
            "+++\ntitle = \"Open vendor\"\nsupersedes = [1]\nstatus = \"accepted\"\n+++\nSee [the old one](0001-zanzibar-vendor.md) and [[0001]].\n",
        ),
        (
            "content/meetings/2026-01-01-sync.md",
            "+++\ntitle = \"Sync\"\ndecisions = [1, 2]\n+++\nDone.\n",
        ),
        (
            "content/guides/internal-notes.md",
            "+++\ntitle = \"Internal notes\"\nvisibility = \"internal\"\n+++\n- [ ] @ana Quokkaword follow-up\n",
        ),
    ]);
    hb.cmd(&["build", "--public"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[link-to-internal]"))
        .stderr(predicate::str::contains("content/decisions/0002-open-vendor.md:6:5"));
    let site = hb.path("public");
    assert_eq!(broken_links(&site), Vec::<String>::new());
    for entry in walkdir::WalkDir::new(&site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for secret in [
            "Zanzibarvendor",
            "Quokkaword",
            "secretive",
            "Internal notes",
            "zanzibar",
        ] {
            assert!(!text.contains(secret), "{secret} in {}", entry.path().display());
        }
    }
    hb.cmd(&["build"]).assert().success();
    assert!(
        hb.read("public/decisions/0002-open-vendor/index.html")
            .contains("Pick Zanzibarvendor"),
        "a team build has it all"
    );
}
