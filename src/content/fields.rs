//! Typed reading of front-matter fields, with one precise diagnostic per bad value.
//!
//! Each accessor removes its key, so what is left at the end is the page's `extra`.

use std::collections::BTreeMap;

use jiff::civil::{Date, Time};
use serde_json::Value;

use super::front_matter::Field;
use super::{ActionItem, RecordRef, RefTarget};
use crate::config::nearest;
use crate::dates::{self, Moment};
use crate::diagnostics::{Diagnostic, SourceText};
use crate::markdown::Outline;
use crate::urls::{UNSAFE_HELP, UrlUse, unsafe_scheme};

/// The front-matter fields of one file, being read.
pub(super) struct Fields<'s, 'a> {
    map: BTreeMap<String, Field>,
    source: &'s SourceText<'a>,
    pub(super) problems: Vec<Diagnostic>,
}

impl<'s, 'a> Fields<'s, 'a> {
    pub(super) fn new(map: BTreeMap<String, Field>, source: &'s SourceText<'a>) -> Self {
        Fields {
            map,
            source,
            problems: Vec::new(),
        }
    }

    /// Records a problem with `field`'s value.
    pub(super) fn problem(&mut self, field: &Field, code: &'static str, message: String, help: impl Into<String>) {
        let diagnostic = Diagnostic::error(code, message)
            .at(self.source, field.span.clone())
            .help(help);
        self.problems.push(diagnostic);
    }

    /// Records a warning about `field`'s value.
    pub(super) fn warning(&mut self, field: &Field, code: &'static str, message: String, help: impl Into<String>) {
        let diagnostic = Diagnostic::warning(code, message)
            .at(self.source, field.span.clone())
            .help(help);
        self.problems.push(diagnostic);
    }

    /// Whether `key` is written (and not yet read).
    pub(super) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Removes a key, whatever its value.
    pub(super) fn take(&mut self, key: &str) -> Option<Field> {
        self.map.remove(key)
    }

    /// Removes the first of `keys` that is present (for aliases such as `decision-makers`).
    fn take_any(&mut self, keys: &[&str]) -> Option<(String, Field)> {
        keys.iter()
            .find_map(|key| self.map.remove(*key).map(|f| (key.to_string(), f)))
    }

    /// Reads `key` with `parse`. A value it rejects is reported as "`key` must be `expected`",
    /// with `help` (given the value) saying how to write it. An empty value counts as absent.
    pub(super) fn parse<T>(
        &mut self,
        key: &str,
        code: &'static str,
        expected: &str,
        help: impl FnOnce(&Value) -> String,
        parse: impl FnOnce(&Value) -> Option<T>,
    ) -> Option<T> {
        let field = self.take(key)?;
        if field.value.is_null() {
            return None;
        }
        let parsed = parse(&field.value);
        if parsed.is_none() {
            let message = format!("`{key}` must be {expected}, not {}", describe(&field.value));
            let help = help(&field.value);
            self.problem(&field, code, message, help);
        }
        parsed
    }

    /// A text value; numbers and booleans are accepted as their text.
    pub(super) fn string(&mut self, key: &str) -> Option<String> {
        let help = |_: &Value| format!("write `{key}` as a quoted string");
        self.parse(key, "wrong-type", "text", help, scalar_text)
    }

    /// A URL to link to (a meeting's `recording`). One that [`crate::urls`] forbids is left out
    /// with a warning, so the page still builds without the link.
    pub(super) fn url(&mut self, key: &str) -> Option<String> {
        let field = self.map.get(key)?.clone();
        let url = self.string(key)?;
        if let Some(scheme) = unsafe_scheme(&url, UrlUse::Link) {
            let message = format!("`{key}` has a `{scheme}:` URL, so it is not linked");
            self.warning(&field, "unsafe-url", message, UNSAFE_HELP);
            return None;
        }
        // A field is not resolved like a link in the body, so only a full address reaches
        // anything (found by the fuzz test: `/relative/` became a dead link on every host).
        if crate::urls::scheme(&url).is_none() {
            let message = format!("`{key}` is not a full address, so it is not linked");
            self.warning(
                &field,
                "relative-url",
                message,
                "write the whole address, such as \"https://example.com/recording\"",
            );
            return None;
        }
        Some(url)
    }

    /// A `YYYY-MM-DD` date; a date-time is accepted and only its day kept.
    pub(super) fn date(&mut self, key: &str) -> Option<Date> {
        self.parse(key, "bad-date", "a date", date_help(key), |v| {
            v.as_str().and_then(dates::parse_day)
        })
    }

    /// A date with an optional time of day and offset.
    pub(super) fn date_time(&mut self, key: &str) -> Option<Moment> {
        self.parse(key, "bad-date", "a date", date_help(key), |v| {
            v.as_str().and_then(dates::parse_date_time)
        })
    }

    /// A time of day, `HH:MM`.
    pub(super) fn time(&mut self, key: &str) -> Option<Time> {
        let help = |_: &Value| format!("write `{key}` as \"HH:MM\", e.g. \"15:30\"");
        self.parse(key, "bad-time", "a time of day", help, |v| {
            scalar_text(v).and_then(|t| dates::parse_time(&t))
        })
    }

