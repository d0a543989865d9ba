//! Decision-log formats read as they are: metadata written in the body by adr-tools (Nygard),
//! MADR, Log4brains and RFC-style logs.
//!
//! Teams that already keep decision records should get a good site without rewriting a file, so
//! [`read`] finds the metadata where each of these tools writes it:
//!
//! - Nygard / adr-tools: `# 12. Title`, a `Date: 2016-02-12` line and a `## Status` section
//!   holding a status word and lines such as `Superseded by [3. X](0003-x.md)`.
//! - MADR 2 and Log4brains: `* Status: accepted`, `- Date: …`, `- Deciders: …`, `- Tags: …`
//!   bullets under the title, and a `## Links` section (`- Supersedes [x](y)`).
//! - RFCs: a `- Start Date: …`, `- RFC PR: …` list before the first heading.
//!
//! It looks only where these are written: the top of the body (up to the first heading after the
//! title), a `## Status` section and a `## Links` section. Anything else is the record's content,
//! even a line that reads `- Status: rejected`. The block structure (headings, paragraphs, list
//! items, links) comes from pulldown-cmark, so code blocks, HTML blocks and block quotes are
//! skipped exactly as they render; the metadata within a line is read from its source text.

use std::ops::Range;

use jiff::civil::Date;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};

use crate::markdown;

/// The format a record's body is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Format {
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
}

/// Reads the metadata of the Markdown body that starts at byte `body_start` of `text` (the whole file;
/// `text[..body_start]` is front matter, possibly empty). Never panics on any input.
///
/// A `body_start` past the end of `text` or inside a character yields empty metadata.
pub(crate) fn read(text: &str, body_start: usize) -> BodyMetadata {
    let Some(body) = text.get(body_start..) else {
        return BodyMetadata::default();
    };
    let blocks = Scanner::scan(text, body, body_start);
    Reader::default().read(text, &blocks)
}

// ---------------------------------------------------------------------------------------------
// Blocks: the body reduced to headings, paragraphs and list items with their links.
// ---------------------------------------------------------------------------------------------

/// A link found in a block; `span` is in bytes of the whole file.
#[derive(Debug, Clone)]
struct Link {
    dest: String,
    span: Range<usize>,
}

/// What kind of block a [`Block`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Heading(HeadingLevel),
    Paragraph,
    /// A list item with its marker (`-`, `*`, `+`, or the first digit of an ordered item) and its
    /// nesting depth (1 for a top-level item).
    Item {
        marker: char,
        depth: usize,
    },
}

/// A heading, a top-level paragraph or a list item: the only blocks metadata is written in.
#[derive(Debug)]
struct Block {
    kind: BlockKind,
    /// The block's text without markup; used for headings, whose code spans and links read as
    /// their text.
    plain: String,
    /// The bytes of the file holding the block's own inline content, one range for each stretch
    /// not interrupted by a nested block (a nested list splits an item's text in two).
    runs: Vec<Range<usize>>,
    /// The links in the block's own content, in order.
    links: Vec<Link>,
}

impl Block {
    fn is_heading(&self) -> bool {
        matches!(self.kind, BlockKind::Heading(_))
    }

    /// The block's logical lines. A heading or list item is a single line, because a bullet's
    /// value may wrap; a paragraph has one per source line (Nygard's `Date:` and a status word may
    /// share one), except that a link wrapped over two lines keeps them together.
    fn lines(&self, text: &str) -> Vec<Line> {
        match self.kind {
            BlockKind::Heading(_) | BlockKind::Item { .. } => self
                .runs
                .first()
                .and_then(|run| Line::new(text, run.clone(), &self.links))
                .into_iter()
                .collect(),
            BlockKind::Paragraph => self
                .runs
                .iter()
                .flat_map(|run| split_lines(text, run, &self.links))
                .filter_map(|range| Line::new(text, range, &self.links))
                .collect(),
        }
    }
}

/// What an open `Start` event is, so that its `End` can be told apart and inline content can be
/// attributed to the block it belongs to.
#[derive(Debug, Clone, Copy)]
enum Open {
    /// One of [`Scanner::blocks`]; a paragraph inside a list item reuses the item's index.
    Block(usize),
    List,
    /// Emphasis, a link, an image…: its content belongs to the enclosing block.
    Inline,
    /// A block whose content is not metadata: code, HTML, block quotes, tables, headings in lists.
    Other,
}

/// Walks pulldown-cmark's events and collects [`Block`]s.
struct Scanner<'a> {
    text: &'a str,
    blocks: Vec<Block>,
    stack: Vec<Open>,
    /// The block whose last run is still open: inline content extends that run until some block
    /// starts or ends.
    open_run: Option<usize>,
}

