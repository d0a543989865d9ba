//! History you can trust: renames keep a page's creation date, rebased changes are news when
//! they land and never predate the page, a shallow clone invents no dates or authors, and the
//! sitemap dates every page as the page itself does. Each test builds a real git repository.

mod common;

use std::collections::BTreeMap;

use common::{Fixture, commit, commit_dated, git, has_git, quiet};
use predicates::prelude::*;

/// What a page's footer says: the "Last updated" date and the author, if any.
fn last_updated(html: &str) -> Option<(String, Option<String>)> {
    let at = html.find("Last updated <time datetime=\"")?;
    let rest = &html[at + "Last updated <time datetime=\"".len()..];
    let date = rest[..rest.find('"')?].to_string();
    let after = &rest[rest.find("</time>")? + "</time>".len()..];
    let author = after
        .strip_prefix(" by ")
        .map(|a| a[..a.find("</p>").unwrap_or(a.len())].to_string());
    Some((date, author))
}

/// One entry of an Atom feed.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    updated: String,
    published: Option<String>,
    author: Option<String>,
}

/// The entries of the Atom feed `xml`, by title.
fn feed(xml: &str) -> BTreeMap<String, Entry> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed Atom");
    let text = |node: roxmltree::Node, tag: &str| {
        node.descendants()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
            .map(|t| t.trim_end_matches("T00:00:00Z").to_string())
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let entry = Entry {
                updated: text(e, "updated").unwrap(),
                published: text(e, "published"),
                author: text(e, "name"),
            };
            (text(e, "title").unwrap(), entry)
        })
        .collect()
}

/// What's new, week by week: each week's Monday with its changes as `what: title date`.
fn whats_new(html: &str) -> Vec<(String, Vec<String>)> {
    html.split("Week of <time datetime=\"")
        .skip(1)
        .map(|week| {
            let monday = week[..10].to_string();
            let changes = week
                .split("<span class=\"what\">")
                .skip(1)
                .map(|item| {
                    let what = &item[..item.find("</span>").unwrap()];
                    let title_at = item.find("\">").unwrap() + 2;
                    let title = &item[title_at..item.find("</a>").unwrap()];
                    let date_at = item.find("<time datetime=\"").unwrap() + "<time datetime=\"".len();
                    format!("{what}: {title} {}", &item[date_at..date_at + 10])
                })
                .collect();
            (monday, changes)
        })
        .collect()
}

/// Every change what's new lists, whatever the week.
fn all_changes(hb: &Fixture) -> Vec<String> {
    whats_new(&hb.read("public/changes/index.html"))
        .into_iter()
        .flat_map(|(_, changes)| changes)
        .collect()
}

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n{body}\n")
}

/// Ten lines of text, so that git sees a file with one of them changed as the same file.
fn long_text(last: &str) -> String {
    (1..10).map(|n| format!("Line {n} of the guide.\n")).collect::<String>() + last + "\n"
}

#[test]
fn a_moved_page_keeps_its_creation_date_and_is_not_new() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        ("content/guides/setup.md", &page("Setup", "Install.")),
        ("content/guides/tools.md", &page("Tools", &long_text("The end."))),
    ]);
    commit(&hb, "Alice", "2026-01-05", "first");
    git(&hb, &["mv", "content/guides/setup.md", "content/guides/set-up.md"]);
    commit(&hb, "Bob", "2026-06-01", "rename only");
    // A chain: moved again, to another folder; a new page takes the first path; the tools
    // page moves with a small edit.
    std::fs::create_dir_all(hb.path("content/onboarding")).unwrap();
    git(&hb, &["mv", "content/guides/set-up.md", "content/onboarding/setup.md"]);
    hb.write("content/guides/setup.md", &page("Setup again", "A new page."));
    git(&hb, &["mv", "content/guides/tools.md", "content/guides/toolbox.md"]);
    hb.write("content/guides/toolbox.md", &page("Tools", &long_text("The very end.")));
    commit(&hb, "Carol", "2026-11-18", "move again");

    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let moved = hb.read("public/onboarding/setup/index.html");
    assert_eq!(last_updated(&moved), Some(("2026-11-18".into(), Some("Carol".into()))));
    let feed = feed(&hb.read("public/feed.xml"));
    assert_eq!(
        feed["Setup"],
        Entry {
            updated: "2026-11-18".into(),
            published: Some("2026-01-05".into()),
            author: Some("Carol".into())
        }
    );
    assert_eq!(
        feed["Tools"].published.as_deref(),
        Some("2026-01-05"),
        "moved with an edit"
    );
    assert_eq!(
        feed["Setup again"].published.as_deref(),
        Some("2026-11-18"),
        "a new file at an old path is new"
    );
    let changes = all_changes(&hb);
    for expected in [
        "new page: Setup 2026-01-05",
        "page updated: Setup 2026-11-18",
        "new page: Tools 2026-01-05",
        "page updated: Tools 2026-11-18",
        "new page: Setup again 2026-11-18",
    ] {
        assert!(changes.contains(&expected.to_string()), "{expected}: {changes:#?}");
    }
    assert!(
        !changes.iter().any(|c| c.starts_with("new page: Setup 2026-06")),
        "{changes:#?}"
    );
    assert_eq!(changes.len(), 5, "{changes:#?}");
}