    /// The page's `title`. A blank one is an error rather than a fallback to the heading or file
    /// name: the author meant to name the page, and a nameless page would show as an empty link
    /// in every list.
    pub(super) fn title(&mut self) -> Option<String> {
        let span = self.map.get("title")?.span.clone();
        let title = self.string("title")?;
        if !title.trim().is_empty() {
            return Some(title);
        }
        self.problems.push(
            Diagnostic::error("empty-title", "`title` is empty")
                .at(self.source, span)
                .help("write the page's title, or remove `title` to use the page's first heading or its file name"),
        );
        None
    }

    /// A meeting's action items (read from its body with the outline), reporting each due date
    /// that cannot be read where it is written: such an item would otherwise never show as
    /// overdue.
    pub(super) fn action_items(&mut self, outline: &Outline) -> Vec<ActionItem> {
        for bad in &outline.bad_due_dates {
            let diagnostic = Diagnostic::error("bad-date", bad.message())
                .at(self.source, bad.span.clone())
                .help(bad.help());
            self.problems.push(diagnostic);
        }
        outline.action_items.clone()
    }

    /// `true` or `false`.
    pub(super) fn bool(&mut self, key: &str) -> Option<bool> {
        let help = |_: &Value| format!("write `{key} = true` or `{key} = false`");
        self.parse(key, "wrong-type", "true or false", help, Value::as_bool)
    }

    /// A whole number.
    pub(super) fn integer(&mut self, key: &str) -> Option<i64> {
        let help = |_: &Value| format!("write `{key}` as a number, e.g. 10");
        self.parse(key, "wrong-type", "a whole number", help, Value::as_i64)
    }

    /// A list of texts. A single text is accepted too, split at commas, because people write
    /// `tags: weekly, rustc`.
    pub(super) fn strings(&mut self, keys: &[&str]) -> Vec<String> {
        let Some((key, field)) = self.take_any(keys) else {
            return Vec::new();
        };
        let items: Option<Vec<String>> = match &field.value {
            Value::Null => Some(Vec::new()),
            Value::String(s) => Some(
                s.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            ),
            Value::Array(items) => items.iter().map(scalar_text).collect(),
            _ => None,
        };
        items.unwrap_or_else(|| {
            let message = format!("`{key}` must be a list of texts, not {}", describe(&field.value));
            self.problem(
                &field,
                "wrong-type",
                message,
                format!("write `{key}` as a list, e.g. [\"a\", \"b\"]"),
            );
            Vec::new()
        })
    }

    /// References to decision records: `[4, 7]`, `7`, `"0007"`, `"ADR-7"` or file names
    /// (`"20201016-use-slugs"`).
    pub(super) fn record_refs(&mut self, key: &str) -> Vec<RecordRef> {
        let Some(field) = self.take(key) else {
            return Vec::new();
        };
        let items = match &field.value {
            Value::Array(items) => items.clone(),
            Value::Null => Vec::new(),
            other => vec![other.clone()],
        };
        let refs: Option<Vec<RecordRef>> = items
            .iter()
            .map(|item| {
                let target = match decision_number(item) {
                    Some(number) => RefTarget::Number(number),
                    None => RefTarget::parse(item.as_str()?)?,
                };
                Some(RecordRef {
                    target,
                    span: field.span.clone(),
                    implied: false,
                })
            })
            .collect();
        refs.unwrap_or_else(|| {
            let message = format!("`{key}` must list decision records, not {}", describe(&field.value));
            let help = format!("write `{key}` as a list of numbers or file names, e.g. [4, 7]");
            self.problem(&field, "wrong-type", message, help);
            Vec::new()
        })
    }

    /// The keys nobody asked for, as `extra` for templates.
    pub(super) fn into_extra(self) -> (serde_json::Map<String, Value>, Vec<Diagnostic>) {
        let extra = self.map.into_iter().map(|(k, f)| (k, f.value)).collect();
        (extra, self.problems)
    }
}

/// Advice for a value that must be a date.
fn date_help(key: &str) -> impl FnOnce(&Value) -> String {
    move |_| format!("write `{key}` as YYYY-MM-DD, e.g. 2026-11-20")
}

/// Advice for a value that must be one of `names`: the nearest one when it looks like a typo.
pub(super) fn choice_help(names: &[&str]) -> impl FnOnce(&Value) -> String {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    move |value| {
        let written = value.as_str().unwrap_or_default().to_ascii_lowercase();
        let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
        let all = names.join(", ");
        match nearest(&written, &candidates) {
            Some(near) => format!("did you mean \"{near}\"? Valid values: {all}"),
            None => format!("use one of: {all}"),
        }
    }
}

/// Reads one decision number from `7`, `"7"`, `"0007"` or `"ADR-0007"`.
pub(super) fn decision_number(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => {
            let digits = s
                .trim()
                .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '-' || c == '#');
            digits.parse().ok()
        }
        _ => None,
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Describes a value for an error message: `the text "yesterday"`, `a list`.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "an empty value".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text \"{s}\""),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a table".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decision_numbers_in_the_forms_people_write() {
        assert_eq!(decision_number(&json!(7)), Some(7));
        assert_eq!(decision_number(&json!("0007")), Some(7));
        assert_eq!(decision_number(&json!("ADR-12")), Some(12));
        assert_eq!(decision_number(&json!("#3")), Some(3));
        assert_eq!(decision_number(&json!("seven")), None);
        assert_eq!(decision_number(&json!(-1)), None);
    }
}
