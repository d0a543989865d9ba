//! `serve`: the in-memory session that rebuilds on change must always hold exactly the site a
//! fresh `build` writes, whichever way it takes (a body edit re-renders a few files, anything
//! else the whole site); and the server must never hand out a file outside the site.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use common::Fixture;
use handbook::build::BuildOptions;
use handbook::session::Session;

/// A handbook with every kind, links between pages, a series, a static file and an image.
fn handbook() -> Fixture {
    Fixture::new(&[
        ("handbook.toml", "title = \"Ops handbook\"\n"),
        (
            "content/_index.md",
            "+++\ntitle = \"Welcome\"\n+++\nStart with [on-call](protocols/on-call.md).\n",
        ),
        (
            "content/decisions/0001-use-postgres.md",
            "+++\ntitle = \"Use Postgres\"\ndate = 2026-01-10\nstatus = \"superseded\"\ndeciders = [\"ana\"]\ntags = [\"storage\"]\n+++\n\n## Context\n\nWe need a database for the billing service.\n",
        ),
        (
            "content/decisions/0002-use-sqlite.md",
            "---\ntitle: Use SQLite\ndate: 2026-02-01\nstatus: accepted\nsupersedes: [1]\ntags: [storage]\n---\n\nReplaces [the Postgres decision](0001-use-postgres.md#context).\n",
        ),
        (
            "content/decisions/0004-use-a-queue.md",
            "+++\ntitle = \"Use a queue\"\ndate = 2026-02-02\nstatus = \"accepted\"\n+++\n\nBuffer the writes.\n",
        ),
        (
            "content/decisions/0005-use-a-log.md",
            "+++\ntitle = \"Use a log\"\ndate = 2026-02-03\nstatus = \"accepted\"\nsupersedes = [4]\n+++\n\nAppend the writes.\n",
        ),
        (
            "content/meetings/2026-02-01-weekly.md",
            "+++\ntitle = \"Weekly sync\"\ndate = 2026-02-01\nattendees = [\"ana\", \"ben\"]\nseries = \"weekly\"\ndecisions = [2]\n+++\n\n## Notes\n\nWe chose [SQLite](../decisions/0002-use-sqlite.md).\n\n## Action items\n\n- [ ] @ben Migrate the data (due 2026-03-01)\n",
        ),
        (
            "content/meetings/2026-02-08-weekly.md",
            "+++\ntitle = \"Weekly sync\"\ndate = 2026-02-08\nattendees = [\"ana\"]\nseries = \"weekly\"\n+++\n\nQuiet week.\n",
        ),
        (
            "content/protocols/on-call.md",
            "---\ntitle: On-call\nowner: ana\nreviewed: 2026-10-01\n---\n\n## Rota\n\nSee ![diagram](rota.png).\n",
        ),
        ("content/protocols/rota.png", "not really a png"),
        ("content/people/ana.md", "+++\nname = \"Ana Lima\"\n+++\nHi.\n"),
        ("content/people/ben.md", "+++\nname = \"Ben Okoro\"\n+++\n"),
        ("content/guides/setup.md", "# Setting up\n\nInstall the tools.\n"),
        ("static/logo.svg", "<svg/>"),
    ])
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: PathBuf::from("public"),
        drafts: false,
        base_url: None,
        public: false,
    }
}

/// A session of the handbook at `root`, whose first build succeeded.
fn started(root: &Path) -> Session {
    let (session, first) = Session::start(options(root));
    first.unwrap_or_else(|err| panic!("the first build failed: {err}"));
    session
}

