//! Resolving: connecting the loaded pages into a site and validating everything that spans
//! more than one file — unique URLs and decision numbers, links and anchors, references between
//! decisions and meetings, backlinks.
//!
//! The [`Site`] this returns is final: renderers only read it.

mod actions;
mod claims;
mod due;
mod linking;
mod links;
mod records;
mod suggest;
mod teams;
mod visibility;
mod wiki;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use crate::config::{Config, PeoplePages};
use crate::content::load::Loaded;
use crate::content::mounts::Mounts;
use crate::content::{Kind, KindMeta, Page, Role, Visibility};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::history::{FileHistory, History};
use crate::routes::RouteTable;
pub use actions::{ActionStep, Actions, TrackedAction, step_item};
pub use claims::section_paths;
pub use due::overdue;
use linking::Linked;
pub use links::LinkTables;
use links::SiteIndex;

pub use records::{RecordIndex, Relations};
pub use teams::{Team, Teams};
pub use visibility::VisibilityRules;

/// Site paths of the generated pages, which content pages may not take.
pub const GENERATED_PATHS: [&str; 10] = [
    "decisions/",
    "meetings/",
    "protocols/",
    "people/",
    "tags/",
    "actions/",
    "reviews/",
    "changes/",
    "search/",
    "teams/",
];

/// Where a link in a page's body goes once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A file of the site, relative to the site root, with any `#fragment`
    /// (`decisions/0007-x/index.html#why`).
    Site(String),
    /// Leave the link as written (external, `mailto:`, in-page anchors).
    Keep,
    /// An anchor in the same page, spelt as its id is (`#Context` → `#context`).
    Anchor(String),
    /// The target exists but is left out of this build (a draft): keep only the text.
    Unlink,
}

/// Where each link destination of one page's body goes, sorted by destination as written.
///
/// A sorted list rather than a map: a page has a few links, and at 10,000 pages their maps took
/// 8 MB, most of it room for entries they never had.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkTargets(Arc<[(String, LinkTarget)]>);

impl LinkTargets {
    /// Where the destination `dest`, as written, goes.
    pub fn get(&self, dest: &str) -> Option<&LinkTarget> {
        let found = self.0.binary_search_by(|(known, _)| known.as_str().cmp(dest));
        found.ok().map(|at| &self.0[at].1)
    }
}

impl From<BTreeMap<String, LinkTarget>> for LinkTargets {
    fn from(targets: BTreeMap<String, LinkTarget>) -> LinkTargets {
        LinkTargets(targets.into_iter().collect())
    }
}

/// What the build was asked for, as far as resolving is concerned.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection {
    /// Include pages with `draft = true`.
    pub drafts: bool,
    /// Leave out pages with `visibility = "internal"` (`build --public`).
    pub public: bool,
}

impl Selection {
    /// Why `page`, whose visibility is `visibility` (see [`VisibilityRules`]), is left out of
    /// this build, if it is.
    pub fn excludes(&self, page: &Page, visibility: Visibility) -> Option<LeftOut> {
        if page.draft && !self.drafts {
            Some(LeftOut::Draft)
        } else if self.public && visibility == Visibility::Internal {
            Some(LeftOut::Internal)
        } else {
            None
        }
    }
}

/// Why a page is not in this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    /// A draft, in a build without `--drafts`.
    Draft,
    /// An internal page, in a `--public` build.
    Internal,
}

