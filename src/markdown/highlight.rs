//! Syntax highlighting of fenced code blocks with syntect.
//!
//! Tokens get CSS classes (`hl-keyword`, `hl-string`, …) rather than inline colours, so the
//! theme's stylesheet can colour them for both light and dark mode.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The syntax definitions, loaded on first use (so a handbook without code blocks never pays for
/// them) and then kept for the life of the process, which `serve` renders with again and again.
static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

/// Highlights code.
#[derive(Debug, Default)]
pub struct Highlighter;

impl Highlighter {
    /// The HTML of `code` with token classes, or `None` when `language` is unknown.
    pub fn highlight(&self, code: &str, language: &str) -> Option<String> {
        let syntaxes = SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = syntaxes.find_syntax_by_token(language)?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, ClassStyle::SpacedPrefixed { prefix: "hl-" });
        for line in LinesWithEndings::from(code) {
            generator.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(generator.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes() {
        let html = Highlighter.highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("hl-storage"), "{html}");
        assert!(Highlighter.highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn code_is_escaped() {
        let html = Highlighter.highlight("a = \"<b>\"\n", "python").unwrap();
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }
}
