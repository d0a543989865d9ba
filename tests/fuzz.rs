//! Property tests over whole generated handbooks: the "trust the output" promises, checked on
//! handbooks that a hostile or careless author could write (see `fuzz/handbooks.rs`).
//!
//! Each case writes a handbook into `<parent>/hb`, runs `check` and then `build` into
//! `<parent>/site` in-process, and checks every [`Property`]. The number of cases is
//! `PROPTEST_CASES` (default [`DEFAULT_CASES`]); `FUZZ_SECONDS` stops a long run after that many
//! seconds; `FUZZ_STRICT=1` enforces the [`PENDING`] properties too, and
//! `FUZZ_PROPERTIES=injection,xml` enforces exactly the properties named. A failing case is
//! shrunk and printed as the `Fixture::new(&[…])` call that reproduces it, where `{ESCAPE}` and
//! `{OUTSIDE}` stand for the folders described in `fuzz/handbooks.rs`.

#[path = "fuzz/config.rs"]
mod config;
#[path = "fuzz/front_matter.rs"]
mod front_matter;
#[path = "fuzz/handbooks.rs"]
mod handbooks;
#[path = "fuzz/markdown.rs"]
mod markdown;
#[path = "fuzz/pools.rs"]
mod pools;
#[path = "fuzz/site.rs"]
mod site;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use handbook::{BuildError, BuildOptions, Diagnostic, Report};
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

use handbooks::{Contents, ESCAPE, Handbook, OUTSIDE, SECRET};

/// Cases a plain `cargo test` runs (10 to 20 s in a debug build on a busy 2-core machine).
const DEFAULT_CASES: u32 = 128;

/// Properties that the pipeline does not hold yet, so that they do not fail `cargo test`: they
/// are still checked, and counted in the summary the test prints (`FUZZ_STRICT=1` enforces them
/// anyway). Empty: every property holds and is enforced.
const PENDING: &[Property] = &[];

/// What must hold for every handbook, whatever it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Property {
    /// `check` and `build` return, with a result or diagnostics; they never panic.
    NoPanic,
    /// Every diagnostic that names a file and a position points inside that file: a line it has
    /// and a column within that line (one past its end at most).
    PositionsInFile,
    /// The build writes nothing outside its output folder (the handbook root and the folder
    /// around it stay as they were, nothing appears at `{ESCAPE}`).
    StaysInOutput,
    /// No HTML page or XML file has a tag or attribute that content added.
    NoInjection,
    /// Every `.xml` file is well-formed.
    WellFormedXml,
    /// `build` fails exactly when `check` reports an error, with the same errors.
    CheckAgreesWithBuild,
    /// Every search script registers its own name with JSON in a well-formed string.
    WellFormedScripts,
    /// With `[links] broken = "error"`, every relative link of a built site reaches a file and
    /// every fragment an id.
    LinksReachFiles,
    /// Nothing from outside the handbook (reached through a symbolic link or a theme's path) is
    /// published.
    NothingFromOutside,
}

impl Property {
    const ALL: [Property; 9] = [
        Property::NoPanic,
        Property::PositionsInFile,
        Property::StaysInOutput,
        Property::NoInjection,
        Property::WellFormedXml,
        Property::CheckAgreesWithBuild,
        Property::WellFormedScripts,
        Property::LinksReachFiles,
        Property::NothingFromOutside,
    ];

    fn name(self) -> &'static str {
        match self {
            Property::NoPanic => "panic",
            Property::PositionsInFile => "positions",
            Property::StaysInOutput => "output",
            Property::NoInjection => "injection",
            Property::WellFormedXml => "xml",
            Property::CheckAgreesWithBuild => "agreement",
            Property::WellFormedScripts => "scripts",
            Property::LinksReachFiles => "links",
            Property::NothingFromOutside => "outside",
        }
    }
}

/// The properties whose violation fails the test.
fn enforced() -> Vec<Property> {
    if let Ok(names) = std::env::var("FUZZ_PROPERTIES") {
        let names: Vec<&str> = names.split(',').map(str::trim).collect();
        return Property::ALL
            .into_iter()
            .filter(|p| names.contains(&p.name()))
            .collect();
    }
    let strict = std::env::var("FUZZ_STRICT").is_ok_and(|v| v == "1");
    Property::ALL
        .into_iter()
        .filter(|p| strict || !PENDING.contains(p))
        .collect()
}

