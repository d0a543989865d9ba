//! Visibility: what a `--public` build publishes.
//!
//! A page's visibility is what its own `visibility` says; else what the page of the nearest
//! folder around it says (`guides/_index.md` speaks for everything under `guides/`, however
//! deep); else the site's `visibility` in `handbook.toml`. [`VisibilityRules`] holds those
//! defaults. They are computed once from every page loading found, drafts included (a draft
//! folder page still speaks for its folder), before the build selects its pages.
//!
//! Besides internal pages, a public build leaves out the files under `content/` that only
//! internal pages show ([`published_assets`]), and git author names unless
//! `[public] authors = true` ([`published_history`]).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::{LinkTables, Selection, Site};
use crate::config::Config;
use crate::content::mounts::Mounts;
use crate::content::{Page, Role, Visibility};
use crate::history::FileHistory;

/// Where a page's visibility comes from when it does not say: its folders, then the site.
#[derive(Debug, Clone)]
pub struct VisibilityRules {
    /// `visibility` in `handbook.toml`.
    site: Visibility,
    /// The folders (relative to `content/`, without a trailing `/`) that set a visibility for
    /// everything inside them. Folder pages fill it; a folder mounted from outside `content/`
    /// would add its own default here, below any folder page inside it.
    folders: HashMap<String, Visibility>,
}

impl VisibilityRules {
    /// The rules of a site whose default is `site` and whose pages are `pages`. The home page
    /// (`content/_index.md`) speaks only for itself: the site's default is `handbook.toml`'s.
    pub fn new(site: Visibility, pages: &[Arc<Page>]) -> Self {
        let folders = pages
            .iter()
            .filter(|p| p.role == Role::Section)
            .filter_map(|p| Some((p.folder().to_string(), p.visibility?)))
            .collect();
        VisibilityRules { site, folders }
    }

    /// The visibility of `page`: its own, else its folder's.
    pub fn of_page(&self, page: &Page) -> Visibility {
        page.visibility.unwrap_or_else(|| self.in_folder(page.folder()))
    }

    /// The visibility a file in `folder` (relative to `content/`, `""` at the top) has when it
    /// says none: the nearest folder's around it that sets one, else the site's.
    pub fn in_folder(&self, folder: &str) -> Visibility {
        std::iter::successors(Some(folder), |f| f.rsplit_once('/').map(|(parent, _)| parent))
            .find_map(|f| self.folders.get(f))
            .copied()
            .unwrap_or(self.site)
    }
}

/// The files of the mounted folders (by site source) that this build copies. A file of a
/// `[[mounts]]` folder is copied only when a page of the build shows it (by a Markdown link or
/// image, or a raw HTML `src` or `href`): such folders sit in code repositories, whose other
/// files are not the handbook's to publish. Of `content/`, a public build leaves out a file that
/// no page of the build shows when an internal page shows it or it lies in an internal folder.
/// So a file that a public page shows is always copied (else that page would break), and a file
/// of `content/` that nobody shows is copied unless its folder is internal.
pub(super) fn published_assets(
    selection: Selection,
    rules: &VisibilityRules,
    tables: &LinkTables,
    pages: &[Arc<Page>],
    left_out: &[Arc<Page>],
    assets: Vec<String>,
    mounts: &Mounts,
) -> Vec<String> {
    if assets.is_empty() {
        return assets;
    }
    // Every link of every page is resolved again here: in parallel, as when they were first.
    let shown: HashSet<&str> = (pages.par_iter())
        .flat_map_iter(|p| tables.assets_shown_by(p))
        .collect();
    let in_content = |asset: &str| mounts.locate(asset).is_some_and(|(mount, _)| mount.index.is_none());
    let internal: HashSet<&str> = if selection.public {
        left_out
            .iter()
            .filter(|p| rules.of_page(p) == Visibility::Internal)
            .flat_map(|p| tables.assets_shown_by(p))
            .collect()
    } else {
        HashSet::new()
    };
    assets
        .into_iter()
        .filter(|asset| {
            if shown.contains(asset.as_str()) {
                return true;
            }
            if !in_content(asset) {
                return false;
            }
            let folder = asset.rsplit_once('/').map_or("", |(folder, _)| folder);
            !selection.public || !(internal.contains(asset.as_str()) || rules.in_folder(folder) == Visibility::Internal)
        })
        .collect()
}

/// What git says about each file, without the author names a public build does not show
/// (`[public] authors`).
pub(super) fn published_history(
    mut files: HashMap<String, FileHistory>,
    selection: Selection,
    config: &Config,
) -> HashMap<String, FileHistory> {
    if selection.public && !config.public.authors {
        files.values_mut().for_each(|file| file.author = None);
    }
    files
}

impl Site {
    /// Whether `new`, another reading of the page `old`, shows the same files under `content/`
    /// as far as this build is concerned, by `tables`, those of the site's resolving: a public
    /// build copies only the files public pages show, so a page that shows others needs the
    /// site resolved again (`serve`).
    pub fn publishes_same_files(&self, tables: &LinkTables, old: &Page, new: &Page) -> bool {
        if !self.selection.public {
            return true;
        }
        let shown = |page| tables.assets_shown_by(page).collect::<HashSet<&str>>();
        shown(old) == shown(new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page at `source` that says `visibility`, read as loading reads it.
    fn page(source: &str, visibility: Option<&str>) -> Arc<Page> {
        let front = visibility.map_or(String::new(), |v| format!("+++\nvisibility = \"{v}\"\n+++\n"));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("content").join(source);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, format!("{front}Text.\n")).unwrap();
        let loaded = crate::content::load::load(dir.path(), &Config::default());
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        loaded.pages.into_iter().next().unwrap()
    }

    #[test]
    fn the_nearest_say_wins() {
        let pages = [
            page("team/_index.md", Some("internal")),
            page("team/open/index.md", Some("public")),
            page("_index.md", Some("internal")),
        ];
        let rules = VisibilityRules::new(Visibility::Public, &pages);
        assert_eq!(rules.of_page(&pages[0]), Visibility::Internal);
        assert_eq!(rules.of_page(&page("team/a/b/plan.md", None)), Visibility::Internal);
        assert_eq!(
            rules.of_page(&page("team/a/plan.md", Some("public"))),
            Visibility::Public
        );
        assert_eq!(rules.of_page(&page("team/open/deep/x.md", None)), Visibility::Public);
        assert_eq!(rules.in_folder("teams"), Visibility::Public, "a folder, not a prefix");
        assert_eq!(
            rules.of_page(&page("x.md", None)),
            Visibility::Public,
            "the home page speaks for itself"
        );
        let internal_site = VisibilityRules::new(Visibility::Internal, &pages);
        assert_eq!(internal_site.in_folder(""), Visibility::Internal);
        assert_eq!(internal_site.in_folder("team/open"), Visibility::Public);
    }
}
