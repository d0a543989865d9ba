//! The decision log: every record with its number, status, date, deciders and tags, and one page
//! per status, per tag and (when the site has several) per decision log, so it can be filtered without JavaScript (the theme's script adds
//! instant sorting and filtering on top).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::Renderer;
use super::generated::Rendered;
use super::views::StatusView;
use crate::content::{Decision, Kind, Status};
use crate::routes::{decision_log_path, decision_tag_path, slug_segment, status_path};

/// Which records a decision-log page lists.
#[derive(PartialEq)]
pub(super) enum LogFilter {
    /// All of them: `decisions/`.
    All,
    /// Those with one status: `decisions/status/<name>/`.
    Status(Status),
    /// Those with one tag: `decisions/tags/<slug>/`.
    Tag(String),
    /// Those of one decision log, when the site has several: `decisions/logs/<slug>/`.
    Log(String),
}

/// A link to a filtered page with how many records it lists.
#[derive(Debug, Serialize)]
struct FilterLink {
    label: String,
    name: String,
    color: Option<String>,
    href: String,
    count: usize,
}

/// Which columns of the log are shown besides the title: those that some record on the page
/// fills. An RFC log has no statuses or deciders; a column of empty cells would only push the
/// others aside.
#[derive(Debug, Serialize)]
struct Columns {
    log: bool,
    number: bool,
    status: bool,
    date: bool,
    deciders: bool,
    tags: bool,
}

impl Columns {
    /// The columns that the pages at `indices` fill.
    fn filled(r: &Renderer<'_>, indices: &[usize]) -> Columns {
        let pages = || indices.iter().map(|&i| &r.site.pages[i]);
        let decided = |fills: fn(&Decision) -> bool| pages().any(|page| page.decision().is_some_and(fills));
        let mut logs = pages().filter_map(|page| page.decision()).map(|d| d.log.as_str());
        let first = logs.next();
        Columns {
            log: logs.any(|log| Some(log) != first),
            number: decided(|d| d.number.is_some()),
            status: decided(|d| d.status.is_some()),
            date: pages().any(|page| page.date.is_some()),
            deciders: decided(|d| !d.deciders.is_empty()),
            tags: pages().any(|page| !page.tags.is_empty()),
        }
    }
}

/// What the page is filtered by, for its heading.
#[derive(Debug, Serialize)]
struct ActiveFilter {
    kind: &'static str,
    label: String,
}

/// What every page of the decision log shows of all of it (its filters, with how many records
/// each lists) and what its pages are filtered by, worked out once per site (its frame keeps
/// it): there is a page per status and per tag, and each would otherwise slug every record's
/// status and tags again.
pub(super) struct LogIndex {
    /// The decision records, in site order.
    decisions: Vec<usize>,
    /// The statuses used, in lifecycle order (built-in, then declared, then others by name), one
    /// per slug, with how many records have a status of that slug.
    statuses: Vec<(Status, usize)>,
    /// Tags of decisions as first written, with how many records carry each; tags that slug
    /// alike (`Security`, `security`) are one tag.
    tags: BTreeMap<String, usize>,
    /// The decision logs with how many records each holds, when there is more than one.
    logs: BTreeMap<String, usize>,
    /// By decision record: the slug of its status, and those of its tags.
    slugs: HashMap<usize, (Option<String>, Vec<String>)>,
}

