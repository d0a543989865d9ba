//! Navigation below the top bar: where a page is (breadcrumbs), what is around it (the sidebar's
//! tree of folders, and the pages of its own folder) and what comes before and after it there.
//!
//! Every page carries this, so it must stay small however large the handbook grows: the tree
//! shows the top-level folders with their subfolders, opens only the folders on the way to the
//! page, and lists the pages of the page's own folder alone, at most [`WINDOW`] of them around
//! the page. A page of a folder of 4,000 decisions links to 15 of them, not 4,000.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use super::frame::NavItem;
use super::views::LinkView;
use super::{Renderer, generated, views};
use crate::content::{Kind, Page, Role};
use crate::resolve::Site;

/// The most pages of one folder the sidebar lists: all of them when there are this few, else
/// this many around the page shown (the folder's own page lists them all).
const WINDOW: usize = 15;

/// The titles of the generated pages at the top of the site, as their templates show them when
/// no folder page (`_index.md`) there gives one.
const GENERATED_TITLES: [(&str, &str); 10] = [
    ("decisions/", "Decision log"),
    ("meetings/", "Meetings"),
    ("protocols/", "Protocols"),
    ("people/", "People"),
    ("tags/", "Tags"),
    ("actions/", "Action items"),
    ("reviews/", "Needs review"),
    ("changes/", "What's new"),
    ("search/", "Search"),
    ("teams/", "Teams"),
];

/// Every folder that has a page of its own, with the pages it lists, in the order its page
/// lists them: worked out once per site.
#[derive(Debug)]
pub(super) struct Folders {
    folders: Vec<Folder>,
    by_path: HashMap<String, usize>,
    /// The top-level folders of plain pages, in order: the roots of the sidebar's tree.
    top: Vec<usize>,
    /// Leaf pages at the site root, in order.
    root_pages: Vec<usize>,
    /// Each leaf page by its site path.
    leaves: HashMap<String, usize>,
    /// Where each page is listed: its folder (`None` for the site root) and its place there;
    /// `None` for folder pages and the home page.
    places: Vec<Option<(Option<usize>, usize)>>,
}

/// A folder: of plain pages (`guides/`), or of records (`decisions/`, `meetings/2026/`).
#[derive(Debug)]
struct Folder {
    /// Its site path, ending with `/`.
    path: String,
    /// Its page's title.
    title: String,
    /// The folder it is in.
    parent: Option<usize>,
    /// The folders in it, in order.
    subfolders: Vec<usize>,
    /// Its leaf pages, in order.
    pages: Vec<usize>,
    /// Whether the sidebar's tree shows it: a folder of plain pages, not one of records, which
    /// the top bar leads to.
    in_tree: bool,
    /// Its page's weight, to order it among its siblings.
    weight: Option<i64>,
}

/// A link in the breadcrumbs or beside a pager.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Item {
    /// The text: a page's title, a decision's number and title.
    title: String,
    /// Relative to the site root.
    href: String,
    /// Whether it is the page shown.
    current: bool,
}

/// A folder in the sidebar, with what it shows of its contents.
#[derive(Debug, Serialize)]
pub(super) struct Node {
    title: String,
    /// Its page, relative to the site root.
    href: String,
    /// `page` when its page is the one shown, `true` when the page shown is in it, else `null`:
    /// the value of `aria-current`.
    current: Option<&'static str>,
    /// Whether it starts open: the page shown is in it, or below it.
    open: bool,
    /// The folders in it that the sidebar shows.
    folders: Vec<Node>,
    /// The pages in it that the sidebar shows.
    pages: Vec<Item>,
    /// How many pages it holds, when `pages` shows only some of them (else 0).
    more: usize,
}

/// The navigation of one page, as templates see it (`nav`).
#[derive(Debug, Serialize)]
pub(super) struct PageNav {
    /// The page's file, relative to the site root: to mark the top bar's entry.
    here: String,
    /// Home, the folders the page is in, and the page itself; empty on the home page.
    breadcrumbs: Vec<Item>,
    /// For a record (a page in a folder outside the tree, such as `decisions/`): its folder,
    /// with the records around it.
    group: Option<Node>,
    /// The site root: the top-level folders (`folders`) and pages (`pages`).
    tree: Node,
    /// The page before this one in its folder.
    previous: Option<Item>,
    /// The page after this one in its folder.
    next: Option<Item>,
}