/// The whole handbook, connected and validated.
#[derive(Debug)]
pub struct Site {
    /// The handbook's folder.
    pub root: PathBuf,
    /// The configuration it was built with.
    pub config: Config,
    /// The date "overdue" is measured against.
    pub today: Date,
    /// Every page in the build, sorted by source path. `serve`'s page cache holds the same
    /// pages: the few that resolving changes (a record shown as superseded) are copies.
    pub pages: Vec<Arc<Page>>,
    /// Non-Markdown files of the mounted folders that this build copies, by site source.
    pub assets: Vec<String>,
    /// The folders the pages and assets came from.
    pub mounts: Mounts,
    /// Files under `static/`, relative to it.
    pub static_files: Vec<String>,
    /// For each page (same index as `pages`), where each link destination in its body goes.
    /// Ordered, so that `serve` compares two sites' links in one pass rather than by a lookup
    /// per link.
    pub links: Vec<LinkTargets>,
    /// For each page, the problems with the links in its body (kept apart from the other
    /// diagnostics so that `serve` can re-check one page's links alone).
    pub link_diagnostics: Vec<Vec<Diagnostic>>,
    /// For each page, the pages that link to it, in index order.
    pub backlinks: Vec<Vec<usize>>,
    /// Decision records by number and file name.
    pub records: RecordIndex,
    /// For each page, how it relates to other decisions (empty for other kinds).
    pub relations: Vec<Relations>,
    /// For each decision, the meetings that made it.
    pub made_in: HashMap<usize, Vec<usize>>,
    /// For each meeting, the decisions it made.
    pub decisions_made: HashMap<usize, Vec<usize>>,
    /// Every action item once, carried ones joined (see [`actions::track`]).
    pub actions: Actions,
    /// People by id.
    pub people: HashMap<String, usize>,
    /// Each page's team, and each team's pages.
    pub teams: Teams,
    /// Redirects from old URLs: the output file to write (`old/path/index.html`) and the page it
    /// sends readers to.
    pub redirects: Vec<(String, usize)>,
    /// Every output path of the site, claimed before rendering.
    pub routes: Arc<RouteTable>,
    /// The fingerprint of what `routes` and `redirects` were claimed from (see [`claims::key`]),
    /// when no claim was refused. A later build of the handbook whose pages and files have the
    /// same key takes them as they are, as `serve` does after most edits: claiming the paths of
    /// 10,000 pages took 25 ms of each title edit.
    pub routes_key: Option<u128>,
    /// The fingerprint of what the links of the pages' bodies resolve against besides the
    /// bodies and the pages they reach (see [`LinkTables::key`]), when there is `routes_key`.
    /// A later build of the handbook with the same key takes the links of the pages that did
    /// not change, as `serve` does after a title edit (see [`linking::link_all`]).
    pub links_key: Option<u128>,
    /// What git knows about each file, by path relative to the root (`content/x.md`).
    pub history: HashMap<String, FileHistory>,
    /// What the build was asked for.
    pub selection: Selection,
    /// The pages this build leaves out (drafts, internal pages of a public build), which links
    /// may still name.
    pub left_out: Vec<Arc<Page>>,
}

/// A site as resolving made it, with the tables its links were resolved with.
///
/// Apart from the site because only `serve` keeps them, to resolve an edited page's links again
/// ([`Site::relink`]); `build` resolves each link once and drops them, which at 10,000 pages
/// lowers its peak memory by some 10 MB.
pub struct Resolved {
    /// The site.
    pub site: Site,
    /// What its links were resolved with.
    pub link_tables: LinkTables,
}

impl Site {
    /// What git knows about `page`'s file.
    pub fn history_of(&self, page: &Page) -> Option<&FileHistory> {
        self.history.get(&page.file.to_string_lossy().replace('\\', "/"))
    }

