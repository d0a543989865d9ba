//! History you can trust: renames keep a page's creation date, rebased and merged changes are
//! news when they land and never predate the page, a merge is credited to who wrote the change,
//! a shallow clone invents no dates or authors, a repository without commits says so, and the
//! sitemap dates every page as the page itself does. Each test builds a real git repository.

mod common;

use std::collections::BTreeMap;

use common::{Fixture, commit, commit_dated, git, git_as, has_git, quiet};
use predicates::prelude::*;

/// What a page's footer says: the "Last updated" date and the author, if any.
fn last_updated(html: &str) -> Option<(String, Option<String>)> {
    let at = html.find("Last updated <time datetime=\"")?;
    let rest = &html[at + "Last updated <time datetime=\"".len()..];
    let date = rest[..rest.find('"')?].to_string();
    let after = &rest[rest.find("</time>")? + "</time>".len()..];
    let author = after
        .strip_prefix(" by ")
        .map(|a| a[..a.find("</p>").unwrap_or(a.len())].to_string());
    Some((date, author))
}

/// One entry of an Atom feed.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    updated: String,
    published: Option<String>,
    author: Option<String>,
}

/// The entries of the Atom feed `xml`, by title.
fn feed(xml: &str) -> BTreeMap<String, Entry> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed Atom");
    let text = |node: roxmltree::Node, tag: &str| {
        node.descendants()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
            .map(|t| t.trim_end_matches("T00:00:00Z").to_string())
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let entry = Entry {
                updated: text(e, "updated").unwrap(),
                published: text(e, "published"),
                author: text(e, "name"),
            };
            (text(e, "title").unwrap(), entry)
        })
        .collect()
}

/// What's new, week by week: each week's Monday with its changes as `what: title date`.
fn whats_new(html: &str) -> Vec<(String, Vec<String>)> {
    html.split("Week of <time datetime=\"")
        .skip(1)
        .map(|week| {
            let monday = week[..10].to_string();
            let changes = week
                .split("<span class=\"what\">")
                .skip(1)
                .map(|item| {
                    let what = &item[..item.find("</span>").unwrap()];
                    let title_at = item.find("\">").unwrap() + 2;
                    let title = &item[title_at..item.find("</a>").unwrap()];
                    let date_at = item.find("<time datetime=\"").unwrap() + "<time datetime=\"".len();
                    format!("{what}: {title} {}", &item[date_at..date_at + 10])
                })
                .collect();
            (monday, changes)
        })
        .collect()
}

/// Every change what's new lists, whatever the week.
fn all_changes(hb: &Fixture) -> Vec<String> {
    whats_new(&hb.read("public/changes/index.html"))
        .into_iter()
        .flat_map(|(_, changes)| changes)
        .collect()
}

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n{body}\n")
}

/// Ten lines of text, so that git sees a file with one of them changed as the same file.
fn long_text(last: &str) -> String {
    (1..10).map(|n| format!("Line {n} of the guide.\n")).collect::<String>() + last + "\n"
}

#[test]
fn a_moved_page_keeps_its_creation_date_and_is_not_new() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        ("content/guides/setup.md", &page("Setup", "Install.")),
        ("content/guides/tools.md", &page("Tools", &long_text("The end."))),
    ]);
    commit(&hb, "Alice", "2026-01-05", "first");
    git(&hb, &["mv", "content/guides/setup.md", "content/guides/set-up.md"]);
    commit(&hb, "Bob", "2026-06-01", "rename only");
    // A chain: moved again, to another folder; a new page takes the first path; the tools
    // page moves with a small edit.
    std::fs::create_dir_all(hb.path("content/onboarding")).unwrap();
    git(&hb, &["mv", "content/guides/set-up.md", "content/onboarding/setup.md"]);
    hb.write("content/guides/setup.md", &page("Setup again", "A new page."));
    git(&hb, &["mv", "content/guides/tools.md", "content/guides/toolbox.md"]);
    hb.write("content/guides/toolbox.md", &page("Tools", &long_text("The very end.")));
    commit(&hb, "Carol", "2026-11-18", "move again");

    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let moved = hb.read("public/onboarding/setup/index.html");
    assert_eq!(last_updated(&moved), Some(("2026-11-18".into(), Some("Carol".into()))));
    let feed = feed(&hb.read("public/feed.xml"));
    assert_eq!(
        feed["Setup"],
        Entry {
            updated: "2026-11-18".into(),
            published: Some("2026-01-05".into()),
            author: Some("Carol".into())
        }
    );
    assert_eq!(
        feed["Tools"].published.as_deref(),
        Some("2026-01-05"),
        "moved with an edit"
    );
    assert_eq!(
        feed["Setup again"].published.as_deref(),
        Some("2026-11-18"),
        "a new file at an old path is new"
    );
    let changes = all_changes(&hb);
    for expected in [
        "new page: Setup 2026-01-05",
        "page updated: Setup 2026-11-18",
        "new page: Tools 2026-01-05",
        "page updated: Tools 2026-11-18",
        "new page: Setup again 2026-11-18",
    ] {
        assert!(changes.contains(&expected.to_string()), "{expected}: {changes:#?}");
    }
    assert!(
        !changes.iter().any(|c| c.starts_with("new page: Setup 2026-06")),
        "{changes:#?}"
    );
    assert_eq!(changes.len(), 5, "{changes:#?}");
}