/// Where a page is among the folders.
struct Here {
    /// The leaf page shown, if it is one.
    page: Option<usize>,
    /// The folder whose page is shown, if it is one.
    folder_page: Option<usize>,
    /// The folder the page is in (or is the page of), then the folders around it, outwards.
    folders: Vec<usize>,
}

impl Folders {
    /// The folders of `site`.
    pub(super) fn new(site: &Site) -> Folders {
        let mut folders = folders_of(site);
        let by_path: HashMap<String, usize> = folders.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
        for f in 0..folders.len() {
            let parent = enclosing(&by_path, &folders[f].path);
            folders[f].parent = parent;
            if let Some(parent) = parent {
                folders[parent].subfolders.push(f);
            }
        }
        let mut root_pages = Vec::new();
        let mut leaves = HashMap::new();
        for (i, page) in site.pages.iter().enumerate().filter(|(_, p)| p.role == Role::Leaf) {
            leaves.insert(page.path.clone(), i);
            match enclosing(&by_path, &page.path) {
                Some(f) => folders[f].pages.push(i),
                None => root_pages.push(i),
            }
        }
        let mut places = vec![None; site.pages.len()];
        for (f, folder) in folders.iter_mut().enumerate() {
            order_pages(site, &folder.path, &mut folder.pages);
            for (at, &i) in folder.pages.iter().enumerate() {
                places[i] = Some((Some(f), at));
            }
        }
        by_weight(&site.pages, &mut root_pages);
        for (at, &i) in root_pages.iter().enumerate() {
            places[i] = Some((None, at));
        }
        let mut top: Vec<usize> = (0..folders.len())
            .filter(|&f| folders[f].in_tree && folders[f].parent.is_none())
            .collect();
        order_folders(&folders, &mut top);
        for f in 0..folders.len() {
            let mut subfolders = std::mem::take(&mut folders[f].subfolders);
            order_folders(&folders, &mut subfolders);
            folders[f].subfolders = subfolders;
        }
        Folders {
            folders,
            by_path,
            top,
            root_pages,
            leaves,
            places,
        }
    }

    /// The folders in the folder at site path `path`, in the sidebar's order.
    pub(super) fn subfolders(&self, path: &str) -> Vec<LinkView> {
        let subfolders = self.by_path.get(path).map(|&f| self.folders[f].subfolders.as_slice());
        let link = |f: &usize| LinkView {
            name: self.folders[*f].title.clone(),
            title: self.folders[*f].title.clone(),
            href: format!("{}index.html", self.folders[*f].path),
        };
        subfolders.unwrap_or_default().iter().map(link).collect()
    }

    /// The navigation of the page at site path `path`, titled `title` (`None` for the home page,
    /// which has no breadcrumbs).
    pub(super) fn page_nav(&self, r: &Renderer<'_>, path: &str, title: Option<&str>) -> PageNav {
        let here = self.here(path);
        let item = |i: usize| self.item(r, i, here.page == Some(i));
        let mut breadcrumbs = Vec::new();
        if let Some(title) = title {
            breadcrumbs.push(Item {
                title: "Home".into(),
                href: "index.html".into(),
                current: false,
            });
            let above = here.folders.iter().rev().filter(|&&f| Some(f) != here.folder_page);
            breadcrumbs.extend(above.map(|&f| Item {
                title: self.folders[f].title.clone(),
                href: format!("{}index.html", self.folders[f].path),
                current: false,
            }));
            breadcrumbs.push(Item {
                title: title.to_string(),
                href: format!("{path}index.html"),
                current: true,
            });
        }
        let place = here
            .page
            .filter(|&i| !in_series(&r.site.pages[i]))
            .and_then(|i| self.places[i]);
        let (previous, next) = match place {
            Some((folder, at)) => {
                let siblings = folder.map_or(&self.root_pages, |f| &self.folders[f].pages);
                (
                    at.checked_sub(1).map(|before| item(siblings[before])),
                    siblings.get(at + 1).map(|&after| item(after)),
                )
            }
            None => (None, None),
        };
        let group = match here.page.and_then(|i| self.places[i]) {
            Some((Some(f), _)) if !self.folders[f].in_tree => Some(self.node(r, f, &here)),
            _ => None,
        };
        let root_at = match here.page.and_then(|i| self.places[i]) {
            Some((None, at)) => Some(at),
            _ => None,
        };
        let tree = Node {
            title: String::new(),
            href: "index.html".into(),
            current: None,
            open: true,
            folders: self.top.iter().map(|&f| self.node(r, f, &here)).collect(),
            pages: self.root_pages[window(self.root_pages.len(), root_at)]
                .iter()
                .map(|&i| item(i))
                .collect(),
            // No page lists the pages at the root (the home page shows what is new instead), so
            // there is none to send the reader to for the rest.
            more: 0,
        };
        PageNav {
            here: format!("{path}index.html"),
            breadcrumbs,
            group,
            tree,
            previous,
            next,
        }
    }