/// The promises one case broke: which property, and what happened.
#[derive(Default)]
struct Violations(Vec<(Property, String)>);

impl Violations {
    fn add(&mut self, property: Property, what: impl Into<String>) {
        self.0.push((property, what.into()));
    }
}

/// How many different violations of each property the summary shows.
const EXAMPLES: usize = 12;

/// Counts of cases, for the summary.
static CASES: AtomicUsize = AtomicUsize::new(0);
static BUILT: AtomicUsize = AtomicUsize::new(0);
/// How many cases failed with an error of each code: what keeps cases from being built.
static ERRORS: Mutex<BTreeMap<&'static str, (usize, String)>> = Mutex::new(BTreeMap::new());
static VIOLATED: Mutex<BTreeMap<Property, (usize, Vec<String>)>> = Mutex::new(BTreeMap::new());

#[test]
fn generated_handbooks_keep_every_promise() {
    quiet_panics_inside_the_pipeline();
    let enforced = enforced();
    let deadline = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(|s| Instant::now() + Duration::from_secs(s));
    // With a deadline and no count, run until the deadline.
    let cases: u32 = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if deadline.is_some() { u32::MAX } else { DEFAULT_CASES });
    let base = Config {
        failure_persistence: None,
        max_shrink_time: 600_000,
        ..Config::default()
    };
    let mut done = 0;
    let mut batch = 0;
    // Batches, so that a run with a deadline stops soon after it.
    while done < cases && deadline.is_none_or(|d| Instant::now() < d) {
        let size = (cases - done).min(64);
        let mut config = Config {
            cases: size,
            ..base.clone()
        };
        if let RngSeed::Fixed(seed) = base.rng_seed {
            config.rng_seed = RngSeed::Fixed(seed.wrapping_add(batch));
        }
        let mut runner = TestRunner::new(config);
        let result = runner.run(&handbooks::handbook(), |hb| run_case(&hb, &enforced));
        done += size;
        batch += 1;
        if let Err(err) = result {
            print_summary();
            match err {
                TestError::Fail(why, hb) => panic!("{why}\nminimal handbook:\n{hb:?}"),
                TestError::Abort(why) => panic!("aborted: {why}"),
            }
        }
    }
    print_summary();
    assert!(
        done < 16 || BUILT.load(Ordering::Relaxed) > 0,
        "no generated handbook was built, so no output was checked"
    );
}

fn print_summary() {
    eprintln!(
        "fuzz: {} cases, {} built; enforced all but {:?}",
        CASES.load(Ordering::Relaxed),
        BUILT.load(Ordering::Relaxed),
        Property::ALL
            .iter()
            .filter(|p| !enforced().contains(p))
            .map(|p| p.name())
            .collect::<Vec<_>>()
    );
    for (code, (count, example)) in ERRORS.lock().unwrap().iter() {
        eprintln!(
            "fuzz: {count} cases failed with {code}, e.g. {}",
            example.lines().next().unwrap_or_default()
        );
    }
    for (property, (count, examples)) in VIOLATED.lock().unwrap().iter() {
        eprintln!("fuzz: {} violated in {count} cases, e.g.", property.name());
        for example in examples {
            eprintln!("    {}", example.lines().next().unwrap_or_default());
        }
    }
}

/// Writes the handbook, runs `check` and `build`, and checks every property.
fn run_case(hb: &Handbook, enforced: &[Property]) -> Result<(), TestCaseError> {
    CASES.fetch_add(1, Ordering::Relaxed);
    let parent = tempfile::tempdir().unwrap();
    let escape = EscapeFolder::new();
    let root = parent.path().join("hb");
    let output = parent.path().join("site");
    write_outside(parent.path());
    let marker = escape.0.join("escape-marker").display().to_string();
    let outside = parent.path().display().to_string();
    let fill = |text: &str| text.replace(ESCAPE, &marker).replace(OUTSIDE, &outside);
    write_handbook(hb, &root, &fill);
    let before = site::snapshot(parent.path());

    let options = BuildOptions {
        root: root.clone(),
        output: output.clone(),
        drafts: hb.drafts,
        public: hb.public,
        base_url: hb.base_url.as_deref().map(&fill),
    };
    let mut found = Violations::default();
    let checked = run_pipeline("check", || handbook::check(&options), &mut found);
    let built = run_pipeline("build", || handbook::build(&options), &mut found);
    count_errors(diagnostics(&built));
    for diagnostic in diagnostics(&checked).iter().chain(diagnostics(&built)) {
        if let Some(what) = position_problem(diagnostic, &root) {
            found.add(Property::PositionsInFile, what);
        }
    }
    if let (Some(checked), Some(built)) = (&checked, &built)
        && let Some(what) = disagreement(checked, built)
    {
        found.add(Property::CheckAgreesWithBuild, what);
    }
    for what in site::changed_outside(&before, &site::snapshot(parent.path()), &output) {
        found.add(Property::StaysInOutput, what.replace(&outside, OUTSIDE));
    }
    for path in site::snapshot(&escape.0).keys() {
        let path = path.strip_prefix(&escape.0).unwrap_or(path);
        found.add(
            Property::StaysInOutput,
            format!("{} was written (the folder of {ESCAPE})", path.display()),
        );
    }
    if matches!(built, Some(Ok(_))) {
        BUILT.fetch_add(1, Ordering::Relaxed);
        check_site(&output, !hb.broken_links_warn, &mut found);
    }
    report(found, enforced)
}

