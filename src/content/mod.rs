//! The content model: what a page of the handbook is once its file has been read.
//!
//! [`load`] turns the files under `content/` into [`Page`]s; everything after that works on
//! these types and never re-parses strings.

pub mod boundary;
mod compare;
mod fields;
pub(crate) mod formats;
mod front_matter;
mod hours;
mod kinds;
pub mod load;
pub mod mounts;
mod placement;
pub mod walk;

pub use formats::Format;
pub use hours::WorkingHours;

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use jiff::ZonedDateTime;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::markdown::Outline;

/// `on-hold` or `use_postgres` as words with a capital: `On hold`, `Use postgres`. File and
/// folder names, status names and ids are shown to readers this way.
pub fn humanize(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What a page is, which decides its template, metadata and index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A plain page.
    Page,
    /// A decision record (ADR).
    Decision,
    /// A meeting summary.
    Meeting,
    /// A protocol: a rule for how the team works, with an owner and a review date.
    Protocol,
    /// A person the other records refer to.
    Person,
}

impl Kind {
    /// Every kind, in the order they are listed to users.
    pub const ALL: [Kind; 5] = [Kind::Page, Kind::Decision, Kind::Meeting, Kind::Protocol, Kind::Person];

    /// The name used in front matter (`kind = "decision"`) and templates.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Decision => "decision",
            Kind::Meeting => "meeting",
            Kind::Protocol => "protocol",
            Kind::Person => "person",
        }
    }

    /// Parses the name written in front matter.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The state of a decision record: one of the built-in statuses, one the team declares in
/// `handbook.toml`, or (for imported records) a status nobody declared, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Status {
    name: String,
    listed: bool,
}

impl Status {
    /// The statuses every handbook knows, in lifecycle order.
    pub const BUILT_IN: [&'static str; 5] = ["proposed", "accepted", "rejected", "deprecated", "superseded"];

    /// The status of a decision that a later one replaces.
    pub fn superseded() -> Status {
        Status::listed("superseded")
    }

    fn listed(name: &str) -> Status {
        Status {
            name: name.to_string(),
            listed: true,
        }
    }

    /// A status as written that is neither built in nor declared.
    pub fn unlisted(written: &str) -> Status {
        Status {
            name: Status::normalize(written),
            listed: false,
        }
    }

    /// Finds `written` among the built-in and `declared` statuses, forgiving case, spaces and a
    /// trailing period (`On hold.` is `on-hold`).
    pub fn find(written: &str, declared: &[String]) -> Option<Status> {
        let name = Status::normalize(written);
        let known = Status::BUILT_IN
            .iter()
            .copied()
            .chain(declared.iter().map(String::as_str));
        known
            .map(Status::normalize)
            .find(|k| *k == name)
            .map(|k| Status::listed(&k))
    }

    /// Lowercase, words joined by hyphens: the form used in CSS classes and URLs.
    pub fn normalize(text: &str) -> String {
        text.trim()
            .trim_end_matches(['.', '!'])
            .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join("-")
    }

    /// The status's name (`accepted`, `on-hold`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether it is built in or declared in `handbook.toml`.
    pub fn is_listed(&self) -> bool {
        self.listed
    }

    /// Whether this is `superseded`.
    pub fn is_superseded(&self) -> bool {
        self.name == "superseded"
    }
}

/// Whether a page may appear in a public build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Everyone may read it.
    #[default]
    Public,
    /// Only the team: left out of `build --public`.
    Internal,
}

impl Visibility {
    /// Both, in the order they are listed to users.
    pub const ALL: [Visibility; 2] = [Visibility::Public, Visibility::Internal];

    /// The name used in front matter and `handbook.toml` (`visibility = "internal"`).
    pub fn name(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Internal => "internal",
        }
    }

    /// Parses the name written in front matter or `handbook.toml`.
    pub fn from_name(name: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// Where a meeting stands, as its `status` says: an agenda published ahead, a meeting held
/// (whose page is its summary), or one called off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingStatus {
    /// Its agenda and pre-reads are published ahead; the notes are not written yet.
    Planned,
    /// It took place; the default for a meeting whose day has come.
    Held,
    /// It did not take place.
    Cancelled,
}

impl MeetingStatus {
    /// Every status, in the order they are listed to users.
    pub const ALL: [MeetingStatus; 3] = [MeetingStatus::Planned, MeetingStatus::Held, MeetingStatus::Cancelled];

