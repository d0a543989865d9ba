//! Markdown to HTML, with heading anchors, rewritten links and highlighted code.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::{Highlighter, Outline};

/// What to do with a link or image destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRewrite {
    /// Leave it as written (external links, `mailto:`, …).
    Keep,
    /// Replace it (a `.md` link becomes the target page's relative URL).
    To(String),
    /// Drop the link but keep its text (the target is left out of this build).
    Unlink,
}

/// Renders `body` to HTML.
///
/// `outline` must be the outline of the same body: headings get the ids it chose, so anchors
/// checked at resolve time are the ones rendered. With `strip_leading_h1` the heading that the
/// page's title came from is left out, since the template shows the title.
pub fn to_html(
    body: &str,
    options: Options,
    outline: &Outline,
    strip_leading_h1: bool,
    rewrite: &dyn Fn(&str) -> LinkRewrite,
    highlighter: Option<&Highlighter>,
) -> String {
    let mut events = Vec::new();
    let mut headings = outline.headings.iter();
    let mut skipping_h1 = strip_leading_h1 && outline.leading_h1.is_some();
    let mut unlinked = Vec::new();
    let mut code: Option<(String, String)> = None;
    let mut heading_id = String::new();

    for event in Parser::new_ext(body, options) {
        if skipping_h1 {
            if let Event::End(TagEnd::Heading(_)) = event {
                skipping_h1 = false;
                headings.next();
            }
            continue;
        }
        if let Some((language, text)) = &mut code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    events.push(Event::Html(code_block(language, text, highlighter).into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, classes, .. }) => {
                heading_id = escape(headings.next().map_or("", |h| h.id.as_str()));
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape(&classes.join(" ")))
                };
                events.push(Event::Html(format!("<{level} id=\"{heading_id}\"{class}>").into()));
            }
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::Html(
                    format!(" <a class=\"anchor\" href=\"#{heading_id}\" aria-label=\"Link to this section\">#</a></{level}>\n").into(),
                ));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match rewrite(&dest_url) {
                LinkRewrite::Unlink => unlinked.push(true),
                other => {
                    unlinked.push(false);
                    let dest_url = apply(other, dest_url);
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            },
            Event::End(TagEnd::Link) => {
                if !unlinked.pop().unwrap_or(false) {
                    events.push(event);
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = apply(rewrite(&dest_url), dest_url);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((language, String::new()));
            }
            Event::Start(Tag::Table(_)) => {
                // Wide tables scroll sideways on narrow screens instead of squeezing the page.
                events.push(Event::Html("<div class=\"table-scroll\" tabindex=\"0\">\n".into()));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html("</div>\n".into()));
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

fn apply(rewrite: LinkRewrite, original: CowStr<'_>) -> CowStr<'_> {
    match rewrite {
        LinkRewrite::To(url) => url.into(),
        _ => original,
    }
}

fn code_block(language: &str, code: &str, highlighter: Option<&Highlighter>) -> String {
    let highlighted = highlighter
        .filter(|_| !language.is_empty())
        .and_then(|h| h.highlight(code, language));
    let body = highlighted.unwrap_or_else(|| escape(code));
    if language.is_empty() {
        format!("<pre class=\"code\"><code>{body}</code></pre>\n")
    } else {
        let language = escape(language);
        format!(
            "<pre class=\"code\" data-lang=\"{language}\"><code class=\"language-{language}\">{body}</code></pre>\n"
        )
    }
}

/// The text of `body` without markup, cut at a word boundary after about `limit` characters:
/// for feed summaries.
pub fn plain_text(body: &str, limit: usize) -> String {
    let mut text = String::new();
    for event in Parser::new(body) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !text.ends_with(' ') => text.push(' '),
            _ => {}
        }
        if text.len() > limit * 2 {
            break;
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= limit {
        return text;
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// A line of inline Markdown (an imported record's `RFC PR: [#1](…)`) as HTML, without the
/// paragraph around it.
pub fn inline_html(text: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new(text));
    let trimmed = out.trim();
    trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string()
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}