/// An empty folder that no build may write into; `{ESCAPE}` is a path in it. Its name is
/// lowercase ASCII and hyphens, so that it survives what content goes through on its way to a
/// path (a status is lowercased, for one): a temporary folder's random name would not.
struct EscapeFolder(PathBuf);

impl EscapeFolder {
    fn new() -> EscapeFolder {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "fuzz-escape-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).unwrap();
        EscapeFolder(path)
    }
}

impl Drop for EscapeFolder {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// Counts each code of error once per case, keeping the first message.
fn count_errors(diagnostics: &[Diagnostic]) {
    let mut seen = ERRORS.lock().unwrap();
    let mut counted = Vec::new();
    for error in diagnostics.iter().filter(|d| d.is_error()) {
        if !counted.contains(&error.code) {
            counted.push(error.code);
            seen.entry(error.code).or_insert_with(|| (0, error.to_string())).0 += 1;
        }
    }
}

/// Files outside the handbook that symbolic links (and themes) in it point at.
fn write_outside(parent: &Path) {
    std::fs::write(parent.join("secret.txt"), SECRET).unwrap();
    std::fs::create_dir_all(parent.join("secret-dir")).unwrap();
    std::fs::write(parent.join("secret-dir/page.md"), format!("# {SECRET}\n")).unwrap();
    std::fs::write(parent.join("secret-dir/image.png"), SECRET).unwrap();
    // A theme's static files, for a `theme` that names the folder.
    std::fs::create_dir_all(parent.join("secret-dir/static")).unwrap();
    std::fs::write(parent.join("secret-dir/static/leak.txt"), SECRET).unwrap();
}

/// Writes the files of `hb` under `root`, with `fill` putting real paths for the placeholders.
fn write_handbook(hb: &Handbook, root: &Path, fill: &dyn Fn(&str) -> String) {
    std::fs::create_dir_all(root).unwrap();
    for file in &hb.files {
        let path = root.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        match &file.contents {
            Contents::Bytes(bytes) => {
                let bytes = match std::str::from_utf8(bytes) {
                    Ok(text) => fill(text).into_bytes(),
                    Err(_) => bytes.clone(),
                };
                std::fs::write(&path, bytes).unwrap();
            }
            Contents::Symlink(target) => std::os::unix::fs::symlink(fill(target), &path).unwrap(),
        }
    }
}

/// Set while the pipeline runs: a panic then is recorded (where it happened on its first line,
/// so that the summary shows one example per place; from any of rayon's threads) instead of
/// printed.
static IN_PIPELINE: AtomicBool = AtomicBool::new(false);
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn quiet_panics_inside_the_pipeline() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if IN_PIPELINE.load(Ordering::SeqCst) {
            let location = info.location().map(|l| l.to_string()).unwrap_or_default();
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            *LAST_PANIC.lock().unwrap() = Some(format!("at {location}\n{message}"));
        } else {
            default(info);
        }
    }));
}

type Outcome = Result<Report, BuildError>;