#[test]
fn a_rebased_change_lands_when_it_was_committed_and_never_before_the_page() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        ("content/guides/setup.md", &page("Setup", "Install.")),
        ("content/guides/other.md", &page("Other", "Other.")),
    ]);
    commit(&hb, "Alice", "2026-09-01", "first");
    // Written 17 months before the page existed, rebased onto the history today.
    hb.write("content/guides/setup.md", &page("Setup", "Install, then configure."));
    commit_dated(&hb, "Bob", "2025-04-01", "2026-11-18", "old work, rebased");

    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let setup = hb.read("public/guides/setup/index.html");
    assert_eq!(last_updated(&setup), Some(("2026-11-18".into(), Some("Bob".into()))));
    let entry = &feed(&hb.read("public/feed.xml"))["Setup"];
    assert_eq!(entry.published.as_deref(), Some("2026-09-01"));
    assert_eq!(entry.updated, "2026-11-18");
    assert!(entry.published.as_deref() <= Some(entry.updated.as_str()));
    let weeks = whats_new(&hb.read("public/changes/index.html"));
    assert_eq!(
        weeks[0],
        (
            "2026-11-16".to_string(),
            vec!["page updated: Setup 2026-11-18".to_string()]
        ),
        "the rebased change is this week's news: {weeks:#?}"
    );
    let sitemap = hb.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.com/guides/setup/</loc><lastmod>2026-11-18</lastmod>"),
        "{sitemap}"
    );
}

/// Runs git in `hb` as `who`, on `day` (author and committer date alike).
fn git_on(hb: &Fixture, who: &str, day: &str, args: &[&str]) {
    git_as(hb, who, day, day, args);
}

