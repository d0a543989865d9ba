//! Scaffolding: `handbook init` and `handbook new`. Both write new files only, never over an
//! existing one.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

mod logs;
mod supersede;
mod templates;

use crate::config::{CONFIG_FILE, Config};
use crate::content::load::{self, CONTENT_DIR};
use crate::content::{Kind, MeetingStatus, Page};
use crate::diagnostics::Diagnostic;
use crate::resolve::VisibilityRules;

/// Why scaffolding failed.
#[derive(Debug)]
pub enum ScaffoldError {
    /// The file is there already; it was left alone.
    Exists(PathBuf),
    /// `handbook.toml` is invalid, so the folders are unknown.
    Config(Vec<Diagnostic>),
    /// Only decisions, meetings and protocols can be created.
    Kind(Kind),
    /// `--supersedes` names a decision that does not exist.
    NoDecision(u32),
    /// `--log` names no decision log (or there are none to choose from).
    NoLog {
        /// The log asked for.
        wanted: Option<String>,
        /// The logs there are.
        logs: Vec<String>,
    },
    /// The title cannot name a record: blank, more than one line, or with no letter or digit to
    /// make a file name of.
    Title(BadTitle),
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
            ScaffoldError::NoDecision(number) => {
                write!(f, "there is no decision number {number} in this log to supersede")
            }
            ScaffoldError::NoLog { wanted, logs } => {
                match wanted {
                    Some(wanted) => write!(f, "there is no decision log `{wanted}`")?,
                    None => write!(f, "there is no decision log to write to")?,
                }
                match logs.is_empty() {
                    true => write!(f, "; mount one with `[[mounts]]` or set `[folders] decisions`"),
                    false => write!(f, "; the logs are: {}", logs.join(", ")),
                }
            }
            ScaffoldError::Title(bad) => bad.fmt(f),
            ScaffoldError::Io { path, source } => write!(f, "cannot write {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for ScaffoldError {}

/// Why a title cannot name a new record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadTitle {
    /// Empty, or only spaces.
    Blank,
    /// It holds a line break or another control character, which would break the heading or
    /// front matter it is written into.
    NotOneLine,
    /// No letter or digit survives in its file name (`"!!!"`). Titles in other scripts are
    /// transliterated (`会議` → `hui-yi`), so only punctuation and symbols end here.
    NoSlug(String),
}

impl std::fmt::Display for BadTitle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const EXAMPLE: &str = "e.g. \"Use Postgres\" or \"Weekly sync\"";
        match self {
            BadTitle::Blank => write!(f, "the title is empty; give the record a title, {EXAMPLE}"),
            BadTitle::NotOneLine => write!(f, "the title must be one line of text, {EXAMPLE}"),
            BadTitle::NoSlug(title) => write!(
                f,
                "the title {title:?} has no letter or digit to name the file after; use words, {EXAMPLE}"
            ),
        }
    }
}

