//! Lines: one line of metadata text, in the two forms it is read in (as written, and with each
//! link replaced by a placeholder), and the `Key: value` shape of header lines.

use std::ops::Range;

use super::blocks::Link;

/// Stands for a link in [`Line::scan`], so that phrases are matched in the text around links and
/// never in a link's own text or destination.
pub(super) const LINK: char = '\u{FFFC}';

/// A logical line of a block, without list marker and HTML comments (`<!-- optional -->`), with
/// whitespace runs (including a wrapped line's break and indent) collapsed to one space.
#[derive(Debug)]
pub(super) struct Line {
    /// The text as written, for values kept "as written" (`RFC PR: [rust-lang/rfcs#2](…)`).
    pub(super) raw: String,
    /// `raw` with each link replaced by [`LINK`]: where status words and relations are read.
    pub(super) scan: String,
    /// The links [`LINK`] stands for, in order.
    pub(super) links: Vec<Link>,
    /// The bytes of the file the line covers, surrounding whitespace excluded.
    pub(super) span: Range<usize>,
}

impl Line {
    pub(super) fn new(text: &str, range: Range<usize>, links: &[Link]) -> Option<Line> {
        let source = text.get(range.clone())?;
        let mut line = Line {
            raw: String::with_capacity(source.len()),
            scan: String::with_capacity(source.len()),
            links: Vec::new(),
            span: range.start + (source.len() - source.trim_start().len())
                ..range.end - (source.len() - source.trim_end().len()),
        };
        let mut next_link = links.partition_point(|link| link.span.start < range.start);
        let mut at = range.start;
        while let Some(rest) = text.get(at..range.end).filter(|rest| !rest.is_empty()) {
            // Links that started inside a skipped comment are passed over.
            while links.get(next_link).is_some_and(|link| link.span.start < at) {
                next_link += 1;
            }
            if let Some(link) = links.get(next_link).filter(|link| link.span.start == at) {
                next_link += 1;
                if link.span.end > at && link.span.end <= range.end {
                    push_collapsed(&mut line.raw, text.get(link.span.clone()).unwrap_or_default());
                    line.scan.push(LINK);
                    line.links.push(link.clone());
                    at = link.span.end;
                    continue;
                }
            }
            if rest.starts_with("<!--") {
                at += rest
                    .get(4..)
                    .and_then(|after| after.find("-->"))
                    .map_or(rest.len(), |end| end + 7);
                continue;
            }
            // Plain text, up to the next link or comment: at least its first character.
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let link = (links[next_link..].iter()).find_map(|l| l.span.start.checked_sub(at).filter(|&d| d > 0));
            let comment = rest.find("<!--");
            let end = [link, comment].into_iter().flatten().fold(rest.len(), usize::min);
            let end = if end > first && rest.is_char_boundary(end) {
                end
            } else {
                first
            };
            let plain = &rest[..end];
            push_collapsed(&mut line.raw, plain);
            // A stray U+FFFC in the text must not be taken for a link.
            match plain.contains(LINK) {
                true => push_collapsed(&mut line.scan, &plain.replace(LINK, " ")),
                false => push_collapsed(&mut line.scan, plain),
            }
            at += end;
        }
        line.raw.truncate(line.raw.trim_end().len());
        line.scan.truncate(line.scan.trim_end().len());
        (!line.raw.is_empty()).then_some(line)
    }

    pub(super) fn scan(&self) -> Scan<'_> {
        Scan {
            text: &self.scan,
            links: &self.links,
            span: &self.span,
        }
    }

    /// Splits a `Key: value` line. The key must look like one (`Status`, `RFC PR #`,
    /// `Decision-makers`, `**Date**`), so that prose and URLs (`https://…`) are not taken for keys.
    pub(super) fn key_value(&self) -> Option<KeyValue<'_>> {
        let (key, raw) = self.raw.split_once(':')?;
        // No link can come before the colon of a valid key (keys have no `[` or `<`), so the
        // first colon of `scan` is the same colon.
        let (_, scan) = self.scan.split_once(':')?;
        let key = key.trim().trim_matches(['*', '_']).trim();
        if !is_key(key) {
            return None;
        }
        Some(KeyValue {
            key,
            raw: value_after_colon(raw)?,
            scan: Scan {
                text: value_after_colon(scan)?,
                links: &self.links,
                span: &self.span,
            },
        })
    }
}

