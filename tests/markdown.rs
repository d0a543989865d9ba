//! Snapshots of the HTML that Markdown becomes: heading anchors and levels, rewritten links, code, tables,
//! footnotes, task lists, raw HTML under each `raw_html` policy, links in raw HTML and unsafe
//! URLs. Each file in `tests/markdown/` is rendered into a snapshot of its own name, so a new case
//! is a new file. Update with `INSTA_UPDATE=always cargo test --test markdown` and review the diff.

use handbook::config::RawHtml;
use handbook::markdown::{self, Highlighter, LinkRewrite};

fn render(body: &str, strip_h1: bool) -> String {
    render_with(body, strip_h1, RawHtml::Sanitize)
}

fn render_with(body: &str, strip_h1: bool, raw_html: RawHtml) -> String {
    let options = markdown::options(true);
    let outline = markdown::scan(body, 0, options);
    let rewrite = |dest: &str| match dest {
        "other.md#why" => LinkRewrite::To("../other/index.html#why".into()),
        "draft.md" => LinkRewrite::Unlink,
        _ => LinkRewrite::Keep,
    };
    let html = markdown::HtmlOptions {
        parse: options,
        raw_html,
        highlighter: Some(&Highlighter),
    };
    markdown::to_html(body.into(), &html, &outline, strip_h1, &rewrite)
}

#[test]
fn each_fixture_renders_as_its_snapshot() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/markdown");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let body = std::fs::read_to_string(&path).unwrap();
        insta::with_settings!({ input_file => &path, description => body.clone(), omit_expression => true }, {
            insta::assert_snapshot!(name, render(&body, false));
        });
    }
}

