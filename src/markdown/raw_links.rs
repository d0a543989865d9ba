//! URLs in raw HTML (`<img src="diagram.png">`, `<a href="other.md">`): found when a page is
//! loaded, so that they are resolved and checked as Markdown links are, and rewritten when it is
//! rendered, since the page's file `guides/intro.md` becomes `guides/intro/index.html` and a URL
//! relative to the file would miss from there.
//!
//! Raw HTML is read with a tokenizer that follows the HTML standard (html5gum), never with
//! patterns: quotes or none, character references, names in any case, a tag over several lines,
//! a repeated attribute (the first counts) and text in `<script>` that looks like a tag are all
//! read as a browser reads them. The parser gives an HTML block line by line, so a block is read
//! whole, and inline HTML one tag at a time.

use std::convert::Infallible;
use std::ops::Range;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};
use pulldown_cmark::{CowStr, Event, TagEnd};

use super::{LinkRef, LinkRewrite, Outline};
use crate::config::RawHtml;

/// The attributes, by element, whose values are URLs of what a page links to or shows.
pub(super) const URL_ATTRIBUTES: [(&str, &str); 10] = [
    ("a", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("iframe", "src"),
    ("track", "src"),
];

/// A URL written in an attribute of raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlLink {
    /// The element it is in (`img`).
    pub element: &'static str,
    /// The attribute it is the value of (`src`), or one URL of (`srcset`).
    pub attribute: &'static str,
    /// The URL (character references read) and where it is written in the file.
    pub link: LinkRef,
}

/// The URLs of raw HTML that reach a rendered page under one `[markdown] raw_html` setting, so
/// the ones to check: none where raw HTML is shown as text, those of the attributes that the
/// sanitizer keeps (`<a href>`, `<img src>`), or all of them where raw HTML is kept as written.
#[derive(Debug, Default)]
pub struct ShownHtmlUrls {
    attributes: Vec<(&'static str, &'static str)>,
}

impl ShownHtmlUrls {
    /// The URLs shown under `raw_html`.
    pub fn new(raw_html: RawHtml) -> Self {
        let attributes = match raw_html {
            RawHtml::Escape => Vec::new(),
            RawHtml::Sanitize => super::sanitize::kept_attributes(&URL_ATTRIBUTES),
            RawHtml::Allow => URL_ATTRIBUTES.to_vec(),
        };
        ShownHtmlUrls { attributes }
    }

    /// The URLs of raw HTML in `outline` that its page shows.
    pub fn of<'a>(&'a self, outline: &'a Outline) -> impl Iterator<Item = &'a LinkRef> {
        outline
            .html_links
            .iter()
            .filter(|l| self.attributes.contains(&(l.element, l.attribute)))
            .map(|l| &l.link)
    }
}

/// Takes in the raw HTML of a body as [`super::scan`] reads its events.
#[derive(Debug, Default)]
pub(super) struct RawHtmlReader {
    /// The HTML block being read.
    block: Pieces,
}

impl RawHtmlReader {
    /// Reads `event`, at bytes `range` of `text` (the whole file): the ids and URLs of raw HTML
    /// go to `outline`, an HTML block's once the block ends.
    pub(super) fn read(&mut self, event: &Event<'_>, text: &str, range: Range<usize>, outline: &mut Outline) {
        match event {
            Event::Html(html) => self.block.push(html, text, range),
            Event::End(TagEnd::HtmlBlock) => std::mem::take(&mut self.block).read_into(outline),
            Event::InlineHtml(html) => {
                let mut tag = Pieces::default();
                tag.push(html, text, range);
                tag.read_into(outline);
            }
            _ => {}
        }
    }
}

/// Raw HTML in the pieces the parser gives it, each with the bytes of the file it came from.
#[derive(Debug, Default)]
struct Pieces {
    html: String,
    /// For each piece: where it starts in `html`, where in the file, and whether it is the file's
    /// text as written (else a position in it stands for the piece's start).
    starts: Vec<(usize, usize, bool)>,
}

impl Pieces {
    fn push(&mut self, piece: &str, text: &str, range: Range<usize>) {
        let exact = text.get(range.clone()) == Some(piece);
        self.starts.push((self.html.len(), range.start, exact));
        self.html.push_str(piece);
    }

    /// The bytes of the file that bytes `range` of the HTML came from.
    fn in_file(&self, range: Range<usize>) -> Range<usize> {
        let at = self.starts.partition_point(|(start, ..)| *start <= range.start);
        let Some(&(start, file, exact)) = at.checked_sub(1).and_then(|at| self.starts.get(at)) else {
            return 0..0;
        };
        if exact {
            file + range.start - start..file + range.end - start
        } else {
            file..file
        }
    }