    /// The name used in front matter (`status = "planned"`).
    pub fn name(self) -> &'static str {
        match self {
            MeetingStatus::Planned => "planned",
            MeetingStatus::Held => "held",
            MeetingStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the name written in front matter, in any case.
    pub fn from_name(name: &str) -> Option<MeetingStatus> {
        MeetingStatus::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// How a page relates to its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `content/_index.md`: the home page's text.
    Home,
    /// `_index.md`, `index.md` or `README.md`: introduces its folder.
    Section,
    /// Any other page.
    Leaf,
}

/// A task-list item in a meeting summary: `- [ ] @alice Draft the rota (due 2026-12-01)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionItem {
    /// What is to be done, without the owner and due date.
    pub text: String,
    /// Who does it (a person id without `@`), when named.
    pub owner: Option<String>,
    /// When it is due.
    #[serde(serialize_with = "crate::dates::serialize_optional")]
    pub due: Option<Date>,
    /// Whether it is ticked.
    pub done: bool,
    /// 1-based line in the file.
    pub line: usize,
    /// Whether it holds more than words (a link, an image, a nested list…), which a meeting's
    /// list of action items does not show: such an item stays in the page's body instead, so
    /// each item is shown once.
    pub in_body: bool,
}

/// A reference from one record to another, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    /// What it names.
    pub target: RefTarget,
    /// Where it is written, in bytes of the file (a front-matter value or a link in the body).
    pub span: Range<usize>,
    /// Read from the body of an imported record (`Related to [x](x.md)`): when it names no
    /// decision it is an ordinary link, which the link checker judges, not a broken reference.
    pub implied: bool,
}

/// How a record is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefTarget {
    /// By number, in the naming record's own decision log: `7`, `"0007"`, `"ADR-7"`.
    Number(u32),
    /// By number in a named log: `"billing/3"`, `"billing/ADR-0003"` (the log's folder in the
    /// site, or its last part).
    InLog {
        /// The log as written.
        log: String,
        /// The record's number in it.
        number: u32,
    },
    /// By file: `20201016-use-slugs`, `0002-x.md`, `../adr/0002-x.md`.
    Name(String),
}

impl RefTarget {
    /// How `written` names a record: a number (`7`, `ADR-0007`), a log and a number
    /// (`billing/3`), else a file name. `None` for empty text.
    pub fn parse(written: &str) -> Option<RefTarget> {
        let written = written.trim();
        if written.is_empty() {
            return None;
        }
        let number = |text: &str| fields::decision_number(&serde_json::Value::String(text.to_string()));
        if let Some(number) = number(written) {
            return Some(RefTarget::Number(number));
        }
        if let Some((log, rest)) = written.rsplit_once('/')
            && let Some(number) = number(rest)
            && !log.trim_matches('/').is_empty()
        {
            return Some(RefTarget::InLog {
                log: log.trim_matches('/').to_string(),
                number,
            });
        }
        Some(RefTarget::Name(written.to_string()))
    }
}

impl fmt::Display for RefTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefTarget::Number(n) => write!(f, "decision {n}"),
            RefTarget::InLog { log, number } => write!(f, "decision {number} of the log `{log}`"),
            RefTarget::Name(name) => write!(f, "`{name}`"),
        }
    }
}

/// Metadata only decision records have.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decision {
    /// The record's number in its log, from `id`, a Nygard `# 12. Title` or the `NNNN-`
    /// file-name prefix.
    pub number: Option<u32>,
    /// The decision log it belongs to, named by its folder in the site (`decisions`, `rfcs`,
    /// `billing/adr`): each log numbers its records on its own.
    pub log: String,
    /// Where the decision stands; `None` when the record does not say.
    pub status: Option<Status>,
    /// Where the status is written, in bytes of the file (a front-matter value or a line of
    /// the body), for diagnostics about it.
    pub status_at: Option<Range<usize>>,
    /// Who made the decision.
    pub deciders: Vec<String>,
    /// Whose opinion was sought.
    pub consulted: Vec<String>,
    /// Who was kept informed.
    pub informed: Vec<String>,
    /// The decisions this one replaces.
    pub supersedes: Vec<RecordRef>,
    /// The decisions that replace this one.
    pub superseded_by: Vec<RecordRef>,
    /// The decisions this one changes in part.
    pub amends: Vec<RecordRef>,
    /// The decisions that change this one in part.
    pub amended_by: Vec<RecordRef>,
    /// Related decisions.
    pub related: Vec<RecordRef>,
    /// Other metadata an imported format writes in the body (`RFC PR`, `Feature Name`), as
    /// written (inline Markdown).
    pub fields: Vec<(String, String)>,
    /// The format of another tool the body is written in, when it is one.
    pub format: Option<Format>,
    /// When to look at the decision again (`revisit_by = 2027-03-01`).
    pub revisit_by: Option<Date>,
    /// How often to look at it again, as written (`revisit_every = "1 year"`), counted from the
    /// last revisit, else the decision's date.
    pub revisit_every: Option<String>,
    /// When it was last looked at again and confirmed (`revisited = 2026-11-30`), as a
    /// protocol's `reviewed`.
    pub revisited: Option<Date>,
}

