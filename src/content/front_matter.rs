//! Splitting a file into front matter and body, and parsing the front matter (TOML between `+++`
//! lines or YAML between `---` lines) into values that remember where they were written.

use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, SourceText};

/// The syntax of a front-matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Toml,
    Yaml,
}

/// A front-matter value and the bytes of the file it was read from.
#[derive(Debug, Clone)]
pub(super) struct Field {
    pub(super) value: Value,
    pub(super) span: Range<usize>,
}

/// A file split at the end of its front matter.
#[derive(Debug)]
pub(super) struct Split {
    /// Top-level keys of the front matter (empty when there is none).
    pub(super) fields: BTreeMap<String, Field>,
    /// The byte offset at which the Markdown body starts.
    pub(super) body_start: usize,
}

/// Splits `source` into front matter and body and parses the front matter.
pub(super) fn split(source: &SourceText<'_>) -> Result<Split, Diagnostic> {
    let text = source.text;
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let syntax = match text[..first_line_end].trim_end() {
        "+++" => Syntax::Toml,
        "---" => Syntax::Yaml,
        _ => {
            return Ok(Split {
                fields: BTreeMap::new(),
                body_start: 0,
            });
        }
    };
    let (block_end, body_start) = find_close(text, first_line_end, syntax).ok_or_else(|| {
        let fence = &text[..first_line_end].trim_end();
        Diagnostic::error("unclosed-front-matter", "the front matter is never closed")
            .at(source, 0..fence.len())
            .help(format!("end the front matter with a line holding only `{fence}`"))
    })?;
    let block = first_line_end..block_end;
    let fields = match syntax {
        Syntax::Toml => parse_toml(source, block)?,
        Syntax::Yaml => parse_yaml(source, block)?,
    };
    Ok(Split { fields, body_start })
}

/// The end of the block and the start of the body, when a closing fence follows `from`.
fn find_close(text: &str, from: usize, syntax: Syntax) -> Option<(usize, usize)> {
    let mut at = from;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        let line = text[at..end].trim_end();
        let closes = match syntax {
            Syntax::Toml => line == "+++",
            Syntax::Yaml => line == "---" || line == "...",
        };
        if closes {
            return Some((at, end));
        }
        at = end;
    }
    None
}

fn parse_toml(source: &SourceText<'_>, block: Range<usize>) -> Result<BTreeMap<String, Field>, Diagnostic> {
    let text = &source.text[block.clone()];
    let table: BTreeMap<String, toml::Spanned<toml::Value>> = toml::from_str(text).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        syntax_error(
            source,
            block.start + span.start..block.start + span.end,
            "TOML",
            err.message(),
        )
    })?;
    Ok(table
        .into_iter()
        .map(|(key, spanned)| {
            let span = spanned.span();
            let field = Field {
                value: toml_to_json(spanned.into_inner()),
                span: block.start + span.start..block.start + span.end,
            };
            (key, field)
        })
        .collect())
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

fn parse_yaml(source: &SourceText<'_>, block: Range<usize>) -> Result<BTreeMap<String, Field>, Diagnostic> {
    let text = &source.text[block.clone()];
    if text.trim().is_empty() {
        return Ok(BTreeMap::new());
    }
    let lines = BlockLines::new(text, block.start);
    let parsed: Result<BTreeMap<String, serde_saphyr::Spanned<Value>>, _> = serde_saphyr::from_str(text);
    let table = parsed.map_err(|err| yaml_error(source, &lines, block.clone(), &err))?;
    Ok(table
        .into_iter()
        .map(|(key, spanned)| {
            let start = lines.offset(spanned.referenced.line(), spanned.referenced.column());
            // Underline the value to the end of its line: the parser's span of a list or map
            // covers only its opening bracket.
            let end = source.text[start..block.end]
                .find(['\r', '\n'])
                .map_or(block.end, |i| start + i);
            let field = Field {
                value: spanned.value,
                span: start..end,
            };
            (key, field)
        })
        .collect())
}

/// The lines of a YAML block, to turn the parser's positions (1-based lines and columns in
/// characters, counted from the block's first line) into bytes of the whole file.
struct BlockLines<'a> {
    text: &'a str,
    /// Where the block starts in the file.
    offset: usize,
    /// Where each line starts in the block.
    starts: Vec<usize>,
}

impl<'a> BlockLines<'a> {
    fn new(text: &'a str, offset: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        BlockLines { text, offset, starts }
    }

    /// The byte of the file at `line` and `column` of the block (clamped to the line and the
    /// block).
    fn offset(&self, line: u64, column: u64) -> usize {
        let index = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
        let Some(&start) = self.starts.get(index) else {
            return self.offset + self.text.len();
        };
        let rest = &self.text[start..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
        let within = line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i);
        self.offset + start + within
    }
}

