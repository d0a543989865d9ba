//! Action items: task-list items of a meeting summary, read as `@owner What to do (due DATE)`.

use std::ops::Range;

use pulldown_cmark::{Event, Tag};

use crate::content::ActionItem;
use crate::dates;

/// What an action item's `(due …)` must look like, for advice.
const DUE_FORMAT: &str = "(due YYYY-MM-DD), e.g. (due 2026-12-01)";

/// A `(due …)` in an action item whose date cannot be read: a date that is not in the calendar
/// (`2026-02-30`) or not written `YYYY-MM-DD` (`2026-2-3`, `12/01`). Such an item would
/// otherwise lose its due date without a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadDueDate {
    /// The date as written (`2026-02-30`), empty when there is none (`(due)`).
    pub written: String,
    /// Where it is, in bytes of the whole file.
    pub span: Range<usize>,
}

impl BadDueDate {
    /// What is wrong, in one sentence.
    pub fn message(&self) -> String {
        if self.written.is_empty() {
            "this action item's `(due …)` has no date".to_string()
        } else if dates::parse_date(&self.written).is_none() && looks_like_iso_date(&self.written) {
            format!(
                "this action item's due date `{}` is not a day of the calendar",
                self.written
            )
        } else {
            format!("this action item's due date `{}` is not a date", self.written)
        }
    }

    /// How to write it.
    pub fn help(&self) -> String {
        format!("write the due date as {DUE_FORMAT}")
    }
}

/// `2026-02-30`: written as a date, though perhaps not one that exists.
fn looks_like_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// An action item in the making: its state, line, source bytes and text so far.
#[derive(Debug)]
pub(super) struct ItemDraft {
    pub(super) done: bool,
    pub(super) line: usize,
    /// Where the item starts, in bytes of the whole file.
    pub(super) start: usize,
    pub(super) text: String,
    /// Whether the item is nothing but its words so far (see [`ItemDraft::observe`]).
    pub(super) plain: bool,
}

impl ItemDraft {
    /// Notes what `event`, read after the item's box, adds to it. Anything but words, code and
    /// emphasis (a link, an image, raw HTML, a footnote reference, struck-out text, a nested
    /// list or block, a second paragraph) is more than a list of action items shows, so a
    /// meeting keeps such an item in its body.
    pub(super) fn observe(&mut self, event: &Event<'_>) {
        self.plain &= matches!(
            event,
            Event::Text(_)
                | Event::Code(_)
                | Event::SoftBreak
                | Event::HardBreak
                | Event::Start(Tag::Emphasis | Tag::Strong)
                | Event::End(_)
        );
    }

    /// Reads the finished item, which ends at byte `end` of `file`: `@owner Do the thing (due
    /// 2026-12-01)` into its parts, and a due date it cannot read into a [`BadDueDate`].
    pub(super) fn finish(self, file: &str, end: usize) -> (ActionItem, Option<BadDueDate>) {
        let mut text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut due = None;
        let mut bad = None;
        if let Some(marker) = find_due(&text) {
            match dates::parse_date(&marker.date) {
                Some(date) => {
                    due = Some(date);
                    text.replace_range(marker.range, "");
                    text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                }
                None if marker.meant_as_date() => {
                    let span = locate(file, self.start..end, &marker.date);
                    bad = Some(BadDueDate {
                        written: marker.date,
                        span,
                    });
                }
                None => {}
            }
        }
        let text = text.trim();
        let (owner, text) = match text.strip_prefix('@') {
            Some(rest) => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let owner = rest[..end].trim_end_matches([':', ',']);
                (Some(owner.to_string()), rest[end..].trim())
            }
            None => (None, text),
        };
        let item = ActionItem {
            text: text.trim().to_string(),
            owner,
            due,
            done: self.done,
            line: self.line,
            in_body: !self.plain,
        };
        (item, bad)
    }
}

/// A `(due …)` found in an item's text.
struct DueMarker {
    /// The whole marker, `(due 2026-12-01)`, in the item's text.
    range: Range<usize>,
    /// What stands between `(due` (and a colon) and `)`, trimmed.
    date: String,
    /// Whether `due` is followed by a colon (`(due: …)`).
    colon: bool,
}

