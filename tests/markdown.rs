//! Snapshots of the HTML that Markdown becomes: heading anchors, rewritten links, code, tables,
//! footnotes and task lists. Update with `INSTA_UPDATE=always cargo test --test markdown` and
//! review the diff.

use handbook::config::RawHtml;
use handbook::markdown::{self, Highlighter, LinkRewrite};

fn render(body: &str, strip_h1: bool) -> String {
    let options = markdown::options(true);
    let outline = markdown::scan(body, 0, options);
    let rewrite = |dest: &str| match dest {
        "other.md#why" => LinkRewrite::To("../other/index.html#why".into()),
        "draft.md" => LinkRewrite::Unlink,
        _ => LinkRewrite::Keep,
    };
    let html = markdown::HtmlOptions {
        parse: options,
        raw_html: RawHtml::Sanitize,
        highlighter: Some(&Highlighter),
    };
    markdown::to_html(body, &html, &outline, strip_h1, &rewrite)
}

#[test]
fn headings_get_ids_and_anchor_links() {
    insta::assert_snapshot!(render("# Title\n\n## Why we do it\n\n## Why we do it\n\n### Custom {#mine .wide}\n", true), @r###"
    <h2 id="why-we-do-it">Why we do it <a class="anchor" href="#why-we-do-it" aria-label="Link to this section">#</a></h2>
    <h2 id="why-we-do-it-1">Why we do it <a class="anchor" href="#why-we-do-it-1" aria-label="Link to this section">#</a></h2>
    <h3 id="mine" class="wide">Custom <a class="anchor" href="#mine" aria-label="Link to this section">#</a></h3>
    "###);
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
