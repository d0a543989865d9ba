//! Teams: `team` on a page or on a folder's `_index.md` (inherited below it), team pages listing
//! members, protocols, decisions and meetings, the teams index, a warning for a team nobody is
//! on, and team names that cannot escape the output or the HTML.

mod common;

use common::Fixture;

fn platform_handbook() -> Fixture {
    Fixture::new(&[
        (
            "content/people/ana.md",
            "+++\nname = \"Ana\"\nteam = \"platform\"\n+++\n",
        ),
        (
            "content/people/ben.md",
            "+++\nname = \"Ben\"\nteam = \"Platform\"\n+++\n",
        ),
        ("content/people/cy.md", "+++\nname = \"Cy\"\nteam = \"design\"\n+++\n"),
        ("content/people/dee.md", "+++\nname = \"Dee\"\n+++\n"),
        (
            "content/protocols/_index.md",
            "+++\ntitle = \"Protocols\"\nteam = \"platform\"\n+++\n",
        ),
        (
            "content/protocols/on-call.md",
            "+++\ntitle = \"On call\"\nreviewed = 2026-11-01\n+++\n",
        ),
        (
            "content/protocols/deep/pager.md",
            "+++\ntitle = \"Pager etiquette\"\nreviewed = 2026-11-01\n+++\n",
        ),
        (
            "content/protocols/critique.md",
            "+++\ntitle = \"Design critique\"\nteam = \"design\"\nreviewed = 2026-11-01\n+++\n",
        ),
        (
            "content/decisions/0001-use-postgres.md",
            "+++\ntitle = \"Use Postgres\"\nstatus = \"accepted\"\nteam = \"platform\"\n+++\n",
        ),
        (
            "content/meetings/2026-11-18-sync.md",
            "+++\ntitle = \"Platform sync\"\nteam = \"platform\"\nattendees = [\"ana\", \"ben\"]\n+++\n",
        ),
    ])
}

/// The text of `html` between `from` and the next `to`.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[test]
fn a_folder_s_team_is_inherited_unless_a_page_names_its_own() {
    let hb = platform_handbook();
    hb.cmd(&["build"]).assert().success().stderr(common::quiet());
    let on_call = hb.read("public/protocols/on-call/index.html");
    let meta = between(&on_call, "<p class=\"meta\">", "</p>");
    assert!(
        meta.contains("team <a href=\"../../teams/platform/index.html\">platform</a>"),
        "{meta}"
    );
    let pager = hb.read("public/protocols/deep/pager/index.html");
    assert!(
        pager.contains("href=\"../../../teams/platform/index.html\""),
        "a subfolder inherits too"
    );
    let critique = hb.read("public/protocols/critique/index.html");
    let meta = between(&critique, "<p class=\"meta\">", "</p>");
    assert!(meta.contains(">design</a>") && !meta.contains("platform"), "{meta}");
    let dee = hb.read("public/people/dee/index.html");
    assert!(
        between(&dee, "<p class=\"eyebrow\">", "</p>") == "<p class=\"eyebrow\">Person",
        "a page without a team shows none"
    );
    let ana = hb.read("public/people/ana/index.html");
    assert!(
        ana.contains("<p class=\"eyebrow\">Person · team <a href=\"../../teams/platform/index.html\">platform</a></p>"),
        "{ana}"
    );
    assert!(common::broken_links(&hb.path("public")).is_empty());
}

#[test]
fn a_team_page_lists_members_protocols_decisions_and_meetings() {
    let hb = platform_handbook();
    hb.cmd(&["build"]).assert().success();
    let team = hb.read("public/teams/platform/index.html");
    let section = |key: &str| between(&team, &format!("class=\"panel team-{key}\""), "</section>").to_string();
    let members = section("members");
    assert!(
        members.contains(">Ana</a>") && members.contains(">Ben</a>"),
        "{members}"
    );
    assert!(
        !members.contains(">Cy</a>") && !members.contains(">Dee</a>"),
        "{members}"
    );
    let protocols = section("protocols");
    assert!(
        protocols.contains(">On call</a>") && protocols.contains(">Pager etiquette</a>"),
        "{protocols}"
    );
    assert!(!protocols.contains("Design critique"), "{protocols}");
    assert!(section("decisions").contains(">Use Postgres</a>"));
    assert!(section("meetings").contains(">Platform sync</a>"));
    let design = hb.read("public/teams/design/index.html");
    assert!(!design.contains("team-decisions"), "an empty list is left out");
}

