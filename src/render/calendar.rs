//! iCalendar files (RFC 5545): one per meeting with a time, to add it to a calendar, and one per
//! meeting series, to subscribe to.
//!
//! Times are written in UTC (`DTSTART:20260305T200000Z`), computed from the meeting's zoned
//! time: every client reads them alike, with no `VTIMEZONE` to ship, and daylight saving is
//! settled by the zone database at build time. A build is reproducible, so nothing here reads
//! the clock: `DTSTAMP` is the page's last change (else the build's day), and the `UID` comes
//! from the page's path and the site's host, so a client updates an event rather than adding it
//! twice when the file is fetched again.

use icalendar::{Calendar, Component, Event, Property};
use jiff::SignedDuration;
use jiff::civil::Date;

use super::page_dates::PageDates;
use super::records::meetings_in;
use super::{Contents, OutputFile, Renderer, escape};
use crate::content::MeetingStatus;
use crate::routes::{meeting_calendar_path, series_calendar_path, slug_segment};

/// How long a meeting is taken to last: front matter has no end time.
const DEFAULT_LENGTH: SignedDuration = SignedDuration::from_hours(1);

/// The calendar of meeting page `index`; `None` when it has no time.
pub(super) fn meeting(r: &Renderer<'_>, index: usize) -> Option<OutputFile> {
    let page = &r.site.pages[index];
    page.meeting()?.start.as_ref()?;
    let mut calendar = calendar(&page.title);
    calendar.push(event(r, index)?);
    Some(file(meeting_calendar_path(&page.path), &calendar))
}

/// The calendar of the series `name`: all its meetings, those without a time as all-day events.
pub(super) fn series(r: &Renderer<'_>, name: &str) -> OutputFile {
    let mut calendar = calendar(&format!("{} · {name}", r.site.config.title));
    let mut meetings = meetings_in(r, Some(name));
    r.newest_first(&mut meetings);
    calendar.extend(meetings.into_iter().rev().filter_map(|i| event(r, i)));
    file(series_calendar_path(name), &calendar)
}

/// An empty calendar named `name`, with a product id of our own (the crate's default names the
/// crate).
fn calendar(name: &str) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//handbook//handbook//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"));
    // The crate escapes the values of the properties RFC 5545 types as text, which the calendar
    // names (RFC 7986 `NAME`, Apple's `X-WR-CALNAME`) are not among: say they are.
    for key in ["NAME", "X-WR-CALNAME"] {
        let mut property = Property::new(key, one_line(name));
        property.add_parameter("VALUE", "TEXT");
        calendar.append_property(property);
    }
    calendar
}

/// The event of meeting page `index`: timed when it has a time, all day when it has only a date,
/// `None` when it has neither.
fn event(r: &Renderer<'_>, index: usize) -> Option<Event> {
    let page = &r.site.pages[index];
    let meeting = page.meeting()?;
    let mut event = Event::new();
    match &meeting.start {
        Some(start) => {
            let start = start.timestamp();
            let end = start.checked_add(DEFAULT_LENGTH).ok()?;
            event
                .add_property("DTSTART", utc(start))
                .add_property("DTEND", utc(end));
        }
        None => {
            let day = page.date?;
            event
                .append_property(all_day("DTSTART", day))
                .append_property(all_day("DTEND", day.tomorrow().ok()?));
        }
    }
    let stamp = PageDates::of(r.site, page).last_change().unwrap_or(r.site.today);
    event
        .uid(&uid(r, &page.path))
        .add_property("DTSTAMP", format!("{}T000000Z", stamp.strftime("%Y%m%d")))
        .summary(&one_line(&page.title));
    let mut description = match &meeting.series {
        Some(series) => format!("Meeting of {series} in {}.", r.site.config.title),
        None => format!("Meeting in {}.", r.site.config.title),
    };
    if let Some(base) = r.site.config.base_url() {
        let url = format!("{base}{}", page.path);
        description.push_str(&format!("\nSummary: {url}"));
        event.url(&url);
    }
    event.description(&one_line(&description));
    // A cancelled meeting stays in the calendars as cancelled, with a higher sequence number, so
    // that calendars subscribed to its series take it off the day (RFC 5545, 3.8.1.11, 3.8.7.4).
    let cancelled = meeting.status_on(page.date, r.site.today) == MeetingStatus::Cancelled;
    event
        .add_property("STATUS", if cancelled { "CANCELLED" } else { "CONFIRMED" })
        .add_property("SEQUENCE", if cancelled { "1" } else { "0" });
    Some(event.done())
}

/// `instant` as an RFC 5545 UTC date-time (`20260305T200000Z`).
fn utc(instant: jiff::Timestamp) -> String {
    instant.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// A `DATE` value (an all-day event's day).
fn all_day(key: &str, day: Date) -> Property {
    let mut property = Property::new(key, day.strftime("%Y%m%d").to_string());
    property.add_parameter("VALUE", "DATE");
    property
}

/// A stable, globally unique id: the page's path at the site's host (or, without a `base_url`,
/// at its slugged title), which stays the same from build to build.
fn uid(r: &Renderer<'_>, path: &str) -> String {
    let config = &r.site.config;
    let host = config
        .base_url()
        .and_then(|base| {
            let rest = base.split_once("://")?.1;
            Some(rest.split('/').next()?.to_string())
        })
        .unwrap_or_else(|| format!("{}.handbook", slug_segment(&config.title)));
    format!("{}@{host}", path.trim_end_matches('/'))
}

/// `text` with its line breaks as `\n`: a bare carriage return is not one of RFC 5545's escapes.
fn one_line(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The calendar file at `path`, without the characters XML 1.0 forbids (see [`escape`]): RFC
/// 5545 forbids those controls in text too.
fn file(path: String, calendar: &Calendar) -> OutputFile {
    OutputFile {
        path,
        contents: Contents::Text(escape::replace_forbidden(calendar.to_string())),
    }
}
