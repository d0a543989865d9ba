//! The decision graph: an inline SVG, made at build time, of how decisions supersede and amend
//! each other. Time runs left to right: an arrow goes from a record to the one that replaced or
//! amended it. Each box links to its record, so the graph works without any script.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::views::Views;
use crate::markdown::escape;
use crate::resolve::Site;

const BOX_WIDTH: usize = 200;
const COLUMN: usize = 244;
/// Space between boxes of one column.
const GAP: usize = 16;
const MARGIN: usize = 8;
/// The height of a line of text, for the theme's 13 px labels.
const LINE: usize = 17;
/// How wide a line of a title may be, in columns of UAX #11 (a CJK character takes two): what
/// fits in a box at 13 px.
const LINE_COLUMNS: usize = 25;

/// An arrow from an older record to the one that replaced (`supersede`) or amended it.
struct Edge {
    from: usize,
    to: usize,
    amend: bool,
}

/// The SVG of every decision that supersedes, amends or is superseded or amended by another;
/// empty when there is none. `root` prefixes links, as on every page.
pub(super) fn svg(site: &Site, views: &Views<'_>, root: &str) -> String {
    let edges = edges(site);
    if edges.is_empty() {
        return String::new();
    }
    let positions = layout(site, &edges);
    let labels: HashMap<usize, Label> = positions.keys().map(|&node| (node, label(site, views, node))).collect();
    // Every box is as tall as the longest title needs: titles are shown whole.
    let lines = labels.values().map(|l| l.lines.len()).max().unwrap_or(1);
    let box_height = 2 * LINE + lines * LINE;
    let row = box_height + GAP;
    let columns = positions.values().map(|p| p.0).max().unwrap_or(0) + 1;
    let rows = positions.values().map(|p| p.1).max().unwrap_or(0) + 1;
    let width = columns * COLUMN - (COLUMN - BOX_WIDTH) + 2 * MARGIN;
    let height = rows * row - GAP + 2 * MARGIN;
    let at = |node: usize| {
        let (column, row_index) = positions[&node];
        (MARGIN + column * COLUMN, MARGIN + row_index * row)
    };

    let mut out = String::new();
    // A group, not an image: the boxes are links, which an image's content cannot be.
    let _ = write!(
        out,
        "<svg class=\"decision-graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-labelledby=\"graph-title\">\
<title id=\"graph-title\">How decisions supersede and amend each other</title>\
<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>"
    );
    for edge in &edges {
        let (x1, y1) = at(edge.from);
        let (x2, y2) = at(edge.to);
        let (x1, y1) = (x1 + BOX_WIDTH, y1 + box_height / 2);
        let y2 = y2 + box_height / 2;
        let middle = (x1 + x2) / 2;
        let class = if edge.amend {
            "edge edge-amends"
        } else {
            "edge edge-supersedes"
        };
        let _ = write!(
            out,
            "<path class=\"{class}\" d=\"M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}\" marker-end=\"url(#arrow)\"/>"
        );
    }
    for &node in positions.keys() {
        let (x, y) = at(node);
        let label = &labels[&node];
        let _ = write!(
            out,
            "<a href=\"{root}{href}\"><g class=\"node status-{status}\">\
<rect x=\"{x}\" y=\"{y}\" width=\"{BOX_WIDTH}\" height=\"{box_height}\" rx=\"6\"/>\
<text x=\"{tx}\" y=\"{ty}\" class=\"node-number\">{heading}</text><text>",
            href = escape(&label.href),
            status = escape(&label.status),
            tx = x + 10,
            ty = y + LINE + 4,
            heading = escape(&label.heading),
        );
        for (i, line) in label.lines.iter().enumerate() {
            let _ = write!(
                out,
                "<tspan x=\"{tx}\" y=\"{ty}\">{line}</tspan>",
                tx = x + 10,
                ty = y + (i + 2) * LINE + 4,
                line = escape(line),
            );
        }
        out.push_str("</text></g></a>");
    }
    out.push_str("</svg>");
    out
}

fn edges(site: &Site) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (from, relations) in site.relations.iter().enumerate() {
        edges.extend(
            relations
                .superseded_by
                .iter()
                .map(|&to| Edge { from, to, amend: false }),
        );
        edges.extend(relations.amended_by.iter().map(|&to| Edge { from, to, amend: true }));
    }
    edges
}