/// The title, trimmed, and the slug its file is named with.
fn title_and_slug(title: &str) -> Result<(&str, String), BadTitle> {
    let title = title.trim();
    if title.is_empty() {
        return Err(BadTitle::Blank);
    }
    if title.chars().any(char::is_control) {
        return Err(BadTitle::NotOneLine);
    }
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(BadTitle::NoSlug(title.to_string()));
    }
    Ok((title, slug))
}

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
pub fn init(dir: &Path, today: Date) -> Result<Vec<Written>, ScaffoldError> {
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
    let title = handbook_title(&name);
    let files = [
        (CONFIG_FILE.to_string(), templates::config_text(&title)),
        ("README.md".to_string(), templates::readme_text(&title)),
        (format!("{CONTENT_DIR}/_index.md"), templates::home_text(&title)),
        (
            format!("{CONTENT_DIR}/decisions/0001-record-architecture-decisions.md"),
            templates::first_decision_text(today),
        ),
        (
            format!("{CONTENT_DIR}/meetings/{today}-kickoff.md"),
            templates::kickoff_text(today),
        ),
        (
            format!("{CONTENT_DIR}/protocols/how-we-work.md"),
            templates::protocol_text("How we work", today),
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
    let mut written: Vec<Written> = written.into_iter().map(Written::Created).collect();
    written.extend(ignore_output(dir)?);
    Ok(written)
}

/// A file [`init`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// A new file.
    Created(PathBuf),
    /// A file that was there and gained lines (a `.gitignore`).
    Updated(PathBuf),
}

/// The title of a new handbook in the folder `name`: `acme` → "Acme handbook", and
/// `team-handbook` → "Team handbook", not "Team handbook handbook".
fn handbook_title(name: &str) -> String {
    let name = crate::content::humanize(name);
    if name.to_lowercase().ends_with("handbook") {
        name
    } else {
        format!("{name} handbook")
    }
}

/// Has git ignore the built site, `public/`: adds it to the folder's `.gitignore`, or writes
/// one. Returns the file when it changed it.
fn ignore_output(dir: &Path) -> Result<Option<Written>, ScaffoldError> {
    const LINE: &str = "/public/";
    let path = dir.join(".gitignore");
    let io = |source| ScaffoldError::Io {
        path: path.clone(),
        source,
    };
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(io(err)),
    };
    let ignored = old
        .lines()
        .any(|l| matches!(l.trim(), "public" | "public/" | "/public" | "/public/"));
    if ignored {
        return Ok(None);
    }
    let separator = if old.is_empty() || old.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let text = format!("{old}{separator}# The site handbook builds\n{LINE}\n");
    std::fs::write(&path, text).map_err(io)?;
    Ok(Some(if old.is_empty() {
        Written::Created(path)
    } else {
        Written::Updated(path)
    }))
}

/// The format of a new decision record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DecisionFormat {
    /// TOML front matter with handbook's keys.
    #[default]
    Handbook,
    /// MADR 4: YAML front matter and MADR's sections.
    Madr,
    /// Michael Nygard's format, as adr-tools writes it: `# N. Title`, `Date:`, `## Status`.
    Nygard,
}

/// What `handbook new` is asked to create.
#[derive(Debug, Clone)]
pub struct NewRecord {
    /// Decision, meeting or protocol.
    pub kind: Kind,
    /// Its title.
    pub title: String,
    /// For a decision: the number of the record it replaces (in the same log), which is marked
    /// superseded.
    pub supersedes: Option<u32>,
    /// For a decision: the decision log to write to, by its folder in the site (`decisions`,
    /// `rfcs`) or that folder's last part; default: the first `[folders] decisions` folder.
    pub log: Option<String>,
    /// For a decision: the format to write; `None` for the format of the log's latest record
    /// (see `logs::format_of`).
    pub format: Option<DecisionFormat>,
    /// For a meeting: the series it continues, whose last meeting's attendees, visibility and
    /// open action items are carried over.
    pub series: Option<String>,
    /// For a meeting: an agenda published ahead (`status = "planned"`), not a summary.
    pub planned: bool,
}

/// What `handbook new` wrote.
#[derive(Debug)]
pub struct Created {
    /// The new file.
    pub path: PathBuf,
    /// A record changed along with it (the superseded one).
    pub edited: Option<PathBuf>,
}

