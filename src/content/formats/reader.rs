//! The reader that adr-tools, MADR, Log4brains and RFC records share: they write metadata in the
//! same places (a header under the title, a `## Status` section, a `## Links` section), and real
//! logs mix them, so each of these formats reads all of them.
//!
//! Besides the metadata, the reader notes which blocks it read in full, so that the page shows
//! each fact once: in the facts box, not again in the body. A block is only left out when every
//! word of it became metadata (a bullet whose value has no other place, a paragraph of prose, or
//! a code block nested in it keeps the block), and a section heading only with its whole section.

use std::ops::Range;

use super::blocks::{Block, BlockKind};
use super::document::{Document, LINK_SECTIONS, is_status_section, section_name};
use super::keys::{
    Key, PROSE_FIELD_KEYS, classify_key, clean_status, extend_unique, names, normalize_key, parse_date, tags,
};
use super::lines::{KeyValue, LINK, Line, Scan, is_filler};
use super::relations::{find_relations, only_relations, targets};
use super::{BodyMetadata, Relation, RelationKind};

/// What a format asks of the shared reader.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Rules {
    /// Whether header bullets with keys of no known place (`- RFC PR: …`) are kept as fields.
    /// Handbook pages open with lists such as `- **Open**: content should be open to all`; such
    /// a list is metadata only in a format whose header lists are.
    pub(super) bullet_fields: bool,
}

/// Reads the metadata of `doc` and the ranges it was read from.
pub(super) fn read(doc: &Document<'_>, rules: Rules) -> BodyMetadata {
    let reader = Reader {
        doc,
        rules,
        meta: BodyMetadata::default(),
        implied_status: None,
        pending_list: None,
        read: vec![false; doc.blocks.len()],
    };
    reader.read()
}

/// The sections whose content is metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Status,
    Links,
    Other,
}

struct Reader<'d> {
    doc: &'d Document<'d>,
    rules: Rules,
    meta: BodyMetadata,
    /// The status a relation implies (`superseded by [x](y)` → `superseded`), used when no status
    /// word is written.
    implied_status: Option<&'static str>,
    /// A list key whose value is the nested list under its bullet (`- Deciders:` then `  - Alice`).
    pending_list: Option<Key>,
    /// For each block, whether all of its own text was read as metadata.
    read: Vec<bool>,
}

