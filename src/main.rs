//! The `handbook` command: parses arguments, calls the library, prints diagnostics and chooses
//! the exit code (0 ok, 1 content errors, 2 usage or I/O errors).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use handbook::build::{BuildError, BuildOptions, Report};
use handbook::content::Kind;
use handbook::diagnostics::ci;
use handbook::scaffold::{self, DecisionFormat, NewRecord, ScaffoldError};
use handbook::serve::{Host, Reporter, ServeEvent, ServeOptions};
use handbook::{Diagnostic, Severity, dates};

/// jemalloc, rather than the system's allocator: a build makes and frees millions of small
/// strings and template values on every thread, and glibc's allocator spent a fifth of a build
/// in `malloc` and `free`. Interleaved with glibc's on this project's 2-core benchmark machine
/// (`benches/vs-hugo.py`, see the README), builds of 1,000, 10,000 and 100,000 generated pages
/// took a fifth to a third less time, with a peak within a few percent, and `serve` answered a
/// title edit at 10,000 pages sooner while holding less when idle.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options (`malloc_conf`, a C string, which the `_RJEM_MALLOC_CONF` environment
/// variable overrides: see jemalloc's manual). Memory freed is given back to the system within
/// about a second, by a thread of jemalloc's own: kept for jemalloc's default ten seconds, what
/// `build` freed (the search index's postings, before it renders) stayed resident beside what
/// it made next, and a build of 10,000 pages peaked at 200 MB rather than 170 MB.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static ALLOCATOR_OPTIONS: &u8 = &b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0\0"[0];

/// Turns a folder of Markdown protocols, meeting summaries and decision records into a
/// searchable static handbook site.
#[derive(Parser)]
#[command(version, after_help = EXAMPLES)]
struct Cli {
    /// The handbook folder (holding handbook.toml and content/). Default: the nearest folder
    /// from the current one upwards that holds a handbook.toml, as git and cargo find theirs;
    /// else the current folder.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "\
Examples:
  handbook init my-team            Create a new handbook in my-team/
  handbook build                   Build ./content into ./public
  handbook build --output site --base-url https://handbook.example.com/
  handbook check --strict          Validate without writing; warnings fail too
  handbook serve --open            Preview at http://127.0.0.1:1111/, reloading on save
  handbook new decision \"Use Postgres\"
  handbook new meeting \"Weekly sync\"";

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced atomically).
    #[command(after_help = "Example:\n  handbook build --output public --drafts")]
    Build {
        /// Where to write the site, relative to --root.
        #[arg(long, short, default_value = "public", value_name = "DIR")]
        output: PathBuf,
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// The absolute URL the site is published at (overrides base_url in handbook.toml).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Leave out pages with `visibility = "internal"`: not rendered, listed, linked or searched.
        #[arg(long)]
        public: bool,
        /// Print how long each phase took (load, resolve, search index, render, write) and the
        /// peak memory.
        #[arg(long)]
        timings: bool,
    },
    /// Check the handbook (metadata, links, templates) without writing anything.
    #[command(after_help = "Example:\n  handbook check --strict")]
    Check {
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Check the public build (internal pages left out).
        #[arg(long)]
        public: bool,
        /// The absolute URL the site is published at, as for `build`.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// How to print diagnostics: for people, or as JSON for CI annotations.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
    /// Build the site in memory and serve it on localhost, rebuilding and reloading open pages
    /// whenever a file of the handbook is saved.
    #[command(
        after_help = "Examples:\n  handbook serve\n  handbook serve --port 8080 --open\n  handbook serve --bind 0.0.0.0   (reachable from other machines)\n  handbook serve --bind 0.0.0.0 --allow-host laptop.lan"
    )]
    Serve {
        /// The port to listen on; 0 picks a free one.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Only this machine can reach the default.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
        bind: std::net::IpAddr,
        /// Also answer requests for this host name (or address), e.g. the machine's name on the
        /// LAN; repeatable. Localhost, loopback addresses and --bind are always answered.
        #[arg(long, value_name = "NAME")]
        allow_host: Vec<Host>,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Preview the public build (internal pages left out).
        #[arg(long)]
        public: bool,
    },
    /// Create a new handbook in DIR (default: the current folder).
    #[command(after_help = "Example:\n  handbook init my-team && handbook --root my-team build")]
    Init {
        /// The folder to create the handbook in.
        dir: Option<PathBuf>,
    },
    /// Create a new decision record, meeting summary or protocol from a template.
    #[command(
        after_help = "Examples:\n  handbook new decision \"Use Postgres\"\n  handbook new meeting \"Weekly sync\"\n  handbook new protocol \"On-call\""
    )]
    New {
        /// What to create.
        kind: NewKind,
        /// Its title.
        title: String,
        /// (decision) The number of the decision this one replaces; that record's status is set
        /// to superseded, and nothing else in it changes.
        #[arg(long, value_name = "NUMBER")]
        supersedes: Option<u32>,
        /// (decision) The decision log to write to, by its folder in the site (`decisions`,
        /// `rfcs`) or that folder's last part; default: the first `[folders] decisions` folder.
        /// The record gets the next number of that log.
        #[arg(long, value_name = "LOG")]
        log: Option<String>,
        /// (decision) The format to write; default: the format of the log's latest record
        /// (an adr-tools log gets a Nygard record), else handbook's.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// (meeting) The series it continues: attendees, time and open action items are carried
        /// over from the series' last meeting.
        #[arg(long, value_name = "NAME")]
        series: Option<String>,
        /// (meeting) Write an agenda published ahead (`status = "planned"`, with agenda and
        /// pre-reads) instead of a summary.
        #[arg(long)]
        planned: bool,
        /// (meeting) The day of the meeting, `YYYY-MM-DD`; default: today.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        date: Option<jiff::civil::Date>,
    },
}

