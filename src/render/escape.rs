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

/// `text` with every character that XML 1.0 forbids replaced by U+FFFD.
pub(super) fn replace_forbidden(text: String) -> String {
    // Most files have none: look at bytes first, a block at a time without branching, which
    // the compiler turns into vector instructions (the print page of a large handbook is tens of
    // megabytes). U+FFFE and U+FFFF start with 0xEF in UTF-8.
    let suspect = text.as_bytes().chunks(64).any(|block| {
        block.iter().fold(false, |found, &b| {
            found | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xEF)
        })
    });
    if !suspect || !text.chars().any(forbidden) {
        return text;
    }
    text.chars()
        .map(|c| if forbidden(c) { '\u{fffd}' } else { c })
        .collect()
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
}