impl Reader<'_> {
    fn read(mut self) -> BodyMetadata {
        let doc = self.doc;
        if let Some(title) = &doc.title {
            self.meta.number = title.number;
            self.meta.title = (!title.text.is_empty()).then(|| title.text.clone());
        }
        for (index, block) in doc.header() {
            self.read[index] = self.read_header_block(block);
        }
        let mut section = Section::Other;
        for (index, block) in doc.blocks.iter().enumerate().skip(doc.header_end) {
            let lines = block.lines(doc.text);
            self.read[index] = match (block.kind, section) {
                (BlockKind::Heading(_), _) => {
                    section = self.enter_section(block);
                    section != Section::Other
                }
                (_, Section::Status) => read_all(&lines, |line| self.read_status_line(line)),
                (_, Section::Links) => read_all(&lines, |line| self.read_relation_line(line)),
                (_, Section::Other) => false,
            };
        }
        if self.meta.status.is_none() {
            self.meta.status = self.implied_status.map(str::to_owned);
        }
        self.meta.consumed = self.consumed();
        self.meta
    }

    /// Reads a paragraph or bullet of the header; returns whether all of it was metadata.
    fn read_header_block(&mut self, block: &Block) -> bool {
        let lines = block.lines(self.doc.text);
        match block.kind {
            BlockKind::Paragraph => {
                self.pending_list = None;
                read_all(&lines, |line| self.read_header_line(line, None))
            }
            BlockKind::Item { marker, depth: 1 } => {
                self.pending_list = None;
                read_all(&lines, |line| self.read_header_line(line, Some(marker)))
            }
            BlockKind::Item { .. } => match self.pending_list {
                Some(key) => read_all(&lines, |line| {
                    self.add_list(key, &line.raw);
                    true
                }),
                None => false,
            },
            BlockKind::Heading(_) => false,
        }
    }

    /// Reads a header line: a bullet (with its marker) or a line of a plain paragraph.
    fn read_header_line(&mut self, line: &Line, bullet: Option<char>) -> bool {
        let Some(kv) = line.key_value() else {
            return self.read_relation_line(line);
        };
        match classify_key(kv.key) {
            // `- Deciders:` with the names in a list nested under it.
            Some(key) if bullet.is_some() && kv.raw.is_empty() => {
                self.pending_list = Some(key);
                true
            }
            Some(key) => self.apply(key, &kv),
            None => {
                let kept = match bullet {
                    Some(_) => self.rules.bullet_fields,
                    None => PROSE_FIELD_KEYS.contains(&normalize_key(kv.key).as_str()),
                };
                if kept && !kv.raw.is_empty() {
                    self.meta.fields.push((kv.key.to_owned(), kv.raw.to_owned()));
                }
                // An empty field (`- Rust Issue:`) says nothing, and is left out with the rest.
                kept
            }
        }
    }

    /// Starts the section a heading opens.
    fn enter_section(&mut self, heading: &Block) -> Section {
        let name = section_name(heading);
        if is_status_section(&name) {
            // `## Status: Accepted`
            for line in heading.lines(self.doc.text) {
                if let Some(kv) = line.key_value() {
                    self.apply(Key::Status, &kv);
                }
            }
            Section::Status
        } else if LINK_SECTIONS.contains(&name.as_str()) {
            Section::Links
        } else {
            Section::Other
        }
    }

    /// Reads a line of a `## Status` section: a status word, relation lines, or known keys.
    fn read_status_line(&mut self, line: &Line) -> bool {
        match line
            .key_value()
            .and_then(|kv| classify_key(kv.key).map(|key| (key, kv)))
        {
            Some((key, kv)) => self.apply(key, &kv),
            None => self.read_status(line.scan()),
        }
    }

    /// Reads relations from a line (in the header or a `## Links` section); a bullet with a
    /// relation key (`- Supersedes: ADR-1`) counts too. Returns whether the line said nothing else.
    fn read_relation_line(&mut self, line: &Line) -> bool {
        if let Some((Key::Relation(kind), kv)) = line.key_value().and_then(|kv| classify_key(kv.key).map(|k| (k, kv))) {
            return self.apply(Key::Relation(kind), &kv);
        }
        let scan = line.scan();
        let found = find_relations(scan);
        let only = !found.is_empty() && only_relations(scan.text, &found, 0);
        for found in found {
            self.add_relations(found.relations);
        }
        only
    }

    /// Reads a status value: the word(s) before any relation phrase, and the relations. Returns
    /// whether all of it was taken: a second status, or a link the status text hides
    /// (`Deprecated by [x](y)`), keeps the line in the page.
    fn read_status(&mut self, scan: Scan<'_>) -> bool {
        let found = find_relations(scan);
        let end = found.first().map_or(scan.text.len(), |found| found.at);
        let written = scan.text.get(..end).unwrap_or_default();
        let status = clean_status(written);
        let status_taken = match status {
            None => is_filler(written),
            Some(status) if self.meta.status.is_none() && !written.contains(LINK) => {
                self.meta.status = Some(status);
                true
            }
            Some(status) => {
                self.meta.status.get_or_insert(status);
                false
            }
        };
        let only = only_relations(scan.text, &found, end);
        for found in found {
            self.add_relations(found.relations);
        }
        status_taken && only
    }

    /// Reads a known key's value; returns whether all of it has a place in the metadata.
    fn apply(&mut self, key: Key, kv: &KeyValue<'_>) -> bool {
        match key {
            Key::Status => self.read_status(kv.scan),
            Key::Date => {
                let date = self.meta.date.is_none().then(|| parse_date(kv.raw)).flatten();
                if date.is_some() {
                    self.meta.date = date;
                    // `2020-01-01 (approved in the weekly)` keeps its words in the page.
                    return kv.raw.split_whitespace().count() == 1;
                }
                // A second date, or one written otherwise (`2020/05/18`), is shown as written.
                if !kv.raw.is_empty() {
                    self.meta.fields.push((kv.key.to_owned(), kv.raw.to_owned()));
                }
                true
            }
            Key::Deciders | Key::Consulted | Key::Informed | Key::Tags => {
                self.add_list(key, kv.raw);
                true
            }
            Key::Relation(kind) => {
                let (relations, consumed) = targets(kind, kv.scan.text, kv.scan.links, kv.scan.span, true);
                let only = !relations.is_empty() && kv.scan.text.get(consumed..).is_some_and(is_filler);
                self.add_relations(relations);
                only
            }
        }
    }

    fn add_list(&mut self, key: Key, value: &str) {
        match key {
            Key::Deciders => extend_unique(&mut self.meta.deciders, names(value)),
            Key::Consulted => extend_unique(&mut self.meta.consulted, names(value)),
            Key::Informed => extend_unique(&mut self.meta.informed, names(value)),
            Key::Tags => extend_unique(&mut self.meta.tags, tags(value)),
            Key::Status | Key::Date | Key::Relation(_) => {}
        }
    }

    /// Adds relations not already known (a status line and `## Links` may say the same).
    fn add_relations(&mut self, relations: Vec<Relation>) {
        for relation in relations {
            if relation.kind == RelationKind::SupersededBy {
                self.implied_status = self.implied_status.or(Some("superseded"));
            }
            let known = self
                .meta
                .relations
                .iter()
                .any(|known| known.kind == relation.kind && known.target == relation.target);
            if !known {
                self.meta.relations.push(relation);
            }
        }
    }

    /// The bytes of the blocks that were read in full, in order, none inside another.
    fn consumed(&self) -> Vec<Range<usize>> {
        let blocks = &self.doc.blocks;
        // A list item goes only with the items nested in it; they come right after it, so going
        // backwards settles them first.
        let mut whole = vec![false; blocks.len()];
        for index in (0..blocks.len()).rev() {
            let block = &blocks[index];
            whole[index] = self.read[index]
                && !block.has_other
                && match block.kind {
                    BlockKind::Paragraph => true,
                    BlockKind::Item { .. } => {
                        block.runs.len() <= 1
                            && (index + 1..blocks.len())
                                .take_while(|&inner| blocks[inner].range.start < block.range.end)
                                .all(|inner| whole[inner])
                    }
                    BlockKind::Heading(_) => self.whole_section(index, &whole),
                };
        }
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for (block, _) in blocks.iter().zip(&whole).filter(|(_, whole)| **whole) {
            match ranges.last() {
                Some(last) if block.range.end <= last.end => {}
                _ => ranges.push(block.range.clone()),
            }
        }
        ranges
    }

    /// Whether the section that heading `index` opens was read in full: every block in it, and
    /// nothing else (code, a table) between it and the next heading.
    fn whole_section(&self, index: usize, whole: &[bool]) -> bool {
        let blocks = &self.doc.blocks;
        let next = (index + 1..blocks.len())
            .find(|&next| blocks[next].is_heading())
            .unwrap_or(blocks.len());
        let start = blocks[index].range.end;
        let end = blocks
            .get(next)
            .map_or(self.doc.text.len(), |heading| heading.range.start);
        whole[index + 1..next].iter().all(|whole| *whole)
            && !self
                .doc
                .others
                .iter()
                .any(|other| other.start >= start && other.start < end)
    }
}

/// Reads every line with `read` (none is skipped) and tells whether all of them were read in
/// full; a block without lines was not.
fn read_all(lines: &[Line], mut read: impl FnMut(&Line) -> bool) -> bool {
    lines.iter().fold(!lines.is_empty(), |all, line| read(line) & all)
}
