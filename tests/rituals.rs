//! Async rituals: action items carried from meeting to meeting count once, with the newest
//! meeting's owner, due date and state and their history; meetings of a series are named with
//! their dates. (`HANDBOOK_TODAY` is 2026-11-25 in these tests; see `common::handbook`.)

mod common;

use common::{Fixture, commit, has_git};

fn meeting(date: &str, series: Option<&str>, items: &str) -> String {
    let series = series.map(|s| format!("series = \"{s}\"\n")).unwrap_or_default();
    format!("+++\ntitle = \"Weekly sync\"\ndate = {date}\n{series}+++\n## Action items\n\n{items}")
}

/// A series of three meetings: Ana's item is carried twice and ticked in the newest; Ben's is
/// carried and gets a new due date; a meeting outside the series has an item with Ana's words.
fn carried() -> Fixture {
    let ana = "- [ ] @ana Draft the rota (due 2026-11-05)\n";
    let ben = "- [ ] @ben Book the room (due 2026-11-06)\n";
    Fixture::new(&[
        ("handbook.toml", "title = \"Rituals\"\n"),
        ("content/people/ana.md", "+++\nname = \"Ana\"\n+++\n"),
        ("content/people/ben.md", "+++\nname = \"Ben\"\n+++\n"),
        (
            "content/meetings/2026-11-03-sync.md",
            &meeting("2026-11-03", Some("weekly"), &format!("{ana}{ben}")),
        ),
        (
            "content/meetings/2026-11-10-sync.md",
            &meeting("2026-11-10", Some("weekly"), &format!("{ana}{ben}")),
        ),
        (
            "content/meetings/2026-11-17-sync.md",
            &meeting(
                "2026-11-17",
                Some("weekly"),
                "- [x] @ana draft the rota. (due 2026-11-05)\n- [ ] @ben Book the room (due 2026-11-30)\n",
            ),
        ),
        (
            "content/meetings/2026-11-12-offsite.md",
            &meeting("2026-11-12", None, "- [ ] @ana Draft the rota\n"),
        ),
    ])
}

#[test]
fn a_carried_item_is_one_item_with_the_newest_meetings_state() {
    let hb = carried();
    hb.cmd(&["build"]).assert().success();
    let actions = hb.read("public/actions/index.html");
    assert!(actions.contains("2 open · 1 done"), "{actions}");
    assert!(!actions.contains("overdue</strong>"), "nothing is overdue: {actions}");
    assert_eq!(actions.matches("Book the room").count(), 1, "{actions}");
    assert!(
        actions.contains("raised <a href=\"../meetings/2026-11-03-sync/index.html\" title=\"Weekly sync\">2026-11-03</a>, carried to <a href=\"../meetings/2026-11-10-sync/index.html\" title=\"Weekly sync\">2026-11-10</a> and <a href=\"../meetings/2026-11-17-sync/index.html\" title=\"Weekly sync\">2026-11-17</a>"),
        "{actions}"
    );
    assert!(
        actions.contains(">Weekly sync, 2026-11-17</a>"),
        "named with its date: {actions}"
    );
    assert!(
        actions.contains("due <time datetime=\"2026-11-30\">"),
        "the newest due date"
    );
    // The oldest meeting shows Ana's item as done, as the newest has it.
    let first = hb.read("public/meetings/2026-11-03-sync/index.html");
    // The newest meeting's words, too.
    let at = first.rfind(">draft the rota.<").unwrap_or_else(|| panic!("{first}"));
    let rota = &first[at - 400..at];
    assert!(rota.contains("class=\"done\""), "{rota}");
    // Ana has one open item: the offsite's, which is not the series' item.
    let ana = hb.read("public/people/ana/index.html");
    assert_eq!(ana.matches("Draft the rota").count(), 1, "{ana}");
    assert!(
        ana.contains("2026-11-12-offsite") && !ana.contains("Book the room"),
        "{ana}"
    );
    let home = hb.read("public/index.html");
    assert!(
        !home.contains("Draft the rota"),
        "no overdue rota on the home page: {home}"
    );
}

