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
    assert!(first.contains("<span class=\"record-number\">0001</span> <bdi>Keep a log</bdi></h1>"));
    assert!(
        !first.contains("1. Keep a log</h1>"),
        "the numbered heading is not repeated"
    );
    assert!(first.contains("<time datetime=\"2019-03-04\">") && first.contains("status-accepted"));
    assert!(first.contains("Amended by</dt><dd><a href=\"../../decisions/0003-use-markdown-in-git/index.html\">"));
    let wiki = hb.read("public/decisions/0002-use-a-wiki/index.html");
    assert!(wiki.contains("status-superseded") && wiki.contains("Superseded by <a"));
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
    assert!(
        old.contains("Superseded by <a href=\"../../decisions/20200202-use-asciidoc/index.html\">Use AsciiDoc</a>.")
    );
    let log = hb.read("public/decisions/index.html");
    assert!(
        log.contains("2 of 2 decision records"),
        "README, index and template are not records"
    );
    assert!(log.contains("All of them."), "index.md introduces the log");
    assert!(hb.path("public/decisions/readme/index.html").exists());
    // The template is tooling, not a page of the log (Log4brains does not publish it either):
    // a draft, shown by `--drafts`, whose placeholder links are not checked.
    assert!(!hb.path("public/decisions/template/index.html").exists());
    hb.cmd(&["build", "--drafts"]).assert().success();
    assert!(hb.path("public/decisions/template/index.html").exists());
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
    assert!(first.contains(" <bdi>Use MADR</bdi></h1>") && first.contains("status-accepted"));
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
        rfc.contains(" <bdi>Private fields</bdi></h1>"),
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
    assert!(
        page.contains("<span class=\"record-number\">0042</span> <bdi>Use Rust</bdi></h1>")
            && page.contains("Status not stated"),
        "{page}"
    );
}

/// What a built record shows apart from its body: its header (number, title, status, date,
/// tags), the banner, and the facts box.
fn facts_box(html: &str) -> &str {
    let start = html
        .find("<header class=\"page-header decision-header\">")
        .expect("a record header");
    let end = html[start..].find("<div class=\"prose\">").expect("its body") + start;
    &html[start..end]
}

/// The rendered body of a built page, without the footer and backlinks after it.
fn shown_body(html: &str) -> &str {
    let start = html.find("<div class=\"prose\">").expect("a body");
    let rest = &html[start..];
    let end = ["<aside", "<footer", "</article>"]
        .iter()
        .filter_map(|after| rest.find(after))
        .min()
        .expect("its end");
    &rest[..end]
}

