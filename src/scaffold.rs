//! Scaffolding: `handbook init` and `handbook new`. Both write new files only, never over an
//! existing one.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::config::{CONFIG_FILE, Config};
use crate::content::Kind;
use crate::content::load::{CONTENT_DIR, number_prefix};
use crate::diagnostics::Diagnostic;

/// Why scaffolding failed.
#[derive(Debug)]
pub enum ScaffoldError {
    /// The file is there already; it was left alone.
    Exists(PathBuf),
    /// `handbook.toml` is invalid, so the folders are unknown.
    Config(Vec<Diagnostic>),
    /// Only decisions, meetings and protocols can be created.
    Kind(Kind),
    /// The file system failed.
    Io {
        /// The path being written.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
}

impl std::fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScaffoldError::Exists(path) => write!(f, "{} already exists; it was left unchanged", path.display()),
            ScaffoldError::Config(_) => write!(f, "{CONFIG_FILE} is invalid"),
            ScaffoldError::Kind(kind) => write!(f, "cannot create a {kind}; use decision, meeting or protocol"),
            ScaffoldError::Io { path, source } => write!(f, "cannot write {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for ScaffoldError {}

/// Writes `text` to a new file, creating its folder; fails if the file exists.
fn create(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let io = |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
            return Err(ScaffoldError::Exists(path.to_path_buf()));
        }
        Err(err) => return Err(io(err)),
    };
    file.write_all(text.as_bytes()).map_err(io)
}

