//! Markdown to HTML, with heading anchors, rewritten links, highlighted code, footnotes at the
//! end, GitHub's alerts as callouts and task-list boxes that are not form controls.
//!
//! Content is untrusted (the handbook builds pull requests), so every renderer here passes its
//! events through one [`Guard`]: raw HTML follows `[markdown] raw_html`, and a link or image whose
//! URL breaks the rule of [`crate::urls`] keeps only its text.

use std::collections::BTreeSet;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::footnotes::Notes;
use super::{Body, Highlighter, Outline, raw_links, sanitize};
use crate::config::RawHtml;
use crate::urls::{UrlUse, unsafe_scheme};

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

/// How a body becomes HTML.
#[derive(Debug, Clone, Copy)]
pub struct HtmlOptions<'a> {
    /// The Markdown extensions to parse with ([`super::options`]).
    pub parse: Options,
    /// What raw HTML may do.
    pub raw_html: RawHtml,
    /// Highlights fenced code blocks that name a language it knows.
    pub highlighter: Option<&'a Highlighter>,
}

/// Renders `body` to HTML, without the blocks it skips.
///
/// `outline` must be the outline of the same body: headings get the ids it chose, so anchors
/// checked at resolve time are the ones rendered. With `strip_leading_h1` the heading that the
/// page's title came from is left out, since the template shows the title.
pub fn to_html(
    body: Body<'_>,
    options: &HtmlOptions<'_>,
    outline: &Outline,
    strip_leading_h1: bool,
    rewrite: &dyn Fn(&str) -> LinkRewrite,
) -> String {
    let mut events = Vec::new();
    let mut guard = Guard::new(options.raw_html);
    let mut notes = Notes::new(&outline.footnotes);
    let mut headings = outline.headings.iter();
    let mut skipping_h1 = strip_leading_h1 && outline.leading_h1.is_some();
    let mut code: Option<(String, String)> = None;
    let mut heading_id = String::new();
    // The level of the last heading shown: the page's title is the h1.
    let mut outline_level = 1;
    let mut heading_tag = String::new();

    let mut in_head = false;
    let mut parsed = body.events(options.parse).peekable();
    while let Some((event, _)) = parsed.next() {
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
                    let html = code_block(language, text, options.highlighter);
                    notes.push(&mut events, Event::Html(html.into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                notes.open(&label);
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                notes.close();
                continue;
            }
            Event::FootnoteReference(label) => notes.reference(&label),
            Event::Start(Tag::Heading { level, classes, .. }) => {
                heading_id = escape(headings.next().map_or("", |h| h.id.as_str()));
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape(&classes.join(" ")))
                };
                // A heading is at most one level below the one before it (`####` after `##`
                // is an h3), so that the outline skips no level (WCAG 1.3.1, axe's
                // heading-order): readers of screen readers move through a page by levels.
                outline_level = (level as usize).min(outline_level + 1);
                heading_tag = format!("h{outline_level}");
                Event::Html(format!("<{heading_tag} id=\"{heading_id}\"{class}>").into())
            }
            Event::End(TagEnd::Heading(_)) => Event::Html(
                format!(
                    " <a class=\"anchor\" href=\"#{heading_id}\" aria-label=\"Link to this section\">#</a></{heading_tag}>\n"
                )
                .into(),
            ),
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((language, String::new()));
                continue;
            }
            Event::Start(Tag::Table(_)) => {
                // Wide tables scroll sideways on narrow screens instead of squeezing the page.
                notes.push(
                    &mut events,
                    Event::Html("<div class=\"table-scroll\" tabindex=\"0\">\n".into()),
                );
                event
            }
            Event::End(TagEnd::Table) => {
                notes.push(&mut events, event);
                Event::Html("</div>\n".into())
            }
            Event::Start(Tag::TableHead) | Event::End(TagEnd::TableHead) => {
                in_head = matches!(event, Event::Start(_));
                event
            }
            // An empty header cell (the corner of a two-way table) heads nothing: a plain cell,
            // as screen readers would otherwise announce an empty header (axe's
            // empty-table-header).
            Event::Start(Tag::TableCell)
                if in_head && matches!(parsed.peek(), Some((Event::End(TagEnd::TableCell), _))) =>
            {
                parsed.next();
                Event::Html("<td></td>".into())
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => Event::Html(callout(kind).into()),
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html("</div>\n".into()),
            Event::TaskListMarker(done) => Event::Html(task_marker(done).into()),
            other => match guard.filter(other, rewrite) {
                Some(event) => event,
                None => continue,
            },
        };
        notes.push(&mut events, event);
    }
    events.extend(notes.finish().map(|section| Event::Html(section.into())));
    let mut out = String::with_capacity(body.markdown().len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    guard.finish(out)
}

