//! The pipeline end to end: load → resolve → render → write.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::config::{Config, Overrides};
use crate::content::Kind;
use crate::content::load::{self, Loaded};
use crate::dates;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::history::{self, History};
use crate::markdown;
use crate::memory;
use crate::render::views::{self, Views};
use crate::render::{FileWriter, Frame, OutputFile, Part, Renderer, Theme};
use crate::resolve::{self, Resolved, Selection, Site};
use crate::routes::RouteTable;
use crate::search::{IndexChange, SearchIndex};
use crate::timings::{Phase, Timings};
use crate::write::{self, Staging, WriteError};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The handbook folder (with `handbook.toml` and `content/`).
    pub root: PathBuf,
    /// Where to write the site; relative paths are relative to `root`.
    pub output: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Overrides `base_url` from the configuration.
    pub base_url: Option<String>,
    /// Leave out pages with `visibility = "internal"` everywhere.
    pub public: bool,
}

/// What a successful build or check did.
#[derive(Debug)]
pub struct Report {
    /// HTML pages rendered (records, plain pages and generated pages).
    pub html_pages: usize,
    /// Records by kind.
    pub records: BTreeMap<Kind, usize>,
    /// Warnings and notes, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// How long it took.
    pub elapsed: Duration,
    /// How long each phase took, and the peak memory: measured by `build`.
    pub timings: Option<Timings>,
}

impl Report {
    /// `Built 214 pages (31 decisions, 58 meetings, 12 protocols) in 84 ms`.
    pub fn summary(&self, verb: &str) -> String {
        let count = |kind, one: &str, many: &str| {
            let n = self.records.get(&kind).copied().unwrap_or(0);
            format!("{n} {}", if n == 1 { one } else { many })
        };
        format!(
            "{verb} {} pages ({}, {}, {}) in {} ms",
            self.html_pages,
            count(Kind::Decision, "decision", "decisions"),
            count(Kind::Meeting, "meeting", "meetings"),
            count(Kind::Protocol, "protocol", "protocols"),
            self.elapsed.as_millis()
        )
    }
}

