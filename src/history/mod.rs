//! Git history: when each page was created and last changed, and by whom, from one `git log`
//! for the whole handbook (running git once per file would dominate the build time).
//!
//! The rule, which README's "History, feeds and what's new" states for readers:
//!
//! - a file is **created** on the author date of its first commit: when it was written, which a
//!   rebase or a cherry-pick keeps;
//! - it was **last updated** on the committer date of its newest commit: when the change landed
//!   in the history the site is built from. A change written long ago and rebased today is news
//!   today; dated by its author date, it would fall before changes already reported, or before
//!   the page's creation, and never show in what's new;
//! - the last update is never before the creation;
//! - renames are followed (git's rename detection: a move, or a move with small edits), so a
//!   moved page keeps its creation date; a copy is a new page;
//! - in a shallow clone, the oldest commit it has shows every file as added: a file it touched
//!   has no known creation date, and when no later commit touched it, no known update or author
//!   either. Nothing is made up: pages fall back to their front matter.

mod log;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, Output};

use jiff::civil::Date;

use crate::diagnostics::Diagnostic;

/// What git knows about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    /// The day its first commit was written (author date); `None` when that commit is the
    /// boundary of a shallow clone, which cuts the history short.
    pub created: Option<Date>,
    /// The day its last commit landed (committer date), never before `created`; `None` when only
    /// a shallow clone's boundary commit touched it.
    pub updated: Option<Date>,
    /// The author of that last commit; `None` where it is not known (as `updated`) or where the
    /// build does not show names (`[public] authors`).
    pub author: Option<String>,
}

/// The history of every file under the handbook root, by path relative to it (`content/x.md`).
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Files and what git knows about them.
    pub files: HashMap<String, FileHistory>,
    /// What could not be known, said once (no git, not a repository, a shallow clone).
    pub note: Option<Diagnostic>,
}

/// Reads the history of `root` with one `git log`, and one `git rev-parse` to find a shallow
/// clone's boundary.
pub fn read(root: &Path) -> History {
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(root).args(args).output();
    let output = git(&[
        "log",
        "--no-merges",
        // Children before parents, so that a rename is read after every later change to the
        // file it made.
        "--topo-order",
        "--relative",
        "--name-status",
        "-M",
        // Paths as they are, however odd: no quoting to undo.
        "-z",
        "--no-color",
        "--no-show-signature",
        log::FORMAT,
        "--",
        ".",
    ]);
    let Some(output) = succeeded(output) else {
        return History {
            files: HashMap::new(),
            note: Some(
                Diagnostic::note("no-history", "the handbook is not in a git repository (or git is missing), so pages show only the dates their front matter gives")
                    .help("set `date` and `updated` in front matter, or build from a git checkout"),
            ),
        };
    };
    let boundary = shallow_boundary(root, succeeded(git(&["rev-parse", "--git-path", "shallow"])));
    let text = String::from_utf8_lossy(&output.stdout);
    let boundary_hashes: HashSet<&str> = boundary.iter().map(String::as_str).collect();
    let files = log::files(&log::parse(&text), &boundary_hashes);
    let note = (!boundary.is_empty()).then(|| {
        Diagnostic::note(
            "shallow-history",
            "this is a shallow clone: pages whose history it cuts short show no creation date, and no last change or author unless a later commit changed them",
        )
        .help("fetch the whole history: `git fetch --unshallow`; in GitHub Actions, `fetch-depth: 0` for actions/checkout; in GitLab CI, `GIT_DEPTH: 0`")
    });
    History { files, note }
}

/// The output of a git command that ran and succeeded.
fn succeeded(output: std::io::Result<Output>) -> Option<Output> {
    output.ok().filter(|o| o.status.success())
}

/// The commits at which a shallow clone's history stops (their parents were not fetched), from
/// the `shallow` file that `rev-parse --git-path shallow` names (relative to `root`); none in a
/// full clone, which has no such file.
fn shallow_boundary(root: &Path, rev_parse: Option<Output>) -> Vec<String> {
    let Some(output) = rev_parse else {
        return Vec::new();
    };
    let path = String::from_utf8_lossy(&output.stdout)
        .trim_end_matches(['\n', '\r'])
        .to_string();
    let text = std::fs::read_to_string(root.join(path)).unwrap_or_default();
    text.split_whitespace().map(String::from).collect()
}
