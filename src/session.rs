//! A build kept in memory between changes, which `serve` updates as files are saved.
//!
//! A change runs the same pipeline as `build` (load → resolve → render), reading again only the
//! files that changed (a [`PageCache`]), and rendering as little as it can:
//! - when the saved pages differ only in their body text (not in anything another page, list,
//!   feed or filter shows: see [`Page::differs_only_in_body`]), each is replaced in the resolved
//!   site, its links are resolved again, and only what shows its body is rendered again: the page,
//!   the pages whose backlinks changed, the feeds it is in and the search files holding its words;
//! - when the site still has the same pages at the same addresses (a title, status, tag or date
//!   changed), the site is resolved again, and the pages whose view, body, links or backlinks
//!   changed are rendered again with every generated page, and the search index is updated;
//! - anything else (new, deleted or renamed files, configuration, theme) renders everything.
//!
//! The first two ways leave the print page, when the change shows on it, to
//! [`Session::catch_up`], which `serve` calls once it has announced the rest. Each way, what is
//! served is compared with what was, so readers are told only about files whose bytes changed,
//! and the result is what `build` writes. A change that makes the handbook invalid leaves the
//! last good site in place, and is taken up again with the next change.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::{self, BuildError, BuildOptions, Report};
use crate::content::load::{self, PageCache};
use crate::content::{Page, Role};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::history::{self, History};
use crate::render::{Contents, Frame, FrameChanges, OutputFile, Renderer, Since, Theme};
use crate::resolve::{LinkTables, Resolved, Site};
use crate::routes::PRINT_PATH;
use crate::search::{IndexChange, SearchIndex};

mod changes;
mod store;

use changes::Change;
use store::Published;
pub use store::{Outputs, Served, Stored};

/// What a rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    /// How many HTML pages were rendered again.
    pub rendered: usize,
    /// The output files whose bytes changed, appeared or disappeared.
    pub changed: Vec<String>,
    /// Warnings and notes of the handbook as it now is.
    pub warnings: Vec<Diagnostic>,
    /// How long the rebuild took.
    pub elapsed: Duration,
}

impl Rebuilt {
    /// `Rebuilt 3 pages in 12 ms (41 files changed)`.
    pub fn summary(&self) -> String {
        format!(
            "Rebuilt {} in {} ms ({})",
            self.pages(),
            self.elapsed.as_millis(),
            self.files()
        )
    }

    /// What [`Session::catch_up`] did: `Brought 35 pages up to date in 80 ms (12 files
    /// changed)`, or, for the print page, `Brought the print page up to date in 40 ms`.
    pub fn caught_up_summary(&self) -> String {
        let ms = self.elapsed.as_millis();
        if self.changed == [format!("{PRINT_PATH}index.html")] {
            return format!("Brought the print page up to date in {ms} ms");
        }
        format!("Brought {} up to date in {ms} ms ({})", self.pages(), self.files())
    }

    /// `3 pages`: those rendered.
    fn pages(&self) -> String {
        counted(self.rendered, "page")
    }

    /// `41 files changed`.
    fn files(&self) -> String {
        format!("{} changed", counted(self.changed.len(), "file"))
    }
}

/// How many of `files` are HTML pages: what a rebuild counts as pages rendered.
fn html_pages(files: &[OutputFile]) -> usize {
    files.iter().filter(|f| f.path.ends_with(".html")).count()
}

/// `1 page`, `2 pages`.
fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The last good build.
struct Current {
    site: Site,
    /// What the site's links were resolved with, to resolve an edited page's again.
    link_tables: LinkTables,
    theme: Theme,
    frame: Frame,
    search: SearchIndex,
    warnings: Vec<Diagnostic>,
    /// The output files of generated pages (indexes, feeds, redirects…).
    generated: HashSet<String>,
    /// Whether the print page shows an earlier site: a rebuild leaves it to
    /// [`Session::catch_up`].
    print_behind: bool,
    /// The generated pages that show an earlier site, by their place in the frame's list of
    /// them (see [`Renderer::changed_generated`]): a rebuild leaves them to
    /// [`Session::catch_up`] too.
    lists_behind: Vec<usize>,
}

