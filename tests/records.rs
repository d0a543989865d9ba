//! Decisions, meetings, protocols and people as connected records: relations shown on both
//! sides, supersede chains, filtered decision logs, series, action items, reviews, people pages
//! and wiki-links.

mod common;

use common::{Fixture, broken_links};
use predicates::prelude::*;

fn connected_handbook() -> Fixture {
    Fixture::new(&[
        (
            "handbook.toml",
            "[[decisions.statuses]]\nname = \"on-hold\"\nlabel = \"On hold\"\ncolor = \"#6b21a8\"\n",
        ),
        (
            "content/decisions/0001-use-postgres.md",
            "+++\ntitle = \"Use Postgres\"\ndate = 2025-01-10\nstatus = \"superseded\"\ndeciders = [\"ana\"]\ntags = [\"storage\"]\n+++\nFirst.\n",
        ),
        (
            "content/decisions/0002-use-sqlite.md",
            "+++\ntitle = \"Use SQLite\"\ndate = 2025-06-01\nstatus = \"superseded\"\nsupersedes = [1]\nsuperseded_by = [3]\ntags = [\"storage\"]\n+++\nSecond.\n",
        ),
        (
            "content/decisions/0003-use-duckdb.md",
            "---\ntitle: Use DuckDB\ndate: 2026-01-05\nstatus: Accepted\ndeciders: [ana, ben]\ntags: [storage, analytics]\n---\nThird.\n",
        ),
        (
            "content/decisions/0004-nightly-backups.md",
            "+++\ntitle = \"Nightly backups\"\ndate = 2026-02-01\nstatus = \"accepted\"\namends = [3]\nrelated = [\"0001-use-postgres\"]\n+++\n## Fourth heading\n\nFourth.\n",
        ),
        (
            "content/decisions/0005-shard-by-team.md",
            "+++\ntitle = \"Shard by team\"\ndate = 2026-03-01\nstatus = \"On hold\"\n+++\nFifth.\n",
        ),
        (
            "content/meetings/2026-01-05-weekly.md",
            "+++\ntitle = \"Weekly 1\"\ntime = \"09:00\"\ntimezone = \"Pacific/Auckland\"\nseries = \"weekly\"\nattendees = [\"ana\", \"ben\"]\ndecisions = [3]\n+++\n## Action items\n\n- [ ] @ben Migrate the data (due 2026-02-01)\n- [x] @ana Write the record (due 2026-01-06)\n",
        ),
        (
            "content/meetings/2026-01-12-weekly.md",
            "+++\ntitle = \"Weekly 2\"\ndate = 2026-01-12T17:30:00\ntimezone = \"America/Toronto\"\nseries = \"weekly\"\nattendees = [\"ana\"]\n+++\n- [ ] @ana Plan the rollout (due 2027-01-01)\n- [ ] Someone should tidy up\n",
        ),
        (
            "content/meetings/2026-01-19-weekly.md",
            "+++\ntitle = \"Weekly 3\"\nseries = \"weekly\"\n+++\nNothing.\n",
        ),
        (
            "content/protocols/on-call.md",
            "+++\ntitle = \"On-call\"\nowner = \"ben\"\nreviewed = 2025-01-01\nreview_every = \"90d\"\n+++\nRota.\n",
        ),
        (
            "content/protocols/backups.md",
            "+++\ntitle = \"Backups\"\nowner = \"ana\"\nreviewed = 2025-06-01\nreview_every = \"6 months\"\n+++\nNightly.\n",
        ),
        (
            "content/protocols/writing.md",
            "+++\ntitle = \"Writing\"\nowner = \"ana\"\nreviewed = 2026-11-01\n+++\nSee [[0003]], [[decisions/use-sqlite]], [[On-call]], [[Backups|our backups]] and [[0004#fourth-heading]].\n",
        ),
        (
            "content/people/ana.md",
            "+++\nname = \"Ana Lima\"\ntimezone = \"Europe/Lisbon\"\n+++\n",
        ),
        (
            "content/people/ben.md",
            "+++\nname = \"Ben Okoro\"\ntimezone = \"Africa/Lagos\"\n+++\n",
        ),
    ])
}

fn built() -> Fixture {
    let hb = connected_handbook();
    hb.cmd(&["build"]).assert().success().stderr(common::quiet());
    assert_eq!(broken_links(&hb.path("public")), Vec::<String>::new());
    hb
}