impl LogIndex {
    /// The index of the decision records of `r`'s site.
    pub(super) fn new(r: &Renderer<'_>) -> LogIndex {
        let decisions: Vec<usize> = r.site.of_kind(Kind::Decision).map(|(i, _)| i).collect();
        let slugs: HashMap<usize, (Option<String>, Vec<String>)> = decisions
            .iter()
            .map(|&i| {
                let page = &r.site.pages[i];
                let status = page.decision().and_then(|d| d.status.as_ref());
                let tags = page.tags.iter().map(|t| slug_segment(t)).collect();
                (i, (status.map(|s| slug_segment(s.name())), tags))
            })
            .collect();
        let mut tags: BTreeMap<String, (String, usize)> = BTreeMap::new();
        let mut logs: BTreeMap<String, usize> = BTreeMap::new();
        for &i in &decisions {
            let page = &r.site.pages[i];
            let mut counted = HashSet::new();
            for (tag, slug) in page.tags.iter().zip(&slugs[&i].1) {
                if counted.insert(slug) {
                    tags.entry(slug.clone()).or_insert_with(|| (tag.clone(), 0)).1 += 1;
                }
            }
            if let Some(decision) = page.decision() {
                *logs.entry(decision.log.clone()).or_default() += 1;
            }
        }
        if logs.len() < 2 {
            logs.clear();
        }
        LogIndex {
            statuses: statuses_used(r, &decisions, &slugs),
            tags: tags.into_values().collect(),
            logs,
            decisions,
            slugs,
        }
    }
}

/// The statuses of `decisions` (whose slugs are in `slugs`), in lifecycle order, one per slug,
/// with their counts.
fn statuses_used(
    r: &Renderer<'_>,
    decisions: &[usize],
    slugs: &HashMap<usize, (Option<String>, Vec<String>)>,
) -> Vec<(Status, usize)> {
    let declared: Vec<String> = (r.site.config.decisions.statuses.iter())
        .map(|s| Status::normalize(&s.name))
        .collect();
    let rank = |status: &Status| {
        Status::BUILT_IN
            .iter()
            .position(|b| *b == status.name())
            .or_else(|| {
                declared
                    .iter()
                    .position(|d| d == status.name())
                    .map(|p| p + Status::BUILT_IN.len())
            })
            .unwrap_or(usize::MAX)
    };
    let mut used: Vec<(&Status, &String)> = (decisions.iter())
        .filter_map(|&i| {
            let status = r.site.pages[i].decision()?.status.as_ref()?;
            Some((status, slugs[&i].0.as_ref()?))
        })
        .collect();
    used.sort_by(|a, b| rank(a.0).cmp(&rank(b.0)).then_with(|| a.0.name().cmp(b.0.name())));
    let mut counts: HashMap<&String, usize> = HashMap::new();
    for (_, slug) in &used {
        *counts.entry(*slug).or_default() += 1;
    }
    let mut seen = HashSet::new();
    used.retain(|(_, slug)| seen.insert(*slug));
    used.into_iter()
        .map(|(status, slug)| (status.clone(), counts[slug]))
        .collect()
}

/// Every decision-log page of the site.
pub(super) fn pages(r: &Renderer<'_>) -> Vec<LogFilter> {
    let index = r.log_index();
    let mut pages = vec![LogFilter::All];
    pages.extend(
        index
            .statuses
            .iter()
            .map(|(status, _)| LogFilter::Status(status.clone())),
    );
    pages.extend(index.tags.keys().cloned().map(LogFilter::Tag));
    pages.extend(index.logs.keys().cloned().map(LogFilter::Log));
    pages
}

/// The site path of the page that `filter` gives.
pub(super) fn path(filter: &LogFilter) -> String {
    match filter {
        LogFilter::All => "decisions/".to_string(),
        LogFilter::Status(status) => status_path(status.name()),
        LogFilter::Tag(tag) => decision_tag_path(tag),
        LogFilter::Log(log) => decision_log_path(log),
    }
}

impl LogIndex {
    /// Whether the log's pages show the same filters with the same counts in both indexes (of
    /// two sites with the same pages at the same addresses): the records, and how many of them
    /// each status, tag and log has.
    pub(super) fn same_counts(&self, other: &LogIndex) -> bool {
        self.decisions == other.decisions
            && self.statuses == other.statuses
            && self.tags == other.tags
            && self.logs == other.logs
    }
}