/// The opening of a GitHub alert (`> [!WARNING]`): a box with its kind as a title, which
/// assistive technology announces as a note rather than a quotation.
fn callout(kind: BlockQuoteKind) -> String {
    let (class, title) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!("<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n")
}

/// A task-list item's box: drawn, not a form control (which would need a label and could not be
/// ticked anyway), with its state in words for screen readers.
fn task_marker(done: bool) -> &'static str {
    if done {
        "<span class=\"task-box done\" aria-hidden=\"true\">\u{2611}\u{fe0e}</span><span class=\"visually-hidden\">Done: </span>"
    } else {
        "<span class=\"task-box\" aria-hidden=\"true\">\u{2610}\u{fe0e}</span><span class=\"visually-hidden\">Not done: </span>"
    }
}

/// Applies the raw-HTML policy and the URL rule to the events of one body.
struct Guard {
    raw_html: RawHtml,
    /// Whether raw HTML was kept, so that the output must be sanitized.
    kept_html: bool,
    /// The text of the HTML block being read.
    block: Option<String>,
    /// The schemes of the links kept: the sanitizer keeps them too.
    schemes: BTreeSet<String>,
    /// For each open link, whether it is kept.
    links: Vec<bool>,
    /// For each open image, whether it is kept.
    images: Vec<bool>,
}

impl Guard {
    fn new(raw_html: RawHtml) -> Self {
        Guard {
            raw_html,
            kept_html: false,
            block: None,
            schemes: BTreeSet::new(),
            links: Vec::new(),
            images: Vec::new(),
        }
    }

    /// The event to render in place of `event`, if any. A dropped link or image leaves its text.
    fn filter<'a>(&mut self, event: Event<'a>, rewrite: &dyn Fn(&str) -> LinkRewrite) -> Option<Event<'a>> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.destination(rewrite(&dest_url), dest_url, UrlUse::Link);
                self.links.push(dest.is_some());
                dest.map(|dest_url| {
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                })
            }
            Event::End(TagEnd::Link) => self.links.pop().unwrap_or(true).then_some(event),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.destination(rewrite(&dest_url), dest_url, UrlUse::Image);
                self.images.push(dest.is_some());
                dest.map(|dest_url| {
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                })
            }
            Event::End(TagEnd::Image) => self.images.pop().unwrap_or(true).then_some(event),
            Event::Start(Tag::HtmlBlock) => {
                self.block = Some(String::new());
                None
            }
            Event::End(TagEnd::HtmlBlock) if self.raw_html == RawHtml::Escape => {
                let text = self.block.take().unwrap_or_default();
                let text = text.trim_end();
                (!is_comment(text)).then(|| Event::Html(format!("<p class=\"raw-html\">{}</p>\n", escape(text)).into()))
            }
            Event::Html(html) | Event::InlineHtml(html) if self.block.is_some() => {
                self.block.get_or_insert_default().push_str(&html);
                None
            }
            Event::Html(html) | Event::InlineHtml(html) if self.raw_html == RawHtml::Escape => {
                (!is_comment(&html)).then_some(Event::Text(html))
            }
            // A block is read whole, since a tag may span its lines.
            Event::End(TagEnd::HtmlBlock) => {
                let block = self.block.take().unwrap_or_default();
                self.kept_html = true;
                Some(Event::Html(raw_links::rewrite_urls(block.into(), rewrite)))
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                self.kept_html = true;
                Some(Event::InlineHtml(raw_links::rewrite_urls(html, rewrite)))
            }
            other => Some(other),
        }
    }

    /// Where a link or image goes once rewritten, or `None` when it keeps only its text: its
    /// target is left out, or its URL is unsafe.
    fn destination<'a>(&mut self, rewrite: LinkRewrite, original: CowStr<'a>, usage: UrlUse) -> Option<CowStr<'a>> {
        let dest = match rewrite {
            LinkRewrite::Unlink => return None,
            LinkRewrite::To(url) => url.into(),
            LinkRewrite::Keep => original,
        };
        if unsafe_scheme(&dest, usage).is_some() {
            return None;
        }
        if let Some(scheme) = crate::urls::scheme(&dest) {
            self.schemes.insert(scheme.to_ascii_lowercase());
        }
        Some(dest)
    }

    /// The HTML of the body, sanitized when raw HTML was kept under `raw_html = "sanitize"`.
    fn finish(self, html: String) -> String {
        if self.kept_html && self.raw_html == RawHtml::Sanitize {
            sanitize::clean(&html, &self.schemes)
        } else {
            html
        }
    }
}

