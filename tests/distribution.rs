//! How handbook reaches its users: the release archives (scripts/package-release.sh and
//! .github/workflows/release.yml), the `cargo binstall` metadata that must name the same
//! archives, and the GitHub Action (action.yml, whose steps are scripts/action.sh), run here as a
//! runner would run them, with fake `curl` and `cargo` standing in for the network, and the
//! README's workflow examples checked against the action's inputs.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::Fixture;
use serde_json::Value;
use tempfile::TempDir;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(path: &str) -> Value {
    let text = fs::read_to_string(root().join(path)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn cargo_toml() -> toml::Table {
    fs::read_to_string(root().join("Cargo.toml")).unwrap().parse().unwrap()
}

fn version() -> String {
    cargo_toml()["package"]["version"].as_str().unwrap().to_string()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `bash -n`: the script parses.
fn assert_parses_as_bash(what: &str, script: &str) {
    let output = Command::new("bash").args(["-n", "-c", script]).output().unwrap();
    assert!(
        output.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every `run:` of a workflow or composite action, with where it is.
fn run_steps(document: &Value, what: &str) -> Vec<(String, String)> {
    let mut steps = Vec::new();
    let mut collect = |list: &Value, place: &str| {
        for (index, step) in list.as_array().into_iter().flatten().enumerate() {
            if let Some(run) = step.get("run").and_then(Value::as_str) {
                steps.push((format!("{what} {place} step {index}"), run.to_string()));
            }
        }
    };
    if let Some(steps) = document.pointer("/runs/steps") {
        collect(steps, "runs");
    }
    for (name, job) in document["jobs"].as_object().into_iter().flatten() {
        collect(&job["steps"], name);
    }
    // GitLab CI: jobs are top-level keys whose `script` lists the commands.
    for (name, job) in document.as_object().into_iter().flatten() {
        for key in ["before_script", "script"] {
            for line in job.get(key).and_then(Value::as_array).into_iter().flatten() {
                steps.push((
                    format!("{what} {name} {key}"),
                    line.as_str().unwrap_or_default().to_string(),
                ));
            }
        }
    }
    steps
}

// ---- Release archives and cargo binstall ----

/// Expands a `[package.metadata.binstall]` template as cargo-binstall does for this crate.
fn binstall(template: &str, target: &str) -> String {
    let ext = if target.contains("windows") { ".exe" } else { "" };
    template
        .replace("{ repo }", cargo_toml()["package"]["repository"].as_str().unwrap())
        .replace("{ version }", &version())
        .replace("{ name }", "handbook")
        .replace("{ target }", target)
        .replace("{ bin }", "handbook")
        .replace("{ binary-ext }", ext)
}

fn binstall_field(target: &str, field: &str) -> String {
    let manifest = cargo_toml();
    let meta = &manifest["package"]["metadata"]["binstall"];
    meta.get("overrides")
        .and_then(|o| o.get(target))
        .and_then(|o| o.get(field))
        .or_else(|| meta.get(field))
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("binstall {field} for {target}"))
        .to_string()
}

/// The targets the release workflow builds.
fn release_targets() -> Vec<String> {
    let workflow = yaml(".github/workflows/release.yml");
    let include = workflow.pointer("/jobs/build/strategy/matrix/include").unwrap();
    include
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["target"].as_str().unwrap().to_string())
        .collect()
}

/// Packs a stand-in binary for `target` with scripts/package-release.sh into `out`.
fn package(target: &str, tag: &str, out: &Path) -> Output {
    let bin = tempfile::tempdir().unwrap();
    let name = if target.contains("windows") {
        "handbook.exe"
    } else {
        "handbook"
    };
    fs::write(bin.path().join(name), format!("binary for {target}")).unwrap();
    Command::new("bash")
        .arg(root().join("scripts/package-release.sh"))
        .args([target, tag])
        .args([bin.path(), out])
        .output()
        .unwrap()
}

fn archive_listing(archive: &Path) -> Vec<String> {
    let output = if archive.extension().is_some_and(|e| e == "zip") {
        Command::new("unzip").arg("-Z1").arg(archive).output().unwrap()
    } else {
        Command::new("tar").arg("-tzf").arg(archive).output().unwrap()
    };
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    stdout(&output).lines().map(str::to_string).collect()
}

#[test]
fn every_release_archive_is_where_cargo_binstall_looks_and_holds_the_binary_where_it_says() {
    let targets = release_targets();
    for expected in ["linux", "apple-darwin", "windows"] {
        assert!(
            targets.iter().any(|t| t.contains(expected)),
            "no {expected} target in release.yml"
        );
    }
    let tag = format!("v{}", version());
    let out = tempfile::tempdir().unwrap();
    for target in &targets {
        let output = package(target, &tag, out.path());
        assert!(
            output.status.success(),
            "{target}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let archive = stdout(&output).trim().to_string();

        let url = binstall(&binstall_field(target, "pkg-url"), target);
        let release = format!(
            "{}/releases/download/{tag}/",
            cargo_toml()["package"]["repository"].as_str().unwrap()
        );
        assert_eq!(url, format!("{release}{archive}"), "{target}");
        let format = binstall_field(target, "pkg-fmt");
        assert_eq!(
            format == "zip",
            archive.ends_with(".zip"),
            "{target}: {format} for {archive}"
        );

        let listing = archive_listing(&out.path().join(&archive));
        let binary = binstall(&binstall_field(target, "bin-dir"), target);
        assert!(listing.contains(&binary), "{target}: {binary} not in {listing:?}");
        let folder = binary.split('/').next().unwrap();
        for file in ["README.md", "LICENSE"] {
            assert!(
                listing.contains(&format!("{folder}/{file}")),
                "{target}: no {file} in {listing:?}"
            );
        }
    }
}

#[test]
fn a_tag_that_is_not_the_crate_version_is_refused() {
    let out = tempfile::tempdir().unwrap();
    let output = package("x86_64-unknown-linux-gnu", "v99.0.0", out.path());
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("the tag v99.0.0 is not v{}", version())),
        "{stderr}"
    );
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn the_crate_carries_what_a_published_crate_needs() {
    let manifest = cargo_toml();
    let package = &manifest["package"];
    for field in [
        "description",
        "license",
        "repository",
        "homepage",
        "documentation",
        "rust-version",
        "readme",
    ] {
        assert!(
            package
                .get(field)
                .and_then(|v| v.as_str())
                .is_some_and(|v| !v.is_empty()),
            "{field}"
        );
    }
    assert!(!package["keywords"].as_array().unwrap().is_empty());
    assert!(!package["categories"].as_array().unwrap().is_empty());
    assert!(root().join("LICENSE").exists());
}

#[test]
fn every_shell_step_of_the_workflows_and_the_action_parses() {
    for path in ["action.yml", ".github/workflows/release.yml"] {
        let steps = run_steps(&yaml(path), path);
        assert!(!steps.is_empty(), "{path} has no run steps");
        for (what, script) in steps {
            // Expressions are filled in by the runner before the shell sees the script.
            let script = script.replace("${{", "x").replace("}}", "x");
            assert_parses_as_bash(&what, &script);
        }
    }
    assert_parses_as_bash(
        "scripts/action.sh",
        &fs::read_to_string(root().join("scripts/action.sh")).unwrap(),
    );
}

// ---- The GitHub Action ----

/// A runner's view of one use of the action: its folder (a copy of what plan reads), fake
/// `curl` and `cargo`, a release server, and the files the runner reads outputs from.
struct Runner {
    dir: TempDir,
    action: PathBuf,
}

/// Stands in for curl: serves `-o FILE URL` from $FAKE_SERVER (the URL's path after the host)
/// and logs each call; a missing file is an HTTP 404 (curl --fail exits 22).
const FAKE_CURL: &str = r#"#!/usr/bin/env bash
echo "curl $*" >>"$FAKE_LOG"
out="" url=""
while [ $# -gt 0 ]; do
  case "$1" in -o) out=$2; shift ;; https://*) url=$1 ;; esac
  shift
done
file="$FAKE_SERVER/${url#https://github.com/}"
[ -f "$file" ] || { echo "curl: (22) The requested URL returned error: 404" >&2; exit 22; }
cp "$file" "$out"
"#;

/// Stands in for cargo: logs the call, and for `install … --root DIR` puts the real binary in
/// DIR/bin.
const FAKE_CARGO: &str = r#"#!/usr/bin/env bash
echo "cargo $*" >>"$FAKE_LOG"
while [ $# -gt 0 ]; do
  case "$1" in --root) mkdir -p "$2/bin" && cp "$FAKE_HANDBOOK" "$2/bin/handbook"; shift ;; esac
  shift
done
"#;

impl Runner {
    /// The action as the runner checks it out: `_actions/acme/hb/<git_ref>/`.
    fn new(git_ref: &str) -> Runner {
        let dir = tempfile::tempdir().unwrap();
        let action = dir.path().join("_actions/acme/hb").join(git_ref);
        for file in ["Cargo.toml", "Cargo.lock", "scripts/action.sh"] {
            fs::create_dir_all(action.join(file).parent().unwrap()).unwrap();
            fs::copy(root().join(file), action.join(file)).unwrap();
        }
        fs::create_dir_all(action.join("src")).unwrap();
        fs::write(action.join("src/lib.rs"), "// the source\n").unwrap();
        fs::create_dir_all(action.join("themes")).unwrap();
        fs::write(action.join("themes/style.css"), "body {}\n").unwrap();
        for dir_name in ["bin", "server", "cache", "home"] {
            fs::create_dir_all(dir.path().join(dir_name)).unwrap();
        }
        let runner = Runner { dir, action };
        runner.tool("curl", FAKE_CURL);
        runner.tool("cargo", FAKE_CARGO);
        runner
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn tool(&self, name: &str, script: &str) {
        let path = self.path("bin").join(name);
        fs::write(&path, script).unwrap();
        make_executable(&path);
    }

    fn log(&self) -> String {
        fs::read_to_string(self.path("log")).unwrap_or_default()
    }

    /// Runs `scripts/action.sh step` in `workdir` with the runner's variables and `env`.
    fn step(&self, step: &str, workdir: &Path, env: &[(&str, &str)]) -> Output {
        for file in ["output", "path", "summary"] {
            fs::write(self.path(file), "").unwrap();
        }
        // The fakes first, then the handbook under test (as `install` would have put it).
        let built = Path::new(env!("CARGO_BIN_EXE_handbook")).parent().unwrap();
        let search_path = format!(
            "{}:{}:{}",
            self.path("bin").display(),
            built.display(),
            std::env::var("PATH").unwrap()
        );
        let mut command = Command::new("bash");
        command
            .arg(self.action.join("scripts/action.sh"))
            .arg(step)
            .current_dir(workdir)
            .env_clear()
            .env("PATH", search_path)
            .env("HOME", self.path("home"))
            .env("GITHUB_ACTION_PATH", &self.action)
            .env("GITHUB_OUTPUT", self.path("output"))
            .env("GITHUB_PATH", self.path("path"))
            .env("GITHUB_STEP_SUMMARY", self.path("summary"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TOOL_CACHE", self.path("cache"))
            .env("FAKE_LOG", self.path("log"))
            .env("FAKE_SERVER", self.path("server"))
            .env("FAKE_HANDBOOK", env!("CARGO_BIN_EXE_handbook"));
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().unwrap()
    }

    /// The `name=value` lines the last step wrote to GITHUB_OUTPUT.
    fn outputs(&self) -> BTreeMap<String, String> {
        fs::read_to_string(self.path("output"))
            .unwrap()
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// `plan`, then `install` with plan's outputs, as action.yml wires them.
    fn install(&self, plan_env: &[(&str, &str)]) -> (BTreeMap<String, String>, Output) {
        let plan = self.step("plan", self.dir.path(), plan_env);
        assert!(plan.status.success(), "plan: {}", String::from_utf8_lossy(&plan.stderr));
        let outputs = self.outputs();
        let env = [
            ("HANDBOOK_MODE", outputs["mode"].as_str()),
            ("HANDBOOK_TAG", outputs["tag"].as_str()),
            ("HANDBOOK_TARGET", outputs["target"].as_str()),
            ("HANDBOOK_DIR", outputs["dir"].as_str()),
            ("HANDBOOK_REPOSITORY", outputs["repository"].as_str()),
        ];
        let install = self.step("install", self.dir.path(), &env);
        (outputs, install)
    }

    /// Publishes a release of the real binary, packed by scripts/package-release.sh, on the
    /// fake server, with its SHA256SUMS.
    fn publish(&self, tag: &str) {
        let folder = self.path("server").join("acme/hb/releases/download").join(tag);
        fs::create_dir_all(&folder).unwrap();
        let bin = tempfile::tempdir().unwrap();
        fs::copy(env!("CARGO_BIN_EXE_handbook"), bin.path().join("handbook")).unwrap();
        let packed = Command::new("bash")
            .arg(root().join("scripts/package-release.sh"))
            .args(["x86_64-unknown-linux-gnu", tag])
            .args([bin.path(), &folder])
            .output()
            .unwrap();
        assert!(packed.status.success(), "{}", String::from_utf8_lossy(&packed.stderr));
        let sums = Command::new("sh")
            .args(["-c", "sha256sum -- *.tar.gz > SHA256SUMS"])
            .current_dir(&folder)
            .output()
            .unwrap();
        assert!(sums.status.success());
    }

    fn release_folder(&self, tag: &str) -> PathBuf {
        self.path("server").join("acme/hb/releases/download").join(tag)
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(not(unix))]
fn make_executable(_: &Path) {}

#[test]
fn plan_installs_the_release_of_a_release_tag_and_builds_any_other_ref() {
    let tag = format!("v{}", version());

    let runner = Runner::new(&tag);
    let plan = runner.step("plan", runner.dir.path(), &[]);
    assert!(plan.status.success(), "{}", String::from_utf8_lossy(&plan.stderr));
    let outputs = runner.outputs();
    assert_eq!(outputs["mode"], "release-or-source");
    assert_eq!(outputs["tag"], tag);
    assert_eq!(outputs["repository"], "acme/hb");
    assert_eq!(outputs["target"], "x86_64-unknown-linux-gnu");
    assert_eq!(outputs["key"], format!("handbook-{tag}-x86_64-unknown-linux-gnu"));
    assert!(outputs["dir"].starts_with(&*runner.path("cache").to_string_lossy()));

    // An explicit version wins, on any ref; `0.3.0` and `v0.3.0` are the same release.
    runner.step(
        "plan",
        runner.dir.path(),
        &[
            ("INPUT_VERSION", "0.3.0"),
            ("RUNNER_OS", "macOS"),
            ("RUNNER_ARCH", "ARM64"),
        ],
    );
    let outputs = runner.outputs();
    assert_eq!(
        (outputs["mode"].as_str(), outputs["tag"].as_str()),
        ("release", "v0.3.0")
    );
    assert_eq!(outputs["target"], "aarch64-apple-darwin");

    // A branch builds the source; its cache key follows the source, so a change rebuilds.
    let branch = Runner::new("feature/x");
    branch.step("plan", branch.dir.path(), &[("RUNNER_OS", "Windows")]);
    let before = branch.outputs();
    assert_eq!((before["mode"].as_str(), before["tag"].as_str()), ("source", ""));
    assert_eq!(before["target"], "x86_64-pc-windows-msvc");
    assert!(before["key"].starts_with("handbook-source-"), "{}", before["key"]);
    fs::write(branch.action.join("src/lib.rs"), "// changed\n").unwrap();
    branch.step("plan", branch.dir.path(), &[("RUNNER_OS", "Windows")]);
    assert_ne!(branch.outputs()["key"], before["key"]);
}

#[test]
fn install_downloads_checks_and_then_reuses_a_release() {
    let tag = format!("v{}", version());
    let runner = Runner::new(&tag);
    runner.publish(&tag);

    let (outputs, install) = runner.install(&[]);
    assert!(
        install.status.success(),
        "{}{}",
        stdout(&install),
        String::from_utf8_lossy(&install.stderr)
    );
    let bin = Path::new(&outputs["dir"]).join("bin");
    assert!(bin.join("handbook").exists());
    assert_eq!(
        fs::read_to_string(runner.path("path")).unwrap().trim(),
        bin.to_string_lossy()
    );
    assert!(
        stdout(&install).contains(&format!("handbook {}", version())),
        "{}",
        stdout(&install)
    );
    let log = runner.log();
    assert_eq!(log.matches("curl").count(), 2, "{log}");
    assert!(
        log.contains(&format!(
            "https://github.com/acme/hb/releases/download/{tag}/handbook-{tag}-x86_64-unknown-linux-gnu.tar.gz"
        )),
        "{log}"
    );
    assert!(!log.contains("cargo"), "{log}");

    // The second run finds it in the (restored) cache folder and fetches nothing.
    let (_, again) = runner.install(&[]);
    assert!(again.status.success());
    assert!(stdout(&again).contains("from the cache"), "{}", stdout(&again));
    assert_eq!(runner.log(), log);
}

#[test]
fn install_refuses_an_archive_that_does_not_match_its_checksum() {
    let tag = format!("v{}", version());
    let runner = Runner::new(&tag);
    runner.publish(&tag);
    let sums = runner.release_folder(&tag).join("SHA256SUMS");
    let tampered = fs::read_to_string(&sums)
        .unwrap()
        .replacen(|c: char| c.is_ascii_hexdigit(), "0", 8);
    fs::write(&sums, tampered).unwrap();

    let (outputs, install) = runner.install(&[]);
    assert!(!install.status.success());
    assert!(
        stdout(&install).contains("::error title=handbook action::"),
        "{}",
        stdout(&install)
    );
    assert!(
        stdout(&install).contains("does not match its checksum"),
        "{}",
        stdout(&install)
    );
    assert!(!Path::new(&outputs["dir"]).join("bin/handbook").exists());
    assert!(!runner.log().contains("cargo"));
}

#[test]
fn install_builds_its_own_source_or_stops_when_a_release_cannot_be_downloaded() {
    // At a release tag with no release published: the action's own source.
    let tag = format!("v{}", version());
    let runner = Runner::new(&tag);
    let (outputs, install) = runner.install(&[]);
    assert!(install.status.success(), "{}", String::from_utf8_lossy(&install.stderr));
    let log = runner.log();
    assert!(
        log.contains(&format!(
            "cargo install --locked --path {} --root {}",
            runner.action.display(),
            outputs["dir"]
        )),
        "{log}"
    );

    // An explicit version that cannot be downloaded: an error naming what was tried, and
    // nothing from anywhere else.
    let runner = Runner::new("main");
    let (_, install) = runner.install(&[("INPUT_VERSION", "v0.9.0")]);
    assert!(!install.status.success());
    let out = stdout(&install);
    assert!(
        out.contains("::error title=handbook action::https://github.com/acme/hb/releases/download/v0.9.0/handbook-v0.9.0-x86_64-unknown-linux-gnu.tar.gz could not be downloaded (curl: (22)"),
        "{out}"
    );
    assert!(out.contains("is v0.9.0 a release of acme/hb"), "{out}");
    assert!(!runner.log().contains("cargo"), "{}", runner.log());

    // No release and no Rust: a clear error.
    let runner = Runner::new("main");
    fs::remove_file(runner.path("bin/cargo")).unwrap();
    let plan = runner.step("plan", runner.dir.path(), &[]);
    assert!(plan.status.success());
    let outputs = runner.outputs();
    let install = runner.step(
        "install",
        runner.dir.path(),
        &[
            ("HANDBOOK_MODE", "source"),
            ("HANDBOOK_DIR", &outputs["dir"]),
            ("HANDBOOK_TARGET", &outputs["target"]),
            ("PATH", &format!("{}:/usr/bin:/bin", runner.path("bin").display())),
        ],
    );
    assert!(!install.status.success());
    assert!(stdout(&install).contains("needs Rust (cargo)"), "{}", stdout(&install));
}

const BROKEN: &[(&str, &str)] = &[
    ("handbook.toml", "title = \"Team\"\n"),
    (
        "content/protocols/on-call.md",
        "---\ntitle: On-call\nowner: ana\n---\nSee [the runbook](runbook.md).\n",
    ),
];

#[test]
fn check_annotates_problems_fails_and_writes_the_job_summary() {
    let runner = Runner::new("main");
    let handbook = Fixture::new(BROKEN);
    let check = runner.step(
        "check",
        runner.dir.path(),
        &[("INPUT_ROOT", &handbook.root().to_string_lossy())],
    );
    assert!(!check.status.success());
    let out = stdout(&check);
    assert!(out.lines().all(|line| line.starts_with("::")), "{out}");
    assert!(
        out.contains("::error file=content/protocols/on-call.md,line=5,"),
        "{out}"
    );
    let summary = fs::read_to_string(runner.path("summary")).unwrap();
    assert!(summary.starts_with("### handbook check\n"), "{summary}");
    assert!(summary.contains("error"), "{summary}");
}

#[test]
fn check_passes_on_warnings_unless_strict() {
    let runner = Runner::new("main");
    let handbook = Fixture::new(&[
        ("handbook.toml", "title = \"Team\"\n"),
        ("content/people/ana.md", "---\ntitle: Ana\n---\n"),
        // A handbook with people pages warns about an owner who has none.
        (
            "content/protocols/on-call.md",
            "---\ntitle: On-call\nowner: nobody-known\n---\nText.\n",
        ),
    ]);
    let root = handbook.root().to_string_lossy().into_owned();
    let strict = runner.step("check", runner.dir.path(), &[("INPUT_ROOT", &root)]);
    assert!(!strict.status.success(), "{}", stdout(&strict));
    assert!(stdout(&strict).contains("::error "), "{}", stdout(&strict));
    let lenient = runner.step(
        "check",
        runner.dir.path(),
        &[("INPUT_ROOT", &root), ("INPUT_STRICT", "false")],
    );
    assert!(lenient.status.success(), "{}", stdout(&lenient));
    assert!(stdout(&lenient).contains("::warning "), "{}", stdout(&lenient));
}

#[test]
fn check_names_files_from_the_repository_top_and_sees_what_the_build_will_build() {
    let runner = Runner::new("main");
    let repo = Fixture::new(&[
        ("handbook/handbook.toml", "title = \"Team\"\n"),
        (
            "handbook/content/protocols/on-call.md",
            "---\ntitle: On-call\n---\nSee [the secret plan](plan.md).\n",
        ),
        (
            "handbook/content/protocols/plan.md",
            "---\ntitle: Plan\nvisibility: internal\n---\nText.\n",
        ),
    ]);
    fs::create_dir(repo.root().join(".git")).unwrap();
    let env = [("INPUT_ROOT", "handbook"), ("INPUT_STRICT", "true")];

    let check = runner.step("check", repo.root(), &env);
    assert!(check.status.success(), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("::notice title=no-base-url::"),
        "{}",
        stdout(&check)
    );

    // The public build leaves the internal page out, so the link to it is a warning, which
    // --strict makes an error, on the file as the pull request names it.
    let public = runner.step(
        "check",
        repo.root(),
        &[
            env[0],
            env[1],
            ("INPUT_ARGS", "--public"),
            ("INPUT_BASE_URL", "https://team.example.com/"),
        ],
    );
    assert!(!public.status.success());
    let out = stdout(&public);
    assert!(
        out.contains("::error file=handbook/content/protocols/on-call.md,line=4,"),
        "{out}"
    );
    assert!(!out.contains("no-base-url"), "{out}");
}

#[test]
fn build_writes_the_site_and_names_its_folder() {
    let runner = Runner::new("main");
    let handbook = Fixture::new(&[
        ("handbook.toml", "title = \"Team\"\n"),
        ("content/protocols/on-call.md", "---\ntitle: On-call\n---\nText.\n"),
        (
            "content/protocols/draft.md",
            "---\ntitle: Unfinished\ndraft: true\n---\nText.\n",
        ),
    ]);
    let build = runner.step(
        "build",
        handbook.root(),
        &[
            ("INPUT_OUTPUT", "site"),
            ("INPUT_BASE_URL", "https://team.example.com/handbook/"),
            ("INPUT_ARGS", "--drafts"),
        ],
    );
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    let site = PathBuf::from(&runner.outputs()["site"]);
    assert_eq!(site, handbook.root().join("site").canonicalize().unwrap());
    assert!(site.join("index.html").exists());
    assert!(site.join("sitemap.xml").exists(), "base-url reached the build");
    assert!(
        site.join("protocols/draft/index.html").exists(),
        "args reached the build"
    );
}

// ---- The README's examples ----

/// The YAML blocks of README.md's "Deploying" section, parsed.
fn readme_workflows() -> Vec<Value> {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let deploying = readme
        .split("\n## Deploying")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    deploying
        .split("```yaml\n")
        .skip(1)
        .map(|block| {
            let text = block.split("\n```").next().unwrap();
            serde_saphyr::from_str(text).unwrap_or_else(|err| panic!("README example: {err}\n{text}"))
        })
        .collect()
}

#[test]
fn the_readme_examples_use_the_action_as_it_is() {
    let examples = readme_workflows();
    assert!(examples.len() >= 2, "a GitHub Actions and a GitLab CI example");
    let action = yaml("action.yml");
    let inputs = action["inputs"].as_object().unwrap();
    let repository = cargo_toml()["package"]["repository"]
        .as_str()
        .unwrap()
        .trim_start_matches("https://github.com/")
        .to_string();
    let mut uses_action = 0;
    for example in &examples {
        for (what, script) in run_steps(example, "README example") {
            assert_parses_as_bash(&what, &script.replace("${{", "x").replace("}}", "x"));
        }
        for job in example["jobs"].as_object().into_iter().flatten().map(|(_, job)| job) {
            for step in job["steps"].as_array().into_iter().flatten() {
                let Some(uses) = step.get("uses").and_then(Value::as_str) else {
                    continue;
                };
                if uses.starts_with(&format!("{repository}@")) {
                    uses_action += 1;
                    for input in step
                        .get("with")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten()
                        .map(|(k, _)| k)
                    {
                        assert!(
                            inputs.contains_key(input),
                            "the README passes `{input}`, which action.yml does not take"
                        );
                    }
                }
            }
        }
    }
    assert!(uses_action > 0, "the GitHub example uses {repository}");
}
