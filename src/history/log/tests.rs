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
