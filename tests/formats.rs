//! Decision logs kept by other tools, read as they are: adr-tools (Nygard), MADR, Log4brains,
//! RFC-style logs and plain Markdown. The fixtures imitate each format; none is copied.

mod common;

use common::{Fixture, broken_links};

fn built(files: &[(&str, &str)]) -> Fixture {
    let hb = Fixture::new(files);
    hb.cmd(&["build"]).assert().success().stderr(common::quiet());
    assert_eq!(broken_links(&hb.path("public")), Vec::<String>::new());
    hb
}

#[test]
fn adr_tools_records() {
    let hb = built(&[
        (
            "content/decisions/0001-keep-a-log.md",
            "# 1. Keep a log\n\nDate: 2019-03-04\n\n## Status\n\nAccepted\n\n## Context\n\nWe forget.\n",
        ),
        (
            "content/decisions/0002-use-a-wiki.md",
            "# 2. Use a wiki\n\nDate: 2019-04-01\n\n## Status\n\nSuperceded by [3. Use Markdown in git](0003-use-markdown-in-git.md)\n\n## Context\n\nEasy.\n",
        ),
        (
            "content/decisions/0003-use-markdown-in-git.md",
            "# 3. Use Markdown in git\n\nDate: 2019-05-01\n\n## Status\n\nAccepted\n\nSupercedes [2. Use a wiki](0002-use-a-wiki.md)\n\nAmends [1. Keep a log](0001-keep-a-log.md)\n",
        ),
    ]);
    let first = hb.read("public/decisions/0001-keep-a-log/index.html");
    assert!(first.contains("<h1>Keep a log</h1>") && first.contains("Decision 0001"));
    assert!(
        !first.contains("1. Keep a log</h1>"),
        "the numbered heading is not repeated"
    );
    assert!(first.contains("<time datetime=\"2019-03-04\">") && first.contains("status-accepted"));
    assert!(first.contains("Amended by</dt><dd><a href=\"../../decisions/0003-use-markdown-in-git/index.html\">"));
    let wiki = hb.read("public/decisions/0002-use-a-wiki/index.html");
    assert!(wiki.contains("status-superseded") && wiki.contains("This decision was superseded by"));
}

#[test]
fn log4brains_records_with_readme_index_and_template() {
    let hb = built(&[
        ("content/decisions/README.md", "# Decisions\n\nSee the log.\n"),
        ("content/decisions/index.md", "# Index\n\nAll of them.\n"),
        (
            "content/decisions/template.md",
            "# [short title]\n\n- Status: [proposed | accepted]\n",
        ),
        (
            "content/decisions/20200101-use-markdown.md",
            "# Use Markdown\n\n- Status: superseded by [20200202-use-asciidoc](20200202-use-asciidoc.md)\n- Date: 2020-01-01\n- Deciders: Ana Lima, Ben\n- Tags: docs, formats\n\n## Context and Problem Statement\n\nText.\n",
        ),
        (
            "content/decisions/20200202-use-asciidoc.md",
            "# Use AsciiDoc\n\n- Status: accepted\n- Date: 2020-02-02\n\n## Decision Outcome\n\nAsciiDoc.\n\n## Links\n\n- Supersedes [20200101-use-markdown](20200101-use-markdown.md)\n",
        ),
    ]);
    let old = hb.read("public/decisions/20200101-use-markdown/index.html");
    assert!(old.contains("status-superseded") && old.contains("<time datetime=\"2020-01-01\">"));
    assert!(old.contains("Deciders</dt><dd>Ana Lima, Ben</dd>"));
    assert!(old.contains("tags/docs/index.html"));
    assert!(old.contains(
        "Superseded by</dt><dd><a href=\"../../decisions/20200202-use-asciidoc/index.html\">Use AsciiDoc</a>"
    ));
    let log = hb.read("public/decisions/index.html");
    assert!(
        log.contains("2 of 2 decision records"),
        "README, index and template are not records"
    );
    assert!(log.contains("All of them."), "index.md introduces the log");
    assert!(
        hb.path("public/decisions/readme/index.html").exists()
            && hb.path("public/decisions/template/index.html").exists()
    );
}

#[test]
fn madr_records_with_front_matter_or_bullets() {
    let hb = built(&[
        (
            "content/decisions/0001-use-madr.md",
            "---\nstatus: accepted\ndate: 2024-01-15\ndecision-makers: [ana]\nconsulted: [ben]\nparent: Decisions\nnav_order: 1\n---\n\n# Use MADR\n\n## Context and Problem Statement\n\nWhy.\n",
        ),
        (
            "content/decisions/0002-use-plantuml.md",
            "# Use PlantUML\n\n* Status: proposed\n* Deciders: Ana, Ben\n* Date: 2024-02-01\n\nTechnical Story: make diagrams\n\n## Decision Outcome\n\nChosen option: PlantUML.\n",
        ),
        (
            "content/decisions/adr-template.md",
            "# {short title}\n\n* Status: {proposed}\n",
        ),
    ]);
    let first = hb.read("public/decisions/0001-use-madr/index.html");
    assert!(first.contains("<h1>Use MADR</h1>") && first.contains("status-accepted"));
    assert!(first.contains("Deciders</dt><dd>ana</dd>") && first.contains("Consulted</dt><dd>ben</dd>"));
    let second = hb.read("public/decisions/0002-use-plantuml/index.html");
    assert!(second.contains("status-proposed") && second.contains("<time datetime=\"2024-02-01\">"));
    assert!(second.contains("Deciders</dt><dd>Ana, Ben</dd>"));
    assert!(
        hb.read("public/decisions/index.html")
            .contains("2 of 2 decision records")
    );
}

#[test]
fn rfc_records_and_moved_stubs() {
    let hb = built(&[
        (
            "content/decisions/0001-private-fields.md",
            "- Feature Name: private_fields\n- Start Date: 2014-03-11\n- RFC PR: [rfcs#1](https://example.com/rfcs/pull/1)\n- Tracking Issue: [#8122](https://example.com/issues/8122)\n\n# Summary\n\nFields are private by default.\n",
        ),
        (
            "content/decisions/0001-private-fields-old.md",
            "Moved to [0001-private-fields.md](0001-private-fields.md).\n",
        ),
    ]);
    let rfc = hb.read("public/decisions/0001-private-fields/index.html");
    assert!(
        rfc.contains("<h1>Private fields</h1>"),
        "title from the file name, not the Summary heading"
    );
    assert!(rfc.contains("<time datetime=\"2014-03-11\">"));
    assert!(rfc.contains("<dt>RFC PR</dt><dd><a href=\"https://example.com/rfcs/pull/1\">rfcs#1</a></dd>"));
    assert!(rfc.contains("<dt>Feature Name</dt><dd>private_fields</dd>"));
    assert!(
        hb.read("public/decisions/0001-private-fields-old/index.html")
            .contains("Moved to")
    );
}

#[test]
fn plain_markdown_records() {
    let hb = built(&[(
        "content/decisions/0042-use-rust.md",
        "# Use Rust\n\nWe use Rust for the CLI.\n",
    )]);
    let page = hb.read("public/decisions/0042-use-rust/index.html");
    assert!(page.contains("<h1>Use Rust</h1>") && page.contains("Decision 0042") && page.contains("not stated"));
}
