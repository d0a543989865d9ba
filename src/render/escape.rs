//! What makes rendered text safe for the format it lands in, beyond what each value's own
//! escaping does.
//!
//! Templates escape every value for HTML and XML alike ([`escape_markup`]). Then every rendered
//! file loses the characters that XML 1.0 forbids anywhere (its `Char` production: C0 controls
//! other than tab, line feed and carriage return, and U+FFFE and U+FFFF; lone surrogates cannot
//! occur in Rust strings). A title holding U+0001 would otherwise make `feed.xml` malformed, and
//! feed readers drop a malformed feed whole. HTML calls the same characters parse errors, so
//! pages lose them too. Each becomes U+FFFD, as the HTML parser does with NUL, so a reader can
//! see that something was there.

use std::io::{self, Write};

/// Tera's escape function for `.html` and `.xml` templates: `&`, `<`, `>`, `"` and `'` become
/// references, so a value is safe in text and in attributes quoted either way (a theme may quote
/// with `'`, which Tera's fast escaping leaves alone).
pub(super) fn escape_markup(text: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let reference = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_all(&text.as_bytes()[start..at])?;
        out.write_all(reference.as_bytes())?;
        start = at + 1;
    }
    out.write_all(&text.as_bytes()[start..])
}

/// `json` made safe to write inside `<script type="application/json">`: the HTML parser ends
/// the element at the first `</script` whatever the JSON means, and `<!--` changes how it
/// looks for that end, so a title could break out into the page. Every `<`, `>` and `&` (which
/// JSON has only inside strings) becomes its JSON escape, which `JSON.parse` reads back as the
/// same character.
pub(super) fn json_in_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Whether XML 1.0 forbids `c` in a document.
fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether `bytes` may hold a character that XML 1.0 forbids: a C0 control other than tab,
/// line feed and carriage return, or a byte that starts U+FFFE or U+FFFF (0xEF) in UTF-8.
/// Most text has none: the bytes are looked at a block at a time without branching, which the
/// compiler turns into vector instructions (the print page of a large handbook is tens of
/// megabytes).
fn suspect(bytes: &[u8]) -> bool {
    bytes.chunks(64).any(|block| {
        block.iter().fold(false, |found, &b| {
            found | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xEF)
        })
    })
}

/// Whether `text` holds a character that XML 1.0 forbids.
pub(crate) fn holds_forbidden(text: &str) -> bool {
    suspect(text.as_bytes()) && text.chars().any(forbidden)
}

/// `text` with every character that XML 1.0 forbids replaced by U+FFFD.
pub(crate) fn replace_forbidden(text: String) -> String {
    if !holds_forbidden(&text) {
        return text;
    }
    text.chars()
        .map(|c| if forbidden(c) { '\u{fffd}' } else { c })
        .collect()
}

/// A writer of UTF-8 text that replaces every character XML 1.0 forbids by U+FFFD on its way
/// to `out`, as [`replace_forbidden`] does to a whole text: for a file rendered straight into
/// its file rather than into memory. A character may come split over two writes.
pub(super) struct ReplacingForbidden<W> {
    out: W,
    /// The last two bytes written, for U+FFFE and U+FFFF (`EF BF BE`, `EF BF BF`), whose last
    /// byte alone is replaced (by `BD`, giving U+FFFD).
    last: [u8; 2],
}

impl<W: Write> ReplacingForbidden<W> {
    pub(super) fn new(out: W) -> Self {
        ReplacingForbidden { out, last: [0; 2] }
    }