#[test]
fn headings_get_ids_and_anchor_links() {
    insta::assert_snapshot!(render("# Title\n\n## Why we do it\n\n## Why we do it\n\n### Custom {#mine .wide onclick=alert(1)}\n", true), @r###"
    <h2 id="why-we-do-it">Why we do it <a class="anchor" href="#why-we-do-it" aria-label="Link to this section">#</a></h2>
    <h2 id="why-we-do-it-1">Why we do it <a class="anchor" href="#why-we-do-it-1" aria-label="Link to this section">#</a></h2>
    <h3 id="mine" class="wide">Custom <a class="anchor" href="#mine" aria-label="Link to this section">#</a></h3>
    "###);
}

/// A heading never skips a level: `####` after `##` is shown as an h3 (with the id its text
/// gives), as real RFCs and minutes skip levels and screen readers move by them.
#[test]
fn headings_never_skip_a_level() {
    insta::assert_snapshot!(render("# Title\n\n## Two\n\n#### Four\n\n##### Five\n\n### Three\n\n###### Six\n", true), @r###"
    <h2 id="two">Two <a class="anchor" href="#two" aria-label="Link to this section">#</a></h2>
    <h3 id="four">Four <a class="anchor" href="#four" aria-label="Link to this section">#</a></h3>
    <h4 id="five">Five <a class="anchor" href="#five" aria-label="Link to this section">#</a></h4>
    <h3 id="three">Three <a class="anchor" href="#three" aria-label="Link to this section">#</a></h3>
    <h4 id="six">Six <a class="anchor" href="#six" aria-label="Link to this section">#</a></h4>
    "###);
}

/// The empty corner of a two-way table is a plain cell: an empty header heads nothing.
#[test]
fn an_empty_header_cell_is_a_plain_cell() {
    let html = render("| | Important | Not |\n|---|---|---|\n| **Urgent** | a | b |\n", false);
    assert!(
        html.contains("<thead><tr><td></td><th>Important</th><th>Not</th></tr></thead>"),
        "{html}"
    );
}

#[test]
fn links_are_rewritten_or_dropped() {
    insta::assert_snapshot!(render("See [other](other.md#why), [a draft](draft.md) and [the web](https://example.com).\n", false), @r###"<p>See <a href="../other/index.html#why">other</a>, a draft and <a href="https://example.com">the web</a>.</p>"###);
}

#[test]
fn code_is_highlighted_with_classes() {
    insta::assert_snapshot!(render("```python\nx = \"<b>\"\n```\n\n```\nplain <code>\n```\n", false));
}

#[test]
fn tables_footnotes_task_lists_and_punctuation() {
    insta::assert_snapshot!(render(
        "| A | B |\n|---|---|\n| 1 | ~~2~~ |\n\nA note[^n] -- \"quoted\".\n\n- [ ] @ana Open item (due 2026-12-01)\n- [x] Done item\n\n[^n]: The note.\n",
        false
    ));
}

const RAW_HTML: &str = "## Why\n\n<details>\n<summary>More</summary>\n\nInside [why](#why).\n\n</details>\n\n<script>alert(1)</script>\n\nPress <kbd>Ctrl</kbd> <b onclick=\"alert(2)\">now</b><!-- note -->\n";

#[test]
fn raw_html_is_sanitized() {
    insta::assert_snapshot!(render_with(RAW_HTML, false, RawHtml::Sanitize), @r###"
    <h2 id="why">Why <a class="anchor" href="#why" aria-label="Link to this section">#</a></h2>
    <details>
    <summary>More</summary>
    <p>Inside <a href="#why">why</a>.</p>
    </details>

    <p>Press <kbd>Ctrl</kbd> <b>now</b></p>
    "###);
}

#[test]
fn raw_html_is_escaped() {
    insta::assert_snapshot!(render_with(RAW_HTML, false, RawHtml::Escape), @r###"
    <h2 id="why">Why <a class="anchor" href="#why" aria-label="Link to this section">#</a></h2>
    <p class="raw-html">&lt;details&gt;
    &lt;summary&gt;More&lt;/summary&gt;</p>
    <p>Inside <a href="#why">why</a>.</p>
    <p class="raw-html">&lt;/details&gt;</p>
    <p class="raw-html">&lt;script&gt;alert(1)&lt;/script&gt;</p>
    <p>Press &lt;kbd&gt;Ctrl&lt;/kbd&gt; &lt;b onclick="alert(2)"&gt;now&lt;/b&gt;</p>
    "###);
}

#[test]
fn raw_html_is_allowed() {
    insta::assert_snapshot!(render_with(RAW_HTML, false, RawHtml::Allow), @r###"
    <h2 id="why">Why <a class="anchor" href="#why" aria-label="Link to this section">#</a></h2>
    <details>
    <summary>More</summary>
    <p>Inside <a href="#why">why</a>.</p>
    </details>
    <script>alert(1)</script>
    <p>Press <kbd>Ctrl</kbd> <b onclick="alert(2)">now</b><!-- note --></p>
    "###);
}

#[test]
fn unsafe_urls_keep_only_their_text() {
    insta::assert_snapshot!(render(
        "[a](javascript:alert(1)) [b][r] <vbscript:x> ![c](data:text/html,x) ![d](data:image/png;base64,AA) [e](&#x6a;avascript:x)\n\n[r]: <java\tscript:x>\n",
        false
    ), @r###"<p>a b vbscript:x c <img src="data:image/png;base64,AA" alt="d" /> e</p>"###);
}

const RAW_LINKS: &str = "<p>\n<a class=\"x\"\n  href=\"other.md#why\">other</a>\n</p>\n\nA <a href=\"draft.md\">draft</a>, <img src=\"other.md#why\" alt=\"other.md#why\"> and [[docs]](other.md#why).\n";

#[test]
fn raw_html_links_are_rewritten_or_dropped() {
    insta::assert_snapshot!(render_with(RAW_LINKS, false, RawHtml::Sanitize), @r###"
    <p>
    <a class="x" href="../other/index.html#why">other</a>
    </p>
    <p>A <a>draft</a>, <img src="../other/index.html#why" alt="other.md#why"> and <a href="../other/index.html#why">[docs]</a>.</p>
    "###);
    // Shown as text, it is shown as written.
    insta::assert_snapshot!(render_with(RAW_LINKS, false, RawHtml::Escape), @r###"
    <p class="raw-html">&lt;p&gt;
    &lt;a class=&quot;x&quot;
      href=&quot;other.md#why&quot;&gt;other&lt;/a&gt;
    &lt;/p&gt;</p>
    <p>A &lt;a href="draft.md"&gt;draft&lt;/a&gt;, &lt;img src="other.md#why" alt="other.md#why"&gt; and <a href="../other/index.html#why">[docs]</a>.</p>
    "###);
}
