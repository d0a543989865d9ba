//! What a changed file is to the site: a page, a copied file, a folder, everything (the
//! configuration or the theme), or nothing. Paths are mapped to pages through the mounts (see
//! [`Mounts`]), so an edit in a `[[mounts]]` folder is one page's change like an edit in
//! `content/`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Served, Session};
use crate::config::{CONFIG_FILE, Config, THEMES_DIR};
use crate::content::load::STATIC_DIR;
use crate::content::mounts::Mounts;
use crate::content::{Page, walk};

/// How a changed file affects the site.
pub(super) enum Change {
    /// `handbook.toml` or a theme file: everything may change.
    Everything,
    /// A Markdown file under `content/`, by its path relative to it.
    Page(String),
    /// A file copied to the site as it is, by its output path.
    Copied(String),
    /// A folder that appeared or went away with what it holds (moved in or out whole, which
    /// is one event).
    Folder,
    /// Nothing the site is made of.
    Ignored,
}

impl Session {
    /// The folders the site is made from: the mounted ones as the current site (or, before a
    /// good build, the configuration) says, then `static/`; relative to the root.
    pub fn source_folders(&self) -> Vec<PathBuf> {
        let mut folders: Vec<PathBuf> = self.mounts().iter().map(|m| m.source.clone()).collect();
        folders.push(PathBuf::from(STATIC_DIR));
        folders
    }

    fn mounts(&self) -> Mounts {
        match &self.current {
            Some(current) => current.site.mounts.clone(),
            None => Mounts::new(
                &self.options.root,
                &Config::load(&self.options.root).unwrap_or_default(),
            ),
        }
    }

    /// Whether any of `paths` (absolute, or relative to the root) is something the site is made
    /// of. `serve` passes over a batch of changes that holds none, such as its own log written
    /// beside `handbook.toml`: while the handbook fails to build, applying it would rebuild and
    /// print the same errors again, which, printed to that log, would change it again, without
    /// end.
    pub fn concerns(&self, paths: &[PathBuf]) -> bool {
        paths
            .iter()
            .any(|path| !matches!(self.classify(&self.relative(path)), Change::Ignored))
    }

    /// `path` relative to the root, when it is inside it; else as it is.
    pub(super) fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.options.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }

    /// What the file at `relative` (to the root) is to the site.
    pub(super) fn classify(&self, relative: &Path) -> Change {
        let text = relative.to_string_lossy().replace('\\', "/");
        if text == CONFIG_FILE || relative.starts_with(THEMES_DIR) {
            return Change::Everything;
        }
        let path = self.options.root.join(relative);
        let exists = path.exists();
        let mounts = self.mounts();
        let source = mounts.source_of(relative);
        let in_site = source.is_some() || relative.starts_with(STATIC_DIR);
        if in_site && (path.is_dir() || (!exists && self.held_under(relative))) {
            return Change::Folder;
        }
        if let Some(rest) = text.strip_prefix(&format!("{STATIC_DIR}/")) {
            return self.copied_change(rest, exists);
        }
        let Some(source) = source else {
            return Change::Ignored;
        };
        let inside = mounts.locate(&source).map_or(source.as_str(), |(_, inside)| inside);
        if inside.is_empty() || !inside.split('/').all(walk::is_content_name) {
            return Change::Ignored;
        }
        if !source.ends_with(".md") {
            return self.copied_change(&source, exists);
        }
        let known = self.current.as_ref().is_some_and(|c| {
            let same = |p: &Arc<Page>| p.source == source;
            c.site.pages.iter().any(same) || c.site.left_out.iter().any(same)
        });
        if exists || known {
            Change::Page(source)
        } else {
            // An editor's temporary file, gone again.
            Change::Ignored
        }
    }

    /// Whether the site was made from files inside the folder `relative`.
    fn held_under(&self, relative: &Path) -> bool {
        let Some(current) = &self.current else {
            return false;
        };
        let inside = |file: &Path, folder: &Path| file.starts_with(folder) && file != folder;
        let absolute = self.options.root.join(relative);
        let page_inside = |p: &Arc<Page>| inside(&p.file, relative);
        current.site.pages.iter().any(page_inside)
            || current.site.left_out.iter().any(page_inside)
            || (self.read_outputs().values()).any(|s| matches!(s, Served::File(source) if inside(source, &absolute)))
    }

    fn copied_change(&self, path: &str, exists: bool) -> Change {
        if exists || self.read_outputs().contains_key(path) {
            Change::Copied(path.to_string())
        } else {
            Change::Ignored
        }
    }
}