/// Why a build failed.
#[derive(Debug)]
pub enum BuildError {
    /// The handbook has errors; the diagnostics include its warnings too, sorted.
    Content(Vec<Diagnostic>),
    /// The site could not be written.
    Write(WriteError),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Content(diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                write!(
                    f,
                    "the handbook has {errors} error{}",
                    if errors == 1 { "" } else { "s" }
                )
            }
            BuildError::Write(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for BuildError {}

/// Builds the site and writes it to the output folder.
///
/// Files are written into the staging folder as they are rendered (see [`Staging`]), so that
/// memory holds the resolved site and what is being rendered, never the whole output. Of the
/// largest things a build holds, it holds one at a time besides the site:
/// 1. the search index, built and written first, and freed;
/// 2. the generated pages that hold the whole handbook ([`Part::BeforeLeaves`]), the two
///    largest of which are written as they are rendered;
/// 3. the texts of the leaf pages, which give way to the template values of their views as the
///    leaf pages are rendered (see [`LEAVES_AT_ONCE`]), which the lists then show
///    ([`Part::Lists`]).
///
/// The handbook's errors are known before rendering, all but those of templates: with one,
/// nothing is written, and the pages are rendered only to find the template errors too.
pub fn build(options: &BuildOptions) -> Result<Report, BuildError> {
    let started = Instant::now();
    let mut timings = Timings::start();
    let output = options.root.join(&options.output);
    let (mut site, theme, mut diagnostics) = prepare(options, &mut timings)?;
    let mounted: Vec<PathBuf> = site.mounts.iter().map(|m| m.source.clone()).collect();
    write::check_output(&options.root, &output, &mounted).map_err(BuildError::Write)?;
    let staging = match diagnostics.has_errors() {
        true => None,
        false => Some(Staging::create(&output).map_err(BuildError::Write)?),
    };
    let sink = Sink::new(&site.routes, staging.as_ref());
    let neighbours = views::neighbours(&site);
    SearchIndex::write(&site, &Views::new(&site, &neighbours), &|file| sink.write(file));
    timings.end(Phase::Search);
    let mut frame = Frame::without_views(&site);
    let renderer = Renderer::new(&site, &theme, &frame).writing_large_files_to(&sink);
    let mut problems = renderer.render_each(Part::BeforeLeaves, &|file| sink.take(file));
    // The leaf pages, a few thousand at a time (see `LEAVES_AT_ONCE`), and their views.
    let leaves = renderer.leaves();
    let mut made = vec![None; site.pages.len()];
    for chunk in leaves.chunks(LEAVES_AT_ONCE) {
        let renderer = Renderer::new(&site, &theme, &frame);
        let (met, values) = renderer.render_leaves(chunk, &|file| sink.take(file));
        problems.extend(met);
        for (i, value) in values {
            made[i] = Some(value);
        }
        // Nothing rendered from here on reads these pages' bodies (see `Part::BeforeLeaves`). A
        // page still shared, which a build does not do, keeps its body.
        for &i in chunk {
            if let Some(page) = Arc::get_mut(&mut site.pages[i]) {
                page.drop_body();
            }
        }
    }
    // Every page that shows code is rendered: the lists show none (a folder's page, which
    // may, is highlighted again).
    markdown::forget_highlighted();
    frame.add_views(&site, made);
    let renderer = Renderer::new(&site, &theme, &frame).writing_large_files_to(&sink);
    problems.extend(renderer.render_each(Part::Lists, &|file| sink.take(file)));
    timings.end(Phase::Render);
    let html_pages = sink.html_pages();
    diagnostics.extend(problems);
    sink.finish(&mut diagnostics)?;
    let mut warnings = finish(diagnostics)?;
    if let Some(staging) = staging {
        warnings.extend(staging.publish().map_err(BuildError::Write)?);
    }
    timings.end(Phase::Write);
    let mut report = report(&site, html_pages, warnings, started);
    // What the build held is freed without the caller waiting for it (see
    // `memory::free_in_background`).
    memory::free_in_background((site, frame));
    timings.finish();
    report.timings = Some(timings);
    Ok(report)
}

/// Leaf pages `build` renders at once, before it drops their bodies and keeps their views'
/// template values: the more at once, the more bodies and views it holds together, and the
/// fewer, the more often the threads wait for the slowest page of a batch. At 100,000 pages a
/// batch's bodies and views are some 25 MB.
const LEAVES_AT_ONCE: usize = 4096;

/// Runs the whole pipeline but writes nothing: what `handbook check` reports. Besides what a
/// build reports, it lists protocols past review and action items past due (as notes, or as
/// warnings where `warn_when_overdue` is configured, which the build reports too).
pub fn check(options: &BuildOptions) -> Result<Report, BuildError> {
    let started = Instant::now();
    let (site, theme, mut diagnostics) = prepare(options, &mut Timings::start())?;
    diagnostics.extend(resolve::overdue(&site, Severity::Note));
    let frame = Frame::new(&site);
    let sink = Sink::new(&site.routes, None);
    diagnostics.extend(Renderer::new(&site, &theme, &frame).render_each(Part::All, &|file| sink.take(file)));
    let html_pages = sink.html_pages();
    sink.finish(&mut diagnostics)?;
    let warnings = finish(diagnostics)?;
    let report = report(&site, html_pages, warnings, started);
    memory::free_in_background((site, frame));
    Ok(report)
}

/// Where a build's rendered files go, from any thread: into the staging folder, or nowhere (for
/// `check`, or a build that already has errors). It counts the HTML pages, refuses files the
/// route table did not claim, and keeps the first write error.
struct Sink<'a> {
    routes: &'a RouteTable,
    staging: Option<&'a Staging>,
    html_pages: AtomicUsize,
    unclaimed: Mutex<Vec<Diagnostic>>,
    failed: Mutex<Option<WriteError>>,
}

impl<'a> Sink<'a> {
    fn new(routes: &'a RouteTable, staging: Option<&'a Staging>) -> Sink<'a> {
        Sink {
            routes,
            staging,
            html_pages: AtomicUsize::new(0),
            unclaimed: Mutex::default(),
            failed: Mutex::default(),
        }
    }