/// Every file a fresh build of `root` writes, by site path.
fn fresh_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let mut build = options(root);
    build.output = out.path().join("site");
    handbook::build(&build).unwrap_or_else(|err| panic!("the fresh build failed: {err}"));
    let site = out.path().join("site");
    walkdir::WalkDir::new(&site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".handbook-output")
        .map(|e| {
            let path = e
                .path()
                .strip_prefix(&site)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (path, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn assert_same_as_build(root: &Path, session: &Session, step: &str) {
    let expected = fresh_build(root);
    let outputs = session.outputs();
    let outputs = outputs.read().unwrap();
    for (path, bytes) in &expected {
        let served = match outputs.get(path) {
            Some(served) => served.bytes().unwrap(),
            None => panic!("after {step}: {path} is built but not served"),
        };
        assert!(
            served == *bytes,
            "after {step}: {path} differs from a fresh build:\n--- served\n{}\n--- built\n{}",
            String::from_utf8_lossy(&served),
            String::from_utf8_lossy(bytes)
        );
    }
    let extra: Vec<&String> = outputs.keys().filter(|p| !expected.contains_key(*p)).collect();
    assert!(extra.is_empty(), "after {step}: served but not built: {extra:?}");
}

/// `build` posts the search index's terms a batch of 1,024 documents at a time, into buckets by
/// term; `serve` posts them all at once. Past one batch, a term's postings come from several
/// batches, and its dictionary entry must still be the one `serve` makes.
#[test]
fn a_search_index_of_more_documents_than_a_batch_is_the_one_serve_makes() {
    let words = [
        "queue", "rota", "billing", "postgres", "sqlite", "deploy", "incident", "pager",
    ];
    let pages: Vec<(String, String)> = (0..1100)
        .map(|n| {
            let (a, b) = (words[n % words.len()], words[(n / 8) % words.len()]);
            let body = format!("## Why {a}\n\nThe {a} {b} plan number {n}, again: {a} {b}.\n");
            (
                format!("content/notes/note-{n:04}.md"),
                format!("# Note {n} on {b}\n\n{body}"),
            )
        })
        .collect();
    let mut files: Vec<(&str, &str)> = vec![("handbook.toml", "title = \"Notes\"\n")];
    files.extend(pages.iter().map(|(path, text)| (path.as_str(), text.as_str())));
    let hb = Fixture::new(&files);
    let session = started(hb.root());
    assert_same_as_build(hb.root(), &session, "the first build");
}

#[test]
fn every_kind_of_change_ends_in_the_site_a_fresh_build_writes() {
    let hb = handbook();
    let root = hb.root();
    let (mut session, first) = Session::start(options(root));
    let pages = first.unwrap().html_pages;
    assert_same_as_build(root, &session, "the first build");

    let mut step = |what: &str, change: &dyn Fn(), paths: &[&str]| {
        change();
        let rebuilt = session
            .apply(paths.iter().map(PathBuf::from))
            .unwrap_or_else(|d| panic!("{what}: {d:?}"));
        assert_same_as_build(root, &session, what);
        rebuilt
    };

    // Body edits: only the page, its feed entries and its search files are rendered again.
    let meeting = "content/meetings/2026-02-08-weekly.md";
    let rebuilt = step(
        "a body edit",
        &|| {
            hb.write(
                meeting,
                &hb.read(meeting)
                    .replace("Quiet week.", "Quiet week; we tuned the alerting."),
            )
        },
        &[meeting],
    );
    assert_eq!(rebuilt.rendered, 1, "{rebuilt:?}");
    assert!(
        rebuilt
            .changed
            .contains(&"meetings/2026-02-08-weekly/index.html".to_string())
    );
    assert!(
        rebuilt.changed.iter().any(|p| p.starts_with("search/t/ale")),
        "{rebuilt:?}"
    );

    let rebuilt = step(
        "a new link in a body",
        &|| {
            hb.write(
                meeting,
                &format!("{}\nSee [on-call](../protocols/on-call.md).\n", hb.read(meeting)),
            )
        },
        &[meeting],
    );
    assert_eq!(
        rebuilt.rendered, 2,
        "the page and the page it now links to: {rebuilt:?}"
    );
    assert!(rebuilt.changed.contains(&"protocols/on-call/index.html".to_string()));

    let decision = "content/decisions/0001-use-postgres.md";
    let rebuilt = step(
        "words removed from a body",
        &|| hb.write(decision, &hb.read(decision).replace(" for the billing service", "")),
        &[decision],
    );
    assert_eq!(rebuilt.rendered, 1, "{rebuilt:?}");

    // Resolving shows this record as superseded (it says accepted): a body edit keeps that.
    let superseded = "content/decisions/0004-use-a-queue.md";
    let rebuilt = step(
        "a body edit of a record shown as superseded",
        &|| hb.write(superseded, &hb.read(superseded).replace("Buffer", "Batch and buffer")),
        &[superseded],
    );
    assert_eq!(rebuilt.rendered, 1, "{rebuilt:?}");

    // The print page renders the edited page's entry again, and keeps the others.
    let on_call = "content/protocols/on-call.md";
    for words in ["Page the lead.", "Page the lead, then the team."] {
        let rebuilt = step(
            "a body edit of a printed page",
            &|| hb.write(on_call, &format!("{}\n{words}\n", hb.read(on_call))),
            &[on_call],
        );
        assert_eq!(rebuilt.rendered, 2, "the page and the print page: {rebuilt:?}");
        assert!(rebuilt.changed.contains(&"print/index.html".to_string()), "{rebuilt:?}");
    }

    let rebuilt = step(
        "an unchanged save",
        &|| hb.write(decision, &hb.read(decision)),
        &[decision],
    );
    assert!(rebuilt.changed.is_empty(), "{rebuilt:?}");

    // Changes other pages can see, with the same pages: what shows them, and every generated
    // page, is rendered again.
    let rebuilt = step(
        "a new action item",
        &|| {
            hb.write(
                meeting,
                &format!("{}\n- [ ] @ana Write the runbook\n", hb.read(meeting)),
            )
        },
        &[meeting],
    );
    assert!(rebuilt.rendered < pages, "{rebuilt:?}");
    let rebuilt = step(
        "a retitled meeting, which on-call lists as linking to it",
        &|| {
            hb.write(
                meeting,
                &hb.read(meeting)
                    .replace("title = \"Weekly sync\"", "title = \"Weekly sync, week 6\""),
            )
        },
        &[meeting],
    );
    assert!(
        rebuilt.changed.contains(&"protocols/on-call/index.html".to_string()),
        "{rebuilt:?}"
    );
    assert!(rebuilt.rendered < pages, "{rebuilt:?}");
    step(
        "a new tag",
        &|| {
            hb.write(
                decision,
                &hb.read(decision)
                    .replace("tags = [\"storage\"]", "tags = [\"databases\"]"),
            )
        },
        &[decision],
    );
    let sqlite = "content/decisions/0002-use-sqlite.md";
    step(
        "the last page with a tag loses it",
        &|| {
            hb.write(
                sqlite,
                &hb.read(sqlite).replace("tags: [storage]", "tags: [simplicity]"),
            )
        },
        &[sqlite],
    );
    step(
        "a new date, which renumbers search documents",
        &|| hb.write(sqlite, &hb.read(sqlite).replace("date: 2026-02-01", "date: 2026-03-05")),
        &[sqlite],
    );
    step(
        "a title change",
        &|| {
            hb.write(
                "content/protocols/on-call.md",
                &hb.read("content/protocols/on-call.md")
                    .replace("title: On-call", "title: On-call rota"),
            )
        },
        &["content/protocols/on-call.md"],
    );
    // The print page shows the decisions in force: it loses one.
    step(
        "a decision no longer in force",
        &|| {
            hb.write(
                sqlite,
                &hb.read(sqlite).replace("status: accepted", "status: deprecated"),
            )
        },
        &[sqlite],
    );
    step(
        "a new decision",
        &|| {
            hb.write("content/decisions/0003-use-queues.md", "+++\ntitle = \"Use queues\"\ndate = 2026-03-01\nstatus = \"proposed\"\n+++\n\nFor [SQLite](0002-use-sqlite.md) writes.\n")
        },
        &["content/decisions/0003-use-queues.md"],
    );
    step(
        "a deleted page",
        &|| std::fs::remove_file(hb.path("content/guides/setup.md")).unwrap(),
        &["content/guides/setup.md"],
    );
    step(
        "a renamed page",
        &|| {
            std::fs::rename(
                hb.path("content/decisions/0003-use-queues.md"),
                hb.path("content/decisions/0003-queue-writes.md"),
            )
            .unwrap()
        },
        &[
            "content/decisions/0003-use-queues.md",
            "content/decisions/0003-queue-writes.md",
        ],
    );
    step(
        "a new folder with a page",
        &|| {
            hb.write(
                "content/runbooks/db/restore.md",
                "# Restore\n\nFrom the nightly backup.\n",
            )
        },
        &[
            "content/runbooks",
            "content/runbooks/db",
            "content/runbooks/db/restore.md",
        ],
    );
    let away = tempfile::tempdir().unwrap();
    step(
        "a folder moved out of the handbook",
        &|| std::fs::rename(hb.path("content/runbooks"), away.path().join("runbooks")).unwrap(),
        &["content/runbooks"],
    );
    step(
        "a folder moved back in",
        &|| std::fs::rename(away.path().join("runbooks"), hb.path("content/runbooks")).unwrap(),
        &["content/runbooks"],
    );
    let rebuilt = step(
        "an edited static file",
        &|| hb.write("static/logo.svg", "<svg><circle r=\"1\"/></svg>"),
        &["static/logo.svg"],
    );
    assert_eq!(rebuilt.changed, ["logo.svg"], "{rebuilt:?}");
    assert_eq!(rebuilt.rendered, 0);
    step(
        "a new image",
        &|| hb.write("content/runbooks/db/flow.png", "png"),
        &["content/runbooks/db/flow.png"],
    );
    let rebuilt = step(
        "an editor's temporary files",
        &|| {
            hb.write("content/meetings/.2026-02-08-weekly.md.swp", "swap");
            hb.write("content/meetings/4913", "");
            std::fs::remove_file(hb.path("content/meetings/4913")).unwrap();
        },
        &["content/meetings/.2026-02-08-weekly.md.swp", "content/meetings/4913"],
    );
    assert!(rebuilt.changed.is_empty(), "{rebuilt:?}");
    step(
        "a configuration change",
        &|| hb.write("handbook.toml", "title = \"Operations handbook\"\n"),
        &["handbook.toml"],
    );
    step(
        "a theme override",
        &|| hb.write("themes/default/static/assets/extra.css", "body { margin: 0 }"),
        &["themes/default/static/assets/extra.css"],
    );
}

/// Metadata edits that keep the same pages at the same addresses render again only the
/// generated pages that show what changed (see `render/shows.rs`); each must still end in the site
/// a fresh build writes, whatever generated page shows the edited page, and however indirectly.
#[test]
fn metadata_edits_end_in_the_site_a_fresh_build_writes_whichever_generated_pages_show_them() {
    let hb = handbook();
    hb.write(
        "content/guides/_index.md",
        "+++\ntitle = \"Guides\"\n+++\nHow we work: start with [setup](setup.md).\n",
    );
    hb.write(
        "content/guides/setup.md",
        "+++\ntitle = \"Setting up\"\naliases = [\"/old/setup.html\"]\ntags = [\"onboarding\"]\n+++\nInstall the tools.\n",
    );
    hb.write(
        "content/meetings/2026-02-15-retro.md",
        "+++\ntitle = \"Retro\"\ndate = 2026-02-15\ntime = \"10:00\"\nattendees = [\"ben\"]\n+++\n\n- [ ] @ana Fix the alerts (due 2026-03-02)\n",
    );
    hb.write(
        "content/decisions/0006-use-a-cdn.md",
        "+++\ntitle = \"Use a CDN\"\ndate = 2026-02-04\nstatus = \"proposed\"\n+++\nServe the assets.\n",
    );
    hb.write(
        "content/decisions/0007-use-a-cache.md",
        "+++\ntitle = \"Use a cache\"\ndate = 2026-02-05\nstatus = \"accepted\"\n+++\nCache the reads.\n",
    );
    // Not a protocol, but in the protocols' folder.
    hb.write(
        "content/protocols/glossary.md",
        "+++\ntitle = \"Glossary\"\nkind = \"page\"\n+++\nTerms.\n",
    );
    let root = hb.root();
    let (mut session, first) = Session::start(options(root));
    let pages = first.unwrap().html_pages;
    assert_same_as_build(root, &session, "the first build");
    let mut step = |what: &str, path: &str, from: &str, to: &str| {
        let text = hb.read(path);
        assert!(text.contains(from), "{what}: {path} has no {from:?}");
        hb.write(path, &text.replacen(from, to, 1));
        let rebuilt = session
            .apply([PathBuf::from(path)])
            .unwrap_or_else(|d| panic!("{what}: {d:?}"));
        assert_same_as_build(root, &session, what);
        rebuilt
    };
    let retro = "content/meetings/2026-02-15-retro.md";
    let weekly = "content/meetings/2026-02-01-weekly.md";
    let rebuilt = step(
        "a retitled meeting",
        retro,
        "title = \"Retro\"",
        "title = \"Retrospective\"",
    );
    assert!(rebuilt.rendered < pages, "{rebuilt:?}");
    step(
        "a meeting moved to another day",
        retro,
        "date = 2026-02-15",
        "date = 2026-02-16",
    );
    step(
        "a meeting at another time",
        retro,
        "time = \"10:00\"",
        "time = \"11:30\"",
    );
    step("an action item given to someone else", retro, "@ana Fix", "@ben Fix");
    step("an action item done", retro, "- [ ] @ben", "- [x] @ben");
    step(
        "another attendee",
        retro,
        "attendees = [\"ben\"]",
        "attendees = [\"ana\"]",
    );
    step(
        "a meeting joining a series",
        retro,
        "date = 2026-02-16",
        "date = 2026-02-16\nseries = \"weekly\"",
    );
    step(
        "a meeting's tag",
        weekly,
        "series = \"weekly\"",
        "series = \"weekly\"\ntags = [\"storage\"]",
    );
    step(
        "a person renamed",
        "content/people/ben.md",
        "Ben Okoro",
        "Benedict Okoro",
    );
    step(
        "a person's role",
        "content/people/ana.md",
        "name = \"Ana Lima\"",
        "name = \"Ana Lima\"\nrole = \"SRE\"",
    );
    let queue = "content/decisions/0004-use-a-queue.md";
    step(
        "a superseded record retitled",
        queue,
        "Use a queue",
        "Use a message queue",
    );
    // Every filter of the log counts the records of each status, those that list neither too.
    let rebuilt = step(
        "a record proposed again",
        "content/decisions/0007-use-a-cache.md",
        "accepted",
        "proposed",
    );
    assert!(rebuilt.rendered < pages, "{rebuilt:?}");
    // A retitled record leaves every filter's count as it was: the pages of the log that list
    // neither it nor a record showing its title (those of the other statuses) are not rendered
    // again, where a change of its status renders every page of the log.
    let retitled = step(
        "a proposed record retitled",
        "content/decisions/0007-use-a-cache.md",
        "Use a cache",
        "Use a read cache",
    );
    assert!(retitled.rendered + 3 <= rebuilt.rendered, "{retitled:?} {rebuilt:?}");
    step(
        "a record rejected",
        "content/decisions/0005-use-a-log.md",
        "\"accepted\"",
        "\"rejected\"",
    );
    step(
        "a record's tag",
        queue,
        "status = \"accepted\"",
        "status = \"accepted\"\ntags = [\"storage\"]",
    );
    step("a record's date", queue, "date = 2026-02-02", "date = 2026-01-20");
    let on_call = "content/protocols/on-call.md";
    step("a protocol retitled", on_call, "title: On-call", "title: On call");
    step(
        "a protocol reviewed",
        on_call,
        "reviewed: 2026-10-01",
        "reviewed: 2025-01-01",
    );
    step("a protocol's owner", on_call, "owner: ana", "owner: ben");
    step(
        "a page beside the protocols retitled",
        "content/protocols/glossary.md",
        "Glossary",
        "Words we use",
    );
    let setup = "content/guides/setup.md";
    step("a redirected page retitled", setup, "Setting up", "Getting set up");
    step("a tagged page retagged", setup, "\"onboarding\"", "\"storage\"");
    // What the route table is claimed from: the last build's is taken again only when none of
    // it changed.
    step("an alias changed", setup, "/old/setup.html", "/older/setup/");
    step("a meeting's time taken out", retro, "time = \"11:30\"\n", "");
    step(
        "a folder's page retitled",
        "content/guides/_index.md",
        "\"Guides\"",
        "\"How-to guides\"",
    );
}

#[test]
fn the_print_page_keeps_the_entries_an_edit_leaves_alone_and_makes_the_others_again() {
    let hb = Fixture::new(&[
        ("handbook.toml", "title = \"Ops\"\n"),
        (
            "content/protocols/a.md",
            "---\ntitle: Alerts\n---\nFirst [set up](b.md#set-up) the tools.\n",
        ),
        ("content/protocols/b.md", "# Set up\n\nInstall the tools.\n"),
        ("content/protocols/c.md", "---\ntitle: Calls\n---\nCall the lead.\n"),
        (
            "content/meetings/2026-01-05-sync.md",
            "---\ntitle: Sync\ndate: 2026-01-05\n---\nMet.\n",
        ),
        (
            "content/decisions/0001-use-a-queue.md",
            "---\ntitle: Use a queue\nstatus: accepted\n---\nQueue the writes.\n",
        ),
        (
            "content/decisions/0001-use-a-queue/fr.md",
            "---\ntitle: Utiliser une file\n---\nMettre les écritures en file.\n",
        ),
    ]);
    let root = hb.root();
    let mut session = started(root);
    let mut step = |what: &str, path: &str, text: &str| {
        hb.write(path, text);
        let rebuilt = session
            .apply([PathBuf::from(path)])
            .unwrap_or_else(|d| panic!("{what}: {d:?}"));
        assert_same_as_build(root, &session, what);
        rebuilt
    };
    let rebuilt = step(
        "a retitled meeting",
        "content/meetings/2026-01-05-sync.md",
        "---\ntitle: Weekly sync\ndate: 2026-01-05\n---\nMet.\n",
    );
    assert!(
        !rebuilt.changed.contains(&"print/index.html".to_string()),
        "{rebuilt:?}"
    );
    step(
        "a retitled protocol",
        "content/protocols/c.md",
        "---\ntitle: Calls to make\n---\nCall the lead.\n",
    );
    // The link from Alerts went to the heading B's title came from, which the print page shows
    // as B's own anchor; now the heading is one of B's sections. Alerts itself is unchanged.
    step(
        "a title that no longer comes from the heading a printed page links to",
        "content/protocols/b.md",
        "---\ntitle: Tools\n---\n# Set up\n\nInstall the tools.\n",
    );
    // A record beside the folder of its translations is that folder's page, not a leaf page,
    // and is printed all the same.
    step(
        "a record beside its folder, rewritten",
        "content/decisions/0001-use-a-queue.md",
        "---\ntitle: Use a queue\nstatus: accepted\n---\nOne queue for every writer.\n",
    );
}

/// `serve` serves an edit before the print page shows it (`Session::apply_first`), and brings
/// the print page up to date next (`Session::catch_up`): until then it is served as it was, and
/// after that the site is the one a fresh build writes.
#[test]
fn the_print_page_is_brought_up_to_date_after_the_rest_of_the_site() {
    let hb = handbook();
    let root = hb.root();
    let mut session = started(root);
    assert!(!session.is_behind());
    assert!(
        session.catch_up().is_none(),
        "nothing to catch up on after the first build"
    );
    let print = "print/index.html".to_string();
    let served_print = |session: &Session| {
        let outputs = session.outputs();
        let bytes = outputs.read().unwrap().get(&print).unwrap().bytes().unwrap();
        String::from_utf8(bytes).unwrap()
    };
    let on_call = "content/protocols/on-call.md";
    let sqlite = "content/decisions/0002-use-sqlite.md";
    let edits = [
        (
            "a body edit of a printed page",
            on_call,
            hb.read(on_call).replace("## Rota", "## Rota\n\nPage the lead."),
        ),
        (
            "a title edit of a printed record",
            sqlite,
            hb.read(sqlite).replace("Use SQLite", "Use SQLite everywhere"),
        ),
    ];
    for (what, path, text) in edits {
        let before = served_print(&session);
        hb.write(path, &text);
        let rebuilt = session
            .apply_first([PathBuf::from(path)])
            .unwrap_or_else(|d| panic!("{what}: {d:?}"));
        assert!(!rebuilt.changed.contains(&print), "{what}: {rebuilt:?}");
        assert!(session.is_behind(), "{what}");
        assert_eq!(served_print(&session), before, "{what}: the print page waits");
        let mut caught_up = session.catch_up().unwrap().unwrap_or_else(|d| panic!("{what}: {d:?}"));
        // The lists a title edit changes come first (see the test after this one).
        if caught_up.changed != [print.clone()] {
            assert_eq!(served_print(&session), before, "{what}: the print page comes last");
            caught_up = session.catch_up().unwrap().unwrap_or_else(|d| panic!("{what}: {d:?}"));
        }
        assert_eq!(caught_up.changed, std::slice::from_ref(&print), "{what}");
        assert_eq!(caught_up.rendered, 1, "{what}");
        assert!(!session.is_behind(), "{what}");
        assert!(session.catch_up().is_none(), "{what}: caught up once");
        assert_same_as_build(root, &session, what);
    }
    // An edit of a page the print page does not show leaves nothing behind.
    let meeting = "content/meetings/2026-02-08-weekly.md";
    hb.write(meeting, &hb.read(meeting).replace("Quiet week.", "A quiet week."));
    session.apply_first([PathBuf::from(meeting)]).unwrap();
    assert!(!session.is_behind());
    assert_same_as_build(root, &session, "a body edit of a page not printed");
}

/// A title edit serves the edited page and the pages whose navigation shows it first
/// (`Session::apply_first`), then the generated pages that list it (`Session::catch_up`), then
/// the print page; edits that come before the lists are caught up with leave them behind
/// together, and the site ends as a fresh build writes it.
#[test]
fn a_title_edit_serves_the_page_before_the_lists_that_show_it() {
    let hb = handbook();
    let root = hb.root();
    let mut session = started(root);
    let served = |session: &Session, path: &str| {
        let outputs = session.outputs();
        let bytes = outputs.read().unwrap().get(path).unwrap().bytes().unwrap();
        String::from_utf8(bytes).unwrap()
    };
    let (log, print) = ("decisions/index.html", "print/index.html");
    let sqlite = "content/decisions/0002-use-sqlite.md";
    hb.write(sqlite, &hb.read(sqlite).replace("Use SQLite", "Use SQLite everywhere"));
    let first = session.apply_first([PathBuf::from(sqlite)]).unwrap();
    assert!(
        first.changed.iter().any(|f| f.starts_with("decisions/0002")),
        "{first:?}"
    );
    assert!(!first.changed.iter().any(|f| f == log || f == print), "{first:?}");
    assert!(served(&session, "decisions/0002-use-sqlite/index.html").contains("Use SQLite everywhere"));
    assert!(
        !served(&session, log).contains("Use SQLite everywhere"),
        "the log waits"
    );
    assert!(session.is_behind());

    // A second title edit before the lists are brought up to date: both wait together.
    let queue = "content/decisions/0004-use-a-queue.md";
    hb.write(queue, &hb.read(queue).replace("Use a queue", "Really use a queue"));
    let second = session.apply_first([PathBuf::from(queue)]).unwrap();
    assert!(!second.changed.iter().any(|f| f == log), "{second:?}");
    let lists = session.catch_up().unwrap().unwrap();
    assert!(
        lists.changed.iter().any(|f| f == log) && !lists.changed.iter().any(|f| f == print),
        "{lists:?}"
    );
    assert!(
        lists.caught_up_summary().starts_with("Brought "),
        "{}",
        lists.caught_up_summary()
    );
    let log_now = served(&session, log);
    assert!(
        log_now.contains("Use SQLite everywhere") && log_now.contains("Really use a queue"),
        "both edits"
    );
    let printed = session.catch_up().unwrap().unwrap();
    assert_eq!(printed.changed, [print.to_string()]);
    assert_eq!(
        printed.caught_up_summary().split(" in ").next(),
        Some("Brought the print page up to date")
    );
    assert!(session.catch_up().is_none());
    assert_same_as_build(root, &session, "two title edits, caught up");
}

/// A record that joins or leaves a tag other pages have is rendered first, and the pages of
/// those tags and the tags' index (whose counts change) come after, as for a title edit: the
/// site keeps the same generated pages.
#[test]
fn a_record_joining_or_leaving_an_existing_tag_is_served_before_the_tags_pages() {
    let hb = handbook();
    let root = hb.root();
    let queue = "content/decisions/0004-use-a-queue.md";
    hb.write(
        queue,
        &hb.read(queue)
            .replace("+++\n\nBuffer", "tags = [\"queues\"]\n+++\n\nBuffer"),
    );
    let mut session = started(root);
    let sqlite = "content/decisions/0002-use-sqlite.md";
    let original = hb.read(sqlite);
    for (what, text) in [
        ("joins", original.replace("tags: [storage]", "tags: [storage, queues]")),
        ("leaves", original.clone()),
    ] {
        hb.write(sqlite, &text);
        let first = session.apply_first([PathBuf::from(sqlite)]).unwrap();
        assert!(
            first.changed.iter().any(|f| f.starts_with("decisions/0002")),
            "{what}: {first:?}"
        );
        assert!(
            !first.changed.iter().any(|f| f.starts_with("tags/")),
            "{what}: {first:?}"
        );
        let lists = session.catch_up().unwrap().unwrap();
        for file in ["tags/queues/index.html", "tags/index.html"] {
            assert!(lists.changed.iter().any(|f| f == file), "{what}: {file}: {lists:?}");
        }
        while let Some(later) = session.catch_up() {
            later.unwrap();
        }
        assert_same_as_build(root, &session, what);
    }
}

#[test]
fn a_bad_save_keeps_the_last_good_site_until_it_is_fixed() {
    let hb = handbook();
    let root = hb.root();
    let mut session = started(root);
    let page = "content/decisions/0002-use-sqlite.md";
    let good = hb.read(page);

    // A broken link in the body (the quick way) and bad metadata (the whole way) both fail,
    // with the file and line, and leave what is served alone.
    for (bad, marker) in [
        (format!("{good}\nSee [nothing](0009-missing.md).\n"), "0009-missing"),
        (good.replace("status: accepted", "status: acepted"), "acepted"),
    ] {
        let line = bad.lines().position(|l| l.contains(marker)).unwrap() as u32 + 1;
        hb.write(page, &bad);
        let errors = session.apply([PathBuf::from(page)]).unwrap_err();
        let error = errors.iter().find(|d| d.is_error()).unwrap();
        assert_eq!(error.file.as_deref(), Some(Path::new(page)), "{errors:?}");
        assert_eq!(error.position.map(|p| p.line), Some(line), "{errors:?}");
        hb.write(page, &good);
        assert_same_as_build(root, &session, "a failed save");
    }

    // A failed save leaves the search index as it was: its words are not found once it is put
    // back, when another page brings words to the same part of the dictionary.
    let retitled = good.replace("title: Use SQLite", "title: Use SQLite everywhere");
    hb.write(page, &retitled.replace("status: accepted", "status: acepted"));
    assert!(session.apply([PathBuf::from(page)]).is_err());
    hb.write(page, &good);
    session.apply([PathBuf::from(page)]).unwrap();
    let meeting = "content/meetings/2026-02-08-weekly.md";
    hb.write(
        meeting,
        &hb.read(meeting).replace("Quiet week.", "Quiet week everywhere."),
    );
    session.apply([PathBuf::from(meeting)]).unwrap();
    assert_same_as_build(root, &session, "a word of a failed save's title, then elsewhere");

    // A failed save is not forgotten: the next change, elsewhere, still reports it.
    hb.write(page, &format!("{good}\nSee [nothing](0009-missing.md).\n"));
    assert!(session.apply([PathBuf::from(page)]).is_err());
    let other = "content/guides/setup.md";
    hb.write(other, "# Setting up\n\nInstall the tools first.\n");
    assert!(
        session.apply([PathBuf::from(other)]).is_err(),
        "the broken page is still broken"
    );
    hb.write(page, &good);
    let rebuilt = session.apply([PathBuf::from(page)]).unwrap();
    assert!(
        rebuilt.changed.contains(&"guides/setup/index.html".to_string()),
        "{rebuilt:?}"
    );
    // The search index, updated while the failed saves' pages were rendered, was put back with
    // them: without that, its key lists here differ from a fresh build's.
    assert_same_as_build(root, &session, "the fix");
}

/// A running `handbook serve` on a free port, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    /// Its standard output, line by line.
    lines: Receiver<String>,
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    /// Starts it with `options` after `serve --port 0`.
    fn start_with(root: &Path, options: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args([
                "--root".as_ref(),
                root.as_os_str(),
                "serve".as_ref(),
                "--port".as_ref(),
                "0".as_ref(),
            ])
            .args(options)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let address = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(30))
                .expect("serve prints the address it listens on");
            if let Some(rest) = line.strip_prefix("Serving http://") {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        Server { child, address, lines }
    }

    /// Sends `GET path` as it is (no normalization) and returns the status and body.
    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let (status, _, body) = self.request("GET", path);
        (status, body)
    }

    /// Sends `METHOD path` and returns the status, the response's head (status line and
    /// headers, lower-cased) and its body.
    fn request(&self, method: &str, path: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let end = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let mut body = response[end + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = unchunk(&body);
        }
        (status, head, body)
    }

    /// Waits until the server has applied every change: it prints a line per rebuild, and is
    /// done when none has come for a while. Returns the lines it printed meanwhile.
    fn settle(&self) -> Vec<String> {
        let mut rebuilt = false;
        let mut printed = Vec::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            let quiet = if rebuilt { 1500 } else { 20_000 };
            match self.lines.recv_timeout(Duration::from_millis(quiet)) {
                Ok(line) => {
                    rebuilt |= line.starts_with("Rebuilt");
                    printed.push(line);
                }
                Err(_) => break,
            }
        }
        assert!(rebuilt, "no rebuild was reported");
        printed
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&body[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 2 + size + 2..];
    }
}

