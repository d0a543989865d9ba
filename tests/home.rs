//! The home page as a reader's morning starts: what needs attention and what changed first, then
//! the welcome text and the latest records; and the people index, with each person's role, time
//! zone and clock. (The browser's part, re-dating by the reader's day and the last visit, is in
//! `tests/browser.rs`.)

mod common;

use common::{Fixture, quiet};

/// A handbook built on 2026-11-25 (the fixtures' today) with something of every kind that can
/// need attention, and some that does not yet.
fn busy_handbook() -> Fixture {
    Fixture::new(&[
        (
            "content/_index.md",
            "+++\ntitle = \"Team\"\n+++\nWelcome to the team handbook.\n",
        ),
        (
            "content/meetings/2026-11-18-sync.md",
            "+++\ntitle = \"Sync\"\n+++\n\
             - [ ] @ana Overdue thing (due 2026-11-01)\n\
             - [ ] @ben Soon thing (due 2026-12-01)\n\
             - [ ] @ana Far thing (due 2027-06-01)\n\
             - [ ] @ben Undated thing\n\
             - [x] @ana Finished thing (due 2026-10-01)\n",
        ),
        (
            "content/protocols/on-call.md",
            "+++\ntitle = \"On-call\"\nowner = \"ben\"\nreviewed = 2025-01-01\nreview_every = \"90d\"\n+++\nRota.\n",
        ),
        (
            "content/protocols/backups.md",
            "+++\ntitle = \"Backups\"\nreviewed = 2026-09-10\nreview_every = \"90d\"\n+++\nNightly.\n",
        ),
        (
            "content/protocols/writing.md",
            "+++\ntitle = \"Writing\"\nreviewed = 2026-11-01\n+++\nPlainly.\n",
        ),
        (
            "content/decisions/0001-use-postgres.md",
            "+++\ntitle = \"Use Postgres\"\ndate = 2026-10-01\nstatus = \"accepted\"\n+++\nYes.\n",
        ),
        (
            "content/decisions/0002-shard.md",
            "+++\ntitle = \"Shard by team\"\ndate = 2026-11-20\nstatus = \"proposed\"\n+++\nMaybe.\n",
        ),
        ("content/people/ana.md", "+++\nname = \"Ana\"\n+++\n"),
        ("content/people/ben.md", "+++\nname = \"Ben\"\n+++\n"),
    ])
}

/// The part of `html` from `start` to the first `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start} in {html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or_else(|| panic!("no {end} after {start}"))]
}

/// The `<li>` (its start tag and content) whose content holds `text`.
fn item<'a>(html: &'a str, text: &str) -> &'a str {
    let at = html.find(text).unwrap_or_else(|| panic!("no {text} in {html}"));
    let start = html[..at].rfind("<li").unwrap();
    &html[start..at + html[at..].find("</li>").unwrap()]
}