    /// A file rendered from the route table: every output path must be claimed before
    /// rendering, where conflicts are found, so one that was not is a bug of the build, reported
    /// (as an error) rather than written.
    fn take(&self, file: OutputFile) {
        if self.admit(&file.path) {
            self.write(file);
        }
    }

    /// Writes `file` unless writing failed already.
    fn write(&self, file: OutputFile) {
        self.staged(|staging| staging.write(&file));
    }

    /// Runs `write` with the staging folder unless writing failed already, keeping its error.
    fn staged(&self, write: impl FnOnce(&Staging) -> Result<(), WriteError>) {
        let Some(staging) = self.staging else { return };
        if lock(&self.failed).is_some() {
            return;
        }
        if let Err(err) = write(staging) {
            lock(&self.failed).get_or_insert(err);
        }
    }

    /// Counts the file at `path` and refuses it, as [`Sink::take`] does; `true` when it may be
    /// written.
    fn admit(&self, path: &str) -> bool {
        if path.ends_with(".html") {
            self.html_pages.fetch_add(1, Ordering::Relaxed);
        }
        if !self.routes.admits(path) {
            lock(&self.unclaimed).push(unclaimed(path));
            return false;
        }
        true
    }

    fn html_pages(&self) -> usize {
        self.html_pages.load(Ordering::Relaxed)
    }

    /// Adds the unclaimed files to `diagnostics`, and fails on the first write error (unless
    /// the handbook has errors, which are what its author needs to hear about).
    fn finish(self, diagnostics: &mut Diagnostics) -> Result<(), BuildError> {
        diagnostics.extend(lock(&self.unclaimed).drain(..));
        match self.failed.into_inner().unwrap_or_else(PoisonError::into_inner) {
            Some(err) if !diagnostics.has_errors() => Err(BuildError::Write(err)),
            _ => Ok(()),
        }
    }
}

/// The pages that grow with the handbook are written as they are rendered (see
/// [`Renderer::writing_large_files_to`]). Without a staging folder they are rendered all the
/// same, into nothing, for their template errors.
impl FileWriter for Sink<'_> {
    fn write_with(&self, path: &str, fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>) {
        if !self.admit(path) {
            return;
        }
        match self.staging {
            Some(_) => self.staged(|staging| staging.write_with(path, fill)),
            // Nothing fails writing nowhere.
            None => fill(&mut std::io::sink()).unwrap_or_default(),
        }
    }
}

