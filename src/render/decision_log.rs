//! The decision log: every record with its number, status, date, deciders and tags, and one page
//! per status, per tag and (when the site has several) per decision log, so it can be filtered without JavaScript (the theme's script adds
//! instant sorting and filtering on top).

use std::collections::BTreeMap;

use serde::Serialize;

use super::views::StatusView;
use super::{OutputFile, Renderer};
use crate::content::{Decision, Kind, Status};
use crate::diagnostics::Diagnostic;
use crate::routes::{decision_log_path, decision_tag_path, same_group, slug_segment, status_path};

/// Which records a decision-log page lists.
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

/// Every decision-log page of the site.
pub(super) fn pages(r: &Renderer<'_>) -> Vec<LogFilter> {
    let mut pages = vec![LogFilter::All];
    pages.extend(statuses(r).into_iter().map(LogFilter::Status));
    pages.extend(tags(r).into_keys().map(LogFilter::Tag));
    pages.extend(logs(r).into_keys().map(LogFilter::Log));
    pages
}

/// The decision logs with how many records each holds, when there is more than one.
fn logs(r: &Renderer<'_>) -> BTreeMap<String, usize> {
    let mut logs: BTreeMap<String, usize> = BTreeMap::new();
    for (_, page) in r.site.of_kind(Kind::Decision) {
        if let Some(decision) = page.decision() {
            *logs.entry(decision.log.clone()).or_default() += 1;
        }
    }
    if logs.len() < 2 {
        logs.clear();
    }
    logs
}

/// The statuses used, in lifecycle order: built-in, then declared, then others by name.
fn statuses(r: &Renderer<'_>) -> Vec<Status> {
    let declared: Vec<String> = r
        .site
        .config
        .decisions
        .statuses
        .iter()
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
    let mut used: Vec<Status> = r
        .site
        .of_kind(Kind::Decision)
        .filter_map(|(_, p)| p.decision().and_then(|d| d.status.clone()))
        .collect();
    used.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.name().cmp(b.name())));
    let mut seen = std::collections::HashSet::new();
    used.retain(|status| seen.insert(slug_segment(status.name())));
    used
}

/// Whether decision page `i` has a status of the same group as `status`.
fn has_status(r: &Renderer<'_>, i: usize, status: &Status) -> bool {
    r.site.pages[i]
        .decision()
        .and_then(|d| d.status.as_ref())
        .is_some_and(|own| same_group(own.name(), status.name()))
}

/// Tags of decisions as first written, with how many records carry each; tags that slug alike
/// (`Security`, `security`) are one tag.
fn tags(r: &Renderer<'_>) -> BTreeMap<String, usize> {
    let mut by_slug: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for (_, page) in r.site.of_kind(Kind::Decision) {
        let mut counted = std::collections::HashSet::new();
        for tag in &page.tags {
            let slug = slug_segment(tag);
            if counted.insert(slug.clone()) {
                by_slug.entry(slug).or_insert_with(|| (tag.clone(), 0)).1 += 1;
            }
        }
    }
    by_slug.into_values().collect()
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

/// The records the page of `filter` lists, in site order.
pub(super) fn members(r: &Renderer<'_>, filter: &LogFilter) -> Vec<usize> {
    r.site
        .of_kind(Kind::Decision)
        .filter(|&(i, page)| match filter {
            LogFilter::All => true,
            LogFilter::Status(status) => has_status(r, i, status),
            LogFilter::Tag(tag) => page.tags.iter().any(|t| same_group(t, tag)),
            LogFilter::Log(log) => page.decision().is_some_and(|d| d.log == *log),
        })
        .map(|(i, _)| i)
        .collect()
}

/// Renders one decision-log page.
pub(super) fn render(r: &Renderer<'_>, filter: &LogFilter) -> Result<OutputFile, Diagnostic> {
    let path = path(filter);
    let mut context = super::generated::index_context(r, &path, "Decision log");
    let mut decisions = members(r, filter);
    r.by_number_desc(&mut decisions);
    let all: Vec<usize> = r.site.of_kind(Kind::Decision).map(|(i, _)| i).collect();
    let status_links: Vec<FilterLink> = statuses(r)
        .iter()
        .map(|status| {
            let view: StatusView = r.views.status(status);
            let count = all.iter().filter(|&&i| has_status(r, i, status)).count();
            FilterLink {
                label: view.label,
                name: view.name,
                color: view.color,
                href: view.href,
                count,
            }
        })
        .collect();
    let tag_links: Vec<FilterLink> = tags(r)
        .into_iter()
        .map(|(tag, count)| FilterLink {
            label: tag.clone(),
            name: tag.clone(),
            color: None,
            href: format!("{}index.html", decision_tag_path(&tag)),
            count,
        })
        .collect();
    let log_links: Vec<FilterLink> = logs(r)
        .into_iter()
        .map(|(log, count)| FilterLink {
            label: if log.is_empty() { "/".to_string() } else { log.clone() },
            name: log.clone(),
            color: None,
            href: format!("{}index.html", decision_log_path(&log)),
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
    r.render("decisions.html", &context, format!("{path}index.html"))
}