/// A handbook built in memory, kept up to date by [`Session::apply`].
pub struct Session {
    options: BuildOptions,
    cache: PageCache,
    /// Read once: commits made while serving show up after a restart.
    history: History,
    current: Option<Current>,
    /// Files changed since the last good build, which it does not reflect yet.
    pending: BTreeSet<PathBuf>,
    published: Published,
}

/// A page whose body changed, to be replaced in the site.
struct BodyEdit {
    /// The page's index in the site.
    index: usize,
    /// The page as read now.
    read: Arc<Page>,
    /// The page as the site shows it: as read, with what resolving added to its metadata.
    resolved: Arc<Page>,
    /// What reading it said.
    diagnostics: Vec<Diagnostic>,
    /// What reading it and resolving its links said before, which this edit says again.
    replaced: Vec<Diagnostic>,
}

impl Session {
    /// Builds the handbook at `options.root` in memory. The session is returned even when the
    /// build fails, so that a fix can be picked up by [`Session::apply`].
    pub fn start(options: BuildOptions) -> (Session, Result<Report, BuildError>) {
        let started = Instant::now();
        let history = history::read(&options.root);
        let mut session = Session {
            options,
            cache: PageCache::default(),
            history,
            current: None,
            pending: BTreeSet::new(),
            published: Published::new(),
        };
        let result = session.rebuild_all(false).map(|_| session.report(started));
        (session, result)
    }

    /// What the current build holds, as `build` reports it.
    fn report(&self, started: Instant) -> Report {
        let html_pages = self.read_outputs().keys().filter(|p| p.ends_with(".html")).count();
        match &self.current {
            Some(current) => build::report(&current.site, html_pages, current.warnings.clone(), started),
            None => Report {
                html_pages,
                records: Default::default(),
                diagnostics: Vec::new(),
                elapsed: started.elapsed(),
                timings: None,
            },
        }
    }

    /// The files of the last good build, shared with the server that reads them.
    pub fn outputs(&self) -> Arc<RwLock<Outputs>> {
        Arc::clone(&self.published.outputs)
    }

    /// Brings the site up to date after `paths` (absolute, or relative to the root) changed.
    /// On failure the last good site stays in place.
    pub fn apply(&mut self, paths: impl IntoIterator<Item = PathBuf>) -> Result<Rebuilt, Vec<Diagnostic>> {
        let mut rebuilt = self.apply_first(paths)?;
        while let Some(caught_up) = self.catch_up() {
            let later = caught_up?;
            rebuilt.rendered += later.rendered;
            rebuilt.changed.extend(later.changed);
            rebuilt.elapsed += later.elapsed;
        }
        Ok(rebuilt)
    }

    /// Brings the site up to date after `paths` changed, as [`Session::apply`] does, but for the
    /// print page and, when the site keeps the same generated pages, the generated pages the
    /// change shows on, which [`Session::catch_up`] renders next (see [`Current::render_some`]).
    /// The print page is the size of the handbook: at 10,000 pages, rendering it made a title
    /// edit 40 ms slower to be served, and an edit of a printed page's body three times as slow.
    pub fn apply_first(&mut self, paths: impl IntoIterator<Item = PathBuf>) -> Result<Rebuilt, Vec<Diagnostic>> {
        let started = Instant::now();
        for path in paths {
            self.pending.insert(self.relative(&path));
        }
        let changes: Vec<Change> = self.pending.iter().map(|p| self.classify(p)).collect();
        let outcome = self.apply_changes(&changes);
        let (changed, rendered) = match outcome {
            Ok(done) => done,
            Err(BuildError::Content(diagnostics)) => return Err(diagnostics),
            Err(BuildError::Write(err)) => return Err(vec![Diagnostic::error("serve", err.to_string())]),
        };
        self.pending.clear();
        let warnings = self.current.as_ref().map(|c| c.warnings.clone()).unwrap_or_default();
        Ok(Rebuilt {
            rendered,
            changed,
            warnings,
            elapsed: started.elapsed(),
        })
    }

