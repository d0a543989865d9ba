//! Navigation: the top bar holds the kinds of record a handbook has, folders are a tree in the
//! sidebar, every page but the home has breadcrumbs, pages link the ones before and after them
//! in their folder, and a page links to a bounded number of pages however big its folder is.
//! Right-to-left languages turn the page around.

mod common;

use common::{Fixture, quiet};

/// Guides in folders with weights and a subfolder, a page at the root, decisions and meetings
/// (two of a series, one not), and no protocols or people.
fn handbook() -> Fixture {
    let hb = Fixture::new(&[
        ("handbook.toml", "title = \"Nav\"\n"),
        ("content/_index.md", "+++\ntitle = \"Welcome\"\n+++\nHello.\n"),
        ("content/about.md", "+++\ntitle = \"About\"\n+++\nAbout us.\n"),
        (
            "content/guides/_index.md",
            "+++\ntitle = \"Guides for all\"\n+++\nHow we work.\n",
        ),
        (
            "content/guides/alpha.md",
            "+++\ntitle = \"Alpha\"\nweight = 2\n+++\nA.\n",
        ),
        ("content/guides/beta.md", "+++\ntitle = \"Beta\"\nweight = 1\n+++\nB.\n"),
        ("content/guides/gamma.md", "+++\ntitle = \"Gamma\"\n+++\nG.\n"),
        (
            "content/guides/deep/_index.md",
            "+++\ntitle = \"Deep dive\"\n+++\nDeeper.\n",
        ),
        (
            "content/guides/deep/one.md",
            "+++\ntitle = \"One\"\ntags = [\"x\"]\n+++\n1.\n",
        ),
        ("content/tools/editor.md", "+++\ntitle = \"Editor\"\n+++\nE.\n"),
        ("content/tools/extra/more.md", "+++\ntitle = \"More\"\n+++\nM.\n"),
        (
            "content/meetings/2026-01-05-sync.md",
            "+++\ntitle = \"Sync one\"\ndate = 2026-01-05\nseries = \"Sync\"\n+++\nS.\n",
        ),
        (
            "content/meetings/2026-01-12-sync.md",
            "+++\ntitle = \"Sync two\"\ndate = 2026-01-12\nseries = \"Sync\"\n+++\nS.\n",
        ),
        (
            "content/meetings/2026-01-20-offsite.md",
            "+++\ntitle = \"Offsite\"\ndate = 2026-01-20\n+++\nO.\n",
        ),
    ]);
    for (n, title) in [(1, "Use Postgres"), (2, "Use a queue"), (3, "Use a log")] {
        hb.write(
            &format!("content/decisions/000{n}-d.md"),
            &format!("+++\ntitle = \"{title}\"\ndate = 2026-01-0{n}\nstatus = \"accepted\"\n+++\nWhy.\n"),
        );
    }
    hb
}

fn built() -> Fixture {
    let hb = handbook();
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    hb
}

/// The element that starts with `start` in `html`, up to the first `end` after it.
fn part<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html.find(start).unwrap_or_else(|| panic!("no {start} in:\n{html}"));
    let rest = &html[at..];
    &rest[..rest.find(end).map_or(rest.len(), |e| e + end.len())]
}

/// The texts of the links in `html`, in order.
fn link_texts(html: &str) -> Vec<String> {
    html.split("<a ")
        .skip(1)
        .map(|a| {
            let text = &a[a.find('>').unwrap() + 1..a.find("</a>").unwrap()];
            text.replace("<bdi>", "").replace("</bdi>", "").replace("&#39;", "'")
        })
        .collect()
}

fn top_bar(html: &str) -> Vec<String> {
    link_texts(part(html, "<nav class=\"site-nav\"", "</nav>"))
}

fn sidebar(html: &str) -> &str {
    part(html, "<nav class=\"sidebar\"", "</details>\n<main")
}