#[test]
fn the_home_page_leads_with_what_needs_attention_and_what_changed() {
    let hb = busy_handbook();
    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let home = hb.read("public/index.html");
    let at = |text: &str| home.find(text).unwrap_or_else(|| panic!("no {text}"));
    assert!(at("id=\"needs-attention\"") < at("id=\"since-last-visit\""));
    assert!(at("id=\"since-last-visit\"") < at("Welcome to the team handbook."));
    assert!(at("Welcome to the team handbook.") < at("id=\"recent-decisions\""));

    let attention = between(&home, "data-attention", "id=\"since-last-visit\"");
    // Overdue on the build day: shown, with its owner, due date and meeting.
    let overdue = item(attention, "Overdue thing");
    assert!(
        overdue.starts_with("<li data-due=\"2026-11-01\" class=\"overdue\">"),
        "{overdue}"
    );
    assert!(
        overdue.contains("<a href=\"people/ana/index.html\">Ana</a>"),
        "{overdue}"
    );
    assert!(overdue.contains("due <time datetime=\"2026-11-01\">"), "{overdue}");
    assert!(overdue.contains("<a class=\"from\" href=\"meetings/2026-11-18-sync/index.html\">Sync</a>"));
    // Due within the month after the build: in the page, hidden until the reader's day
    // passes it; due later, undated or done: not there.
    assert!(item(attention, "Soon thing").starts_with("<li data-due=\"2026-12-01\" hidden>"));
    for absent in ["Far thing", "Undated thing", "Finished thing"] {
        assert!(!attention.contains(absent), "{absent}");
    }
    let actions = between(attention, "attention-actions", "</section>");
    assert!(actions.contains("data-total=\"1\""), "{actions}");
    assert!(actions.contains("href=\"actions/index.html\""));

    // On-call was due for review in April; Backups falls due in December (hidden till then);
    // Writing is months away.
    let reviews = between(attention, "attention-reviews", "</section>");
    assert!(reviews.contains("data-total=\"1\""), "{reviews}");
    let on_call = item(reviews, "On-call");
    assert!(
        on_call.starts_with("<li data-due=\"2025-04-01\" class=\"overdue\">"),
        "{on_call}"
    );
    assert!(
        on_call.contains("<a href=\"people/ben/index.html\">Ben</a>"),
        "{on_call}"
    );
    assert!(item(reviews, "Backups").starts_with("<li data-due=\"2026-12-09\" hidden>"));
    assert!(!reviews.contains("Writing"));

    // Proposals wait for input whatever the day: no date to compare, never hidden.
    let proposed = between(attention, "attention-proposed", "</section>");
    let shard = item(proposed, "0002: Shard by team");
    assert!(shard.starts_with("<li>"), "{shard}");
    assert!(shard.contains("href=\"decisions/0002-shard/index.html\""));
    assert!(!proposed.contains("Use Postgres"));
    assert!(proposed.contains("href=\"decisions/status/proposed/index.html\""));
    assert!(attention.contains("<p class=\"home-none\" hidden>Nothing needs attention.</p>"));

    // Recent records below, without summaries or empty panels.
    assert!(home.contains("id=\"recent-meetings\""));
    assert!(!home.contains("Nothing here yet"));
    assert!(common::broken_links(&hb.path("public")).is_empty());
}

