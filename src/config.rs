//! `handbook.toml`: the site's configuration.
//!
//! Every key has a default, so a handbook without the file builds. Every unknown key (with the
//! nearest valid key, `titel` → `title`), every value of the wrong type and every invalid value is
//! reported in one run (see `checks`), instead of serde's first-error-only behaviour. Settings
//! given on the command line ([`Overrides`]) go through the same checks as the keys they replace.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::de::DeTable;

use crate::content::Visibility;
use crate::dates;
use crate::diagnostics::{Diagnostic, SourceText};
use crate::urls::{UrlUse, unsafe_scheme};

mod checks;
mod mounts;

pub use mounts::Mount;

/// The name of the configuration file at the handbook root.
pub const CONFIG_FILE: &str = "handbook.toml";

/// The folder under the handbook root that holds its themes.
pub const THEMES_DIR: &str = "themes";

/// The site configuration, with every key's default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The site's name, shown in the header and the browser tab.
    pub title: String,
    /// One sentence about the handbook, used in the home page's meta description.
    pub description: String,
    /// The absolute URL the site is published at, e.g. `https://handbook.example.com/`.
    /// Links in pages stay relative; this is only used where a full URL is required
    /// (sitemap, canonical links). Empty means unknown.
    pub base_url: String,
    /// The `lang` attribute of every page.
    pub language: String,
    /// The theme under `themes/` whose templates and static files override the built-in ones.
    pub theme: String,
    /// The IANA time zone for meetings that do not name one.
    pub timezone: String,
    /// Which folders under `content/` hold which kind of record.
    pub folders: Folders,
    /// Settings for decision records.
    pub decisions: Decisions,
    /// Settings for meeting summaries.
    pub meetings: Meetings,
    /// Settings for protocols.
    pub protocols: Protocols,
    /// Settings for people pages.
    pub people: People,
    /// Where the handbook's source lives, for "Edit this page" and history links.
    pub repository: Repository,
    /// How links are checked.
    pub links: Links,
    /// Settings for Markdown rendering.
    pub markdown: Markdown,
    /// The visibility of pages that neither say nor sit in a folder whose page says.
    pub visibility: Visibility,
    /// What a `--public` build shows.
    pub public: PublicBuild,
    /// What the print page holds.
    pub print: Print,
    /// `[[mounts]]`: folders shown in the site where they are, besides `content/`.
    pub mounts: Vec<Mount>,
    /// The text of `handbook.toml` (empty when there is none), so that problems found later
    /// with a key's value (a mounted folder that does not exist) point at it.
    #[serde(skip)]
    text: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Handbook".into(),
            description: String::new(),
            base_url: String::new(),
            language: "en".into(),
            theme: "default".into(),
            timezone: "UTC".into(),
            folders: Folders::default(),
            decisions: Decisions::default(),
            meetings: Meetings::default(),
            protocols: Protocols::default(),
            people: People::default(),
            repository: Repository::default(),
            links: Links::default(),
            markdown: Markdown::default(),
            visibility: Visibility::default(),
            public: PublicBuild::default(),
            print: Print::default(),
            mounts: Vec::new(),
            text: String::new(),
        }
    }
}

/// Folders (relative to `content/`) whose pages are of a given kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Folders {
    /// Decision records.
    pub decisions: Vec<String>,
    /// Meeting summaries.
    pub meetings: Vec<String>,
    /// Protocols: how the team works.
    pub protocols: Vec<String>,
    /// People, one file each.
    pub people: Vec<String>,
}

impl Default for Folders {
    fn default() -> Self {
        Folders {
            decisions: vec!["decisions".into()],
            meetings: vec!["meetings".into()],
            protocols: vec!["protocols".into()],
            people: vec!["people".into()],
        }
    }
}

/// `[decisions]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Decisions {
    /// Statuses the team uses besides the built-in proposed, accepted, rejected, deprecated and
    /// superseded.
    pub statuses: Vec<CustomStatus>,
    /// Report each decision due for revisit (`revisit_by`, `revisit_every`) as a warning, so
    /// `check --strict` fails on it; else `check` lists it as a note.
    pub warn_when_due: bool,
}

