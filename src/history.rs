//! Git history: when each page was created and last changed, and by whom, from one `git log`
//! for the whole handbook (running git once per file would dominate the build time).

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use jiff::civil::Date;

use crate::diagnostics::Diagnostic;

/// What git knows about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    /// The day of the first commit that touched it.
    pub created: Date,
    /// The day of the last commit that touched it.
    pub updated: Date,
    /// The author of that last commit; `None` where the build does not show names
    /// (`[public] authors`).
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

/// Separates commits in the log output.
const COMMIT: char = '\u{1e}';
/// Separates fields of a commit's header line.
const FIELD: char = '\u{1f}';

/// Reads the history of `root` with one `git log`.
pub fn read(root: &Path) -> History {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "core.quotePath=false"])
            .args(args)
            .output()
    };
    let output = git(&[
        "log",
        "--no-merges",
        "--no-renames",
        "--relative",
        "--name-only",
        "--format=%x1e%aI%x1f%an",
        "--",
        ".",
    ]);
    let output = match output {
        Ok(output) if output.status.success() => output,
        _ => {
            return History {
                files: HashMap::new(),
                note: Some(
                    Diagnostic::note("no-history", "the handbook is not in a git repository (or git is missing), so pages show only the dates their front matter gives")
                        .help("set `date` and `updated` in front matter, or build from a git checkout"),
                ),
            };
        }
    };
    let files = parse(&String::from_utf8_lossy(&output.stdout));
    let shallow = git(&["rev-parse", "--is-shallow-repository"])
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "true")
        .unwrap_or(false);
    let note = shallow.then(|| {
        Diagnostic::note(
            "shallow-history",
            "this is a shallow clone, so creation dates are those of the oldest commit it has",
        )
        .help("fetch the whole history (in CI: `fetch-depth: 0`) for exact dates")
    });
    History { files, note }
}

/// Parses `git log --name-only --format=%x1e%aI%x1f%an` output, newest commit first.
fn parse(log: &str) -> HashMap<String, FileHistory> {
    let mut files: HashMap<String, FileHistory> = HashMap::new();
    for commit in log.split(COMMIT).filter(|c| !c.trim().is_empty()) {
        let mut lines = commit.lines();
        let Some((date, author)) = lines.next().and_then(|header| header.split_once(FIELD)) else {
            continue;
        };
        let Some(date) = date.get(..10).and_then(crate::dates::parse_date) else {
            continue;
        };
        for path in lines.map(str::trim).filter(|l| !l.is_empty()) {
            files
                .entry(path.to_string())
                .and_modify(|known| known.created = date)
                .or_insert_with(|| FileHistory {
                    created: date,
                    updated: date,
                    author: Some(author.to_string()),
                });
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn newest_commit_gives_update_and_oldest_creation() {
        let log = "\u{1e}2026-11-20T10:00:00+01:00\u{1f}Alice\n\ncontent/a.md\ncontent/b.md\n\u{1e}2026-01-05T09:00:00Z\u{1f}Bob\n\ncontent/a.md\n";
        let files = parse(log);
        assert_eq!(
            files["content/a.md"],
            FileHistory {
                created: date(2026, 1, 5),
                updated: date(2026, 11, 20),
                author: Some("Alice".into())
            }
        );
        assert_eq!(files["content/b.md"].created, date(2026, 11, 20));
    }
}
