//! Public builds: what `visibility` hides (by page, by folder, by site default), which files
//! under `content/` a public build copies, `new meeting --series` keeping a series internal,
//! and git author names (`[public] authors`).

mod common;

use std::path::{Path, PathBuf};

use common::{Fixture, broken_links, commit, has_git};
use handbook::build::BuildOptions;
use handbook::session::Session;
use predicates::prelude::*;

/// Every file under `site` (relative to it) whose path or text contains `word`, in any case.
fn files_mentioning(site: &Path, word: &str) -> Vec<String> {
    let word = word.to_lowercase();
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let text = std::fs::read(e.path()).unwrap();
            let text = String::from_utf8_lossy(&text).to_lowercase();
            text.contains(&word) || e.path().to_string_lossy().to_lowercase().contains(&word)
        })
        .map(|e| e.path().strip_prefix(site).unwrap().display().to_string())
        .collect()
}

/// A guides folder whose `_index.md` makes it internal, with a page inside that says it is
/// public, a meeting series kept internal by its folder, and public pages around them.
fn folder_handbook() -> Fixture {
    Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        (
            "content/guides/_index.md",
            "+++\ntitle = \"Wombatword guides\"\nvisibility = \"internal\"\n+++\nOnly for us.\n",
        ),
        (
            "content/guides/plan.md",
            "+++\ntitle = \"Plan\"\ndate = 2026-01-01\ntags = [\"wombattag\"]\n+++\nThe wombatword plan; see [about](../about.md).\n",
        ),
        (
            "content/guides/deep/down/notes.md",
            "+++\ntitle = \"Deep notes\"\ndate = 2026-01-02\n+++\nWombatword, deeper.\n",
        ),
        (
            "content/guides/open.md",
            "+++\ntitle = \"Open guide\"\nvisibility = \"public\"\ndate = 2026-01-03\n+++\nAnyone may read this.\n",
        ),
        (
            "content/meetings/board/_index.md",
            "+++\ntitle = \"Board\"\nvisibility = \"internal\"\n+++\n",
        ),
        (
            "content/meetings/board/2026-01-05-board.md",
            "+++\ntitle = \"Board meeting\"\nseries = \"wombat-board\"\n+++\n- [ ] @ana Wombatword follow-up (due 2026-01-10)\n",
        ),
        (
            "content/about.md",
            "+++\ntitle = \"About\"\ndate = 2026-01-04\n+++\nSee the [plan](guides/plan.md) and the [open guide](guides/open.md).\n",
        ),
    ])
}