#[test]
fn relations_show_on_both_sides_with_the_whole_chain() {
    let hb = built();
    let first = hb.read("public/decisions/0001-use-postgres/index.html");
    assert!(
        first.contains("Superseded by <a href=\"../../decisions/0002-use-sqlite/index.html\">0002: Use SQLite</a>")
    );
    assert!(
        first.contains("Related</dt><dd><a href=\"../../decisions/0004-nightly-backups/index.html\">"),
        "related is symmetric"
    );

    let middle = hb.read("public/decisions/0002-use-sqlite/index.html");
    let chain = &middle[middle.find("Supersede chain").unwrap()..];
    let order: Vec<usize> = [
        "0001: Use Postgres",
        "<strong>0002: Use SQLite</strong>",
        "0003: Use DuckDB",
    ]
    .iter()
    .map(|label| chain.find(label).unwrap_or_else(|| panic!("{label} missing in chain")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "oldest first: {order:?}");
    assert!(chain.contains("badge-current"), "the record in force is marked");

    let third = hb.read("public/decisions/0003-use-duckdb/index.html");
    assert!(third.contains("Supersedes</dt><dd><a href=\"../../decisions/0002-use-sqlite/index.html\">"));
    assert!(third.contains("Amended by</dt><dd><a href=\"../../decisions/0004-nightly-backups/index.html\">"));
    assert!(third.contains("Made in</dt><dd><a href=\"../../meetings/2026-01-05-weekly/index.html\">Weekly 1</a>"));
    assert!(third.contains("status-accepted"), "statuses are read in any case");

    let on_hold = hb.read("public/decisions/0005-shard-by-team/index.html");
    assert!(
        on_hold.contains("class=\"status status-on-hold\" style=\"--status-color: #6b21a8\">On hold</span>"),
        "declared status with label and colour"
    );
}

#[test]
fn the_decision_log_filters_without_javascript_and_draws_the_graph() {
    let hb = built();
    let log = hb.read("public/decisions/index.html");
    for (href, label) in [
        ("decisions/status/accepted/index.html", "Accepted (2)"),
        ("decisions/status/superseded/index.html", "Superseded (2)"),
        ("decisions/status/on-hold/index.html", "On hold (1)"),
        ("decisions/tags/storage/index.html", "storage (3)"),
    ] {
        assert!(
            log.contains(&format!("href=\"../{href}\"")) && log.contains(label),
            "{href} {label}"
        );
    }
    assert!(log.contains("<svg class=\"decision-graph\""));
    assert!(log.contains("<a href=\"../decisions/0002-use-sqlite/index.html\"><g class=\"node status-superseded\">"));
    assert_eq!(log.matches("class=\"edge edge-supersedes\"").count(), 2);
    assert_eq!(log.matches("class=\"edge edge-amends\"").count(), 1);

    let accepted = hb.read("public/decisions/status/accepted/index.html");
    assert!(accepted.contains("Use DuckDB") && accepted.contains("Nightly backups"));
    assert!(!accepted.contains(">Use Postgres<") && !accepted.contains(">Shard by team<"));
    assert!(accepted.contains("2 of 5 decision records"));
    let analytics = hb.read("public/decisions/tags/analytics/index.html");
    assert!(analytics.contains(">Use DuckDB<") && !analytics.contains(">Use SQLite<"));
}

#[test]
fn meetings_have_series_local_times_and_action_items() {
    let hb = built();
    let first = hb.read("public/meetings/2026-01-05-weekly/index.html");
    assert!(
        first.contains("datetime=\"2026-01-05T09:00:00+13:00\""),
        "Auckland summer time"
    );
    assert!(first.contains("rel=\"next\" href=\"../../meetings/2026-01-12-weekly/index.html\""));
    assert!(!first.contains("rel=\"prev\""));
    let second = hb.read("public/meetings/2026-01-12-weekly/index.html");
    assert!(second.contains("datetime=\"2026-01-12T17:30:00-05:00\""));
    assert!(second.contains("rel=\"prev\"") && second.contains("rel=\"next\""));
    let series = hb.read("public/meetings/series/weekly/index.html");
    assert_eq!(series.matches("<td><a href=\"../../../meetings/2026-01-").count(), 3);

    let actions = hb.read("public/actions/index.html");
    let ana = actions.find(">Ana Lima</a> <span class=\"count\">").unwrap();
    let ben = actions.find(">Ben Okoro</a> <span class=\"count\">").unwrap();
    let unassigned = actions.find("Unassigned").unwrap();
    let done = actions.find("Done (1)").unwrap();
    assert!(
        ana < ben && ben < unassigned && unassigned < done,
        "grouped by owner, unassigned then done last"
    );
    let migrate = &actions[actions.find("Migrate the data").unwrap() - 300..];
    assert!(
        migrate.contains("<li class=\"overdue\" data-due=\"2026-02-01\">"),
        "overdue relative to the build date"
    );
    assert!(
        actions.contains("href=\"../meetings/2026-01-05-weekly/index.html\">Weekly 1, 2026-01-05</a>"),
        "links back to the meeting, named with its date as meetings of a series are"
    );
}

#[test]
fn protocols_past_review_are_listed_by_how_overdue() {
    let hb = built();
    let reviews = hb.read("public/reviews/index.html");
    let on_call = reviews.find(">On-call<").unwrap();
    let backups = reviews.find(">Backups<").unwrap();
    assert!(on_call < backups, "most overdue first");
    assert!(
        reviews.contains("<td>603 days</td>"),
        "2025-04-01 to 2026-11-25: {reviews}"
    );
    assert!(!reviews.contains(">Writing<"));
    assert!(
        hb.read("public/protocols/on-call/index.html")
            .contains("banner-warning")
    );
}

#[test]
fn people_pages_list_what_each_person_decided_attended_owes_and_owns() {
    let hb = built();
    let ana = hb.read("public/people/ana/index.html");
    for expected in [
        "0001: Use Postgres",
        "0003: Use DuckDB",
        ">Weekly 1, 2026-01-05<",
        ">Weekly 2, 2026-01-12<",
        "Plan the rollout",
        ">Backups<",
        ">Writing<",
        "data-zone-clock=\"Europe/Lisbon\"",
    ] {
        assert!(ana.contains(expected), "{expected}");
    }
    assert!(!ana.contains("Write the record"), "done items are not owed");
    let ben = hb.read("public/people/ben/index.html");
    assert!(ben.contains("Migrate the data") && ben.contains(">On-call<") && !ben.contains(">Weekly 2<"));
}

#[test]
fn wiki_links_resolve_by_number_path_and_title() {
    let hb = built();
    let writing = hb.read("public/protocols/writing/index.html");
    for expected in [
        "href=\"../../decisions/0003-use-duckdb/index.html\">0003</a>",
        "href=\"../../decisions/0002-use-sqlite/index.html\">decisions/use-sqlite</a>",
        "href=\"../../protocols/on-call/index.html\">On-call</a>",
        "href=\"../../protocols/backups/index.html\">our backups</a>",
        "href=\"../../decisions/0004-nightly-backups/index.html#fourth-heading\"",
    ] {
        assert!(writing.contains(expected), "{expected} in {writing}");
    }
    assert!(
        hb.read("public/decisions/0003-use-duckdb/index.html")
            .contains("Referenced by")
    );
}

#[test]
fn broken_wiki_links_and_anchors_fail_with_their_position_unless_links_only_warn() {
    let hb = connected_handbook();
    hb.write(
        "content/guides/notes.md",
        "Intro.\n\nSee [[0099]] and [[Nope page]].\n\nAnd [[0001#missing]].\n",
    );
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("content/guides/notes.md:3:5"))
        .stderr(predicate::str::contains("broken link: `0099` does not exist"))
        .stderr(predicate::str::contains("content/guides/notes.md:3:18"))
        .stderr(predicate::str::contains("content/guides/notes.md:5:5"))
        .stderr(predicate::str::contains("has no heading `#missing`"));
    let config = hb.read("handbook.toml");
    hb.write("handbook.toml", &format!("{config}\n[links]\nbroken = \"warn\"\n"));
    hb.cmd(&["check"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[broken-link]"));
    hb.cmd(&["check", "--strict"]).assert().code(1);
}

#[test]
fn cycles_and_self_references_are_errors() {
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-a.md",
            "+++\ntitle = \"A\"\nsupersedes = [2]\n+++\n",
        ),
        (
            "content/decisions/0002-b.md",
            "+++\ntitle = \"B\"\nsupersedes = [3]\n+++\n",
        ),
        (
            "content/decisions/0003-c.md",
            "+++\ntitle = \"C\"\nsupersedes = [1]\nrelated = [3]\n+++\n",
        ),
    ]);
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "decisions supersede each other in a circle: decision 0001 → decision 0002 → decision 0003 → decision 0001",
        ))
        .stderr(predicate::str::contains("content/decisions/0001-a.md:3:1"))
        .stderr(predicate::str::contains("content/decisions/0003-c.md:4:11"))
        .stderr(predicate::str::contains("`related` names this record itself"));
}