    /// The writer it writes to.
    pub(super) fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Write for ReplacingForbidden<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // A U+FFFE or U+FFFF may have begun in the last write.
        let pending = self.last.contains(&0xEF);
        if !pending && !suspect(buf) {
            self.out.write_all(buf)?;
        } else {
            let mut start = 0;
            let mut last = self.last;
            for (at, &b) in buf.iter().enumerate() {
                let replacement: &[u8] = match b {
                    b'\t' | b'\n' | b'\r' => &[],
                    0..0x20 => "\u{fffd}".as_bytes(),
                    0xBE | 0xBF if last == [0xEF, 0xBF] => &[0xBD],
                    _ => &[],
                };
                last = [last[1], b];
                if !replacement.is_empty() {
                    self.out.write_all(&buf[start..at])?;
                    self.out.write_all(replacement)?;
                    start = at + 1;
                }
            }
            self.out.write_all(&buf[start..])?;
        }
        self.last = match buf {
            [.., a, b] => [*a, *b],
            [b] => [self.last[1], *b],
            [] => self.last,
        };
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_references() {
        let mut out = Vec::new();
        escape_markup("a<b>&\"c\"'d'é", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;é"
        );
    }

    #[test]
    fn json_in_a_script_cannot_close_it() {
        let json = serde_json::to_string(&["</script><!-- & \"x\" '"]).unwrap();
        let safe = json_in_script(&json);
        assert_eq!(safe, r#"["\u003c/script\u003e\u003c!-- \u0026 \"x\" '"]"#);
        let back: Vec<String> = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, ["</script><!-- & \"x\" '"]);
    }

    #[test]
    fn forbidden_characters_are_replaced() {
        let text = "a\u{1}b\u{fffe}c\u{ffff}d\te\nf\r\u{0}\u{7f}\u{feff}".to_string();
        assert_eq!(
            replace_forbidden(text),
            "a\u{fffd}b\u{fffd}c\u{fffd}d\te\nf\r\u{fffd}\u{7f}\u{feff}"
        );
        assert_eq!(replace_forbidden("plain ｆｕｌｌ".into()), "plain ｆｕｌｌ");
        // Anywhere in a long text: the bytes are looked at 64 at a time.
        for at in [0, 63, 64, 65, 127, 128, 1000] {
            let text = format!("{}\u{8}{}", "a".repeat(at), "b".repeat(100));
            let expected = format!("{}\u{fffd}{}", "a".repeat(at), "b".repeat(100));
            assert_eq!(replace_forbidden(text), expected, "at {at}");
        }
    }

    /// `text` written through [`ReplacingForbidden`] in pieces cut at `cuts` (byte offsets,
    /// wherever they fall: a character may be split).
    fn written_in_pieces(text: &str, cuts: &[usize]) -> String {
        let mut out = ReplacingForbidden::new(Vec::new());
        let mut cuts: Vec<usize> = cuts.iter().map(|&cut| cut % (text.len() + 1)).collect();
        cuts.sort_unstable();
        let mut start = 0;
        for cut in cuts.into_iter().chain([text.len()]) {
            out.write_all(&text.as_bytes()[start..cut]).unwrap();
            start = cut;
        }
        String::from_utf8(out.out).unwrap()
    }

    #[test]
    fn a_writer_replaces_as_the_whole_text_is_replaced_however_it_is_cut() {
        let text = "a\u{1}b\u{fffe}c\u{ffff}d\te\nf\r\u{0}\u{7f}\u{feff}\u{fffd}\u{efbf}ｆ";
        let whole = replace_forbidden(text.to_string());
        assert_eq!(written_in_pieces(text, &[]), whole);
        for cut in 0..=text.len() {
            for second in cut..=text.len() {
                assert_eq!(
                    written_in_pieces(text, &[cut, second]),
                    whole,
                    "cut at {cut} and {second}"
                );
            }
        }
        // A long clean text, and one with a character to replace past the first blocks.
        let long = format!("{}\u{ffff}{}", "é".repeat(100), "b".repeat(100));
        assert_eq!(
            written_in_pieces(&long, &[200, 201, 202]),
            replace_forbidden(long.clone())
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_cut_anywhere_is_written_as_it_is_replaced(
            text in "[a\\x00-\\x1f\u{fffd}-\u{ffff}\u{efbf}é\t\n]{0,40}",
            cuts in proptest::collection::vec(0usize..200, 0..6),
        ) {
            proptest::prop_assert_eq!(written_in_pieces(&text, &cuts), replace_forbidden(text.clone()));
        }
    }
}