/// Standard error of a build that succeeds.
fn build_warnings(hb: &Fixture) -> String {
    let output = hb.cmd(&["build"]).assert().success().get_output().clone();
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn rfc_header_is_shown_once_and_no_status() {
    let hb = Fixture::new(&[
        ("handbook.toml", "[links]\nbroken = \"warn\"\n"),
        (
            "content/decisions/0002-const-fns.md",
            "- Feature Name: `const_fn`\n\
             - Start Date: 2020/05/18\n\
             - RFC PR: [rfcs#2](https://example.com/rfcs/pull/2)\n\
             - Tracking Issue: [#24111](https://example.com/issues/24111)\n\
             \n\
             ## Summary\n\
             \n\
             Functions that run at compile time; see [the book](missing.md).\n\
             \n\
             ## Motivation\n\
             \n\
             Speed.\n",
        ),
    ]);
    let stderr = build_warnings(&hb);
    // The body keeps the file's own line numbers.
    assert!(stderr.contains("content/decisions/0002-const-fns.md:8:41"), "{stderr}");
    let page = hb.read("public/decisions/0002-const-fns/index.html");
    let facts = facts_box(&page);
    assert!(facts.contains("<dt>RFC PR</dt><dd><a href=\"https://example.com/rfcs/pull/2\">rfcs#2</a></dd>"));
    assert!(facts.contains("<dt>Tracking Issue</dt><dd><a href=\"https://example.com/issues/24111\">#24111</a></dd>"));
    assert!(facts.contains("<dt>Feature Name</dt><dd><code>const_fn</code></dd>"));
    assert!(
        facts.contains("<dt>Start Date</dt><dd>2020/05/18</dd>"),
        "a date written otherwise is shown as written: {facts}"
    );
    assert!(
        !facts.contains("<dt>Status</dt>") && !page.contains("not stated"),
        "an RFC has no status"
    );
    let body = shown_body(&page);
    for header in ["Feature Name", "Start Date", "RFC PR", "Tracking Issue", "<ul>"] {
        assert!(!body.contains(header), "{header} is shown twice: {body}");
    }
    assert!(body.starts_with("<div class=\"prose\">\n<h2 id=\"summary\">"), "{body}");
    let log = hb.read("public/decisions/index.html");
    assert!(log.contains(">No.</th>") && log.contains(">Decision</th>"));
    // The one date is not one, so the Date column goes too.
    for empty in [">Status</th>", ">Date</th>", ">Deciders</th>", ">Tags</th>"] {
        assert!(!log.contains(empty), "{empty} is a column no record fills");
    }
}

#[test]
fn nygard_date_line_and_status_section_are_shown_once() {
    let hb = Fixture::new(&[
        ("handbook.toml", "[links]\nbroken = \"warn\"\n"),
        (
            "content/decisions/0001-keep-a-log.md",
            "# 1. Keep a log\n\nDate: 2019-03-04\n\n## Status\n\nAccepted\n\n## Context\n\nWe forget.\n",
        ),
        (
            "content/decisions/0002-use-markdown.md",
            "# 2. Use Markdown\n\
             \n\
             Date: 2019-05-01\n\
             \n\
             ## Status\n\
             \n\
             Accepted\n\
             \n\
             Amends [1. Keep a log](0001-keep-a-log.md)\n\
             \n\
             ## Context\n\
             \n\
             Text [gone](gone.md).\n\
             \n\
             ## Decision\n\
             \n\
             Markdown.\n",
        ),
        (
            "content/decisions/0003-use-git.md",
            "# 3. Use git\n\nDate: 2019-06-01\n\n## Status\n\nAccepted\n\nWe agreed in the weekly.\n\n## Context\n\nText.\n",
        ),
    ]);
    let stderr = build_warnings(&hb);
    assert!(
        stderr.contains("content/decisions/0002-use-markdown.md:13:6"),
        "{stderr}"
    );
    let page = hb.read("public/decisions/0002-use-markdown/index.html");
    let facts = facts_box(&page);
    assert!(facts.contains("status-accepted") && facts.contains("<time datetime=\"2019-05-01\">"));
    assert!(facts.contains("Amends</dt><dd><a href=\"../../decisions/0001-keep-a-log/index.html\">"));
    let body = shown_body(&page);
    for read in ["Date:", "id=\"status\"", "Accepted", "Amends", "Keep a log"] {
        assert!(!body.contains(read), "{read} is shown twice: {body}");
    }
    assert!(body.contains("<h2 id=\"context\">") && body.contains("<h2 id=\"decision\">"));
    assert!(
        !page.contains("href=\"#status\""),
        "the contents list no section the page lacks"
    );
    assert!(page.contains("href=\"#context\""));
    // A status section that says more than the status stays, so nothing is lost.
    let kept = hb.read("public/decisions/0003-use-git/index.html");
    let kept = shown_body(&kept);
    assert!(kept.contains("<h2 id=\"status\">") && kept.contains("We agreed in the weekly."));
    assert!(!kept.contains("Date:"));
}

#[test]
fn madr_and_log4brains_bullets_are_shown_once() {
    let hb = built(&[
        (
            "content/decisions/0001-use-plantuml.md",
            "# Use PlantUML\n\n* Status: accepted\n* Deciders: Ana, Ben\n* Date: 2024-02-01\n\n\
             Technical Story: [#12](https://example.com/12)\n\n## Decision Outcome\n\nPlantUML.\n",
        ),
        (
            "content/decisions/20200101-use-markdown.md",
            "# Use Markdown\n\n- Status: superseded\n- Date: 2020-01-01\n- Tags: docs\n\n## Context\n\nText.\n",
        ),
        (
            "content/decisions/20200202-use-asciidoc.md",
            "# Use AsciiDoc\n\n- Status: accepted\n- Date: 2020-02-02\n\n## Decision Outcome\n\nAsciiDoc.\n\n\
             ## Links\n\n- Supersedes [20200101-use-markdown](20200101-use-markdown.md)\n\
             - [A blog post](https://example.com/post)\n",
        ),
    ]);
    let madr = hb.read("public/decisions/0001-use-plantuml/index.html");
    let facts = facts_box(&madr);
    assert!(facts.contains("status-accepted") && facts.contains("Deciders</dt><dd>Ana, Ben</dd>"));
    assert!(facts.contains("<dt>Technical Story</dt><dd><a href=\"https://example.com/12\">#12</a></dd>"));
    let body = shown_body(&madr);
    for read in ["Status:", "Deciders", "Date:", "Technical Story", "<ul>"] {
        assert!(!body.contains(read), "{read} is shown twice: {body}");
    }
    let markdown = hb.read("public/decisions/20200101-use-markdown/index.html");
    assert!(markdown.contains("tags/docs/index.html"));
    let body = shown_body(&markdown);
    for read in ["Status:", "Date:", "Tags:", "<ul>"] {
        assert!(!body.contains(read), "{read} is shown twice: {body}");
    }
    let asciidoc = hb.read("public/decisions/20200202-use-asciidoc/index.html");
    assert!(facts_box(&asciidoc).contains("Supersedes</dt>"));
    let body = shown_body(&asciidoc);
    assert!(!body.contains("Supersedes") && !body.contains("Status:"), "{body}");
    assert!(
        body.contains("<h2 id=\"links\">") && body.contains("A blog post"),
        "a Links section keeps the links that are no relation: {body}"
    );
}

#[test]
fn madr_superseded_by_a_link_in_front_matter_or_bullet() {
    let hb = built(&[
        (
            "content/decisions/0004-use-a.md",
            "---\nstatus: \"superseded by [ADR-0005](0005-use-b.md)\"\n---\n# Use A\n\n\
             ## Context and Problem Statement\n\nWhy.\n",
        ),
        (
            "content/decisions/0005-use-b.md",
            "---\nstatus: accepted\n---\n# Use B\n\n## Context and Problem Statement\n\nWhy.\n",
        ),
        (
            "content/decisions/0006-use-c.md",
            "# Use C\n\n* Status: superseded by [ADR-0005](0005-use-b.md)\n* Deciders: Ana\n\n\
             ## Context and Problem Statement\n\nWhy.\n",
        ),
    ]);
    for old in ["0004-use-a", "0006-use-c"] {
        let page = hb.read(&format!("public/decisions/{old}/index.html"));
        let facts = facts_box(&page);
        assert!(facts.contains("status-superseded"), "{old}: {facts}");
        assert!(
            facts.contains("Superseded by <a href=\"../../decisions/0005-use-b/index.html\">0005: Use B</a>."),
            "{old}: {facts}"
        );
        assert!(!shown_body(&page).contains("superseded by"), "{old}");
    }
    let new = hb.read("public/decisions/0005-use-b/index.html");
    assert!(new.contains("Supersedes</dt><dd><a href=\"../../decisions/0004-use-a/index.html\">"));
    assert!(new.contains("<a href=\"../../decisions/0006-use-c/index.html\">"));
}

#[test]
fn decision_log_shows_the_columns_some_record_fills() {
    let hb = built(&[
        ("content/decisions/use-a.md", "# Use A\n\nText.\n"),
        (
            "content/decisions/use-b.md",
            "# Use B\n\n* Status: accepted\n* Deciders: Ana\n\n## Decision Outcome\n\nB.\n",
        ),
    ]);
    let log = hb.read("public/decisions/index.html");
    for filled in [">Decision</th>", ">Status</th>", ">Deciders</th>"] {
        assert!(log.contains(filled), "{filled}");
    }
    for empty in [">No.</th>", ">Date</th>", ">Tags</th>"] {
        assert!(!log.contains(empty), "{empty}");
    }
    assert_eq!(
        log.matches("<td").count(),
        2 * 3,
        "one cell per shown column and record"
    );
}

#[test]
fn metadata_read_from_the_body_keeps_its_lines_in_diagnostics() {
    let hb = Fixture::new(&[
        ("handbook.toml", "[links]\nbroken = \"warn\"\n"),
        (
            "content/decisions/20200101-pause.md",
            "# Pause\n\n- Status: on hold\n- Date: 2020-01-01\n\n## Context\n\nText.\n",
        ),
        (
            "content/decisions/0002-old.md",
            "# 2. Old\n\nDate: 2019-04-01\n\n## Status\n\nSuperseded by [9. Gone](0009-gone.md)\n\n## Context\n\nText.\n",
        ),
    ]);
    let stderr = build_warnings(&hb);
    assert!(
        stderr.contains(
            "`status` is not a known decision status: \"on hold\"\n --> content/decisions/20200101-pause.md:3:11"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("broken link: `0009-gone.md` does not exist\n --> content/decisions/0002-old.md:7:15"),
        "{stderr}"
    );
}

#[test]
fn guides_that_look_like_records_stay_guides_unless_numbered_as_records() {
    let hb = built(&[
        (
            "content/guides/onboarding.md",
            "# Onboarding\n\nWelcome.\n\ntags: none\n",
        ),
        (
            "content/guides/release-checklist.md",
            "# Release checklist\n\nDate: 2026-03-01\n\n## Status\n\nDraft\n",
        ),
        (
            "content/guides/security.md",
            "---\ntitle: Security\nstatus: draft\n---\nText.\n",
        ),
        // Numbered as adr-tools numbers records, it is one, wherever it sits.
        (
            "content/architecture/0001-use-a-log.md",
            "# 1. Use a log\n\nDate: 2019-03-04\n\n## Status\n\nAccepted\n",
        ),
    ]);
    let output = hb.cmd(&["check", "--strict"]).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("(1 decision, 0 meetings, 0 protocols)"), "{stdout}");
    assert!(!hb.path("public/decisions/logs/guides").exists());
    let onboarding = hb.read("public/guides/onboarding/index.html");
    assert!(!onboarding.contains("class=\"page decision\""), "a guide is a page");
    assert!(
        hb.read("public/architecture/0001-use-a-log/index.html")
            .contains("class=\"page decision\"")
    );
}
