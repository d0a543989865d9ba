//! A page's body as it is shown: the Markdown after the front matter, less the blocks whose
//! content the page shows elsewhere (an imported record's `- Status:` bullets, its `## Status`
//! section, an RFC's header list: see [`crate::content::Page::consumed`]).
//!
//! Nothing is cut out of the text itself, so every position (of a link, a heading, a diagnostic)
//! stays the file's own; the parser's events for the skipped blocks are dropped instead.

use std::ops::Range;

use pulldown_cmark::{Event, Options};

use super::Outline;
use super::punctuation::flags_as_written;

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

    /// The parser's events for the blocks that are shown, with their ranges in bytes of `text`
    /// (command-line flags as written: see [`super::punctuation`]).
    pub fn events(self, options: Options) -> impl Iterator<Item = (Event<'a>, Range<usize>)> {
        let start = self.start;
        let markdown = self.markdown();
        let mut skipping = 0usize;
        super::bracketed::Events::new(markdown, options)
            .map(move |(event, range)| {
                let event = flags_as_written(event, &range, markdown);
                (event, range.start + start..range.end + start)
            })
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
pub fn hide_headings(outline: &mut Outline, body: Body<'_>) {
    if body.skip.is_empty() {
        return;
    }
    let shown: Vec<bool> = (outline.heading_spans.iter())
        .map(|span| !body.is_skipped(span))
        .collect();
    let mut keep = shown.iter();
    outline.headings.retain(|_| *keep.next().unwrap_or(&true));
    let mut keep = shown.iter();
    outline.heading_spans.retain(|_| *keep.next().unwrap_or(&true));
}

/// The blocks of a meeting's body that its list of action items shows instead: each action item
/// it shows in full (`items`, the outline's `plain_action_items`), and each heading (below the
/// first level, which may be the title) whose section then shows nothing, as the heading of a
/// record's `## Status` section goes with the status. An action item with more in it than the
/// list shows stays, and with it its heading.
///
/// `text` is the whole file, and `outline` its body's.
pub fn shown_as_action_items(text: &str, outline: &Outline) -> Vec<Range<usize>> {
    let items = outline.plain_action_items.as_slice();
    if items.is_empty() {
        return Vec::new();
    }
    let body = Body {
        text,
        start: 0,
        skip: items,
    };
    let levels = outline.headings.iter().map(|heading| heading.level);
    let headings: Vec<(u8, &Range<usize>)> = levels.zip(&outline.heading_spans).collect();
    let holds_item = |range: Range<usize>| {
        let next = items.partition_point(|item| item.start < range.start);
        items.get(next).is_some_and(|item| item.start < range.end)
    };
    let mut blocks = items.to_vec();
    // From the last heading back, with a stack of the sections after it: whether each is gone
    // (its heading too) and whether it held an item. Those of lower headings, up to the next
    // heading of its level or higher, are inside its section.
    let mut later: Vec<(u8, bool, bool)> = Vec::new();
    for (index, (level, heading)) in headings.iter().enumerate().rev() {
        let own = heading.end..headings.get(index + 1).map_or(text.len(), |(_, next)| next.start);
        let blank = text.get(own.clone()).is_none_or(|own| own.trim().is_empty());
        let mut shows_nothing = blank || body.is_skipped(&own);
        let mut held = holds_item(own);
        while let Some(&(inner, inner_gone, inner_held)) = later.last() {
            if inner <= *level {
                break;
            }
            shows_nothing &= inner_gone;
            held |= inner_held;
            later.pop();
        }
        let gone = shows_nothing && held && *level > 1;
        if gone {
            blocks.push((*heading).clone());
        }
        later.push((*level, gone, held));
    }
    blocks.sort_by_key(|block| block.start);
    blocks
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

    /// What is left of `text` once its action items are shown elsewhere.
    fn without_action_items(text: &str) -> String {
        let options = crate::markdown::options(true);
        let outline = super::super::scan(text, 0, options);
        let skip = shown_as_action_items(text, &outline);
        let body = Body {
            text,
            start: 0,
            skip: &skip,
        };
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, body.events(options).map(|(event, _)| event));
        html
    }

    #[test]
    fn action_items_and_the_headings_left_empty_go() {
        let text = "# Weekly\n\n## Notes\n\nText.\n\n## Action items\n\n### Ana\n\n- [ ] @ana Do it *now* (due 2026-12-01)\n- [x] Done\n\n### Ben\n\n- [ ] @ben Ship `x`\n\n## Later\n";
        assert_eq!(
            without_action_items(text),
            "<h1>Weekly</h1>\n<h2>Notes</h2>\n<p>Text.</p>\n<h2>Later</h2>\n",
            "an empty heading that held no item stays"
        );
    }

    #[test]
    fn action_items_with_more_than_words_stay_with_their_heading() {
        let text = "## Action items\n\n- [ ] @ana Read [the RFC](rfc.md)\n- [ ] @ben Plain\n\n### Sub\n\n- [ ] Item\n  - with a detail\n- [ ] ~~Dropped~~\n- [ ] Note[^1]\n\n1. [ ] Loose\n\n   with more\n\n[^1]: Why.\n";
        let html = without_action_items(text);
        for kept in [
            "<h2>Action items</h2>",
            "the RFC",
            "<h3>Sub</h3>",
            "with a detail",
            "Dropped",
            "Note",
            "with more",
        ] {
            assert!(html.contains(kept), "{kept}: {html}");
        }
        assert!(!html.contains("Plain"), "{html}");
        let plain = without_action_items("Intro.\n\n- [ ] @ana Plain words\n- not an action item\n");
        assert_eq!(plain, "<p>Intro.</p>\n<ul>\n<li>not an action item</li>\n</ul>\n");
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
        );
        let ids: Vec<&str> = outline.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["t", "context"]);
    }
}
