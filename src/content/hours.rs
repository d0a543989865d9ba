//! A person's `working_hours` (`"09:00-17:00"`, in their own time zone), read strictly so that a
//! typo is a diagnostic rather than a silently wrong bar on the time-zone page.

use std::fmt;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// The hours someone works each day, as wall-clock times in their zone. `end` before `start`
/// is an overnight range (`22:00-06:00`), which ends on the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingHours {
    /// When the working day starts.
    pub start: Time,
    /// When it ends.
    pub end: Time,
}

impl WorkingHours {
    /// Reads `HH:MM-HH:MM` (spaces around the hyphen and an en dash allowed, as people type
    /// them); `24:00` may end a day. Why it cannot, when it cannot.
    pub fn parse(text: &str) -> Result<WorkingHours, &'static str> {
        let (start, end) = text
            .split_once(['-', '–'])
            .ok_or("write the start and end joined by a hyphen, e.g. \"09:00-17:00\"")?;
        let start = clock(start.trim(), false)?;
        let end = clock(end.trim(), true)?;
        if start == end {
            return Err("the range is empty: the start and end are the same time");
        }
        Ok(WorkingHours { start, end })
    }

    /// Whether `time` (a wall-clock time in the person's zone) falls in these hours; the end is
    /// not included, so a meeting at 17:00 is outside `09:00-17:00`.
    pub fn contains(&self, time: Time) -> bool {
        if self.overnight() {
            time >= self.start || time < self.end
        } else {
            time >= self.start && time < self.end
        }
    }

    /// Whether the range ends on the next day.
    pub fn overnight(&self) -> bool {
        self.end <= self.start
    }

    /// The instants these hours cover when they start on `day` in `zone`: DST moves them, so the
    /// same hours can be a different UTC range in winter and in summer.
    pub fn on(&self, day: Date, zone: &TimeZone) -> Option<(Timestamp, Timestamp)> {
        let end_day = if self.overnight() {
            day.checked_add(1.day()).ok()?
        } else {
            day
        };
        let start = day.to_datetime(self.start).to_zoned_datetime(zone.clone()).ok()?;
        let end = end_day.to_datetime(self.end).to_zoned_datetime(zone.clone()).ok()?;
        Some((start.timestamp(), end.timestamp()))
    }
}

impl fmt::Display for WorkingHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = if self.end == Time::MAX {
            "24:00".to_string()
        } else {
            self.end.strftime("%H:%M").to_string()
        };
        write!(f, "{}–{end}", self.start.strftime("%H:%M"))
    }
}

/// `HH:MM` with two digits each; `24:00` only as an end (kept as the last instant of the day).
fn clock(text: &str, is_end: bool) -> Result<Time, &'static str> {
    const SHAPE: &str = "write each time as HH:MM with two digits, e.g. \"09:00-17:30\"";
    let bytes = text.as_bytes();
    if bytes.len() != 5 || bytes[2] != b':' || !text.bytes().enumerate().all(|(i, b)| i == 2 || b.is_ascii_digit()) {
        return Err(SHAPE);
    }
    let (hour, minute): (i8, i8) = (
        text[..2].parse().map_err(|_| SHAPE)?,
        text[3..].parse().map_err(|_| SHAPE)?,
    );
    if is_end && hour == 24 && minute == 0 {
        return Ok(Time::MAX);
    }
    Time::new(hour, minute, 0, 0).map_err(|_| "an hour is 00 to 23 and a minute 00 to 59")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn hours(text: &str) -> WorkingHours {
        WorkingHours::parse(text).unwrap()
    }

    #[test]
    fn ranges_in_the_forms_people_write() {
        assert_eq!(hours("09:00-17:00").start, time(9, 0, 0, 0));
        assert_eq!(hours("09:00 – 17:30").end, time(17, 30, 0, 0));
        assert_eq!(hours("16:00-24:00").end, Time::MAX);
        assert_eq!(hours("16:00-24:00").to_string(), "16:00–24:00");
        assert!(hours("22:00-06:00").overnight());
        assert!(!hours("09:00-17:00").overnight());
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "9-5",
            "9:00-17:00",
            "09:00",
            "09:00-",
            "09:00-25:00",
            "09:60-17:00",
            "24:00-08:00",
            "09:00-09:00",
            "09:00-17:00:00",
            "nine to five",
            "+9:00-17:00",
        ] {
            assert!(WorkingHours::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_end_is_not_included_and_overnight_ranges_wrap() {
        let day = hours("09:00-17:00");
        assert!(day.contains(time(9, 0, 0, 0)));
        assert!(!day.contains(time(17, 0, 0, 0)));
        let night = hours("22:00-06:00");
        assert!(night.contains(time(23, 30, 0, 0)));
        assert!(night.contains(time(5, 59, 0, 0)));
        assert!(!night.contains(time(12, 0, 0, 0)));
    }

    #[test]
    fn daylight_saving_moves_the_instants() {
        let berlin = jiff::tz::db().get("Europe/Berlin").unwrap();
        let (winter, _) = hours("09:00-17:00").on(date(2026, 1, 15), &berlin).unwrap();
        let (summer, _) = hours("09:00-17:00").on(date(2026, 7, 15), &berlin).unwrap();
        assert_eq!(winter.to_string(), "2026-01-15T08:00:00Z");
        assert_eq!(summer.to_string(), "2026-07-15T07:00:00Z");
        let (start, end) = hours("22:00-06:00").on(date(2026, 1, 15), &TimeZone::UTC).unwrap();
        assert_eq!((end - start).as_hours(), 8);
    }
}
