//! The time-zone page (`people/time-zones/`): everyone's working hours on one 24-hour UTC axis
//! for the build day, the hours they all share and the best windows for each pair, so that a
//! team spread over the world can see when to meet without converting zones in their heads.
//! Also whether a meeting falls outside an attendee's hours.
//!
//! The hours are converted on the build day itself, so a team with members on both sides of a
//! daylight-saving change sees the windows that hold today, not an average.

use jiff::ToSpan;
use jiff::ZonedDateTime;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::Renderer;
use super::generated::{Rendered, index_context};
use super::views::{LinkView, display_title};
use crate::content::{Kind, Page, Person};
use crate::resolve::Site;
use crate::routes::TIME_ZONES_FILE;

/// Minutes in the UTC day the page draws.
const DAY: usize = 24 * 60;

/// The minutes of the build's UTC day someone works, one flag a minute.
type Minutes = Vec<bool>;

/// A person's row on the page.
#[derive(Serialize)]
struct HoursRow {
    /// Their page.
    page: LinkView,
    /// Their zone, as written.
    timezone: String,
    /// Their hours as written, in their zone (`09:00–17:00`).
    local: String,
    /// The same hours on the UTC axis, one range per stretch (an overnight range or a large
    /// offset splits in two at midnight UTC).
    utc: Vec<Window>,
}

/// A stretch of the UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Window {
    /// Minutes after midnight UTC where it starts, for drawing.
    start: usize,
    /// How many minutes it lasts.
    minutes: usize,
    /// `14:00–16:00 UTC`.
    label: String,
    /// `2 h`, `1 h 30 min`.
    length: String,
}

/// Two people and the windows they share.
#[derive(Serialize)]
struct Pair {
    /// `Amara and Priya: 09:00–11:00 UTC (2 h)`, or that they share no hour.
    text: String,
    /// The shared windows, longest first.
    windows: Vec<Window>,
}

/// Whether the page is written: when anyone gives working hours.
pub(super) fn shown(site: &Site) -> bool {
    people_with_hours(site).next().is_some()
}

/// The page.
pub(super) fn render(r: &Renderer<'_>) -> Rendered {
    let site = r.site;
    let mut people: Vec<(usize, &Person)> = people_with_hours(site).collect();
    people.sort_by_cached_key(|&(i, _)| display_title(&site.pages[i]).to_lowercase());
    let mut rows = Vec::new();
    let mut minutes = Vec::new();
    let mut unplaced = Vec::new();
    for (i, person) in people {
        let (Some(zone), Some(hours)) = (zone_of(person), person.working_hours) else {
            unplaced.push(r.views.link(i));
            continue;
        };
        let worked = worked_minutes(site.today, |day| hours.on(day, &zone));
        rows.push(HoursRow {
            page: r.views.link(i),
            timezone: person.timezone.clone().unwrap_or_default(),
            local: hours.to_string(),
            utc: windows(&worked),
        });
        minutes.push(worked);
    }
    let everyone = (minutes.len() > 1).then(|| windows(&shared(&minutes)));
    let pairs = pairs(&rows, &minutes);
    let mut context = index_context(r, "people/time-zones/", "Time zones");
    context.insert("date", &site.today.to_string());
    context.insert("rows", &rows);
    context.insert("everyone", &everyone);
    context.insert("everyone_text", &everyone.as_deref().map(everyone_text));
    context.insert("pairs", &pairs);
    context.insert("unplaced", &unplaced);
    context.insert("hours", &(0..24).collect::<Vec<u32>>());
    r.render("time_zones.html", &context, TIME_ZONES_FILE.into())
}

/// The people pages that give working hours.
fn people_with_hours(site: &Site) -> impl Iterator<Item = (usize, &Person)> {
    site.of_kind(Kind::Person)
        .filter_map(|(i, page)| Some((i, person(page)?)))
        .filter(|(_, person)| person.working_hours.is_some())
}

fn person(page: &Page) -> Option<&Person> {
    match &page.meta {
        crate::content::KindMeta::Person(person) => Some(person),
        _ => None,
    }
}

/// A person's zone, when it is an IANA zone.
fn zone_of(person: &Person) -> Option<TimeZone> {
    jiff::tz::db().get(person.timezone.as_deref()?).ok()
}