    /// Whether generated pages show an earlier site than the rest: then [`Session::catch_up`]
    /// has work to do.
    pub fn is_behind(&self) -> bool {
        (self.current.as_ref()).is_some_and(|current| current.print_behind || !current.lists_behind.is_empty())
    }

    /// Renders the generated pages of the current site that the last rebuilds left behind (see
    /// [`Session::apply_first`]) and serves them: the lists first, then, at the next call, the
    /// print page. `None` when none is behind. A template error is reported once; the pages are
    /// rendered again when a change next touches them.
    pub fn catch_up(&mut self) -> Option<Result<Rebuilt, Vec<Diagnostic>>> {
        let started = Instant::now();
        let current = self.current.as_mut()?;
        let renderer = Renderer::new(&current.site, &current.theme, &current.frame);
        let (files, problems) = if !current.lists_behind.is_empty() {
            let lists = std::mem::take(&mut current.lists_behind);
            let rendered = renderer.render_pages(&[], false, Some(&lists));
            (rendered.files, rendered.problems)
        } else if current.print_behind {
            current.print_behind = false;
            match renderer.render_print()? {
                Ok(file) => (vec![file], Vec::new()),
                Err(problem) => (Vec::new(), vec![problem]),
            }
        } else {
            return None;
        };
        if !problems.is_empty() {
            return Some(Err(problems));
        }
        let rendered = html_pages(&files);
        let changed = self.published.publish(files, Vec::new(), Vec::new());
        drop_in_background((), self.published.tidy_when_idle());
        Some(Ok(Rebuilt {
            rendered,
            changed,
            warnings: current.warnings.clone(),
            elapsed: started.elapsed(),
        }))
    }

    /// Takes the shortest way that gives the same site as a fresh build.
    /// Returns the changed output files and how many pages were rendered.
    fn apply_changes(&mut self, changes: &[Change]) -> Result<(Vec<String>, usize), BuildError> {
        let mut pages = Vec::new();
        let mut copied = Vec::new();
        if changes.iter().any(|c| matches!(c, Change::Everything)) {
            return self.rebuild_all(true);
        }
        let folders = changes.iter().any(|c| matches!(c, Change::Folder));
        for change in changes {
            match change {
                Change::Everything | Change::Folder => {}
                Change::Page(source) => pages.push(source.clone()),
                Change::Copied(path) => copied.push(path.clone()),
                Change::Ignored => {}
            }
        }
        if !folders && pages.is_empty() && copied.is_empty() && self.current.is_some() {
            return Ok((Vec::new(), 0));
        }
        let files_kept = !folders && copied.iter().all(|path| self.is_copied(path));
        if files_kept && let Some(result) = self.rebuild_bodies(&pages) {
            return result.map(|(mut changed, rendered)| {
                changed.extend(copied);
                (changed, rendered)
            });
        }
        for source in &pages {
            self.cache.forget(source);
        }
        if !folders && copied.is_empty() {
            self.cache.same_files();
        }
        self.rebuild_all(false).map(|(mut changed, rendered)| {
            for path in copied {
                if !changed.contains(&path) {
                    changed.push(path);
                }
            }
            (changed, rendered)
        })
    }

    /// Whether `path` is served now as a copied file that still exists.
    fn is_copied(&self, path: &str) -> bool {
        matches!(self.read_outputs().get(path), Some(Served::File(source)) if source.is_file())
    }