#[test]
fn a_rebased_change_lands_when_it_was_committed_and_never_before_the_page() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        ("content/guides/setup.md", &page("Setup", "Install.")),
        ("content/guides/other.md", &page("Other", "Other.")),
    ]);
    commit(&hb, "Alice", "2026-09-01", "first");
    // Written 17 months before the page existed, rebased onto the history today.
    hb.write("content/guides/setup.md", &page("Setup", "Install, then configure."));
    commit_dated(&hb, "Bob", "2025-04-01", "2026-11-18", "old work, rebased");

    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let setup = hb.read("public/guides/setup/index.html");
    assert_eq!(last_updated(&setup), Some(("2026-11-18".into(), Some("Bob".into()))));
    let entry = &feed(&hb.read("public/feed.xml"))["Setup"];
    assert_eq!(entry.published.as_deref(), Some("2026-09-01"));
    assert_eq!(entry.updated, "2026-11-18");
    assert!(entry.published.as_deref() <= Some(entry.updated.as_str()));
    let weeks = whats_new(&hb.read("public/changes/index.html"));
    assert_eq!(
        weeks[0],
        (
            "2026-11-16".to_string(),
            vec!["page updated: Setup 2026-11-18".to_string()]
        ),
        "the rebased change is this week's news: {weeks:#?}"
    );
    let sitemap = hb.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.com/guides/setup/</loc><lastmod>2026-11-18</lastmod>"),
        "{sitemap}"
    );
}

/// A handbook with three commits: `a` and `b` added first, `b` changed, then `c` changed and
/// `d` added.
fn three_commits() -> Fixture {
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        ("content/guides/a.md", &page("Alpha", "A.")),
        ("content/guides/b.md", &page("Bravo", "B.")),
        ("content/guides/c.md", &page("Charlie", "C.")),
    ]);
    commit(&hb, "Alice", "2026-01-05", "first");
    hb.write("content/guides/b.md", &page("Bravo", "B, changed."));
    commit(&hb, "Bob", "2026-03-02", "second");
    hb.write("content/guides/c.md", &page("Charlie", "C, changed."));
    hb.write("content/guides/d.md", &page("Delta", "D."));
    commit(&hb, "Carol", "2026-11-18", "third");
    hb
}

/// A clone of `origin` with its last `depth` commits.
fn shallow_clone(origin: &Fixture, depth: &str) -> Fixture {
    let clone = Fixture::new(&[]);
    let url = format!("file://{}", origin.root().display());
    git(&clone, &["clone", "-q", "--depth", depth, &url, "."]);
    clone
}