    fn read_into(self, outline: &mut Outline) {
        for attribute in start_tag_attributes(&self.html) {
            if attribute.name == "id" {
                outline.other_ids.push(attribute.value);
                continue;
            }
            let Some(&(element, name)) = URL_ATTRIBUTES
                .iter()
                .find(|(element, name)| *element == attribute.element && *name == attribute.name)
            else {
                continue;
            };
            // Offsets in the value are offsets in the HTML when no character reference was read.
            let as_written = self.html.get(attribute.value_at.clone()) == Some(attribute.value.as_str());
            for url in urls(name, &attribute.value) {
                let at = if as_written {
                    attribute.value_at.start + url.start..attribute.value_at.start + url.end
                } else {
                    attribute.value_at.clone()
                };
                outline.html_links.push(HtmlLink {
                    element,
                    attribute: name,
                    link: LinkRef {
                        dest: attribute.value[url].to_string(),
                        image: element == "img" || name == "poster",
                        wiki: false,
                        span: self.in_file(at),
                        definition: None,
                    },
                });
            }
        }
    }
}

/// `html` (an HTML block, or one inline tag) with the URLs of its [`URL_ATTRIBUTES`] replaced,
/// kept or left out as `rewrite` says. An attribute left without a URL is left out whole, so that
/// a link to a page this build leaves out keeps only its text (`<a>text</a>`), as in Markdown.
pub(super) fn rewrite_urls<'a>(html: CowStr<'a>, rewrite: &dyn Fn(&str) -> LinkRewrite) -> CowStr<'a> {
    let mut out: Option<String> = None;
    let mut copied = 0;
    for attribute in start_tag_attributes(&html) {
        // Attributes come in order; one that did not would be left as written.
        let Some(before) = html.get(copied..attribute.whole.start) else {
            continue;
        };
        let Some(replacement) = rewritten(&attribute, rewrite) else {
            continue;
        };
        let out = out.get_or_insert_default();
        out.push_str(before);
        out.push_str(&replacement);
        copied = attribute.whole.end;
    }
    match out {
        None => html,
        Some(mut out) => {
            out.push_str(&html[copied..]);
            out.into()
        }
    }
}

/// The text that replaces `attribute` (`src="../diagram.png"`, or nothing), when it changes.
fn rewritten(attribute: &Attribute, rewrite: &dyn Fn(&str) -> LinkRewrite) -> Option<String> {
    let (_, name) = URL_ATTRIBUTES
        .iter()
        .find(|(element, name)| *element == attribute.element && *name == attribute.name)?;
    let value = &attribute.value;
    let mut new = None;
    let mut copied = 0;
    for url in urls(name, value) {
        let (replaced, by) = match rewrite(&value[url.clone()]) {
            LinkRewrite::Keep => continue,
            LinkRewrite::To(to) => (url, to),
            // A `srcset` candidate goes with its descriptors, up to the next one.
            LinkRewrite::Unlink => {
                let end = value[url.end..].find(',').map_or(value.len(), |comma| url.end + comma);
                (url.start..end, String::new())
            }
        };
        let new: &mut String = new.get_or_insert_default();
        new.push_str(&value[copied..replaced.start]);
        new.push_str(&by);
        copied = replaced.end;
    }
    let mut new = new?;
    new.push_str(&value[copied..]);
    if urls(name, &new).is_empty() {
        return Some(String::new());
    }
    Some(format!("{name}=\"{}\"", super::escape(&new)))
}

/// The URLs in the value of the attribute `name`, as bytes of it: the whole value but the spaces
/// around it, or for `srcset` (`a.png 1x, b.png 2x`) the first word of each candidate.
fn urls(name: &str, value: &str) -> Vec<Range<usize>> {
    if name != "srcset" {
        let start = value.len() - value.trim_start_matches(is_space).len();
        let end = value.trim_end_matches(is_space).len();
        return (start < end).then_some(start..end).into_iter().collect();
    }
    // The standard's candidate list, without reading the descriptors: a URL is what follows
    // spaces and commas up to a space (commas at its end are not part of it), and its
    // descriptors run to the next comma outside parentheses.
    let bytes = value.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace() || *b == b',') {
            at += 1;
        }
        let start = at;
        while bytes.get(at).is_some_and(|b| !b.is_ascii_whitespace()) {
            at += 1;
        }
        let url = value[start..at].trim_end_matches(',');
        if url.len() == at - start {
            let mut depth = 0usize;
            while let Some(&b) = bytes.get(at).filter(|b| **b != b',' || depth > 0) {
                match b {
                    b'(' => depth += 1,
                    b')' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                at += 1;
            }
        }
        if !url.is_empty() {
            found.push(start..start + url.len());
        }
    }
    found
}

/// The space characters of HTML, which browsers strip around a URL.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{c}' | '\r')
}

/// An attribute of a start tag, with its value as a browser reads it.
#[derive(Debug)]
struct Attribute {
    /// The tag's name, lowercase.
    element: String,
    /// The attribute's name, lowercase.
    name: String,
    /// The value, character references read.
    value: String,
    /// Where the value is written (inside its quotes), in bytes of the HTML.
    value_at: Range<usize>,
    /// Where the whole attribute is written, from its name to the end of its value.
    whole: Range<usize>,
}