#[test]
fn the_teams_index_counts_members() {
    let hb = platform_handbook();
    hb.cmd(&["build"]).assert().success();
    let index = hb.read("public/teams/index.html");
    assert!(
        index.contains("href=\"../teams/design/index.html\">design</a> <span class=\"count\">1 member</span>"),
        "{index}"
    );
    // `platform` and `Platform` are one team, named as first written.
    assert!(
        index.contains(">platform</a> <span class=\"count\">2 members</span>"),
        "{index}"
    );
    assert_eq!(index.matches("teams/platform/").count(), 1, "{index}");
    let home = hb.read("public/index.html");
    assert!(
        home.contains("href=\"teams/index.html\""),
        "the sidebar links the teams"
    );
}

#[test]
fn a_team_nobody_is_on_is_a_warning_where_it_is_first_named() {
    let hb = Fixture::new(&[
        (
            "content/people/ana.md",
            "+++\nname = \"Ana\"\nteam = \"platform\"\n+++\n",
        ),
        (
            "content/guides/_index.md",
            "+++\ntitle = \"Guides\"\nteam = \"platfrom\"\n+++\n",
        ),
        ("content/guides/a.md", "+++\ntitle = \"A\"\n+++\n"),
        ("content/guides/b.md", "+++\ntitle = \"B\"\nteam = \"platfrom\"\n+++\n"),
    ]);
    let output = hb.cmd(&["check"]).assert().get_output().stderr.clone();
    let stderr = String::from_utf8(output).unwrap();
    assert!(stderr.contains("warning[team-without-members]"), "{stderr}");
    assert!(stderr.contains("no person is on the team `platfrom`"), "{stderr}");
    assert!(stderr.contains("content/guides/_index.md:3:9"), "{stderr}");
    assert_eq!(
        stderr.matches("team-without-members").count(),
        1,
        "reported once: {stderr}"
    );
    // The team still has its page, listing what names it.
    hb.cmd(&["build"]).assert().success();
    let team = hb.read("public/teams/platfrom/index.html");
    assert!(team.contains(">A</a>") && team.contains(">B</a>"), "{team}");
}

#[test]
fn hostile_team_names_are_slugged_and_escaped() {
    let hb = Fixture::new(&[
        (
            "content/people/ana.md",
            "+++\nname = \"Ana\"\nteam = \"../../x\"\n+++\n",
        ),
        (
            "content/people/ben.md",
            "+++\nname = \"Ben\"\nteam = \"<script>alert(1)</script>\"\n+++\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success();
    assert!(!hb.root().join("x").exists() && !hb.path("public/x").exists());
    let climbed = hb.read("public/teams/x/index.html");
    assert!(climbed.contains("Team <bdi>../../x</bdi>"), "{climbed}");
    let script = hb.read("public/teams/script-alert-1-script/index.html");
    assert!(!script.contains("<script>alert(1)"), "{script}");
    assert!(script.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{script}");
    let ben = hb.read("public/people/ben/index.html");
    assert!(!ben.contains("<script>alert"), "{ben}");
    let index = hb.read("public/teams/index.html");
    assert!(!index.contains("<script>alert"), "{index}");
}

#[test]
fn content_cannot_write_into_the_teams_folder() {
    let hb = Fixture::new(&[("content/teams/platform.md", "+++\ntitle = \"Mine\"\n+++\n")]);
    let output = hb.cmd(&["build"]).assert().failure().get_output().stderr.clone();
    let stderr = String::from_utf8(output).unwrap();
    assert!(
        stderr.contains("url-conflict") && stderr.contains("the team pages"),
        "{stderr}"
    );
}
