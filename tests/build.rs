//! Building small handbooks end to end and checking the site they produce.

mod common;

use common::{Fixture, broken_links, handbook};
use predicates::prelude::*;

const CONFIG: &str = "title = \"Ops handbook\"\n";

/// A handbook with all three kinds, TOML and YAML front matter, and links between them.
fn team_handbook() -> Fixture {
    Fixture::new(&[
        ("handbook.toml", CONFIG),
        (
            "content/_index.md",
            "+++\ntitle = \"Welcome\"\n+++\nStart with [on-call](protocols/on-call.md).\n",
        ),
        (
            "content/decisions/0001-use-postgres.md",
            "+++\ntitle = \"Use Postgres\"\ndate = 2026-01-10\nstatus = \"superseded\"\ndeciders = [\"ana\", \"@ben\"]\ntags = [\"storage\"]\n+++\n\n## Context\n\nWe need a database.\n",
        ),
        (
            "content/decisions/0002-use-sqlite.md",
            "---\ntitle: Use SQLite\ndate: 2026-02-01\nstatus: accepted\nsupersedes: [1]\ntags: [storage, simplicity]\n---\n\nReplaces [the Postgres decision](0001-use-postgres.md#context).\n",
        ),
        (
            "content/meetings/2026-02-01-weekly.md",
            "+++\ntitle = \"Weekly sync\"\ntime = \"15:00\"\ntimezone = \"Europe/Berlin\"\nattendees = [\"ana\", \"ben\"]\nfacilitator = \"ana\"\nseries = \"weekly\"\nrecording = \"https://video.example.com/1\"\ndecisions = [2]\n+++\n\n## Notes\n\nWe chose [SQLite](../decisions/0002-use-sqlite.md).\n\n## Action items\n\n- [ ] @ben Migrate the data (due 2026-03-01)\n- [x] @ana Write the record\n- [ ] @ana Tell the other teams (due 2027-01-01)\n",
        ),
        (
            "content/protocols/on-call.md",
            "---\ntitle: On-call\nowner: \"@ana\"\nreviewed: 2025-01-01\nreview_every: 90d\n---\n\n## Rota\n\nSee the [weekly sync](/meetings/2026-02-01-weekly.md) and ![diagram](rota.png).\n\n```rust\nfn main() {}\n```\n",
        ),
        ("content/protocols/rota.png", "not really a png"),
        (
            "content/people/ana.md",
            "+++\nname = \"Ana Lima\"\nrole = \"SRE\"\ntimezone = \"Europe/Lisbon\"\n+++\nHi.\n",
        ),
        ("content/people/ben.md", "+++\nname = \"Ben Okoro\"\n+++\n"),
        (
            "content/guides/setup.md",
            "# Setting up\n\nNo front matter here; see [guides](../guides/) and [decisions](../decisions/).\n",
        ),
        ("content/.hidden/secret.md", "+++\ntitle = \"Hidden\"\n+++\n"),
        ("content/_drafts/wip.md", "+++\ntitle = \"Work in progress\"\n+++\n"),
        ("static/logo.svg", "<svg/>"),
    ])
}

