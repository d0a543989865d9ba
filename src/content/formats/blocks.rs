//! The body reduced to the blocks metadata is written in: headings, top-level paragraphs and list
//! items, with their links and the bytes they cover.
//!
//! The block structure comes from pulldown-cmark with the page's own options, so code blocks,
//! HTML blocks and block quotes are skipped exactly as they render; the metadata within a line is
//! read from its source text (see [`super::lines`]).

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};

use super::lines::Line;
use crate::markdown;

/// A link found in a block; `span` is in bytes of the whole file.
#[derive(Debug, Clone)]
pub(super) struct Link {
    pub(super) dest: String,
    pub(super) span: Range<usize>,
}

/// What kind of block a [`Block`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlockKind {
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
pub(super) struct Block {
    pub(super) kind: BlockKind,
    /// The bytes of the file the whole block covers: for a list item, its marker and any list
    /// nested in it.
    pub(super) range: Range<usize>,
    /// The block's text without markup; used for headings, whose code spans and links read as
    /// their text.
    pub(super) plain: String,
    /// The bytes of the file holding the block's own inline content, one range for each stretch
    /// not interrupted by a nested block (a nested list splits an item's text in two).
    pub(super) runs: Vec<Range<usize>>,
    /// The links in the block's own content, in order.
    pub(super) links: Vec<Link>,
    /// Whether a block that is not metadata (code, a quote, a table) is nested in it, so that it
    /// can never be left out of the page as read.
    pub(super) has_other: bool,
}

impl Block {
    pub(super) fn is_heading(&self) -> bool {
        matches!(self.kind, BlockKind::Heading(_))
    }

    /// The block's logical lines. A heading or list item is a single line, because a bullet's
    /// value may wrap; a paragraph has one per source line (Nygard's `Date:` and a status word may
    /// share one), except that a link wrapped over two lines keeps them together.
    pub(super) fn lines(&self, text: &str) -> Vec<Line> {
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

/// What [`scan`] finds in a body.
#[derive(Debug, Default)]
pub(super) struct Scanned {
    /// The blocks metadata may be written in, in document order.
    pub(super) blocks: Vec<Block>,
    /// The bytes of top-level blocks that are not metadata (code, HTML, quotes, tables, rules),
    /// so that a section holding one is never left out as a whole.
    pub(super) others: Vec<Range<usize>>,
}

/// The blocks of `body`, which starts at byte `offset` of `text`; ranges are in `text`.
pub(super) fn scan(text: &str, body: &str, offset: usize) -> Scanned {
    let mut scanner = Scanner {
        text,
        found: Scanned::default(),
        stack: Vec::new(),
        open_run: None,
    };
    // The page's own options, so that blocks here are the blocks the page renders as.
    for (event, range) in Parser::new_ext(body, markdown::options(false)).into_offset_iter() {
        scanner.event(event, range.start + offset..range.end + offset);
    }
    scanner.found
}

/// Walks pulldown-cmark's events and collects [`Block`]s.
struct Scanner<'a> {
    text: &'a str,
    found: Scanned,
    stack: Vec<Open>,
    /// The block whose last run is still open: inline content extends that run until some block
    /// starts or ends.
    open_run: Option<usize>,
}

impl Scanner<'_> {
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
            Event::Html(_) => self.open_run = None,
            Event::Rule => {
                self.open_run = None;
                self.other(range);
            }
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
                self.inline(range.clone());
                Open::Inline
            }
            Tag::Link { dest_url, .. } => {
                self.inline(range.clone());
                if let Some(block) = self.owner().and_then(|index| self.found.blocks.get_mut(index)) {
                    block.links.push(Link {
                        dest: dest_url.to_string(),
                        span: range.clone(),
                    });
                }
                Open::Inline
            }
            Tag::Heading { level, .. } if self.stack.is_empty() => {
                self.new_block(BlockKind::Heading(level), range.clone())
            }
            Tag::Paragraph => match self.stack.last() {
                None => self.new_block(BlockKind::Paragraph, range.clone()),
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
                    .get(range.clone())
                    .and_then(|item| item.trim_start().chars().next())
                    .unwrap_or('-');
                self.new_block(BlockKind::Item { marker, depth }, range.clone())
            }
            _ => Open::Other,
        };
        if matches!(open, Open::Other) {
            self.other(range);
        }
        if !matches!(open, Open::Inline) {
            self.open_run = None;
        }
        self.stack.push(open);
    }

    fn new_block(&mut self, kind: BlockKind, range: Range<usize>) -> Open {
        self.found.blocks.push(Block {
            kind,
            range,
            plain: String::new(),
            runs: Vec::new(),
            links: Vec::new(),
            has_other: false,
        });
        Open::Block(self.found.blocks.len() - 1)
    }

    /// Notes a block that is not metadata: on the block it is nested in, or as a top-level one.
    fn other(&mut self, range: Range<usize>) {
        let within = self.stack.iter().rev().find_map(|open| match open {
            Open::Block(index) => Some(*index),
            _ => None,
        });
        match within.and_then(|index| self.found.blocks.get_mut(index)) {
            Some(block) => block.has_other = true,
            None => self.found.others.push(range),
        }
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
        let Some(block) = self.found.blocks.get_mut(index) else {
            return;
        };
        match block.runs.last_mut() {
            Some(run) if self.open_run == Some(index) => run.end = run.end.max(range.end),
            _ => block.runs.push(range),
        }
        self.open_run = Some(index);
    }

    fn push_plain(&mut self, text: &str) {
        if let Some(block) = self.owner().and_then(|index| self.found.blocks.get_mut(index)) {
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