#[test]
fn statuses_nobody_declared_are_kept_with_a_warning_and_typos_are_errors() {
    let hb = Fixture::new(&[(
        "content/decisions/0001-a.md",
        "+++\ntitle = \"A\"\nstatus = \"in review\"\n+++\n",
    )]);
    hb.cmd(&["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[unlisted-status]"))
        .stderr(predicate::str::contains("content/decisions/0001-a.md:3:10"));
    assert!(
        hb.read("public/decisions/0001-a/index.html")
            .contains("status-in-review\">In review</span>")
    );
    hb.write(
        "content/decisions/0001-a.md",
        "+++\ntitle = \"A\"\nstatus = \"rejectd\"\n+++\n",
    );
    hb.cmd(&["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean \"rejected\"?"));
}

#[test]
fn unknown_people_and_overdue_reviews_are_warnings_that_strict_turns_into_failures() {
    let hb = connected_handbook();
    hb.write(
        "content/meetings/2026-02-01-extra.md",
        "+++\ntitle = \"Extra\"\nattendees = [\"ana\", \"carla\"]\n+++\n- [ ] @dave Do it\n",
    );
    hb.cmd(&["check"])
        .assert()
        .success()
        .stderr(predicate::str::contains("content/meetings/2026-02-01-extra.md:3:22"))
        .stderr(predicate::str::contains("`carla` has no page in people/"))
        .stderr(predicate::str::contains("content/meetings/2026-02-01-extra.md:5:1"))
        .stderr(predicate::str::contains("`dave` has no page in people/"));
    hb.cmd(&["check", "--strict"]).assert().code(1);

    let ok = connected_handbook();
    ok.cmd(&["check", "--strict"]).assert().success();
    let config = ok.read("handbook.toml");
    ok.write(
        "handbook.toml",
        &format!("{config}\n[protocols]\nwarn_when_overdue = true\n"),
    );
    ok.cmd(&["check", "--strict"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("content/protocols/on-call.md:4:1"))
        .stderr(predicate::str::contains(
            "this protocol was due for review on 2025-04-01",
        ));
}

#[test]
fn a_decision_says_what_it_is_and_whether_it_holds_at_the_top_and_once() {
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-use-a.md",
            "+++\ntitle = \"Use A\"\nstatus = \"superseded\"\nsuperseded_by = [\"0002-use-b\"]\n+++\nA.\n",
        ),
        (
            "content/decisions/0002-use-b.md",
            "+++\ntitle = \"Use B\"\nstatus = \"superseded\"\nsuperseded_by = [\"0003-use-c\"]\n+++\nB.\n",
        ),
        (
            "content/decisions/0003-use-c.md",
            "+++\ntitle = \"Use C\"\nstatus = \"accepted\"\n+++\nC.\n",
        ),
        (
            "content/decisions/0004-use-d.md",
            "+++\ntitle = \"Use D\"\nstatus = \"deprecated\"\n+++\nD.\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success();
    let page = |name: &str| hb.read(&format!("public/decisions/{name}/index.html"));

    // Number, title and status in one row of the header; the status nowhere else on the page.
    let c = page("0003-use-c");
    let start = c.find("<div class=\"title-row\">").unwrap();
    let row = &c[start..start + c[start..].find("</header>").unwrap()];
    assert!(
        row.contains("<span class=\"record-number\">0003</span> <bdi>Use C</bdi></h1>"),
        "{row}"
    );
    assert!(row.contains("status-accepted\">Accepted</span>"), "{row}");
    // (The supersede chain after the text lists every record of the chain with its status.)
    let rest = &c[start + c[start..].find("</header>").unwrap()..];
    let rest = &rest[..rest.find("<nav class=\"panel chain\"").unwrap_or(rest.len())];
    assert!(!rest.contains("status-accepted"), "the status is stated once: {rest}");
    assert!(!c.contains("<dt>Status</dt>") && !c.contains("class=\"eyebrow\""));
    assert!(!c.contains("class=\"banner"), "an accepted record needs no banner");

    // A superseded record names its replacement, and the record in force at the chain's end.
    let a = page("0001-use-a");
    assert!(
        a.contains("Superseded by <a href=\"../../decisions/0002-use-b/index.html\">0002: Use B</a>. In force now: <a href=\"../../decisions/0003-use-c/index.html\">0003: Use C</a>."),
        "{a}"
    );
    let b = page("0002-use-b");
    assert!(
        b.contains("Superseded by <a href=\"../../decisions/0003-use-c/index.html\">0003: Use C</a>.</p>"),
        "{b}"
    );
    assert!(page("0004-use-d").contains("Deprecated: this decision no longer applies."));
}