/// A status a team adds: `[[decisions.statuses]] name = "on-hold"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomStatus {
    /// The name written in records (`on-hold`; `On hold` and `on hold` match it too).
    pub name: String,
    /// The text of its badge; default: the name.
    #[serde(default)]
    pub label: String,
    /// The CSS colour of its badge (`#7c3aed`); default: grey.
    #[serde(default)]
    pub color: String,
}

/// `[meetings]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Meetings {
    /// Report each open action item past its due date as a warning, so `check --strict` fails
    /// on it.
    pub warn_when_overdue: bool,
}

/// `[people]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct People {
    /// Whether everyone a record names must have a page in `people/`.
    pub pages: PeoplePages,
}

/// `[people] pages`: how a person named without a page is reported (once per person, at their
/// first mention, listing the others).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeoplePages {
    /// A warning (so `check --strict` fails): a name without a page is more often a typo.
    #[default]
    Required,
    /// A note: a team that is still writing its people pages.
    Optional,
}

/// `[repository]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Repository {
    /// The repository's web address, e.g. `https://github.com/acme/handbook`. Empty: no links.
    pub url: String,
    /// The branch the handbook is published from.
    pub branch: String,
    /// The handbook's folder inside the repository (empty when it is the repository's root).
    pub path: String,
    /// `github`, `gitlab` or `gitea` (also `forgejo`, `codeberg`); empty: guessed from `url`.
    pub host: String,
}

/// A kind of repository host, which decides the URLs of "Edit this page" and history links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// GitHub, and hosts with its URL scheme.
    GitHub,
    /// GitLab.
    GitLab,
    /// Gitea and its forks Forgejo and Codeberg.
    Gitea,
}

impl Host {
    /// The names `[repository] host` accepts, with the host each means.
    pub const NAMES: [(&'static str, Host); 5] = [
        ("github", Host::GitHub),
        ("gitlab", Host::GitLab),
        ("gitea", Host::Gitea),
        ("forgejo", Host::Gitea),
        ("codeberg", Host::Gitea),
    ];

    /// The host named `name` (in any case).
    pub fn from_name(name: &str) -> Option<Host> {
        let name = name.trim().to_ascii_lowercase();
        Host::NAMES.iter().find(|(n, _)| *n == name).map(|(_, host)| *host)
    }

    /// The host a repository URL is on, when `host` is not set: GitHub unless the URL names
    /// another.
    fn guess(url: &str) -> Host {
        Host::NAMES
            .iter()
            .find(|(name, host)| *host != Host::GitHub && url.contains(name))
            .map_or(Host::GitHub, |(_, host)| *host)
    }
}

impl Default for Repository {
    fn default() -> Self {
        Repository {
            url: String::new(),
            branch: "main".into(),
            path: String::new(),
            host: String::new(),
        }
    }
}

impl Repository {
    /// The web pages for editing and for the history of `file` (relative to the handbook
    /// root), in the host's URL scheme; `None` without a repository URL.
    pub fn links(&self, file: &str) -> Option<(String, String)> {
        if self.url.is_empty() {
            return None;
        }
        let base = self.url.trim_end_matches('/').trim_end_matches(".git");
        let path = match self.path.trim_matches('/') {
            "" => file.to_string(),
            folder => format!("{folder}/{file}"),
        };
        let branch = &self.branch;
        let host = Host::from_name(&self.host).unwrap_or_else(|| Host::guess(base));
        Some(match host {
            Host::GitLab => (
                format!("{base}/-/edit/{branch}/{path}"),
                format!("{base}/-/commits/{branch}/{path}"),
            ),
            Host::Gitea => (
                format!("{base}/_edit/{branch}/{path}"),
                format!("{base}/commits/branch/{branch}/{path}"),
            ),
            Host::GitHub => (
                format!("{base}/edit/{branch}/{path}"),
                format!("{base}/commits/{branch}/{path}"),
            ),
        })
    }
}

/// `[protocols]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Protocols {
    /// How often a protocol is reviewed when it does not say (`90d`, `6 months`, `1 year`).
    pub review_every: String,
    /// Report each protocol past its review date as a warning, so `check --strict` fails on it.
    pub warn_when_overdue: bool,
}

