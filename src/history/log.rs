//! Reading `git log --name-status -M -z` into each file's history, following renames.
//!
//! The log is read newest commit first. A page's history is the history of its path, and before
//! a rename, of the path it was renamed from: so a map from paths as they were at some point in
//! history to the file they are now is kept while walking back, and each change is charged to the
//! file its path leads to. A file deleted or added at a path ends that path's link to the current
//! file: older changes at that path were to another file.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use super::FileHistory;

/// The `--format` of the log: a commit's hash, author date, committer date and author name.
pub(super) const FORMAT: &str = "--format=%x1e%H%x1f%aI%x1f%cI%x1f%an";
/// Starts each commit's header.
const COMMIT: char = '\u{1e}';
/// Separates the fields of a commit's header.
const FIELD: char = '\u{1f}';

/// One commit of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Commit<'a> {
    hash: &'a str,
    /// When it was written (author date): kept through rebases and cherry-picks.
    authored: Date,
    /// When it was made part of this history (committer date): set again by a rebase.
    committed: Date,
    author: &'a str,
    changes: Vec<Change<'a>>,
}

/// What a commit did to one path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change<'a> {
    /// Added (or copied: a copy is a new file with no history of its own).
    Added(&'a str),
    /// Changed in place (content, mode or type).
    Modified(&'a str),
    Deleted(&'a str),
    /// Moved, perhaps with edits (git's rename detection).
    Renamed {
        from: &'a str,
        to: &'a str,
    },
}

/// Parses the output of `git log --name-status -z` with [`FORMAT`]: NUL-separated fields, where
/// a commit's header starts with U+001E and each change is a status followed by its one or two
/// paths. Reading paths by position keeps any name intact (spaces, newlines, U+001E in a file
/// name). A commit whose header cannot be read is skipped with its changes.
pub(super) fn parse(log: &str) -> Vec<Commit<'_>> {
    let mut commits: Vec<Commit<'_>> = Vec::new();
    // Whether the changes being read belong to the last commit pushed.
    let mut current = false;
    let mut fields = log.split('\0');
    while let Some(field) = fields.next() {
        let field = field.trim_start_matches('\n');
        if let Some(header) = field.strip_prefix(COMMIT) {
            current = match header_of(header) {
                Some(commit) => {
                    commits.push(commit);
                    true
                }
                None => false,
            };
            continue;
        }
        let mut path = || fields.next().filter(|p| !p.is_empty());
        let change = match field.chars().next() {
            Some('A') => path().map(Change::Added),
            Some('C') => path().and(path()).map(Change::Added),
            Some('D') => path().map(Change::Deleted),
            Some('R') => path().zip(path()).map(|(from, to)| Change::Renamed { from, to }),
            Some(_) => path().map(Change::Modified),
            None => None,
        };
        if let (Some(change), true, Some(commit)) = (change, current, commits.last_mut()) {
            commit.changes.push(change);
        }
    }
    commits
}

/// A commit with no changes yet, from its header's fields.
fn header_of(header: &str) -> Option<Commit<'_>> {
    let mut parts = header.split(FIELD);
    let hash = parts.next()?;
    let day = |iso: &str| iso.get(..10).and_then(crate::dates::parse_date);
    let authored = day(parts.next()?)?;
    let committed = day(parts.next()?)?;
    let author = parts.next()?;
    Some(Commit {
        hash,
        authored,
        committed,
        author,
        changes: Vec::new(),
    })
}

/// What is known of one file while the log is walked back.
struct Known<'a> {
    /// Author date of the oldest commit seen so far.
    created: Option<Date>,
    /// Committer date and author of the newest commit, unless that was a boundary commit.
    updated: Option<(Date, &'a str)>,
}

