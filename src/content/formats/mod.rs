//! Decision-log formats read as they are: metadata written in the body by adr-tools (Nygard),
//! MADR, Log4brains and RFC-style logs.
//!
//! Teams that already keep decision records should get a good site without rewriting a file, so
//! [`read`] finds the metadata where each of these tools writes it:
//!
//! - Nygard / adr-tools ([`nygard`]): `# 12. Title`, a `Date: 2016-02-12` line and a `## Status`
//!   section holding a status word and lines such as `Superseded by [3. X](0003-x.md)`.
//! - MADR 2 ([`madr`]) and Log4brains ([`log4brains`]): `* Status: accepted`, `- Date: …`,
//!   `- Deciders: …`, `- Tags: …` bullets under the title, and a `## Links` section
//!   (`- Supersedes [x](y)`).
//! - RFCs ([`rfc`]): a `- Start Date: …`, `- RFC PR: …` list before the first heading.
//!
//! Each format is one module implementing [`BodyFormat`]: whether a body reads as that format,
//! and what it reads from it (the metadata, and the bytes of the body that metadata was written
//! in, which the page then leaves out: every fact is shown once, in the facts box). The four
//! formats here write metadata in the same places and share [`reader`]; [`document`] splits a
//! body into those places, [`blocks`], [`lines`], [`keys`] and [`relations`] read them.
//!
//! A new format is a new module with a [`BodyFormat`], a [`Format`] variant and a place in
//! [`FORMATS`].

mod blocks;
mod document;
mod keys;
mod lines;
mod log4brains;
mod madr;
mod nygard;
mod reader;
mod relations;
mod rfc;
#[cfg(test)]
mod tests;

use std::ops::Range;

use jiff::civil::Date;

use document::{Document, Facts};

/// The format a record's body is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Michael Nygard's template as adr-tools writes it: `# 1. Title`, `Date:`, `## Status`.
    Nygard,
    /// MADR: `* Status:` bullets under the title (MADR 2), or only MADR's sections (MADR 3 and 4
    /// keep their metadata in front matter).
    Madr,
    /// Log4brains, a patched MADR 2: `- Status:`, `- Date:`, `- Tags:` bullets and `## Links`.
    Log4brains,
    /// Rust-style RFCs: a `- Key: value` list (`Start Date`, `RFC PR`, …) before the first heading.
    Rfc,
}

/// How one record refers to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum RelationKind {
    /// `Supersedes [x](y)` (adr-tools also writes `Supercedes`).
    Supersedes,
    /// `Superseded by [x](y)` (adr-tools also writes `Superceded by`).
    SupersededBy,
    /// `Amends [x](y)`, or Log4brains' `Refines`.
    Amends,
    /// `Amended by [x](y)`, or Log4brains' `Refined by`.
    AmendedBy,
    /// `Relates to`, `Related to` or `See also`.
    Related,
}

/// A reference from one record to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Relation {
    pub(crate) kind: RelationKind,
    /// The link destination as written (`0002-title.md`, `20201016-slug.md`), or, when the
    /// line has no Markdown link, the referenced text itself (e.g. `ADR-0005` or `5`).
    pub(crate) target: String,
    /// Bytes of the whole file covering the line or link, for diagnostics.
    pub(crate) span: Range<usize>,
}

/// The metadata a record writes in its body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct BodyMetadata {
    pub(crate) format: Option<Format>,
    /// Title from the first `# ` heading, with a Nygard number prefix (`# 12. Title` -> `Title`) removed.
    pub(crate) title: Option<String>,
    /// From `# 12. Title` (Nygard).
    pub(crate) number: Option<u32>,
    /// The status word(s) as written, trimmed, without relation text: `Accepted`, `on hold`,
    /// `superseded` (for `superseded by [x](y)` the status is `superseded` and a SupersededBy relation is added).
    pub(crate) status: Option<String>,
    pub(crate) date: Option<Date>,
    pub(crate) deciders: Vec<String>,
    pub(crate) consulted: Vec<String>,
    pub(crate) informed: Vec<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) relations: Vec<Relation>,
    /// Other `Key: value` header bullets (RFC: `Feature Name`, `RFC PR`, `Rust Issue`, ...), value as written.
    pub(crate) fields: Vec<(String, String)>,
    /// The bytes of the file (sorted, none inside another) of the blocks read in full as the
    /// metadata above: header bullets, a Nygard `Date:` line, a `## Status` section. The page shows
    /// them in its facts box, so its body leaves them out.
    pub(crate) consumed: Vec<Range<usize>>,
}

impl Format {
    /// Whether records in this format say their status. An RFC does not: being merged is its
    /// acceptance, so "not stated" would be noise.
    pub fn has_status(self) -> bool {
        FORMATS
            .iter()
            .find(|format| format.format() == self)
            .is_none_or(|format| format.has_status())
    }
}

/// One decision-log format, as the body of a record shows it.
trait BodyFormat: Sync {
    /// Which format this is.
    fn format(&self) -> Format;

    /// Whether a body with these facts is written in this format. [`read`] asks the formats of
    /// [`FORMATS`] in order, and the first that says yes reads the body.
    fn recognizes(&self, facts: &Facts) -> bool;

    /// Reads the record's metadata, with the bytes it was read from in `consumed`.
    fn read(&self, doc: &Document<'_>) -> BodyMetadata;

    /// Whether records in this format say their status at all.
    fn has_status(&self) -> bool {
        true
    }
}

/// The formats, in the order they are asked: the ones told by a key only they use come before
/// those told by their layout.
static FORMATS: [&dyn BodyFormat; 4] = [&rfc::Rfc, &log4brains::Log4brains, &madr::Madr, &nygard::Nygard];

/// Reads the metadata of the Markdown body that starts at byte `body_start` of `text` (the whole file;
/// `text[..body_start]` is front matter, possibly empty). Never panics on any input.
///
/// A `body_start` past the end of `text` or inside a character yields empty metadata.
pub(crate) fn read(text: &str, body_start: usize) -> BodyMetadata {
    let Some(doc) = Document::new(text, body_start) else {
        return BodyMetadata::default();
    };
    match FORMATS.iter().find(|format| format.recognizes(&doc.facts)) {
        Some(format) => BodyMetadata {
            format: Some(format.format()),
            ..format.read(&doc)
        },
        // A plain document still has a title, and may name related records; but its prose is
        // the writer's own: nothing of it is left out of the page.
        None => BodyMetadata {
            consumed: Vec::new(),
            ..reader::read(&doc, reader::Rules::default())
        },
    }
}

/// A status written as a value rather than in a body (front matter's
/// `status: "superseded by [ADR-0005](0005-use-b.md)"`, as MADR's template shows), read as a
/// `Status:` bullet is: the status word(s), or the status the relations imply, and the relations.
/// Spans are in bytes of `written`.
pub(crate) fn status_value(written: &str) -> (Option<String>, Vec<Relation>) {
    let text = format!("Status: {written}");
    let Some(doc) = Document::new(&text, 0) else {
        return (None, Vec::new());
    };
    let meta = reader::read(&doc, reader::Rules::default());
    let offset = text.len() - written.len();
    let relations = meta
        .relations
        .into_iter()
        .map(|relation| Relation {
            span: relation.span.start.saturating_sub(offset)..relation.span.end.saturating_sub(offset),
            ..relation
        })
        .collect();
    (meta.status, relations)
}