#[test]
fn a_shallow_clone_invents_no_dates_or_authors() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let origin = three_commits();
    let hb = shallow_clone(&origin, "1");
    hb.cmd(&["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("note[shallow-history]"))
        .stderr(predicate::str::contains("git fetch --unshallow"))
        .stderr(predicate::str::contains("fetch-depth: 0"))
        .stderr(predicate::str::contains("GIT_DEPTH: 0"));
    for name in ["a", "b", "c", "d"] {
        let html = hb.read(&format!("public/guides/{name}/index.html"));
        assert_eq!(last_updated(&html), None, "{name}");
        assert!(!html.contains("Carol"), "{name}");
    }
    assert!(feed(&hb.read("public/feed.xml")).is_empty());
    assert_eq!(all_changes(&hb), Vec::<String>::new());
    assert!(
        !hb.read("public/sitemap.xml").contains("<lastmod>"),
        "no page has a known date"
    );

    // Two commits: the older is the boundary, where every file looks added.
    let hb = shallow_clone(&origin, "2");
    hb.cmd(&["build"]).assert().success();
    let page = |name: &str| hb.read(&format!("public/guides/{name}/index.html"));
    assert_eq!(last_updated(&page("a")), None, "only the boundary touched it");
    assert_eq!(
        last_updated(&page("b")),
        None,
        "changed in the boundary commit, but who can tell"
    );
    assert_eq!(
        last_updated(&page("c")),
        Some(("2026-11-18".into(), Some("Carol".into())))
    );
    assert_eq!(
        last_updated(&page("d")),
        Some(("2026-11-18".into(), Some("Carol".into())))
    );
    let feed = feed(&hb.read("public/feed.xml"));
    assert_eq!(feed["Charlie"].published, None, "its creation is beyond the boundary");
    assert_eq!(feed["Delta"].published.as_deref(), Some("2026-11-18"));
    assert_eq!(feed.len(), 2, "{feed:?}");
    assert_eq!(
        all_changes(&hb),
        ["page updated: Charlie 2026-11-18", "new page: Delta 2026-11-18"]
    );

    // The full history has it all.
    origin
        .cmd(&["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("shallow").not());
    let b = origin.read("public/guides/b/index.html");
    assert_eq!(last_updated(&b), Some(("2026-03-02".into(), Some("Bob".into()))));
}

#[test]
fn the_sitemap_lists_every_page_dated_as_the_page_is() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        (
            "content/guides/_index.md",
            "+++\ntitle = \"Guides\"\n+++\nAll guides.\n",
        ),
        (
            "content/guides/setup.md",
            "+++\ntitle = \"Setup\"\ntags = [\"ops\"]\n+++\nInstall.\n",
        ),
        (
            "content/guides/deep/pinned.md",
            "+++\ntitle = \"Pinned\"\nupdated = 2025-01-01\ntags = [\"ops\", \"old\"]\n+++\nOld.\n",
        ),
        (
            "content/decisions/0001-use-postgres.md",
            "+++\ntitle = \"Use Postgres\"\nstatus = \"accepted\"\ndate = 2026-01-02\n+++\nYes.\n",
        ),
        (
            "content/meetings/2026-02-03-sync.md",
            "+++\ntitle = \"Sync\"\n+++\n- [ ] @ana Write it down\n",
        ),
        ("content/people/ana.md", "+++\ntitle = \"Ana\"\n+++\nHello.\n"),
    ]);
    commit(&hb, "Alice", "2026-02-05", "first");
    hb.write(
        "content/guides/setup.md",
        "+++\ntitle = \"Setup\"\ntags = [\"ops\"]\n+++\nInstall it.\n",
    );
    commit(&hb, "Bob", "2026-03-10", "second");
    hb.write(
        "content/guides/_index.md",
        "+++\ntitle = \"Guides\"\n+++\nEvery guide.\n",
    );
    commit(&hb, "Bob", "2026-04-01", "third");
    hb.cmd(&["build"]).assert().success().stderr(quiet());

    let xml = hb.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let sitemap: BTreeMap<String, Option<String>> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|url| {
            let text = |tag| url.children().find(|n| n.has_tag_name(tag)).and_then(|n| n.text());
            let loc = text("loc").unwrap().strip_prefix("https://example.com/").unwrap();
            (loc.to_string(), text("lastmod").map(String::from))
        })
        .collect();
    let lastmod = |path: &str| {
        sitemap
            .get(path)
            .unwrap_or_else(|| panic!("{path} is missing: {sitemap:#?}"))
            .as_deref()
    };
    // Content pages: the day their footer gives.
    for (path, shown) in [
        ("guides/setup/", "2026-03-10"),
        ("guides/deep/pinned/", "2025-01-01"),
        ("decisions/0001-use-postgres/", "2026-02-05"),
        ("meetings/2026-02-03-sync/", "2026-02-05"),
        ("people/ana/", "2026-02-05"),
    ] {
        let html = hb.read(&format!("public/{path}index.html"));
        assert_eq!(
            last_updated(&html).map(|(date, _)| date).as_deref(),
            Some(shown),
            "{path}"
        );
        assert_eq!(lastmod(path), Some(shown), "{path}");
    }
    // Generated pages: the newest of what they list (and of their own text).
    for (path, newest) in [
        ("", "2026-03-10"),
        ("guides/", "2026-04-01"),
        ("guides/deep/", "2025-01-01"),
        ("tags/", "2026-03-10"),
        ("tags/ops/", "2026-03-10"),
        ("tags/old/", "2025-01-01"),
        ("decisions/", "2026-02-05"),
        ("decisions/status/accepted/", "2026-02-05"),
        ("meetings/", "2026-02-05"),
        ("actions/", "2026-02-05"),
        ("people/", "2026-02-05"),
        ("changes/", "2026-03-10"),
    ] {
        assert_eq!(lastmod(path), Some(newest), "{path}");
    }
    for not_a_page in [
        "search/",
        "404.html",
        "feed.xml",
        "decisions/feed.xml",
        "sitemap.xml",
        // Indexes of nothing: the handbook has no protocols.
        "protocols/",
        "reviews/",
    ] {
        assert!(!sitemap.contains_key(not_a_page), "{not_a_page}");
    }
    assert!(!xml.contains("search"), "{xml}");
}
