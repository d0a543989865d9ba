//! Reading `git log --name-status -M -z --diff-merges=first-parent --parents` into each file's
//! history, following renames and telling where each change landed.
//!
//! The log is read newest commit first. A page's history is the history of its path, and before
//! a rename, of the path it was renamed from: so a map from paths as they were at some point in
//! history to the file they are now is kept while walking back, and each change is charged to the
//! file its path leads to. A file deleted or added at a path ends that path's link to the current
//! file: older changes at that path were to another file. Only commits that are not merges move
//! those links: a merge lists, against its first parent, what its branch changed (a rename made
//! on the branch, a file created there), and the branch's own commits, read after it, say the same
//! again; read twice, a rename would lead nowhere.
//!
//! Where a change landed is read from the commit graph. The **mainline** is the first-parent
//! chain from the newest commit: the history the site is built from, as it grew one commit or one
//! merge at a time. Every other commit landed with the mainline merge that first brought it in.
//! So a merge on the mainline dates what it lists when it was made, a branch commit never dates
//! anything by its own commit date, and a merge off the mainline (`main` merged into a branch to
//! bring it up to date) dates nothing: what it lists had landed already, on the mainline.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use super::FileHistory;

/// The `--format` of the log: a commit's hash, parents (as `--parents` rewrites them: the nearest
/// commits the log lists), author date, committer date and author name.
pub(super) const FORMAT: &str = "--format=%x1e%H%x1f%P%x1f%aI%x1f%cI%x1f%an";
/// Starts each commit's header.
const COMMIT: char = '\u{1e}';
/// Separates the fields of a commit's header.
const FIELD: char = '\u{1f}';

/// One commit of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Commit<'a> {
    hash: &'a str,
    /// Its parents among the commits listed, first parent first; two or more for a merge.
    parents: Vec<&'a str>,
    /// When it was written (author date): kept through rebases and cherry-picks.
    authored: Date,
    /// When it was made part of this history (committer date): set again by a rebase.
    committed: Date,
    author: &'a str,
    /// What it changed; for a merge, against its first parent.
    changes: Vec<Change<'a>>,
}

impl Commit<'_> {
    fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }
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
    let parents = parts.next()?.split_whitespace().collect();
    let day = |iso: &str| iso.get(..10).and_then(crate::dates::parse_date);
    let authored = day(parts.next()?)?;
    let committed = day(parts.next()?)?;
    let author = parts.next()?;
    Some(Commit {
        hash,
        parents,
        authored,
        committed,
        author,
        changes: Vec::new(),
    })
}

/// For each commit (by position in `commits`, newest first), the position of the mainline commit
/// it landed with: itself for a mainline commit, else the oldest mainline merge that has it as
/// an ancestor, the one that brought it in. `None` for a commit no mainline commit reaches (a
/// log cut short, or one that lists commits of several histories).
///
/// `--topo-order` lists children before parents, and `--full-history --parents` lists every
/// merge and rewrites parents to the nearest commits listed, so the newest commit listed is on
/// the first-parent chain of `HEAD`, and following first parents from it walks that chain.
fn landings(commits: &[Commit<'_>]) -> Vec<Option<usize>> {
    let position: HashMap<&str, usize> = commits.iter().enumerate().map(|(at, c)| (c.hash, at)).collect();
    let listed = |hashes: &[&str]| -> Vec<usize> { hashes.iter().filter_map(|h| position.get(h).copied()).collect() };
    let mut landing = vec![None; commits.len()];
    let mut mainline = Vec::new();
    let mut next = (!commits.is_empty()).then_some(0);
    while let Some(at) = next.filter(|&at| landing[at].is_none()) {
        landing[at] = Some(at);
        mainline.push(at);
        next = commits[at].parents.first().and_then(|p| position.get(p).copied());
    }
    // Oldest merge first: what an older merge brought in is no newer merge's.
    for &merge in mainline.iter().rev() {
        let mut brought = listed(commits[merge].parents.get(1..).unwrap_or_default());
        while let Some(at) = brought.pop() {
            if landing[at].is_none() {
                landing[at] = Some(merge);
                brought.extend(listed(&commits[at].parents));
            }
        }
    }
    landing
}

/// When a file's newest change landed, and who wrote it.
#[derive(Clone, Copy)]
struct Landed<'a> {
    /// The committer date of the mainline commit it landed with.
    date: Date,
    author: &'a str,
    /// While the author is that of a mainline merge (the person who merged), the merge's
    /// position: the first commit it brought in that changed the file names the author instead.
    /// (A change made in the merge itself, such as a conflict resolved, keeps the merge's.)
    merge: Option<usize>,
}

/// What is known of one file while the log is walked back.
#[derive(Default)]
struct Known<'a> {
    /// Author date of the oldest commit seen so far.
    created: Option<Date>,
    /// Whether a mainline commit has touched it, and what that newest one says, unless it was a
    /// boundary commit.
    landed: Option<Option<Landed<'a>>>,
    /// The newest commit that is not a merge, unless it was a boundary commit: what the file's
    /// update falls back to when no mainline commit touches it (a log without the mainline).
    newest: Option<Option<(Date, &'a str)>>,
}

