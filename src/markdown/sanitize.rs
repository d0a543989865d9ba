//! `raw_html = "sanitize"`: the HTML of a body that holds raw HTML, cleaned with ammonia.
//!
//! Raw HTML comes in pieces (`<details>` in one block, the Markdown inside it, `</details>` in
//! another), so the whole rendered body is cleaned at once, as GitHub and GitLab do. The
//! allow-list is therefore ammonia's (common formatting tags: `details`/`summary`, `img`, `kbd`,
//! `sup`/`sub`, `br`, tables, `a href`, …) plus what the renderer itself writes: heading `id`s
//! and `class`es, the anchor links' `aria-label`, task-list checkboxes, code blocks'
//! `data-lang`, the scrolling table wrapper and table-cell alignment. Removed: `<script>` and
//! `<style>` with their content, every event handler, `style` (it can restyle or cover the page),
//! forms, frames, `<svg>` and comments; URLs follow [`crate::urls`].

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::urls::{UrlUse, unsafe_scheme};

/// `html` without anything that could run code or restyle the page. `schemes` are the schemes of
/// the Markdown links in it, already checked against [`crate::urls`], which stay linked.
pub(super) fn clean(html: &str, schemes: &BTreeSet<String>) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(&["input"])
        .add_generic_attributes(&["id", "class"])
        .add_tag_attributes("a", &["aria-label"])
        .add_tag_attributes("details", &["open"])
        .add_tag_attributes("div", &["tabindex"])
        .add_tag_attributes("pre", &["data-lang"])
        .add_tag_attributes("input", &["disabled", "checked"])
        .add_tag_attribute_values("input", "type", &["checkbox"])
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
    builder.clean(html).to_string()
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
<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\">\nDone</li></ul>\n\
<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-source\">fn</span></code></pre>";
        assert_eq!(clean_html(html), html);
    }

    #[test]
    fn schemes_of_markdown_links_stay() {
        let html = "<a href=\"obsidian://open?vault=x\">note</a>";
        assert_eq!(clean_html(html), "<a>note</a>");
        let schemes = BTreeSet::from(["obsidian".to_string()]);
        assert_eq!(clean(html, &schemes), html);
    }
}