impl DueMarker {
    /// Whether the marker is meant to give a date, so that one it cannot read is a mistake
    /// rather than prose: it has a colon, starts with a digit, is closed with nothing in it, or
    /// is not closed at all. `(due to the outage)` is prose.
    fn meant_as_date(&self) -> bool {
        self.colon || self.date.is_empty() || self.date.starts_with(|c: char| c.is_ascii_digit())
    }
}

/// The first `(due …)` of `text`: `(due` followed by a space, a colon or `)`.
fn find_due(text: &str) -> Option<DueMarker> {
    let mut from = 0;
    while let Some(at) = text[from..].find("(due") {
        let start = from + at;
        let after = &text[start + 4..];
        if after.starts_with([' ', ':', ')']) || after.is_empty() {
            let close = after.find(')').map_or(text.len(), |i| start + 4 + i + 1);
            let inner = text[start + 4..close].trim_end_matches(')').trim();
            let colon = inner.starts_with(':');
            let date = inner.trim_start_matches(':').trim().to_string();
            return Some(DueMarker {
                range: start..close,
                date,
                colon,
            });
        }
        from = start + 4;
    }
    None
}

/// The bytes of `date` after the `(due` in `item` (a range of `file`); the `(due` itself when
/// the date is empty, and the item's start if neither is found (it was split over lines).
fn locate(file: &str, item: Range<usize>, date: &str) -> Range<usize> {
    let source = &file[item.clone()];
    let Some(marker) = source.find("(due") else {
        return item.start..item.start;
    };
    let marker_start = item.start + marker;
    let after = marker_start + 4;
    match file[after..item.end].find(date) {
        Some(at) if !date.is_empty() => after + at..after + at + date.len(),
        _ => marker_start..after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn read(line: &str) -> (ActionItem, Option<BadDueDate>) {
        let file = format!("- [ ] {line}\n");
        let draft = ItemDraft {
            done: false,
            line: 1,
            start: 2,
            text: line.to_string(),
            plain: true,
        };
        draft.finish(&file, file.len())
    }

    #[test]
    fn due_dates_are_read_and_removed_from_the_text() {
        let (item, bad) = read("@alice Draft the rota (due 2026-12-01) soon");
        assert_eq!(item.due, Some(date(2026, 12, 1)));
        assert_eq!(item.text, "Draft the rota soon");
        assert_eq!(bad, None);
        assert_eq!(read("Pay (due: 2026-12-01)").0.due, Some(date(2026, 12, 1)));
    }

    #[test]
    fn unreadable_due_dates_are_reported_where_they_are_written() {
        for (line, written) in [
            ("@bob Fix (due 2026-02-30)", "2026-02-30"),
            ("Fix (due 2026-2-3)", "2026-2-3"),
            ("Fix (due: tomorrow)", "tomorrow"),
            ("Fix (due 12/01/2026)", "12/01/2026"),
            ("Fix (due)", ""),
        ] {
            let (item, bad) = read(line);
            let bad = bad.unwrap_or_else(|| panic!("{line}: not reported"));
            assert_eq!(bad.written, written, "{line}");
            assert_eq!(item.due, None, "{line}");
            let file = format!("- [ ] {line}\n");
            let shown = &file[bad.span.clone()];
            assert_eq!(shown, if written.is_empty() { "(due" } else { written }, "{line}");
            assert!(bad.help().contains("(due YYYY-MM-DD)"), "{line}");
        }
        let (_, bad) = read("Fix (due 2026-02-30)");
        assert!(bad.unwrap().message().contains("not a day of the calendar"));
        let (item, bad) = read("Fix (due 2026-12-01");
        assert_eq!(
            (item.due, bad),
            (Some(date(2026, 12, 1)), None),
            "an unclosed one is still clear"
        );
    }

    #[test]
    fn prose_about_what_something_is_due_to_is_left_alone() {
        for line in [
            "Delay (due to the outage)",
            "Check (duet) tuning",
            "Do the due diligence",
        ] {
            let (item, bad) = read(line);
            assert_eq!((item.due, bad), (None, None), "{line}");
            assert_eq!(item.text, line);
        }
    }
}
