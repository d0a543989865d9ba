//! Smart punctuation that leaves command-line flags alone.
//!
//! pulldown-cmark's smart punctuation turns every `--` into an en dash and `---` into an em
//! dash, so prose about `cargo build --release` would tell readers to type `–release`. The
//! parser gives each dash it makes as a text event of its own, over the hyphens it replaces, so
//! a dash whose hyphens stand where a flag does is put back as written: a run of two or more
//! hyphens that starts a word (nothing but a letter or digit counts as a word before it) and is
//! followed at once by a letter or digit. `a -- b`, `10--20` and `well---no` keep their dashes,
//! and quotes still curl. Code spans and blocks are not smartened in the first place.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

/// `event` as shown, where `range` is its place in `source`: a dash made of the hyphens of a
/// flag (`--release`, `---x`) becomes those hyphens again.
pub(super) fn flags_as_written<'a>(event: Event<'a>, range: &Range<usize>, source: &'a str) -> Event<'a> {
    match event {
        Event::Text(text) if is_made_dash(&text) && is_flag(source, range) => {
            Event::Text(CowStr::Borrowed(&source[range.clone()]))
        }
        other => other,
    }
}

/// Whether `text` is only dashes, as smart punctuation makes them from hyphens.
fn is_made_dash(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c == '–' || c == '—')
}

/// Whether `range` of `source` is two or more hyphens that open a word and are followed by a
/// letter or digit.
fn is_flag(source: &str, range: &Range<usize>) -> bool {
    let Some(hyphens) = source.get(range.clone()) else {
        return false;
    };
    let before = source[..range.start].chars().next_back();
    let after = source[range.end..].chars().next();
    hyphens.len() >= 2
        && hyphens.bytes().all(|b| b == b'-')
        && !before.is_some_and(char::is_alphanumeric)
        && after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::*;

    /// The HTML of `markdown` with smart punctuation, flags kept.
    fn smart(markdown: &str) -> String {
        let events = Parser::new_ext(markdown, Options::ENABLE_SMART_PUNCTUATION)
            .into_offset_iter()
            .map(|(event, range)| flags_as_written(event, &range, markdown));
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events);
        html
    }

    #[test]
    fn flags_keep_their_hyphens() {
        assert_eq!(
            smart("Build with --remap-path-prefix, -x or ---all (--2 too) and \"--flag\".\n"),
            "<p>Build with --remap-path-prefix, -x or ---all (--2 too) and “--flag”.</p>\n"
        );
        assert_eq!(smart("--release at the start\n"), "<p>--release at the start</p>\n");
        assert_eq!(smart("*--emphasised*\n"), "<p><em>--emphasised</em></p>\n");
    }

    #[test]
    fn dashes_in_prose_stay_dashes() {
        assert_eq!(
            smart("a -- b, 10--20, well---no, a ---\nand end --\n"),
            "<p>a – b, 10–20, well—no, a —\nand end –</p>\n"
        );
        assert_eq!(smart("'quoted' \"words\"...\n"), "<p>‘quoted’ “words”…</p>\n");
    }

    #[test]
    fn code_is_never_touched() {
        assert_eq!(
            smart("`a -- \"b\"` and\n\n    --flag -- \"x\"\n"),
            "<p><code>a -- \"b\"</code> and</p>\n<pre><code>--flag -- \"x\"\n</code></pre>\n"
        );
    }

    #[test]
    fn text_that_is_not_made_of_hyphens_is_left_alone() {
        let source = "–x";
        let event = flags_as_written(Event::Text("–".into()), &(0..3), source);
        assert_eq!(event, Event::Text("–".into()));
        // A range that does not fall on characters is no flag, and no panic.
        assert!(!is_flag("é--x", &(1..3)));
    }
}
