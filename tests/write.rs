//! Killing builds: whatever moment a build dies at, the output folder holds a whole site, git
//! sees nothing of what the killed build left beside it (`git add -A` commits no site), and the
//! next build removes it.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Fixture, commit, has_git};

/// Pages in the generated handbook: enough that writing the site takes a while to hit.
const PAGES: usize = 1500;
/// Kills at moments spread over a whole build's time, and as many spread over its writing (by
/// the share of files written).
const KILLS: u32 = 5;

/// A handbook of `PAGES` small plain pages in ten folders, linking to each other.
fn generated_handbook() -> Fixture {
    let hb = Fixture::new(&[("handbook.toml", "title = \"Generated\"\n")]);
    for n in 0..PAGES {
        let (folder, page) = (n % 10, n / 10);
        hb.write(
            &format!("content/area-{folder}/page-{page}.md"),
            &format!("# Page {page} of area {folder}\n\nSee [the first page](../area-0/page-0.md).\n"),
        );
    }
    hb
}

/// `handbook --root ROOT build`, started and left running.
fn start_build(root: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_handbook"))
        .arg("--root")
        .arg(root)
        .arg("build")
        .env("HANDBOOK_TODAY", "2026-11-25")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The staging folder a build with process id `pid` writes into.
fn staging(root: &Path, pid: u32) -> PathBuf {
    root.join(format!(".public.new-{pid}"))
}

/// Every file under `site`, relative to it.
fn files(site: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(site).unwrap().to_path_buf())
        .collect()
}

/// Names beside the output that a build writes or leaves: `.public.new-*` and `.public.old-*`.
fn debris(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.new-") || n.starts_with(".public.old-"))
        .collect()
}

/// Polls until `child`'s staging folder holds at least `files` files, or `child` has exited;
/// whether it got there. (After the swap, the staging path holds the previous site while it
/// is deleted, which is a moment worth killing at too.)
fn wait_for_staging(root: &Path, child: &mut Child, files: usize) -> bool {
    let staging = staging(root, child.id());
    loop {
        let written = walkdir::WalkDir::new(&staging)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file());
        if staging.exists() && written.count() >= files {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// What `git status` shows in `root` that `git add -A` would commit (`None` without git).
fn untracked(root: &Path) -> Option<String> {
    let output = Command::new("git")
        .current_dir(root)
        .args(["status", "--porcelain", "--untracked-files=all"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", root)
        .output()
        .ok()?;
    assert!(output.status.success(), "{output:?}");
    Some(String::from_utf8(output.stdout).unwrap())
}

/// Runs a whole build: how long it took, and how long from its staging folder's creation on.
fn timed_build(root: &Path) -> (Duration, Duration) {
    let started = Instant::now();
    let mut child = start_build(root);
    assert!(
        wait_for_staging(root, &mut child, 0),
        "the build writes a staging folder"
    );
    let writing_from = started.elapsed();
    assert!(child.wait().unwrap().success());
    (started.elapsed(), started.elapsed() - writing_from)
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site_and_the_next_build_clears_its_debris() {
    let hb = generated_handbook();
    let git = has_git();
    if git {
        // As `handbook init` leaves it: the output ignored by its name, nothing else.
        hb.write(".gitignore", "/public/\n");
        commit(&hb, "Alice", "2026-01-05", "the handbook");
    }
    let site = hb.path("public");
    // The faster of two whole builds (the first also warms the caches) sets the kill times.
    let (whole, writing) = timed_build(hb.root()).min(timed_build(hb.root()));
    let complete = files(&site);
    assert!(complete.contains(Path::new("index.html")) && complete.contains(Path::new(".handbook-output")));
    assert!(
        !complete.contains(Path::new(".gitignore")),
        "what hides a staging folder from git is not published"
    );

    let (mut killed, mut mid_write) = (0, 0);
    for (while_writing, i) in [false, true].into_iter().flat_map(|w| (1..=KILLS).map(move |i| (w, i))) {
        let mut child = start_build(hb.root());
        let pid = child.id();
        if while_writing {
            let share = complete.len() * i as usize / (KILLS as usize + 1);
            wait_for_staging(hb.root(), &mut child, share);
        } else {
            std::thread::sleep(whole * i / (KILLS + 1));
        }
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed += 1;
        }
        child.wait().unwrap();
        mid_write += usize::from(staging(hb.root(), pid).exists());
        assert_eq!(
            files(&site),
            complete,
            "after kill {killed}, the output is the whole site"
        );
        if git {
            assert_eq!(
                untracked(hb.root()).unwrap(),
                "",
                "after kill {killed}, git sees nothing to commit: {:?}",
                debris(hb.root())
            );
        }
    }
    eprintln!(
        "{PAGES} pages, {} files; whole build {whole:?}, writing {writing:?}; {killed} builds killed, {mid_write} of them with their staging folder present",
        complete.len()
    );

    assert!(start_build(hb.root()).wait().unwrap().success());
    assert_eq!(files(&site), complete);
    assert_eq!(
        debris(hb.root()),
        Vec::<String>::new(),
        "the next build removes what killed builds left"
    );
    if git {
        assert_eq!(untracked(hb.root()).unwrap(), "");
    }
}