/// A rebuild takes the links of the pages that did not change from the last one, but not those
/// of a page whose link reaches a page that changed (its headings may have), nor those of a
/// page with a wiki-link (which may name a page by its title).
#[test]
fn links_to_an_edited_page_are_resolved_again() {
    let hb = handbook();
    let root = hb.root();
    let guide = "content/guides/setup.md";
    hb.write(
        guide,
        "# Setting up\n\nSee [why](../decisions/0002-use-sqlite.md#why).\n",
    );
    let wiki = "content/guides/queues.md";
    hb.write(wiki, "# Queues\n\nSee [[Use a log]].\n");
    let sqlite = "content/decisions/0002-use-sqlite.md";
    let text = hb.read(sqlite);
    hb.write(sqlite, &format!("{text}\n## Why\n\nIt is small.\n"));
    let mut session = started(root);

    hb.write(sqlite, &format!("{text}\n## Because\n\nIt is small.\n"));
    let errors = session.apply([PathBuf::from(sqlite)]).unwrap_err();
    let broken = errors.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(broken.file.as_deref(), Some(Path::new(guide)), "{errors:?}");
    hb.write(sqlite, &format!("{text}\n## Why\n\nIt is small.\n"));
    session.apply([PathBuf::from(sqlite)]).unwrap();
    assert_same_as_build(root, &session, "the heading back");

    // The wiki-link's page is as it was, but its title now names two pages.
    let queue = "content/decisions/0004-use-a-queue.md";
    hb.write(queue, &hb.read(queue).replace("Use a queue", "Use a log"));
    let errors = session.apply([PathBuf::from(queue)]).unwrap_err();
    let broken = errors.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(broken.file.as_deref(), Some(Path::new(wiki)), "{errors:?}");
    hb.write(queue, &hb.read(queue).replace("Use a log", "Use a queue"));
    session.apply([PathBuf::from(queue)]).unwrap();

    // A page retitled with a new link: its own links are resolved again.
    hb.write(
        guide,
        "# Getting set up\n\nSee [the queue](../decisions/0004-use-a-queue.md).\n",
    );
    session.apply([PathBuf::from(guide)]).unwrap();
    assert_same_as_build(root, &session, "a page retitled with a new link");
}

