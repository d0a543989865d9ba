//! Dates, times and review periods as people write them in front matter and file names.

use std::ops::Range;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, ToSpan, ZonedDateTime};

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.len() != 10 {
        return None;
    }
    text.parse().ok()
}

/// A `date` as people write it. What it means depends on whether it names an instant: a bare
/// day or a wall-clock time is read in the zone of whatever shows it (the meeting's `timezone`,
/// else the site's), while a time with an offset or `Z` is one instant wherever it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// `2026-11-20`.
    Day(Date),
    /// `2026-11-20T15:00` or `2026-11-20 15:00:00`.
    WallClock(DateTime),
    /// `2026-11-20T15:00:00+01:00` or `2026-11-20T14:00:00Z` (RFC 3339).
    Instant(Timestamp),
}

impl Moment {
    /// The calendar day it falls on in `zone`.
    pub fn day_in(self, zone: &TimeZone) -> Date {
        match self {
            Moment::Day(date) => date,
            Moment::WallClock(datetime) => datetime.date(),
            Moment::Instant(instant) => instant.to_zoned_datetime(zone.clone()).date(),
        }
    }

    /// When it happens, shown in `zone`; `None` for a bare day, which names no time.
    pub fn in_zone(self, zone: &TimeZone) -> Option<ZonedDateTime> {
        match self {
            Moment::Day(_) => None,
            Moment::WallClock(datetime) => datetime.to_zoned_datetime(zone.clone()).ok(),
            Moment::Instant(instant) => Some(instant.to_zoned_datetime(zone.clone())),
        }
    }
}

