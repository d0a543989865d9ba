//! Every form of link resolves to the file it names, or fails at its file:line:col (the failures
//! are cases of `tests/bad_input/`): Markdown links, percent-encoded paths and anchors, the URLs
//! of raw HTML and every form of wiki-link.

mod common;

use std::path::Path;

use common::{Fixture, broken_links};
use predicates::prelude::*;

/// The handbook of `tests/links/every-form`, whose `guides/page.md` writes every form.
fn every_form() -> Fixture {
    Fixture::copy_of(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/links/every-form"),
        &[],
    )
}

#[test]
fn every_link_form_resolves_to_the_page_or_file_it_names() {
    let hb = every_form();
    hb.cmd(&["build"]).assert().success().stderr(common::quiet());
    let page = hb.read("public/guides/page/index.html");
    let record = "../../decisions/0003-use-markdown/index.html";
    for (form, html) in [
        (
            "raw HTML beside the page",
            "<img src=\"../../guides/diagram.png\" alt=\"Diagram\">",
        ),
        (
            "raw HTML to a page",
            &format!("<a href=\"{record}#link-with-space\">the record</a>"),
        ),
        (
            "inline HTML, percent-encoded",
            "<a href=\"../../guides/my-file/index.html\">my file</a>",
        ),
        (
            "inline HTML, ./",
            "<img src=\"../../guides/diagram.png\" alt=\"again\">",
        ),
        (
            "percent-encoded path and anchor",
            "<a href=\"../../equipe/index.html#r%C3%B4les-cl%C3%A9s\">roles</a>",
        ),
        (
            "percent-encoded path",
            "<a href=\"../../guides/my-file/index.html\">my file</a>.</p>",
        ),
        ("[[0003]]", &format!("<a href=\"{record}\">0003</a>")),
        ("[[3]]", &format!("<a href=\"{record}\">3</a>")),
        ("file name", &format!("<a href=\"{record}\">0003-use-markdown</a>")),
        (
            "Log4brains id",
            "<a href=\"../../decisions/20200101-use-log4brains/index.html\">20200101-use-log4brains</a>",
        ),
        (
            "title",
            "<a href=\"../../decisions/20200101-use-log4brains/index.html\">Use Log4brains</a>",
        ),
        ("folder", "<a href=\"../../decisions/index.html\">decisions</a>"),
        (
            "heading text",
            &format!("<a href=\"{record}#link-with-space\">0003#Link with space</a>"),
        ),
        (
            "heading text out of ASCII",
            "<a href=\"../../equipe/index.html#r%C3%B4les-cl%C3%A9s\">équipe#Rôles clés</a>",
        ),
        ("same page", "<a href=\"#local-heading\">#Local heading</a>"),
        ("label", &format!("<a href=\"{record}\">the Markdown decision</a>")),
        ("text in brackets", "<a href=\"https://example.org\">[docs]</a>"),
    ] {
        assert!(page.contains(html), "{form}: no {html} in\n{page}");
    }
    assert!(
        hb.path("public/guides/diagram.png").is_file(),
        "the image beside the page is copied"
    );
    assert!(
        hb.read("public/decisions/0003-use-markdown/index.html")
            .contains("Referenced by"),
        "links from raw HTML and wiki-links count as references"
    );
    assert_eq!(broken_links(&hb.path("public")), Vec::<String>::new());
}

#[test]
fn raw_html_is_checked_only_where_it_is_shown() {
    let page = "<img src=\"gone.png\"> <video src=\"gone.mp4\"></video>\n";
    let hb = Fixture::new(&[("content/page.md", page)]);
    // Sanitized: the image is shown, the video is not (the sanitizer removes it).
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("content/page.md:1:11"))
        .stderr(predicate::str::contains("broken image: `gone.png` does not exist"))
        .stderr(predicate::str::contains("`gone.mp4`").not())
        .stderr(predicate::str::contains("the handbook has 1 error,"));
    // Kept as written: both are shown.
    hb.write("handbook.toml", "[markdown]\nraw_html = \"allow\"\n");
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("content/page.md:1:11"))
        .stderr(predicate::str::contains("content/page.md:1:34"))
        .stderr(predicate::str::contains("broken link: `gone.mp4` does not exist"));
    // Shown as text: nothing links anywhere.
    hb.write("handbook.toml", "[markdown]\nraw_html = \"escape\"\n");
    hb.cmd(&["check"]).assert().success();
}