#[test]
fn a_team_handbook_builds_with_every_link_resolving() {
    let hb = team_handbook();
    hb.cmd(&["build"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Built").and(predicate::str::contains("(2 decisions, 1 meeting, 1 protocol)")))
        .stderr(common::quiet());
    let site = hb.path("public");
    assert_eq!(broken_links(&site), Vec::<String>::new());
    for file in [
        "index.html",
        "404.html",
        "decisions/index.html",
        "meetings/index.html",
        "protocols/index.html",
        "people/index.html",
        "tags/index.html",
        "tags/storage/index.html",
        "guides/index.html",
        "guides/setup/index.html",
        "people/ana/index.html",
        "protocols/rota.png",
        "logo.svg",
        "assets/style.css",
        "assets/handbook.js",
    ] {
        assert!(site.join(file).is_file(), "{file} is missing");
    }
    assert!(!site.join("hidden").exists() && !site.join("_drafts").exists());
    assert!(!site.join("sitemap.xml").exists(), "no sitemap without base_url");
}

#[test]
fn records_show_their_metadata() {
    let hb = team_handbook();
    hb.cmd(&["build"]).assert().success();
    let old = hb.read("public/decisions/0001-use-postgres/index.html");
    assert!(old.contains("<span class=\"record-number\">0001</span>"), "number");
    assert!(old.contains("status-superseded"), "status");
    assert!(old.contains("<time datetime=\"2026-01-10\">"), "date");
    assert!(
        old.contains(
            "href=\"../../people/ana/index.html\">Ana Lima</a>, <a href=\"../../people/ben/index.html\">Ben Okoro</a>"
        ),
        "deciders, with or without `@`"
    );
    assert!(
        old.contains("Superseded by <a href=\"../../decisions/0002-use-sqlite/index.html\">0002: Use SQLite</a>."),
        "supersede shown on both sides"
    );
    assert!(old.contains("Referenced by"), "backlinks");

    let new = hb.read("public/decisions/0002-use-sqlite/index.html");
    assert!(
        new.contains("href=\"../../decisions/0001-use-postgres/index.html#context\""),
        "md link rewritten with anchor"
    );
    assert!(new.contains("Made in</dt><dd><a href=\"../../meetings/2026-02-01-weekly/index.html\">Weekly sync</a>"));

    let meeting = hb.read("public/meetings/2026-02-01-weekly/index.html");
    assert!(
        meeting.contains("datetime=\"2026-02-01T15:00:00+01:00\""),
        "time with the zone's offset: {meeting}"
    );
    assert!(meeting.contains("Attendees</dt><dd><a href=\"../../people/ana/index.html\">Ana Lima</a>, <a href=\"../../people/ben/index.html\">Ben Okoro</a>"));
    assert!(meeting.contains(
        "Decisions made</dt><dd><a href=\"../../decisions/0002-use-sqlite/index.html\">0002: Use SQLite</a>"
    ));
    assert!(
        meeting.contains("<li class=\"overdue\" data-due=\""),
        "past-due open item"
    );
    assert!(meeting.contains("<li class=\"done\">"));
    assert!(meeting.contains("<li class=\"open\" data-due=\"2027-01-01\">"));
    assert!(meeting.contains("https://video.example.com/1"));

    let protocol = hb.read("public/protocols/on-call/index.html");
    assert!(protocol.contains("Owner</dt><dd><a href=\"../../people/ana/index.html\">Ana Lima</a>"));
    assert!(protocol.contains("Last reviewed</dt><dd><time datetime=\"2025-01-01\">"));
    assert!(
        protocol.contains("due for review on <time datetime=\"2025-04-01\">"),
        "overdue banner"
    );
    assert!(
        protocol.contains("href=\"../../meetings/2026-02-01-weekly/index.html\""),
        "root-relative md link"
    );
    assert!(
        protocol.contains("src=\"../../protocols/rota.png\""),
        "co-located image"
    );
    assert!(protocol.contains("class=\"hl-"), "highlighted code");

    let guide = hb.read("public/guides/setup/index.html");
    assert!(
        guide.contains("<h1 id=\"setting-up\"><bdi>Setting up</bdi></h1>"),
        "title from the first heading"
    );
    let body = &guide[guide.find("<div class=\"prose\">").unwrap()..];
    assert!(
        !body[..body.find("</div>").unwrap()].contains("Setting up"),
        "the heading is not repeated in the body"
    );

    let home = hb.read("public/index.html");
    assert!(home.contains("Migrate the data"), "open action items on the home page");
    assert!(!home.contains("Write the record"), "done items are not");
    assert!(home.contains("On-call"), "reviews due");
}

#[test]
fn output_links_are_relative_everywhere() {
    let hb = team_handbook();
    hb.cmd(&["build", "--base-url", "https://example.com/handbook/"])
        .assert()
        .success();
    for page in [
        "index.html",
        "decisions/index.html",
        "decisions/0002-use-sqlite/index.html",
        "tags/storage/index.html",
    ] {
        let html = hb.read(&format!("public/{page}"));
        for link in common::links(&html) {
            let internal = !link.starts_with("https://video") && !link.starts_with("https://example.com/handbook/")
                || link.ends_with(".css");
            if internal {
                assert!(!link.starts_with('/'), "{page}: absolute link {link}");
            }
        }
    }
    let sitemap = hb.read("public/sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://example.com/handbook/decisions/0002-use-sqlite/</loc><lastmod>2026-02-01</lastmod>"
        ),
        "{sitemap}"
    );
}

#[test]
fn a_rebuild_removes_pages_that_no_longer_exist() {
    let hb = team_handbook();
    hb.cmd(&["build"]).assert().success();
    assert!(hb.path("public/guides/setup/index.html").exists());
    std::fs::remove_file(hb.path("content/guides/setup.md")).unwrap();
    hb.cmd(&["build"]).assert().success();
    assert!(!hb.path("public/guides/setup/index.html").exists());
    assert!(hb.path("public/index.html").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let hb = team_handbook();
    hb.cmd(&["build"]).assert().success();
    let before = hb.read("public/decisions/0002-use-sqlite/index.html");
    hb.write(
        "content/decisions/0002-use-sqlite.md",
        "---\ntitle: Use SQLite\nstatus: [accepted\n---\nBody\n",
    );
    hb.cmd(&["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("content/decisions/0002-use-sqlite.md:3:"))
        .stderr(predicate::str::contains("the previous site is unchanged"));
    assert_eq!(hb.read("public/decisions/0002-use-sqlite/index.html"), before);
    let siblings: Vec<_> = std::fs::read_dir(hb.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !siblings.iter().any(|n| n.to_string_lossy().starts_with(".public")),
        "{siblings:?}"
    );
}

#[test]
fn dangerous_output_folders_are_refused() {
    let hb = team_handbook();
    for output in [".", "content", "content/site", ".."] {
        hb.cmd(&["build", "--output", output])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("refusing"));
    }
    assert!(hb.path("content/_index.md").exists());
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let hb = team_handbook();
    hb.write(
        "content/guides/plan.md",
        "+++\ntitle = \"Secret plan\"\ndraft = true\n+++\nSoon.\n",
    );
    hb.write(
        "content/guides/intro.md",
        "+++\ntitle = \"Intro\"\n+++\nSee the [plan](plan.md).\n",
    );
    hb.cmd(&["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("content/guides/intro.md:4:9").and(predicate::str::contains("is a draft")));
    assert!(!hb.path("public/guides/plan/index.html").exists());
    let intro = hb.read("public/guides/intro/index.html");
    assert!(
        intro.contains("See the plan.") && !intro.contains("plan/index.html"),
        "link dropped, text kept: {intro}"
    );
    hb.cmd(&["build", "--drafts"])
        .assert()
        .success()
        .stderr(common::quiet());
    assert!(hb.read("public/guides/plan/index.html").contains("badge-draft"));
}

#[test]
fn a_handbook_without_config_or_theme_builds_with_defaults() {
    let hb = Fixture::new(&[("content/notes.md", "Just text.\n")]);
    hb.cmd(&["build"]).assert().success().stderr(common::quiet());
    assert!(
        hb.read("public/notes/index.html").contains("<h1><bdi>Notes</bdi></h1>"),
        "title from the file name"
    );
    assert!(hb.read("public/index.html").contains("<title>Handbook</title>"));
}

#[test]
fn a_theme_overrides_one_template_and_adds_static_files() {
    let hb = team_handbook();
    hb.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}CUSTOM {{ page.title }}{% endblock main %}",
    );
    hb.write("themes/default/static/assets/extra.css", "body{}");
    hb.cmd(&["build"]).assert().success();
    assert!(hb.read("public/guides/setup/index.html").contains("CUSTOM Setting up"));
    assert!(
        hb.read("public/decisions/0002-use-sqlite/index.html")
            .contains("<span class=\"record-number\">0002</span>"),
        "other templates untouched"
    );
    assert!(hb.path("public/assets/extra.css").exists() && hb.path("public/assets/style.css").exists());
}

#[test]
fn a_broken_template_override_is_reported() {
    let hb = team_handbook();
    hb.write("themes/default/templates/page.html", "{% if %}");
    hb.cmd(&["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("themes/default/templates/page.html"));
}

#[test]
fn a_misspelt_template_override_is_a_warning_naming_the_nearest() {
    let hb = team_handbook();
    hb.write("themes/default/templates/pgae.html", "<p>never shown</p>");
    hb.write(
        "themes/default/templates/partials/decison_refs.html",
        "<p>never shown</p>",
    );
    // A partial that an override includes is used, and is no warning.
    hb.write("themes/default/templates/partials/mine.html", "<p>mine</p>");
    hb.write(
        "themes/default/templates/tag.html",
        "{% extends \"base.html\" %}{% block main %}{% include \"partials/mine.html\" %}{% endblock main %}",
    );
    let output = hb.cmd(&["check"]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.matches("warning[unused-template]").count(), 2, "{stderr}");
    assert!(
        stderr.contains("did you mean `partials/decision_refs.html`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("themes/default/templates/pgae.html") && stderr.contains("did you mean `page.html`?"),
        "{stderr}"
    );
    hb.cmd(&["check", "--strict"]).assert().code(1);
}

#[test]
fn the_sample_handbook_builds_without_warnings() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    handbook()
        .arg("--root")
        .arg(root)
        .args(["build", "--output"])
        .arg(&site)
        .assert()
        .success()
        .stderr(common::quiet());
    assert_eq!(broken_links(&site), Vec::<String>::new());
}

#[test]
fn help_shows_examples() {
    handbook()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:").and(predicate::str::contains("handbook new decision")));
}

#[test]
fn aliases_redirect_old_urls_to_the_page() {
    let hb = team_handbook();
    hb.write(
        "content/guides/setup.md",
        "+++\ntitle = \"Setting up\"\naliases = [\"/old/setup/\", \"legacy.html\"]\n+++\nText.\n",
    );
    hb.cmd(&["build"]).assert().success();
    let redirect = hb.read("public/old/setup/index.html");
    assert!(redirect.contains("url=../../guides/setup/index.html"), "{redirect}");
    assert!(hb.read("public/legacy.html").contains("url=guides/setup/index.html"));
    assert_eq!(broken_links(&hb.path("public")), Vec::<String>::new());

    hb.write(
        "content/guides/other.md",
        "+++\ntitle = \"Other\"\naliases = [\"guides/setup/\"]\n+++\n",
    );
    hb.cmd(&["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("content/guides/other.md:3:1"))
        .stderr(predicate::str::contains(
            "the alias `guides/setup/` cannot be used: `guides/setup/index.html` is already written by the page content/guides/setup.md",
        ));
}

#[test]
fn weighted_pages_come_before_unweighted_ones() {
    let hb = Fixture::new(&[
        ("content/protocols/aardvark.md", "+++\ntitle = \"Aardvark\"\n+++\n"),
        (
            "content/protocols/zebra.md",
            "+++\ntitle = \"Zebra\"\nweight = 1\n+++\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success();
    let index = hb.read("public/protocols/index.html");
    assert!(index.find(">Zebra<").unwrap() < index.find(">Aardvark<").unwrap());
}

#[test]
fn weight_orders_protocols_before_titles_do() {
    let hb = Fixture::new(&[
        (
            "content/protocols/alpha.md",
            "+++\ntitle = \"Alpha\"\nweight = 2\n+++\n",
        ),
        ("content/protocols/beta.md", "+++\ntitle = \"Beta\"\nweight = 1\n+++\n"),
    ]);
    hb.cmd(&["build"]).assert().success();
    let index = hb.read("public/protocols/index.html");
    assert!(index.find(">Beta<").unwrap() < index.find(">Alpha<").unwrap());
}

#[test]
fn folder_pages_and_anchors_written_for_github_resolve() {
    let hb = Fixture::new(&[
        (
            "content/about/index.md",
            "# About us\n\n## Our Values\n\nSee [values](#Our-Values).\n",
        ),
        ("content/team/deep/README.md", "Deep folder page.\n"),
        (
            "content/start.md",
            "Read [about](about/index.md#our-values), [the team](team/) and [deep](team/deep/README.md).\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success().stderr(common::quiet());
    let about = hb.read("public/about/index.html");
    assert!(
        about.contains("<h1 id=\"about-us\"><bdi>About us</bdi></h1>") && about.contains("href=\"#our-values\""),
        "{about}"
    );
    let start = hb.read("public/start/index.html");
    assert!(start.contains("href=\"../about/index.html#our-values\""), "{start}");
    assert!(
        hb.read("public/team/index.html")
            .contains("href=\"../team/deep/index.html\""),
        "sub-folders are listed"
    );
    assert_eq!(broken_links(&hb.path("public")), Vec::<String>::new());
}

#[test]
fn build_timings_print_every_phase_in_the_order_it_ran_and_the_peak_memory() {
    let hb = team_handbook();
    let output = hb.cmd(&["build", "--timings"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("Built "), "{stdout}");
    // `  search index     1619.8 ms    peak  396.2 MB`: the peak so far, where it is known.
    let mut phases = Vec::new();
    let mut peaks = Vec::new();
    for line in &lines[1..lines.len() - 1] {
        let (phase, peak) = line.split_once(" ms").unwrap_or_else(|| panic!("{line}"));
        let (name, ms) = phase.trim().rsplit_once(' ').unwrap();
        phases.push(name.trim());
        assert!(ms.parse::<f64>().unwrap() >= 0.0, "{line}");
        if cfg!(target_os = "linux") {
            let mb = peak.trim().strip_prefix("peak").unwrap().trim_end_matches(" MB");
            peaks.push(mb.trim().parse::<f64>().unwrap());
        }
    }
    assert_eq!(
        phases,
        ["load", "resolve", "search index", "render", "write"],
        "{stdout}"
    );
    assert!(peaks.is_sorted(), "the peak so far never falls: {stdout}");
    let peak = lines.last().unwrap().trim();
    assert!(peak.starts_with("peak memory"), "{stdout}");
    if cfg!(target_os = "linux") {
        let mb: f64 = peak
            .trim_end_matches(" MB")
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(mb > 1.0, "{peak}");
    }
    // Without the option, the summary alone.
    let plain = hb.cmd(&["build"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&plain.stdout).lines().count(), 1);
}
