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
    let block_line = source.text[..block.start].matches('\n').count() + 1;
    // Positions from serde-saphyr are 1-based lines and columns within the block.
    let offset_of = |line: u64, column: u64| {
        let line_start = source.offset_of_line(block_line + line as usize - 1);
        (line_start + column.saturating_sub(1) as usize).min(block.end)
    };
    let parsed: Result<BTreeMap<String, serde_saphyr::Spanned<Value>>, _> = serde_saphyr::from_str(text);
    let table = parsed.map_err(|err| {
        let at = err.location().map_or(block.start, |l| offset_of(l.line(), l.column()));
        let message = err.to_string();
        let message = message.lines().next().unwrap_or("invalid YAML");
        syntax_error(source, at..at, "YAML", message)
    })?;
    Ok(table
        .into_iter()
        .map(|(key, spanned)| {
            let start = offset_of(spanned.referenced.line(), spanned.referenced.column());
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
}
