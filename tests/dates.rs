//! Dates as real folders write them: in the file name or the heading when front matter has none,
//! and date-times with an offset that keep their instant.

mod common;

use common::{Fixture, quiet};
use jiff::Timestamp;

/// A folder of minutes like the Rust compiler team's: most dated only by their file name.
fn minutes() -> Fixture {
    Fixture::new(&[
        ("handbook.toml", "[folders]\nmeetings = [\"minutes\"]\n"),
        (
            "content/minutes/triage/T-compiler Meeting Agenda 2026-08-13.md",
            "Notes.\n",
        ),
        (
            "content/minutes/triage/T-compiler Meeting Agenda 2026-08-06.md",
            "Notes.\n",
        ),
        // The name's day is cut short; the heading has it.
        (
            "content/minutes/triage/T-compiler Meeting Agenda 2026-04-2.md",
            "# T-compiler Meeting Agenda 2026-04-02\n\nNotes.\n",
        ),
        ("content/minutes/triage/2019-12-05.md", "# Triage\n"),
        ("content/minutes/triage/retro_2026_07_01_notes.md", "Notes.\n"),
        (
            "content/minutes/triage/2026 Q2 P-high Issue Review.md",
            "# 2026 Q2 P-high Issue Review\n",
        ),
    ])
}

/// The `datetime` of the page's "When" row, or `None` when it has none.
fn when(html: &str) -> Option<&str> {
    let row = &html[html.find("<dt>When</dt>")?..];
    let start = row.find("datetime=\"")? + "datetime=\"".len();
    Some(&row[start..start + row[start..].find('"')?])
}

#[test]
fn dates_in_file_names_and_headings_date_the_minutes() {
    let hb = minutes();
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let page = |slug: &str| hb.read(&format!("public/minutes/triage/{slug}/index.html"));

    let agenda = page("t-compiler-meeting-agenda-2026-08-13");
    assert_eq!(when(&agenda), Some("2026-08-13"));
    assert!(
        agenda.contains(">T compiler Meeting Agenda</bdi></h1>"),
        "the date is not in the title"
    );
    assert_eq!(when(&page("t-compiler-meeting-agenda-2026-04-2")), Some("2026-04-02"));
    assert_eq!(when(&page("retro-2026-07-01-notes")), Some("2026-07-01"));
    assert!(page("retro-2026-07-01-notes").contains(">Retro notes</bdi></h1>"));

    // Newest first, whatever the name says before the date; the undated one last.
    let list = hb.read("public/meetings/index.html");
    let at = |text: &str| list.find(text).unwrap_or_else(|| panic!("{text} not listed"));
    let order = [
        "t-compiler-meeting-agenda-2026-08-13/",
        "t-compiler-meeting-agenda-2026-08-06/",
        "retro-2026-07-01-notes/",
        "t-compiler-meeting-agenda-2026-04-2/",
        "2019-12-05/",
        "2026-q2-p-high-issue-review/",
    ];
    for pair in order.windows(2) {
        assert!(at(pair[0]) < at(pair[1]), "{} before {}", pair[0], pair[1]);
    }

    // What's new is the week of the newest meeting, and lists it.
    let home = hb.read("public/index.html");
    assert!(
        home.contains("What's new: week of <time datetime=\"2026-08-10\">"),
        "{home}"
    );
    let week = &home[home.find("id=\"since-last-visit\"").unwrap()..];
    let week = &week[..week.find("</ul>").unwrap()];
    assert!(week.contains("t-compiler-meeting-agenda-2026-08-13/index.html"));
}

#[test]
fn an_undated_record_has_no_empty_facts_box() {
    let hb = minutes();
    hb.write("content/people/ana.md", "Ana.\n");
    hb.cmd(&["build"]).assert().success();
    let undated = hb.read("public/minutes/triage/2026-q2-p-high-issue-review/index.html");
    assert!(!undated.contains("class=\"facts\""), "{undated}");
    assert!(!undated.contains("<time"), "no empty date anywhere: {undated}");
    let person = hb.read("public/people/ana/index.html");
    assert!(!person.contains("class=\"facts\""), "{person}");
    // With something to say, the box is there.
    hb.write(
        "content/minutes/triage/2026 Q2 P-high Issue Review.md",
        "+++\nattendees = [\"ana\"]\n+++\n",
    );
    hb.cmd(&["build"]).assert().success();
    let attended = hb.read("public/minutes/triage/2026-q2-p-high-issue-review/index.html");
    assert!(attended.contains("<dl class=\"facts\">") && !attended.contains("<dt>When</dt>"));
}

