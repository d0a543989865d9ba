//! A page's body as it is shown: the Markdown after the front matter, less the blocks whose
//! content the page shows elsewhere (an imported record's `- Status:` bullets, its `## Status`
//! section, an RFC's header list: see [`crate::content::Page::consumed`]).
//!
//! Nothing is cut out of the text itself, so every position (of a link, a heading, a diagnostic)
//! stays the file's own; the parser's events for the skipped blocks are dropped instead.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::Outline;

/// The Markdown of a page and the blocks of it that are not shown.
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    /// The whole file.
    pub text: &'a str,
    /// Where the Markdown starts in `text` (after the front matter).
    pub start: usize,
    /// Bytes of `text` whose blocks are left out, sorted by start. A block (a paragraph, a list
    /// item, a list, a heading) is left out when nothing but whitespace of it lies outside them.
    pub skip: &'a [Range<usize>],
}

impl<'a> From<&'a str> for Body<'a> {
    /// A whole text of Markdown, all shown.
    fn from(text: &'a str) -> Body<'a> {
        Body {
            text,
            start: 0,
            skip: &[],
        }
    }
}

impl<'a> Body<'a> {
    /// The Markdown after the front matter.
    pub fn markdown(&self) -> &'a str {
        self.text.get(self.start..).unwrap_or_default()
    }

    /// The parser's events for the blocks that are shown, with their ranges in bytes of `text`.
    pub fn events(self, options: Options) -> impl Iterator<Item = (Event<'a>, Range<usize>)> {
        let start = self.start;
        let mut skipping = 0usize;
        super::bracketed::Events::new(self.markdown(), options)
            .map(move |(event, range)| (event, range.start + start..range.end + start))
            .filter(move |(event, range)| {
                if skipping > 0 {
                    match event {
                        Event::Start(_) => skipping += 1,
                        Event::End(_) => skipping -= 1,
                        _ => {}
                    }
                    return false;
                }
                if !self.is_skipped(range) {
                    return true;
                }
                if matches!(event, Event::Start(_)) {
                    skipping = 1;
                }
                false
            })
    }

    /// Whether the block at `range` is left out: `skip` covers all of it but whitespace.
    fn is_skipped(&self, range: &Range<usize>) -> bool {
        let mut next = self.skip.partition_point(|skip| skip.end <= range.start);
        if self.skip.get(next).is_none_or(|skip| skip.start >= range.end) {
            return false;
        }
        let bytes = self.text.as_bytes();
        let mut at = range.start;
        while at < range.end {
            if let Some(skip) = self.skip.get(next).filter(|skip| skip.start <= at) {
                at = at.max(skip.end);
                next += 1;
            } else if bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
                at += 1;
            } else {
                return false;
            }
        }
        true
    }
}

/// Drops from `outline` the headings of `body` that are not shown, so that the table of
/// contents and the search index name only headings the page has. The ids of the others are
/// kept as they were chosen.
pub fn hide_headings(outline: &mut Outline, body: Body<'_>, options: Options) {
    if body.skip.is_empty() {
        return;
    }
    let hidden: Vec<bool> = Parser::new_ext(body.markdown(), options)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Start(Tag::Heading { .. })))
        .map(|(_, range)| body.is_skipped(&(range.start + body.start..range.end + body.start)))
        .collect();
    let mut hidden = hidden.into_iter();
    outline.headings.retain(|_| !hidden.next().unwrap_or(false));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The HTML of `text` without the blocks `skip` (start, end) covers.
    fn shown(text: &str, skip: &[(usize, usize)]) -> String {
        let skip: Vec<Range<usize>> = skip.iter().map(|&(start, end)| start..end).collect();
        let body = Body {
            text,
            start: 0,
            skip: &skip,
        };
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, body.events(Options::empty()).map(|(event, _)| event));
        html
    }

    #[test]
    fn skipped_blocks_are_left_out_whole() {
        let text = "- Date: 2020-01-01\n- Status: accepted\n\nText.\n";
        // Both items: the list goes too.
        assert_eq!(shown(text, &[(0, 19), (19, 38)]), "<p>Text.</p>\n");
        // One item: the list stays with the other.
        assert_eq!(
            shown(text, &[(19, 38)]),
            "<ul>\n<li>Date: 2020-01-01</li>\n</ul>\n<p>Text.</p>\n"
        );
        // A range that covers part of a block leaves it.
        assert_eq!(
            shown("Date: 2020-01-01 and more\n", &[(0, 16)]),
            "<p>Date: 2020-01-01 and more</p>\n"
        );
        assert_eq!(shown(text, &[]), shown(text, &[(100, 200)]));
    }

    #[test]
    fn hidden_headings_leave_the_outline() {
        let text = "# T\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n";
        let mut outline = super::super::scan(text, 0, Options::empty());
        let status = text.find("## Status").unwrap()..text.find("## Context").unwrap();
        hide_headings(
            &mut outline,
            Body {
                text,
                start: 0,
                skip: std::slice::from_ref(&status),
            },
            Options::empty(),
        );
        let ids: Vec<&str> = outline.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["t", "context"]);
    }
}