    /// The pages whose titles the navigation of the generated page at site path `path` names
    /// (see [`Folders::page_nav`]): those of the window it shows of the pages at the root, and of
    /// those of the folder it is in when the tree shows that folder (records' folders are not in
    /// the tree: a page of the decision log names no record). A generated page is none of these
    /// pages, so each window is the first.
    pub(super) fn named_at(&self, path: &str) -> Vec<usize> {
        let here = self.here(path);
        let shown = |pages: &[usize]| pages[window(pages.len(), None)].to_vec();
        let in_tree = here.folders.first().filter(|&&f| self.folders[f].in_tree);
        let folder = in_tree.map(|&f| shown(&self.folders[f].pages));
        (shown(&self.root_pages).into_iter())
            .chain(folder.into_iter().flatten())
            .collect()
    }

    /// Where the page at `path` is.
    fn here(&self, path: &str) -> Here {
        let page = self.leaves.get(path).copied();
        let folder_page = if page.is_none() {
            self.by_path.get(path).copied()
        } else {
            None
        };
        let mut folders = Vec::new();
        let mut folder = match page {
            Some(i) => self.places[i].and_then(|(f, _)| f),
            None => folder_page.or_else(|| enclosing(&self.by_path, path)),
        };
        while let Some(f) = folder {
            folders.push(f);
            folder = self.folders[f].parent;
        }
        Here {
            page,
            folder_page,
            folders,
        }
    }

    /// Folder `f` as the sidebar shows it to a reader at `here`: open with its subfolders when the
    /// page is in it or below it, with its pages when the page is in it, and, for a top-level
    /// folder, its subfolders closed, to look into without leaving the page.
    fn node(&self, r: &Renderer<'_>, f: usize, here: &Here) -> Node {
        let folder = &self.folders[f];
        let open = here.folders.contains(&f);
        let current = if here.folder_page == Some(f) {
            Some("page")
        } else if here.folders.first() == Some(&f) {
            Some("true")
        } else {
            None
        };
        let folders = if open {
            folder.subfolders.iter().map(|&s| self.node(r, s, here)).collect()
        } else if folder.parent.is_none() {
            folder.subfolders.iter().map(|&s| self.closed(s)).collect()
        } else {
            Vec::new()
        };
        let (pages, more) = if here.folders.first() == Some(&f) {
            let at = here.page.and_then(|i| self.places[i]).map(|(_, at)| at);
            let shown = window(folder.pages.len(), at);
            let more = if shown.len() < folder.pages.len() {
                folder.pages.len()
            } else {
                0
            };
            let items = folder.pages[shown]
                .iter()
                .map(|&i| self.item(r, i, here.page == Some(i)))
                .collect();
            (items, more)
        } else {
            (Vec::new(), 0)
        };
        Node {
            title: folder.title.clone(),
            href: format!("{}index.html", folder.path),
            current,
            open,
            folders,
            pages,
            more,
        }
    }

    /// Folder `f` as a link alone.
    fn closed(&self, f: usize) -> Node {
        let folder = &self.folders[f];
        Node {
            title: folder.title.clone(),
            href: format!("{}index.html", folder.path),
            current: None,
            open: false,
            folders: Vec::new(),
            pages: Vec::new(),
            more: 0,
        }
    }

    /// A link to leaf page `i`: a decision by its number and title.
    fn item(&self, r: &Renderer<'_>, i: usize, current: bool) -> Item {
        let page = &r.site.pages[i];
        let title = if page.decision().is_some_and(|d| d.number.is_some()) {
            r.views.decision_ref(i).label.clone()
        } else {
            views::display_title(page).to_owned()
        };
        Item {
            title,
            href: page.output_file(),
            current,
        }
    }

