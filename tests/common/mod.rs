//! Helpers shared by the integration tests: fixture handbooks in temporary folders, running the
//! binary, and checking that every relative link of a built site reaches a file.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A handbook written into a temporary folder.
pub struct Fixture {
    pub dir: TempDir,
}

impl Fixture {
    /// Writes `files` (path, text) under a new temporary folder.
    pub fn new(files: &[(&str, &str)]) -> Fixture {
        let fixture = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        for (path, text) in files {
            fixture.write(path, text);
        }
        fixture
    }

    /// Copies the fixture folder `folder` (a handbook kept under `tests/`), less the files
    /// named in `leave_out` (relative to it), into a new temporary folder.
    pub fn copy_of(folder: &Path, leave_out: &[&str]) -> Fixture {
        let fixture = Fixture::new(&[]);
        for entry in walkdir::WalkDir::new(folder) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(folder).unwrap();
            if entry.file_type().is_file() && !leave_out.iter().any(|name| rel == Path::new(name)) {
                let bytes = std::fs::read(entry.path()).unwrap();
                fixture.write_bytes(&rel.to_string_lossy(), &bytes);
            }
        }
        fixture
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// `handbook --root <fixture> args…` with a fixed "today".
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = handbook();
        cmd.arg("--root").arg(self.root()).args(args);
        cmd
    }
}

/// The binary, with a fixed date so overdue items are stable.
pub fn handbook() -> Command {
    let mut cmd = Command::cargo_bin("handbook").unwrap();
    cmd.env("HANDBOOK_TODAY", "2026-11-25").env("NO_COLOR", "1");
    cmd
}

/// Standard error with no warning or error in it (notes, such as "no git history", are fine).
pub fn quiet() -> impl predicates::Predicate<str> {
    use predicates::prelude::*;
    predicate::str::contains("warning")
        .not()
        .and(predicate::str::contains("error").not())
}

/// Every `href="…"` and `src="…"` value in `html`.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').unwrap();
            found.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    found
}

/// Checks that every relative link in every HTML file under `site` reaches a file (a folder link
/// must reach its index.html, as it would from `file://`), and every `#fragment` an element id,
/// percent-encoded or not.
/// Returns the problems found.
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(site) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let page = entry.path().strip_prefix(site).unwrap().display().to_string();
        if page == "404.html" {
            continue;
        }
        for link in links(&html) {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("tel:") {
                continue;
            }
            // A browser reads `%C3%A9` as `é` in both.
            let link = percent_encoding::percent_decode_str(&link).decode_utf8_lossy();
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                entry.path().to_path_buf()
            } else {
                entry.path().parent().unwrap().join(path)
            };
            if !target.is_file() {
                problems.push(format!("{page}: {link} does not reach a file"));
                continue;
            }
            if !fragment.is_empty() && target.extension().is_some_and(|e| e == "html") {
                let text = std::fs::read_to_string(&target).unwrap();
                if !text.contains(&format!("id=\"{fragment}\"")) {
                    problems.push(format!("{page}: {link} has no element with that id"));
                }
            }
        }
    }
    problems
}

/// Commits everything in `hb` as `author` on `date` (git is run with a fixed identity and no
/// user configuration).
pub fn commit(hb: &Fixture, author: &str, date: &str, message: &str) {
    commit_dated(hb, author, date, date, message);
}

/// Commits everything in `hb` as `author`, written on `authored` and committed on `committed`
/// (as a rebase leaves a commit: its author date kept, its committer date new).
pub fn commit_dated(hb: &Fixture, author: &str, authored: &str, committed: &str, message: &str) {
    let run = |args: &[&str]| git_as(hb, author, authored, committed, args);
    if !hb.path(".git").exists() {
        run(&["init", "-q", "-b", "main"]);
    }
    run(&["add", "-A"]);
    run(&["commit", "-q", "-m", message]);
}

/// Runs git in `hb` with a fixed identity and dates and no user configuration.
pub fn git(hb: &Fixture, args: &[&str]) {
    git_as(hb, "Test", "2026-01-01", "2026-01-01", args);
}

/// Runs git in `hb` as `author`, with author date `authored` and committer date `committed`
/// (at noon UTC), without the user's or the system's configuration.
pub fn git_as(hb: &Fixture, author: &str, authored: &str, committed: &str, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(hb.root())
        .args(args)
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", format!("{}@example.com", author.to_lowercase()))
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", "ci@example.com")
        .env("GIT_AUTHOR_DATE", format!("{authored}T12:00:00+00:00"))
        .env("GIT_COMMITTER_DATE", format!("{committed}T12:00:00+00:00"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", hb.root())
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// Whether git can be run here (tests that need a repository skip without it).
pub fn has_git() -> bool {
    std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The value of the text of a single-quoted JavaScript string literal (without its quotes), read
/// as JavaScript reads it: `\\`, `\'`, `\xHH` and `\uHHHH` escapes. Panics on any other escape,
/// or on a quote or line break that would end the string in JavaScript.
pub fn js_single_quoted(body: &str) -> String {
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        assert!(
            !matches!(c, '\'' | '\n' | '\r' | '\u{2028}' | '\u{2029}'),
            "{c:?} ends the string early"
        );
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escaped = chars.next().expect("an escape");
        let hex = |chars: &mut std::str::Chars<'_>, n: usize| {
            let digits: String = chars.take(n).collect();
            char::from_u32(u32::from_str_radix(&digits, 16).unwrap()).unwrap()
        };
        out.push(match escaped {
            '\\' | '\'' => escaped,
            'x' => hex(&mut chars, 2),
            'u' => hex(&mut chars, 4),
            other => panic!("unexpected escape \\{other}"),
        });
    }
    out
}