    fn read_outputs(&self) -> std::sync::RwLockReadGuard<'_, Outputs> {
        self.published.read()
    }

    /// Applies edits of page bodies in place, or returns `None` when the pages changed in a way
    /// that needs a whole rebuild (see the module documentation).
    fn rebuild_bodies(&mut self, sources: &[String]) -> Option<Result<(Vec<String>, usize), BuildError>> {
        let current = self.current.as_mut()?;
        let root = &self.options.root;
        let mut edits = Vec::new();
        for source in sources {
            let index = current
                .site
                .pages
                .binary_search_by(|p| p.source.as_str().cmp(source))
                .ok()?;
            let old = &current.site.pages[index];
            if old.role != Role::Leaf {
                return None;
            }
            // Compared as read, before resolving changed anything (a status shown as superseded).
            let (read, read_diagnostics) = self.cache.leaf(source)?;
            let (page, diagnostics) = load::read_leaf(root, source, &current.site.config).ok()?;
            if !read.differs_only_in_body(&page)
                || !current.site.publishes_same_files(&current.link_tables, read, &page)
            {
                return None;
            }
            // What reading the file and resolving its links said is said again; anything else
            // said of it must be about its front matter, which has not changed.
            let replaced: Vec<Diagnostic> = read_diagnostics
                .iter()
                .chain(&current.site.link_diagnostics[index])
                .cloned()
                .collect();
            let front_matter_lines = old.text[..old.body_start].lines().count();
            let in_body = |d: &Diagnostic| d.position.is_some_and(|p| p.line as usize > front_matter_lines);
            let file_warnings = current.warnings.iter().filter(|d| d.file.as_ref() == Some(&old.file));
            if file_warnings.filter(|d| !replaced.contains(d)).any(in_body) {
                return None;
            }
            let resolved = Arc::new(Page {
                meta: old.meta.clone(),
                ..Page::clone(&page)
            });
            edits.push(BodyEdit {
                index,
                read: page,
                resolved,
                diagnostics,
                replaced,
            });
        }
        Some(self.apply_bodies(edits))
    }

    fn apply_bodies(&mut self, edits: Vec<BodyEdit>) -> Result<(Vec<String>, usize), BuildError> {
        let Some(current) = self.current.as_mut() else {
            return Ok((Vec::new(), 0));
        };
        let site = &mut current.site;
        let mut old_pages = Vec::new();
        let mut affected = BTreeSet::new();
        let mut warnings: Vec<Diagnostic> = current.warnings.clone();
        for edit in &edits {
            let file = &site.pages[edit.index].file;
            warnings.retain(|d| d.file.as_ref() != Some(file) || !edit.replaced.contains(d));
            warnings.extend(edit.diagnostics.iter().cloned());
            old_pages.push((
                edit.index,
                std::mem::replace(&mut site.pages[edit.index], edit.resolved.clone()),
            ));
            affected.insert(edit.index);
        }
        for BodyEdit { index, .. } in &edits {
            affected.extend(site.relink(&current.link_tables, *index));
            warnings.extend(site.link_diagnostics[*index].iter().cloned());
        }
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(warnings);
        let edited: Vec<usize> = edits.iter().map(|e| e.index).collect();
        // Only the edited pages' print entries change: their links and headings, which other
        // entries show, stay as they were.
        current.frame.forget_print_entries(&edited);
        let shown: &Site = site;
        let renderer = Renderer::new(shown, &current.theme, &current.frame);
        let affected: Vec<usize> = affected.into_iter().collect();
        let reprint = renderer.prints_any(&edited);
        // The search index is updated while the pages are rendered.
        let search = &mut current.search;
        let (rendered, index_changes) = rayon::join(
            || {
                let mut rendered: Vec<Result<OutputFile, Diagnostic>> =
                    affected.par_iter().map(|&i| renderer.render_page(i)).collect();
                rendered.extend(renderer.render_body_dependents(&edited));
                rendered
            },
            || search.update(shown, renderer.views(), &edited, false),
        );
        let mut files = Vec::with_capacity(rendered.len());
        for result in rendered {
            match result {
                Ok(file) => files.push(file),
                Err(problem) => diagnostics.push(problem),
            }
        }
        let outcome = build::finish(diagnostics);
        let warnings = match outcome {
            Ok(warnings) => warnings,
            Err(err) => {
                // Put the last good pages back, and the search index with them.
                current.frame.forget_print_entries(&edited);
                for (index, page) in old_pages {
                    site.pages[index] = page;
                    site.relink(&current.link_tables, index);
                }
                let renderer = Renderer::new(site, &current.theme, &current.frame);
                current.search.update(site, renderer.views(), &edited, false);
                for edit in edits {
                    self.cache
                        .remember_leaf(&edit.read.source.clone(), Ok((edit.read, edit.diagnostics)));
                }
                return Err(err);
            }
        };
        let search = index_changes;
        current.warnings = warnings;
        current.print_behind |= reprint;
        for edit in edits {
            self.cache
                .remember_leaf(&edit.read.source.clone(), Ok((edit.read, edit.diagnostics)));
        }
        let rendered = html_pages(&files);
        let changed = self.published.publish(files, Vec::new(), search);
        // Nothing to drop, but the store is tidied once edits pause.
        drop_in_background((), self.published.tidy_when_idle());
        Ok((changed, rendered))
    }

    /// Resolves the whole site again (reading only changed files) and serves what differs.
    /// Unless `reconfigure`, when the site has the same pages at the same addresses, only the
    /// pages that show something that changed are rendered again (with every generated page);
    /// otherwise everything is. `reconfigure` also drops every cached page, as the configuration
    /// decides how pages are read.
    fn rebuild_all(&mut self, reconfigure: bool) -> Result<(Vec<String>, usize), BuildError> {
        let (config, theme) = build::configure(&self.options)?;
        if reconfigure {
            self.cache.clear();
        }
        let loaded = load::load_cached(&self.options.root, &config, &mut self.cache);
        let mut diagnostics = Diagnostics::default();
        let resolved = build::connect(
            &self.options,
            config,
            &theme,
            loaded,
            self.history.clone(),
            self.current.as_ref().map(|current| &current.site),
            &mut diagnostics,
        );
        let site = &resolved.site;
        let frame = Frame::kept(site, self.current.as_ref().map(|current| &current.frame));
        let shown = match &self.current {
            Some(current) if !reconfigure => pages_showing_changes(current, site, &frame),
            _ => None,
        };
        match (shown, self.current.as_mut()) {
            (Some((pages, changes)), Some(current)) => {
                current.render_some(&self.published, resolved, theme, frame, (&pages, &changes), diagnostics)
            }
            _ => self.render_everything(resolved, theme, frame, diagnostics),
        }
    }

    /// Renders the whole site and serves what differs from what is served.
    fn render_everything(
        &mut self,
        Resolved { site, link_tables }: Resolved,
        theme: Theme,
        frame: Frame,
        mut diagnostics: Diagnostics,
    ) -> Result<(Vec<String>, usize), BuildError> {
        // A copied file may have changed on disk; this rebuild may be why.
        let (root, pending) = (&self.options.root, &self.pending);
        let renewed = |source: &Path| (source.strip_prefix(root)).is_ok_and(|source| pending.contains(source));
        let replacement = self.published.replacing(&renewed, self.current.is_none());
        let leaves: HashSet<String> = site.pages.iter().map(|page| page.output_file()).collect();
        let generated = Mutex::new(HashSet::new());
        let rendered = AtomicUsize::new(0);
        let page = |file: OutputFile| {
            if file.path.ends_with(".html") {
                rendered.fetch_add(1, Ordering::Relaxed);
            }
            if matches!(file.contents, Contents::Text(_)) && !leaves.contains(&file.path) {
                let mut generated = generated.lock().unwrap_or_else(PoisonError::into_inner);
                generated.insert(file.path.clone());
            }
            replacement.take(file);
        };
        let (problems, search) = build::render_site(&site, &theme, &frame, &page, &|file| replacement.take(file));
        diagnostics.extend(problems);
        let warnings = build::finish(diagnostics)?;
        let (changed, replaced) = replacement.finish();
        let (rendered, generated) = (
            rendered.into_inner(),
            generated.into_inner().unwrap_or_else(PoisonError::into_inner),
        );
        let current = self.current.replace(Current {
            site,
            link_tables,
            theme,
            frame,
            search,
            warnings,
            generated,
            print_behind: false,
            lists_behind: Vec::new(),
        });
        drop_in_background((replaced, current), self.published.tidy_when_idle());
        Ok((changed, rendered))
    }
}