/// Runs `check` or `build`; `None` when it panicked (a violation).
fn run_pipeline(name: &str, run: impl FnOnce() -> Outcome, found: &mut Violations) -> Option<Outcome> {
    IN_PIPELINE.store(true, Ordering::SeqCst);
    let result = catch_unwind(AssertUnwindSafe(run));
    IN_PIPELINE.store(false, Ordering::SeqCst);
    match result {
        Ok(outcome) => Some(outcome),
        Err(_) => {
            let panic = LAST_PANIC.lock().unwrap().take().unwrap_or_default();
            found.add(Property::NoPanic, format!("{name} panicked {panic}"));
            None
        }
    }
}

fn diagnostics(outcome: &Option<Outcome>) -> &[Diagnostic] {
    match outcome {
        Some(Ok(report)) => &report.diagnostics,
        Some(Err(BuildError::Content(diagnostics))) => diagnostics,
        _ => &[],
    }
}

/// Why the diagnostic's position is not inside its file, if it is not.
fn position_problem(diagnostic: &Diagnostic, root: &Path) -> Option<String> {
    let (file, position) = (diagnostic.file.as_ref()?, diagnostic.position?);
    let Ok(bytes) = std::fs::read(root.join(file)) else {
        return Some(format!("{diagnostic}: the file {} does not exist", file.display()));
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines: Vec<&str> = text.split('\n').collect();
    let line = position.line as usize;
    if line == 0 || line > lines.len() {
        return Some(format!("{diagnostic}: the file has {} lines", lines.len()));
    }
    let width = lines[line - 1].trim_end_matches('\r').chars().count();
    let column = position.column as usize;
    (column == 0 || column > width + 1).then(|| format!("{diagnostic}: line {line} has {width} characters"))
}

/// Why `check` and `build` disagree, if they do.
fn disagreement(checked: &Outcome, built: &Outcome) -> Option<String> {
    let errors =
        |d: &[Diagnostic]| -> Vec<String> { d.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect() };
    match (checked, built) {
        (Ok(_), Ok(_)) => None,
        (Err(BuildError::Content(a)), Err(BuildError::Content(b))) => {
            (errors(a) != errors(b)).then(|| format!("check found {:?} but build {:?}", errors(a), errors(b)))
        }
        (Ok(_), Err(err)) => Some(format!("check passed but build failed: {err}")),
        (Err(err), Ok(_)) => Some(format!("build passed but check failed: {err}")),
        (Err(a), Err(b)) => Some(format!("check failed with {a} but build with {b}")),
    }
}

/// The properties of a built site: no injected markup, well-formed XML and scripts, links that
/// reach files (when broken links are errors) and nothing from outside the handbook.
fn check_site(output: &Path, links_must_resolve: bool, found: &mut Violations) {
    let files = site::files(output);
    let mut pages = BTreeMap::new();
    let mut add = |property, what| found.add(property, what);
    for (rel, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if text.contains(SECRET) {
            add(
                Property::NothingFromOutside,
                format!("{rel} has the bytes of a file outside the handbook"),
            );
        }
        if rel.ends_with(".html") {
            let tags = site::start_tags(&text);
            for what in site::injected(&tags) {
                add(Property::NoInjection, format!("{rel}: {what}"));
            }
            pages.insert(rel.clone(), tags);
        } else if rel.ends_with(".xml") {
            match site::xml_problems(&text) {
                Ok(injected) => injected
                    .into_iter()
                    .for_each(|what| add(Property::NoInjection, format!("{rel}: {what}"))),
                Err(why) => add(Property::WellFormedXml, format!("{rel}: {why}")),
            }
        } else if let Some(why) = site::script_problem(rel, &text) {
            add(Property::WellFormedScripts, format!("{rel} {why}"));
        }
    }
    if links_must_resolve {
        for what in site::broken_links(&pages, &files) {
            add(Property::LinksReachFiles, what);
        }
    }
}

/// Records every violation; fails the case when an enforced property is among them.
fn report(found: Violations, enforced: &[Property]) -> Result<(), TestCaseError> {
    let mut failed = Vec::new();
    let mut seen = VIOLATED.lock().unwrap();
    let mut counted = Vec::new();
    for (property, what) in found.0 {
        let (count, examples) = seen.entry(property).or_default();
        if !counted.contains(&property) {
            counted.push(property);
            *count += 1;
        }
        if examples.len() < EXAMPLES && !examples.contains(&what) {
            examples.push(what.clone());
        }
        if enforced.contains(&property) {
            failed.push(format!("[{}] {what}", property.name()));
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        failed.truncate(12);
        Err(TestCaseError::fail(failed.join("\n")))
    }
}
