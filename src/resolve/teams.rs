//! Teams: which team each page belongs to, and who is on each team.
//!
//! A page's team is what its own `team` says; else what the page of the nearest folder around it
//! says (`platform/_index.md` speaks for everything under `platform/`, however deep), as
//! visibility is inherited (see [`super::VisibilityRules`]). Team names are content, so each team
//! is known by its slug ([`team_path`]): `Platform` and `platform` are one team with one page.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::name_span;
use crate::content::{Kind, Page, Role};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::routes::team_path;

/// One team, with the pages that belong to it.
#[derive(Debug, Clone)]
pub struct Team {
    /// The name as first written (in source order).
    pub name: String,
    /// Its site path: `teams/<slug>/`.
    pub path: String,
    /// The leaf pages that belong to it (people among them), in source order.
    pub pages: Vec<usize>,
}

/// Every page's team and every team's pages.
#[derive(Debug, Clone, Default)]
pub struct Teams {
    /// For each page (same index as the site's pages), the site path of its team.
    of_page: Vec<Option<String>>,
    /// The teams by site path.
    pub by_path: BTreeMap<String, Team>,
}

impl Teams {
    /// The teams of `pages` (sorted by source, as the site keeps them).
    pub fn new(pages: &[Arc<Page>]) -> Teams {
        let folders: HashMap<&str, &str> = pages
            .iter()
            .filter(|p| p.role == Role::Section)
            .filter_map(|p| Some((p.folder(), p.team.as_deref()?)))
            .collect();
        let inherited = |page: &Page| {
            let folders_out = std::iter::successors(Some(page.folder()), |f| f.rsplit_once('/').map(|(up, _)| up));
            folders_out
                .map(|f| folders.get(f).copied())
                .find(Option::is_some)
                .flatten()
        };
        let mut teams = Teams::default();
        for (i, page) in pages.iter().enumerate() {
            let name = match page.role {
                Role::Home => page.team.as_deref(),
                _ => page.team.as_deref().or_else(|| inherited(page)),
            };
            let path = name.map(team_path);
            if let (Some(name), Some(path)) = (name, &path)
                && page.role == Role::Leaf
            {
                let team = teams.by_path.entry(path.clone()).or_insert_with(|| Team {
                    name: name.to_string(),
                    path: path.clone(),
                    pages: Vec::new(),
                });
                team.pages.push(i);
            }
            teams.of_page.push(path);
        }
        teams
    }

    /// The team page `index` belongs to.
    pub fn of_page(&self, index: usize) -> Option<&Team> {
        self.by_path.get(self.of_page.get(index)?.as_ref()?)
    }

    /// The people on `team`.
    pub fn members<'t>(&self, team: &'t Team, pages: &'t [Arc<Page>]) -> impl Iterator<Item = usize> + 't {
        team.pages.iter().copied().filter(|&i| pages[i].kind() == Kind::Person)
    }

    /// A warning for each team that pages name but no person is on: a typo in the name, or
    /// people pages that do not say their team. It is reported at the first place the name is
    /// written (a folder's page included, whose pages inherit it).
    pub fn check(&self, pages: &[Arc<Page>], diagnostics: &mut Diagnostics) {
        let mut reported: Vec<String> = Vec::new();
        for page in pages {
            let Some(name) = page.team.as_deref() else {
                continue;
            };
            let path = team_path(name);
            let has_members = self
                .by_path
                .get(&path)
                .is_some_and(|team| self.members(team, pages).next().is_some());
            if has_members || reported.contains(&path) {
                continue;
            }
            diagnostics.push(
                Diagnostic::warning("team-without-members", format!("no person is on the team `{name}`"))
                    .at(&page.source_text(), name_span(page, "team", name))
                    .help(format!(
                        "add `team = \"{name}\"` to the people pages of its members, or correct the name"
                    )),
            );
            reported.push(path);
        }
    }
}