#[test]
fn a_merged_branch_is_dated_when_it_landed_and_credited_to_who_wrote_it() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        ("content/guides/setup.md", &page("Setup", "Install.")),
        ("content/guides/old-tools.md", &page("Tools", &long_text("The end."))),
        ("content/guides/other.md", &page("Other", "Other.")),
    ]);
    commit(&hb, "Alice", "2026-01-05", "first");
    // A pull request: a change, a rename and a new page, written in August on a branch…
    git(&hb, &["checkout", "-q", "-b", "feature"]);
    hb.write("content/guides/setup.md", &page("Setup", "Install, then configure."));
    commit(&hb, "Bob", "2026-08-01", "configure");
    git(&hb, &["mv", "content/guides/old-tools.md", "content/guides/tools.md"]);
    commit(&hb, "Bob", "2026-08-02", "rename");
    hb.write("content/guides/brand-new.md", &page("Brand new", "New."));
    commit(&hb, "Bob", "2026-08-03", "new page");
    // …while `main` moves on…
    git(&hb, &["checkout", "-q", "main"]);
    hb.write("content/guides/other.md", &page("Other", "Other, changed."));
    commit(&hb, "Dave", "2026-08-05", "other");
    // …and merged in September, as GitHub's merge button does.
    git_on(
        &hb,
        "Merger",
        "2026-09-20",
        &["merge", "-q", "--no-ff", "-m", "Merge pull request #1", "feature"],
    );

    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let setup = hb.read("public/guides/setup/index.html");
    assert_eq!(last_updated(&setup), Some(("2026-09-20".into(), Some("Bob".into()))));
    let feed = feed(&hb.read("public/feed.xml"));
    let entry = |published: &str, updated: &str, author: &str| Entry {
        updated: updated.into(),
        published: Some(published.into()),
        author: Some(author.into()),
    };
    assert_eq!(feed["Setup"], entry("2026-01-05", "2026-09-20", "Bob"));
    assert_eq!(
        feed["Tools"],
        entry("2026-01-05", "2026-09-20", "Bob"),
        "renamed on the branch: the merge lists the rename too, and the creation stays"
    );
    assert_eq!(
        feed["Brand new"],
        entry("2026-08-03", "2026-09-20", "Bob"),
        "created when written on the branch, updated when merged"
    );
    assert_eq!(feed["Other"], entry("2026-01-05", "2026-08-05", "Dave"));
    let weeks = whats_new(&hb.read("public/changes/index.html"));
    assert_eq!(weeks[0].0, "2026-09-14", "{weeks:#?}");
    let mut landed = weeks[0].1.clone();
    landed.sort();
    assert_eq!(
        landed,
        [
            "page updated: Brand new 2026-09-20",
            "page updated: Setup 2026-09-20",
            "page updated: Tools 2026-09-20"
        ],
        "the merge is this week's news: {weeks:#?}"
    );
    let changes = all_changes(&hb);
    for expected in [
        "new page: Setup 2026-01-05",
        "new page: Tools 2026-01-05",
        "new page: Other 2026-01-05",
        "page updated: Other 2026-08-05",
        "new page: Brand new 2026-08-03",
    ] {
        assert!(changes.contains(&expected.to_string()), "{expected}: {changes:#?}");
    }
    assert_eq!(changes.len(), 8, "{changes:#?}");
    assert!(
        hb.read("public/sitemap.xml")
            .contains("<loc>https://example.com/guides/setup/</loc><lastmod>2026-09-20</lastmod>")
    );
    for name in ["setup", "tools", "brand-new", "other"] {
        let html = hb.read(&format!("public/guides/{name}/index.html"));
        assert!(!html.contains("Merger"), "{name}: who merged wrote nothing");
    }
}

#[test]
fn main_merged_into_a_branch_redates_nothing() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        ("content/guides/a.md", &page("Alpha", "A.")),
        ("content/guides/z.md", &page("Zulu", "Z.")),
    ]);
    commit(&hb, "Alice", "2026-01-05", "first");
    git(&hb, &["checkout", "-q", "-b", "feature"]);
    hb.write("content/guides/a.md", &page("Alpha", "A, changed."));
    commit(&hb, "Bob", "2026-09-01", "alpha");
    git(&hb, &["checkout", "-q", "main"]);
    hb.write("content/guides/z.md", &page("Zulu", "Z, changed."));
    commit(&hb, "Zed", "2026-09-10", "zulu");
    // The branch brought up to date, as GitHub's "Update branch" does: its merge lists, against
    // the branch, the change to Zulu, which had landed on `main` on 09-10.
    git(&hb, &["checkout", "-q", "feature"]);
    git_on(
        &hb,
        "Bob",
        "2026-09-15",
        &["merge", "-q", "-m", "Merge branch 'main' into feature", "main"],
    );
    hb.write("content/guides/a.md", &page("Alpha", "A, changed again."));
    commit(&hb, "Bob", "2026-09-16", "alpha again");
    git(&hb, &["checkout", "-q", "main"]);
    git_on(
        &hb,
        "Merger",
        "2026-09-20",
        &["merge", "-q", "--no-ff", "-m", "Merge pull request #2", "feature"],
    );

    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let page = |name: &str| last_updated(&hb.read(&format!("public/guides/{name}/index.html")));
    assert_eq!(page("z"), Some(("2026-09-10".into(), Some("Zed".into()))));
    assert_eq!(page("a"), Some(("2026-09-20".into(), Some("Bob".into()))));
}