#[test]
fn front_matter_wins_over_the_file_name_and_the_name_over_the_heading() {
    let hb = Fixture::new(&[
        (
            "content/meetings/2026-08-13 sync.md",
            "+++\ndate = 2026-01-05\n+++\n# Sync 2025-05-05\n",
        ),
        ("content/meetings/sync 2026-03-03.md", "# Plan for 2026-04-04\n"),
        ("content/meetings/sync 2026-02-30.md", "# Moved to 2026-03-02\n"),
    ]);
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let when_of = |slug: &str| {
        let html = hb.read(&format!("public/meetings/{slug}/index.html"));
        when(&html).map(String::from)
    };
    assert_eq!(when_of("2026-08-13-sync").as_deref(), Some("2026-01-05"));
    assert_eq!(when_of("sync-2026-03-03").as_deref(), Some("2026-03-03"));
    // 2026-02-30 is no day; the heading's date is the next best.
    assert_eq!(when_of("sync-2026-02-30").as_deref(), Some("2026-03-02"));
}

/// Builds one meeting with `front_matter` (TOML) under a site in `site_zone`; its page.
fn meeting(front_matter: &str, site_zone: &str) -> String {
    let hb = Fixture::new(&[
        ("handbook.toml", format!("timezone = \"{site_zone}\"\n").as_str()),
        (
            "content/meetings/sync.md",
            format!("+++\ntitle = \"Sync\"\n{front_matter}+++\n").as_str(),
        ),
    ]);
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    hb.read("public/meetings/sync/index.html")
}

/// The instant in the page's machine-readable "When".
fn instant(html: &str) -> Timestamp {
    when(html).unwrap().parse().unwrap()
}

#[test]
fn an_offset_keeps_its_instant_shown_in_the_meetings_zone() {
    let noon_utc: Timestamp = "2026-11-20T14:00:00Z".parse().unwrap();
    for date in ["2026-11-20T15:00:00+01:00", "2026-11-20T14:00:00Z"] {
        let html = meeting(&format!("date = {date}\ntimezone = \"America/New_York\"\n"), "UTC");
        assert!(
            html.contains(">2026-11-20 09:00 America/New_York</time>"),
            "{date}: {html}"
        );
        assert!(
            html.contains("datetime=\"2026-11-20T09:00:00-05:00\" data-local-time"),
            "{date}"
        );
        assert_eq!(instant(&html), noon_utc, "{date}");
    }
}

#[test]
fn an_offset_without_a_timezone_is_shown_in_the_sites_zone() {
    let html = meeting("date = \"2026-11-20T15:00:00+01:00\"\n", "Asia/Tokyo");
    assert!(html.contains(">2026-11-20 23:00 Asia/Tokyo</time>"), "{html}");
    assert_eq!(instant(&html), "2026-11-20T14:00:00Z".parse().unwrap());
}

#[test]
fn an_instant_falls_on_the_day_of_the_zone_it_is_shown_in() {
    let html = meeting(
        "date = 2026-11-20T01:30:00+01:00\ntimezone = \"America/New_York\"\n",
        "UTC",
    );
    assert!(html.contains(">2026-11-19 19:30 America/New_York</time>"), "{html}");
    assert!(
        html.contains("<time datetime=\"2026-11-19\">2026-11-19</time>"),
        "the page's date too"
    );
}

#[test]
fn a_time_without_an_offset_stays_a_wall_clock_time() {
    let html = meeting(
        "date = 2026-11-20T15:00:00\ntimezone = \"America/New_York\"\n",
        "Asia/Tokyo",
    );
    assert!(html.contains(">2026-11-20 15:00 America/New_York</time>"), "{html}");
    assert_eq!(instant(&html), "2026-11-20T20:00:00Z".parse().unwrap());
}

#[test]
fn yaml_front_matter_offsets_keep_their_instant_too() {
    let hb = Fixture::new(&[(
        "content/meetings/sync.md",
        "---\ntitle: Sync\ndate: 2026-11-20T15:00:00+01:00\ntimezone: America/New_York\n---\n",
    )]);
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let html = hb.read("public/meetings/sync/index.html");
    assert!(html.contains(">2026-11-20 09:00 America/New_York</time>"), "{html}");
}