impl Default for Protocols {
    fn default() -> Self {
        Protocols {
            review_every: "6 months".into(),
            warn_when_overdue: false,
        }
    }
}

/// `[links]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Links {
    /// What a broken link or anchor is: `"error"` fails the build, `"warn"` only reports it
    /// (for imported content that links to pages outside the handbook).
    pub broken: LinkPolicy,
}

/// How seriously to take broken links.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkPolicy {
    /// Fail the build.
    #[default]
    Error,
    /// Report and go on.
    Warn,
}

/// `[markdown]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Markdown {
    /// Turns straight quotes, `--` and `...` into typographic ones.
    pub smart_punctuation: bool,
    /// Highlights fenced code blocks that name their language.
    pub highlight_code: bool,
    /// What raw HTML written in Markdown may do.
    pub raw_html: RawHtml,
}

impl Default for Markdown {
    fn default() -> Self {
        Markdown {
            smart_punctuation: true,
            highlight_code: true,
            raw_html: RawHtml::default(),
        }
    }
}

/// `[public]`: what a `--public` build shows besides the public pages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PublicBuild {
    /// Show the git author of each page's last change ("Last updated … by NAME", feed
    /// `<author>`). Off by default: commit names are personal data the team chose to share
    /// with each other, not with every reader of the public site.
    pub authors: bool,
}

/// What raw HTML in Markdown (`<details>`, `<kbd>`, `<img width=…>`) becomes.
///
/// The default is `sanitize`: teams write such HTML, and the handbook builds pull requests from
/// anyone, whose HTML must not run scripts in readers' browsers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Kept as written, scripts and all: for handbooks whose every author is trusted.
    Allow,
    /// Kept, less anything that can run code or restyle the page: scripts, event handlers,
    /// `style`, forms, frames and unsafe URLs are removed (see [`crate::markdown`]).
    #[default]
    Sanitize,
    /// Shown as text, as it was typed.
    Escape,
}

/// `[print]`: what `print/index.html`, the whole handbook on one page, holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Print {
    /// The kinds of page to include, in the order they are printed (a part named twice counts
    /// where first named); a value that is no part is an error at it (serde names the valid
    /// ones).
    pub include: Vec<PrintPart>,
}

impl Default for Print {
    fn default() -> Self {
        Print {
            include: vec![PrintPart::Protocols, PrintPart::Decisions, PrintPart::Pages],
        }
    }
}

/// A part of the print page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrintPart {
    /// Every protocol, by weight.
    Protocols,
    /// The decisions in force (accepted), by number: the others no longer, or not yet, apply.
    Decisions,
    /// The plain pages, by weight.
    Pages,
}

/// Settings given on the command line in place of keys of `handbook.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--base-url`, for `base_url`.
    pub base_url: Option<String>,
}