/// Under `broken = "warn"`, a link that was broken is resolved again when the page it names
/// changes, though it does not reach that page.
#[test]
fn a_broken_link_is_resolved_again_once_its_target_has_the_heading() {
    let hb = handbook();
    let root = hb.root();
    hb.write(
        "handbook.toml",
        "title = \"Ops handbook\"\n[links]\nbroken = \"warn\"\n",
    );
    let guide = "content/guides/setup.md";
    hb.write(
        guide,
        "# Setting up\n\nSee [why](../decisions/0002-use-sqlite.md#why).\n",
    );
    let (mut session, first) = Session::start(options(root));
    let broken =
        |warnings: &[handbook::Diagnostic]| warnings.iter().any(|d| d.file.as_deref() == Some(Path::new(guide)));
    assert!(broken(&first.unwrap().diagnostics));
    let sqlite = "content/decisions/0002-use-sqlite.md";
    hb.write(sqlite, &format!("{}\n## Why\n\nIt is small.\n", hb.read(sqlite)));
    let rebuilt = session.apply([PathBuf::from(sqlite)]).unwrap();
    assert!(!broken(&rebuilt.warnings), "{rebuilt:?}");
    assert_same_as_build(root, &session, "the heading added");
}

/// A rebuild after pages were edited where they are takes the files the last walk of the
/// folders found, but not a page that is now a link leading out of the handbook: that is
/// skipped, as a fresh build skips it.
#[test]
fn a_page_edited_into_a_link_out_of_the_handbook_is_skipped_as_a_build_skips_it() {
    let hb = handbook();
    let root = hb.root();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# Secret\n\nThe root password.\n").unwrap();
    let mut session = started(root);
    let setup = "content/guides/setup.md";
    hb.write(setup, "# Setting things up\n\nInstall the tools.\n");
    session.apply([PathBuf::from(setup)]).unwrap();
    assert_same_as_build(root, &session, "a page retitled");

    std::fs::remove_file(hb.path(setup)).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), hb.path(setup)).unwrap();
    let rebuilt = session.apply([PathBuf::from(setup)]).unwrap();
    assert_same_as_build(root, &session, "a page replaced by a link out of the handbook");
    let warning = rebuilt.warnings.iter().find(|d| d.code == "outside-handbook");
    assert_eq!(
        warning.and_then(|d| d.file.as_deref()),
        Some(Path::new(setup)),
        "{rebuilt:?}"
    );
    let outputs = session.outputs();
    let outputs = outputs.read().unwrap();
    for (path, served) in outputs.iter() {
        let bytes = served.bytes().unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("root password"),
            "{path} shows the file outside the handbook"
        );
    }
}