#[test]
fn squash_and_rebase_merges_are_dated_when_they_land() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        ("content/guides/squashed.md", &page("Squashed", "S.")),
        ("content/guides/rebased.md", &page("Rebased", "R.")),
    ]);
    commit(&hb, "Alice", "2026-01-05", "first");
    // Squash and merge: the branch's commits become one new commit on `main`, by the pull
    // request's author, dated when it was made.
    git(&hb, &["checkout", "-q", "-b", "squash"]);
    hb.write("content/guides/squashed.md", &page("Squashed", "S, changed."));
    commit(&hb, "Bob", "2026-08-01", "one");
    hb.write("content/guides/squash-new.md", &page("Squash new", "New."));
    commit(&hb, "Bob", "2026-08-02", "two");
    git(&hb, &["checkout", "-q", "main"]);
    git_on(&hb, "Bob", "2026-09-20", &["merge", "-q", "--squash", "squash"]);
    commit(&hb, "Bob", "2026-09-20", "Squashed pull request #3");
    // Rebase and merge: the branch's commits replayed onto `main`, keeping their author dates.
    git(&hb, &["checkout", "-q", "-b", "rebase", "HEAD~1"]);
    hb.write("content/guides/rebased.md", &page("Rebased", "R, changed."));
    commit(&hb, "Carol", "2026-08-10", "rebased change");
    git_on(&hb, "Merger", "2026-09-22", &["rebase", "-q", "main"]);
    git(&hb, &["checkout", "-q", "main"]);
    git(&hb, &["merge", "-q", "--ff-only", "rebase"]);

    hb.cmd(&["build"]).assert().success().stderr(quiet());
    let feed = feed(&hb.read("public/feed.xml"));
    let dates = |title: &str| (feed[title].published.as_deref(), feed[title].updated.as_str());
    assert_eq!(dates("Squashed"), (Some("2026-01-05"), "2026-09-20"));
    assert_eq!(
        dates("Squash new"),
        (Some("2026-09-20"), "2026-09-20"),
        "a squash is a new commit"
    );
    assert_eq!(dates("Rebased"), (Some("2026-01-05"), "2026-09-22"));
    assert_eq!(feed["Squashed"].author.as_deref(), Some("Bob"));
    assert_eq!(feed["Rebased"].author.as_deref(), Some("Carol"));
}

#[test]
fn a_repository_without_commits_says_so() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        ("docs/handbook.toml", "title = \"Docs\"\n"),
        ("docs/content/guides/setup.md", &page("Setup", "Install.")),
        ("README.md", "The project.\n"),
    ]);
    git(&hb, &["init", "-q", "-b", "main"]);
    let build = || {
        let out = common::handbook()
            .arg("--root")
            .arg(hb.path("docs"))
            .arg("build")
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    let stderr = build();
    assert!(stderr.contains("note[no-history]"), "{stderr}");
    assert!(stderr.contains("has no commits yet"), "{stderr}");
    assert!(stderr.contains("git add -A && git commit"), "{stderr}");
    assert!(!stderr.contains("not in a git repository"), "{stderr}");

    // Commits, but none to the handbook.
    git(&hb, &["add", "README.md"]);
    git(&hb, &["commit", "-q", "-m", "readme"]);
    let stderr = build();
    assert!(
        stderr.contains("no commit has touched the handbook's files yet"),
        "{stderr}"
    );

    git(&hb, &["add", "-A"]);
    git(&hb, &["commit", "-q", "-m", "handbook"]);
    let stderr = build();
    assert!(!stderr.contains("no-history"), "{stderr}");
    let setup = std::fs::read_to_string(hb.path("docs/public/guides/setup/index.html")).unwrap();
    assert_eq!(last_updated(&setup), Some(("2026-01-01".into(), Some("Test".into()))));
}

