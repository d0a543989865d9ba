//! Walking the handbook's folders: which files are pages, assets and static files, and which
//! Markdown file is each folder's page. Every walk keeps to the handbook's [`Boundary`].

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use super::boundary::{Boundary, Refusal};
use super::load::STATIC_DIR;
use super::mounts::Mounts;
use crate::config::{Config, THEMES_DIR};
use crate::diagnostics::Diagnostic;
use crate::write::MARKER;

/// The names of a folder's own page, most preferred first.
pub(super) const FOLDER_PAGE_NAMES: [&str; 3] = ["_index.md", "index.md", "README.md"];

/// The file that is its folder's page, for each folder: `_index.md`, else `index.md`, else
/// `README.md`. Another of them in the same folder is an ordinary page (Log4brains keeps both a
/// `README.md` and an `index.md`). A folder of pages with none of them takes the page beside it of
/// the same name, `guides/onboarding.md` for `guides/onboarding/` (how the Rust RFCs and mdBook's
/// nested chapters are laid out): both would have the URL `guides/onboarding/`. When the folder
/// has a page of its own, the page beside it stays a page, and the route table reports the two.
pub(super) fn folder_pages(files: &[String]) -> HashSet<&str> {
    let mut best: HashMap<&str, (usize, &str)> = HashMap::new();
    for file in files {
        let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
        let Some(rank) = FOLDER_PAGE_NAMES.iter().position(|n| *n == name) else {
            continue;
        };
        let entry = best.entry(dir).or_insert((rank, file));
        if rank < entry.0 {
            *entry = (rank, file);
        }
    }
    let named: HashSet<&str> = files.iter().map(String::as_str).collect();
    let folders: HashSet<&str> = files
        .iter()
        .flat_map(|file| file.match_indices('/').map(move |(end, _)| &file[..end]))
        .collect();
    for folder in folders {
        if !best.contains_key(folder)
            && let Some(beside) = named.get(format!("{folder}.md").as_str())
        {
            best.insert(folder, (FOLDER_PAGE_NAMES.len(), beside));
        }
    }
    best.into_values().map(|(_, file)| file).collect()
}

/// Every file under `root/folder` (none when it does not exist), relative to it, as [`walk`]
/// finds them; `folder` is relative to the handbook root `root`.
pub fn walk_static(root: &Path, folder: &Path, boundary: &Boundary, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Vec::new();
    }
    if let Err(refusal) = boundary.check(&dir) {
        diagnostics.push(refusal.into_diagnostic(folder));
        return Vec::new();
    }
    walk(&dir, folder, boundary, false, &[], diagnostics)
}

/// What [`walk_mounts`] found, by site source (see [`Mounts`]).
#[derive(Debug, Default)]
pub(super) struct Found {
    /// The Markdown files.
    pub(super) markdown: Vec<String>,
    /// The other files.
    pub(super) assets: Vec<String>,
}

/// Walks every mounted folder, each without the folders other mounts show (see
/// [`Mounts::left_out_of`]). A `[[mounts]]` folder that is missing, or outside the handbook, is
/// an error at its `source` in `handbook.toml`.
pub(super) fn walk_mounts(
    root: &Path,
    mounts: &Mounts,
    config: &Config,
    boundary: &Boundary,
    diagnostics: &mut Vec<Diagnostic>,
) -> Found {
    let mut found = Found::default();
    for mount in mounts.iter() {
        let dir = root.join(&mount.source);
        let source_key = |index: usize| ["mounts".to_string(), index.to_string(), "source".into()];
        if !dir.is_dir() {
            if let Some(index) = mount.index {
                let key = source_key(index);
                let diagnostic = Diagnostic::error(
                    "missing-mount",
                    format!("there is no folder `{}` to mount", mount.source.display()),
                )
                .help("write a folder relative to the handbook root (where handbook.toml is)");
                diagnostics.push(config.point(diagnostic, &key.each_ref().map(String::as_str)));
            }
            continue;
        }
        if let Err(refusal) = boundary.check(&dir) {
            diagnostics.push(refusal.into_diagnostic(&mount.source));
            continue;
        }
        // A mount of the whole root must not publish the site's own folders as pages.
        let mut skip = vec![root.join(STATIC_DIR), root.join(THEMES_DIR)];
        for (folder, shadowed) in mounts.left_out_of(mount) {
            if shadowed && root.join(&folder).is_dir() {
                diagnostics.push(mounts.shadowed(&folder));
            }
            skip.push(root.join(folder));
        }
        for file in walk(&dir, &mount.source, boundary, true, &skip, diagnostics) {
            let source = mount.source_of(&file);
            if file.ends_with(".md") {
                found.markdown.push(source);
            } else {
                found.assets.push(source);
            }
        }
    }
    found.markdown.sort();
    found.assets.sort();
    found
}

/// The regular files under `dir`, relative to it with `/` separators, in name order. Symbolic
/// links are followed only when they stay inside the handbook ([`Boundary`]); what is skipped is
/// reported at `shown` (how `dir` is named in diagnostics). With `content_names`, names starting
/// with `.` or `_` are skipped (see [`is_content_name`]). A name that is not UTF-8 is an error:
/// its page or file could be neither linked nor written under its own name. The folders `skip`
/// (absolute, as `dir` is) and the output folders of earlier builds (holding the marker file of
/// [`crate::write::MARKER`]) are left out.
pub(super) fn walk(
    dir: &Path,
    shown: &Path,
    boundary: &Boundary,
    content_names: bool,
    skip: &[PathBuf],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut files = Vec::new();
    let mut refused = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            if content_names && !is_visible(entry) {
                return false;
            }
            if entry.file_type().is_dir()
                && (skip.iter().any(|folder| folder == entry.path()) || entry.path().join(MARKER).exists())
            {
                return false;
            }
            let shown = shown.join(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
            if entry.path_is_symlink()
                && let Err(refusal) = boundary.check(entry.path())
            {
                refused.push(refusal.into_diagnostic(&shown));
                return false;
            }
            let kind = entry.file_type();
            if !kind.is_file() && !kind.is_dir() {
                refused.push(Refusal::Special.into_diagnostic(&shown));
                return false;
            }
            if entry.file_name().to_str().is_none() {
                refused.push(
                    Diagnostic::error(
                        "bad-file-name",
                        "this name is not valid UTF-8, so it cannot be published",
                    )
                    .in_file(&shown)
                    .help("rename it using UTF-8 (any language's letters are fine)"),
                );
                return false;
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(relative(dir, entry.path())),
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(|p| shown.join(p.strip_prefix(dir).unwrap_or(p)));
                let mut diagnostic = if err.loop_ancestor().is_some() {
                    Diagnostic::warning(
                        "symlink-loop",
                        "this symbolic link points back to a folder that contains it; skipped",
                    )
                } else {
                    Diagnostic::error("unreadable", format!("cannot read: {err}"))
                };
                if let Some(path) = path {
                    diagnostic = diagnostic.in_file(&path);
                }
                diagnostics.push(diagnostic);
            }
        }
    }
    diagnostics.extend(refused);
    files
}

/// Files and folders whose names start with `.` or `_` are not content, except `_index.md`.
fn is_visible(entry: &DirEntry) -> bool {
    is_content_name(&entry.file_name().to_string_lossy())
}

/// Whether a file or folder of this name under `content/` is read (see [`is_visible`]).
pub fn is_content_name(name: &str) -> bool {
    !(name.starts_with('.') || name.starts_with('_')) || name == "_index.md"
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