#[test]
fn the_server_serves_nothing_outside_the_site() {
    let hb = handbook();
    hb.write("secret.txt", "the handbook folder's own files are not the site");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("passwd"), hb.path("static/passwd")).unwrap();
    let server = Server::start(hb.root());

    assert_eq!(server.get("/").0, 200);
    assert_eq!(server.get("/logo.svg"), (200, b"<svg/>".to_vec()));
    for attempt in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/decisions/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/secret.txt",
        "/content/guides/setup.md",
        "/handbook.toml",
        "/passwd",
    ] {
        let (status, body) = server.get(attempt);
        assert!(status == 400 || status == 404, "{attempt}: {status}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("root:x") && !body.contains("own files"),
            "{attempt}: {body}"
        );
    }
    let (status, html) = server.get("/guides/setup/");
    assert_eq!(status, 200);
    let html = String::from_utf8_lossy(&html);
    assert!(without_live_script(&html).ends_with("</body>\n</html>\n"), "{html}");
}

/// A served page as `build` writes it: without the live-reload script `serve` puts before its
/// `</body>`.
fn without_live_script(html: &str) -> String {
    let start = html
        .rfind("<script src=\"/__handbook/live.js\" data-hash=\"")
        .unwrap_or_else(|| panic!("no live-reload script:\n{html}"));
    let end = start + html[start..].find("</script>").unwrap() + "</script>".len();
    assert!(html[end..].starts_with("</body>"), "not before </body>:\n{html}");
    format!("{}{}", &html[..start], &html[end..])
}