/// A stand-in for git in a folder of its own: it refuses `log` as a git older than 2.31 refuses
/// `--diff-merges=first-parent`, and hands every other command to `real`.
#[cfg(unix)]
fn old_git(real: &std::path::Path) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("git");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor arg; do [ \"$arg\" = log ] && {{ echo \"fatal: unrecognized argument: --diff-merges=first-parent\" >&2; exit 128; }}; done\nexec '{}' \"$@\"\n",
            real.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn without_git_or_with_one_too_old_the_note_says_so() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        ("handbook.toml", "title = \"Docs\"\n"),
        ("content/guides/setup.md", &page("Setup", "Install.")),
    ]);
    commit(&hb, "Alice", "2026-01-05", "first");
    let build = |path: &std::path::Path| {
        let out = hb.cmd(&["build"]).env("PATH", path).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    let nothing = tempfile::tempdir().unwrap();
    let stderr = build(nothing.path());
    assert!(stderr.contains("note[no-history]: git is not installed"), "{stderr}");

    let which = std::process::Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .unwrap();
    let real = std::path::PathBuf::from(String::from_utf8(which.stdout).unwrap().trim());
    let old = old_git(&real);
    let stderr = build(old.path());
    assert!(
        stderr.contains("`git log` could not read the handbook's history (fatal: unrecognized argument"),
        "{stderr}"
    );
    assert!(stderr.contains("git 2.31 or later"), "{stderr}");
}

/// A handbook with three commits: `a` and `b` added first, `b` changed, then `c` changed and
/// `d` added.
fn three_commits() -> Fixture {
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        ("content/guides/a.md", &page("Alpha", "A.")),
        ("content/guides/b.md", &page("Bravo", "B.")),
        ("content/guides/c.md", &page("Charlie", "C.")),
    ]);
    commit(&hb, "Alice", "2026-01-05", "first");
    hb.write("content/guides/b.md", &page("Bravo", "B, changed."));
    commit(&hb, "Bob", "2026-03-02", "second");
    hb.write("content/guides/c.md", &page("Charlie", "C, changed."));
    hb.write("content/guides/d.md", &page("Delta", "D."));
    commit(&hb, "Carol", "2026-11-18", "third");
    hb
}

/// A clone of `origin` with its last `depth` commits.
fn shallow_clone(origin: &Fixture, depth: &str) -> Fixture {
    let clone = Fixture::new(&[]);
    let url = format!("file://{}", origin.root().display());
    git(&clone, &["clone", "-q", "--depth", depth, &url, "."]);
    clone
}

