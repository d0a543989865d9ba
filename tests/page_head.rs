//! What every page carries for readers' tools: a meta description (a page's summary or the
//! start of its text, a generated page's own sentence), a favicon the theme can replace, and a
//! 404 page that works wherever a host serves it: its stylesheet and icon inline, its links
//! relative to a `<base>` at `base_url`'s path.

mod common;

use common::{Fixture, quiet};

fn handbook(toml: &str) -> Fixture {
    Fixture::new(&[
        ("handbook.toml", toml),
        ("content/_index.md", "+++\ntitle = \"Welcome\"\n+++\nHello.\n"),
        (
            "content/guides/summary.md",
            "+++\ntitle = \"With a summary\"\nsummary = \"How we write things down.\"\n+++\nBody text.\n",
        ),
        (
            "content/guides/long.md",
            &format!(
                "# A long page\n\nFirst words of the text, {}and the end.\n",
                "then many more words ".repeat(20)
            ),
        ),
        (
            "content/decisions/0001-use-threads.md",
            "+++\ntitle = \"Use threads\"\nstatus = \"accepted\"\ndate = 2026-01-05\n+++\n## Context\n\nChat moves fast.\n",
        ),
    ])
}

fn build(hb: &Fixture, args: &[&str]) {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    hb.cmd(&all).assert().success().stderr(quiet());
}

/// The `content` of the page's `<meta name="description">`.
fn description(html: &str) -> &str {
    let start = html
        .find("<meta name=\"description\" content=\"")
        .expect("no description")
        + 34;
    &html[start..start + html[start..].find('"').unwrap()]
}

#[test]
fn every_page_has_a_description_of_its_own() {
    let hb = handbook("title = \"Heads\"\n");
    build(&hb, &[]);
    assert_eq!(
        description(&hb.read("public/guides/summary/index.html")),
        "How we write things down."
    );
    let long = hb.read("public/guides/long/index.html");
    let text = description(&long);
    assert!(
        text.starts_with("First words of the text, then"),
        "the title is left out: {text}"
    );
    assert!(text.ends_with('…') && text.chars().count() <= 156, "{text}");
    assert_eq!(
        description(&hb.read("public/decisions/0001-use-threads/index.html")),
        "Context Chat moves fast."
    );
    assert_eq!(
        description(&hb.read("public/decisions/index.html")),
        "The decision log: 1 decision record, with their status and what replaced them."
    );
    for (page, start) in [
        ("public/index.html", "Heads: what needs attention"),
        ("public/search/index.html", "Search the handbook"),
        ("public/tags/index.html", "Every tag"),
        ("public/guides/index.html", "The pages in"),
        ("public/404.html", "There is no page"),
    ] {
        let html = hb.read(page);
        assert!(description(&html).starts_with(start), "{page}: {}", description(&html));
    }
    // Every HTML page has one, and an icon.
    for entry in walkdir::WalkDir::new(hb.path("public")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            if html.contains("http-equiv=\"refresh\"") {
                continue;
            }
            assert!(!description(&html).is_empty(), "{}", entry.path().display());
            assert!(html.contains("<link rel=\"icon\""), "{}", entry.path().display());
        }
    }
    assert!(hb.read("public/assets/favicon.svg").starts_with("<svg"));
}

#[test]
fn the_site_description_stands_for_a_page_with_no_text() {
    let hb = handbook("title = \"Heads\"\ndescription = \"Our team's handbook.\"\n");
    hb.write("content/guides/empty.md", "+++\ntitle = \"Empty\"\n+++\n");
    build(&hb, &[]);
    assert_eq!(
        description(&hb.read("public/guides/empty/index.html")),
        "Our team&#39;s handbook."
    );
    assert_eq!(description(&hb.read("public/index.html")), "Our team&#39;s handbook.");
}

#[test]
fn the_404_page_carries_its_style_and_icon_and_starts_its_links_at_the_base_url_path() {
    let hb = handbook("title = \"Heads\"\n");
    build(&hb, &[]);
    let page = hb.read("public/404.html");
    assert!(page.contains("<base href=\"/\""), "{page}");
    let style = hb.read("public/assets/style.css");
    assert!(
        page.contains(&format!("<style>{style}</style>")),
        "the stylesheet is inline, whole"
    );
    assert!(page.contains("<link rel=\"icon\" href=\"data:image/svg+xml,"), "{page}");
    assert!(
        !page.contains("assets/style.css"),
        "nothing is loaded that the base may not reach"
    );
    assert!(
        page.contains("<a href=\"index.html\">"),
        "links are relative to the base"
    );
    assert!(
        !page.contains("rel=\"canonical\""),
        "a 404 page is no page's canonical address"
    );

    build(&hb, &["--base-url", "https://handbook.example/team"]);
    let page = hb.read("public/404.html");
    assert!(page.contains("<base href=\"/team/\""), "{page}");
    assert!(
        !page.contains("handbook.example"),
        "nothing comes from the production host"
    );
}

#[test]
fn a_theme_replaces_the_icon_and_the_inline_style_cannot_end_its_element() {
    let hb = handbook("title = \"Heads\"\ntheme = \"own\"\n");
    hb.write(
        "themes/own/static/assets/style.css",
        "body { color: red; }\n/* </style><script>alert(1)</script> */\n",
    );
    hb.write(
        "themes/own/static/assets/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"5\" fill=\"#f00\"/></svg>\n",
    );
    build(&hb, &[]);
    let page = hb.read("public/404.html");
    assert!(page.contains("body { color: red; }"), "{page}");
    assert!(!page.contains("</style><script>alert(1)"), "{page}");
    assert!(page.contains("<\\/style><script>alert(1)<\\/script>"), "{page}");
    assert!(page.contains("fill=%22%23f00%22"), "the theme's icon, encoded: {page}");
    assert!(hb.read("public/assets/favicon.svg").contains("#f00"));
}
