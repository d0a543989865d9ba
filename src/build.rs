//! The pipeline end to end: load → resolve → render → write.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::{Config, Overrides};
use crate::content::Kind;
use crate::content::load::{self, Loaded};
use crate::dates;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::history::{self, History};
use crate::render::{Frame, OutputFile, Renderer, Theme};
use crate::resolve::{self, Selection, Site};
use crate::search::SearchIndex;
use crate::write::{self, WriteError};

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
pub fn build(options: &BuildOptions) -> Result<Report, BuildError> {
    let started = Instant::now();
    let output = options.root.join(&options.output);
    let (site, theme, mut diagnostics) = prepare(options)?;
    let mounted: Vec<PathBuf> = site.mounts.iter().map(|m| m.source.clone()).collect();
    write::check_output(&options.root, &output, &mounted).map_err(BuildError::Write)?;
    let frame = Frame::new(&site);
    let (mut files, problems, search) = render_site(&site, &theme, &frame);
    diagnostics.extend(problems);
    let mut warnings = finish(diagnostics)?;
    files.extend(search.into_files());
    warnings.extend(write::write_site(&output, &files).map_err(BuildError::Write)?);
    let html_pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    Ok(report(&site, html_pages, warnings, started))
}

/// Runs the whole pipeline but writes nothing: what `handbook check` reports. Besides what a
/// build reports, it lists protocols past review and action items past due (as notes, or as
/// warnings where `warn_when_overdue` is configured, which the build reports too).
pub fn check(options: &BuildOptions) -> Result<Report, BuildError> {
    let started = Instant::now();
    let (site, theme, mut diagnostics) = prepare(options)?;
    diagnostics.extend(resolve::overdue(&site, Severity::Note));
    let frame = Frame::new(&site);
    let (files, problems, _) = render_site(&site, &theme, &frame);
    diagnostics.extend(problems);
    let warnings = finish(diagnostics)?;
    let html_pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    Ok(report(&site, html_pages, warnings, started))
}

/// Loads and resolves the handbook and its theme.
fn prepare(options: &BuildOptions) -> Result<(Site, Theme, Diagnostics), BuildError> {
    let (config, theme) = configure(options)?;
    let loaded = load::load(&options.root, &config);
    let history = history::read(&options.root);
    let mut diagnostics = Diagnostics::default();
    let site = connect(options, config, &theme, loaded, history, &mut diagnostics);
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
pub(crate) fn connect(
    options: &BuildOptions,
    config: Config,
    theme: &Theme,
    mut loaded: Loaded,
    history: History,
    diagnostics: &mut Diagnostics,
) -> Site {
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
    let site = resolve::resolve(
        &options.root,
        config,
        loaded,
        history,
        selection,
        dates::today(),
        diagnostics,
    );
    diagnostics.extend(site.link_diagnostics.iter().flatten().cloned());
    site
}

/// Renders every file of the site, with the problems met, and its search index.
pub(crate) fn render_site(
    site: &Site,
    theme: &Theme,
    frame: &Frame,
) -> (Vec<OutputFile>, Vec<Diagnostic>, SearchIndex) {
    let renderer = Renderer::new(site, theme, frame);
    let (files, mut problems) = renderer.render_all();
    problems.extend(unclaimed(site, &files));
    let search = SearchIndex::new(site, renderer.views());
    (files, problems, search)
}

/// An error for each rendered file the route table did not claim: every output path must be
/// claimed before rendering, where conflicts are found, so one that was not is a bug of the
/// build, reported rather than written.
fn unclaimed(site: &Site, files: &[OutputFile]) -> Vec<Diagnostic> {
    files
        .iter()
        .filter(|file| !site.routes.admits(&file.path))
        .map(|file| {
            Diagnostic::error(
                "unclaimed-path",
                format!(
                    "internal error: `{}` was rendered but not claimed in the route table",
                    file.path
                ),
            )
            .help("please report this as a bug of handbook")
        })
        .collect()
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
    }
}