/// A `--date` value: a calendar day, `YYYY-MM-DD`.
fn parse_day(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a date: write YYYY-MM-DD, e.g. 2026-12-01"))
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// Rendered diagnostics with the offending lines, on standard error.
    Human,
    /// One JSON object on standard output: `diagnostics` (file, line, column, severity, code,
    /// message, help), `errors`, `warnings`, `notes` and `ok`; the summary line on standard error.
    Json,
    /// GitHub Actions workflow commands on standard output (`::error file=…,line=…::…`), which
    /// annotate the pull request's files; the summary line on standard error.
    Github,
    /// A GitLab Code Quality report (JSON) on standard output, for the merge request; the
    /// summary line on standard error.
    Gitlab,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// TOML front matter with handbook's keys.
    Handbook,
    /// MADR 4.
    Madr,
    /// Nygard, as adr-tools writes it.
    Nygard,
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    Decision,
    Meeting,
    Protocol,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let given_root = cli.root.clone();
    let root = given_root
        .clone()
        .unwrap_or_else(|| handbook::config::find_root().unwrap_or_else(|| PathBuf::from(".")));
    // Found upwards, as git and cargo find theirs; unlike them, say which, since a forgotten
    // handbook.toml in a parent folder would otherwise be built without a word.
    if given_root.is_none() && root != Path::new(".") && !matches!(cli.command, Command::Init { .. }) {
        let shown = root.canonicalize().unwrap_or_else(|_| root.clone());
        eprintln!("Using the handbook in {}", shown.display());
    }
    match cli.command {
        Command::Build {
            output,
            drafts,
            base_url,
            public,
            timings,
        } => {
            let options = BuildOptions {
                root: root.clone(),
                output,
                drafts,
                base_url,
                public,
            };
            let result = handbook::build(&options);
            let measured = result.as_ref().ok().and_then(|report| report.timings.clone());
            let code = finish_build(result, "Built", false, color);
            if let Some(measured) = measured.filter(|_| timings) {
                println!("{measured}");
            }
            code
        }
        Command::Check {
            drafts,
            strict,
            public,
            base_url,
            format,
        } => {
            let options = BuildOptions {
                root: root.clone(),
                output: PathBuf::new(),
                drafts,
                base_url,
                public,
            };
            let result = handbook::check(&options);
            match format {
                OutputFormat::Human => finish_build(result, "Checked", strict, color),
                format => machine_report(result, strict, format, &ci::repository_prefix(&root)),
            }
        }
        Command::Serve {
            port,
            bind,
            allow_host,
            open,
            drafts,
            public,
        } => {
            let options = ServeOptions {
                build: BuildOptions {
                    root: root.clone(),
                    output: PathBuf::new(),
                    drafts,
                    base_url: None,
                    public,
                },
                bind,
                port,
                allowed_hosts: allow_host,
            };
            serve(options, open, color)
        }
        Command::Init { dir } => {
            // A new handbook goes where it is asked for, not into one found upwards.
            let dir = dir.map_or(given_root.unwrap_or_else(|| PathBuf::from(".")), |d| {
                if d.is_absolute() { d } else { PathBuf::from(".").join(d) }
            });
            match scaffold::init(&dir, dates::today()) {
                Ok(files) => {
                    for file in files {
                        match file {
                            scaffold::Written::Created(path) => println!("Created {}", path.display()),
                            scaffold::Written::Updated(path) => println!("Updated {}", path.display()),
                        }
                    }
                    println!("Next: cd {} && handbook build", dir.display());
                    ExitCode::SUCCESS
                }
                Err(err) => scaffold_failed(err, color),
            }
        }
        Command::New {
            kind,
            title,
            supersedes,
            log,
            format,
            series,
            planned,
            date,
        } => {
            let kind = match kind {
                NewKind::Decision => Kind::Decision,
                NewKind::Meeting => Kind::Meeting,
                NewKind::Protocol => Kind::Protocol,
            };
            if (supersedes.is_some() || log.is_some() || format.is_some()) && kind != Kind::Decision {
                eprintln!("error: --supersedes, --log and --format are for `new decision`");
                return ExitCode::from(2);
            }
            if (series.is_some() || planned || date.is_some()) && kind != Kind::Meeting {
                eprintln!("error: --series, --planned and --date are for `new meeting`");
                return ExitCode::from(2);
            }
            let format = format.map(|format| match format {
                Format::Handbook => DecisionFormat::Handbook,
                Format::Madr => DecisionFormat::Madr,
                Format::Nygard => DecisionFormat::Nygard,
            });
            let request = NewRecord {
                kind,
                title,
                supersedes,
                log,
                format,
                series,
                planned,
            };
            match scaffold::new_record(&root, &request, date.unwrap_or_else(dates::today)) {
                Ok(created) => {
                    println!("Created {}", created.path.display());
                    if let Some(edited) = created.edited {
                        println!("Marked superseded: {}", edited.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => scaffold_failed(err, color),
            }
        }
    }
}

/// Runs `handbook serve`, printing what happens; exits when interrupted.
fn serve(options: ServeOptions, open: bool, color: bool) -> ExitCode {
    // Warnings are printed once, when they first appear, not with every rebuild; a failed
    // rebuild prints its errors last, next to the line saying it failed, so that they do not
    // scroll out of view; the first good build after one says so.
    let state = std::sync::Mutex::new(Shown::default());
    let reporter: Reporter = Arc::new(move |event: ServeEvent<'_>| {
        let lock = || state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        report_serve(event, lock, open, color)
    });
    match handbook::serve::serve(options, reporter) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

/// Prints one event of `serve`; `lock` gives what it has printed before.
fn report_serve<'a>(
    event: ServeEvent<'_>,
    lock: impl Fn() -> std::sync::MutexGuard<'a, Shown>,
    open: bool,
    color: bool,
) {
    match event {
        ServeEvent::Built(report) => {
            print_diagnostics(&report.diagnostics, color);
            println!("{}", report.summary("Built"));
            *lock() = Shown {
                warnings: report.diagnostics.clone(),
                failing: false,
            };
        }
        ServeEvent::BuildFailed(err) => {
            if let BuildError::Content(diagnostics) = err {
                lock().print_failure(diagnostics, color);
            }
            lock().failing = true;
            eprintln!("Build failed: {err}; the preview shows the errors until they are fixed");
        }
        ServeEvent::Listening { url, watching } => {
            println!("Watching {}", join_names(watching));
            println!("Serving {url} (Ctrl+C to stop)");
            if open {
                open_browser(url);
            }
        }
        ServeEvent::Rebuilt(rebuilt) => {
            let mut shown = lock();
            let new: Vec<Diagnostic> = rebuilt
                .warnings
                .iter()
                .filter(|d| !shown.warnings.contains(d))
                .cloned()
                .collect();
            print_diagnostics(&new, color);
            if shown.failing {
                println!("The handbook builds again.");
            }
            *shown = Shown {
                warnings: rebuilt.warnings.clone(),
                failing: false,
            };
            println!("{}", rebuilt.summary());
        }
        ServeEvent::CaughtUp(rebuilt) => {
            println!("{}", rebuilt.caught_up_summary());
        }
        ServeEvent::Failed(diagnostics) => {
            let mut shown = lock();
            shown.print_failure(diagnostics, color);
            shown.failing = true;
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "Build failed: the handbook has {errors} error{}; still serving the last good site",
                if errors == 1 { "" } else { "s" }
            );
        }
        ServeEvent::WatchError(why) => eprintln!("warning: watching files: {why}"),
    }
}

/// What `serve` has printed: the warnings and notes shown, and whether the last build failed.
#[derive(Default)]
struct Shown {
    warnings: Vec<Diagnostic>,
    failing: bool,
}

impl Shown {
    /// The diagnostics of a failed build: the warnings and notes not shown before, then the
    /// errors, so that they are the last thing on the screen.
    fn print_failure(&mut self, diagnostics: &[Diagnostic], color: bool) {
        let (errors, others): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diagnostics.iter().cloned().partition(Diagnostic::is_error);
        let new: Vec<Diagnostic> = others.into_iter().filter(|d| !self.warnings.contains(d)).collect();
        print_diagnostics(&new, color);
        print_diagnostics(&errors, color);
        self.warnings.extend(new);
    }
}

/// `content/, static/ and handbook.toml`.
fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Opens `url` with the system's opener; a failure is only mentioned.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(err) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("note: could not open a browser ({opener}: {err}); open {url} yourself");
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], color: bool) {
    for diagnostic in diagnostics {
        eprintln!("{}\n", diagnostic.render(color));
    }
}