impl<'a> Scanner<'a> {
    /// The blocks of `body`, which starts at byte `offset` of `text`; ranges are in `text`.
    fn scan(text: &'a str, body: &str, offset: usize) -> Vec<Block> {
        let mut scanner = Scanner {
            text,
            blocks: Vec::new(),
            stack: Vec::new(),
            open_run: None,
        };
        // The page's own options, so that blocks here are the blocks the page renders as.
        for (event, range) in Parser::new_ext(body, markdown::options(false)).into_offset_iter() {
            scanner.event(event, range.start + offset..range.end + offset);
        }
        scanner.blocks
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(_) => {
                if !matches!(self.stack.pop(), Some(Open::Inline)) {
                    self.open_run = None;
                }
            }
            Event::Text(text) | Event::Code(text) => {
                self.inline(range);
                self.push_plain(&text);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.inline(range);
                self.push_plain(" ");
            }
            Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::TaskListMarker(_) => self.inline(range),
            Event::Html(_) | Event::Rule => self.open_run = None,
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        let open = match tag {
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Image { .. } => {
                self.inline(range);
                Open::Inline
            }
            Tag::Link { dest_url, .. } => {
                self.inline(range.clone());
                if let Some(block) = self.owner().and_then(|index| self.blocks.get_mut(index)) {
                    block.links.push(Link {
                        dest: dest_url.to_string(),
                        span: range,
                    });
                }
                Open::Inline
            }
            Tag::Heading { level, .. } if self.stack.is_empty() => self.new_block(BlockKind::Heading(level)),
            Tag::Paragraph => match self.stack.last() {
                None => self.new_block(BlockKind::Paragraph),
                Some(Open::Block(index)) => Open::Block(*index),
                Some(_) => Open::Other,
            },
            Tag::List(_) => Open::List,
            Tag::Item
                if self
                    .stack
                    .iter()
                    .all(|open| matches!(open, Open::List | Open::Block(_))) =>
            {
                let depth = self.stack.iter().filter(|open| matches!(open, Open::List)).count();
                let marker = self
                    .text
                    .get(range)
                    .and_then(|item| item.trim_start().chars().next())
                    .unwrap_or('-');
                self.new_block(BlockKind::Item { marker, depth })
            }
            _ => Open::Other,
        };
        if !matches!(open, Open::Inline) {
            self.open_run = None;
        }
        self.stack.push(open);
    }

    fn new_block(&mut self, kind: BlockKind) -> Open {
        self.blocks.push(Block {
            kind,
            plain: String::new(),
            runs: Vec::new(),
            links: Vec::new(),
        });
        Open::Block(self.blocks.len() - 1)
    }

    /// The block that inline content at this point belongs to, if it is one we keep.
    fn owner(&self) -> Option<usize> {
        match self.stack.iter().rev().find(|open| !matches!(open, Open::Inline)) {
            Some(Open::Block(index)) => Some(*index),
            _ => None,
        }
    }

    /// Adds inline content at `range` to its block's current run.
    fn inline(&mut self, range: Range<usize>) {
        let Some(index) = self.owner() else { return };
        let Some(block) = self.blocks.get_mut(index) else {
            return;
        };
        match block.runs.last_mut() {
            Some(run) if self.open_run == Some(index) => run.end = run.end.max(range.end),
            _ => block.runs.push(range),
        }
        self.open_run = Some(index);
    }

    fn push_plain(&mut self, text: &str) {
        if let Some(block) = self.owner().and_then(|index| self.blocks.get_mut(index)) {
            block.plain.push_str(text);
        }
    }
}

/// Splits a paragraph's run at its line ends, except those inside a link.
fn split_lines(text: &str, run: &Range<usize>, links: &[Link]) -> Vec<Range<usize>> {
    let Some(source) = text.get(run.clone()) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let mut start = run.start;
    let mut next_link = links.partition_point(|link| link.span.end <= run.start);
    for (offset, _) in source.match_indices('\n') {
        let at = run.start + offset;
        while links.get(next_link).is_some_and(|link| link.span.end <= at) {
            next_link += 1;
        }
        if links.get(next_link).is_some_and(|link| link.span.contains(&at)) {
            continue;
        }
        lines.push(start..at);
        start = at + 1;
    }
    lines.push(start..run.end);
    lines
}

// ---------------------------------------------------------------------------------------------
// Lines: one line of metadata text, in the two forms it is read in.
// ---------------------------------------------------------------------------------------------

/// Stands for a link in [`Line::scan`], so that phrases are matched in the text around links and
/// never in a link's own text or destination.
const LINK: char = '\u{FFFC}';

/// A logical line of a block, without list marker and HTML comments (`<!-- optional -->`), with
/// whitespace runs (including a wrapped line's break and indent) collapsed to one space.
#[derive(Debug)]
struct Line {
    /// The text as written, for values kept "as written" (`RFC PR: [rust-lang/rfcs#2](…)`).
    raw: String,
    /// `raw` with each link replaced by [`LINK`]: where status words and relations are read.
    scan: String,
    /// The links [`LINK`] stands for, in order.
    links: Vec<Link>,
    /// The bytes of the file the line covers, surrounding whitespace excluded.
    span: Range<usize>,
}

