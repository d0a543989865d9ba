//! A record's body as the formats see it: its blocks, the heading that opens it, where its
//! header ends, its sections, and the facts a format is recognised by.
//!
//! Metadata is only looked for where these tools write it: the top of the body (up to the first
//! heading after the title), a `## Status` section and a `## Links` section. Anything else is the
//! record's content, even a line that reads `- Status: rejected`.

use std::ops::Range;

use pulldown_cmark::HeadingLevel;

use super::blocks::{self, Block, BlockKind};
use super::keys::{Key, classify_key, normalize_key};

/// Names of sections that list relations (`## Links` in Log4brains and MADR 2).
pub(super) const LINK_SECTIONS: [&str; 7] = [
    "links",
    "related",
    "related decisions",
    "related adrs",
    "related records",
    "relations",
    "see also",
];

/// A body, split into the places metadata is written in.
#[derive(Debug)]
pub(super) struct Document<'a> {
    /// The whole file: every range here is in its bytes.
    pub(super) text: &'a str,
    pub(super) blocks: Vec<Block>,
    /// Top-level blocks that are not metadata (see [`blocks::Scanned::others`]).
    pub(super) others: Vec<Range<usize>>,
    /// The heading that opens the document, if any (an index into `blocks`).
    pub(super) lead: Option<usize>,
    /// The blocks before this index, except `lead`, are the header.
    pub(super) header_end: usize,
    /// The title the opening H1 gives, with a Nygard number split off.
    pub(super) title: Option<Title>,
    pub(super) facts: Facts,
}

/// The title of a record, from its opening H1.
#[derive(Debug)]
pub(super) struct Title {
    /// From `# 12. Title` (Nygard).
    pub(super) number: Option<u32>,
    /// The heading's text without the number.
    pub(super) text: String,
}

/// What a format is recognised by: facts about the header and the sections, gathered before any
/// format reads the document.
#[derive(Debug, Default)]
pub(super) struct Facts {
    /// The title has a number: `# 12. Title`.
    pub(super) numbered_title: bool,
    /// The list marker of the first header bullet with a known metadata key (`Status`, `Date`,
    /// `Deciders`…, not a relation).
    pub(super) bullet: Option<char>,
    /// A header line that is no bullet has a known metadata key: Nygard's `Date: 2016-02-12`.
    pub(super) plain_key_line: bool,
    /// The keys of the header's `Key: value` lines and bullets, normalized (`rfc pr`, `tags`).
    pub(super) keys: Vec<String>,
    /// The names of the sections after the header (see [`section_name`]).
    pub(super) sections: Vec<String>,
}

impl Facts {
    /// Whether a header key is one of `keys` (normalized).
    pub(super) fn has_key(&self, test: impl Fn(&str) -> bool) -> bool {
        self.keys.iter().any(|key| test(key))
    }

    /// Whether the document has a `## Status` section (or a `## Status: Accepted` heading).
    pub(super) fn has_status_section(&self) -> bool {
        self.sections.iter().any(|name| is_status_section(name))
    }

    /// Whether a header key has the place `key` in the metadata (`Tags`, `Labels` → tags).
    pub(super) fn has_known_key(&self, key: Key) -> bool {
        self.has_key(|name| classify_key(name) == Some(key))
    }
}

