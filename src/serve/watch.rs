//! Watching the files a handbook is made of: its mounted folders (`content/` and those of
//! `[[mounts]]`), `static/`, `themes/` (recursively) and `handbook.toml`, debounced so that an editor's write-then-rename or a `git checkout` arrives
//! as a few batches rather than hundreds of events.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::{CONFIG_FILE, THEMES_DIR};

/// Changed paths (absolute), or what went wrong while watching.
pub(super) type Batch = Result<Vec<PathBuf>, String>;

/// How long a path must be quiet before its change is reported. Short, since this is most of
/// the time between a save and the reload; a burst longer than this arrives as several batches,
/// each of which the session applies, the last one leaving the site complete.
const QUIET: Duration = Duration::from_millis(10);

/// The running watcher; dropping it stops watching.
pub(super) struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    /// The folders watched recursively.
    folders: Vec<PathBuf>,
    /// The folders to watch (relative to the root), as far as they exist.
    wanted: Vec<PathBuf>,
}

impl Watcher {
    /// Watches the handbook at `root` (absolute): the folders `sources` (relative to it) and
    /// `themes/`, sending each batch of changes to `batches`.
    pub(super) fn start(root: &Path, sources: Vec<PathBuf>, batches: Sender<Batch>) -> notify::Result<Watcher> {
        let debouncer = new_debouncer(QUIET, None, move |result: DebounceEventResult| {
            let batch = match result {
                Ok(events) => Ok(events
                    .into_iter()
                    .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                    .flat_map(|e| e.event.paths)
                    .collect::<Vec<_>>()),
                Err(errors) => Err(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")),
            };
            if !matches!(&batch, Ok(paths) if paths.is_empty()) {
                batches.send(batch).ok();
            }
        })?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            debouncer,
            folders: Vec::new(),
            wanted: Vec::new(),
        };
        // The root itself, not recursively: `handbook.toml`, and the folders appearing.
        watcher.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        watcher.watch_sources(sources);
        Ok(watcher)
    }

    /// Watches `sources` (relative to the root) and `themes/` besides what is watched already:
    /// a changed `[[mounts]]` brings new folders.
    pub(super) fn watch_sources(&mut self, sources: Vec<PathBuf>) {
        for folder in sources.into_iter().chain([PathBuf::from(THEMES_DIR)]) {
            if !self.wanted.contains(&folder) {
                self.follow(&self.root.join(&folder)).ok();
                self.wanted.push(folder);
            }
        }
    }

    /// What is watched, for the user: `content/`, `static/`, `handbook.toml`.
    pub(super) fn watching(&self) -> Vec<String> {
        let mut shown = shown(&self.root, &self.folders);
        shown.push(CONFIG_FILE.to_string());
        shown
    }

    /// Starts watching again any of the handbook's folders that `paths` show were created (or
    /// deleted and created again, which ends a watch).
    pub(super) fn follow_new_folders(&mut self, paths: &[PathBuf]) {
        for name in self.wanted.clone() {
            let folder = self.root.join(name);
            if paths.contains(&folder) && folder.is_dir() {
                if self.folders.contains(&folder) {
                    self.debouncer.unwatch(&folder).ok();
                    self.folders.retain(|f| *f != folder);
                }
                self.follow(&folder).ok();
            }
        }
    }

    fn follow(&mut self, folder: &Path) -> notify::Result<()> {
        if folder.is_dir() && !self.folders.iter().any(|f| folder.starts_with(f)) {
            if folder == self.root {
                // A mount of the whole root: watched recursively instead.
                self.debouncer.unwatch(&self.root).ok();
            }
            self.debouncer.watch(folder, RecursiveMode::Recursive)?;
            self.folders.push(folder.to_path_buf());
        }
        Ok(())
    }
}

/// Paths relative to `root`, as shown to the user: folders end with `/`.
fn shown(root: &Path, paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| {
            let relative = p.strip_prefix(root).unwrap_or(p).display().to_string();
            if p.is_dir() { format!("{relative}/") } else { relative }
        })
        .collect()
}