/// Creates a new handbook in `dir`: configuration, one record of each kind and a README for the
/// team. Returns the files written.
pub fn init(dir: &Path, today: Date) -> Result<Vec<PathBuf>, ScaffoldError> {
    for existing in [dir.join(CONFIG_FILE), dir.join(CONTENT_DIR)] {
        if existing.exists() {
            return Err(ScaffoldError::Exists(existing));
        }
    }
    let name = dir
        .canonicalize()
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Team".into());
    let title = format!("{} handbook", capitalize(&name.replace(['-', '_'], " ")));
    let files = [
        (CONFIG_FILE.to_string(), config_text(&title)),
        ("README.md".to_string(), readme_text(&title)),
        (format!("{CONTENT_DIR}/_index.md"), home_text(&title)),
        (
            format!("{CONTENT_DIR}/decisions/0001-record-architecture-decisions.md"),
            first_decision_text(today),
        ),
        (
            format!("{CONTENT_DIR}/meetings/{today}-kickoff.md"),
            kickoff_text(today),
        ),
        (
            format!("{CONTENT_DIR}/protocols/how-we-work.md"),
            protocol_text("How we work", today),
        ),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if path.ends_with("README.md") && path.exists() {
            continue;
        }
        create(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// Creates a new record of `kind` titled `title` in the handbook at `root`, returning its path.
pub fn new_record(root: &Path, kind: Kind, title: &str, today: Date) -> Result<PathBuf, ScaffoldError> {
    let config = Config::load(root).map_err(ScaffoldError::Config)?;
    let folders = &config.folders;
    let slug = slug::slugify(title);
    let content = root.join(CONTENT_DIR);
    let (path, text) = match kind {
        Kind::Decision => {
            let folder = content.join(first(&folders.decisions, "decisions"));
            let number = next_decision_number(&folder)?;
            let path = folder.join(format!("{number:04}-{slug}.md"));
            (path, decision_text(title, today))
        }
        Kind::Meeting => {
            let folder = content.join(first(&folders.meetings, "meetings"));
            (folder.join(format!("{today}-{slug}.md")), meeting_text(title, today))
        }
        Kind::Protocol => {
            let folder = content.join(first(&folders.protocols, "protocols"));
            (folder.join(format!("{slug}.md")), protocol_text(title, today))
        }
        other => return Err(ScaffoldError::Kind(other)),
    };
    create(&path, &text)?;
    Ok(path)
}

fn first<'a>(folders: &'a [String], fallback: &'a str) -> &'a str {
    folders.first().map_or(fallback, String::as_str)
}

/// One more than the highest `NNNN-` number in `folder` (1 in an empty or missing folder).
fn next_decision_number(folder: &Path) -> Result<u32, ScaffoldError> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(1),
        Err(source) => {
            return Err(ScaffoldError::Io {
                path: folder.to_path_buf(),
                source,
            });
        }
    };
    let highest = entries
        .filter_map(Result::ok)
        .filter_map(|e| number_prefix(&e.file_name().to_string_lossy()))
        .max()
        .unwrap_or(0);
    Ok(highest + 1)
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Quotes text for a TOML string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn config_text(title: &str) -> String {
    format!(
        r#"# Configuration of this handbook. Every key is optional; README.md lists them all.
title = {title}
description = ""
# The address the site is published at, used for the sitemap and canonical links.
base_url = ""
# Time zone for meetings that do not name one.
timezone = "UTC"

[protocols]
# How often a protocol is reviewed unless it says otherwise.
review_every = "6 months"
"#,
        title = quoted(title)
    )
}

fn readme_text(title: &str) -> String {
    format!(
        "# {title}\n\nThis is our team handbook: how we work (`content/protocols/`), what we decided and why \
(`content/decisions/`), and what we discussed (`content/meetings/`).\n\n\
- Build the site: `handbook build` (into `public/`), or check it without writing: `handbook check`.\n\
- Record a decision: `handbook new decision \"Use Postgres\"`.\n\
- Write up a meeting: `handbook new meeting \"Weekly sync\"`; action items are task-list items such as \
`- [ ] @alice Draft the rota (due 2026-12-01)`.\n\
- Add a protocol: `handbook new protocol \"On-call\"`.\n\n\
Change anything by pull request; the build fails on broken links and bad metadata.\n"
    )
}

fn home_text(title: &str) -> String {
    format!(
        "+++\ntitle = {}\n+++\n\nWelcome. Start with [how we work](protocols/how-we-work.md), browse the decision log, \
and read the latest meeting summaries.\n",
        quoted(title)
    )
}

fn first_decision_text(today: Date) -> String {
    format!(
        "+++\ntitle = \"Record architecture decisions\"\ndate = {today}\nstatus = \"accepted\"\ndeciders = []\ntags = [\"process\"]\n+++\n\n\
## Context\n\nWe need to remember why we made the decisions we made, and new team members need to find them.\n\n\
## Decision\n\nWe record every significant decision as a decision record in this folder, numbered in order.\n\n\
## Consequences\n\nDecisions are discussed in writing first. A replaced decision is marked superseded, never deleted.\n"
    )
}

fn decision_text(title: &str, today: Date) -> String {
    format!(
        "+++\ntitle = {}\ndate = {today}\nstatus = \"proposed\"\ndeciders = []\ntags = []\n+++\n\n\
## Context\n\nWhat is the issue that motivates this decision?\n\n\
## Options considered\n\n- Option one\n- Option two\n\n\
## Decision\n\nWhat we decided, and why.\n\n\
## Consequences\n\nWhat becomes easier or harder because of this decision?\n",
        quoted(title)
    )
}

fn kickoff_text(today: Date) -> String {
    meeting_text("Kickoff", today)
}

fn meeting_text(title: &str, today: Date) -> String {
    format!(
        "+++\ntitle = {}\ndate = {today}\ntime = \"15:00\"\ntimezone = \"UTC\"\nattendees = []\ndecisions = []\n+++\n\n\
## Agenda\n\n1. First topic\n\n\
## Notes\n\nWhat was said, for those who could not attend.\n\n\
## Action items\n\n- [ ] Write up the next steps\n",
        quoted(title)
    )
}

fn protocol_text(title: &str, today: Date) -> String {
    format!(
        "+++\ntitle = {}\nowner = \"\"\nreviewed = {today}\nsummary = \"\"\n+++\n\n\
## Why\n\nThe problem this protocol solves.\n\n\
## How\n\nWhat we do, step by step.\n",
        quoted(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn decision_numbers_follow_the_highest() {
        let dir = tempfile::tempdir().unwrap();
        let today = date(2026, 11, 25);
        let first = new_record(dir.path(), Kind::Decision, "Use Postgres", today).unwrap();
        let second = new_record(dir.path(), Kind::Decision, "Use Redis", today).unwrap();
        assert!(first.ends_with("content/decisions/0001-use-postgres.md"));
        assert!(second.ends_with("content/decisions/0002-use-redis.md"));
        let text = std::fs::read_to_string(&second).unwrap();
        assert!(
            text.contains("status = \"proposed\"") && text.contains("date = 2026-11-25"),
            "{text}"
        );
    }

    #[test]
    fn existing_files_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let today = date(2026, 11, 25);
        new_record(dir.path(), Kind::Protocol, "On-call", today).unwrap();
        let again = new_record(dir.path(), Kind::Protocol, "On-call", today);
        assert!(matches!(again, Err(ScaffoldError::Exists(_))));
        let fresh = tempfile::tempdir().unwrap();
        init(fresh.path(), today).unwrap();
        assert!(matches!(init(fresh.path(), today), Err(ScaffoldError::Exists(_))));
    }
}
