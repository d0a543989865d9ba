//! The team pages: `teams/` lists the teams with how many people are on each, and
//! `teams/<team>/` what one team is and owns (its members, protocols, decisions and meetings),
//! so a reader can find who to ask about a rule or a decision.

use serde::Serialize;

use super::Renderer;
use super::generated::{Rendered, index_context};
use crate::content::Kind;
use crate::resolve::Team;

/// A team as the teams index lists it.
#[derive(Serialize)]
struct TeamRow {
    name: String,
    href: String,
    /// How many people are on it.
    members: usize,
}

/// One list of a team's page.
#[derive(Serialize)]
struct TeamSection {
    /// `members`, `protocols`, `decisions`, `meetings` or `pages`.
    key: &'static str,
    /// Its heading.
    title: &'static str,
    pages: tera::Value,
}

/// The teams index, by name.
pub(super) fn index(r: &Renderer<'_>) -> Rendered {
    let teams = &r.site.teams;
    let mut rows: Vec<TeamRow> = teams
        .by_path
        .values()
        .map(|team| TeamRow {
            name: team.name.clone(),
            href: format!("{}index.html", team.path),
            members: teams.members(team, &r.site.pages).count(),
        })
        .collect();
    rows.sort_by_cached_key(|row| row.name.to_lowercase());
    let mut context = index_context(r, "teams/", "Teams");
    context.insert("teams", &rows);
    r.render("teams.html", &context, "teams/index.html".into())
}

/// One team's page.
pub(super) fn team(r: &Renderer<'_>, team: &Team) -> Rendered {
    let of_kind = |kind: Kind| -> Vec<usize> {
        let pages = &r.site.pages;
        team.pages
            .iter()
            .copied()
            .filter(|&i| pages[i].kind() == kind)
            .collect()
    };
    let mut members = of_kind(Kind::Person);
    members.sort_by_cached_key(|&i| r.views.link(i).title.to_lowercase());
    let mut protocols = of_kind(Kind::Protocol);
    r.by_weight(&mut protocols);
    let mut decisions = of_kind(Kind::Decision);
    r.by_number_desc(&mut decisions);
    let mut meetings = of_kind(Kind::Meeting);
    r.newest_first(&mut meetings);
    let mut pages = of_kind(Kind::Page);
    r.by_weight(&mut pages);
    let groups = [
        ("members", "Members", members),
        ("protocols", "Protocols", protocols),
        ("decisions", "Decisions", decisions),
        ("meetings", "Meetings", meetings),
        ("pages", "Other pages", pages),
    ];
    let mut context = r.context_for(&team.path, Some(&team.name));
    context.insert("team", &team.name);
    for (key, _, pages) in &groups {
        context.insert_value(*key, r.list(pages));
    }
    // The same lists in the order the page shows them, each with its heading.
    let sections: Vec<TeamSection> = groups
        .iter()
        .map(|(key, title, pages)| TeamSection {
            key,
            title,
            pages: r.list(pages),
        })
        .collect();
    context.insert("sections", &sections);
    r.render("team.html", &context, format!("{}index.html", team.path))
}
