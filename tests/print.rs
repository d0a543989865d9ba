//! The print page: the whole handbook on one page, in the order `[print] include` gives, its
//! links between printed pages turned into anchors and its ids unique.

mod common;

use std::collections::HashSet;

use common::{Fixture, broken_links};
use predicates::prelude::*;

const PRINT: &str = "public/print/index.html";

fn handbook(config: &str) -> Fixture {
    let decision = |n: u32, slug: &str, status: &str, extra: &str| {
        (
            format!("content/decisions/{n:04}-{slug}.md"),
            format!(
                "+++\ntitle = \"Decision {slug}\"\ndate = 2026-01-0{n}\nstatus = \"{status}\"\n{extra}+++\nText of {slug}.\n"
            ),
        )
    };
    let decisions = [
        decision(1, "postgres", "superseded", ""),
        decision(2, "sqlite", "accepted", "supersedes = [1]\n"),
        decision(3, "duckdb", "proposed", ""),
        decision(4, "mongo", "rejected", ""),
        decision(5, "redis", "deprecated", ""),
        (
            "content/decisions/0006-backups.md".to_string(),
            "+++\ntitle = \"Decision backups\"\ndate = 2026-01-06\nstatus = \"accepted\"\n+++\nReplaces [the old one](0001-postgres.md); see [on-call](../protocols/on-call.md).\n\n## Why\n\nBecause.\n".to_string(),
        ),
    ];
    let mut files: Vec<(String, String)> = vec![
        ("handbook.toml".into(), format!("title = \"Team\"\nbase_url = \"https://hb.example/\"\n{config}")),
        (
            "content/protocols/on-call.md".into(),
            "+++\ntitle = \"On-call\"\nweight = 2\n+++\nUse [SQLite](../decisions/0002-sqlite.md) and read [why](#why).\n\n## Why\n\nText.[^1]\n\n[^1]: A note.\n".into(),
        ),
        (
            "content/protocols/async.md".into(),
            "+++\nweight = 1\n+++\n# Async first\n\nBack to [the top](#async-first).\n\n## Why\n\nWrite it down.\n".into(),
        ),
        (
            "content/guides/onboarding.md".into(),
            "+++\ntitle = \"Onboarding\"\n+++\nRead [the rota](../protocols/on-call.md#why) and [a meeting](../meetings/2026-01-01-sync.md).\n\n<p><a href=\"../protocols/on-call.md\">raw</a></p>\n\n## Why\n\nWelcome.\n".into(),
        ),
        (
            "content/meetings/2026-01-01-sync.md".into(),
            "+++\ntitle = \"Sync\"\ndate = 2026-01-01\n+++\nNotes.\n".into(),
        ),
    ];
    files.extend(decisions);
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    Fixture::new(&files)
}

fn built(config: &str) -> Fixture {
    let hb = handbook(config);
    hb.cmd(&["build"]).assert().success().stderr(common::quiet());
    hb
}

/// Where `needle` is in `html`; fails when it is not there.
fn at(html: &str, needle: &str) -> usize {
    html.find(needle).unwrap_or_else(|| panic!("{needle} not in {html}"))
}