/// Metadata only meeting summaries have.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meeting {
    /// When the meeting started, in the zone it is shown in (its `timezone`, else the site's);
    /// `None` when no time of day is known. An instant written with an offset keeps its instant.
    pub start: Option<ZonedDateTime>,
    /// The IANA zone it was held in, as written.
    pub timezone: Option<String>,
    /// Who took part.
    pub attendees: Vec<String>,
    /// Who ran the meeting.
    pub facilitator: Option<String>,
    /// The recurring series this meeting belongs to (e.g. `weekly-sync`).
    pub series: Option<String>,
    /// A link to the recording.
    pub recording: Option<String>,
    /// The decisions made in the meeting.
    pub decisions: Vec<RecordRef>,
    /// The task-list items of the summary.
    pub action_items: Vec<ActionItem>,
    /// Its `status` as written; see [`Meeting::status_on`].
    pub status: Option<MeetingStatus>,
}

impl Meeting {
    /// Where a meeting on `date` stands on `today`: its written `status`, else planned while its
    /// day is to come and held from then on (a meeting without a date is held).
    pub fn status_on(&self, date: Option<Date>, today: Date) -> MeetingStatus {
        self.status.unwrap_or(match date {
            Some(date) if date > today => MeetingStatus::Planned,
            _ => MeetingStatus::Held,
        })
    }
}

/// Metadata only protocols have.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Protocol {
    /// When the protocol was last reviewed.
    pub reviewed: Option<Date>,
    /// How often it must be reviewed, as written (`6 months`); the site default when `None`.
    pub review_every: Option<String>,
}

/// Metadata only people have.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Person {
    /// The person's display name.
    pub name: Option<String>,
    /// What they do.
    pub role: Option<String>,
    /// Their IANA time zone.
    pub timezone: Option<String>,
    /// Their chat handle.
    pub handle: Option<String>,
    /// When they work, in their `timezone`.
    pub working_hours: Option<WorkingHours>,
}

/// The metadata that depends on a page's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum KindMeta {
    /// A plain page has none.
    Page,
    /// See [`Decision`].
    Decision(Decision),
    /// See [`Meeting`].
    Meeting(Meeting),
    /// See [`Protocol`].
    Protocol(Protocol),
    /// See [`Person`].
    Person(Person),
}

impl KindMeta {
    /// The kind this metadata belongs to.
    pub fn kind(&self) -> Kind {
        match self {
            KindMeta::Page => Kind::Page,
            KindMeta::Decision(_) => Kind::Decision,
            KindMeta::Meeting(_) => Kind::Meeting,
            KindMeta::Protocol(_) => Kind::Protocol,
            KindMeta::Person(_) => Kind::Person,
        }
    }
}

/// One Markdown file of the handbook, read and validated.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file, relative to the handbook root (as shown in diagnostics).
    pub file: PathBuf,
    /// The file, relative to `content/`, with `/` separators.
    pub source: String,
    /// Where the page lives in the site: a folder path relative to the site root, ending with
    /// `/` (`decisions/0007-use-postgres/`), or empty for the home page.
    pub path: String,
    /// How the page relates to its folder.
    pub role: Role,
    /// The page's title.
    pub title: String,
    /// When it was written (or the meeting held, or the decision made).
    pub date: Option<Date>,
    /// When it was last changed.
    pub updated: Option<Date>,
    /// Free-form labels.
    pub tags: Vec<String>,
    /// Drafts are left out unless `build --drafts`.
    pub draft: bool,
    /// Old site paths that must redirect here.
    pub aliases: Vec<String>,
    /// One sentence shown in lists.
    pub summary: Option<String>,
    /// Orders pages in lists: weighted pages first, lower weights first; `None` when the page
    /// gives none.
    pub weight: Option<i64>,
    /// Who looks after the page.
    pub owner: Option<String>,
    /// Public or internal, as the page says; `None` takes its folder's or the site's (see
    /// [`crate::resolve::VisibilityRules`]).
    pub visibility: Option<Visibility>,
    /// The team the page names, as written; `None` takes its folder's (see
    /// [`crate::resolve::Teams`]).
    pub team: Option<String>,
    /// Front-matter keys the tool does not know, for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Kind-specific metadata.
    pub meta: KindMeta,
    /// The whole file, kept so that later stages can point diagnostics at it. Shared, as the
    /// page is cloned: `serve` keeps every page as read and as resolved.
    pub text: std::sync::Arc<str>,
    /// The byte offset in `text` at which the Markdown body starts (after the front matter).
    pub body_start: usize,
    /// Bytes of `text` (sorted) of the blocks of the body that were read as metadata: an
    /// imported record's header bullets, `Date:` line or `## Status` section, a meeting's action
    /// items. The page shows them in its facts box or list of action items, so the rendered
    /// body, search text and summaries leave them out.
    pub consumed: Vec<Range<usize>>,
    /// Headings, links and action items found in the body.
    pub outline: Outline,
    /// Whether [`Page::drop_body`] dropped the text: reading the body after is a bug.
    pub body_dropped: bool,
}