#[test]
fn renames_deletions_and_bursts_of_saves_end_in_the_built_site() {
    let hb = handbook();
    let server = Server::start(hb.root());
    let content = hb.path("content");

    // An editor that writes a temporary file and renames it over the page (vim, JetBrains).
    let page = content.join("meetings/2026-02-08-weekly.md");
    let text = std::fs::read_to_string(&page)
        .unwrap()
        .replace("Quiet week.", "A busy week.");
    std::fs::write(content.join("meetings/2026-02-08-weekly.md___jb_tmp___"), &text).unwrap();
    std::fs::rename(content.join("meetings/2026-02-08-weekly.md___jb_tmp___"), &page).unwrap();
    // A rename, a deletion, a new folder and a burst of saves, as a `git checkout` makes them.
    std::fs::rename(
        content.join("guides/setup.md"),
        content.join("guides/getting-started.md"),
    )
    .unwrap();
    std::fs::remove_file(content.join("decisions/0001-use-postgres.md")).unwrap();
    let sqlite = content.join("decisions/0002-use-sqlite.md");
    let sqlite_text = std::fs::read_to_string(&sqlite)
        .unwrap()
        .replace("supersedes: [1]\n", "");
    std::fs::write(
        &sqlite,
        sqlite_text.replace("Replaces [the Postgres decision](0001-use-postgres.md#context).", ""),
    )
    .unwrap();
    std::fs::create_dir_all(content.join("runbooks")).unwrap();
    for i in 0..30 {
        std::fs::write(
            content.join(format!("runbooks/step-{i:02}.md")),
            format!("# Step {i}\n\nDo thing {i}.\n"),
        )
        .unwrap();
        std::fs::write(&page, format!("{text}\nSaved {i} times.\n")).unwrap();
    }
    server.settle();

    let expected = fresh_build(hb.root());
    for (path, bytes) in &expected {
        let (status, served) = server.get(&format!("/{path}"));
        assert_eq!(status, 200, "{path}");
        let served = if path.ends_with(".html") {
            without_live_script(&String::from_utf8(served).unwrap()).into_bytes()
        } else {
            served
        };
        assert!(
            served == *bytes,
            "{path} differs from a fresh build:\n{}",
            String::from_utf8_lossy(&served)
        );
    }
    for gone in ["/guides/setup/", "/decisions/0001-use-postgres/"] {
        assert_eq!(server.get(gone).0, 404, "{gone}");
    }
}

#[test]
fn the_server_brings_the_print_page_up_to_date_right_after_an_edit_it_prints() {
    let hb = handbook();
    let server = Server::start(hb.root());
    let on_call = "content/protocols/on-call.md";
    hb.write(on_call, &format!("{}\nPage the lead.\n", hb.read(on_call)));
    let printed = server.settle();
    let rebuilt = printed.iter().position(|l| l.starts_with("Rebuilt 1 page "));
    let caught_up = (printed.iter()).position(|l| l.starts_with("Brought the print page up to date in "));
    assert!(
        rebuilt.is_some() && caught_up > rebuilt,
        "the page, then the print page: {printed:?}"
    );
    let (status, served) = server.get("/print/index.html");
    assert_eq!(status, 200);
    let expected = &fresh_build(hb.root())["print/index.html"];
    assert_eq!(
        without_live_script(&String::from_utf8(served).unwrap()).as_bytes(),
        expected
    );
}

#[test]
fn a_handbook_that_does_not_build_yet_is_served_once_it_is_fixed() {
    let hb = handbook();
    let page = "content/decisions/0002-use-sqlite.md";
    let good = hb.read(page);
    hb.write(page, &good.replace("status: accepted", "status: acepted"));
    let server = Server::start(hb.root());
    let (status, broken) = fingerprint(&server, "/");
    assert_eq!(status, 503);
    hb.write(page, &good);
    server.settle();
    let (status, fixed) = fingerprint(&server, "/");
    assert_eq!(status, 200);
    assert_ne!(fixed, broken, "a tab that reconnects would keep the error page");
}

/// A page's fingerprint as its `ETag` says it (without quotes) and as its script tag does, with
/// the page's status; they must agree.
fn fingerprint(server: &Server, path: &str) -> (u16, String) {
    let (status, head, body) = server.request("GET", path);
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .unwrap_or_else(|| panic!("{path}: no ETag:\n{head}"));
    let hash = etag.trim_matches('"').to_string();
    assert!(
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{path}: ETag {etag}"
    );
    let tag = format!("<script src=\"/__handbook/live.js\" data-hash=\"{hash}\"></script></body>");
    assert!(
        String::from_utf8_lossy(&body).contains(&tag),
        "{path}: no {tag} in the page"
    );
    let (head_status, head_only, empty) = server.request("HEAD", path);
    assert_eq!(head_status, status, "{path}: HEAD");
    assert!(
        head_only.contains(&format!("etag: {etag}")),
        "{path}: HEAD:\n{head_only}"
    );
    assert!(empty.is_empty(), "{path}: HEAD has a body");
    (status, hash)
}

