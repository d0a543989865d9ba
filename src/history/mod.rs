//! Git history: when each page was created and last changed, and by whom, from one `git log`
//! for the whole handbook (running git once per file would dominate the build time).
//!
//! The rule, which README's "History, feeds and what's new" states for readers:
//!
//! - a file is **created** on the author date of its first commit: when it was written, which a
//!   rebase, a cherry-pick or a merge keeps (a page written on a branch was created when it was
//!   written there);
//! - it was **last updated** when its newest change landed in the history the site is built
//!   from: the committer date of the newest commit on that history's first-parent chain (the
//!   *mainline*: `main` as it grew, one commit or one merge at a time) that changed it, a merge
//!   counting what it changed against its first parent. A change written long ago and rebased
//!   today, or committed on a branch long ago and merged today, is news today; dated by when it
//!   was written, it would fall before changes already reported, or before the page's creation,
//!   and never show in what's new. A merge off the mainline (`main` merged into a branch to
//!   bring it up to date) dates nothing: what it brings had landed already;
//! - the **author** shown is who wrote that newest change: the author of the commit, or for a
//!   merge, of the newest commit it brought in that changed the file, not who merged it (a change
//!   made in the merge itself, such as a resolved conflict, is the merge author's);
//! - the last update is never before the creation;
//! - renames are followed (git's rename detection: a move, or a move with small edits), so a
//!   moved page keeps its creation date; a copy is a new page;
//! - in a shallow clone, the oldest commit it has shows every file as added: a file it touched
//!   has no known creation date, and when no later commit touched it, no known update or author
//!   either. Nothing is made up: pages fall back to their front matter.
//!
//! A fast-forward merge leaves no trace of when it happened: its commits are the mainline's,
//! dated by their own committer dates.

mod log;
mod notes;

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
    /// What could not be known, said once (no git, not a repository, no commits yet, a shallow
    /// clone).
    pub note: Option<Diagnostic>,
}

/// Reads the history of `root` with one `git log`, and one `git rev-parse` to find a shallow
/// clone's boundary. When the log cannot be read, one more `git rev-parse` tells why (see
/// [`notes::unreadable`]).
pub fn read(root: &Path) -> History {
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(root).args(args).output();
    let output = git(&[
        "log",
        // Children before parents, so that a rename is read after every later change to the
        // file it made, and a merge before the commits it brought in.
        "--topo-order",
        // Merges, each with what it changed against its first parent: for a merge into the
        // mainline, what its branch brought (git 2.31 or later).
        "--diff-merges=first-parent",
        // Every merge, with parents rewritten to the nearest commits listed: the commit graph,
        // from which `log` tells the mainline from the branches merged into it.
        "--full-history",
        "--parents",
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
    let output = match output {
        Ok(output) if output.status.success() => output,
        Ok(output) => return no_history(notes::unreadable(root, &output.stderr)),
        Err(err) => return no_history(notes::git_not_run(&err)),
    };
    let boundary = shallow_boundary(root, succeeded(git(&["rev-parse", "--git-path", "shallow"])));
    let text = String::from_utf8_lossy(&output.stdout);
    let boundary_hashes: HashSet<&str> = boundary.iter().map(String::as_str).collect();
    let files = log::files(&log::parse(&text), &boundary_hashes);
    if files.is_empty() && boundary.is_empty() {
        return no_history(notes::nothing_committed());
    }
    let note = (!boundary.is_empty()).then(notes::shallow);
    History { files, note }
}

/// No history, and why.
fn no_history(note: Diagnostic) -> History {
    History {
        files: HashMap::new(),
        note: Some(note),
    }
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