impl Page {
    /// The page's kind.
    pub fn kind(&self) -> Kind {
        self.meta.kind()
    }

    /// The decision metadata, when this is a decision record.
    pub fn decision(&self) -> Option<&Decision> {
        match &self.meta {
            KindMeta::Decision(d) => Some(d),
            _ => None,
        }
    }

    /// The meeting metadata, when this is a meeting summary.
    pub fn meeting(&self) -> Option<&Meeting> {
        match &self.meta {
            KindMeta::Meeting(m) => Some(m),
            _ => None,
        }
    }

    /// The Markdown after the front matter.
    pub fn body(&self) -> &str {
        debug_assert!(!self.body_dropped, "the body of {} was dropped", self.source);
        &self.text[self.body_start..]
    }

    /// The id of the level-1 heading that opens the body, when it is the page's title: the
    /// template shows the title in its own `<h1>` (which takes this id, so `#anchor` links to the
    /// heading still arrive) and the body leaves the heading out. A Nygard `# 5. Help comments`
    /// gives the title `Help comments`.
    pub fn title_heading_id(&self) -> Option<&str> {
        let h1 = self.outline.leading_h1.as_deref()?;
        let is_title = h1 == self.title || h1.ends_with(&format!(" {}", self.title));
        let first = self.outline.headings.first().filter(|h| h.level == 1)?;
        is_title.then_some(first.id.as_str())
    }

    /// The body as it is shown, without the blocks read as metadata.
    pub fn markdown(&self) -> crate::markdown::Body<'_> {
        debug_assert!(!self.body_dropped, "the body of {} was dropped", self.source);
        crate::markdown::Body {
            text: &self.text,
            start: self.body_start,
            skip: &self.consumed,
        }
    }

    /// Drops the page's text, and what only the rendering of its body reads of it (the blocks
    /// read as metadata; the outline but for the headings, the first of which the page's view
    /// shows as its title's id: see [`Page::title_heading_id`]). `build` does so once the
    /// page and everything that shows its body are rendered, before the template values of
    /// every page are made for the lists: at 100,000 pages the texts alone are some 170 MB.
    /// The page must not be rendered again, nor its body read ([`Page::body`] and
    /// [`Page::markdown`] check, in debug builds).
    pub fn drop_body(&mut self) {
        self.text = std::sync::Arc::from("");
        self.body_start = 0;
        self.consumed = Vec::new();
        self.outline = Outline {
            leading_h1: self.outline.leading_h1.take(),
            headings: std::mem::take(&mut self.outline.headings),
            ..Outline::default()
        };
        self.body_dropped = true;
    }

    /// The folder of the page's file, relative to `content/` (empty at the top).
    pub fn folder(&self) -> &str {
        self.source.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The file's text, for pointing diagnostics at it.
    pub fn source_text(&self) -> crate::diagnostics::SourceText<'_> {
        debug_assert!(!self.body_dropped, "the text of {} was dropped", self.source);
        crate::diagnostics::SourceText::new(&self.file, &self.text)
    }

    /// When a protocol is next due for review: its last review (or, failing that, its `updated`
    /// or `date`) plus its review period, or `default_period` when it names none.
    pub fn next_review(&self, default_period: &str) -> Option<jiff::civil::Date> {
        let KindMeta::Protocol(protocol) = &self.meta else {
            return None;
        };
        let period = protocol.review_every.as_deref().unwrap_or(default_period);
        let last = protocol.reviewed.or(self.updated).or(self.date)?;
        last.checked_add(crate::dates::parse_period(period)?).ok()
    }

    /// When a decision is due for revisit: its `revisit_by` until a `revisited` on or after
    /// it, else its last revisit (or its date) plus `revisit_every`; `None` for other pages and
    /// decisions with neither.
    pub fn revisit_due(&self) -> Option<jiff::civil::Date> {
        let decision = self.decision()?;
        let every = || {
            let period = crate::dates::parse_period(decision.revisit_every.as_deref()?)?;
            decision.revisited.or(self.date)?.checked_add(period).ok()
        };
        match (decision.revisit_by, decision.revisited) {
            (Some(by), Some(done)) if done >= by => every(),
            (Some(by), _) => Some(by),
            (None, _) => every(),
        }
    }

    /// The page's output file relative to the site root (`decisions/0007-x/index.html`).
    pub fn output_file(&self) -> String {
        format!("{}index.html", self.path)
    }
}