impl<'a> Document<'a> {
    /// The document whose body starts at byte `offset` of `text`; `None` when `offset` is not a
    /// character boundary within it.
    pub(super) fn new(text: &'a str, offset: usize) -> Option<Document<'a>> {
        let body = text.get(offset..)?;
        let scanned = blocks::scan(text, body, offset);
        let blocks = scanned.blocks;
        let lead = lead(&blocks);
        let title = lead
            .and_then(|index| blocks.get(index))
            .filter(|heading| heading.kind == BlockKind::Heading(HeadingLevel::H1))
            .map(|heading| {
                let plain = heading.plain.trim();
                match split_number(plain) {
                    Some((number, text)) => Title {
                        number: Some(number),
                        text: text.to_owned(),
                    },
                    None => Title {
                        number: None,
                        text: plain.to_owned(),
                    },
                }
            });
        let mut document = Document {
            text,
            header_end: header_end(&blocks, lead),
            blocks,
            others: scanned.others,
            lead,
            title,
            facts: Facts::default(),
        };
        document.facts = document.gather_facts();
        Some(document)
    }

    /// The blocks of the header, with their indices.
    pub(super) fn header(&self) -> impl Iterator<Item = (usize, &Block)> {
        self.blocks
            .iter()
            .enumerate()
            .take(self.header_end)
            .filter(|(index, _)| Some(*index) != self.lead)
    }

    fn gather_facts(&self) -> Facts {
        let mut facts = Facts {
            numbered_title: self.title.as_ref().is_some_and(|title| title.number.is_some()),
            ..Facts::default()
        };
        for (_, block) in self.header() {
            let bullet = match block.kind {
                BlockKind::Paragraph => None,
                BlockKind::Item { marker, depth: 1 } => Some(marker),
                BlockKind::Item { .. } | BlockKind::Heading(_) => continue,
            };
            for line in block.lines(self.text) {
                let Some(kv) = line.key_value() else { continue };
                // A relation (`- See also: …`) says nothing about the format.
                if classify_key(kv.key).is_some_and(|key| !matches!(key, Key::Relation(_))) {
                    match bullet {
                        Some(marker) => facts.bullet = facts.bullet.or(Some(marker)),
                        None => facts.plain_key_line = true,
                    }
                }
                facts.keys.push(normalize_key(kv.key));
            }
        }
        facts.sections = self
            .blocks
            .iter()
            .skip(self.header_end)
            .filter(|block| block.is_heading())
            .map(section_name)
            .collect();
        facts
    }
}

/// A section heading's name as compared: lowercase, without a trailing colon.
pub(super) fn section_name(heading: &Block) -> String {
    heading.plain.trim().trim_end_matches(':').trim().to_lowercase()
}

/// Whether a section of this name holds the status: `## Status`, or `## Status: Accepted`.
pub(super) fn is_status_section(name: &str) -> bool {
    name == "status" || name.starts_with("status:")
}

/// The heading that opens the document: the first block, or an H1 after nothing but paragraphs
/// (a badge line, a sentence). An H1 there is the title, and the header goes on below it (RFC
/// 3323 opens with `## Restrictions`, then its list).
fn lead(blocks: &[Block]) -> Option<usize> {
    blocks.iter().position(Block::is_heading).filter(|&first| {
        first == 0
            || blocks.get(..=first).is_some_and(|opening| {
                opening
                    .iter()
                    .all(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::Heading(HeadingLevel::H1)))
            })
    })
}

/// Where the header ends: at the first heading after the leading one, or where a second list
/// starts after other blocks, so that a document without headings is not read to its end.
fn header_end(blocks: &[Block], lead: Option<usize>) -> usize {
    let mut seen_list = false;
    let mut after_list = false;
    for (index, block) in blocks.iter().enumerate() {
        match block.kind {
            BlockKind::Heading(_) if Some(index) != lead => return index,
            BlockKind::Heading(_) => {}
            BlockKind::Item { depth: 1, .. } if after_list => return index,
            BlockKind::Item { .. } => seen_list = true,
            BlockKind::Paragraph => after_list = seen_list,
        }
    }
    blocks.len()
}

/// Splits Nygard's `12. Title` into 12 and `Title`.
fn split_number(title: &str) -> Option<(u32, &str)> {
    let (digits, rest) = title.split_once('.')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = rest.strip_prefix(char::is_whitespace)?.trim();
    if rest.is_empty() {
        return None;
    }
    Some((digits.parse().ok()?, rest))
}