/// Creates the record `request` asks for in the handbook at `root`, dated `today` (a meeting's
/// day, when `new meeting --date` gives one).
pub fn new_record(root: &Path, request: &NewRecord, today: Date) -> Result<Created, ScaffoldError> {
    let (title, slug) = title_and_slug(&request.title).map_err(ScaffoldError::Title)?;
    let config = Config::load(root).map_err(ScaffoldError::Config)?;
    let folders = &config.folders;
    let content = root.join(CONTENT_DIR);
    let mut edit = None;
    let (path, text) = match request.kind {
        Kind::Decision => {
            let loaded = load::load(root, &config);
            let log = logs::choose(&config, &loaded, request.log.as_deref())?;
            let number = logs::next_number(root, &log, &loaded.pages)?;
            let file_name = format!("{number:04}-{slug}.md");
            let replaced = match request.supersedes {
                Some(old) => Some(find_decision(&loaded.pages, &log, old)?),
                None => None,
            };
            let predecessor = replaced.as_ref().map(|page| templates::Predecessor {
                number: request.supersedes.unwrap_or_default(),
                title: page.title.clone(),
                file_name: relative_link(&page.source, &log.name),
            });
            if let Some(page) = &replaced {
                let label = format!("{number}. {title}");
                let link = relative_link(&format!("{}/{file_name}", log.name), page.folder());
                edit = Some((root.join(&page.file), supersede::mark_superseded(page, &label, &link)));
            }
            let format = request.format.unwrap_or_else(|| logs::format_of(&log, &loaded.pages));
            let text = templates::decision_text(title, number, today, format, predecessor.as_ref());
            (root.join(&log.folder).join(file_name), text)
        }
        Kind::Meeting => {
            let folder = content.join(first(&folders.meetings, "meetings"));
            let draft = match &request.series {
                Some(series) => series_draft(root, &config, series, &folder, &content),
                None => templates::MeetingDraft::default(),
            };
            (
                folder.join(format!("{today}-{slug}.md")),
                templates::meeting_text(title, today, &draft, request.planned),
            )
        }
        Kind::Protocol => {
            let folder = content.join(first(&folders.protocols, "protocols"));
            (
                folder.join(format!("{slug}.md")),
                templates::protocol_text(title, today),
            )
        }
        other => return Err(ScaffoldError::Kind(other)),
    };
    create(&path, &text)?;
    let edited = match edit {
        Some((old, text)) => {
            write_replacing(&old, &text)?;
            Some(old)
        }
        None => None,
    };
    Ok(Created { path, edited })
}

/// The decision record numbered `number` in `log`.
fn find_decision(pages: &[Arc<Page>], log: &logs::Log, number: u32) -> Result<Arc<Page>, ScaffoldError> {
    pages
        .iter()
        .find(|p| {
            p.decision()
                .is_some_and(|d| d.log == log.name && d.number == Some(number))
        })
        .cloned()
        .ok_or(ScaffoldError::NoDecision(number))
}

/// The latest meeting of `series`: its attendees, time, visibility and open action items.
fn series_draft(root: &Path, config: &Config, series: &str, folder: &Path, content: &Path) -> templates::MeetingDraft {
    let pages = load::load(root, config).pages;
    // A cancelled meeting has nothing to carry: the one before it has.
    let latest = pages
        .iter()
        .filter(|p| {
            p.meeting()
                .is_some_and(|m| m.series.as_deref() == Some(series) && m.status != Some(MeetingStatus::Cancelled))
        })
        .max_by_key(|p| (p.date, p.source.clone()));
    let mut draft = templates::MeetingDraft {
        series: Some(series.to_string()),
        ..Default::default()
    };
    let Some(page) = latest else { return draft };
    let Some(meeting) = page.meeting() else { return draft };
    // Written out when the previous meeting said it, or when the new file's folder would give
    // another: an internal series stays internal wherever its next meeting is written.
    let rules = VisibilityRules::new(config.visibility, &pages);
    let visibility = rules.of_page(page);
    if page.visibility.is_some() || rules.in_folder(&folder_of(folder, content)) != visibility {
        draft.visibility = Some(visibility);
    }
    draft.time = meeting.start.as_ref().map(|start| start.strftime("%H:%M").to_string());
    draft.timezone = meeting.timezone.clone();
    draft.attendees = meeting.attendees.clone();
    draft.facilitator = meeting.facilitator.clone();
    draft.open_items = meeting
        .action_items
        .iter()
        .filter(|item| !item.done)
        .map(|item| {
            let owner = item.owner.as_ref().map_or(String::new(), |o| format!("@{o} "));
            let due = item.due.map_or(String::new(), |d| format!(" (due {d})"));
            format!("- [ ] {owner}{}{due}", item.text)
        })
        .collect();
    draft
}