/// The tab that a tab error at byte `at` of `block` is about: `at` itself when it is one; else
/// one in the indentation just before it (the parser stopped after it); else the first after it
/// (the parser reports the start of the value it was reading, often on the line before the tab).
fn tab_near(block: &str, at: usize) -> usize {
    if block[at..].starts_with('\t') {
        return at;
    }
    let line_start = block[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &block[line_start..at];
    if before.trim_start_matches([' ', '\t']).is_empty()
        && let Some(i) = before.find('\t')
    {
        return line_start + i;
    }
    block[at..].find('\t').map_or(at, |i| at + i)
}

/// The flow list or map (`[`, `{`) that starts a value on a line of `block` before the line of
/// byte `at`, and is still open at that line: the byte of its opening bracket. The parser reports
/// such a bracket where the list runs into the next key (`owner: [ana`, then `reviewed: …` is
/// "illegal placement of ':' indicator" on the next line). Brackets in quotes and comments do not
/// count, and a list closed on a later line (`tags: [a,`, then `  b]`) is not open.
fn unclosed_flow(block: &str, at: usize) -> Option<usize> {
    let error_line = block[..at].rfind('\n').map_or(0, |i| i + 1);
    let (mut opener, mut depth, mut quote) = (0, 0usize, None);
    let mut line_start = 0;
    for line in block[..error_line].split_inclusive('\n') {
        let mut from = 0;
        if depth == 0 {
            let value = match line.split_once(": ") {
                Some((_, value)) => value,
                None => line.trim_start().strip_prefix("- ").unwrap_or(""),
            };
            let value = value.trim_start();
            if !value.starts_with(['[', '{']) {
                line_start += line.len();
                continue;
            }
            from = line.len() - value.len();
            opener = line_start + from;
            quote = None;
        }
        let mut previous = ' ';
        let mut chars = line[from..].chars();
        while let Some(c) = chars.next() {
            match (quote, c) {
                (Some('"'), '\\') => {
                    chars.next();
                }
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if matches!(previous, '[' | '{' | ',' | ':' | ' ') => quote = Some(c),
                (None, '#') if previous == ' ' => break,
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
            previous = c;
        }
        line_start += line.len();
    }
    (depth > 0).then_some(opener)
}

/// A diagnostic for a YAML error at the file's own line and column. The parser's message is taken
/// without its block-relative position; a tab is pointed at itself (the parser reports the start
/// of the value it was reading, often on the line before).
fn yaml_error(
    source: &SourceText<'_>,
    lines: &BlockLines<'_>,
    block: Range<usize>,
    err: &serde_saphyr::Error,
) -> Diagnostic {
    use serde_saphyr::MessageFormatter;
    let at = err
        .location()
        .map_or(block.start, |l| lines.offset(l.line(), l.column()));
    let message = serde_saphyr::DefaultMessageFormatter.format_message(err.without_snippet());
    let message = message.lines().next().unwrap_or("invalid YAML");
    let about_a_tab = message
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word == "tab" || word == "tabs");
    if about_a_tab {
        let tab = tab_near(&source.text[block.start..block.end], at - block.start) + block.start;
        return Diagnostic::error(
            "front-matter-syntax",
            "invalid YAML front matter: a tab character, where YAML allows only spaces",
        )
        .at(source, tab..tab + 1)
        .help("indent YAML with spaces, and put a space (not a tab) after `key:`");
    }
    if let Some(bracket) = unclosed_flow(&source.text[block.clone()], at - block.start) {
        let bracket = block.start + bracket;
        let (open, close) = match source.text[bracket..].starts_with('[') {
            true => ('[', ']'),
            false => ('{', '}'),
        };
        return Diagnostic::error(
            "front-matter-syntax",
            format!("invalid YAML front matter: this `{open}` is not closed"),
        )
        .at(source, bracket..bracket + 1)
        .help(format!(
            "end it with `{close}` (on this line or a later one), or quote the value if the bracket is text"
        ));
    }
    // The parser advises its own options (`set DuplicateKeyPolicy in Options`), which a reader of
    // the handbook cannot set.
    let message = message.split(", set DuplicateKeyPolicy").next().unwrap_or(message);
    let diagnostic = syntax_error(source, at..at, "YAML", message);
    if message.starts_with("duplicate mapping key") {
        return diagnostic.help("a key may be written once; remove or rename the second one");
    }
    diagnostic
}

fn syntax_error(source: &SourceText<'_>, span: Range<usize>, syntax: &str, message: &str) -> Diagnostic {
    let message = message.trim().trim_end_matches('.');
    let message = message.strip_prefix("TOML parse error: ").unwrap_or(message);
    Diagnostic::error(
        "front-matter-syntax",
        format!("invalid {syntax} front matter: {message}"),
    )
    .at(source, span)
    .help(match syntax {
        "TOML" => "TOML front matter is `key = value` lines between `+++` lines; quote text values",
        _ => "YAML front matter is `key: value` lines between `---` lines; quote values that contain `: `",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn split_text(text: &str) -> Result<(BTreeMap<String, Field>, String, usize), Diagnostic> {
        let source = SourceText::new(Path::new("a.md"), text);
        split(&source).map(|s| {
            let line = text[..s.body_start].matches('\n').count() + 1;
            (s.fields, text[s.body_start..].to_string(), line)
        })
    }

    #[test]
    fn toml_fields_keep_file_positions() {
        let text = "+++\ntitle = \"Hi\"\ndate = 2026-11-20\n+++\nBody\n";
        let (fields, body, line) = split_text(text).unwrap();
        assert_eq!(body, "Body\n");
        assert_eq!(line, 5);
        assert_eq!(fields["date"].value, Value::String("2026-11-20".into()));
        assert_eq!(&text[fields["title"].span.clone()], "\"Hi\"");
    }

    #[test]
    fn yaml_fields_keep_file_positions() {
        let text = "---\ntitle: Hi\ntags: [a, b]\n---\n\nBody";
        let (fields, body, line) = split_text(text).unwrap();
        assert_eq!(body, "\nBody");
        assert_eq!(line, 5);
        assert_eq!(fields["tags"].value, serde_json::json!(["a", "b"]));
        let span = fields["tags"].span.clone();
        assert!(
            text[span.clone()].starts_with("[a, b]"),
            "{span:?}: {:?}",
            &text[span.clone()]
        );
    }

    #[test]
    fn no_front_matter() {
        let (fields, body, line) = split_text("# Title\n").unwrap();
        assert!(fields.is_empty());
        assert_eq!((body.as_str(), line), ("# Title\n", 1));
    }

    #[test]
    fn syntax_errors_are_reported_at_file_lines() {
        let err = split_text("+++\ntitle = \"Hi\"\ndate = = 3\n+++\n").unwrap_err();
        assert_eq!(err.position.unwrap().line, 3);
        assert!(err.message.starts_with("invalid TOML front matter"), "{}", err.message);
        let err = split_text("---\ntitle: Hi\ntags: [a, b\n---\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML front matter"), "{}", err.message);
        assert!(err.position.unwrap().line >= 3, "{err}");
        let err = split_text("+++\ntitle = 1\n").unwrap_err();
        assert_eq!(err.code, "unclosed-front-matter");
    }

    /// `(line, column, message)` of the error in a file with front matter `yaml` (from line 2).
    fn yaml_error_at(yaml: &str) -> (u32, u32, String) {
        let err = split_text(&format!("---\n{yaml}---\nBody\n")).unwrap_err();
        let position = err.position.unwrap();
        (position.line, position.column, err.message)
    }

    #[test]
    fn yaml_errors_carry_only_the_files_own_line_and_column() {
        for (yaml, line, column) in [
            // A tab in the indentation, after a plain value (the parser blames the value).
            ("title: Hi\n\tbad: 1\n", 3, 1),
            ("title: Hi\ntags:\n\t- a\n", 4, 1),
            ("title:\tHi\n\tbad: 1\n", 3, 1),
            ("tags:\n  - a\n \t- b\n", 4, 2),
            ("text: |\n\tline\n", 3, 1),
            ("title: Hi\ntags: [a, b\n", 3, 7),
            ("title: \"Hi\nx: 1\n", 2, 8),
            ("title: Hi: there\n", 2, 10),
            ("a: 1\n  b: 2\n", 3, 4),
            ("title: Café: x\n", 2, 12),
            ("title: Hi\ntitle: Ho\n", 3, 1),
            // A list left open is blamed where it opens, not where it runs into the next key.
            ("title: X\nowner: [amara\nreviewed: 2026-01-10\n", 3, 8),
            ("title: X\nowner: {name: ana\nreviewed: 2026-01-10\n", 3, 8),
            // Closed on a later line, or with its brackets in quotes: the parser's place stands.
            ("tags: [a,\n  b]\ntitle: Hi: there\n", 4, 10),
            ("tags: [\"[x\", '{y']\ntitle: Hi: there\n", 3, 10),
        ] {
            let (l, c, message) = yaml_error_at(yaml);
            assert_eq!((l, c), (line, column), "{yaml:?}: {message}");
            assert!(message.starts_with("invalid YAML front matter: "), "{message}");
            assert!(!message.contains("line") && !message.contains("column"), "{message}");
            assert!(!message.contains("Options"), "{message}");
        }
        let (_, _, message) = yaml_error_at("title: Hi\n\tbad: 1\n");
        assert!(message.contains("a tab character"), "{message}");
        let (_, _, message) = yaml_error_at("title: X\nowner: [amara\nreviewed: 2026-01-10\n");
        assert_eq!(message, "invalid YAML front matter: this `[` is not closed");
        let (_, _, message) = yaml_error_at("title: Hi\ntitle: Ho\n");
        assert_eq!(message, "invalid YAML front matter: duplicate mapping key: title");
    }
}