/// Columns by the longest chain of older records before a record; rows by connected group,
/// then by number within a column.
fn layout(site: &Site, edges: &[Edge]) -> BTreeMap<usize, (usize, usize)> {
    let mut incoming: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut group = UnionFind::default();
    for edge in edges {
        incoming.entry(edge.to).or_default().push(edge.from);
        incoming.entry(edge.from).or_default();
        group.union(edge.from, edge.to);
    }
    let mut column: HashMap<usize, usize> = HashMap::new();
    let mut nodes: Vec<usize> = incoming.keys().copied().collect();
    nodes.sort_unstable();
    for &node in &nodes {
        depth(node, &incoming, &mut column, 0);
    }
    // Groups in the order of their first record; inside a group, one row per record of the
    // busiest column.
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &node in &nodes {
        groups.entry(group.find(node)).or_default().push(node);
    }
    let mut ordered: Vec<Vec<usize>> = groups.into_values().collect();
    ordered.sort_by_key(|members| members.iter().copied().min());
    let mut positions = BTreeMap::new();
    let mut first_row = 0;
    for members in ordered {
        let mut per_column: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &node in &members {
            per_column.entry(column[&node]).or_default().push(node);
        }
        let mut height = 0;
        for (&col, column_nodes) in &mut per_column {
            column_nodes.sort_by_key(|&n| (site.pages[n].decision().and_then(|d| d.number), n));
            for (row, &node) in column_nodes.iter().enumerate() {
                positions.insert(node, (col, first_row + row));
            }
            height = height.max(column_nodes.len());
        }
        first_row += height;
    }
    positions
}

/// The longest chain of older records before `node`; cycles (already reported as errors) are
/// cut off by the depth limit.
fn depth(node: usize, incoming: &HashMap<usize, Vec<usize>>, memo: &mut HashMap<usize, usize>, guard: usize) -> usize {
    if let Some(&known) = memo.get(&node) {
        return known;
    }
    if guard > incoming.len() {
        return 0;
    }
    let value = incoming[&node]
        .iter()
        .map(|&from| depth(from, incoming, memo, guard + 1) + 1)
        .max()
        .unwrap_or(0);
    memo.insert(node, value);
    value
}

/// What a box shows of a record, as plain text (escaped when written); its words are also the
/// link's accessible name.
struct Label {
    href: String,
    /// The status's name, for the box's class: any word a record wrote.
    status: String,
    /// The number and status label, on the first line.
    heading: String,
    /// The title, wrapped.
    lines: Vec<String>,
}

fn label(site: &Site, views: &Views<'_>, node: usize) -> Label {
    let reference = views.decision_ref(node);
    let status_label = reference.status.as_ref().map_or("", |s| s.label.as_str());
    let (number, title) = match reference.label.split_once(": ") {
        Some((number, title)) if site.pages[node].decision().and_then(|d| d.number).is_some() => (number, title),
        _ => ("", reference.label.as_str()),
    };
    Label {
        href: reference.href.clone(),
        status: reference
            .status
            .as_ref()
            .map_or("none", |s| s.name.as_str())
            .to_string(),
        heading: format!("{number} {status_label}").trim().to_string(),
        lines: wrap(title, LINE_COLUMNS),
    }
}

/// `text` in lines of at most `columns` columns (UAX #11 widths), broken between words, and
/// inside a word only when it is longer than a line.
fn wrap(text: &str, columns: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = if line.is_empty() {
            word.width()
        } else {
            line.width() + 1 + word.width()
        };
        if needed <= columns {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            if line.width() + c.width().unwrap_or(0) > columns {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Groups of connected records.
#[derive(Default)]
struct UnionFind {
    parent: HashMap<usize, usize>,
}

impl UnionFind {
    fn find(&mut self, node: usize) -> usize {
        let parent = *self.parent.entry(node).or_insert(node);
        if parent == node {
            return node;
        }
        let root = self.find(parent);
        self.parent.insert(node, root);
        root
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent.insert(a.max(b), a.min(b));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn titles_wrap_between_words_and_keep_every_character() {
        assert_eq!(
            wrap("Rotate the standup call time across time zones", 25),
            ["Rotate the standup call", "time across time zones"]
        );
        assert_eq!(wrap("short", 25), ["short"]);
        assert_eq!(wrap("", 25), [""]);
        assert_eq!(
            wrap("Supercalifragilisticexpialidocious!", 25),
            ["Supercalifragilisticexpia", "lidocious!"]
        );
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let lines = wrap("決定記録を書くことにしました理由と背景", 25);
        assert_eq!(lines, ["決定記録を書くことにしま", "した理由と背景"]);
        assert!(
            lines
                .iter()
                .all(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) <= 25)
        );
    }
}