fn finish_build(result: Result<Report, BuildError>, verb: &str, strict: bool, color: bool) -> ExitCode {
    match result {
        Ok(mut report) => {
            // Under --strict a warning fails the check, so it is shown as the error it is.
            for diagnostic in &mut report.diagnostics {
                diagnostic.severity = ci::reported_severity(diagnostic, strict);
            }
            print_diagnostics(&report.diagnostics, color);
            println!("{}", report.summary(verb));
            if strict && report.diagnostics.iter().any(Diagnostic::is_error) {
                eprintln!(
                    "error: the handbook has {} (--strict makes warnings errors)",
                    tally(&report.diagnostics)
                );
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(diagnostics)) => {
            print_diagnostics(&diagnostics, color);
            // `check` never writes; `build` leaves the previous site as it was.
            let outcome = match verb {
                "Built" => "; nothing was written, the previous site is unchanged",
                _ => "",
            };
            eprintln!("error: the handbook has {}{outcome}", tally(&diagnostics));
            ExitCode::from(1)
        }
        Err(BuildError::Write(err)) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

/// `2 errors, 1 warning and 3 notes`: each severity counted apart, since notes fail nothing.
fn tally(diagnostics: &[Diagnostic]) -> String {
    tally_as(diagnostics, false)
}

/// "1 error, 2 warnings and 0 notes", counting a warning as an error under `strict`.
fn tally_as(diagnostics: &[Diagnostic], strict: bool) -> String {
    let [errors, warnings, notes] = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Note, "note"),
    ]
    .map(|(severity, name)| {
        let n = diagnostics
            .iter()
            .filter(|d| ci::reported_severity(d, strict) == severity)
            .count();
        format!("{n} {name}{}", if n == 1 { "" } else { "s" })
    });
    format!("{errors}, {warnings} and {notes}")
}

/// `check --format json|github|gitlab`: the diagnostics for a tool on standard output, and the
/// one-line summary a person reads in the CI log on standard error.
/// File names in GitHub and GitLab reports are from the top of the repository (`prefix` is the
/// handbook root's path from there), so they land on the pull request's files.
fn machine_report(result: Result<Report, BuildError>, strict: bool, format: OutputFormat, prefix: &Path) -> ExitCode {
    let (diagnostics, code) = match result {
        Ok(report) => {
            let failing = strict && report.diagnostics.iter().any(|d| d.fails_strict());
            (report.diagnostics, if failing { 1 } else { 0 })
        }
        Err(BuildError::Content(diagnostics)) => (diagnostics, 1),
        Err(BuildError::Write(err)) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| ci::reported_severity(d, strict) == severity)
            .count()
    };
    match format {
        OutputFormat::Github => print!("{}", ci::github_commands(&diagnostics, strict, prefix)),
        OutputFormat::Gitlab => println!("{}", ci::gitlab_code_quality(&diagnostics, strict, prefix)),
        _ => {
            let items: Vec<serde_json::Value> = diagnostics.iter().map(|d| d.to_json(strict)).collect();
            let report = serde_json::json!({
                "ok": code == 0,
                "errors": count(Severity::Error),
                "warnings": count(Severity::Warning),
                "notes": count(Severity::Note),
                "diagnostics": items,
            });
            println!("{report}");
        }
    }
    let summary = tally_as(&diagnostics, strict);
    if code == 0 {
        eprintln!("Checked: {summary}");
    } else {
        eprintln!("error: the handbook has {summary}");
    }
    ExitCode::from(code)
}

fn scaffold_failed(err: ScaffoldError, color: bool) -> ExitCode {
    if let ScaffoldError::Config(diagnostics) = &err {
        print_diagnostics(diagnostics, color);
        eprintln!("error: {err}");
        return ExitCode::from(1);
    }
    eprintln!("error: {err}");
    ExitCode::from(2)
}
