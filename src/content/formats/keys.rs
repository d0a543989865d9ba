//! Keys and values: which `Key: value` lines have a place in [`super::BodyMetadata`], and how their
//! values (dates, names, tags, status words) are read.

use jiff::civil::Date;

use super::RelationKind;
use super::lines::LINK;
use super::relations::PHRASES;

/// A key whose value has a place in [`super::BodyMetadata`] rather than in `fields`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Status,
    Date,
    Deciders,
    Consulted,
    Informed,
    Tags,
    /// `- Supersedes: ADR-1`, `- Related: [x](y)`.
    Relation(RelationKind),
}

/// `Decision-makers`, `Decider(s)` → `decision makers`, `decider`: the form keys are compared in.
pub(super) fn normalize_key(key: &str) -> String {
    key.to_lowercase()
        .replace("(s)", "")
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The place a key has in [`super::BodyMetadata`]; `None` for the keys kept as `fields`.
pub(super) fn classify_key(key: &str) -> Option<Key> {
    let key = normalize_key(key);
    let known = match key.as_str() {
        "status" => Key::Status,
        "date" | "start date" | "decision date" | "last updated" | "updated" => Key::Date,
        "deciders" | "decider" | "decision makers" | "decision maker" | "decided by" => Key::Deciders,
        "consulted" => Key::Consulted,
        "informed" => Key::Informed,
        "tags" | "tag" | "labels" => Key::Tags,
        "related" => Key::Relation(RelationKind::Related),
        other => {
            return PHRASES
                .iter()
                .find(|(phrase, _)| *phrase == other)
                .map(|&(_, kind)| Key::Relation(kind));
        }
    };
    Some(known)
}

/// Unknown keys that are kept from a plain (non-bullet) line under the title, as in MADR's
/// `Technical Story: …`. Other unknown keys are only kept from bullets: a paragraph such as
/// `Rustdoc: stabilization of …` is prose.
pub(super) const PROSE_FIELD_KEYS: [&str; 7] = [
    "technical story",
    "story",
    "issue",
    "ticket",
    "source",
    "author",
    "authors",
];

/// A date written as `YYYY-MM-DD`, possibly in parentheses or followed by more words.
pub(super) fn parse_date(value: &str) -> Option<Date> {
    let value = value
        .trim()
        .trim_matches(['(', ')', '[', ']', '`', '*', '_', '"', '\'']);
    let token = value.split_whitespace().next()?.trim_end_matches(['.', ',', ';', ')']);
    let bytes = token.as_bytes();
    let iso = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if iso { token.parse().ok() } else { None }
}

/// Names from `Alice, Bob and @carol.`: split at commas, semicolons, ` and ` and ` & `.
pub(super) fn names(value: &str) -> Vec<String> {
    value
        .split([',', ';'])
        .flat_map(|part| part.split(" and "))
        .flat_map(|part| part.split(" & "))
        .filter_map(|name| {
            let name = link_text(name.trim())
                .trim()
                .trim_start_matches('@')
                .trim_end_matches('.');
            let name = name.trim().trim_matches(['*', '_', '`']).trim();
            (!name.is_empty()).then(|| name.to_owned())
        })
        .collect()
}

/// The text of `[text](url)`, or `s` when it is not exactly one link.
fn link_text(s: &str) -> &str {
    if let Some(inner) = s.strip_prefix('[')
        && s.ends_with(')')
        && let Some((text, _)) = inner.split_once("](")
    {
        return text;
    }
    s
}

/// Tags from `#a #b` or `a, b`: Log4brains' template says "space and/or comma separated".
pub(super) fn tags(value: &str) -> Vec<String> {
    value
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(|tag| tag.trim_start_matches('#').trim_matches('`'))
        .filter(|tag| !tag.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The status word(s) in the text before any relation phrase: `Accepted.` → `Accepted`,
/// `**Proposed**` → `Proposed`, `Deprecated by [x](y)` → `Deprecated`.
pub(super) fn clean_status(written: &str) -> Option<String> {
    let noise =
        |c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '-' | '–' | '—' | '(' | '*' | '_' | '`');
    let mut status = written.split(LINK).next().unwrap_or_default().trim_end_matches(noise);
    if let Some(cut) = status.len().checked_sub(3)
        && status.get(cut..).is_some_and(|end| end.eq_ignore_ascii_case(" by"))
    {
        status = status.get(..cut).unwrap_or_default().trim_end_matches(noise);
    }
    let status = status.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '`'));
    (!status.is_empty()).then(|| status.to_owned())
}

/// Appends the items not in `list` yet.
pub(super) fn extend_unique(list: &mut Vec<String>, items: Vec<String>) {
    for item in items {
        if !list.contains(&item) {
            list.push(item);
        }
    }
}