#[test]
fn check_reports_a_carried_overdue_item_once_at_the_newest_meeting() {
    let hb = carried();
    hb.write(
        "content/meetings/2026-11-17-sync.md",
        &meeting(
            "2026-11-17",
            Some("weekly"),
            "- [ ] @ana Draft the rota (due 2026-11-05)\n- [ ] @ben Book the room (due 2026-11-30)\n",
        ),
    );
    let output = hb.cmd(&["check", "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let overdue: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "action-overdue")
        .collect();
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert_eq!(overdue[0]["file"], "content/meetings/2026-11-17-sync.md");
    assert_eq!(overdue[0]["line"], 8);
}

fn planned(date: &str, status: &str) -> String {
    format!(
        "+++\ntitle = \"Planning\"\ndate = {date}\ntime = \"09:30\"\ntimezone = \"America/New_York\"\n{status}+++\n## Agenda\n\n1. Roadmap\n\n## Pre-reads\n\n- The roadmap draft\n"
    )
}

#[test]
fn a_planned_meeting_is_an_agenda_listed_as_upcoming_until_its_day() {
    let hb = Fixture::new(&[
        ("handbook.toml", "title = \"Rituals\"\n"),
        (
            "content/meetings/2026-12-02-planning.md",
            &planned("2026-12-02", "status = \"planned\"\n"),
        ),
        ("content/meetings/2026-11-30-later.md", &planned("2026-11-30", "")),
        (
            "content/meetings/2026-11-26-off.md",
            &planned("2026-11-26", "status = \"Cancelled\"\n"),
        ),
        ("content/meetings/2026-11-20-held.md", &planned("2026-11-20", "")),
    ]);
    hb.cmd(&["build"]).assert().success();
    let page = hb.read("public/meetings/2026-12-02-planning/index.html");
    assert!(page.contains("Planned: this is the agenda"), "{page}");
    assert!(page.contains("id=\"pre-reads\""), "the pre-reads are shown: {page}");
    assert!(
        !page.contains("Last updated 2026-12-02"),
        "the meeting's day is not the page's: {page}"
    );
    let home = hb.read("public/index.html");
    let upcoming = &home[home.find("id=\"upcoming-heading\"").expect("an Upcoming section")..];
    let soonest = upcoming.find("2026-11-30-later").unwrap();
    let later = upcoming.find("2026-12-02-planning").unwrap();
    assert!(soonest < later, "soonest first");
    assert!(
        upcoming.contains("datetime=\"2026-12-02T09:30:00-05:00\" data-local-time>2026-12-02 09:30 America/New_York"),
        "the time in the meeting's zone, for the reader's: {upcoming}"
    );
    let listed = &upcoming[..upcoming.find("</section>").unwrap()];
    assert!(
        !listed.contains("2026-11-26-off") && !listed.contains("2026-11-20-held"),
        "{listed}"
    );
    let meetings = hb.read("public/meetings/index.html");
    let top = meetings.find("id=\"upcoming-heading\"").unwrap();
    assert!(top < meetings.find("<table").unwrap(), "upcoming comes first");
    let off = hb.read("public/meetings/2026-11-26-off/index.html");
    assert!(off.contains("Cancelled: this meeting did not take place"), "{off}");
    let held = hb.read("public/meetings/2026-11-20-held/index.html");
    assert!(
        !held.contains("banner"),
        "a past meeting without status is held: {held}"
    );
}

#[test]
fn a_planned_meeting_whose_day_passed_without_a_summary_is_a_warning_at_its_status() {
    let hb = Fixture::new(&[
        ("handbook.toml", "title = \"Rituals\"\n"),
        (
            "content/meetings/2026-11-20-planning.md",
            &planned("2026-11-20", "status = \"planned\"\n"),
        ),
        (
            "content/meetings/2026-11-21-off.md",
            &planned("2026-11-21", "status = \"cancelled\"\n"),
        ),
        (
            "content/meetings/2026-11-22-bad.md",
            &planned("2026-11-22", "status = \"plannned\"\n"),
        ),
    ]);
    let output = hb.cmd(&["check", "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let missing: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["code"] == "meeting-without-summary")
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0]["file"], "content/meetings/2026-11-20-planning.md");
    assert_eq!(
        (missing[0]["line"].as_u64(), missing[0]["severity"].as_str()),
        (Some(6), Some("warning"))
    );
    assert!(missing[0]["help"].as_str().unwrap().contains("status = \"cancelled\""));
    let bad = diagnostics
        .iter()
        .find(|d| d["code"] == "unknown-meeting-status")
        .expect("a misspelt status");
    assert_eq!((bad["line"].as_u64(), bad["column"].as_u64()), (Some(6), Some(10)));
    assert!(
        bad["help"].as_str().unwrap().contains("did you mean \"planned\""),
        "{bad}"
    );
    let page = {
        hb.cmd(&["build"]).assert().failure();
        hb.write("content/meetings/2026-11-22-bad.md", &planned("2026-11-22", ""));
        hb.cmd(&["build"]).assert().success();
        hb.read("public/meetings/2026-11-20-planning/index.html")
    };
    assert!(page.contains("no summary has been written yet"), "{page}");
}

#[test]
fn new_meeting_writes_an_agenda_for_another_day() {
    let hb = Fixture::new(&[("handbook.toml", "title = \"Rituals\"\n")]);
    hb.cmd(&["new", "meeting", "Q1 planning", "--planned", "--date", "2027-01-12"])
        .assert()
        .success();
    let text = hb.read("content/meetings/2027-01-12-q1-planning.md");
    assert!(
        text.contains("date = 2027-01-12\n") && text.contains("status = \"planned\"\n"),
        "{text}"
    );
    assert!(text.contains("## Agenda") && text.contains("## Pre-reads"), "{text}");
    hb.cmd(&["new", "meeting", "Sync", "--date", "2027-13-01"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a date"));
    hb.cmd(&["new", "decision", "X", "--planned"]).assert().code(2);
}

fn decision(n: u32, date: &str, extra: &str) -> (String, String) {
    (
        format!("content/decisions/000{n}-d.md"),
        format!("+++\ntitle = \"Decision {n}\"\ndate = {date}\nstatus = \"accepted\"\n{extra}+++\nWhy.\n"),
    )
}

#[test]
fn decisions_due_for_revisit_are_listed_shown_and_reported() {
    let files = [
        decision(1, "2025-01-10", "revisit_by = 2026-11-01\n"),
        decision(2, "2025-11-01", "revisit_every = \"1 year\"\n"),
        decision(3, "2026-01-10", "revisit_every = \"1 year\"\n"),
        decision(4, "2025-01-10", "revisit_by = 2026-01-01\nsuperseded_by = [\"5\"]\n"),
        decision(5, "2026-02-01", "supersedes = [\"4\"]\n"),
    ];
    let mut all: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    all.push(("handbook.toml", "title = \"Rituals\"\n"));
    let hb = Fixture::new(&all);
    hb.cmd(&["build"]).assert().success();
    let log = hb.read("public/decisions/index.html");
    let due = &log[log.find("id=\"revisit-heading\"").expect("Due for revisit")..];
    let due = &due[..due.find("</section>").unwrap()];
    assert!(
        due.find("Decision 1").unwrap() < due.find("Decision 2").unwrap(),
        "most overdue first: {due}"
    );
    assert!(
        !due.contains("Decision 3") && !due.contains("Decision 4"),
        "not due, or superseded: {due}"
    );
    let second = hb.read("public/decisions/0002-d/index.html");
    assert!(
        second.contains("<dt>Revisit by</dt><dd><time datetime=\"2026-11-01\">"),
        "{second}"
    );
    assert!(second.contains("Due for revisit since"), "{second}");
    let third = hb.read("public/decisions/0003-d/index.html");
    assert!(
        third.contains("<dt>Revisit by</dt><dd><time datetime=\"2027-01-10\">")
            && !third.contains("Due for revisit since")
    );
    let home = hb.read("public/index.html");
    assert!(home.contains("Decisions due for revisit"), "{home}");

    let codes = |hb: &Fixture| -> Vec<(String, String)> {
        let output = hb.cmd(&["check", "--format", "json"]).output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "revisit-due")
            .map(|d| {
                (
                    d["file"].as_str().unwrap().to_string(),
                    d["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        codes(&hb),
        [
            ("content/decisions/0001-d.md".to_string(), "note".to_string()),
            ("content/decisions/0002-d.md".to_string(), "note".to_string())
        ]
    );
    hb.write(
        "handbook.toml",
        "title = \"Rituals\"\n[decisions]\nwarn_when_due = true\n",
    );
    assert!(codes(&hb).iter().all(|(_, severity)| severity == "warning"));
    hb.write(
        "content/decisions/0003-d.md",
        "+++\ntitle = \"D\"\nrevisit_every = \"often\"\n+++\n",
    );
    hb.cmd(&["check"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("bad-period"));
}

#[test]
fn new_meeting_carries_the_open_items_of_the_last_meeting_held() {
    let hb = Fixture::new(&[
        ("handbook.toml", "title = \"Rituals\"\n"),
        (
            "content/meetings/2026-11-10-sync.md",
            &meeting(
                "2026-11-10",
                Some("weekly"),
                "- [ ] @ana Draft the rota (due 2026-11-05)\n",
            ),
        ),
        (
            "content/meetings/2026-11-17-sync.md",
            "+++\ntitle = \"Weekly sync\"\ndate = 2026-11-17\nseries = \"weekly\"\nstatus = \"cancelled\"\n+++\nNo quorum.\n",
        ),
    ]);
    hb.cmd(&[
        "new",
        "meeting",
        "Weekly sync",
        "--series",
        "weekly",
        "--date",
        "2026-11-24",
    ])
    .assert()
    .success();
    let text = hb.read("content/meetings/2026-11-24-weekly-sync.md");
    assert!(text.contains("- [ ] @ana Draft the rota (due 2026-11-05)"), "{text}");
    hb.cmd(&["build"]).assert().success();
    let actions = hb.read("public/actions/index.html");
    assert!(actions.contains("1 open"), "{actions}");
    assert!(actions.contains(">2026-11-10</a>, carried to <a"), "{actions}");
}

/// A planned meeting's `date` is the day it will take place, not the day its page was written:
/// "Last updated" and what's new take git's dates.
#[test]
fn a_planned_meetings_day_is_not_its_pages_date() {
    if !has_git() {
        return;
    }
    let hb = Fixture::new(&[
        ("handbook.toml", "title = \"Rituals\"\n"),
        (
            "content/meetings/2026-12-02-planning.md",
            &planned("2026-12-02", "status = \"planned\"\n"),
        ),
    ]);
    commit(&hb, "Ana", "2026-11-20", "Agenda for the planning meeting");
    hb.cmd(&["build"]).assert().success();
    let page = hb.read("public/meetings/2026-12-02-planning/index.html");
    assert!(page.contains("Last updated <time datetime=\"2026-11-20\">"), "{page}");
}

/// From a new user's trial: a revisit due today shows on the home page; a revisit recorded with
/// `revisited` restarts `revisit_every`; a cancelled meeting is cancelled in the calendars and no
/// one attended it; a person's misspelt zone is an error.
#[test]
fn revisits_due_today_recorded_revisits_cancelled_events_and_person_zones() {
    let files = [
        decision(1, "2025-01-10", "revisit_by = 2026-11-25\n"),
        decision(2, "2025-01-10", "revisit_every = \"1 year\"\nrevisited = 2026-06-01\n"),
        decision(3, "2025-01-10", "revisit_by = 2026-11-01\nrevisited = 2026-11-20\n"),
    ];
    let mut all: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let off = "+++\ntitle = \"Sync\"\ndate = 2026-11-26\ntime = \"10:00\"\ntimezone = \"Europe/Berlin\"\nattendees = [\"ana\"]\nstatus = \"cancelled\"\n+++\nNo quorum.\n";
    let agenda = "+++\ntitle = \"Next\"\ndate = 2026-12-03\ntime = \"10:00\"\nattendees = [\"ana\"]\n+++\n## Agenda\n\n1. Roadmap\n";
    all.extend([
        ("handbook.toml", "title = \"Rituals\"\n"),
        (
            "content/people/ana.md",
            "+++\nname = \"Ana\"\ntimezone = \"Europe/Berlin\"\n+++\n",
        ),
        ("content/meetings/2026-11-26-sync.md", off),
        ("content/meetings/2026-12-03-next.md", agenda),
    ]);
    let hb = Fixture::new(&all);
    hb.cmd(&["build"]).assert().success();
    let home = hb.read("public/index.html");
    let due = &home[home.find("attention-revisits").expect("the revisit group")..];
    let due = &due[..due.find("</section>").unwrap()];
    assert!(
        due.contains("data-from-the-day") && due.contains("data-due=\"2026-11-25\" class=\"overdue\""),
        "{due}"
    );
    assert!(
        !due.contains("Decision 2") && !due.contains("Decision 3"),
        "revisited: {due}"
    );
    let ics = hb.read("public/meetings/2026-11-26-sync/meeting.ics");
    assert!(
        ics.contains("STATUS:CANCELLED\r\n") && ics.contains("SEQUENCE:1\r\n"),
        "{ics}"
    );
    let page = hb.read("public/meetings/2026-11-26-sync/index.html");
    assert!(!page.contains("Add to calendar"), "{page}");
    let ana = hb.read("public/people/ana/index.html");
    assert!(
        !ana.contains("2026-11-26-sync") && !ana.contains("2026-12-03-next"),
        "not held: {ana}"
    );
    hb.write(
        "content/people/ana.md",
        "+++\nname = \"Ana\"\ntimezone = \"Europe/Berln\"\n+++\n",
    );
    hb.cmd(&["check"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("unknown-timezone"))
        .stderr(predicates::str::contains("content/people/ana.md:3:12"));
}
