//! Calendars: an iCalendar file (RFC 5545) per meeting with a time and per series, read back
//! with the `icalendar` crate's parser and line by line.

mod common;

use common::{Fixture, broken_links};
use icalendar::{Calendar, Component};

/// A weekly series in New York across the switch to daylight saving time (2026-03-08), a meeting
/// with only a date, and one whose title holds what RFC 5545 escapes.
fn handbook(base_url: &str) -> Fixture {
    let meeting = |day: &str, extra: &str| {
        format!(
            "+++\ntitle = \"Sync {day}\"\ndate = {day}\ntime = \"15:00\"\ntimezone = \"America/New_York\"\nseries = \"Weekly sync\"\n{extra}+++\nNotes.\n"
        )
    };
    Fixture::new(&[
        (
            "handbook.toml",
            &format!("title = \"Team\"\ntimezone = \"Europe/Berlin\"\nbase_url = \"{base_url}\"\n"),
        ),
        ("content/meetings/2026-03-05-sync.md", &meeting("2026-03-05", "")),
        ("content/meetings/2026-03-12-sync.md", &meeting("2026-03-12", "")),
        (
            "content/meetings/2026-03-19-sync.md",
            "+++\ntitle = \"Sync without a time\"\ndate = 2026-03-19\nseries = \"weekly-sync\"\n+++\nNotes.\n",
        ),
        (
            "content/meetings/2026-04-01-budget.md",
            "+++\ntitle = \"Budget, Q2; plan\\nand \\\\ more\"\ndate = 2026-04-01\ntime = \"09:30\"\n+++\nNotes.\n",
        ),
    ])
}

fn built(base_url: &str) -> Fixture {
    let hb = handbook(base_url);
    hb.cmd(&["build"]).assert().success().stderr(common::quiet());
    hb
}

/// `text` parsed as a calendar, after checking its lines: CRLF endings, at most 75 octets each
/// (RFC 5545 3.1), one `BEGIN:VCALENDAR` … `END:VCALENDAR`.
fn parse(text: &str) -> Calendar {
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(text.ends_with("END:VCALENDAR\r\n"), "{text}");
    for line in text.split_terminator("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
    }
    text.parse::<Calendar>().unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The events of `calendar` as (DTSTART, DTEND, SUMMARY, UID), in order.
fn events(calendar: &Calendar) -> Vec<(String, String, String, String)> {
    calendar
        .events()
        .map(|event| {
            let value = |key: &str| event.property_value(key).unwrap_or_default().to_string();
            (
                value("DTSTART"),
                value("DTEND"),
                event.get_summary().unwrap_or_default().to_string(),
                value("UID"),
            )
        })
        .collect()
}

#[test]
fn a_series_calendar_gives_utc_times_across_daylight_saving() {
    let hb = built("https://handbook.example.com/");
    let text = hb.read("public/meetings/series/weekly-sync/calendar.ics");
    let calendar = parse(&text);
    let events = events(&calendar);
    let starts: Vec<(&str, &str)> = events.iter().map(|e| (e.0.as_str(), e.1.as_str())).collect();
    // 15:00 in New York is 20:00 UTC in winter (EST) and 19:00 UTC after 8 March (EDT).
    assert_eq!(
        starts,
        [
            ("20260305T200000Z", "20260305T210000Z"),
            ("20260312T190000Z", "20260312T200000Z"),
            ("20260319", "20260320"),
        ]
    );
    assert!(text.contains("DTSTART;VALUE=DATE:20260319\r\n"), "{text}");
    assert_eq!(calendar.get_name(), Some("Team · Weekly sync"));
    let event = calendar.events().next().unwrap();
    assert_eq!(
        event.get_url(),
        Some("https://handbook.example.com/meetings/2026-03-05-sync/")
    );
    assert!(event.get_description().unwrap().contains("Weekly sync"));
}

#[test]
fn each_meeting_with_a_time_has_its_own_calendar_linked_from_its_page() {
    let hb = built("https://handbook.example.com/");
    let calendar = parse(&hb.read("public/meetings/2026-03-12-sync/meeting.ics"));
    let events = events(&calendar);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "20260312T190000Z");
    // Without a zone of its own, a meeting's time is in the site's (Berlin, UTC+2 on 1 April).
    let budget = events_of(&hb, "public/meetings/2026-04-01-budget/meeting.ics");
    assert_eq!(budget[0].0, "20260401T073000Z");
    assert!(!hb.path("public/meetings/2026-03-19-sync/meeting.ics").exists());
    let page = hb.read("public/meetings/2026-03-12-sync/index.html");
    assert!(
        page.contains("href=\"../../meetings/2026-03-12-sync/meeting.ics\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"../../meetings/series/weekly-sync/calendar.ics\""),
        "{page}"
    );
    let series = hb.read("public/meetings/series/weekly-sync/index.html");
    assert!(
        series.contains("href=\"../../../meetings/series/weekly-sync/calendar.ics\""),
        "{series}"
    );
    assert_eq!(broken_links(&hb.path("public")), Vec::<String>::new());
}