/// Whether the meeting that starts at `start` is outside the working hours of the person `id`;
/// `false` when they give no hours or no zone, since nothing is known then.
pub(super) fn outside_working_hours(site: &Site, id: &str, start: &ZonedDateTime) -> bool {
    let Some(person) = site.people.get(id).and_then(|&i| person(&site.pages[i])) else {
        return false;
    };
    match (person.working_hours, zone_of(person)) {
        (Some(hours), Some(zone)) => !hours.contains(start.with_time_zone(zone).time()),
        _ => false,
    }
}

/// The minutes of `today`'s UTC day covered by the ranges `on` gives for a working day starting
/// the day before, that day and the day after (an overnight range, or a zone far from UTC,
/// reaches into the UTC day from either side).
fn worked_minutes(today: Date, on: impl Fn(Date) -> Option<(jiff::Timestamp, jiff::Timestamp)>) -> Minutes {
    let midnight = today
        .to_zoned_datetime(TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .unwrap_or_default();
    let mut worked = vec![false; DAY];
    let days = [-1, 0, 1].map(|offset: i64| today.checked_add(offset.days()).ok());
    for (start, end) in days.into_iter().flatten().filter_map(&on) {
        for (minute, flag) in worked.iter_mut().enumerate() {
            let at = midnight + 60 * minute as i64;
            if start.as_second() <= at && at < end.as_second() {
                *flag = true;
            }
        }
    }
    worked
}

/// The minutes all of `minutes` share.
fn shared(minutes: &[Minutes]) -> Minutes {
    (0..DAY).map(|m| minutes.iter().all(|worked| worked[m])).collect()
}

/// The stretches of `worked`, in order.
fn windows(worked: &[bool]) -> Vec<Window> {
    let mut found = Vec::new();
    let mut start = None;
    for minute in 0..=worked.len() {
        match (start, worked.get(minute).copied().unwrap_or(false)) {
            (None, true) => start = Some(minute),
            (Some(from), false) => {
                found.push(window(from, minute));
                start = None;
            }
            _ => {}
        }
    }
    found
}

fn window(start: usize, end: usize) -> Window {
    let clock = |minute: usize| format!("{:02}:{:02}", minute / 60, minute % 60);
    let minutes = end - start;
    let length = match (minutes / 60, minutes % 60) {
        (h, 0) => format!("{h} h"),
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m} min"),
    };
    Window {
        start,
        minutes,
        label: format!("{}–{} UTC", clock(start), clock(end)),
        length,
    }
}

/// `Everyone overlaps 14:00–16:00 UTC (2 h)`, or that they share no hour.
fn everyone_text(windows: &[Window]) -> String {
    if windows.is_empty() {
        return "No hour is shared by everyone on this day.".to_string();
    }
    format!("Everyone overlaps {}.", listed(windows))
}

/// `09:00–11:00 UTC (2 h) and 20:00–21:00 UTC (1 h)`.
fn listed(windows: &[Window]) -> String {
    let each: Vec<String> = windows.iter().map(|w| format!("{} ({})", w.label, w.length)).collect();
    each.join(" and ")
}

/// Each pair of people (in the rows' order) with the windows they share, longest first.
fn pairs(rows: &[HoursRow], minutes: &[Minutes]) -> Vec<Pair> {
    let mut pairs = Vec::new();
    for a in 0..rows.len() {
        for b in a + 1..rows.len() {
            let mut windows = windows(&shared(&[minutes[a].clone(), minutes[b].clone()]));
            windows.sort_by_key(|w| std::cmp::Reverse(w.minutes));
            let names = format!("{} and {}", rows[a].page.title, rows[b].page.title);
            let text = if windows.is_empty() {
                format!("{names}: no shared hour")
            } else {
                format!("{names}: {}", listed(&windows))
            };
            pairs.push(Pair { text, windows });
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stretches_and_their_lengths() {
        let mut worked = vec![false; DAY];
        worked[..60].iter_mut().for_each(|m| *m = true);
        worked[14 * 60..16 * 60 + 30].iter_mut().for_each(|m| *m = true);
        worked[DAY - 45..].iter_mut().for_each(|m| *m = true);
        let labels: Vec<(String, String)> = windows(&worked).into_iter().map(|w| (w.label, w.length)).collect();
        assert_eq!(
            labels,
            [
                ("00:00–01:00 UTC".to_string(), "1 h".to_string()),
                ("14:00–16:30 UTC".to_string(), "2 h 30 min".to_string()),
                ("23:15–24:00 UTC".to_string(), "45 min".to_string()),
            ]
        );
        assert_eq!(everyone_text(&[]), "No hour is shared by everyone on this day.");
    }
}
