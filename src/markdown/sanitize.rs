//! `raw_html = "sanitize"`: the HTML of a body that holds raw HTML, cleaned with ammonia.
//!
//! Raw HTML comes in pieces (`<details>` in one block, the Markdown inside it, `</details>` in
//! another), so the whole rendered body is cleaned at once, as GitHub and GitLab do. The
//! allow-list is therefore ammonia's (common formatting tags: `details`/`summary`, `img`, `kbd`,
//! `sup`/`sub`, `br`, tables, `a href`, …) plus what the renderer itself writes: heading `id`s
//! and `class`es, the anchor links' `aria-label`, task-list boxes, code blocks' `data-lang`, the
//! scrolling table wrapper, table-cell alignment, the footnotes' `section` and links, and the
//! callouts' `role="note"`. Removed: `<script>` and
//! `<style>` with their content, every event handler, `style` (it can restyle or cover the page),
//! forms, frames, `<svg>` and comments; URLs follow [`crate::urls`].

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::urls::{UrlUse, unsafe_scheme};

/// `html` without anything that could run code or restyle the page. `schemes` are the schemes of
/// the Markdown links in it, already checked against [`crate::urls`], which stay linked.
pub(super) fn clean(html: &str, schemes: &BTreeSet<String>) -> String {
    builder(schemes).clean(html).to_string()
}

/// Of the `(element, attribute)` pairs, those whose attribute sanitizing keeps.
pub(super) fn kept_attributes<'a>(pairs: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let schemes = BTreeSet::new();
    let builder = builder(&schemes);
    let (tags, attributes, generic) = (
        builder.clone_tags(),
        builder.clone_tag_attributes(),
        builder.clone_generic_attributes(),
    );
    pairs
        .iter()
        .filter(|(element, attribute)| {
            tags.contains(element)
                && (generic.contains(attribute) || attributes.get(element).is_some_and(|a| a.contains(attribute)))
        })
        .copied()
        .collect()
}

fn builder(schemes: &BTreeSet<String>) -> ammonia::Builder<'_> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(&["section"])
        .add_generic_attributes(&["id", "class"])
        .add_tag_attributes("a", &["aria-label", "aria-describedby"])
        .add_tag_attributes("details", &["open"])
        .add_tag_attributes("div", &["tabindex"])
        .add_tag_attribute_values("div", "role", &["note"])
        .add_tag_attributes("section", &["aria-labelledby"])
        .add_tag_attributes("span", &["aria-hidden"])
        .add_tag_attributes("pre", &["data-lang", "tabindex", "aria-label"])
        .add_tag_attribute_values("pre", "role", &["group"])
        .add_tag_attributes("th", &["style"])
        .add_tag_attributes("td", &["style"])
        .filter_style_properties(["text-align"].into())
        // `data:` only passes ammonia's scheme list so that the rule below can keep
        // `data:image/…` image sources.
        .add_url_schemes(&["data"])
        .add_url_schemes(schemes.iter().map(String::as_str))
        .link_rel(None)
        .attribute_filter(|element, attribute, value| {
            let usage = match (element, attribute) {
                ("img", "src") => UrlUse::Image,
                (_, "href" | "src") => UrlUse::Link,
                _ => return Some(Cow::Borrowed(value)),
            };
            unsafe_scheme(value, usage).is_none().then_some(Cow::Borrowed(value))
        });
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean_html(html: &str) -> String {
        clean(html, &BTreeSet::new())
    }

    #[test]
    fn scripts_handlers_and_styles_go() {
        let html = clean_html(
            "<p onclick=\"x()\" style=\"position:fixed\">Hi<script>alert(1)</script><style>p{}</style></p><img src=x onerror=alert(1)>",
        );
        assert_eq!(html, "<p>Hi</p><img src=\"x\">");
    }

    #[test]
    fn unsafe_urls_go_and_images_may_be_data() {
        let html = clean_html(
            "<a href=\"JaVa&#x53;cript:alert(1)\">a</a><a href=\"data:text/html,x\">b</a><img src=\"data:image/png;base64,AA\">",
        );
        assert_eq!(html, "<a>a</a><a>b</a><img src=\"data:image/png;base64,AA\">");
    }

    #[test]
    fn what_the_renderer_writes_stays() {
        let html = "<h2 id=\"why\" class=\"wide\">Why <a class=\"anchor\" href=\"#why\" aria-label=\"Link to this section\">#</a></h2>\n\
<details open=\"\"><summary>More</summary><p><kbd>Ctrl</kbd> x<sup>2</sup></p></details>\n\
<div class=\"table-scroll\" tabindex=\"0\"><table><thead><tr><th style=\"text-align:center\">A</th></tr></thead></table></div>\n\
<ul><li><span class=\"task-box done\" aria-hidden=\"true\">☑︎</span><span class=\"visually-hidden\">Done: </span>\nDone</li></ul>\n\
<p>A<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" aria-describedby=\"footnotes\">1</a></sup></p>\n\
<div class=\"callout callout-tip\" role=\"note\">\n<p class=\"callout-title\">Tip</p>\n</div>\n\
<section class=\"footnotes\" aria-labelledby=\"footnotes\">\n<h2 id=\"footnotes\" class=\"visually-hidden\">Footnotes</h2>\n\
<ol>\n<li id=\"fn-1\">\n<p>Note <a href=\"#fnref-1\" class=\"footnote-backref\" aria-label=\"Back to reference 1\">↩︎<sup>2</sup></a></p>\n</li>\n</ol>\n</section>\n\
<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-source\">fn</span></code></pre>";
        assert_eq!(clean_html(html), html);
    }

    #[test]
    fn roles_other_than_note_go() {
        assert_eq!(
            clean_html("<div role=\"button\">x</div><div role=\"note\">y</div><input type=\"checkbox\">"),
            "<div>x</div><div role=\"note\">y</div>"
        );
    }

    #[test]
    fn kept_attributes_are_those_that_stay() {
        let pairs = [
            ("a", "href"),
            ("img", "src"),
            ("img", "srcset"),
            ("video", "src"),
            ("p", "title"),
        ];
        let kept = kept_attributes(&pairs);
        assert_eq!(kept, [("a", "href"), ("img", "src"), ("p", "title")]);
        for (element, attribute) in pairs {
            let html = format!("<{element} {attribute}=\"x\"></{element}>");
            let stays = clean_html(&html).contains("=\"x\"");
            assert_eq!(stays, kept.contains(&(element, attribute)), "{html}");
        }
    }

    #[test]
    fn schemes_of_markdown_links_stay() {
        let html = "<a href=\"obsidian://open?vault=x\">note</a>";
        assert_eq!(clean_html(html), "<a>note</a>");
        let schemes = BTreeSet::from(["obsidian".to_string()]);
        assert_eq!(clean(html, &schemes), html);
    }
}