#[test]
fn empty_sections_collapse_into_one_line_and_a_handbook_without_meetings_shows_no_meeting_panel() {
    let hb = Fixture::new(&[
        ("content/_index.md", "+++\ntitle = \"Team\"\n+++\nWelcome.\n"),
        (
            "content/decisions/0001-use-postgres.md",
            "+++\ntitle = \"Use Postgres\"\nstatus = \"accepted\"\n+++\nYes.\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success();
    let home = hb.read("public/index.html");
    let attention = between(
        &home,
        "<section class=\"home-section attention",
        "id=\"since-last-visit\"",
    );
    assert!(attention.contains("attention is-empty\""), "{attention}");
    assert!(attention.contains("<p class=\"home-none\">Nothing needs attention.</p>"));
    assert!(!attention.contains("attention-group"), "no empty groups: {attention}");
    // Nothing is dated, so nothing changed as far as the build knows.
    let since = between(&home, "<section class=\"home-section since", "</section>");
    assert!(since.contains("since is-empty\""), "{since}");
    assert!(since.contains("<p class=\"home-none\">Nothing has changed yet.</p>"));
    assert!(home.contains("id=\"recent-decisions\""));
    assert!(
        !home.contains("recent-meetings") && !home.contains("All meetings"),
        "{home}"
    );
    assert!(!home.contains("Nothing here yet"));
}

/// The JSON the home page embeds for the browser to list what changed since the last visit.
fn recent_changes(home: &str) -> serde_json::Value {
    let start = "<script type=\"application/json\" data-recent-changes>";
    let json = between(home, start, "</script>").trim_start_matches(start);
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
fn the_embedded_change_list_is_recent_and_no_title_breaks_out_of_it() {
    let tricky = "Use </script><script>alert(1)</script> <!-- & \"quotes\" 'too'";
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-tricky.md",
            &format!(
                "+++\ntitle = {}\ndate = 2026-11-20\nstatus = \"accepted\"\n+++\nYes.\n",
                toml_string(tricky)
            ),
        ),
        (
            "content/guides/recent.md",
            "+++\ntitle = \"Recent\"\ndate = 2026-10-01\n+++\n",
        ),
        (
            "content/guides/old.md",
            "+++\ntitle = \"Old\"\ndate = 2026-09-01\n+++\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success();
    let home = hb.read("public/index.html");
    assert!(!home.contains("<script>alert(1)"), "{home}");
    let recent = recent_changes(&home);
    assert_eq!(recent["from"], "2026-09-26", "sixty days before the build");
    let changes = recent["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "the old page is not in it: {changes:?}");
    assert_eq!(changes[0]["t"], tricky);
    assert_eq!(changes[0]["d"], "2026-11-20");
    assert_eq!(changes[0]["k"], "decision");
    assert_eq!(changes[0]["w"], "new decision");
    assert_eq!(changes[0]["h"], "decisions/0001-tricky/index.html");
    assert_eq!(changes[0]["s"], serde_json::json!(["accepted", "Accepted"]));
    assert_eq!(changes[1]["t"], "Recent");
    assert!(changes[1].get("s").is_none());
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn the_change_list_keeps_whole_days_when_it_is_full() {
    let mut files = Vec::new();
    for (day, count) in [("2026-11-24", 30), ("2026-11-23", 30)] {
        for n in 0..count {
            files.push((
                format!("content/notes/{day}-{n}.md"),
                format!("+++\ntitle = \"Note {day} {n}\"\n+++\n"),
            ));
        }
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let hb = Fixture::new(&files);
    hb.cmd(&["build"]).assert().success();
    let recent = recent_changes(&hb.read("public/index.html"));
    let changes = recent["changes"].as_array().unwrap();
    // Fifty would end in the middle of the 23rd: that day is left out whole, and the list
    // says it is complete from the 24th on.
    assert_eq!(changes.len(), 30);
    assert!(changes.iter().all(|c| c["d"] == "2026-11-24"));
    assert_eq!(recent["from"], "2026-11-24");
}

#[test]
fn open_action_items_carry_their_due_date_for_the_script_everywhere() {
    let hb = busy_handbook();
    hb.cmd(&["build"]).assert().success();
    let meeting = hb.read("public/meetings/2026-11-18-sync/index.html");
    assert!(item(&meeting, "Soon thing").starts_with("<li class=\"open\" data-due=\"2026-12-01\">"));
    assert!(item(&meeting, "Overdue thing").starts_with("<li class=\"overdue\" data-due=\"2026-11-01\">"));
    assert!(
        item(&meeting, "Finished thing").starts_with("<li class=\"done\">"),
        "done stays done"
    );
    assert!(item(&meeting, "Undated thing").starts_with("<li class=\"open\">"));
    let actions = hb.read("public/actions/index.html");
    assert!(item(&actions, "Soon thing").contains("data-due=\"2026-12-01\""));
}

#[test]
fn the_people_index_shows_role_time_zone_and_a_clock() {
    let hb = Fixture::new(&[
        (
            "content/people/ana.md",
            "+++\nname = \"Ana Silva\"\nrole = \"Engineering lead\"\ntimezone = \"Europe/Berlin\"\nhandle = \"@ana\"\n+++\n",
        ),
        (
            "content/people/ben.md",
            "+++\nname = \"Ben\"\ntimezone = \"Pacific/Auckland\"\n+++\n",
        ),
        ("content/people/cy.md", "+++\nname = \"Cy\"\nrole = \"Designer\"\n+++\n"),
    ]);
    hb.cmd(&["build"]).assert().success();
    let people = hb.read("public/people/index.html");
    let at = |text: &str| people.find(text).unwrap_or_else(|| panic!("no {text} in {people}"));
    assert!(at("Ana Silva") < at(">Ben<") && at(">Ben<") < at(">Cy<"));
    let ana = between(&people, "Ana Silva", "</tr>");
    assert!(ana.contains("<td>Engineering lead</td>"), "{ana}");
    assert!(ana.contains("<span class=\"handle\">@ana</span>"), "{ana}");
    // The offset on the build day (winter in Berlin, summer in Auckland) until the script shows
    // the time there.
    assert!(
        ana.contains("<span class=\"clock\" data-zone-clock=\"Europe/Berlin\" data-clock=\"weekday\">UTC+01:00</span>"),
        "{ana}"
    );
    assert!(ana.contains("<span class=\"zone\">Europe/<wbr>Berlin</span>"), "{ana}");
    let ben = between(&people, ">Ben<", "</tr>");
    assert!(ben.contains(">UTC+13:00</span>"), "{ben}");
    let cy = between(&people, ">Cy<", "</tr>");
    assert!(cy.contains("<td>Designer</td>") && !cy.contains("clock"), "{cy}");
    // A zone that is not one is an `unknown-timezone` error (tests/rituals.rs).
    assert!(people.contains("href=\"../people/ana/index.html\""));
}