impl Line {
    fn new(text: &str, range: Range<usize>, links: &[Link]) -> Option<Line> {
        let source = text.get(range.clone())?;
        let mut line = Line {
            raw: String::new(),
            scan: String::new(),
            links: Vec::new(),
            span: range.start + (source.len() - source.trim_start().len())
                ..range.end - (source.len() - source.trim_end().len()),
        };
        let mut next_link = links.partition_point(|link| link.span.start < range.start);
        let mut at = range.start;
        while let Some(rest) = text.get(at..range.end) {
            let Some(c) = rest.chars().next() else { break };
            // Links that started inside a skipped comment are passed over.
            while links.get(next_link).is_some_and(|link| link.span.start < at) {
                next_link += 1;
            }
            if let Some(link) = links.get(next_link).filter(|link| link.span.start == at) {
                next_link += 1;
                if link.span.end > at && link.span.end <= range.end {
                    text.get(link.span.clone())
                        .unwrap_or_default()
                        .chars()
                        .for_each(|c| push_collapsed(&mut line.raw, c));
                    push_collapsed(&mut line.scan, LINK);
                    line.links.push(link.clone());
                    at = link.span.end;
                    continue;
                }
            }
            if rest.starts_with("<!--") {
                at += rest
                    .get(4..)
                    .and_then(|after| after.find("-->"))
                    .map_or(rest.len(), |end| end + 7);
                continue;
            }
            push_collapsed(&mut line.raw, c);
            // A stray U+FFFC in the text must not be taken for a link.
            push_collapsed(&mut line.scan, if c == LINK { ' ' } else { c });
            at += c.len_utf8();
        }
        line.raw.truncate(line.raw.trim_end().len());
        line.scan.truncate(line.scan.trim_end().len());
        (!line.raw.is_empty()).then_some(line)
    }

    fn scan(&self) -> Scan<'_> {
        Scan {
            text: &self.scan,
            links: &self.links,
            span: &self.span,
        }
    }

    /// Splits a `Key: value` line. The key must look like one (`Status`, `RFC PR #`,
    /// `Decision-makers`, `**Date**`), so that prose and URLs (`https://…`) are not taken for keys.
    fn key_value(&self) -> Option<KeyValue<'_>> {
        let (key, raw) = self.raw.split_once(':')?;
        // No link can come before the colon of a valid key (keys have no `[` or `<`), so the
        // first colon of `scan` is the same colon.
        let (_, scan) = self.scan.split_once(':')?;
        let key = key.trim().trim_matches(['*', '_']).trim();
        if !is_key(key) {
            return None;
        }
        Some(KeyValue {
            key,
            raw: value_after_colon(raw)?,
            scan: Scan {
                text: value_after_colon(scan)?,
                links: &self.links,
                span: &self.span,
            },
        })
    }
}

/// Appends `c`, turning each run of whitespace into one space and dropping leading whitespace.
fn push_collapsed(out: &mut String, c: char) {
    if !c.is_whitespace() {
        out.push(c);
    } else if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// Whether `key` (the text before a colon) can be a metadata key rather than prose.
fn is_key(key: &str) -> bool {
    key.chars().next().is_some_and(char::is_alphabetic)
        && key.chars().count() <= 40
        && key.split_whitespace().count() <= 5
        && key.chars().all(|c| c.is_alphanumeric() || " -_#()/'.&".contains(c))
}

/// The value after a key's colon (and the closing `**` of `**Status:** x`); `None` when the colon
/// is not followed by a space, as in `https://` or `10:30`.
fn value_after_colon(after: &str) -> Option<&str> {
    let value = after.trim_start_matches(['*', '_']);
    (value.is_empty() || value.starts_with(char::is_whitespace)).then(|| value.trim())
}

/// A `Key: value` line.
struct KeyValue<'a> {
    /// The key as written, without emphasis.
    key: &'a str,
    /// The value as written.
    raw: &'a str,
    /// The value with its links, for status words and relations.
    scan: Scan<'a>,
}

/// Text where links stand as [`LINK`], with the links and the line they were read from.
#[derive(Debug, Clone, Copy)]
struct Scan<'a> {
    text: &'a str,
    /// The links of `text`, in order (none of the line's links come before `text`).
    links: &'a [Link],
    span: &'a Range<usize>,
}

// ---------------------------------------------------------------------------------------------
// Relations: `Superseded by [x](y)`, `- Relates to [x](y)`, `Supersedes ADR-0005`.
// ---------------------------------------------------------------------------------------------