    /// Resolves the links of page `index` again with `tables`, those of the site's resolving,
    /// after its body changed but nothing other pages can see of it did (its title, path,
    /// headings and metadata). Returns the pages whose backlinks changed as a result.
    pub fn relink(&mut self, tables: &LinkTables, index: usize) -> Vec<usize> {
        let site_index = SiteIndex {
            pages: &self.pages,
            records: &self.records,
            tables,
            left_out_pages: &self.left_out,
        };
        let linked = linking::link_page(&site_index, index, &self.pages[index], self.config.links.broken);
        let before: BTreeSet<usize> = (0..self.pages.len())
            .filter(|&to| self.backlinks[to].binary_search(&index).is_ok())
            .collect();
        let changed: Vec<usize> = before.symmetric_difference(&linked.to).copied().collect();
        for &to in &changed {
            let list = &mut self.backlinks[to];
            match list.binary_search(&index) {
                Ok(at) => {
                    list.remove(at);
                }
                Err(at) => list.insert(at, index),
            }
        }
        self.links[index] = linked.targets;
        self.link_diagnostics[index] = linked.diagnostics;
        changed
    }

    /// The pages of one kind: leaf pages, and records that are also their folder's page (an RFC
    /// beside the folder of its translations).
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (usize, &Page)> {
        let pages = self.pages.iter().map(|page| &**page).enumerate();
        pages.filter(move |&(i, _)| self.is_of_kind(i, kind))
    }

    /// Whether page `index` is one of the pages of `kind` (see [`Site::of_kind`]).
    pub fn is_of_kind(&self, index: usize, kind: Kind) -> bool {
        let page = &self.pages[index];
        page.kind() == kind && (page.role == Role::Leaf || (page.role == Role::Section && kind != Kind::Page))
    }
}

/// What pages are resolved for, besides themselves.
#[derive(Clone, Copy)]
pub struct Resolving<'a> {
    /// What the build was asked for.
    pub selection: Selection,
    /// The date "overdue" is measured against.
    pub today: Date,
    /// The last good site of the same handbook, when there is one (`serve`): what resolving
    /// found that provably still holds is taken from it (see [`Site::routes_key`]).
    pub earlier: Option<&'a Site>,
}

