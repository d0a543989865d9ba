//! The decision graph: an inline SVG, made at build time, of how decisions supersede and amend
//! each other. Time runs left to right: an arrow goes from a record to the one that replaced or
//! amended it. Each box links to its record, so the graph works without any script.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use super::views::Views;
use crate::markdown::escape;
use crate::resolve::Site;

const BOX_WIDTH: usize = 168;
const BOX_HEIGHT: usize = 46;
const COLUMN: usize = 208;
const ROW: usize = 62;
const MARGIN: usize = 8;
/// Characters of a title that fit in a box.
const TITLE_CHARS: usize = 24;

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
    let columns = positions.values().map(|p| p.0).max().unwrap_or(0) + 1;
    let rows = positions.values().map(|p| p.1).max().unwrap_or(0) + 1;
    let width = columns * COLUMN - (COLUMN - BOX_WIDTH) + 2 * MARGIN;
    let height = rows * ROW - (ROW - BOX_HEIGHT) + 2 * MARGIN;
    let at = |node: usize| {
        let (column, row) = positions[&node];
        (MARGIN + column * COLUMN, MARGIN + row * ROW)
    };

    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"decision-graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"graph-title\">\
<title id=\"graph-title\">How decisions supersede and amend each other</title>\
<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>"
    );
    for edge in &edges {
        let (x1, y1) = at(edge.from);
        let (x2, y2) = at(edge.to);
        let (x1, y1) = (x1 + BOX_WIDTH, y1 + BOX_HEIGHT / 2);
        let y2 = y2 + BOX_HEIGHT / 2;
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
    for (&node, _) in positions.iter() {
        let (x, y) = at(node);
        let reference = views.decision_ref(node);
        // A custom status is any word a record wrote: it is escaped like every other value here.
        let status = escape(reference.status.as_ref().map_or("none", |s| s.name.as_str()));
        let (number, title) = match reference.label.split_once(": ") {
            Some((number, title)) if site.pages[node].decision().and_then(|d| d.number).is_some() => {
                (number.to_string(), title.to_string())
            }
            _ => (String::new(), reference.label.clone()),
        };
        let short = shorten(&title);
        let _ = write!(
            out,
            "<a href=\"{root}{href}\"><g class=\"node status-{status}\"><title>{full}</title>\
<rect x=\"{x}\" y=\"{y}\" width=\"{BOX_WIDTH}\" height=\"{BOX_HEIGHT}\" rx=\"6\"/>\
<text x=\"{tx}\" y=\"{ty1}\" class=\"node-number\">{number} {status_label}</text>\
<text x=\"{tx}\" y=\"{ty2}\">{short}</text></g></a>",
            href = escape(&reference.href),
            full = escape(&reference.label),
            tx = x + 10,
            ty1 = y + 18,
            ty2 = y + 36,
            number = escape(&number),
            status_label = escape(reference.status.as_ref().map_or("", |s| s.label.as_str())),
            short = escape(&short),
        );
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

fn shorten(title: &str) -> String {
    if title.chars().count() <= TITLE_CHARS {
        return title.to_string();
    }
    let cut: String = title.chars().take(TITLE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
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