/// The history of every file the log leads to, by its current path. `commits` are newest first,
/// children before parents; `boundary` holds the hashes of a shallow clone's boundary commits,
/// whose parents are missing: such a commit shows every file as added, whether or not it changed
/// it, so it gives a file neither a creation date nor a last change nor an author. A file only
/// such a commit touched is left out (nothing is known of it).
///
/// A file is created on the author date of the oldest commit that touched it: a merge is read
/// before the commits it brought in, so it dates a file's creation only if none of them made the
/// file. It is updated on the committer date of the newest mainline commit that touched it (see
/// [`landings`]), by that commit's author, or for a merge, by the author of the newest commit it
/// brought in that touched the file: who wrote the change, not who merged it.
pub(super) fn files(commits: &[Commit<'_>], boundary: &HashSet<&str>) -> HashMap<String, FileHistory> {
    let landing = landings(commits);
    let mut known: HashMap<&str, Known<'_>> = HashMap::new();
    // Where a path leads, for commits older than those read so far: to the current file named,
    // or (`None`) to a file that is gone. A path not here leads to itself.
    let mut leads: HashMap<&str, Option<&str>> = HashMap::new();
    for (at, commit) in commits.iter().enumerate() {
        let cut = boundary.contains(commit.hash);
        let merge = commit.is_merge();
        let mainline = landing[at] == Some(at);
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
            let file = known.entry(target).or_default();
            file.created = (!cut).then_some(commit.authored);
            if mainline && file.landed.is_none() {
                file.landed = Some((!cut).then_some(Landed {
                    date: commit.committed,
                    author: commit.author,
                    merge: merge.then_some(at),
                }));
            }
            if merge {
                continue;
            }
            if let Some(Some(landed)) = &mut file.landed
                && landed.merge.is_some()
                && landed.merge == landing[at]
                && !cut
            {
                landed.author = commit.author;
                landed.merge = None;
            }
            file.newest
                .get_or_insert((!cut).then_some((commit.committed, commit.author)));
        }
        if merge {
            continue;
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
            let last = match file.landed {
                Some(landed) => landed.map(|l| (l.date, l.author)),
                None => file.newest.flatten(),
            };
            let (updated, author) = last.unzip();
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

    /// A log as git writes it, of a history without merges: each commit's parent is the next.
    fn log(commits: &[TestCommit<'_>]) -> String {
        let parents: Vec<&str> = commits.iter().skip(1).map(|c| c.0).chain([""]).collect();
        let with_parents: Vec<_> = commits.iter().zip(parents).collect();
        graph_log(&with_parents)
    }

    /// A log as git writes it, of commits each with its parents (hashes, space-separated).
    fn graph_log(commits: &[(&TestCommit<'_>, &str)]) -> String {
        let mut out = String::new();
        for ((hash, authored, committed, author, changes), parents) in commits {
            out.push_str(&format!(
                "\u{1e}{hash}\u{1f}{parents}\u{1f}{authored}T10:00:00+01:00\u{1f}{committed}T11:00:00Z\u{1f}{author}\0\n"
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
    fn a_merge_dates_what_its_branch_changed_and_the_branch_names_the_author() {
        let text = graph_log(&[
            (
                &(
                    "m",
                    "2026-09-20",
                    "2026-09-20",
                    "Merger",
                    &[&["M", "a.md"], &["R100", "old.md", "new.md"], &["A", "made.md"]],
                ),
                "main1 b2",
            ),
            (
                &(
                    "b2",
                    "2026-08-02",
                    "2026-08-02",
                    "Bob",
                    &[&["R100", "old.md", "new.md"], &["A", "made.md"]],
                ),
                "b1",
            ),
            (&("b1", "2026-08-01", "2026-08-01", "Bob", &[&["M", "a.md"]]), "base"),
            (
                &("main1", "2026-08-05", "2026-08-05", "Dave", &[&["M", "other.md"]]),
                "base",
            ),
            (
                &(
                    "base",
                    "2026-01-05",
                    "2026-01-05",
                    "Alice",
                    &[&["A", "a.md"], &["A", "old.md"], &["A", "other.md"]],
                ),
                "",
            ),
        ]);
        let files = history(&text, &[]);
        let merged = |created| file(Some(created), Some(date(2026, 9, 20)), Some("Bob"));
        assert_eq!(files["a.md"], merged(date(2026, 1, 5)));
        assert_eq!(
            files["new.md"],
            merged(date(2026, 1, 5)),
            "the rename, listed by the merge and by its commit, is followed once"
        );
        assert_eq!(files["made.md"], merged(date(2026, 8, 2)), "created when written");
        assert_eq!(
            files["other.md"],
            file(Some(date(2026, 1, 5)), Some(date(2026, 8, 5)), Some("Dave"))
        );
        assert_eq!(files.len(), 4, "{files:?}");
    }

    #[test]
    fn main_merged_into_a_branch_redates_nothing() {
        // `main` merged into the branch (as GitHub's "Update branch" does) lists, against the
        // branch, what `main` changed meanwhile: that had landed already, on 09-10.
        let text = graph_log(&[
            (&("m", "2026-09-20", "2026-09-20", "Merger", &[&["M", "a.md"]]), "q f2"),
            (&("f2", "2026-09-16", "2026-09-16", "Bob", &[&["M", "a.md"]]), "up"),
            (&("up", "2026-09-15", "2026-09-15", "Bob", &[&["M", "z.md"]]), "f1 q"),
            (&("q", "2026-09-10", "2026-09-10", "Zed", &[&["M", "z.md"]]), "base"),
            (&("f1", "2026-09-01", "2026-09-01", "Bob", &[&["M", "a.md"]]), "base"),
            (
                &(
                    "base",
                    "2026-01-05",
                    "2026-01-05",
                    "Alice",
                    &[&["A", "a.md"], &["A", "z.md"]],
                ),
                "",
            ),
        ]);
        let files = history(&text, &[]);
        assert_eq!(
            files["z.md"],
            file(Some(date(2026, 1, 5)), Some(date(2026, 9, 10)), Some("Zed"))
        );
        assert_eq!(
            files["a.md"],
            file(Some(date(2026, 1, 5)), Some(date(2026, 9, 20)), Some("Bob"))
        );
    }

    #[test]
    fn a_commit_lands_with_the_first_merge_that_brings_it() {
        // The second branch was started from the first, so both merges reach `p1`.
        let text = graph_log(&[
            (
                &("m2", "2026-09-20", "2026-09-20", "Merger", &[&["M", "two.md"]]),
                "m1 p2",
            ),
            (&("p2", "2026-09-05", "2026-09-05", "Pat", &[&["M", "two.md"]]), "p1"),
            (
                &("m1", "2026-09-10", "2026-09-10", "Merger", &[&["M", "one.md"]]),
                "base p1",
            ),
            (&("p1", "2026-09-01", "2026-09-01", "Kim", &[&["M", "one.md"]]), "base"),
            (
                &(
                    "base",
                    "2026-01-05",
                    "2026-01-05",
                    "Alice",
                    &[&["A", "one.md"], &["A", "two.md"]],
                ),
                "",
            ),
        ]);
        let files = history(&text, &[]);
        assert_eq!(files["one.md"].updated, Some(date(2026, 9, 10)));
        assert_eq!(files["one.md"].author.as_deref(), Some("Kim"));
        assert_eq!(files["two.md"].updated, Some(date(2026, 9, 20)));
        assert_eq!(files["two.md"].author.as_deref(), Some("Pat"));
    }

    #[test]
    fn a_change_made_in_the_merge_is_the_mergers_and_one_it_discarded_is_no_change() {
        let text = graph_log(&[
            // The conflict resolved in the merge changed `c.md`; `d.md`, changed on the branch,
            // was kept as `main` had it.
            (
                &("m", "2026-09-20", "2026-09-20", "Merger", &[&["M", "c.md"]]),
                "base b1",
            ),
            (&("b1", "2026-08-01", "2026-08-01", "Bob", &[&["M", "d.md"]]), "base"),
            (
                &(
                    "base",
                    "2026-01-05",
                    "2026-01-05",
                    "Alice",
                    &[&["A", "c.md"], &["A", "d.md"]],
                ),
                "",
            ),
        ]);
        let files = history(&text, &[]);
        assert_eq!(
            files["c.md"],
            file(Some(date(2026, 1, 5)), Some(date(2026, 9, 20)), Some("Merger"))
        );
        assert_eq!(
            files["d.md"],
            file(Some(date(2026, 1, 5)), Some(date(2026, 1, 5)), Some("Alice"))
        );
    }

    #[test]
    fn a_file_no_mainline_commit_reaches_is_dated_by_its_newest_commit() {
        // Commits the newest one does not lead to: no history git writes, but what they say is
        // kept rather than lost.
        let text = graph_log(&[
            (&("top", "2026-09-01", "2026-09-01", "Carol", &[]), "elsewhere"),
            (&("b1", "2026-08-01", "2026-08-02", "Bob", &[&["M", "a.md"]]), "base"),
            (&("base", "2026-01-05", "2026-01-05", "Alice", &[&["A", "a.md"]]), ""),
        ]);
        let files = history(&text, &[]);
        assert_eq!(
            files["a.md"],
            file(Some(date(2026, 1, 5)), Some(date(2026, 8, 2)), Some("Bob"))
        );
    }

    #[test]
    fn unreadable_headers_skip_their_commit() {
        let text = format!(
            "\u{1e}bad\u{1f}\u{1f}yesterday\0\nA\0a.md\0{}",
            log(&[("c1", "2026-01-05", "2026-01-05", "Alice", &[&["A", "b.md"]])])
        );
        let files = history(&text, &[]);
        assert_eq!(files.keys().collect::<Vec<_>>(), ["b.md"]);
    }
}