#[test]
fn an_internal_folder_page_hides_everything_inside_it_from_a_public_build() {
    let hb = folder_handbook();
    hb.cmd(&["build", "--public"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[link-to-internal]"))
        .stderr(predicate::str::contains("content/about.md:5:9"));
    let site = hb.path("public");
    assert_eq!(files_mentioning(&site, "wombat"), Vec::<String>::new());
    for gone in [
        "guides/plan",
        "guides/deep/down/notes",
        "meetings/board/2026-01-05-board",
    ] {
        assert!(!site.join(gone).exists(), "{gone} is published");
    }
    let open = hb.read("public/guides/open/index.html");
    assert!(open.contains("Anyone may read this."), "a public page inside stays");
    assert!(hb.read("public/feed.xml").contains("Open guide"));
    assert!(hb.read("public/sitemap.xml").contains("guides/open/"));
    assert!(
        !hb.read("public/about/index.html").contains("Referenced by"),
        "no backlink from plan"
    );
    assert_eq!(broken_links(&site), Vec::<String>::new());

    hb.cmd(&["build"]).assert().success();
    assert!(hb.read("public/guides/plan/index.html").contains("wombatword plan"));
    assert!(
        hb.read("public/meetings/board/2026-01-05-board/index.html")
            .contains("Wombatword")
    );
}

#[test]
fn a_site_default_of_internal_publishes_only_pages_that_say_public() {
    let hb = Fixture::new(&[
        (
            "handbook.toml",
            "visibility = \"internal\"\nbase_url = \"https://example.com/\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nOcelotword welcome.\n"),
        (
            "content/team/roster.md",
            "+++\ntitle = \"Ocelotword roster\"\n+++\nNames.\n",
        ),
        (
            "content/decisions/0001-open.md",
            "+++\ntitle = \"Open decision\"\nstatus = \"accepted\"\nvisibility = \"public\"\n+++\nPublished.\n",
        ),
        (
            "content/handbook/_index.md",
            "+++\ntitle = \"Handbook\"\nvisibility = \"public\"\n+++\nFor everyone.\n",
        ),
        (
            "content/handbook/deep/welcome.md",
            "+++\ntitle = \"Welcome\"\n+++\nHello.\n",
        ),
    ]);
    hb.cmd(&["build", "--public"]).assert().success();
    let site = hb.path("public");
    assert_eq!(files_mentioning(&site, "ocelot"), Vec::<String>::new());
    assert!(hb.read("public/decisions/0001-open/index.html").contains("Published."));
    assert!(hb.read("public/handbook/deep/welcome/index.html").contains("Hello."));
    assert!(!site.join("team/roster/index.html").exists());
    hb.cmd(&["build"]).assert().success();
    assert!(hb.read("public/team/roster/index.html").contains("Ocelotword roster"));
}

#[test]
fn a_public_build_copies_only_the_files_public_pages_show() {
    let hb = Fixture::new(&[
        (
            "content/guides/plan.md",
            "+++\ntitle = \"Plan\"\nvisibility = \"internal\"\n+++\n[The sheet](plan-sheet.txt), ![shared](shared.png), <img src=\"../img/raw%20diagram.png\">.\n",
        ),
        ("content/guides/plan-sheet.txt", "internal figures"),
        ("content/guides/shared.png", "png"),
        ("content/img/raw diagram.png", "png"),
        ("content/guides/unlinked.txt", "nobody links here"),
        (
            "content/guides/intro.md",
            "+++\ntitle = \"Intro\"\n+++\n![shared](shared.png?v=2#top) <a href=\"../vault/chart.pdf\">chart</a>\n",
        ),
        ("content/vault/_index.md", "+++\nvisibility = \"internal\"\n+++\n"),
        ("content/vault/chart.pdf", "pdf"),
        ("content/vault/loose.pdf", "pdf"),
    ]);
    hb.cmd(&["build", "--public"]).assert().success();
    let copied = |file: &str| hb.path("public").join(file).exists();
    assert!(!copied("guides/plan-sheet.txt"), "only an internal page links to it");
    assert!(
        !copied("img/raw diagram.png"),
        "only an internal page shows it, in raw HTML"
    );
    assert!(!copied("vault/loose.pdf"), "unlinked, in an internal folder");
    assert!(copied("guides/shared.png"), "a public page shows it too");
    assert!(copied("guides/unlinked.txt"), "unlinked, in a public folder");
    assert!(copied("vault/chart.pdf"), "a public page links to it, in raw HTML");
    assert_eq!(broken_links(&hb.path("public")), Vec::<String>::new());
    hb.cmd(&["build"]).assert().success();
    for file in ["guides/plan-sheet.txt", "img/raw diagram.png", "vault/loose.pdf"] {
        assert!(copied(file), "a team build copies {file}");
    }
}

#[test]
fn serve_public_publishes_a_file_once_a_public_page_links_to_it() {
    let hb = Fixture::new(&[
        (
            "content/plan.md",
            "+++\nvisibility = \"internal\"\n+++\n[sheet](sheet.txt)\n",
        ),
        ("content/sheet.txt", "figures"),
        ("content/intro.md", "Intro.\n"),
    ]);
    let options = BuildOptions {
        root: hb.root().to_path_buf(),
        output: PathBuf::from("public"),
        drafts: false,
        base_url: None,
        public: true,
    };
    let (mut session, started) = Session::start(options);
    started.unwrap();
    let served = |session: &Session| session.outputs().read().unwrap().contains_key("sheet.txt");
    assert!(!served(&session));
    hb.write("content/intro.md", "Intro, with [the sheet](sheet.txt).\n");
    session.apply([hb.path("content/intro.md")]).unwrap();
    assert!(served(&session), "a body edit that links the file publishes it");
    hb.write("content/intro.md", "Intro.\n");
    session.apply([hb.path("content/intro.md")]).unwrap();
    assert!(!served(&session), "and unlinking it withdraws it");
}

#[test]
fn a_new_meeting_keeps_its_series_internal() {
    let hb = Fixture::new(&[
        (
            "content/meetings/2026-11-18-weekly.md",
            "+++\ntitle = \"Weekly\"\nseries = \"weekly\"\nvisibility = \"internal\"\n+++\nNotes.\n",
        ),
        (
            "content/meetings/board/_index.md",
            "+++\nvisibility = \"internal\"\n+++\n",
        ),
        (
            "content/meetings/board/2026-11-18-board.md",
            "+++\ntitle = \"Board\"\nseries = \"board\"\n+++\nNotes.\n",
        ),
        (
            "content/meetings/2026-11-18-open.md",
            "+++\ntitle = \"Open\"\nseries = \"open\"\n+++\nNotes.\n",
        ),
    ]);
    for (title, series) in [("Weekly 2", "weekly"), ("Board 2", "board"), ("Open 2", "open")] {
        hb.cmd(&["new", "meeting", title, "--series", series])
            .assert()
            .success();
    }
    let weekly = hb.read("content/meetings/2026-11-25-weekly-2.md");
    assert!(
        weekly.contains("series = \"weekly\"\nattendees = []\nvisibility = \"internal\"\n"),
        "{weekly}"
    );
    let board = hb.read("content/meetings/2026-11-25-board-2.md");
    assert!(
        board.contains("visibility = \"internal\"\n"),
        "internal by its folder, written where the folder does not say: {board}"
    );
    assert!(!hb.read("content/meetings/2026-11-25-open-2.md").contains("visibility"));
    hb.cmd(&["build", "--public"]).assert().success();
    assert!(!hb.path("public/meetings/2026-11-25-weekly-2").exists());
    assert!(!hb.path("public/meetings/2026-11-25-board-2").exists());
    assert!(hb.path("public/meetings/2026-11-25-open-2/index.html").exists());
}

#[test]
fn author_names_appear_in_a_public_build_only_when_configured() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        (
            "handbook.toml",
            "base_url = \"https://example.com/\"\n[public]\nauthors = false\n",
        ),
        ("content/guides/setup.md", "+++\ntitle = \"Setup\"\n+++\nInstall.\n"),
        (
            "content/decisions/0001-x.md",
            "+++\ntitle = \"X\"\nstatus = \"accepted\"\n+++\nX.\n",
        ),
    ]);
    commit(&hb, "Zebedee Quux", "2026-03-02", "first");
    hb.cmd(&["build", "--public"]).assert().success();
    assert_eq!(files_mentioning(&hb.path("public"), "Zebedee"), Vec::<String>::new());

    hb.cmd(&["build"]).assert().success();
    assert!(hb.read("public/guides/setup/index.html").contains("by Zebedee Quux"));
    assert!(
        hb.read("public/feed.xml")
            .contains("<author><name>Zebedee Quux</name></author>")
    );

    hb.write("handbook.toml", "base_url = \"https://example.com/\"\n");
    hb.cmd(&["build", "--public"]).assert().success();
    assert_eq!(
        files_mentioning(&hb.path("public"), "Zebedee"),
        Vec::<String>::new(),
        "hidden by default"
    );

    hb.write(
        "handbook.toml",
        "base_url = \"https://example.com/\"\n[public]\nauthors = true\n",
    );
    hb.cmd(&["build", "--public"]).assert().success();
    assert!(hb.read("public/guides/setup/index.html").contains("by Zebedee Quux"));
}

#[test]
fn a_wrong_site_visibility_is_an_error_at_its_value() {
    let hb = Fixture::new(&[("handbook.toml", "visibility = \"secret\"\n"), ("content/a.md", "A.\n")]);
    hb.cmd(&["build", "--public"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error[unknown-visibility]: `visibility` must be \"public\" or \"internal\", not the text \"secret\"",
        ))
        .stderr(predicate::str::contains("handbook.toml:1:14"));
}