#[test]
fn every_page_carries_a_fingerprint_that_tells_a_tab_after_a_restart_whether_it_changed() {
    let hb = handbook();
    let setup = "content/guides/setup.md";
    let pages = ["/guides/setup/", "/protocols/on-call/", "/decisions/", "/missing/"];
    let before: Vec<(u16, String)> = {
        let server = Server::start(hb.root());
        let (status, head, _) = server.request("GET", "/logo.svg");
        assert_eq!(status, 200);
        assert!(!head.contains("etag:"), "only pages are fingerprinted:\n{head}");
        let (status, head, worker) = server.request("GET", "/__handbook/live-worker.js");
        assert_eq!(status, 200);
        assert!(head.contains("content-type: text/javascript"), "{head}");
        assert!(String::from_utf8_lossy(&worker).contains("new EventSource(EVENTS)"));
        pages.iter().map(|p| fingerprint(&server, p)).collect()
        // Stopped here, as a writer stops serve at the end of the day.
    };
    assert_eq!(before[3].0, 404, "the 404 page has a fingerprint too");
    let distinct: std::collections::HashSet<&String> = before.iter().map(|(_, h)| h).collect();
    assert_eq!(distinct.len(), pages.len(), "{before:?}");

    hb.write(
        setup,
        &hb.read(setup).replace("Install the tools.", "Install the tools first."),
    );
    let server = Server::start(hb.root());
    let after: Vec<(u16, String)> = pages.iter().map(|p| fingerprint(&server, p)).collect();
    assert_ne!(after[0], before[0], "the page edited while serve was stopped");
    assert_eq!(
        after[1..],
        before[1..],
        "the pages that did not change keep their fingerprint"
    );

    // While serving, a rebuilt page gets a new fingerprint, and its old one is not reused.
    hb.write(setup, &hb.read(setup).replace("first.", "second."));
    server.settle();
    let edited = fingerprint(&server, pages[0]);
    assert!(edited != after[0] && edited != before[0], "{edited:?}");
}

#[test]
fn a_port_in_use_is_reported_before_building() {
    let hb = handbook();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = common::handbook()
        .arg("--root")
        .arg(hb.root())
        .args(["serve", "--port", &port])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "nothing is built first");
}

/// Sends `GET path` with `host` as its `Host` header (none if `None`) and returns the status.
/// Only the status line is read, so that the never-ending event stream can be asked too.
fn status_for_host(address: &str, path: &str, host: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(stream, "GET {path} HTTP/1.1\r\n{host}\r\n").unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = Vec::new();
    let mut byte = [0];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = String::new();
    if status == 403 {
        stream.read_to_string(&mut body).unwrap();
    }
    (status, body)
}

#[test]
fn only_local_and_allowed_hosts_are_answered_so_no_site_can_rebind_its_name_to_the_preview() {
    let hb = handbook();
    let server = Server::start_with(hb.root(), &["--allow-host", "docs.internal"]);
    let port = server.address.rsplit(':').next().unwrap().to_string();
    for path in [
        "/",
        "/guides/setup/",
        "/__handbook/live.js",
        "/__handbook/live-worker.js",
        "/__handbook/events",
    ] {
        for host in [
            "attacker.example",
            "attacker.example:1111",
            "127.0.0.1.attacker.example",
            &format!("127.0.0.1.attacker.example:{port}"),
            "localhost.attacker.example",
            "192.168.1.20",
        ] {
            let (status, body) = status_for_host(&server.address, path, Some(host));
            assert_eq!(status, 403, "{host} {path}");
            assert!(body.contains("--allow-host"), "{host} {path}: {body}");
        }
        assert_eq!(status_for_host(&server.address, path, None).0, 403, "no Host, {path}");
        for host in [
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
            "foo.localhost".to_string(),
            "docs.internal".to_string(),
            format!("Docs.Internal:{port}"),
        ] {
            assert_eq!(
                status_for_host(&server.address, path, Some(&host)).0,
                200,
                "{host} {path}"
            );
        }
    }
}

/// Whether the server has closed `stream` (reading what it has sent so far).
fn closed_by_server(mut stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let closed = loop {
        match stream.read(&mut [0; 4096]) {
            Ok(0) => break true,
            Ok(_) => continue,
            Err(err) => break err.kind() != std::io::ErrorKind::WouldBlock,
        }
    };
    stream.set_nonblocking(false).unwrap();
    closed
}

#[test]
fn a_stalled_request_is_closed_but_the_live_reload_stream_stays_open() {
    let hb = handbook();
    let server = Server::start(hb.root());
    let mut events = TcpStream::connect(&server.address).unwrap();
    write!(events, "GET /__handbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut stalled = TcpStream::connect(&server.address).unwrap();
    write!(stalled, "GET / HTTP/1.1\r\nHost: loc").unwrap();

    // The server's header timeout is 10 s; 60 s is only there so a broken server fails the test.
    stalled.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut answer = Vec::new();
    match stalled.read_to_end(&mut answer) {
        Ok(_) => assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer)),
        Err(err) => assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset, "not closed: {err}"),
    }

    // The stream has outlived the header timeout and still tells the page to reload.
    let page = "content/guides/setup.md";
    hb.write(page, &hb.read(page).replace("Install", "Install and configure"));
    events.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut seen = Vec::new();
    let mut buffer = [0; 4096];
    while !String::from_utf8_lossy(&seen).contains("event: reload") {
        let read = events.read(&mut buffer).expect("the event stream is open");
        assert!(
            read > 0,
            "the event stream was closed: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buffer[..read]);
    }
    // And the first event told the browser to try again within a second if the stream breaks,
    // so that open pages catch up soon after serve is restarted.
    let seen = String::from_utf8_lossy(&seen);
    let hello = seen.find("event: hello").expect("a hello first");
    assert!(
        seen[hello..].starts_with("event: hello\ndata: {}\nretry: 1000\n"),
        "{seen}"
    );
}