impl Config {
    /// Reads `handbook.toml` from `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        Config::load_with(root, &Overrides::default())
    }

    /// Reads `handbook.toml` from `root` with `overrides` in place of the keys they replace,
    /// checked as those keys are.
    pub fn load_with(root: &Path, overrides: &Overrides) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(err) => {
                return Err(vec![
                    Diagnostic::error("config-unreadable", format!("cannot read {CONFIG_FILE}: {err}"))
                        .in_file(Path::new(CONFIG_FILE)),
                ]);
            }
        };
        Config::parse_with(Path::new(CONFIG_FILE), &text, overrides)
    }

    /// Parses and validates the text of a configuration file shown to the user as `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse_with(path, text, &Overrides::default())
    }

    /// Parses the text of a configuration file shown to the user as `path`, puts `overrides` in
    /// place of their keys, and validates the result; every problem is reported.
    pub fn parse_with(path: &Path, text: &str, overrides: &Overrides) -> Result<Config, Vec<Diagnostic>> {
        let source = SourceText::new(path, text);
        let mut table = DeTable::parse(text).map_err(|err| vec![checks::toml_error(&source, &err)])?;
        let mut problems = checks::unknown_keys(&source, &mut table);
        checks::check_visibility(&source, table.get_ref(), &mut problems);
        let mut config = checks::deserialize(&source, &mut table, &mut problems);
        if let Some(base_url) = &overrides.base_url {
            config.base_url = base_url.clone();
        }
        config.validate(&source, table.get_ref(), overrides, &mut problems);
        // `en_US` as locales write it is `en-US` in HTML's `lang`.
        config.language = config.language.replace('_', "-");
        config.text = text.to_string();
        if problems.is_empty() {
            Ok(config)
        } else {
            problems.sort_by_key(|d| d.position);
            // A value with a precise error of its own (`visibility`) is not reported again as
            // a value of the wrong type.
            problems.dedup_by(|later, first| later.position.is_some() && later.position == first.position);
            Err(problems)
        }
    }

    /// Checks the values that read but may still be wrong. `table` is what is left of the file
    /// (keys that did not read are gone, and keep their valid defaults).
    fn validate(
        &self,
        source: &SourceText<'_>,
        table: &DeTable<'_>,
        overrides: &Overrides,
        problems: &mut Vec<Diagnostic>,
    ) {
        let mut bad = |path: &[&str], code, message: String, help: &str| {
            let span = checks::value_span(table, path).unwrap_or(0..0);
            problems.push(Diagnostic::error(code, message).at(source, span).help(help));
        };
        if jiff::tz::db().get(&self.timezone).is_err() {
            bad(
                &["timezone"],
                "unknown-timezone",
                format!("`{}` is not an IANA time zone", self.timezone),
                "use a name such as \"UTC\", \"Europe/Berlin\" or \"America/Toronto\"",
            );
        }
        if !is_language_tag(&self.language) {
            bad(
                &["language"],
                "bad-language",
                format!("`{}` is not a language tag", self.language),
                "write a BCP 47 tag: an ISO 639 code such as \"en\", \"de\" or \"ja\", with a region if you like (\"pt-BR\")",
            );
        }
        if dates::parse_period(&self.protocols.review_every).is_none() {
            bad(
                &["protocols", "review_every"],
                "bad-period",
                format!("`{}` is not a review period", self.protocols.review_every),
                "write a number and a unit, such as \"90d\", \"12 weeks\", \"6 months\" or \"1 year\"",
            );
        }
        if !self.repository.host.is_empty() && Host::from_name(&self.repository.host).is_none() {
            let names: Vec<&str> = Host::NAMES.iter().map(|(name, _)| *name).collect();
            let valid = format!("valid hosts: {}; or leave it out to guess from `url`", names.join(", "));
            let help = match nearest(&self.repository.host.to_ascii_lowercase(), &names) {
                Some(near) => format!("did you mean \"{near}\"? {valid}"),
                None => valid,
            };
            bad(
                &["repository", "host"],
                "unknown-host",
                format!("`{}` is not a repository host handbook knows", self.repository.host),
                &help,
            );
        }
        const REPOSITORY_HELP: &str =
            "write the repository's web address, such as \"https://github.com/acme/handbook\"";
        if let Some(scheme) = unsafe_scheme(&self.repository.url, UrlUse::Link) {
            bad(
                &["repository", "url"],
                "unsafe-url",
                format!("the repository URL has a `{scheme}:` URL, which is never linked"),
                REPOSITORY_HELP,
            );
        } else if let Some(why) = checks::web_address_problem(&self.repository.url) {
            bad(
                &["repository", "url"],
                "bad-repository-url",
                format!("the repository URL `{}` {why}", self.repository.url),
                REPOSITORY_HELP,
            );
        }
        for (i, status) in self.decisions.statuses.iter().enumerate() {
            if !status.color.is_empty() && !checks::is_css_color(&status.color) {
                bad(
                    &["decisions", "statuses", &i.to_string(), "color"],
                    "bad-color",
                    format!("`{}` is not a CSS colour", status.color),
                    "write a colour such as \"#7c3aed\", \"rebeccapurple\" or \"rgb(124 58 237)\"",
                );
            }
        }
        for (path, code, message, help) in mounts::problems(&self.mounts) {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            bad(&path, code, message, &help);
        }
        if let Some(why) = checks::web_address_problem(&self.base_url) {
            const HELP: &str = "write the full address, such as \"https://handbook.example.com/\"";
            match &overrides.base_url {
                Some(url) => problems.push(
                    Diagnostic::error("bad-base-url", format!("--base-url `{url}` {why}"))
                        .help(format!("{HELP}, or leave --base-url out")),
                ),
                None => bad(
                    &["base_url"],
                    "bad-base-url",
                    format!("base_url `{}` {why}", self.base_url),
                    &format!("{HELP}, or leave it out"),
                ),
            }
        }
    }

    /// Points `diagnostic` at the value of the key at `path` (`["mounts", "0", "source"]`) in
    /// `handbook.toml`, or at the file when the key is not written there.
    pub fn point(&self, diagnostic: Diagnostic, path: &[&str]) -> Diagnostic {
        let file = Path::new(CONFIG_FILE);
        let span = DeTable::parse(&self.text)
            .ok()
            .and_then(|table| checks::value_span(table.get_ref(), path));
        match span {
            Some(span) => diagnostic.at(&SourceText::new(file, &self.text), span),
            None => diagnostic.in_file(file),
        }
    }

    /// The theme folder under `root`, when the handbook has one.
    pub fn theme_dir(&self, root: &Path) -> PathBuf {
        root.join(THEMES_DIR).join(&self.theme)
    }

    /// `base_url` with exactly one trailing slash, or `None` when it is not set.
    pub fn base_url(&self) -> Option<String> {
        if self.base_url.is_empty() {
            None
        } else {
            Some(format!("{}/", self.base_url.trim_end_matches('/')))
        }
    }

    /// The path part of `base_url`, with slashes at both ends (`/team/` for
    /// `https://example.org/team`), or `/` when `base_url` is not set: where the site's root
    /// most likely is on the host, for pages such as 404.html that a host serves at any depth.
    pub fn base_path(&self) -> String {
        let path = self
            .base_url
            .parse::<http::Uri>()
            .map(|uri| uri.path().trim_matches('/').to_string())
            .unwrap_or_default();
        if path.is_empty() {
            "/".to_string()
        } else {
            format!("/{path}/")
        }
    }
}

/// The handbook around the current folder: the nearest folder, from the current one upwards,
/// that holds a `handbook.toml`, as git finds `.git` and cargo `Cargo.toml`. It is `.` when the
/// current folder is one, else `..`, `../..` and so on, so that paths stay short in messages.
/// `None` when no folder up to the file system's root holds one.
pub fn find_root() -> Option<PathBuf> {
    let here = std::env::current_dir().ok()?;
    let up = here.ancestors().position(|dir| dir.join(CONFIG_FILE).is_file())?;
    Some(match up {
        0 => PathBuf::from("."),
        n => (0..n).map(|_| "..").collect(),
    })
}

/// Whether `tag` reads as a BCP 47 language tag (RFC 5646): a 2–3 letter ISO 639 code, then
/// subtags of 1–8 letters or digits (`en`, `pt-BR`, `zh-Hant-TW`). `_` is taken for `-`, as
/// locales often write it.
fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split(['-', '_']);
    let primary = subtags.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The closest of `candidates` to `word`, when it is close enough to be a plausible typo.
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests;