#[test]
fn a_shallow_clone_invents_no_dates_or_authors() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let origin = three_commits();
    let hb = shallow_clone(&origin, "1");
    hb.cmd(&["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("note[shallow-history]"))
        .stderr(predicate::str::contains("git fetch --unshallow"))
        .stderr(predicate::str::contains("fetch-depth: 0"))
        .stderr(predicate::str::contains("GIT_DEPTH: 0"));
    for name in ["a", "b", "c", "d"] {
        let html = hb.read(&format!("public/guides/{name}/index.html"));
        assert_eq!(last_updated(&html), None, "{name}");
        assert!(!html.contains("Carol"), "{name}");
    }
    assert!(feed(&hb.read("public/feed.xml")).is_empty());
    assert_eq!(all_changes(&hb), Vec::<String>::new());
    assert!(
        !hb.read("public/sitemap.xml").contains("<lastmod>"),
        "no page has a known date"
    );

    // Two commits: the older is the boundary, where every file looks added.
    let hb = shallow_clone(&origin, "2");
    hb.cmd(&["build"]).assert().success();
    let page = |name: &str| hb.read(&format!("public/guides/{name}/index.html"));
    assert_eq!(last_updated(&page("a")), None, "only the boundary touched it");
    assert_eq!(
        last_updated(&page("b")),
        None,
        "changed in the boundary commit, but who can tell"
    );
    assert_eq!(
        last_updated(&page("c")),
        Some(("2026-11-18".into(), Some("Carol".into())))
    );
    assert_eq!(
        last_updated(&page("d")),
        Some(("2026-11-18".into(), Some("Carol".into())))
    );
    let feed = feed(&hb.read("public/feed.xml"));
    assert_eq!(feed["Charlie"].published, None, "its creation is beyond the boundary");
    assert_eq!(feed["Delta"].published.as_deref(), Some("2026-11-18"));
    assert_eq!(feed.len(), 2, "{feed:?}");
    assert_eq!(
        all_changes(&hb),
        ["page updated: Charlie 2026-11-18", "new page: Delta 2026-11-18"]
    );

    // The full history has it all.
    origin
        .cmd(&["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("shallow").not());
    let b = origin.read("public/guides/b/index.html");
    assert_eq!(last_updated(&b), Some(("2026-03-02".into(), Some("Bob".into()))));
}

#[test]
fn the_sitemap_lists_every_page_dated_as_the_page_is() {
    if !has_git() {
        eprintln!("git is missing: skipped");
        return;
    }
    let hb = Fixture::new(&[
        ("handbook.toml", "base_url = \"https://example.com/\"\n"),
        (
            "content/guides/_index.md",
            "+++\ntitle = \"Guides\"\n+++\nAll guides.\n",
        ),
        (
            "content/guides/setup.md",
            "+++\ntitle = \"Setup\"\ntags = [\"ops\"]\n+++\nInstall.\n",
        ),
        (
            "content/guides/deep/pinned.md",
            "+++\ntitle = \"Pinned\"\nupdated = 2025-01-01\ntags = [\"ops\", \"old\"]\n+++\nOld.\n",
        ),
        (
            "content/decisions/0001-use-postgres.md",
            "+++\ntitle = \"Use Postgres\"\nstatus = \"accepted\"\ndate = 2026-01-02\n+++\nYes.\n",
        ),
        (
            "content/meetings/2026-02-03-sync.md",
            "+++\ntitle = \"Sync\"\n+++\n- [ ] @ana Write it down\n",
        ),
        ("content/people/ana.md", "+++\ntitle = \"Ana\"\n+++\nHello.\n"),
    ]);
    commit(&hb, "Alice", "2026-02-05", "first");
    hb.write(
        "content/guides/setup.md",
        "+++\ntitle = \"Setup\"\ntags = [\"ops\"]\n+++\nInstall it.\n",
    );
    commit(&hb, "Bob", "2026-03-10", "second");
    hb.write(
        "content/guides/_index.md",
        "+++\ntitle = \"Guides\"\n+++\nEvery guide.\n",
    );
    commit(&hb, "Bob", "2026-04-01", "third");
    hb.cmd(&["build"]).assert().success().stderr(quiet());

    let xml = hb.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let sitemap: BTreeMap<String, Option<String>> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|url| {
            let text = |tag| url.children().find(|n| n.has_tag_name(tag)).and_then(|n| n.text());
            let loc = text("loc").unwrap().strip_prefix("https://example.com/").unwrap();
            (loc.to_string(), text("lastmod").map(String::from))
        })
        .collect();
    let lastmod = |path: &str| {
        sitemap
            .get(path)
            .unwrap_or_else(|| panic!("{path} is missing: {sitemap:#?}"))
            .as_deref()
    };
    // Content pages: the day their footer gives.
    for (path, shown) in [
        ("guides/setup/", "2026-03-10"),
        ("guides/deep/pinned/", "2025-01-01"),
        ("decisions/0001-use-postgres/", "2026-02-05"),
        ("meetings/2026-02-03-sync/", "2026-02-05"),
        ("people/ana/", "2026-02-05"),
    ] {
        let html = hb.read(&format!("public/{path}index.html"));
        assert_eq!(
            last_updated(&html).map(|(date, _)| date).as_deref(),
            Some(shown),
            "{path}"
        );
        assert_eq!(lastmod(path), Some(shown), "{path}");
    }
    // Generated pages: the newest of what they list (and of their own text).
    for (path, newest) in [
        ("", "2026-03-10"),
        ("guides/", "2026-04-01"),
        ("guides/deep/", "2025-01-01"),
        ("tags/", "2026-03-10"),
        ("tags/ops/", "2026-03-10"),
        ("tags/old/", "2025-01-01"),
        ("decisions/", "2026-02-05"),
        ("decisions/status/accepted/", "2026-02-05"),
        ("meetings/", "2026-02-05"),
        ("actions/", "2026-02-05"),
        ("people/", "2026-02-05"),
        ("changes/", "2026-03-10"),
    ] {
        assert_eq!(lastmod(path), Some(newest), "{path}");
    }
    for not_a_page in [
        "search/",
        "404.html",
        "feed.xml",
        "decisions/feed.xml",
        "sitemap.xml",
        // Indexes of nothing: the handbook has no protocols.
        "protocols/",
        "reviews/",
    ] {
        assert!(!sitemap.contains_key(not_a_page), "{not_a_page}");
    }
    assert!(!xml.contains("search"), "{xml}");
}