/// Parses a date with an optional time: `2026-11-20`, `2026-11-20T15:00`, `2026-11-20 15:00:00`,
/// and RFC 3339 with an offset (`+01:00`, `-0500`, `Z`), which keeps its instant.
pub fn parse_date_time(text: &str) -> Option<Moment> {
    let text = text.trim();
    let date = parse_date(text.get(..10)?)?;
    let rest = &text[10..];
    if rest.is_empty() {
        return Some(Moment::Day(date));
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let Some(offset_at) = rest.find(['Z', 'z', '+', '-']) else {
        return Some(Moment::WallClock(date.to_datetime(parse_time(rest)?)));
    };
    // The time as people write it (`9:05`), the offset checked by jiff's RFC 3339 parser.
    let time = parse_time(&rest[..offset_at])?;
    let offset = &rest[offset_at..];
    let instant = format!("{date}T{time}{offset}").parse().ok()?;
    Some(Moment::Instant(instant))
}

/// The day a date or date-time is written on (`2026-11-20T23:00-08:00` → 2026-11-20), for keys
/// that keep only a day (`updated`, `reviewed`): the author's own calendar, whatever the offset.
pub fn parse_day(text: &str) -> Option<Date> {
    parse_date_time(text)?;
    parse_date(&text.trim()[..10])
}

/// Parses `HH:MM` or `HH:MM:SS`.
pub fn parse_time(text: &str) -> Option<Time> {
    let text = text.trim();
    let mut parts = text.split(':');
    let hour: i8 = parts.next()?.parse().ok()?;
    let minute: i8 = parts.next()?.parse().ok()?;
    let second: i8 = match parts.next() {
        Some(s) => s.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    Time::new(hour, minute, second, 0).ok()
}

/// The first date written in a file name or heading, and where it is: `2026-11-20-weekly`,
/// `T-compiler Meeting Agenda 2026-08-13`, `notes_2026_08_13_final`, or a compact
/// `20201016-use-adrs` at the start. A date stands apart from other digits (`120261120` holds
/// none), uses one separator (`-` or `_`, as file names do) and is a real calendar day
/// (`2026-02-30` is not). The compact form only counts at the start, where ADR tools write it:
/// elsewhere eight digits are more often an issue or build number.
pub fn date_in_name(text: &str) -> Option<(Date, Range<usize>)> {
    if let Some(date) = compact_date_prefix(text) {
        return Some((date, 0..8));
    }
    let bytes = text.as_bytes();
    let digit_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    (0..bytes.len().saturating_sub(9)).find_map(|start| {
        if (start > 0 && digit_at(start - 1)) || digit_at(start + 10) {
            return None;
        }
        let candidate = text.get(start..start + 10)?;
        let separator = candidate.as_bytes()[4];
        if !matches!(separator, b'-' | b'_') || candidate.as_bytes()[7] != separator {
            return None;
        }
        let digits: String = candidate.split(char::from(separator)).collect();
        let date = compact_date(&digits)?;
        Some((date, start..start + 10))
    })
}

/// `20201016` followed by a non-digit or nothing.
fn compact_date_prefix(text: &str) -> Option<Date> {
    let digits = text.get(..8)?;
    if text[8..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    compact_date(digits)
}

/// Eight ASCII digits `YYYYMMDD` that name a calendar day.
fn compact_date(digits: &str) -> Option<Date> {
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m, d) = (&digits[..4], &digits[4..6], &digits[6..]);
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// Parses a review period: `90d`, `90 days`, `2 weeks`, `6 months`, `1 year`.
pub fn parse_period(text: &str) -> Option<Span> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let amount: i64 = text[..split].parse().ok()?;
    if amount == 0 || amount > 1000 {
        return None;
    }
    let unit = text[split..].trim().to_ascii_lowercase();
    let span = match unit.trim_end_matches('s') {
        "d" | "day" => amount.days(),
        "w" | "week" => amount.weeks(),
        "m" | "mo" | "month" => amount.months(),
        "y" | "year" => amount.years(),
        _ => return None,
    };
    Some(span)
}

/// Today's date: `HANDBOOK_TODAY` (`YYYY-MM-DD`) when set, so builds and tests can be
/// reproducible, else the system's local date.
pub fn today() -> Date {
    std::env::var("HANDBOOK_TODAY")
        .ok()
        .and_then(|text| parse_date(&text))
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date())
}

/// Serializes an optional date as `"YYYY-MM-DD"` or `null`, for templates.
pub fn serialize_optional<S: serde::Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.collect_str(date),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_and_times() {
        assert_eq!(parse_date("2026-11-20"), Some(date(2026, 11, 20)));
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date_time("2026-11-20"), Some(Moment::Day(date(2026, 11, 20))));
        assert_eq!(
            parse_date_time("2026-11-20 09:05"),
            Some(Moment::WallClock(date(2026, 11, 20).at(9, 5, 0, 0)))
        );
        assert_eq!(parse_date_time("2026-11-20x"), None);
        assert_eq!(parse_day("2026-11-20T23:00-08:00"), Some(date(2026, 11, 20)));
        assert_eq!(parse_day("2026-11-20T25:00"), None);
        assert_eq!(parse_time("25:00"), None);
    }

    #[test]
    fn offsets_keep_their_instant() {
        let utc: Timestamp = "2026-11-20T14:00:00Z".parse().unwrap();
        for written in [
            "2026-11-20T15:00:00+01:00",
            "2026-11-20T15:00+0100",
            "2026-11-20 15:00:00+01",
            "2026-11-20T14:00:00Z",
            "2026-11-20t14:00z",
            "2026-11-20T09:00:00-05:00",
        ] {
            assert_eq!(parse_date_time(written), Some(Moment::Instant(utc)), "{written}");
        }
        assert_eq!(parse_date_time("2026-11-20T15:00:00+01:60"), None);
        assert_eq!(parse_date_time("2026-11-20T15:00:00+1"), None);
        assert_eq!(parse_date_time("2026-11-20T15:00:00+01:00 UTC"), None);
    }

    #[test]
    fn moments_in_a_zone() {
        let new_york = TimeZone::get("America/New_York").unwrap();
        let late = parse_date_time("2026-11-20T01:30:00+01:00").unwrap();
        assert_eq!(late.day_in(&new_york), date(2026, 11, 19));
        let shown = late.in_zone(&new_york).unwrap();
        assert_eq!(
            shown.strftime("%Y-%m-%d %H:%M %:z").to_string(),
            "2026-11-19 19:30 -05:00"
        );
        let wall = parse_date_time("2026-11-20T15:00").unwrap();
        assert_eq!(wall.day_in(&new_york), date(2026, 11, 20));
        assert_eq!(
            wall.in_zone(&new_york).unwrap().strftime("%H:%M %:z").to_string(),
            "15:00 -05:00"
        );
        assert_eq!(Moment::Day(date(2026, 11, 20)).in_zone(&new_york), None);
    }

    #[test]
    fn dates_in_names() {
        let found = |text| date_in_name(text).map(|(date, _)| date);
        // Start, end and middle; dashes or underscores; the compact form at the start.
        assert_eq!(date_in_name("2026-11-20-weekly"), Some((date(2026, 11, 20), 0..10)));
        assert_eq!(
            date_in_name("T-compiler Meeting Agenda 2026-08-13"),
            Some((date(2026, 8, 13), 26..36))
        );
        assert_eq!(found("retro 2026-08-13 notes"), Some(date(2026, 8, 13)));
        assert_eq!(found("notes_2026_08_13_final"), Some(date(2026, 8, 13)));
        assert_eq!(found("20201016-use-adrs"), Some(date(2020, 10, 16)));
        assert_eq!(found("2026-11-20"), Some(date(2026, 11, 20)));
        // The first real date wins over an invalid one before it.
        assert_eq!(found("2026-02-30 moved to 2026-03-02"), Some(date(2026, 3, 2)));
        // Not dates: invalid days, numbers, digits run into the date, mixed separators.
        assert_eq!(found("2026-02-30"), None);
        assert_eq!(found("2026-13-01-plan"), None);
        assert_eq!(found("0007-use-postgres"), None);
        assert_eq!(found("202011160"), None);
        assert_eq!(found("20261"), None);
        assert_eq!(found("PR 12026-11-20"), None);
        assert_eq!(found("2026-11-201"), None);
        assert_eq!(found("build 20261120"), None);
        assert_eq!(found("2026-11_20"), None);
        assert_eq!(found("2026 Q2 P-high review"), None);
        assert_eq!(found("notes"), None);
        assert_eq!(found("Ünïcödé 2026-11-20"), Some(date(2026, 11, 20)));
    }

    #[test]
    fn periods() {
        let base = date(2026, 1, 31);
        let after = |text| base.checked_add(parse_period(text).unwrap()).unwrap();
        assert_eq!(after("90d"), date(2026, 5, 1));
        assert_eq!(after("2 weeks"), date(2026, 2, 14));
        assert_eq!(after("6 months"), date(2026, 7, 31));
        assert_eq!(after("1 year"), date(2027, 1, 31));
        assert!(parse_period("soon").is_none());
        assert!(parse_period("0d").is_none());
    }
}
