//! Relations: `Superseded by [x](y)`, `- Relates to [x](y)`, `Supersedes ADR-0005`.

use std::ops::Range;

use super::blocks::Link;
use super::lines::{LINK, Scan, is_filler};
use super::{Relation, RelationKind};

/// The phrases that introduce a relation, lowercase, with the misspellings adr-tools writes.
pub(super) const PHRASES: [(&str, RelationKind); 11] = [
    ("superseded by", RelationKind::SupersededBy),
    ("superceded by", RelationKind::SupersededBy),
    ("supersedes", RelationKind::Supersedes),
    ("supercedes", RelationKind::Supersedes),
    ("amended by", RelationKind::AmendedBy),
    ("amends", RelationKind::Amends),
    ("refined by", RelationKind::AmendedBy),
    ("refines", RelationKind::Amends),
    ("relates to", RelationKind::Related),
    ("related to", RelationKind::Related),
    ("see also", RelationKind::Related),
];

/// Relations introduced by one phrase, and the bytes of the text they were read from.
pub(super) struct Found {
    /// Where the phrase starts.
    pub(super) at: usize,
    /// Where its last target ends.
    pub(super) end: usize,
    pub(super) relations: Vec<Relation>,
}

/// Finds the relation phrases in `scan` and the targets each introduces.
pub(super) fn find_relations(scan: Scan<'_>) -> Vec<Found> {
    let lower = scan.text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some((phrase, kind)) = find_phrase(&lower, from) {
        let before = scan.text.get(..phrase.start).unwrap_or_default();
        let after = scan.text.get(phrase.end..).unwrap_or_default();
        let links = scan.links.get(before.matches(LINK).count()..).unwrap_or_default();
        let (relations, consumed) = targets(kind, after, links, scan.span, starts_clause(before));
        if !relations.is_empty() {
            found.push(Found {
                at: phrase.start,
                end: phrase.end + consumed,
                relations,
            });
        }
        from = phrase.end + consumed;
    }
    found
}

/// The first relation phrase in `lower` at or after `from` that stands as whole words.
fn find_phrase(lower: &str, from: usize) -> Option<(Range<usize>, RelationKind)> {
    let tail = lower.get(from..)?;
    tail.char_indices().find_map(|(offset, _)| {
        let start = from + offset;
        let rest = tail.get(offset..)?;
        PHRASES.iter().find_map(|&(phrase, kind)| {
            let end = start + phrase.len();
            (rest.starts_with(phrase) && is_word_edge(lower, start) && is_word_edge(lower, end))
                .then_some((start..end, kind))
        })
    })
}

/// Whether no letter or digit touches `at` on both sides (`amends` in `amendsx` is no word).
fn is_word_edge(text: &str, at: usize) -> bool {
    let before = text.get(..at).and_then(|s| s.chars().next_back());
    let after = text.get(at..).and_then(|s| s.chars().next());
    !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric))
}

/// Whether a phrase after `before` starts a clause (`Accepted, superseded by ADR-5`) rather than
/// sitting in a sentence, which is when an unlinked target may follow it.
fn starts_clause(before: &str) -> bool {
    let before = before.trim_end();
    before.is_empty() || before.ends_with([',', ';', '.', '(', ':', '-', '–', '—', '|'])
}

/// The targets of a relation phrase: the links right after it (`Supersedes [1](a.md), [2](b.md)`),
/// or, with no link and only at the start of a clause, short references (`Superseded by ADR-5`).
/// Returns the relations and how many bytes of `after` they took.
pub(super) fn targets(
    kind: RelationKind,
    after: &str,
    links: &[Link],
    line_span: &Range<usize>,
    clause_start: bool,
) -> (Vec<Relation>, usize) {
    let (count, consumed) = linked_targets(after);
    if count > 0 {
        let relations = links
            .iter()
            .take(count)
            .map(|link| Relation {
                kind,
                target: link.dest.clone(),
                span: link.span.clone(),
            })
            .collect();
        return (relations, consumed);
    }
    if !clause_start {
        return (Vec::new(), 0);
    }
    let (names, consumed) = plain_targets(after);
    let relations = names
        .into_iter()
        .map(|target| Relation {
            kind,
            target,
            span: line_span.clone(),
        })
        .collect();
    (relations, consumed)
}

/// How many links follow a phrase, and the bytes up to the last. A few words may come first
/// (`superseded by the decision in [x](y)`), but not a sentence end or another phrase; further
/// links must follow with only `,`, `and`, `or`, `&` or `/` between them.
fn linked_targets(after: &str) -> (usize, usize) {
    let Some((lead, _)) = after.split_once(LINK) else {
        return (0, 0);
    };
    let lead_lower = lead.to_ascii_lowercase();
    if lead.split_whitespace().count() > 4
        || lead.contains([',', '.', ';', '!', '?'])
        || find_phrase(&lead_lower, 0).is_some()
    {
        return (0, 0);
    }
    let mut count = 1;
    let mut end = lead.len() + LINK.len_utf8();
    while let Some(next) = after
        .get(end..)
        .map(skip_separators)
        .and_then(|rest| rest.strip_prefix(LINK))
    {
        count += 1;
        end = after.len() - next.len();
    }
    (count, end)
}

/// `rest` without leading separators between two links.
fn skip_separators(mut rest: &str) -> &str {
    loop {
        let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '&' | '/'));
        match trimmed.strip_prefix("and ").or_else(|| trimmed.strip_prefix("or ")) {
            Some(next) => rest = next,
            None => return trimmed,
        }
    }
}

/// Unlinked targets after a phrase: the rest of the clause, split at `,` and ` and `, when every
/// part is a short reference (`ADR-0005`, `5`, `RFC 1234`) rather than prose.
fn plain_targets(after: &str) -> (Vec<String>, usize) {
    let start = after.len() - after.trim_start_matches([':', ' ']).len();
    let rest = after.get(start..).unwrap_or_default();
    let end = [";", ". ", "\u{FFFC}"]
        .iter()
        .filter_map(|stop| rest.find(stop))
        .min()
        .unwrap_or(rest.len());
    let clause = rest.get(..end).unwrap_or_default();
    let parts: Vec<String> = clause
        .split(',')
        .flat_map(|part| part.split(" and "))
        .map(|part| {
            part.trim()
                .trim_end_matches('.')
                .trim_matches(['`', '"', '*', '_'])
                .trim()
                .to_owned()
        })
        .collect();
    if parts
        .iter()
        .any(|part| part.is_empty() || part.split_whitespace().count() > 3)
    {
        return (Vec::new(), 0);
    }
    (parts, start + end)
}

/// Whether `text` from byte `from` on says nothing besides the relations `found` in it: between
/// and after them there are only separators. Only such a line may be left out of the page.
pub(super) fn only_relations(text: &str, found: &[Found], from: usize) -> bool {
    let mut at = from;
    for found in found {
        if !text.get(at..found.at).is_some_and(is_filler) {
            return false;
        }
        at = found.end;
    }
    text.get(at..).is_some_and(is_filler)
}