fn events_of(hb: &Fixture, file: &str) -> Vec<(String, String, String, String)> {
    events(&parse(&hb.read(file)))
}

#[test]
fn titles_are_escaped_as_rfc_5545_text() {
    let hb = built("https://handbook.example.com/");
    let text = hb.read("public/meetings/2026-04-01-budget/meeting.ics");
    let unfolded = text.replace("\r\n ", "");
    assert!(
        unfolded.contains("SUMMARY:Budget\\, Q2\\; plan\\nand \\\\ more\r\n"),
        "{text}"
    );
    assert_eq!(events(&parse(&text))[0].2, "Budget, Q2; plan\nand \\ more");
    // The calendar's name is the title too, and text as well.
    assert!(
        unfolded.contains("X-WR-CALNAME;VALUE=TEXT:Budget\\, Q2\\; plan\\nand \\\\ more\r\n"),
        "{text}"
    );
}

#[test]
fn uids_are_stable_and_builds_are_byte_identical() {
    let hb = built("https://handbook.example.com/");
    let first = hb.read("public/meetings/series/weekly-sync/calendar.ics");
    let uids: Vec<String> = events(&parse(&first)).into_iter().map(|e| e.3).collect();
    assert_eq!(
        uids,
        [
            "meetings/2026-03-05-sync@handbook.example.com",
            "meetings/2026-03-12-sync@handbook.example.com",
            "meetings/2026-03-19-sync@handbook.example.com",
        ]
    );
    // The same event has the same UID in the meeting's own calendar.
    assert_eq!(
        events_of(&hb, "public/meetings/2026-03-05-sync/meeting.ics")[0].3,
        uids[0]
    );
    // Built again on another day: nothing in the files depends on the clock or the build day.
    let mut again = hb.cmd(&["build"]);
    again.env("HANDBOOK_TODAY", "2026-12-24").assert().success();
    assert_eq!(hb.read("public/meetings/series/weekly-sync/calendar.ics"), first);
}

#[test]
fn without_a_base_url_uids_fall_back_to_the_title_and_no_url_is_given() {
    let hb = built("");
    let calendar = parse(&hb.read("public/meetings/2026-03-05-sync/meeting.ics"));
    let event = calendar.events().next().unwrap();
    assert_eq!(event.get_uid(), Some("meetings/2026-03-05-sync@team.handbook"));
    assert_eq!(event.get_url(), None);
}

#[test]
fn a_file_in_the_way_of_a_meeting_calendar_is_a_conflict() {
    let hb = handbook("");
    hb.write("content/meetings/2026-03-05-sync/meeting.ics", "BEGIN:VCALENDAR\r\n");
    hb.cmd(&["build"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("meeting.ics"));
}