/// Connects the loaded pages; diagnostics go to `diagnostics`.
pub fn resolve(
    root: &Path,
    config: Config,
    loaded: Loaded,
    history: History,
    Resolving {
        selection,
        today,
        earlier,
    }: Resolving<'_>,
    diagnostics: &mut Diagnostics,
) -> Resolved {
    let rules = VisibilityRules::new(config.visibility, &loaded.pages);
    let excluded = |p: &Page| selection.excludes(p, rules.of_page(p));
    let (mut pages, left_out): (Vec<Arc<Page>>, Vec<Arc<Page>>) =
        loaded.pages.into_iter().partition(|p| excluded(p).is_none());
    pages.sort_by(|a, b| a.source.cmp(&b.source));

    let sources = claims::Sources {
        mounts: &loaded.mounts,
        assets: &loaded.assets,
        static_files: &loaded.static_files,
        theme_files: &loaded.theme_files,
        theme_dir: &Path::new(crate::config::THEMES_DIR).join(&config.theme),
    };
    let policy = config.links.broken;
    // The routes are claimed while the decision records are related and the link tables are
    // made: none reads what another makes, and each takes 10–20 ms at 10,000 pages, which
    // `serve` spends after each edit of a title.
    let mut related = Diagnostics::default();
    let link_tables = |assets: &[String], static_files: &[String]| {
        LinkTables::new(
            &pages,
            (left_out.iter())
                .filter_map(|p| Some((p.source.clone(), excluded(p)?)))
                .collect(),
            links::Files {
                assets,
                static_files,
                unreadable: &loaded.unreadable,
                mounts: &loaded.mounts,
            },
            config.markdown.raw_html,
        )
    };
    let claim = || claims::claim_or_keep(&pages, &sources, earlier, diagnostics);
    let ((claimed, routes_key), ((records, relations, decisions_made), tables)) = rayon::join(claim, || {
        rayon::join(
            || {
                let records = RecordIndex::new(&pages, &left_out, &mut related);
                let relations = records::relate_decisions(&pages, &records, policy, &mut related);
                let made = records::decisions_made(&pages, &records, policy, &mut related);
                (records, relations, made)
            },
            || link_tables(&loaded.assets, &loaded.static_files),
        )
    });
    diagnostics.extend(related.into_sorted());
    // A file whose path was refused is reported there and not written, nor linked to: the
    // tables are made again without it (the build fails anyway).
    let (mut assets, mut static_files) = (loaded.assets, loaded.static_files);
    let tables = match claimed.refused.is_empty() {
        true => tables,
        false => {
            let mounts = &loaded.mounts;
            assets.retain(|file| !claimed.refused.contains(&mounts.file(file)));
            let statics = Path::new(crate::content::load::STATIC_DIR);
            static_files.retain(|file| !claimed.refused.contains(&statics.join(file)));
            link_tables(&assets, &static_files)
        }
    };
    records::mark_superseded(&mut pages, &relations, diagnostics);
    let (routes, redirects) = (claimed.table, claimed.redirects);
    let mut made_in: HashMap<usize, Vec<usize>> = HashMap::new();
    for (&meeting, decisions) in &decisions_made {
        for &decision in decisions {
            made_in.entry(decision).or_default().push(meeting);
        }
    }
    made_in.values_mut().for_each(|meetings| meetings.sort_unstable());
    let people = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind() == Kind::Person)
        .map(|(i, p)| (person_id(p), i))
        .collect();

    check_people(&pages, &people, config.people.pages, diagnostics);
    let teams = Teams::new(&pages);
    teams.check(&pages, diagnostics);

    let index = SiteIndex {
        pages: &pages,
        records: &records,
        tables: &tables,
        left_out_pages: &left_out,
    };
    let links_key = routes_key.map(|key| tables.key(key, config.markdown.raw_html));
    let Linked {
        links,
        diagnostics: link_diagnostics,
        backlinks,
    } = linking::link_all(&index, policy, earlier.filter(|site| site.links_key == links_key));

    let assets = visibility::published_assets(selection, &rules, &tables, &pages, &left_out, assets, &loaded.mounts);
    let history = visibility::published_history(history.files, selection, &config);
    let actions = actions::track(&pages);
    let site = Site {
        root: root.to_path_buf(),
        config,
        today,
        pages,
        assets,
        mounts: loaded.mounts,
        static_files,
        links,
        link_diagnostics,
        backlinks,
        records,
        relations,
        made_in,
        decisions_made,
        actions,
        people,
        teams,
        redirects,
        routes,
        routes_key,
        links_key,
        history,
        selection,
        left_out,
    };
    diagnostics.extend(overdue(&site, Severity::Warning));
    Resolved {
        site,
        link_tables: tables,
    }
}

/// A person's id: their file name.
pub fn person_id(page: &Page) -> String {
    let name = page.source.rsplit('/').next().unwrap_or(&page.source);
    name.trim_end_matches(".md").to_string()
}

