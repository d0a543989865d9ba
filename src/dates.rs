//! Dates, times and review periods as people write them in front matter and file names.

use jiff::civil::{Date, Time};
use jiff::{Span, ToSpan};

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.len() != 10 {
        return None;
    }
    text.parse().ok()
}

/// Parses a date with an optional time: `2026-11-20`, `2026-11-20T15:00`, `2026-11-20 15:00:00`,
/// and RFC 3339 with an offset (the offset is dropped: meetings carry their zone separately).
pub fn parse_date_time(text: &str) -> Option<(Date, Option<Time>)> {
    let text = text.trim();
    let date = parse_date(text.get(..10)?)?;
    let rest = &text[10..];
    if rest.is_empty() {
        return Some((date, None));
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let time_part = rest.find(['Z', 'z', '+', '-']).map_or(rest, |end| &rest[..end]);
    Some((date, Some(parse_time(time_part)?)))
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

/// The date a file name starts with: `2026-11-20-weekly.md` or `20261120-slug.md`.
pub fn date_prefix(stem: &str) -> Option<Date> {
    if let Some(date) = stem.get(..10).and_then(parse_date) {
        return Some(date);
    }
    let digits = stem.get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) || stem[8..].starts_with(|c: char| c.is_ascii_digit()) {
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
        let (d, t) = parse_date_time("2026-11-20T15:30:00+02:00").unwrap();
        assert_eq!((d, t), (date(2026, 11, 20), Some(Time::constant(15, 30, 0, 0))));
        assert_eq!(
            parse_date_time("2026-11-20 09:05").unwrap().1,
            Some(Time::constant(9, 5, 0, 0))
        );
        assert_eq!(parse_date_time("2026-11-20x"), None);
        assert_eq!(parse_time("25:00"), None);
    }

    #[test]
    fn file_name_prefixes() {
        assert_eq!(date_prefix("2026-11-20-weekly"), Some(date(2026, 11, 20)));
        assert_eq!(date_prefix("20201016-use-adrs"), Some(date(2020, 10, 16)));
        assert_eq!(date_prefix("0007-use-postgres"), None);
        assert_eq!(date_prefix("202011160"), None);
        assert_eq!(date_prefix("notes"), None);
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