/// The error for a rendered file the route table did not claim.
fn unclaimed(path: &str) -> Diagnostic {
    Diagnostic::error(
        "unclaimed-path",
        format!("internal error: `{path}` was rendered but not claimed in the route table"),
    )
    .help("please report this as a bug of handbook")
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Loads and resolves the handbook and its theme.
fn prepare(options: &BuildOptions, timings: &mut Timings) -> Result<(Site, Theme, Diagnostics), BuildError> {
    let (config, theme) = configure(options)?;
    let loaded = load::load(&options.root, &config);
    let history = history::read(&options.root);
    timings.end(Phase::Load);
    let mut diagnostics = Diagnostics::default();
    // Each link is resolved once: what resolves them again (`serve`'s) is dropped.
    let site = connect(options, config, &theme, loaded, history, None, &mut diagnostics).site;
    timings.end(Phase::Resolve);
    Ok((site, theme, diagnostics))
}

/// Reads the configuration (with the options' overrides) and the theme it names.
pub(crate) fn configure(options: &BuildOptions) -> Result<(Config, Theme), BuildError> {
    let overrides = Overrides {
        base_url: options.base_url.clone(),
    };
    let config = Config::load_with(&options.root, &overrides).map_err(BuildError::Content)?;
    let theme = Theme::load(&options.root, &config).map_err(BuildError::Content)?;
    Ok((config, theme))
}

/// Resolves the loaded pages into a site; every problem found so far goes to `diagnostics`.
/// `earlier` is the last good site of the handbook, if any (see [`resolve::Resolving::earlier`]).
pub(crate) fn connect(
    options: &BuildOptions,
    config: Config,
    theme: &Theme,
    mut loaded: Loaded,
    history: History,
    earlier: Option<&Site>,
    diagnostics: &mut Diagnostics,
) -> Resolved {
    diagnostics.extend(std::mem::take(&mut loaded.diagnostics));
    diagnostics.extend(theme.warnings.iter().cloned());
    loaded.theme_files = theme.site_paths();
    if config.base_url().is_none() {
        diagnostics.push(
            Diagnostic::note(
                "no-base-url",
                "base_url is not set, so Atom feed entries link relatively and no sitemap.xml is written",
            )
            .help("set base_url in handbook.toml (or pass --base-url) to the address the site is published at"),
        );
    }
    diagnostics.extend(history.note.clone());
    let selection = Selection {
        drafts: options.drafts,
        public: options.public,
    };
    let resolving = resolve::Resolving {
        selection,
        today: dates::today(),
        earlier,
    };
    let resolved = resolve::resolve(&options.root, config, loaded, history, resolving, diagnostics);
    diagnostics.extend(resolved.site.link_diagnostics.iter().flatten().cloned());
    resolved
}

/// Makes the site's search index, handing each of its files to `index`, then renders every
/// file of the site, handing each to `pages` as soon as it is rendered (from the thread that
/// rendered it); returns the problems met, and the index. The index comes first, as in
/// [`build`], so that its files are handed over before the pages are rendered rather than held
/// while they are. A file the route table did not claim is a problem, and is not handed over.
pub(crate) fn render_site(
    site: &Site,
    theme: &Theme,
    frame: &Frame,
    pages: &(dyn Fn(OutputFile) + Sync),
    index: &dyn Fn(OutputFile),
) -> (Vec<Diagnostic>, SearchIndex) {
    let renderer = Renderer::new(site, theme, frame);
    let mut search = SearchIndex::new(site, renderer.views());
    for change in search.take_changes() {
        if let IndexChange::Write(file) = change {
            index(file);
        }
    }
    let unclaimed_files = Mutex::new(Vec::new());
    let mut problems = renderer.render_each(Part::All, &|file| match site.routes.admits(&file.path) {
        true => pages(file),
        false => lock(&unclaimed_files).push(unclaimed(&file.path)),
    });
    problems.extend(unclaimed_files.into_inner().unwrap_or_else(PoisonError::into_inner));
    (problems, search)
}

/// Fails on errors; returns the warnings otherwise.
pub(crate) fn finish(diagnostics: Diagnostics) -> Result<Vec<Diagnostic>, BuildError> {
    let failed = diagnostics.has_errors();
    let sorted = diagnostics.into_sorted();
    if failed {
        Err(BuildError::Content(sorted))
    } else {
        Ok(sorted)
    }
}

pub(crate) fn report(site: &Site, html_pages: usize, diagnostics: Vec<Diagnostic>, started: Instant) -> Report {
    let mut records = BTreeMap::new();
    for kind in Kind::ALL {
        records.insert(kind, site.of_kind(kind).count());
    }
    Report {
        html_pages,
        records,
        diagnostics,
        elapsed: started.elapsed(),
        timings: None,
    }
}