/// When the handbook has people pages, every person a record names should have one: a name
/// without a page is a typo more often than not. Each such person is reported once, at their
/// first mention, with the others listed: a team with half its pages written would otherwise
/// get a warning per mention. `pages` picks warning or note.
fn check_people(
    pages: &[Arc<Page>],
    people: &HashMap<String, usize>,
    pages_are: PeoplePages,
    diagnostics: &mut Diagnostics,
) {
    if people.is_empty() {
        return;
    }
    let unknown = |id: &str| !id.is_empty() && !people.contains_key(id);
    // Person → every mention, in page order.
    let mut mentions: Vec<(String, Vec<Diagnostic>)> = Vec::new();
    let mut warn = |page: &Page, id: &str, span: std::ops::Range<usize>| {
        let mention = Diagnostic::warning("unknown-person", String::new()).at(&page.source_text(), span);
        match mentions.iter_mut().find(|(known, _)| known == id) {
            Some((_, found)) => found.push(mention),
            None => mentions.push((id.to_string(), vec![mention])),
        }
    };
    for page in pages {
        let mut named: Vec<(&str, &str)> = page.owner.iter().map(|o| ("owner", o.as_str())).collect();
        match &page.meta {
            KindMeta::Decision(d) => {
                let key = if key_span(page, "deciders").is_some() {
                    "deciders"
                } else {
                    "decision-makers"
                };
                named.extend(d.deciders.iter().map(|id| (key, id.as_str())));
            }
            KindMeta::Meeting(m) => {
                named.extend(m.attendees.iter().map(|id| ("attendees", id.as_str())));
                named.extend(m.facilitator.iter().map(|id| ("facilitator", id.as_str())));
                for item in &m.action_items {
                    if let Some(owner) = item.owner.as_deref().filter(|o| unknown(o)) {
                        warn(page, owner, page.source_text().line_range(item.line));
                    }
                }
            }
            _ => {}
        }
        for (key, id) in named.into_iter().filter(|(_, id)| unknown(id)) {
            warn(page, id, name_span(page, key, id));
        }
    }
    for (id, mut found) in mentions {
        found.sort_by_key(|d| (d.file.clone(), d.position.map(|p| (p.line, p.column))));
        let mut first = found[0].clone();
        if pages_are == PeoplePages::Optional {
            first.severity = Severity::Note;
        }
        first.message = match found.len() {
            1 => format!("`{id}` has no page in people/"),
            n => format!("`{id}` has no page in people/ (named {n} times)"),
        };
        const LISTED: usize = 5;
        let others: Vec<String> = found[1..].iter().take(LISTED).map(Diagnostic::location).collect();
        let more = found.len().saturating_sub(1 + LISTED);
        let mut help = format!("add content/people/{id}.md, or correct the name");
        if !others.is_empty() {
            help.push_str(&format!("; also named at {}", others.join(", ")));
            if more > 0 {
                help.push_str(&format!(" and {more} more"));
            }
        }
        if pages_are == PeoplePages::Required {
            help.push_str("; `[people] pages = \"optional\"` in handbook.toml makes this a note");
        }
        diagnostics.push(first.help(help));
    }
}

/// Where `id` is named for `key`: the name itself on the key's front matter line, else that
/// line, else the name's first mention in the file (records that name people in their text, as
/// MADR's `Deciders:` does), else the top of the file.
fn name_span(page: &Page, key: &str, id: &str) -> std::ops::Range<usize> {
    let find = |range: std::ops::Range<usize>| {
        let at = page.text.get(range.clone())?.find(id)?;
        Some(range.start + at..range.start + at + id.len())
    };
    let line = key_span(page, key);
    line.clone()
        .and_then(find)
        .or(line)
        .or_else(|| find(0..page.text.len()))
        .unwrap_or(0..0)
}

/// The bytes of the front-matter line that sets `key`, for pointing diagnostics at it.
pub fn key_span(page: &Page, key: &str) -> Option<std::ops::Range<usize>> {
    let front = &page.text[..page.body_start];
    let mut offset = 0;
    for line in front.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key)
            && rest.trim_start().starts_with(['=', ':'])
        {
            return Some(offset..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_find_each_destination_as_written_and_nothing_else() {
        let written = ["b.md", "#Why", "a.md#x", "https://example.com/", "a.md"];
        let targets: BTreeMap<String, LinkTarget> = (written.iter().enumerate())
            .map(|(n, dest)| (dest.to_string(), LinkTarget::Site(format!("page-{n}/index.html"))))
            .collect();
        let targets = LinkTargets::from(targets);
        for (n, dest) in written.iter().enumerate() {
            assert_eq!(
                targets.get(dest),
                Some(&LinkTarget::Site(format!("page-{n}/index.html"))),
                "{dest}"
            );
        }
        for missing in ["", "A.md", "a.m", "c.md", "#why"] {
            assert_eq!(targets.get(missing), None, "{missing}");
        }
        assert_eq!(LinkTargets::default().get("a.md"), None);
    }
}