/// Whether `html` is one HTML comment, which `raw_html = "escape"` drops rather than shows: it
/// shows nothing when rendered either.
fn is_comment(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| !inner.contains("-->"))
}

/// Lines of code longer than this may not fit a phone (about 38 characters fit at 390 px, fewer on
/// smaller phones): a block with one scrolls sideways, so it takes keyboard focus to be scrolled.
const PHONE_CODE_WIDTH: usize = 30;

fn code_block(language: &str, code: &str, highlighter: Option<&Highlighter>) -> String {
    let highlighted = highlighter
        .filter(|_| !language.is_empty())
        .and_then(|h| h.highlight(code, language));
    let body = highlighted.unwrap_or_else(|| escape(code));
    // A group, not a region: regions are landmarks, and several named "Code" would be a
    // landmark list of the same name over and over.
    let focus = if code
        .lines()
        .any(|line| line.chars().count() + 3 * line.matches('\t').count() > PHONE_CODE_WIDTH)
    {
        " tabindex=\"0\" role=\"group\" aria-label=\"Code\""
    } else {
        ""
    };
    if language.is_empty() {
        format!("<pre class=\"code\"{focus}><code>{body}</code></pre>\n")
    } else {
        let language = escape(language);
        format!(
            "<pre class=\"code\" data-lang=\"{language}\"{focus}><code class=\"language-{language}\">{body}</code></pre>\n"
        )
    }
}

/// The text of `body` without markup, cut at a word boundary after about `limit` characters:
/// for feed summaries.
pub fn plain_text(body: Body<'_>, limit: usize) -> String {
    let mut text = String::new();
    // Task lists on, so that an item's `[ ]` is a marker to leave out, not text.
    for (event, _) in body.events(Options::ENABLE_TASKLISTS) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !text.ends_with(' ') => text.push(' '),
            _ => {}
        }
        if text.len() > limit * 2 {
            break;
        }
    }
    cut_at_word(&text.split_whitespace().collect::<Vec<_>>().join(" "), limit)
}

/// `text` when it has at most `limit` characters, else its start cut after the last whole word
/// that fits, with `…`.
pub fn cut_at_word(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// A line of inline Markdown (an imported record's `RFC PR: [#1](…)`) as HTML, without the
/// paragraph around it, under the same rules for raw HTML and URLs as a whole body.
pub fn inline_html(text: &str, raw_html: RawHtml) -> String {
    let mut guard = Guard::new(raw_html);
    let events: Vec<Event<'_>> = Parser::new(text)
        .filter_map(|event| guard.filter(event, &|_| LinkRewrite::Keep))
        .collect();
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    let out = guard.finish(out);
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