/// The phrases that introduce a relation, lowercase, with the misspellings adr-tools writes.
const PHRASES: [(&str, RelationKind); 11] = [
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

/// Relations introduced by one phrase, and where the phrase starts in the text.
struct Found {
    at: usize,
    relations: Vec<Relation>,
}

/// Finds the relation phrases in `scan` and the targets each introduces.
fn find_relations(scan: Scan<'_>) -> Vec<Found> {
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
fn targets(
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

// ---------------------------------------------------------------------------------------------
// Keys and values.
// ---------------------------------------------------------------------------------------------

/// A key whose value has a place in [`BodyMetadata`] rather than in `fields`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
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
fn normalize_key(key: &str) -> String {
    key.to_lowercase()
        .replace("(s)", "")
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn classify_key(key: &str) -> Option<Key> {
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

/// Keys that only RFC headers use.
fn is_rfc_key(key: &str) -> bool {
    let key = normalize_key(key);
    key.starts_with("rfc pr")
        || key.starts_with("erfc pr")
        || key.starts_with("rust issue")
        || key == "start date"
        || key == "feature name"
}

/// Unknown keys that are kept from a plain (non-bullet) line under the title, as in MADR's
/// `Technical Story: …`. Other unknown keys are only kept from bullets: a paragraph such as
/// `Rustdoc: stabilization of …` is prose.
const PROSE_FIELD_KEYS: [&str; 7] = [
    "technical story",
    "story",
    "issue",
    "ticket",
    "source",
    "author",
    "authors",
];

/// A date written as `YYYY-MM-DD`, possibly in parentheses or followed by more words.
fn parse_date(value: &str) -> Option<Date> {
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
fn names(value: &str) -> Vec<String> {
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
fn tags(value: &str) -> Vec<String> {
    value
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(|tag| tag.trim_start_matches('#').trim_matches('`'))
        .filter(|tag| !tag.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The status word(s) in the text before any relation phrase: `Accepted.` → `Accepted`,
/// `**Proposed**` → `Proposed`, `Deprecated by [x](y)` → `Deprecated`.
fn clean_status(written: &str) -> Option<String> {
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

fn extend_unique(list: &mut Vec<String>, items: Vec<String>) {
    for item in items {
        if !list.contains(&item) {
            list.push(item);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The reader: where in the document each kind of line is read.
// ---------------------------------------------------------------------------------------------

/// The sections whose content is metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Status,
    Links,
    Other,
}

/// Names of sections that list relations (`## Links` in Log4brains and MADR 2).
const LINK_SECTIONS: [&str; 7] = [
    "links",
    "related",
    "related decisions",
    "related adrs",
    "related records",
    "relations",
    "see also",
];

/// Section names only MADR (and Log4brains, a MADR) use: a MADR 3/4 body has nothing else to tell.
const MADR_SECTIONS: [&str; 5] = [
    "context and problem statement",
    "decision drivers",
    "considered options",
    "decision outcome",
    "pros and cons of the options",
];

/// What the format is told by, collected while reading.
#[derive(Debug, Default)]
struct Clues {
    /// A key only RFCs use (`Start Date`, `RFC PR`, `Feature Name`…).
    rfc: bool,
    /// The list marker of the first bullet with a known metadata key (`Status`, `Date`,
    /// `Deciders`…): MADR uses `*` (its ADR-0011), Log4brains `-`.
    bullet: Option<char>,
    /// A `Tags:` bullet, which only Log4brains' template has.
    tags: bool,
    /// A numbered title, a `## Status` section or a plain `Date:` line.
    nygard: bool,
    /// A MADR section such as `## Decision Outcome`.
    madr_section: bool,
}

#[derive(Debug, Default)]
struct Reader {
    meta: BodyMetadata,
    /// The status a relation implies (`superseded by [x](y)` → `superseded`), used when no status
    /// word is written.
    implied_status: Option<&'static str>,
    /// A list key whose value is the nested list under its bullet (`- Deciders:` then `  - Alice`).
    pending_list: Option<Key>,
    /// Fields read so far, each marked when it comes from a bullet: those are only kept when the
    /// list is metadata (see [`Reader::finish`]).
    fields: Vec<(String, String, bool)>,
    clues: Clues,
}

impl Reader {
    fn read(mut self, text: &str, blocks: &[Block]) -> BodyMetadata {
        // The heading that opens the document: the first block, or an H1 after nothing but
        // paragraphs (a badge line, a sentence). An H1 there is the title, and the header goes on
        // below it (RFC 3323 opens with `## Restrictions`, then its list).
        let lead = blocks.iter().position(Block::is_heading).filter(|&first| {
            first == 0
                || blocks.get(..=first).is_some_and(|opening| {
                    opening
                        .iter()
                        .all(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::Heading(HeadingLevel::H1)))
                })
        });
        if let Some(heading) = lead.and_then(|index| blocks.get(index))
            && heading.kind == BlockKind::Heading(HeadingLevel::H1)
        {
            self.read_title(&heading.plain);
        }
        let header_end = header_end(blocks, lead);
        for (index, block) in blocks.iter().enumerate().take(header_end) {
            if Some(index) != lead {
                self.read_header_block(text, block);
            }
        }
        let mut section = Section::Other;
        for block in blocks.iter().skip(header_end) {
            match (block.kind, section) {
                (BlockKind::Heading(_), _) => section = self.enter_section(text, block),
                (_, Section::Status) => block.lines(text).iter().for_each(|line| self.read_status_line(line)),
                (_, Section::Links) => block.lines(text).iter().for_each(|line| self.read_relation_line(line)),
                (_, Section::Other) => {}
            }
        }
        self.finish()
    }

    fn read_title(&mut self, plain: &str) {
        let plain = plain.trim();
        let title = match split_number(plain) {
            Some((number, title)) => {
                self.meta.number = Some(number);
                self.clues.nygard = true;
                title
            }
            None => plain,
        };
        self.meta.title = (!title.is_empty()).then(|| title.to_owned());
    }

    /// Reads a paragraph or bullet of the header.
    fn read_header_block(&mut self, text: &str, block: &Block) {
        match block.kind {
            BlockKind::Paragraph => {
                self.pending_list = None;
                block
                    .lines(text)
                    .iter()
                    .for_each(|line| self.read_header_line(line, None));
            }
            BlockKind::Item { marker, depth: 1 } => {
                self.pending_list = None;
                block
                    .lines(text)
                    .iter()
                    .for_each(|line| self.read_header_line(line, Some(marker)));
            }
            BlockKind::Item { .. } => {
                if let Some(key) = self.pending_list {
                    block.lines(text).iter().for_each(|line| self.add_list(key, &line.raw));
                }
            }
            BlockKind::Heading(_) => {}
        }
    }

    /// Reads a header line: a bullet (with its marker) or a line of a plain paragraph.
    fn read_header_line(&mut self, line: &Line, bullet: Option<char>) {
        let Some(kv) = line.key_value() else {
            self.read_relation_line(line);
            return;
        };
        self.clues.rfc |= is_rfc_key(kv.key);
        match classify_key(kv.key) {
            Some(key) => {
                // A relation (`- See also: …`) says nothing about the format.
                if !matches!(key, Key::Relation(_)) {
                    match bullet {
                        Some(marker) => self.clues.bullet = self.clues.bullet.or(Some(marker)),
                        None => self.clues.nygard = true,
                    }
                }
                self.clues.tags |= key == Key::Tags;
                if bullet.is_some() && kv.raw.is_empty() {
                    self.pending_list = Some(key);
                }
                self.apply(key, &kv);
            }
            None if !kv.raw.is_empty()
                && (bullet.is_some() || PROSE_FIELD_KEYS.contains(&normalize_key(kv.key).as_str())) =>
            {
                self.fields
                    .push((kv.key.to_owned(), kv.raw.to_owned(), bullet.is_some()));
            }
            None => {}
        }
    }

    /// Starts the section a heading opens.
    fn enter_section(&mut self, text: &str, heading: &Block) -> Section {
        let name = heading.plain.trim().trim_end_matches(':').trim().to_lowercase();
        self.clues.madr_section |= MADR_SECTIONS.contains(&name.as_str());
        if name == "status" || name.starts_with("status:") {
            self.clues.nygard = true;
            // `## Status: Accepted`
            for line in heading.lines(text) {
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
    fn read_status_line(&mut self, line: &Line) {
        match line
            .key_value()
            .and_then(|kv| classify_key(kv.key).map(|key| (key, kv)))
        {
            Some((key, kv)) => self.apply(key, &kv),
            None => self.read_status(line.scan()),
        }
    }

    /// Reads relations from a line (in the header or a `## Links` section); a bullet with a
    /// relation key (`- Supersedes: ADR-1`) counts too.
    fn read_relation_line(&mut self, line: &Line) {
        if let Some((Key::Relation(kind), kv)) = line.key_value().and_then(|kv| classify_key(kv.key).map(|k| (k, kv))) {
            self.apply(Key::Relation(kind), &kv);
            return;
        }
        for found in find_relations(line.scan()) {
            self.add_relations(found.relations);
        }
    }

    /// Reads a status value: the word(s) before any relation phrase, and the relations.
    fn read_status(&mut self, scan: Scan<'_>) {
        let found = find_relations(scan);
        let end = found.first().map_or(scan.text.len(), |found| found.at);
        if self.meta.status.is_none() {
            self.meta.status = clean_status(scan.text.get(..end).unwrap_or_default());
        }
        for found in found {
            self.add_relations(found.relations);
        }
    }

    fn apply(&mut self, key: Key, kv: &KeyValue<'_>) {
        match key {
            Key::Status => self.read_status(kv.scan),
            Key::Date => {
                if self.meta.date.is_none() {
                    self.meta.date = parse_date(kv.raw);
                }
            }
            Key::Deciders | Key::Consulted | Key::Informed | Key::Tags => self.add_list(key, kv.raw),
            Key::Relation(kind) => {
                let (relations, _) = targets(kind, kv.scan.text, kv.scan.links, kv.scan.span, true);
                self.add_relations(relations);
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

    fn finish(mut self) -> BodyMetadata {
        if self.meta.status.is_none() {
            self.meta.status = self.implied_status.map(str::to_owned);
        }
        let clues = &self.clues;
        // Handbook pages open with lists such as `- **Open**: content should be open to all`;
        // such a list is metadata only if it has a key this reader knows.
        let metadata_list = clues.rfc || clues.bullet.is_some();
        self.meta.fields = std::mem::take(&mut self.fields)
            .into_iter()
            .filter(|(_, _, from_bullet)| metadata_list || !from_bullet)
            .map(|(key, value, _)| (key, value))
            .collect();
        self.meta.format = if clues.rfc {
            Some(Format::Rfc)
        } else if let Some(marker) = clues.bullet {
            // MADR 2 and Log4brains write the same bullets; Log4brains adds `Tags` and uses `-`.
            Some(if clues.tags || marker == '-' {
                Format::Log4brains
            } else {
                Format::Madr
            })
        } else if clues.nygard {
            Some(Format::Nygard)
        } else if clues.madr_section {
            Some(Format::Madr)
        } else {
            None
        };
        self.meta
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Option<Date> {
        Some(s.parse().expect("test date"))
    }

    fn relation(kind: RelationKind, target: &str) -> (RelationKind, String) {
        (kind, target.to_owned())
    }

    fn relations(meta: &BodyMetadata) -> Vec<(RelationKind, String)> {
        meta.relations.iter().map(|r| (r.kind, r.target.clone())).collect()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn nygard_accepted() {
        let text = "# 1. Record architecture decisions\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n\
                    ## Context\n\nWe need to record decisions.\n";
        let meta = read(text, 0);
        assert_eq!(meta.format, Some(Format::Nygard));
        assert_eq!(meta.title.as_deref(), Some("Record architecture decisions"));
        assert_eq!(meta.number, Some(1));
        assert_eq!(meta.date, date("2016-02-12"));
        assert_eq!(meta.status.as_deref(), Some("Accepted"));
        assert!(meta.relations.is_empty());
        assert!(meta.fields.is_empty());
    }

    #[test]
    fn nygard_superseded_by_only() {
        let text =
            "# 2. Old\n\nDate: 2016-02-12\n\n## Status\n\nSuperseded by [3. Use X](0003-use-x.md)\n\n## Context\n";
        let meta = read(text, 0);
        assert_eq!(meta.status.as_deref(), Some("superseded"));
        assert_eq!(
            relations(&meta),
            [relation(RelationKind::SupersededBy, "0003-use-x.md")]
        );
    }

    #[test]
    fn adr_tools_misspellings() {
        let text = "# 4. New\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n\
                    Supercedes [2. Old](0002-old.md)\nSupercedes [3. Older](0003-older.md)\n\n## Context\n";
        let meta = read(text, 0);
        assert_eq!(meta.status.as_deref(), Some("Accepted"));
        assert_eq!(
            relations(&meta),
            [
                relation(RelationKind::Supersedes, "0002-old.md"),
                relation(RelationKind::Supersedes, "0003-older.md")
            ]
        );

        let meta = read("# 2. Old\n\n## Status\n\nSuperceded by [4. New](0004-new.md)\n", 0);
        assert_eq!(meta.status.as_deref(), Some("superseded"));
        assert_eq!(relations(&meta), [relation(RelationKind::SupersededBy, "0004-new.md")]);
    }

    #[test]
    fn amends_and_amended_by() {
        let text = "# 9. Help scripts\n\nDate: 2018-06-26\n\n## Status\n\nAccepted\n\n\
                    Amends [5. Help comments](0005-help-comments.md)\n\n\
                    Amended by [12. More help](0012-more-help.md)\n\n## Context\n\nAmends [1. No](0001-no.md)\n";
        let meta = read(text, 0);
        assert_eq!(meta.status.as_deref(), Some("Accepted"));
        assert_eq!(
            relations(&meta),
            [
                relation(RelationKind::Amends, "0005-help-comments.md"),
                relation(RelationKind::AmendedBy, "0012-more-help.md"),
            ]
        );
    }

    #[test]
    fn madr_bullets_with_deciders() {
        let text = "# Use Plain JUnit5 for advanced test assertions\n\n\
                    * Status: accepted\n\
                    * Deciders: Alice, Bob and @carol.\n\
                    * Date: 2020-01-01 <!-- optional -->\n\
                    * Consulted: Dave\n\
                    * Informed: [Eve](https://example.com/eve), Frank\n\n\
                    Technical Story: [#12](https://example.com/12)\n\n\
                    ## Context and Problem Statement\n\nText.\n\n\
                    ## Decision Outcome\n\nChosen option: \"JUnit5\".\n";
        let meta = read(text, 0);
        assert_eq!(meta.format, Some(Format::Madr));
        assert_eq!(
            meta.title.as_deref(),
            Some("Use Plain JUnit5 for advanced test assertions")
        );
        assert_eq!(meta.number, None);
        assert_eq!(meta.status.as_deref(), Some("accepted"));
        assert_eq!(meta.date, date("2020-01-01"));
        assert_eq!(meta.deciders, strings(&["Alice", "Bob", "carol"]));
        assert_eq!(meta.consulted, strings(&["Dave"]));
        assert_eq!(meta.informed, strings(&["Eve", "Frank"]));
        assert_eq!(
            meta.fields,
            [("Technical Story".to_owned(), "[#12](https://example.com/12)".to_owned())]
        );
    }

    #[test]
    fn madr_2_superseded_by_link() {
        let text = "# Old choice\n\n* Status: superseded by [ADR-0005](0005-x.md)\n* Deciders: Ann\n\n## Context\n";
        let meta = read(text, 0);
        assert_eq!(meta.format, Some(Format::Madr));
        assert_eq!(meta.status.as_deref(), Some("superseded"));
        assert_eq!(relations(&meta), [relation(RelationKind::SupersededBy, "0005-x.md")]);
        let span = meta.relations[0].span.clone();
        assert_eq!(&text[span], "[ADR-0005](0005-x.md)");
    }

    #[test]
    fn unlinked_targets_and_relation_keys() {
        let text = "# T\n\n- Status: Deprecated, superseded by ADR-0005\n- Supersedes: 2 and 3\n\n## Context\n";
        let meta = read(text, 0);
        assert_eq!(meta.status.as_deref(), Some("Deprecated"));
        assert_eq!(
            relations(&meta),
            [
                relation(RelationKind::SupersededBy, "ADR-0005"),
                relation(RelationKind::Supersedes, "2"),
                relation(RelationKind::Supersedes, "3"),
            ]
        );
        let span = meta.relations[0].span.clone();
        assert_eq!(&text[span], "Status: Deprecated, superseded by ADR-0005");

        // Prose after a phrase is no target.
        let meta = read(
            "# T\n\n## Status\n\nProposed, superseded by whatever the team decides next.\n",
            0,
        );
        assert_eq!(
            meta.status.as_deref(),
            Some("Proposed, superseded by whatever the team decides next")
        );
        assert!(meta.relations.is_empty());
    }

    #[test]
    fn log4brains_bullets_tags_and_links() {
        let text = "# Use the ADR slug as its unique ID\n\n\
                    - Status: accepted\n\
                    - Deciders: Thomas Vaillant\n\
                    - Date: 2020-10-16\n\
                    - Tags: #architecture #ids\n\n\
                    ## Context and Problem Statement\n\n\
                    - Supersedes [not this](19990101-no.md)\n\n\
                    ## Links <!-- optional -->\n\n\
                    - Supersedes [20200926-use-the-adr-number](20200926-use-the-adr-number.md)\n\
                    - Relates to [20201001-other](20201001-other.md)\n\
                    - Refines [20200101-base](20200101-base.md)\n\
                    - Refined by [20210101-more](20210101-more.md)\n\
                    - Amended by [20210202-fix](20210202-fix.md)\n\
                    - [A blog post](https://example.com/post)\n\
                    - <https://example.com/other>\n";
        let meta = read(text, 0);
        assert_eq!(meta.format, Some(Format::Log4brains));
        assert_eq!(meta.status.as_deref(), Some("accepted"));
        assert_eq!(meta.date, date("2020-10-16"));
        assert_eq!(meta.deciders, strings(&["Thomas Vaillant"]));
        assert_eq!(meta.tags, strings(&["architecture", "ids"]));
        assert_eq!(
            relations(&meta),
            [
                relation(RelationKind::Supersedes, "20200926-use-the-adr-number.md"),
                relation(RelationKind::Related, "20201001-other.md"),
                relation(RelationKind::Amends, "20200101-base.md"),
                relation(RelationKind::AmendedBy, "20210101-more.md"),
                relation(RelationKind::AmendedBy, "20210202-fix.md"),
            ]
        );

        let meta = read(
            "# T\n\n- Status: superseded by [20201016-slug](20201016-slug.md)\n- Tags: a, b\n",
            0,
        );
        assert_eq!(meta.format, Some(Format::Log4brains));
        assert_eq!(meta.status.as_deref(), Some("superseded"));
        assert_eq!(meta.tags, strings(&["a", "b"]));
        assert_eq!(
            relations(&meta),
            [relation(RelationKind::SupersededBy, "20201016-slug.md")]
        );
    }

    #[test]
    fn nested_deciders() {
        let meta = read(
            "# T\n\n* Status: proposed\n* Deciders:\n  * Ann\n  * Bob\n* Date: 2021-03-04\n",
            0,
        );
        assert_eq!(meta.deciders, strings(&["Ann", "Bob"]));
        assert_eq!(meta.date, date("2021-03-04"));
    }

    #[test]
    fn rfc_header() {
        let text = "- Feature Name: `my_feature`\n\
                    - Start Date: 2014-03-11\n\
                    - RFC PR: [rust-lang/rfcs#2](https://github.com/rust-lang/rfcs/pull/2)\n\
                    - Rust Issue #: N/A\n\
                    - Rust Issue: \n\n\
                    ## Summary\n[summary]: #summary\n\n- Feature Name: no\n";
        let meta = read(text, 0);
        assert_eq!(meta.format, Some(Format::Rfc));
        assert_eq!(meta.title, None);
        assert_eq!(meta.date, date("2014-03-11"));
        assert_eq!(meta.status, None);
        assert_eq!(
            meta.fields,
            [
                ("Feature Name".to_owned(), "`my_feature`".to_owned()),
                (
                    "RFC PR".to_owned(),
                    "[rust-lang/rfcs#2](https://github.com/rust-lang/rfcs/pull/2)".to_owned()
                ),
                ("Rust Issue #".to_owned(), "N/A".to_owned()),
            ]
        );

        // A title before the list, an unparsable date, and an H1 that is a section, not a title.
        let meta = read("# Roadmap\n\n- Start Date: (fill me in)\n\n## Summary\n", 0);
        assert_eq!(meta.title.as_deref(), Some("Roadmap"));
        assert_eq!(meta.date, None);
        let meta = read("- Start Date: 2020-01-22\n\n# Summary\n", 0);
        assert_eq!(meta.title, None);
        assert_eq!(meta.date, date("2020-01-22"));
    }

    #[test]
    fn plain_document_has_nothing() {
        let text = "Just some text, with a [link](other.md).\n\nAnother paragraph: with a colon.\n";
        assert_eq!(read(text, 0), BodyMetadata::default());
        let meta = read("# Hello\n\nSome text.\n\n## Details\n\nMore.\n", 0);
        assert_eq!(
            meta,
            BodyMetadata {
                title: Some("Hello".to_owned()),
                ..BodyMetadata::default()
            }
        );
        assert_eq!(read("", 0), BodyMetadata::default());

        // A handbook page: a list of definitions is not metadata, and text under a first `##`
        // heading is not a header.
        let text = "Our principles:\n\n- **Open**: content is open to all.\n- **Living**: it changes.\n\n\
                    ## Guidelines\n\nDate: 2020-01-01\n";
        assert_eq!(read(text, 0), BodyMetadata::default());
        let text = "Records are words.\n\n## Guidelines\n\nDate: 2020-01-01\n\n- See also: [tools](tools.md)\n";
        assert_eq!(read(text, 0), BodyMetadata::default());
    }

    #[test]
    fn madr_4_body_is_recognised_by_its_sections() {
        let text = "# Use X\n\n## Context and Problem Statement\n\nWhy.\n\n## Decision Outcome\n\n\
                    Chosen option: \"X\".\n\n* Status: rejected\n";
        let meta = read(text, 0);
        assert_eq!(meta.format, Some(Format::Madr));
        assert_eq!(meta.status, None);
    }

    #[test]
    fn metadata_deep_in_the_document_is_ignored() {
        let text = "# Choose a database\n\n## Decision\n\n- Status: rejected\n- Date: 2020-01-01\n- Deciders: Zed\n\n\
                    Superseded by [x](x.md)\n";
        let meta = read(text, 0);
        assert_eq!(meta.status, None);
        assert_eq!(meta.date, None);
        assert!(meta.deciders.is_empty());
        assert!(meta.relations.is_empty());

        // Code blocks and quotes in the header and in a status section are not metadata.
        let text = "# T\n\n```\n- Status: fenced\n```\n\n> Date: 2020-01-01\n\n## Status\n\n\
                    ~~~\nSuperseded by [x](x.md)\n~~~\n\n    Accepted\n\nProposed\n";
        let meta = read(text, 0);
        assert_eq!(meta.status.as_deref(), Some("Proposed"));
        assert_eq!(meta.date, None);
        assert!(meta.relations.is_empty());

        // Without headings, the header ends where a second list starts.
        let meta = read("- Date: 2020-01-01\n\nProse.\n\n- Status: rejected\n", 0);
        assert_eq!(meta.date, date("2020-01-01"));
        assert_eq!(meta.status, None);
    }

    #[test]
    fn status_text_is_cleaned() {
        let meta = read("# T\n\n## Status\n\n**Accepted.**\n", 0);
        assert_eq!(meta.status.as_deref(), Some("Accepted"));
        let meta = read("# T\n\n* Status: on hold <!-- not in MADR's list -->\n", 0);
        assert_eq!(meta.status.as_deref(), Some("on hold"));
        let meta = read("# T\n\n## Status: Deprecated\n\n## Context\n", 0);
        assert_eq!(meta.status.as_deref(), Some("Deprecated"));
        let meta = read("# T\n\n## Status\n\nStatus: Accepted\nDate: 2022-02-02\n", 0);
        assert_eq!(meta.status.as_deref(), Some("Accepted"));
        assert_eq!(meta.date, date("2022-02-02"));
    }

    #[test]
    fn non_ascii_and_crlf() {
        let text = "# 3. Überprüfung der Größe 🚀\r\n\r\nDate: 2021-05-06\r\n\r\n## Status\r\n\r\nAkzeptiert\r\n\r\n\
                    Supersedes [2. Ältere Entscheidung](0002-ältere.md)\r\nAmended by ADR-0007\r\n\r\n## Kontext\r\n";
        let meta = read(text, 0);
        assert_eq!(meta.format, Some(Format::Nygard));
        assert_eq!(meta.title.as_deref(), Some("Überprüfung der Größe 🚀"));
        assert_eq!(meta.number, Some(3));
        assert_eq!(meta.date, date("2021-05-06"));
        assert_eq!(meta.status.as_deref(), Some("Akzeptiert"));
        assert_eq!(
            relations(&meta),
            [
                relation(RelationKind::Supersedes, "0002-ältere.md"),
                relation(RelationKind::AmendedBy, "ADR-0007")
            ]
        );
        assert_eq!(
            &text[meta.relations[0].span.clone()],
            "[2. Ältere Entscheidung](0002-ältere.md)"
        );
        assert_eq!(&text[meta.relations[1].span.clone()], "Amended by ADR-0007");

        let text = "# Entscheidung\r\n\r\n* Status: angenommen\r\n* Deciders: Zoë, José und Ana\r\n\r\n## Kontext\r\n";
        let meta = read(text, 0);
        assert_eq!(meta.status.as_deref(), Some("angenommen"));
        assert_eq!(meta.deciders, strings(&["Zoë", "José und Ana"]));
    }

    #[test]
    fn spans_are_in_the_whole_file() {
        let front = "---\nstatus: ignored here\n---\n";
        let text = format!(
            "{front}# Old\n\n- Status: superseded by [new](0002-new.md)\n\n## Links\n\n- Superseded by ADR-3\n"
        );
        let meta = read(&text, front.len());
        assert_eq!(meta.status.as_deref(), Some("superseded"));
        assert_eq!(meta.relations.len(), 2);
        assert_eq!(&text[meta.relations[0].span.clone()], "[new](0002-new.md)");
        assert_eq!(&text[meta.relations[1].span.clone()], "Superseded by ADR-3");
        // A wrapped link stays one line.
        let text = "# T\n\n## Status\n\nSuperseded by [3. A long\ntitle](0003-a-long-title.md)\n";
        let meta = read(text, 0);
        assert_eq!(
            &text[meta.relations[0].span.clone()],
            "[3. A long\ntitle](0003-a-long-title.md)"
        );
    }

    #[test]
    fn never_panics_on_any_start_or_prefix() {
        let text = "# 1. Ünïcødé\r\n\r\n* Status: süperseded by [x](ÿ.md) <!-- c\r\n* Date: 2020-01-01\r\n\r\n\
                    ## Status\r\n\r\nSupersedes [é\r\nà](a.md), [b](b.md) and\r\n\u{FFFC} Amends 🚀\r\n\
                    - Tags: #a #b\r\n\r\n## Links\r\n\r\n- Relates to \u{FFFC}[x][ref]\r\n\r\n[ref]: r.md\r\n";
        for start in 0..=text.len() + 1 {
            let _ = read(text, start);
        }
        for end in (0..=text.len()).filter(|&end| text.is_char_boundary(end)) {
            let _ = read(&text[..end], 0);
        }
    }
}