#[test]
fn hundreds_of_idle_connections_do_not_keep_a_page_from_being_answered() {
    let hb = handbook();
    let server = Server::start(hb.root());
    // The oldest connection, but busy: an open page's event stream is never closed for room.
    let mut events = TcpStream::connect(&server.address).unwrap();
    write!(events, "GET /__handbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut hello = [0; 12];
    events.read_exact(&mut hello).unwrap();
    assert_eq!(&hello, b"HTTP/1.1 200");
    let idle: Vec<TcpStream> = (0..300).map(|_| TcpStream::connect(&server.address).unwrap()).collect();
    assert_eq!(server.get("/").0, 200);
    // Answered at once, by closing the oldest idle connections (past the cap of 256), not
    // after the header timeout closed them all.
    let closed = idle.iter().filter(|s| closed_by_server(s)).count();
    assert!(
        (40..=100).contains(&closed),
        "{closed} of 300 idle connections were closed"
    );
    assert!(closed_by_server(&idle[0]), "the oldest idle one goes first");
    assert!(!closed_by_server(&idle[299]), "the newest stays");
    assert!(!closed_by_server(&events), "the event stream stays");
}

#[test]
fn edits_in_a_mounted_folder_end_in_the_site_a_fresh_build_writes() {
    let hb = Fixture::new(&[
        ("handbook.toml", "[[mounts]]\nsource = \"doc/adr\"\ntarget = \"adr\"\n"),
        ("content/_index.md", "# Team\n"),
        (
            "doc/adr/0001-record-architecture-decisions.md",
            "# 1. Record architecture decisions\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n## Context\n\nFirst.\n",
        ),
    ]);
    let root = hb.root();
    let mut session = started(root);
    assert!(session.source_folders().contains(&PathBuf::from("doc/adr")));
    let record = "doc/adr/0001-record-architecture-decisions.md";
    hb.write(
        record,
        "# 1. Record architecture decisions\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n## Context\n\nEdited.\n",
    );
    let rebuilt = session.apply([PathBuf::from(record)]).unwrap();
    assert!(
        rebuilt
            .changed
            .iter()
            .any(|p| p == "adr/0001-record-architecture-decisions/index.html")
    );
    assert_same_as_build(root, &session, "an edit in the mounted folder");
    hb.write(
        "doc/adr/0002-use-make.md",
        "# 2. Use make\n\nDate: 2016-02-13\n\n## Status\n\nAccepted\n",
    );
    session.apply([PathBuf::from("doc/adr/0002-use-make.md")]).unwrap();
    assert_same_as_build(root, &session, "a new record in the mounted folder");
    // A file of the repository outside every mount changes nothing.
    hb.write("src/main.rs", "fn main() {}\n");
    let rebuilt = session.apply([PathBuf::from("src/main.rs")]).unwrap();
    assert!(rebuilt.changed.is_empty());
}

#[test]
fn a_failed_rebuild_prints_its_errors_last_and_the_next_good_build_says_so() {
    let hb = Fixture::new(&[
        ("content/people/ann.md", "+++\nname = \"Ann\"\n+++\nAnn.\n"),
        (
            "content/decisions/0001-a.md",
            "+++\ntitle = \"A\"\ndate = 2026-01-01\nstatus = \"accepted\"\ndeciders = [\"bob\"]\n+++\nA.\n",
        ),
    ]);
    let mut child = Stopped(
        Command::new(env!("CARGO_BIN_EXE_handbook"))
            .arg("--root")
            .arg(hb.root())
            .args(["serve", "--port", "0"])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // Both streams, line by line, in one channel: (from standard error, line).
    let (sender, lines) = std::sync::mpsc::channel::<(bool, String)>();
    let stdout = BufReader::new(child.0.stdout.take().unwrap());
    let stderr = BufReader::new(child.0.stderr.take().unwrap());
    let out = sender.clone();
    std::thread::spawn(move || {
        stdout
            .lines()
            .map_while(Result::ok)
            .for_each(|l| drop(out.send((false, l))))
    });
    std::thread::spawn(move || {
        stderr
            .lines()
            .map_while(Result::ok)
            .for_each(|l| drop(sender.send((true, l))))
    });
    let mut err_text = String::new();
    let wait_for = |wanted: &str, err_text: &mut String| loop {
        let (is_err, line) = lines
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no {wanted:?}:\n{err_text}"));
        if is_err {
            err_text.push_str(&line);
            err_text.push('\n');
        }
        if line.contains(wanted) {
            break;
        }
    };
    wait_for("Serving http://", &mut err_text);
    // A new warning and an error in one save.
    hb.write(
        "content/decisions/0002-b.md",
        "+++\ntitle = \"B\"\ndate = 2026-01-02\nstatus = \"accepted\"\ndeciders = [\"carol\"]\nsupersedes = [9]\n+++\nB.\n",
    );
    wait_for("Build failed", &mut err_text);
    // A file the site is not made of rebuilds nothing: the errors are not printed again (and so
    // do not change `serve`'s own log again, when it is written beside handbook.toml). Each kind
    // of such file: one in the root, an editor's swap file inside a content folder, and a file in
    // a folder that is not mounted.
    for path in ["serve.log", "content/decisions/.0002-b.md.swp", "notes/todo.txt"] {
        for n in 0..3 {
            hb.write(path, &format!("line {n}\n"));
            std::thread::sleep(Duration::from_millis(150));
        }
        let quiet_until = Instant::now() + Duration::from_millis(1000);
        while let Some(left) = quiet_until.checked_duration_since(Instant::now()) {
            if let Ok((_, line)) = lines.recv_timeout(left) {
                assert!(!line.contains("Build failed"), "a change of {path} rebuilt:\n{line}");
            }
        }
    }
    let failed = err_text.rsplit("`bob` has no page").next().unwrap().to_string();
    assert_eq!(
        err_text.matches("`bob` has no page").count(),
        1,
        "an old warning printed again:\n{err_text}"
    );
    let last_warning = failed.rfind("warning[unknown-person]").expect(&failed);
    let first_error = failed.find("error[").expect(&failed);
    assert!(last_warning < first_error, "the errors are not last:\n{failed}");
    // Fixed: the next build says the handbook builds again.
    hb.write(
        "content/decisions/0002-b.md",
        "+++\ntitle = \"B\"\ndate = 2026-01-02\nstatus = \"accepted\"\ndeciders = [\"carol\"]\n+++\nB.\n",
    );
    wait_for("The handbook builds again.", &mut err_text);
}

/// A child process that is stopped when it is dropped, also when the test fails, so that no
/// server outlives its test.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// Every page shows its neighbours and its folder in the sidebar and pager: an edit that others
/// show renders them again (and only the few that show it), and the site stays the one a fresh
/// build writes.
#[test]
fn pages_whose_navigation_shows_an_edited_page_are_rendered_again() {
    let hb = handbook();
    for n in 0..40 {
        hb.write(
            &format!("content/big/page-{n:02}.md"),
            &format!("+++\ntitle = \"Page {n:02}\"\nweight = {n}\n+++\nText.\n"),
        );
    }
    hb.write("content/big/_index.md", "+++\ntitle = \"Big things\"\n+++\n");
    let root = hb.root();
    let (mut session, first) = Session::start(options(root));
    let pages = first.unwrap().html_pages;
    let mut step = |what: &str, file: &str, from: &str, to: &str| {
        hb.write(file, &hb.read(file).replace(from, to));
        let rebuilt = session
            .apply([PathBuf::from(file)])
            .unwrap_or_else(|d| panic!("{what}: {d:?}"));
        assert_same_as_build(root, &session, what);
        rebuilt
    };
    let page = "content/big/page-20.md";
    let rebuilt = step("a retitled page", page, "Page 20", "Page twenty");
    let changed = |path: &str| rebuilt.changed.contains(&format!("big/{path}/index.html"));
    assert!(
        changed("page-19") && changed("page-21"),
        "its pager neighbours: {rebuilt:?}"
    );
    assert!(
        changed("page-13") && changed("page-27"),
        "its sidebar neighbours: {rebuilt:?}"
    );
    assert!(
        !changed("page-39") && !changed("page-00"),
        "pages far from it: {rebuilt:?}"
    );
    assert!(rebuilt.rendered < pages, "{rebuilt:?}");
    let rebuilt = step(
        "a page moved to the end of its folder",
        page,
        "weight = 20",
        "weight = 99",
    );
    assert!(
        rebuilt.changed.contains(&"big/page-39/index.html".to_string()),
        "{rebuilt:?}"
    );
    let rebuilt = step(
        "a retitled folder",
        "content/big/_index.md",
        "Big things",
        "The big folder",
    );
    assert!(
        rebuilt.changed.contains(&"guides/setup/index.html".to_string()),
        "every sidebar: {rebuilt:?}"
    );
}

/// `serve` answers a missing address at any depth with the 404 page, which finds the site from
/// there (see tests/e2e/ui.e2e.mjs for the same page in a browser).
#[test]
fn a_missing_address_at_any_depth_gets_the_404_page() {
    let hb = handbook();
    let server = Server::start(hb.root());
    let (status, body) = server.get("/decisions/no/such/page/");
    assert_eq!(status, 404);
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("<h1>Page not found</h1>"), "{body}");
    assert!(body.contains("<base href=\"/\"") && body.contains("<style>"), "{body}");
}