/// The history of every file the log leads to, by its current path. `commits` are newest first;
/// `boundary` holds the hashes of a shallow clone's boundary commits, whose parents are missing:
/// such a commit shows every file as added, whether or not it changed it, so it gives a file
/// neither a creation date nor a last change nor an author. A file only such a commit touched
/// is left out (nothing is known of it).
pub(super) fn files(commits: &[Commit<'_>], boundary: &HashSet<&str>) -> HashMap<String, FileHistory> {
    let mut known: HashMap<&str, Known<'_>> = HashMap::new();
    // Where a path leads, for commits older than those read so far: to the current file named,
    // or (`None`) to a file that is gone. A path not here leads to itself.
    let mut leads: HashMap<&str, Option<&str>> = HashMap::new();
    for commit in commits {
        let cut = boundary.contains(commit.hash);
        let lead = |path| leads.get(path).copied().unwrap_or(Some(path));
        // Where each change leads is read before any link changes: a commit that renames `a`
        // to `b` and adds a new `a` charges the new `a` to `a`, not to `b`.
        let targets: Vec<Option<&str>> = commit
            .changes
            .iter()
            .map(|change| match *change {
                Change::Added(path) | Change::Modified(path) => lead(path),
                Change::Renamed { to, .. } => lead(to),
                Change::Deleted(_) => None,
            })
            .collect();
        for target in targets.iter().flatten() {
            let file = known.entry(target).or_insert(Known {
                created: None,
                updated: (!cut).then_some((commit.committed, commit.author)),
            });
            file.created = (!cut).then_some(commit.authored);
        }
        for change in &commit.changes {
            match *change {
                Change::Added(path) | Change::Deleted(path) | Change::Renamed { to: path, .. } => {
                    leads.insert(path, None);
                }
                Change::Modified(_) => {}
            }
        }
        for (change, target) in commit.changes.iter().zip(&targets) {
            if let Change::Renamed { from, .. } = *change {
                leads.insert(from, *target);
            }
        }
    }
    known
        .into_iter()
        .filter_map(|(path, file)| {
            let (updated, author) = file.updated.unzip();
            if file.created.is_none() && updated.is_none() {
                return None;
            }
            Some((
                path.to_string(),
                FileHistory {
                    created: file.created,
                    // A change lands before the file's first commit was written only by a wrong
                    // clock (the committer's, or the author's): never date it before the creation.
                    updated: updated.map(|u| file.created.map_or(u, |c| u.max(c))),
                    author: author.map(String::from),
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// A commit to write into a log: hash, author date, committer date, author, and its changes,
    /// each a status and its paths.
    type TestCommit<'a> = (&'a str, &'a str, &'a str, &'a str, &'a [&'a [&'a str]]);

    /// A log as git writes it.
    fn log(commits: &[TestCommit<'_>]) -> String {
        let mut out = String::new();
        for (hash, authored, committed, author, changes) in commits {
            out.push_str(&format!(
                "\u{1e}{hash}\u{1f}{authored}T10:00:00+01:00\u{1f}{committed}T11:00:00Z\u{1f}{author}\0\n"
            ));
            for change in *changes {
                for field in *change {
                    out.push_str(field);
                    out.push('\0');
                }
            }
        }
        out
    }

    fn history(text: &str, boundary: &[&str]) -> HashMap<String, FileHistory> {
        files(&parse(text), &boundary.iter().copied().collect())
    }

    fn file(created: Option<Date>, updated: Option<Date>, author: Option<&str>) -> FileHistory {
        FileHistory {
            created,
            updated,
            author: author.map(String::from),
        }
    }

    #[test]
    fn the_newest_commit_gives_the_update_and_the_oldest_the_creation() {
        let text = log(&[
            (
                "c2",
                "2026-11-20",
                "2026-11-20",
                "Alice",
                &[&["M", "content/a.md"], &["A", "content/b.md"]],
            ),
            ("c1", "2026-01-05", "2026-01-05", "Bob", &[&["A", "content/a.md"]]),
        ]);
        let files = history(&text, &[]);
        assert_eq!(
            files["content/a.md"],
            file(Some(date(2026, 1, 5)), Some(date(2026, 11, 20)), Some("Alice"))
        );
        assert_eq!(files["content/b.md"].created, Some(date(2026, 11, 20)));
        assert_eq!(files.len(), 2);
    }

    #[test]
    fn paths_are_read_whole_whatever_they_hold() {
        let name = "content/we ird\n\u{1e}\t\"é\".md";
        let text = log(&[(
            "c1",
            "2026-01-05",
            "2026-01-05",
            "Bob",
            &[&["A", name], &["A", "content/b.md"]],
        )]);
        let files = history(&text, &[]);
        assert_eq!(files[name].author.as_deref(), Some("Bob"));
        assert!(files.contains_key("content/b.md"), "{files:?}");
    }

    #[test]
    fn a_rename_keeps_the_creation_date_and_earlier_history() {
        let text = log(&[
            (
                "c3",
                "2026-06-01",
                "2026-06-01",
                "Carol",
                &[&["R100", "content/old.md", "content/new.md"]],
            ),
            ("c2", "2026-03-01", "2026-03-01", "Bob", &[&["M", "content/old.md"]]),
            ("c1", "2026-01-05", "2026-01-05", "Alice", &[&["A", "content/old.md"]]),
        ]);
        let files = history(&text, &[]);
        assert_eq!(
            files["content/new.md"],
            file(Some(date(2026, 1, 5)), Some(date(2026, 6, 1)), Some("Carol"))
        );
        assert!(!files.contains_key("content/old.md"), "the old path is no page now");
    }

    #[test]
    fn chains_of_renames_lead_to_the_current_path() {
        let text = log(&[
            ("c3", "2026-06-01", "2026-06-01", "Carol", &[&["R087", "b.md", "c.md"]]),
            ("c2", "2026-03-01", "2026-03-01", "Bob", &[&["R100", "a.md", "b.md"]]),
            ("c1", "2026-01-05", "2026-01-05", "Alice", &[&["A", "a.md"]]),
        ]);
        let files = history(&text, &[]);
        assert_eq!(files["c.md"].created, Some(date(2026, 1, 5)));
        assert_eq!(files.len(), 1, "{files:?}");
    }

    #[test]
    fn a_new_file_at_a_renamed_files_old_path_has_its_own_history() {
        let text = log(&[
            ("c3", "2026-06-01", "2026-06-01", "Carol", &[&["A", "a.md"]]),
            ("c2", "2026-03-01", "2026-03-01", "Bob", &[&["R100", "a.md", "b.md"]]),
            ("c1", "2026-01-05", "2026-01-05", "Alice", &[&["A", "a.md"]]),
        ]);
        let files = history(&text, &[]);
        assert_eq!(
            files["a.md"],
            file(Some(date(2026, 6, 1)), Some(date(2026, 6, 1)), Some("Carol"))
        );
        assert_eq!(
            files["b.md"],
            file(Some(date(2026, 1, 5)), Some(date(2026, 3, 1)), Some("Bob"))
        );
    }

    #[test]
    fn a_rename_and_a_new_file_at_the_old_path_in_one_commit() {
        let text = log(&[
            (
                "c2",
                "2026-03-01",
                "2026-03-01",
                "Bob",
                &[&["A", "a.md"], &["R100", "a.md", "b.md"]],
            ),
            ("c1", "2026-01-05", "2026-01-05", "Alice", &[&["A", "a.md"]]),
        ]);
        let files = history(&text, &[]);
        assert_eq!(files["a.md"].created, Some(date(2026, 3, 1)));
        assert_eq!(files["b.md"].created, Some(date(2026, 1, 5)));
    }

    #[test]
    fn two_files_swapped_keep_their_own_histories() {
        let text = log(&[
            (
                "c2",
                "2026-03-01",
                "2026-03-01",
                "Bob",
                &[&["R100", "a.md", "b.md"], &["R100", "b.md", "a.md"]],
            ),
            ("c1", "2026-01-05", "2026-01-05", "Alice", &[&["A", "a.md"]]),
            ("c0", "2025-01-05", "2025-01-05", "Alice", &[&["A", "b.md"]]),
        ]);
        let files = history(&text, &[]);
        assert_eq!(files["b.md"].created, Some(date(2026, 1, 5)));
        assert_eq!(files["a.md"].created, Some(date(2025, 1, 5)));
    }

    #[test]
    fn a_copy_is_a_new_file_and_the_original_keeps_its_history() {
        let text = log(&[
            ("c2", "2026-03-01", "2026-03-01", "Bob", &[&["C075", "a.md", "b.md"]]),
            ("c1", "2026-01-05", "2026-01-05", "Alice", &[&["A", "a.md"]]),
        ]);
        let files = history(&text, &[]);
        assert_eq!(
            files["b.md"],
            file(Some(date(2026, 3, 1)), Some(date(2026, 3, 1)), Some("Bob"))
        );
        assert_eq!(
            files["a.md"],
            file(Some(date(2026, 1, 5)), Some(date(2026, 1, 5)), Some("Alice"))
        );
    }

    #[test]
    fn history_before_a_deletion_belongs_to_no_current_file() {
        let text = log(&[
            ("c3", "2026-06-01", "2026-06-01", "Carol", &[&["A", "a.md"]]),
            ("c2", "2026-03-01", "2026-03-01", "Bob", &[&["D", "a.md"]]),
            (
                "c1",
                "2026-01-05",
                "2026-01-05",
                "Alice",
                &[&["A", "a.md"], &["A", "gone.md"]],
            ),
            ("c0", "2025-01-05", "2025-01-05", "Alice", &[&["D", "gone.md"]]),
        ]);
        let files = history(&text, &[]);
        assert_eq!(files["a.md"].created, Some(date(2026, 6, 1)));
        assert_eq!(files.len(), 2, "{files:?}");
    }

    #[test]
    fn a_rebased_change_is_dated_when_it_landed_and_never_before_the_creation() {
        let text = log(&[
            // Written 17 months before it was rebased onto the history.
            ("c2", "2025-06-01", "2026-11-20", "Bob", &[&["M", "a.md"]]),
            ("c1", "2026-01-05", "2026-01-05", "Alice", &[&["A", "a.md"]]),
        ]);
        let files = history(&text, &[]);
        assert_eq!(
            files["a.md"],
            file(Some(date(2026, 1, 5)), Some(date(2026, 11, 20)), Some("Bob"))
        );

        // A committer's clock set in the past still cannot date a change before the creation.
        let text = log(&[
            ("c2", "2026-02-01", "2025-12-01", "Bob", &[&["M", "a.md"]]),
            ("c1", "2026-01-05", "2026-01-05", "Alice", &[&["A", "a.md"]]),
        ]);
        assert_eq!(history(&text, &[])["a.md"].updated, Some(date(2026, 1, 5)));
    }

    #[test]
    fn a_shallow_boundary_gives_no_dates_or_authors() {
        let text = log(&[
            (
                "c3",
                "2026-06-01",
                "2026-06-01",
                "Carol",
                &[&["M", "touched.md"], &["A", "new.md"]],
            ),
            (
                "c2",
                "2026-03-01",
                "2026-03-01",
                "Bob",
                &[&["R100", "old.md", "renamed.md"]],
            ),
            // The boundary: its parents are missing, so it shows every file as added.
            (
                "edge",
                "2026-01-05",
                "2026-01-05",
                "Alice",
                &[&["A", "touched.md"], &["A", "untouched.md"], &["A", "old.md"]],
            ),
        ]);
        let files = history(&text, &["edge"]);
        assert_eq!(files["touched.md"], file(None, Some(date(2026, 6, 1)), Some("Carol")));
        assert_eq!(files["renamed.md"], file(None, Some(date(2026, 3, 1)), Some("Bob")));
        assert_eq!(
            files["new.md"].created,
            Some(date(2026, 6, 1)),
            "added after the boundary"
        );
        assert!(!files.contains_key("untouched.md"), "nothing is known of it: {files:?}");
    }

    #[test]
    fn a_root_commit_that_is_no_boundary_creates_its_files() {
        let text = log(&[("root", "2026-01-05", "2026-01-05", "Alice", &[&["A", "a.md"]])]);
        assert_eq!(history(&text, &["other"])["a.md"].created, Some(date(2026, 1, 5)));
    }

    #[test]
    fn unreadable_headers_skip_their_commit() {
        let text = format!(
            "\u{1e}bad\u{1f}yesterday\0\nA\0a.md\0{}",
            log(&[("c1", "2026-01-05", "2026-01-05", "Alice", &[&["A", "b.md"]])])
        );
        let files = history(&text, &[]);
        assert_eq!(files.keys().collect::<Vec<_>>(), ["b.md"]);
    }
}