/// Appends `text`, turning each run of whitespace into one space and dropping whitespace at the
/// start of `out`.
fn push_collapsed(out: &mut String, text: &str) {
    for (i, word) in text.split(char::is_whitespace).enumerate() {
        if i > 0 && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Whether `key` (the text before a colon) can be a metadata key rather than prose.
fn is_key(key: &str) -> bool {
    key.chars().next().is_some_and(char::is_alphabetic)
        && key.chars().count() <= 40
        && key.split_whitespace().count() <= 5
        && key.chars().all(|c| c.is_alphanumeric() || " -_#()/'.&".contains(c))
}

/// The value after a key's colon (and the closing `**` of `**Status:** x`); `None` when the colon
/// is not followed by a space, as in `https://` or `10:30`.
fn value_after_colon(after: &str) -> Option<&str> {
    let value = after.trim_start_matches(['*', '_']);
    (value.is_empty() || value.starts_with(char::is_whitespace)).then(|| value.trim())
}

/// A `Key: value` line.
pub(super) struct KeyValue<'a> {
    /// The key as written, without emphasis.
    pub(super) key: &'a str,
    /// The value as written.
    pub(super) raw: &'a str,
    /// The value with its links, for status words and relations.
    pub(super) scan: Scan<'a>,
}

/// Text where links stand as [`LINK`], with the links and the line they were read from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scan<'a> {
    pub(super) text: &'a str,
    /// The links of `text`, in order (none of the line's links come before `text`).
    pub(super) links: &'a [Link],
    /// The line it was read from, in bytes of the file.
    pub(super) span: &'a Range<usize>,
}

/// Whether `text` has no words: only whitespace, punctuation and emphasis marks, as between the
/// parts of a metadata line (`Accepted.`, `superseded by [x](y);`).
pub(super) fn is_filler(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '-' | '–' | '—' | '(' | ')' | '*' | '_' | '`')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(text: &str, written: &str) -> Link {
        let start = text.find(written).expect("the link is in the text");
        Link {
            dest: String::new(),
            span: start..start + written.len(),
        }
    }

    #[test]
    fn a_line_collapses_whitespace_and_drops_comments_around_links() {
        let text = "  Status:\tAccepted <!-- or rejected --> by  [ADR 2](2.md),\n   über \u{FFFC} x  ";
        let links = [link(text, "[ADR 2](2.md)")];
        let line = Line::new(text, 0..text.len(), &links).unwrap();
        assert_eq!(line.raw, "Status: Accepted by [ADR 2](2.md), über \u{FFFC} x");
        // The link is a placeholder, and a stray placeholder character is a space.
        assert_eq!(line.scan, "Status: Accepted by \u{FFFC}, über x");
        assert_eq!(line.links.len(), 1);
        assert_eq!(&text[line.span], text.trim());
    }

    #[test]
    fn a_link_past_the_line_or_inside_a_comment_is_text() {
        let text = "a <!-- [b](b.md) --> [c](c.md)";
        let inside = link(text, "[b](b.md)");
        let past = link(text, "[c](c.md)");
        let line = Line::new(text, 0..text.len() - 1, &[inside, past]).unwrap();
        assert_eq!(line.raw, "a [c](c.md");
        assert!(line.links.is_empty());
        // An unclosed comment runs to the end of the line.
        assert!(Line::new("<!-- x", 0..6, &[]).is_none());
    }

    #[test]
    fn a_link_that_starts_inside_a_character_is_passed_over() {
        let text = "aé b";
        let inside = Link {
            dest: String::new(),
            span: 2..4,
        };
        let line = Line::new(text, 0..text.len(), &[inside]).unwrap();
        assert_eq!((line.raw.as_str(), line.links.len()), ("aé b", 0));
    }
}