    /// Marks in `changed` (one flag per page, set for the pages whose view changed) the pages
    /// whose navigation shows a page that changed or moved; `None` when the folders themselves
    /// differ from `before`'s (added, removed, retitled, or a page at the site root changed),
    /// which changes every page's sidebar.
    pub(super) fn spread_changes(&self, before: &Folders, changed: &mut [bool]) -> Option<()> {
        let same_folders = self.folders.len() == before.folders.len()
            && self.folders.iter().zip(&before.folders).all(|(a, b)| {
                a.path == b.path && a.title == b.title && a.subfolders == b.subfolders && a.in_tree == b.in_tree
            });
        if !same_folders || self.root_pages != before.root_pages || self.root_pages.iter().any(|&i| changed[i]) {
            return None;
        }
        let mut shown_changed = vec![false; changed.len()];
        for (folder, old) in self.folders.iter().zip(&before.folders) {
            let pages = &folder.pages;
            if *pages != old.pages {
                pages.iter().for_each(|&i| shown_changed[i] = true);
                continue;
            }
            for (at, &i) in pages.iter().enumerate() {
                // The window around a page holds its previous and next pages too.
                shown_changed[i] = pages[window(pages.len(), Some(at))].iter().any(|&j| changed[j]);
            }
        }
        for (flag, shown) in changed.iter_mut().zip(shown_changed) {
            *flag |= shown;
        }
        Some(())
    }
}

/// Every folder with a page, without its place in the tree or its pages yet: the folders of
/// pages, titled by their folder page (`_index.md`) or their name, and the generated folders at
/// the top of the site. Those of records are not in the tree: the top bar leads to them.
fn folders_of(site: &Site) -> Vec<Folder> {
    let folder_pages: HashMap<&str, &Page> = site
        .pages
        .iter()
        .filter(|p| p.role == Role::Section)
        .map(|p| (p.path.as_str(), &**p))
        .collect();
    let sections = generated::collect_sections(site);
    let tree_roots: Vec<String> = (generated::top_level_sections(site, &sections).into_iter())
        .map(str::to_string)
        .collect();
    let sections = sections.into_iter().map(|(path, section)| (path, section.title));
    let generated = GENERATED_TITLES
        .iter()
        .map(|(path, title)| (path.to_string(), title.to_string()));
    let mut folders: Vec<Folder> = sections
        .chain(generated)
        .map(|(path, name)| {
            let page = folder_pages.get(path.as_str());
            let top = format!("{}/", path.split('/').next().unwrap_or_default());
            Folder {
                title: page.map_or(name, |p| p.title.clone()),
                weight: page.and_then(|p| p.weight),
                in_tree: tree_roots.contains(&top),
                path,
                parent: None,
                subfolders: Vec::new(),
                pages: Vec::new(),
            }
        })
        .collect();
    folders.sort_by(|a, b| a.path.cmp(&b.path));
    folders
}

/// The innermost of the folders `by_path` that holds site path `path` (not `path` itself).
fn enclosing(by_path: &HashMap<String, usize>, path: &str) -> Option<usize> {
    let mut rest = path.trim_end_matches('/');
    while let Some((parent, _)) = rest.rsplit_once('/') {
        if let Some(&f) = by_path.get(&format!("{parent}/")) {
            return Some(f);
        }
        rest = parent;
    }
    None
}

/// Orders the folders `list` by weight, then title.
fn order_folders(folders: &[Folder], list: &mut [usize]) {
    list.sort_by_cached_key(|&f| {
        let folder = &folders[f];
        (folder.weight.is_none(), folder.weight, folder.title.to_lowercase())
    });
}

/// Whether `page` is a meeting of a series: its template links the meetings before and after
/// it in the series, rather than in its folder.
fn in_series(page: &Page) -> bool {
    page.meeting().is_some_and(|m| m.series.is_some())
}

/// Which of `len` pages the sidebar lists, around the one at `at`.
fn window(len: usize, at: Option<usize>) -> Range<usize> {
    if len <= WINDOW {
        return 0..len;
    }
    let start = at.unwrap_or(0).saturating_sub(WINDOW / 2).min(len - WINDOW);
    start..start + WINDOW
}