/// Every `attribute="…"` value in `html`.
fn values<'h>(html: &'h str, attribute: &str) -> Vec<&'h str> {
    html.split(&format!(" {attribute}=\""))
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn protocols_then_decisions_in_force_then_pages_each_on_a_new_page() {
    let hb = built("");
    let html = hb.read(PRINT);
    let order = [
        "id=\"print-contents-title\"",
        "id=\"part-protocols\"",
        "id=\"page-protocols-async\"",
        "id=\"page-protocols-on-call\"",
        "id=\"part-decisions\"",
        "id=\"page-decisions-0002-sqlite\"",
        "id=\"page-decisions-0006-backups\"",
        "id=\"part-pages\"",
        "id=\"page-guides-onboarding\"",
    ];
    let positions: Vec<usize> = order.iter().map(|needle| at(&html, needle)).collect();
    assert!(positions.is_sorted(), "{order:?} out of order: {positions:?}");
    assert_eq!(html.matches("class=\"page print-page\"").count(), 5);
    for left_out in ["postgres", "duckdb", "mongo", "redis", "Notes."] {
        assert!(!html.contains(&format!("Text of {left_out}")), "{left_out} is printed");
    }
    assert!(
        !html.contains("Decision postgres"),
        "a superseded decision is in the contents"
    );
    // The contents list every printed page.
    for anchor in [
        "page-protocols-async",
        "page-decisions-0006-backups",
        "page-guides-onboarding",
    ] {
        assert!(html.contains(&format!("<a href=\"#{anchor}\">")), "{anchor}");
    }
    let css = hb.read("public/assets/style.css");
    assert!(css.contains(".print-part, .print-page { break-before: page; }"));
}