impl Current {
    /// Moves on to `site`, which has the same pages at the same addresses and whose frame's
    /// `changes` are known: renders `pages`, updates the search index and serves what differs,
    /// leaving the generated pages that may have changed to [`Session::catch_up`] when the site
    /// has the same generated pages as before (else it renders them all). On failure nothing
    /// changes.
    ///
    /// The generated pages wait because they are the lists, which show many pages: at 10,000
    /// pages, the decision log, its filters and the home page that a title edit changes take
    /// some 140 ms of work, where the edited page and those whose navigation shows it take 12.
    fn render_some(
        &mut self,
        published: &Published,
        Resolved { site, link_tables }: Resolved,
        theme: Theme,
        frame: Frame,
        (pages, changes): (&[usize], &FrameChanges),
        mut diagnostics: Diagnostics,
    ) -> Result<(Vec<String>, usize), BuildError> {
        let print = frame.follow_print(&site, &self.frame, changes);
        // What the index holds of a page is the page's own.
        let changed: Vec<usize> = (pages.iter().copied()).filter(|&i| changes.changed_itself(i)).collect();
        let renderer = Renderer::new(&site, &theme, &frame);
        let before = Renderer::new(&self.site, &self.theme, &self.frame);
        let since = Since {
            before: &before,
            changes,
        };
        // The search index is updated (or made again, when the documents are numbered anew)
        // while the pages are rendered.
        let same_documents = self.search.same_documents(&site);
        let search = &mut self.search;
        let behind = &self.lists_behind;
        let ((rendered, lists), indexed) = rayon::join(
            || match renderer.changed_generated(&since) {
                Some(mut lists) => {
                    // The same generated pages, in the same places: those left behind still are.
                    lists.extend(behind);
                    lists.sort_unstable();
                    lists.dedup();
                    (renderer.render_pages(pages, false, Some(&[])), lists)
                }
                None => (renderer.render_pages(pages, false, None), Vec::new()),
            },
            || match same_documents {
                true => Indexed::Updated(search.update(&site, renderer.views(), &changed, true)),
                false => Indexed::New(Box::new(SearchIndex::new(&site, renderer.views()))),
            },
        );
        let files = rendered.files;
        diagnostics.extend(rendered.problems);
        let warnings = match build::finish(diagnostics) {
            Ok(warnings) => warnings,
            Err(err) => {
                // The index goes back to the site it is kept for, with the pages.
                if same_documents {
                    self.search.update(&self.site, before.views(), &changed, true);
                }
                return Err(err);
            }
        };
        let search_changes = match indexed {
            Indexed::Updated(changes) => changes,
            Indexed::New(index) => {
                let now: HashSet<&str> = index.paths().collect();
                let gone: Vec<String> = (self.search.paths())
                    .filter(|p| !now.contains(p))
                    .map(str::to_string)
                    .collect();
                self.search = *index;
                let mut changes = self.search.take_changes();
                changes.extend(gone.into_iter().map(IndexChange::Remove));
                changes
            }
        };
        let leaves: HashSet<String> = pages.iter().map(|&i| site.pages[i].output_file()).collect();
        let mut generated: HashSet<String> = files
            .iter()
            .map(|f| f.path.clone())
            .filter(|p| !leaves.contains(p))
            .collect();
        // The generated pages not rendered again are still served: all of them when the site
        // has the same generated pages as before, else the print page, which is left to
        // `Session::catch_up`.
        if rendered.same_generated {
            generated.extend(self.generated.iter().cloned());
        } else {
            generated.extend(self.generated.take(&format!("{PRINT_PATH}index.html")));
        }
        let rendered = html_pages(&files);
        let gone = self.generated.difference(&generated).cloned().collect();
        let changed = published.publish(files, gone, search_changes);
        drop_in_background(
            (
                std::mem::replace(&mut self.site, site),
                std::mem::replace(&mut self.link_tables, link_tables),
                std::mem::replace(&mut self.theme, theme),
                std::mem::replace(&mut self.frame, frame),
            ),
            published.tidy_when_idle(),
        );
        self.warnings = warnings;
        self.generated = generated;
        self.print_behind |= print;
        self.lists_behind = lists;
        Ok((changed, rendered))
    }
}