#[test]
fn raw_html_kept_as_written_has_every_url_rewritten() {
    let hb = Fixture::new(&[
        ("handbook.toml", "[markdown]\nraw_html = \"allow\"\n"),
        (
            "content/guides/demo.md",
            "<video src=\"demo.mp4\" poster=\"still.png\">\n  <track src=\"demo.vtt\">\n</video>\n\n\
             <img srcset=\"still.png 1x, https://example.com/big.png 2x\"> <iframe src=\"../embed.html\"></iframe>\n",
        ),
        ("content/guides/demo.mp4", "mp4"),
        ("content/guides/demo.vtt", "vtt"),
        ("content/guides/still.png", "png"),
        ("static/embed.html", "<p>embedded</p>"),
    ]);
    hb.cmd(&["build"]).assert().success().stderr(common::quiet());
    assert_eq!(broken_links(&hb.path("public")), Vec::<String>::new());
    let html = hb.read("public/guides/demo/index.html");
    for rewritten in [
        "<video src=\"../../guides/demo.mp4\" poster=\"../../guides/still.png\">",
        "<track src=\"../../guides/demo.vtt\">",
        "srcset=\"../../guides/still.png 1x, https://example.com/big.png 2x\"",
        "<iframe src=\"../../embed.html\">",
    ] {
        assert!(html.contains(rewritten), "no {rewritten} in\n{html}");
    }
}

#[test]
fn raw_html_to_a_left_out_page_keeps_only_its_text() {
    let hb = Fixture::new(&[
        ("content/plan.md", "+++\nvisibility = \"internal\"\n+++\nThe plan.\n"),
        (
            "content/intro.md",
            "Read <a class=\"more\" href=\"plan.md\">the plan</a>.\n",
        ),
    ]);
    hb.cmd(&["build", "--public"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[link-to-internal]"))
        .stderr(predicate::str::contains("content/intro.md:1:28"));
    let intro = hb.read("public/intro/index.html");
    assert!(intro.contains("<a class=\"more\">the plan</a>"), "{intro}");
    hb.cmd(&["build"]).assert().success();
    assert!(
        hb.read("public/intro/index.html")
            .contains("<a class=\"more\" href=\"../plan/index.html\">")
    );
}

#[test]
fn an_unsafe_url_in_raw_html_is_removed_by_the_sanitizer() {
    let hb = Fixture::new(&[(
        "content/page.md",
        "<a href=\"JaVaScRiPt:alert(1)\">a</a> <img src=\"data:text/html,x\">\n",
    )]);
    hb.cmd(&["build"]).assert().success();
    let html = hb.read("public/page/index.html");
    assert!(
        !html.to_ascii_lowercase().contains("javascript:") && !html.contains("data:text"),
        "{html}"
    );
}

#[test]
fn only_a_near_target_is_suggested() {
    let hb = Fixture::new(&[
        ("content/guides/setup.md", "# Setup\n\n## Context\n"),
        (
            "content/guides/page.md",
            "[a](setpu.md) [b](onboarding.md) [c](setup.md#contxt) [d](setup.md#risks) [[Setpu]] [[Onboarding]]\n",
        ),
    ]);
    let output = hb.cmd(&["check", "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let helps: Vec<(u64, Option<&str>)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            let help = d["help"].as_str().unwrap_or_default();
            let near = help
                .strip_prefix("did you mean `")
                .and_then(|rest| rest.split_once('`'));
            (d["column"].as_u64().unwrap(), near.map(|(near, _)| near))
        })
        .collect();
    assert_eq!(
        helps,
        [
            (1, Some("setup.md")),
            (15, None),
            (34, Some("#context")),
            (55, None),
            (75, Some("[[Setup]]")),
            (85, None),
        ]
    );
}