/// The attributes with a value of the start tags in `html`, in order. Of an attribute given
/// twice in a tag only the first counts, as in a browser; attributes of end tags and of a tag
/// that the HTML ends in the middle of are not attributes of anything.
fn start_tag_attributes(html: &str) -> Vec<Attribute> {
    let mut found = Vec::new();
    // The open start tag: its name, the names given so far, and its attributes.
    let mut tag: Option<(String, Vec<String>, Vec<Attribute>)> = None;
    // The attribute whose value comes next, and where its name starts; `None` for a repeat.
    let mut current: Option<(String, usize)> = None;
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, span: Span<usize>| -> Option<Infallible> {
        match event {
            CallbackEvent::OpenStartTag { name } => tag = Some((text(name), Vec::new(), Vec::new())),
            CallbackEvent::AttributeName { name } => {
                current = tag.as_mut().and_then(|(_, names, _)| {
                    let name = text(name);
                    if names.contains(&name) {
                        return None;
                    }
                    names.push(name.clone());
                    Some((name, span.start))
                });
            }
            CallbackEvent::AttributeValue { value } => {
                if let (Some((element, _, attributes)), Some((name, start))) = (tag.as_mut(), current.take()) {
                    let quoted = span.start.checked_sub(1).and_then(|q| html.as_bytes().get(q));
                    let closing = html.as_bytes().get(span.end);
                    let end = match (quoted, closing) {
                        (Some(q @ (b'"' | b'\'')), Some(c)) if q == c => span.end + 1,
                        _ => span.end,
                    };
                    attributes.push(Attribute {
                        element: element.clone(),
                        name,
                        value: text(value),
                        value_at: span.start..span.end,
                        whole: start..end,
                    });
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                found.extend(tag.take().map(|(_, _, attributes)| attributes).into_iter().flatten())
            }
            CallbackEvent::EndTag { .. } => tag = None,
            _ => {}
        }
        None
    });
    // `<script>`, `<style>`, `<textarea>` and the like hold text, not tags.
    emitter.naively_switch_states(true);
    Tokenizer::new_with_emitter(html, emitter).for_each(drop);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(body: &str) -> Vec<(String, &'static str, String)> {
        let outline = super::super::scan(body, 0, super::super::options(true));
        outline
            .html_links
            .iter()
            .map(|l| (l.link.dest.clone(), l.attribute, body[l.link.span.clone()].to_string()))
            .collect()
    }

    #[test]
    fn urls_are_read_as_a_browser_reads_them() {
        let body = "<div>\n<img\n  SRC='a b.png' src=\"second.png\">\n<a href=x&amp;y.md>x</a>\n</div>\n\n\
            Text <a href=\" c.md \">c</a> <span data-src=\"no.png\"></span> <video src=\"v.mp4\"></video>\n\n\
            <script>let s = '<a href=\"nope.md\">';</script>\n\n<!-- <img src=\"old.png\"> -->\n";
        assert_eq!(
            links(body),
            [
                ("a b.png".into(), "src", "a b.png".into()),
                ("x&y.md".into(), "href", "x&amp;y.md".into()),
                ("c.md".into(), "href", "c.md".into()),
                ("v.mp4".into(), "src", "v.mp4".into()),
            ]
        );
    }

    #[test]
    fn srcset_lists_several_urls() {
        assert_eq!(
            urls("srcset", " a.png 1x,b.png, c(1).png 2x , "),
            [1..6, 10..15, 17..25]
        );
        assert_eq!(urls("src", "  "), Vec::<Range<usize>>::new());
        let body = "<img srcset=\"small.png 480w, big.png 2x\">\n";
        let found: Vec<String> = links(body).into_iter().map(|(_, _, at)| at).collect();
        assert_eq!(found, ["small.png", "big.png"]);
    }

    #[test]
    fn ids_come_from_any_element() {
        let outline = super::super::scan(
            "<p>\n<span\nid=\"here\"></span>\n</p>\n",
            0,
            super::super::options(true),
        );
        assert_eq!(outline.find_id("here"), Some("here"));
    }

    #[test]
    fn urls_are_rewritten_in_place() {
        let rewrite = |url: &str| match url {
            "a.png" => LinkRewrite::To("../a.png".into()),
            "draft.md" => LinkRewrite::Unlink,
            "q.md" => LinkRewrite::To("../q/index.html?x=\"1\"&y".into()),
            _ => LinkRewrite::Keep,
        };
        let html = "<img alt=\"a.png\" src=a.png srcset=\"a.png 1x, b.png 2x\"><a class=x href='draft.md'>d</a><a href=\"q.md\">";
        assert_eq!(
            &*rewrite_urls(html.into(), &rewrite),
            "<img alt=\"a.png\" src=\"../a.png\" srcset=\"../a.png 1x, b.png 2x\"><a class=x >d</a><a href=\"../q/index.html?x=&quot;1&quot;&amp;y\">"
        );
        assert!(matches!(
            rewrite_urls("<p>a.png</p>".into(), &rewrite),
            CowStr::Borrowed(_)
        ));
        assert_eq!(
            &*rewrite_urls("<img srcset=\"draft.md 1x, b.png 2x\">".into(), &rewrite),
            "<img srcset=\", b.png 2x\">"
        );
    }
}
