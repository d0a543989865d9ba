//! Indexes of meetings and protocols, and the two pages that keep a team honest: open action
//! items by owner, and protocols that need a review.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Renderer;
use super::generated::{Rendered, index_context};
use super::views::{ActionView, PersonRef};
use crate::content::{Kind, MeetingStatus};
use crate::resolve::Site;
use crate::routes::{same_group, series_calendar_path, series_path, slug_segment};

/// How many days ahead the needs-review page looks for reviews coming up.
const UPCOMING_DAYS: i32 = 30;

/// Every meeting series, by name as first written; names that slug alike (`Weekly sync`,
/// `weekly-sync`) are one series.
pub(super) fn series(site: &Site) -> Vec<String> {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (_, page) in site.of_kind(Kind::Meeting) {
        if let Some(name) = page.meeting().and_then(|m| m.series.as_ref()) {
            names.entry(slug_segment(name)).or_insert_with(|| name.clone());
        }
    }
    names.into_values().collect()
}

/// Whether meeting page `i` is in the series `name`.
fn in_series(site: &Site, i: usize, name: &str) -> bool {
    site.pages[i]
        .meeting()
        .and_then(|m| m.series.as_deref())
        .is_some_and(|series| same_group(series, name))
}

#[derive(Serialize)]
struct SeriesLink {
    name: String,
    href: String,
    count: usize,
}

/// The site path of the page of all meetings (`series` = `None`) or of one series.
pub(super) fn meetings_path(series: Option<&str>) -> String {
    series.map_or_else(|| "meetings/".to_string(), series_path)
}

/// The meetings of `series` (all of them for `None`), in site order.
pub(super) fn meetings_in(r: &Renderer<'_>, series: Option<&str>) -> Vec<usize> {
    r.indices_of(Kind::Meeting)
        .into_iter()
        .filter(|&i| series.is_none_or(|name| in_series(r.site, i, name)))
        .collect()
}

/// All meetings (`series` = `None`) or one series, newest first.
/// The planned meetings whose day is today or to come, soonest first: agendas to read ahead.
pub(super) fn upcoming(r: &Renderer<'_>) -> Vec<usize> {
    let today = r.site.today;
    let mut upcoming: Vec<usize> = r
        .site
        .of_kind(Kind::Meeting)
        .filter(|(_, page)| {
            let planned = page
                .meeting()
                .is_some_and(|m| m.status_on(page.date, today) == MeetingStatus::Planned);
            planned && page.date.is_some_and(|date| date >= today)
        })
        .map(|(i, _)| i)
        .collect();
    let pages = &r.site.pages;
    upcoming.sort_by_key(|&i| (pages[i].date, pages[i].meeting().and_then(|m| m.start.clone()), i));
    upcoming
}

pub(super) fn meetings(r: &Renderer<'_>, series: Option<&str>) -> Option<Rendered> {
    let path = meetings_path(series);
    let title = series.map_or_else(|| "Meetings".to_string(), |s| format!("Meetings: {s}"));
    let mut context = index_context(r, &path, &title);
    let mut meetings = meetings_in(r, series);
    r.newest_first(&mut meetings);
    let upcoming: Vec<usize> = upcoming(r).into_iter().filter(|i| meetings.contains(i)).collect();
    context.insert_value("upcoming", r.list(&upcoming));
    let all_series: Vec<SeriesLink> = self::series(r.site)
        .into_iter()
        .map(|name| {
            let count = r
                .site
                .of_kind(Kind::Meeting)
                .filter(|&(i, _)| in_series(r.site, i, &name))
                .count();
            SeriesLink {
                href: format!("{}index.html", series_path(&name)),
                name,
                count,
            }
        })
        .collect();
    context.insert_value("meetings", r.list(&meetings));
    context.insert("series", &series);
    context.insert("series_calendar", &series.map(series_calendar_path));
    context.insert("all_series", &all_series);
    r.render_large("meetings.html", &context, format!("{path}index.html"), 0)
}

/// Protocols by weight, then title.
pub(super) fn protocols(r: &Renderer<'_>) -> Option<Rendered> {
    let mut context = index_context(r, "protocols/", "Protocols");
    let mut protocols = r.indices_of(Kind::Protocol);
    r.by_weight(&mut protocols);
    context.insert_value("protocols", r.list(&protocols));
    r.render_large("protocols.html", &context, "protocols/index.html".into(), 0)
}

/// One owner's open action items.
#[derive(Serialize)]
struct OwnerGroup {
    owner: Option<PersonRef>,
    items: Vec<ActionView>,
    overdue: usize,
}

/// Open action items grouped by owner (overdue first in each group, unassigned last), then the
/// done ones.
pub(super) fn actions(r: &Renderer<'_>) -> Option<Rendered> {
    let mut context = index_context(r, "actions/", "Action items");
    let mut open: BTreeMap<(bool, String), Vec<ActionView>> = BTreeMap::new();
    let mut done = Vec::new();
    // Each item once, as the newest meeting that lists it has it.
    for action in &r.site.actions.all {
        let view = r.views.action(action, true);
        if view.done {
            done.push((r.site.pages[action.latest().meeting].date, view));
        } else {
            let owner = view.owner.as_ref().map(|o| o.name.to_lowercase());
            open.entry((owner.is_none(), owner.unwrap_or_default()))
                .or_default()
                .push(view);
        }
    }
    let groups: Vec<OwnerGroup> = open
        .into_values()
        .map(|mut items| {
            items.sort_by_key(|a| (!a.overdue, a.due.is_none(), a.due));
            OwnerGroup {
                owner: items[0].owner.clone(),
                overdue: items.iter().filter(|a| a.overdue).count(),
                items,
            }
        })
        .collect();
    done.sort_by_key(|d| std::cmp::Reverse(d.0));
    let done: Vec<ActionView> = done.into_iter().map(|(_, view)| view).collect();
    context.insert("open_count", &groups.iter().map(|g| g.items.len()).sum::<usize>());
    context.insert("overdue_count", &groups.iter().map(|g| g.overdue).sum::<usize>());
    context.insert("groups", &groups);
    context.insert("done", &done);
    // The views were copied into the context.
    drop((groups, done));
    r.render_large("actions.html", &context, "actions/index.html".into(), 0)
}

/// Protocols past their review date, most overdue first; then those due soon.
pub(super) fn reviews(r: &Renderer<'_>) -> Option<Rendered> {
    let mut context = index_context(r, "reviews/", "Needs review");
    let default_period = &r.site.config.protocols.review_every;
    let mut overdue = Vec::new();
    let mut upcoming = Vec::new();
    for (i, page) in r.site.of_kind(Kind::Protocol) {
        let Some(next) = page.next_review(default_period) else {
            continue;
        };
        // `page`, and `days` past the review date (negative: days left).
        let days = (r.site.today - next).get_days();
        let review = (days, i);
        if days > 0 {
            overdue.push(review);
        } else if days > -UPCOMING_DAYS {
            upcoming.push(review);
        }
    }
    for (name, mut reviews) in [("overdue", overdue), ("upcoming", upcoming)] {
        reviews.sort_by_key(|&(days, _)| -days);
        let rows = reviews
            .into_iter()
            .map(|(days, i)| r.page_row(i, [("days", days.into())]));
        context.insert_value(name, tera::Value::from(rows.collect::<Vec<_>>()));
    }
    context.insert("upcoming_days", &UPCOMING_DAYS);
    r.render_large("reviews.html", &context, "reviews/index.html".into(), 0)
}