#[test]
fn links_between_printed_pages_become_anchors_and_ids_stay_unique() {
    let hb = built("");
    let html = hb.read(PRINT);
    let hrefs = values(&html, "href");
    // On-call's link to a printed decision and to its own heading; onboarding's to a heading of
    // on-call; a decision's to a protocol.
    for href in [
        "#page-decisions-0002-sqlite",
        "#page-protocols-on-call--why",
        "#page-protocols-on-call--fn-1",
    ] {
        assert!(hrefs.contains(&href), "{href} not in {hrefs:?}");
    }
    assert!(
        html.contains("<a href=\"#page-protocols-on-call\">on-call</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"#page-protocols-on-call--why\">the rota</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"#page-protocols-on-call\">raw</a>"), "{html}");
    // The heading a title came from is the title: a link to it goes to the page's anchor.
    assert!(html.contains("<a href=\"#page-protocols-async\">the top</a>"), "{html}");
    // What is not printed is linked on the site.
    assert!(hrefs.contains(&"../decisions/0001-postgres/index.html"), "{hrefs:?}");
    assert!(hrefs.contains(&"../meetings/2026-01-01-sync/index.html"), "{hrefs:?}");
    let ids = values(&html, "id");
    let mut seen = HashSet::new();
    let repeated: Vec<&&str> = ids.iter().filter(|id| !seen.insert(**id)).collect();
    assert!(repeated.is_empty(), "ids used twice: {repeated:?}");
    // Four pages have a `## Why`; each keeps its own.
    assert_eq!(ids.iter().filter(|id| id.ends_with("--why")).count(), 4, "{ids:?}");
    let labels = values(&html, "aria-labelledby");
    for reference in values(&html, "aria-describedby")
        .iter()
        .chain(&labels)
        .flat_map(|list| list.split_whitespace())
    {
        assert!(seen.contains(reference), "{reference} names no id");
    }
    // A page's footnotes are named after it too: one "Footnotes" landmark per page would clash.
    assert!(
        labels.contains(&"page-protocols-on-call--footnotes page-protocols-on-call"),
        "{labels:?}"
    );
    assert_eq!(broken_links(&hb.path("public")), Vec::<String>::new());
}

#[test]
fn the_print_page_has_no_site_navigation_nor_dark_mode_and_every_page_links_to_it() {
    let hb = built("");
    let html = hb.read(PRINT);
    for navigation in ["site-nav", "sidebar", "breadcrumbs", "class=\"pager\"", "site-search"] {
        assert!(!html.contains(navigation), "{navigation} on the print page");
    }
    assert!(html.contains("<html lang=\"en\" dir=\"ltr\" class=\"light\">"));
    assert!(html.contains("<meta name=\"color-scheme\" content=\"light\">"));
    let css = hb.read("public/assets/style.css");
    assert!(
        css.contains(":root:not(.light) {"),
        "the dark palette applies to the print page"
    );
    for page in ["public/index.html", "public/guides/onboarding/index.html"] {
        assert!(
            hb.read(page).contains("print/index.html\">Print the handbook</a>"),
            "{page}"
        );
    }
    // Out of the sitemap and the search index: every page is already there on its own.
    assert!(!hb.read("public/sitemap.xml").contains("print/"));
    for entry in walkdir::WalkDir::new(hb.path("public/search")) {
        let entry = entry.unwrap();
        // The search page itself has the footer's link; its index must not list the page.
        if entry.file_type().is_file() && entry.path().extension().is_none_or(|e| e != "html") {
            let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
            assert!(!text.contains("print/"), "{}", entry.path().display());
        }
    }
}

#[test]
fn print_include_chooses_the_parts_and_their_order() {
    let hb = built("[print]\ninclude = [\"pages\", \"decisions\", \"pages\"]\n");
    let html = hb.read(PRINT);
    assert!(!html.contains("id=\"part-protocols\""));
    assert!(!html.contains("Write it down."));
    assert!(at(&html, "id=\"part-pages\"") < at(&html, "id=\"part-decisions\""));
    // A part named twice is printed once, where first named.
    assert_eq!(html.matches("id=\"part-pages\"").count(), 1);
    // On-call is not printed: a link to it goes to the site.
    assert!(
        html.contains("<a href=\"../protocols/on-call/index.html#why\">the rota</a>"),
        "{html}"
    );
}

#[test]
fn a_bad_print_part_is_an_error_at_it() {
    let hb = handbook("[print]\ninclude = [\"protocols\", \"minutes\"]\n");
    hb.cmd(&["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "`print.include` in handbook.toml cannot be read",
        ))
        .stderr(predicate::str::contains("minutes"))
        .stderr(predicate::str::contains(
            "expected one of `protocols`, `decisions`, `pages`",
        ))
        .stderr(predicate::str::contains("handbook.toml:4:"));
}

#[test]
fn a_handbook_with_nothing_to_print_says_so_rather_than_listing_no_contents() {
    let hb = Fixture::new(&[
        ("handbook.toml", "title = \"Minutes\"\n"),
        (
            "content/meetings/2026-01-01-sync.md",
            "+++\ntitle = \"Sync\"\ndate = 2026-01-01\n+++\nNotes.\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success();
    let html = hb.read(PRINT);
    assert!(html.contains("<p class=\"empty\">Nothing to print:"), "{html}");
    assert!(!html.contains("Contents"), "{html}");
    assert!(!html.contains("print-part"), "{html}");
}

#[test]
fn records_none_of_which_is_in_force_print_nothing_and_parts_hold_only_those_with_pages() {
    // A decision log whose records are proposed or rejected (MADR's own, mounted as it is) has
    // nothing in force to print.
    let hb = Fixture::new(&[
        ("handbook.toml", "title = \"Log\"\n"),
        (
            "content/decisions/0001-use-markdown.md",
            "+++\ntitle = \"Use Markdown\"\nstatus = \"proposed\"\n+++\nText.\n",
        ),
        (
            "content/decisions/0002-use-xml.md",
            "+++\ntitle = \"Use XML\"\nstatus = \"rejected\"\n+++\nText.\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success();
    let html = hb.read(PRINT);
    assert!(html.contains("<p class=\"empty\">Nothing to print:"), "{html}");
    assert!(!html.contains("Use Markdown"), "{html}");

    // With a protocol, the one part with pages is the only one a template sees.
    hb.write("content/protocols/on-call.md", "+++\ntitle = \"On-call\"\n+++\nCall.\n");
    hb.write(
        "themes/default/templates/print.html",
        "{% for part in parts %}[{{ part.title }}: {{ part.entries | length }}]{% endfor %}",
    );
    hb.cmd(&["build"]).assert().success();
    assert_eq!(hb.read(PRINT), "[Protocols: 1]");
}
