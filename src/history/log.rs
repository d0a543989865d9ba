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
mod tests;