/// The search index after a rebuild: updated in place, with the files that changed, or made
/// anew for documents numbered anew.
enum Indexed {
    Updated(Vec<IndexChange>),
    New(Box<SearchIndex>),
}

/// The leaf pages of `site` whose output may differ from `current`'s: their view, body or links
/// changed, their backlinks changed, or a page linking to them shows itself differently; with
/// how `frame`, the frame of `site`, differs from `current`'s. `None` when the two sites do not
/// have the same pages at the same addresses, or the context every page shares changed: then
/// every page is rendered again.
fn pages_showing_changes(current: &Current, site: &Site, frame: &Frame) -> Option<(Vec<usize>, FrameChanges)> {
    let before = &current.site;
    let same_pages = before.pages.len() == site.pages.len()
        && before
            .pages
            .iter()
            .zip(&site.pages)
            .all(|(a, b)| a.source == b.source && a.path == b.path && a.role == b.role)
        && before.assets == site.assets
        && before.static_files == site.static_files;
    if !same_pages {
        return None;
    }
    let changes = frame.changes_since(site, &current.frame, before)?;
    let pages = (0..site.pages.len())
        .into_par_iter()
        .filter(|&i| site.pages[i].role == Role::Leaf)
        .filter(|&i| {
            changes.changed_itself(i)
                || changes.shows_a_changed_view(i)
                || before.backlinks[i] != site.backlinks[i]
                // A page's backlinks show the linking pages' titles, not what their navigation shows.
                || site.backlinks[i].iter().any(|&b| changes.changed_itself(b))
        })
        .collect();
    Some((pages, changes))
}

/// Drops `value` on a thread of its own: freeing the build a rebuild replaces takes a tenth of a
/// second at 10,000 pages, which readers would otherwise wait for before their tabs reload.
/// Once no other rebuild has come for [`IDLE_BEFORE_TIDY`], `tidy` runs (see
/// [`Published::tidy`]).
fn drop_in_background<T: Send + 'static>(value: T, tidy: impl FnOnce() + Send + 'static) {
    let rebuild = REBUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    let dropped = std::thread::Builder::new().name("handbook-drop".into()).spawn(move || {
        drop(value);
        std::thread::sleep(IDLE_BEFORE_TIDY);
        if REBUILDS.load(std::sync::atomic::Ordering::Relaxed) == rebuild {
            tidy();
        }
    });
    // Without a thread, the value was dropped by the failed spawn, here.
    drop(dropped);
}

/// How many builds have been replaced (see [`drop_in_background`]): one count for the process.
static REBUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How long `serve` waits without a rebuild before tidying.
const IDLE_BEFORE_TIDY: Duration = Duration::from_secs(10);