/// The breadcrumbs as texts, the current page's last.
fn breadcrumbs(html: &str) -> Vec<String> {
    let nav = part(html, "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">", "</nav>");
    assert!(nav.contains("<ol>"), "{nav}");
    nav.split("<li")
        .skip(1)
        .map(|li| {
            let li = &li[..li.find("</li>").unwrap()];
            let text = li.rsplit("<bdi>").next().unwrap();
            text[..text.find("</bdi>").unwrap()].replace("&#39;", "'")
        })
        .collect()
}

/// The previous and next pages' titles in the pager of `html`.
fn pager(html: &str) -> (Option<String>, Option<String>) {
    let Some(at) = html.find("<nav class=\"pager\" aria-label=\"Previous and next page\">") else {
        return (None, None);
    };
    let nav = part(&html[at..], "<nav", "</nav>");
    let title = |rel: &str| {
        let a = nav.find(&format!("rel=\"{rel}\""))?;
        let rest = &nav[a..];
        let start = rest.find("<bdi>").unwrap() + 5;
        Some(rest[start..start + rest[start..].find("</bdi>").unwrap()].to_string())
    };
    (title("prev"), title("next"))
}

#[test]
fn the_top_bar_holds_only_the_kinds_of_record_the_handbook_has() {
    let hb = built();
    let page = hb.read("public/guides/alpha/index.html");
    assert_eq!(top_bar(&page), ["Decisions", "Meetings"]);
    let decision = hb.read("public/decisions/0002-d/index.html");
    assert!(
        decision.contains("<a href=\"../../decisions/index.html\" aria-current=\"true\">Decisions</a>"),
        "the kind of the page shown is marked"
    );
    let log = hb.read("public/decisions/index.html");
    assert!(log.contains("<a href=\"../decisions/index.html\" aria-current=\"page\">Decisions</a>"));
    // The overviews are in the sidebar, and only those with something to show.
    let overviews = link_texts(part(&page, "<ul class=\"nav-overviews\">", "</ul>"));
    assert_eq!(overviews, ["What's new", "Tags"]);
}

#[test]
fn folders_are_a_tree_in_the_sidebar_opened_down_to_the_page_shown() {
    let hb = built();
    let page = hb.read("public/guides/alpha/index.html");
    let tree = sidebar(&page);
    assert!(tree.starts_with("<nav class=\"sidebar\" aria-label=\"Sections\">"));
    // Its folder: open, marked, with its subfolder and its pages by weight, this one marked.
    assert!(tree.contains(
        "<li><a href=\"../../guides/index.html\" aria-current=\"true\"><bdi>Guides for all</bdi></a><details open><summary>"
    ));
    let guides = part(tree, "<bdi>Guides for all</bdi>", "</details>");
    assert_eq!(link_texts(guides), ["Deep dive", "Beta", "Alpha", "Gamma"]);
    assert!(guides.contains("<a href=\"../../guides/alpha/index.html\" aria-current=\"page\"><bdi>Alpha</bdi></a>"));
    // Another top-level folder: closed, its subfolder inside to look at, its pages not listed.
    let tools = part(tree, "<bdi>Tools</bdi>", "</li>");
    assert!(tools.contains("<details><summary><span class=\"visually-hidden\">Contents of Tools</span></summary>"));
    assert_eq!(link_texts(tools), ["Extra"]);
    // The page at the root follows the folders; records are not in the tree.
    assert_eq!(
        link_texts(part(tree, "<ul class=\"tree\">", "<ul class=\"nav-overviews\">")),
        [
            "Guides for all",
            "Deep dive",
            "Beta",
            "Alpha",
            "Gamma",
            "Tools",
            "Extra",
            "About"
        ]
    );
    // A folder's own page is marked as the page, and lists its pages in the same order.
    let folder = hb.read("public/guides/index.html");
    assert!(
        sidebar(&folder)
            .contains("<a href=\"../guides/index.html\" aria-current=\"page\"><bdi>Guides for all</bdi></a>")
    );
    let listed = part(&folder, "<ul class=\"page-list subsections\">", "</div>\n");
    assert_eq!(link_texts(listed), ["Deep dive", "Beta", "Alpha", "Gamma"]);
}

#[test]
fn every_page_but_the_home_has_breadcrumbs_ending_in_itself() {
    let hb = built();
    assert!(!hb.read("public/index.html").contains("aria-label=\"Breadcrumb\""));
    let cases = [
        ("guides/deep/one", vec!["Home", "Guides for all", "Deep dive", "One"]),
        ("guides/deep", vec!["Home", "Guides for all", "Deep dive"]),
        ("about", vec!["Home", "About"]),
        ("decisions/0002-d", vec!["Home", "Decision log", "Use a queue"]),
        ("decisions", vec!["Home", "Decision log"]),
        ("decisions/status/accepted", vec!["Home", "Decision log", "Accepted"]),
        ("meetings/series/sync", vec!["Home", "Meetings", "Meetings: Sync"]),
        ("tags/x", vec!["Home", "Tags", "x"]),
        ("changes", vec!["Home", "What's new"]),
        ("search", vec!["Home", "Search"]),
    ];
    for (path, want) in cases {
        let page = hb.read(&format!("public/{path}/index.html"));
        assert_eq!(breadcrumbs(&page), want, "{path}");
        let nav = part(&page, "<nav class=\"breadcrumbs\"", "</nav>");
        assert_eq!(nav.matches("aria-current=\"page\"").count(), 1, "{path}: {nav}");
        assert!(
            nav.contains("<li aria-current=\"page\"><bdi>"),
            "{path}: the last item is current"
        );
    }
    assert_eq!(breadcrumbs(&hb.read("public/404.html")), ["Home", "Page not found"]);
}

#[test]
fn pages_link_the_ones_before_and_after_them_in_their_folder() {
    let hb = built();
    let pager_of = |path: &str| pager(&hb.read(&format!("public/{path}/index.html")));
    let some = |s: &str| Some(s.to_string());
    // Guides by weight, then title.
    assert_eq!(pager_of("guides/beta"), (None, some("Alpha")));
    assert_eq!(pager_of("guides/alpha"), (some("Beta"), some("Gamma")));
    assert_eq!(pager_of("guides/gamma"), (some("Alpha"), None));
    assert_eq!(pager_of("guides/deep/one"), (None, None), "alone in its folder");
    // Decisions by number, with it.
    assert_eq!(
        pager_of("decisions/0002-d"),
        (some("0001: Use Postgres"), some("0003: Use a log"))
    );
    // A meeting of a series keeps the series' own links; one of no series, the meetings folder's.
    let sync = hb.read("public/meetings/2026-01-12-sync/index.html");
    assert_eq!(pager(&sync), (None, None));
    assert!(sync.contains("aria-label=\"Meetings in this series\""));
    assert_eq!(pager_of("meetings/2026-01-20-offsite"), (some("Sync two"), None));
    // Records are shown among the records around them, above the tree.
    let decision = hb.read("public/decisions/0002-d/index.html");
    let group = part(sidebar(&decision), "<div class=\"nav-group\">", "</div>");
    assert_eq!(
        link_texts(group),
        [
            "Decision log",
            "0001: Use Postgres",
            "0002: Use a queue",
            "0003: Use a log"
        ]
    );
}

#[test]
fn a_page_of_a_big_folder_links_to_a_few_of_its_pages_and_to_the_folder() {
    let hb = handbook();
    for n in 0..200 {
        hb.write(
            &format!("content/big/page-{n:03}.md"),
            &format!("+++\ntitle = \"Page {n:03}\"\n+++\nText.\n"),
        );
    }
    hb.cmd(&["build"]).assert().success();
    let page = hb.read("public/big/page-100/index.html");
    let big = part(sidebar(&page), "<bdi>Big</bdi>", "</details>");
    let listed = link_texts(big);
    assert_eq!(
        listed.len(),
        15 + 1,
        "15 pages around this one, and the rest: {listed:?}"
    );
    assert_eq!(listed[0], "Page 093");
    assert!(listed.contains(&"Page 100".to_string()) && listed.contains(&"Page 107".to_string()));
    assert!(big.contains("<li class=\"tree-more\"><a href=\"../../big/index.html\">All 200 pages</a></li>"));
    assert_eq!(pager(&page), (Some("Page 099".into()), Some("Page 101".into())));
    // However many pages the folder holds, a page of it stays small.
    assert!(page.len() < 16_000, "{} bytes", page.len());
    let first = hb.read("public/big/page-000/index.html");
    assert_eq!(
        link_texts(part(sidebar(&first), "<bdi>Big</bdi>", "</details>"))[0],
        "Page 000"
    );
}

#[test]
fn many_top_level_folders_go_to_the_sidebar_not_the_top_bar() {
    let hb = handbook();
    for n in 0..24 {
        hb.write(
            &format!("content/folder-{n:02}/page.md"),
            "+++\ntitle = \"Page\"\n+++\nText.\n",
        );
    }
    hb.cmd(&["build"]).assert().success();
    let page = hb.read("public/folder-05/page/index.html");
    assert_eq!(top_bar(&page), ["Decisions", "Meetings"]);
    let tree = link_texts(part(
        sidebar(&page),
        "<ul class=\"tree\">",
        "<ul class=\"nav-overviews\">",
    ));
    for n in 0..24 {
        assert!(tree.contains(&format!("Folder {n:02}")), "Folder {n:02}: {tree:?}");
    }
}

#[test]
fn right_to_left_languages_turn_the_page_around() {
    let hb = handbook();
    for language in ["he", "ar", "fa", "ur", "ar-EG"] {
        hb.write(
            "handbook.toml",
            &format!("title = \"Nav\"\nlanguage = \"{language}\"\n"),
        );
        // Search has no stemmer for some of them: a note, not a warning or an error.
        hb.cmd(&["build"]).assert().success().stderr(quiet());
        let page = hb.read("public/guides/alpha/index.html");
        assert!(
            page.starts_with(&format!("<!doctype html>\n<html lang=\"{language}\" dir=\"rtl\">")),
            "{language}"
        );
        assert!(hb.read("public/index.html").contains("dir=\"rtl\""), "{language}");
    }
    hb.write("handbook.toml", "title = \"Nav\"\nlanguage = \"he\"\n");
    hb.cmd(&["build"])
        .assert()
        .success()
        .stderr(predicates::str::contains("note[no-stemmer]"));
    hb.write("handbook.toml", "title = \"Nav\"\nlanguage = \"de-CH\"\n");
    hb.cmd(&["build"]).assert().success();
    assert!(
        hb.read("public/guides/alpha/index.html")
            .contains("<html lang=\"de-CH\" dir=\"ltr\">")
    );
}

#[test]
fn every_link_of_the_navigation_reaches_a_page() {
    let hb = built();
    let problems = common::broken_links(&hb.path("public"));
    assert!(problems.is_empty(), "{problems:#?}");
}
