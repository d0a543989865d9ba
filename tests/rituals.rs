//! Async rituals: action items carried from meeting to meeting count once, with the newest
//! meeting's owner, due date and state and their history; meetings of a series are named with
//! their dates. (`HANDBOOK_TODAY` is 2026-11-25 in these tests; see `common::handbook`.)

mod common;

use common::Fixture;

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
