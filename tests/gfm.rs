//! Markdown as readers know it from GitHub, in a whole built site (`tests/gfm/`): heading ids
//! that never take the theme's, footnotes at the end with back-links, alerts, smart punctuation
//! that leaves flags alone, and a meeting's action items shown once.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::Fixture;

/// The fixture handbook, built.
fn built() -> Fixture {
    let hb = Fixture::copy_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gfm"), &[]);
    hb.cmd(&["check", "--strict"]).assert().success();
    hb.cmd(&["build"]).assert().success().stderr(common::quiet());
    hb
}

/// Every `id="…"` value in `html`.
fn ids(html: &str) -> Vec<&str> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn no_page_has_an_id_twice() {
    let hb = built();
    for entry in walkdir::WalkDir::new(hb.path("public")) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|ext| ext != "html") {
            continue;
        }
        let html = std::fs::read_to_string(&path).unwrap();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for id in ids(&html) {
            *counts.entry(id).or_default() += 1;
        }
        counts.retain(|_, count| *count > 1);
        assert!(counts.is_empty(), "{}: {counts:?}", path.display());
    }
}

#[test]
fn headings_named_like_the_themes_ids_are_numbered_and_links_follow() {
    let hb = built();
    let page = hb.read("public/guides/release/index.html");
    assert!(
        page.contains("<main id=\"main\""),
        "the skip link's target stays the theme's"
    );
    for id in ["main-1", "toc-title-1", "search-results-1"] {
        assert!(page.contains(&format!("<h2 id=\"{id}\">")), "{id}: {page}");
    }
    assert!(page.contains("<a href=\"#main-1\">the main steps</a>"), "{page}");
    assert!(page.contains("<a href=\"#toc-title-1\">"), "{page}");
    let guides = hb.read("public/guides/index.html");
    assert!(
        guides.contains("release/index.html#main-1\">the main steps"),
        "{guides}"
    );
    assert!(guides.contains("release/index.html#fn-1\">first note"), "{guides}");
}

#[test]
fn footnotes_are_listed_at_the_end_with_back_links() {
    let hb = built();
    let page = hb.read("public/guides/release/index.html");
    let section = page
        .find("<section class=\"footnotes\" aria-labelledby=\"footnotes-1\">")
        .expect(&page);
    assert!(page.find("Nothing to see").unwrap() < section, "after the text");
    assert!(
        page.contains("<h2 id=\"footnotes\">Footnotes"),
        "the writer's own heading keeps its id"
    );
    let notes = &page[section..];
    assert!(
        notes.contains("<li id=\"fn-1\">") && notes.contains("<li id=\"fn-slow\">"),
        "{notes}"
    );
    // Two references to the first note, one back-link to each; links written for GitHub work.
    assert!(page.contains("<a href=\"#fn-1\" id=\"fnref-1\""), "{page}");
    assert!(page.contains("<a href=\"#fn-1\" id=\"fnref-1-2\""), "{page}");
    assert!(notes.contains("href=\"#fnref-1\" class=\"footnote-backref\" aria-label=\"Back to reference 1\""));
    assert!(notes.contains("href=\"#fnref-1-2\" class=\"footnote-backref\" aria-label=\"Back to reference 1-2\""));
    assert!(page.contains("<a href=\"#fn-1\">first note</a>") && page.contains("<a href=\"#fn-1\">old style</a>"));
    // The note is not also shown where it is defined.
    assert_eq!(page.matches("Reproducible builds need both flags.").count(), 1);
}

#[test]
fn alerts_and_flags_render_as_on_github() {
    let hb = built();
    let page = hb.read("public/guides/release/index.html");
    assert!(
        page.contains("<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Warning</p>"),
        "{page}"
    );
    assert!(page.contains("with --locked and --remap-path-prefix"), "{page}");
    assert!(page.contains("a minute – or"), "prose dashes are still smart: {page}");
    assert!(page.contains("<code>cargo build --release</code>"));
}

#[test]
fn a_meetings_action_items_are_shown_once() {
    let hb = built();
    let page = hb.read("public/meetings/2026-11-18-weekly/index.html");
    let panel = page.find("<h2 id=\"actions-title\">Action items</h2>").expect(&page);
    let body = page.find("<div class=\"prose\">").unwrap();
    assert!(panel < body);
    for item in ["Draft the release checklist", "Book the retro room"] {
        assert_eq!(page.matches(item).count(), 1, "{item}: {page}");
        assert!(page[panel..body].contains(item), "{item} is in the list");
    }
    assert!(
        page[panel..body].contains("due <time datetime=\"2026-11-20\">"),
        "{page}"
    );
    // An item with a link keeps it in the body (the list shows words only), under its heading;
    // Ana's heading, whose items all moved, goes.
    let prose = &page[body..];
    assert!(
        prose.contains("<a href=\"../../guides/release/index.html\">the release guide</a>"),
        "{prose}"
    );
    assert!(
        prose.contains(">Ben <a class=\"anchor\"") && !prose.contains(">Ana <a class=\"anchor\""),
        "{prose}"
    );
    // ... and only there: the list does not show it a second time.
    let shown = &page[page.find("<body").unwrap()..];
    assert_eq!(shown.matches("before Friday").count(), 1, "{page}");
    assert!(!page.contains("type=\"checkbox\""), "no unlabelled checkboxes");
    assert!(
        !page.contains("href=\"#ana\""),
        "a heading left out is not in the contents"
    );
    // The site-wide list still has every item.
    let actions = hb.read("public/actions/index.html");
    for item in [
        "Draft the release checklist",
        "Book the retro room",
        "the release guide",
    ] {
        assert!(actions.contains(item), "{item}: {actions}");
    }
}