/// Orders the leaf pages `indices` of the folder at `path` as its page lists them, oldest
/// first: the decision log by number, meetings by date, people by name, and any other folder
/// by weight (see [`by_weight`]).
fn order_pages(site: &Site, path: &str, indices: &mut [usize]) {
    let pages = &site.pages;
    match path {
        "decisions/" => indices.sort_by_cached_key(|&i| {
            let number = pages[i].decision().and_then(|d| d.number);
            (number.is_none(), number, pages[i].date, pages[i].title.clone())
        }),
        "meetings/" => indices.sort_by_cached_key(|&i| (pages[i].date, pages[i].title.clone())),
        "people/" => indices.sort_by_cached_key(|&i| views::display_title(&pages[i]).to_lowercase()),
        _ => by_weight(pages, indices),
    }
}

/// Sorts `indices` by weight, then decision number, then title. Pages that give a weight come
/// before those that do not, as in Hugo and Zola: `weight = 1` means "first", not "after every
/// unweighted page"; numbered records keep their log's order in any folder.
pub(super) fn by_weight(pages: &[Arc<Page>], indices: &mut [usize]) {
    indices.sort_by_cached_key(|&i| {
        let number = pages[i].decision().and_then(|d| d.number);
        (
            pages[i].weight.is_none(),
            pages[i].weight,
            number.is_none(),
            number,
            pages[i].title.to_lowercase(),
        )
    });
}

/// Sorts decision `indices` by number, highest first, then newest first, then by title.
pub(super) fn by_number_desc(pages: &[Arc<Page>], indices: &mut [usize]) {
    let number = |i: usize| pages[i].decision().and_then(|d| d.number);
    indices.sort_by(|&a, &b| {
        number(b)
            .cmp(&number(a))
            .then_with(|| pages[b].date.cmp(&pages[a].date))
            .then_with(|| pages[a].title.cmp(&pages[b].title))
    });
}

/// The entries of the top bar: the kinds of record the handbook has.
pub(super) fn record_kinds(site: &Site) -> Vec<NavItem> {
    [
        (Kind::Decision, "decisions", "Decisions"),
        (Kind::Meeting, "meetings", "Meetings"),
        (Kind::Protocol, "protocols", "Protocols"),
        (Kind::Person, "people", "People"),
    ]
    .into_iter()
    .filter(|(kind, _, _)| site.of_kind(*kind).next().is_some())
    .map(|(_, key, title)| NavItem::new(key, title))
    .collect()
}

/// The generated pages the sidebar links to below the folders, when they have something to
/// show: what's new, action items, reviews, tags and teams.
pub(super) fn overviews(site: &Site) -> Vec<NavItem> {
    let leaves = || site.pages.iter().filter(|p| p.role == Role::Leaf);
    let has = [
        ("changes", leaves().next().is_some()),
        (
            "actions",
            site.of_kind(Kind::Meeting)
                .any(|(_, p)| p.meeting().is_some_and(|m| !m.action_items.is_empty())),
        ),
        ("reviews", site.of_kind(Kind::Protocol).next().is_some()),
        ("tags", leaves().any(|p| !p.tags.is_empty())),
        ("teams", !site.teams.by_path.is_empty()),
    ];
    has.into_iter()
        .filter(|(_, shown)| *shown)
        .map(|(key, _)| {
            let path = format!("{key}/");
            let title = GENERATED_TITLES
                .iter()
                .find(|(p, _)| *p == path)
                .map_or(key, |(_, t)| t);
            NavItem::new(key, title)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::GENERATED_PATHS;

    #[test]
    fn every_generated_folder_has_a_title() {
        for path in GENERATED_PATHS {
            assert!(GENERATED_TITLES.iter().any(|(p, _)| *p == path), "{path}");
        }
    }

    #[test]
    fn the_window_keeps_the_page_near_its_middle_and_inside_the_folder() {
        assert_eq!(window(3, Some(2)), 0..3);
        assert_eq!(window(100, None), 0..WINDOW);
        assert_eq!(window(100, Some(3)), 0..WINDOW);
        assert_eq!(window(100, Some(50)), 43..43 + WINDOW);
        assert_eq!(window(100, Some(99)), 100 - WINDOW..100);
    }
}