/// A link from a file in the site folder `from` to the file at site source `target`.
fn relative_link(target: &str, from: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// `folder` relative to `content`, with `/` separators.
fn folder_of(folder: &Path, content: &Path) -> String {
    let rel = folder.strip_prefix(content).unwrap_or(folder);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Replaces a file's contents through a temporary file, so an interrupted write never leaves a
/// half-written record.
fn write_replacing(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let io = |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    };
    let temporary = path.with_extension("md.handbook-tmp");
    std::fs::write(&temporary, text).map_err(io)?;
    std::fs::rename(&temporary, path).map_err(io)
}

fn first<'a>(folders: &'a [String], fallback: &'a str) -> &'a str {
    folders.first().map_or(fallback, String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn request(kind: Kind, title: &str) -> NewRecord {
        NewRecord {
            kind,
            title: title.into(),
            supersedes: None,
            log: None,
            format: None,
            series: None,
            planned: false,
        }
    }

    #[test]
    fn decision_numbers_follow_the_highest() {
        let dir = tempfile::tempdir().unwrap();
        let today = date(2026, 11, 25);
        let first = new_record(dir.path(), &request(Kind::Decision, "Use Postgres"), today)
            .unwrap()
            .path;
        let second = new_record(dir.path(), &request(Kind::Decision, "Use Redis"), today)
            .unwrap()
            .path;
        assert!(first.ends_with("content/decisions/0001-use-postgres.md"));
        assert!(second.ends_with("content/decisions/0002-use-redis.md"));
        let text = std::fs::read_to_string(&second).unwrap();
        assert!(
            text.contains("status = \"proposed\"") && text.contains("date = 2026-11-25"),
            "{text}"
        );
    }

    #[test]
    fn titles_must_name_a_file() {
        assert_eq!(
            title_and_slug("  Use Postgres "),
            Ok(("Use Postgres", "use-postgres".to_string()))
        );
        assert_eq!(title_and_slug("会議"), Ok(("会議", "hui-yi".to_string())));
        assert_eq!(title_and_slug(""), Err(BadTitle::Blank));
        assert_eq!(title_and_slug(" \t "), Err(BadTitle::Blank));
        assert_eq!(title_and_slug("a\nb"), Err(BadTitle::NotOneLine));
        assert_eq!(title_and_slug("!!!"), Err(BadTitle::NoSlug("!!!".into())));
        let dir = tempfile::tempdir().unwrap();
        let refused = new_record(dir.path(), &request(Kind::Decision, "?!"), date(2026, 11, 25));
        assert!(matches!(refused, Err(ScaffoldError::Title(BadTitle::NoSlug(_)))));
        assert!(!dir.path().join("content").exists(), "nothing is written");
    }

    #[test]
    fn relative_links_between_folders() {
        assert_eq!(relative_link("decisions/0007-x.md", "decisions"), "0007-x.md");
        assert_eq!(relative_link("adr/0007-x.md", "decisions/new"), "../../adr/0007-x.md");
    }

    #[test]
    fn existing_files_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let today = date(2026, 11, 25);
        new_record(dir.path(), &request(Kind::Protocol, "On-call"), today).unwrap();
        let again = new_record(dir.path(), &request(Kind::Protocol, "On-call"), today);
        assert!(matches!(again, Err(ScaffoldError::Exists(_))));
        let fresh = tempfile::tempdir().unwrap();
        init(fresh.path(), today).unwrap();
        assert!(matches!(init(fresh.path(), today), Err(ScaffoldError::Exists(_))));
    }
}