/// The records the page of `filter` lists, in site order.
pub(super) fn members(r: &Renderer<'_>, filter: &LogFilter) -> Vec<usize> {
    let index = r.log_index();
    let wanted = match filter {
        LogFilter::Status(status) => Some(slug_segment(status.name())),
        LogFilter::Tag(tag) => Some(slug_segment(tag)),
        LogFilter::All | LogFilter::Log(_) => None,
    };
    (index.decisions.iter().copied())
        .filter(|i| {
            let (status, tags) = &index.slugs[i];
            match filter {
                LogFilter::All => true,
                LogFilter::Status(_) => status.is_some() && *status == wanted,
                LogFilter::Tag(_) => tags.iter().any(|t| Some(t) == wanted.as_ref()),
                LogFilter::Log(log) => r.site.pages[*i].decision().is_some_and(|d| d.log == *log),
            }
        })
        .collect()
}

/// Renders one decision-log page.
pub(super) fn render(r: &Renderer<'_>, filter: &LogFilter) -> Option<Rendered> {
    let path = path(filter);
    let mut context = super::generated::index_context(r, &path, "Decision log");
    let mut decisions = members(r, filter);
    r.by_number_desc(&mut decisions);
    let index = r.log_index();
    let all = &index.decisions;
    let status_links: Vec<FilterLink> = (index.statuses.iter())
        .map(|&(ref status, count)| {
            let view: StatusView = r.views.status(status);
            FilterLink {
                label: view.label,
                name: view.name,
                color: view.color,
                href: view.href,
                count,
            }
        })
        .collect();
    let tag_links: Vec<FilterLink> = (index.tags.iter())
        .map(|(tag, &count)| FilterLink {
            label: tag.clone(),
            name: tag.clone(),
            color: None,
            href: format!("{}index.html", decision_tag_path(tag)),
            count,
        })
        .collect();
    let log_links: Vec<FilterLink> = (index.logs.iter())
        .map(|(log, &count)| FilterLink {
            label: if log.is_empty() { "/".to_string() } else { log.clone() },
            name: log.clone(),
            color: None,
            href: format!("{}index.html", decision_log_path(log)),
            count,
        })
        .collect();
    let active = match filter {
        LogFilter::All => None,
        LogFilter::Status(status) => Some(ActiveFilter {
            kind: "status",
            label: r.views.status(status).label,
        }),
        LogFilter::Tag(tag) => Some(ActiveFilter {
            kind: "tag",
            label: tag.clone(),
        }),
        LogFilter::Log(log) => Some(ActiveFilter {
            kind: "log",
            label: log.clone(),
        }),
    };
    if let Some(active) = &active {
        // Below "Decision log" in the breadcrumbs, the filter names the page.
        let crumb = match active.kind {
            "tag" => format!("Tagged “{}”", active.label),
            "log" => format!("Log “{}”", active.label),
            _ => active.label.clone(),
        };
        context.insert("nav", &r.frame.folders.page_nav(r, &path, Some(&crumb)));
    }
    let graph = match filter {
        LogFilter::All => super::graph::svg(r.site, &r.views, &super::root_prefix(&path)),
        _ => String::new(),
    };
    // The decisions due for revisit, most overdue first: on the whole log only.
    let mut due: Vec<(jiff::civil::Date, usize)> = match filter {
        LogFilter::All => all
            .iter()
            .filter_map(|&i| Some((r.site.revisit_due(i).filter(|due| *due <= r.site.today)?, i)))
            .collect(),
        _ => Vec::new(),
    };
    due.sort_unstable();
    context.insert_value("revisit_due", r.list(&due.iter().map(|&(_, i)| i).collect::<Vec<_>>()));
    context.insert("shown", &decisions.len());
    context.insert("columns", &Columns::filled(r, &decisions));
    context.insert_value("decisions", r.list(&decisions));
    context.insert("total", &all.len());
    context.insert("statuses", &status_links);
    context.insert("tags", &tag_links);
    context.insert("logs", &log_links);
    context.insert("filter", &active);
    context.insert("graph", &graph);
    r.render_large("decisions.html", &context, format!("{path}index.html"), 0)
}
