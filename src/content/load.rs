//! Loading: walk `content/` and the other mounted folders, read every Markdown file in parallel
//! and turn it into a [`Page`].

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use jiff::tz::TimeZone;
use rayon::prelude::*;

use serde_json::Value;

use super::boundary::Boundary;
use super::fields::{Fields, choice_help};
use super::formats::{self, BodyMetadata};
use super::kinds::{RecordPlace, is_moved_stub, read_decision, read_meeting, read_person, read_protocol};
use super::mounts::Mounts;
use super::placement::{
    self as folder_settings, decision_log, declared_kind, is_record_template, may_be_record, named_as_record,
};
use super::walk::{FOLDER_PAGE_NAMES, folder_pages, walk_mounts, walk_static};
use super::{Kind, KindMeta, Page, Role, Visibility, front_matter};
use crate::config::Config;
use crate::dates;
use crate::diagnostics::{Diagnostic, SourceText};
use crate::markdown;

/// The folder under the handbook root that holds the pages.
pub const CONTENT_DIR: &str = "content";

/// The folder under the handbook root whose files are copied to the site as they are.
pub const STATIC_DIR: &str = "static";

/// What loading found.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every page that could be read, in path order; shared with `serve`'s [`PageCache`].
    pub pages: Vec<Arc<Page>>,
    /// Other files of the mounted folders (images next to the pages that show them), by site
    /// source (see [`Mounts`]); they are copied to the same place in the site.
    pub assets: Vec<String>,
    /// Files under `static/`, relative to it; they are copied to the site root.
    pub static_files: Vec<String>,
    /// The theme's static files, by their path in the site (set by the build, which loads the
    /// theme), so that content cannot take their paths.
    pub theme_files: Vec<String>,
    /// Problems, including files that could not be read at all.
    pub diagnostics: Vec<Diagnostic>,
    /// Markdown files that could not be read (each has its error among the diagnostics),
    /// by site source: links to them are not reported as broken as well.
    pub unreadable: Vec<String>,
    /// The folders the pages and assets came from.
    pub mounts: Mounts,
}

/// Pages read earlier, kept by `serve` so that a rebuild reads again only the files that
/// changed. An entry is valid for the configuration it was read with; clear the cache when that
/// changes.
#[derive(Debug, Default)]
pub struct PageCache {
    entries: HashMap<(String, bool), ReadResult>,
    /// What the last load found walking the folders, which the next may take instead (see
    /// [`PageCache::same_files`]).
    walked: Option<Walked>,
    /// The files forgotten since the last load.
    forgotten: Vec<String>,
    /// Whether the next load may take `walked`.
    same_files: bool,
}

/// What walking the mounted folders and `static/` found, with what the walk said.
#[derive(Debug, Clone)]
struct Walked {
    markdown: Vec<String>,
    assets: Vec<String>,
    static_files: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

/// A page and its problems, or why it could not be read.
pub type ReadResult = Result<(Arc<Page>, Vec<Diagnostic>), Diagnostic>;

impl PageCache {
    /// Forgets the file `source` (relative to `content/`), so the next load reads it again.
    pub fn forget(&mut self, source: &str) {
        self.entries.retain(|(cached, _), _| cached != source);
        self.forgotten.push(source.to_string());
    }

    /// Forgets every file.
    pub fn clear(&mut self) {
        *self = PageCache::default();
    }

    /// Says that no file appeared, went away or was moved since the last load, in the mounted
    /// folders and `static/`: the files forgotten since were edited where they are. The next load
    /// then takes the files the last one found rather than walk the folders again (17 ms of a
    /// title edit at 10,000 pages), once it has checked that each forgotten file is one the last
    /// walk found and is still a file inside the handbook, as the walk would.
    pub fn same_files(&mut self) {
        self.same_files = true;
    }

    /// What the last walk found, when the next load may take it (see [`PageCache::same_files`]).
    fn walked(&mut self, root: &Path, mounts: &Mounts, boundary: &Boundary) -> Option<Walked> {
        let forgotten = std::mem::take(&mut self.forgotten);
        if !std::mem::take(&mut self.same_files) {
            return None;
        }
        let walked = self.walked.as_ref()?;
        let in_place = |source: &String| {
            let path = root.join(mounts.file(source));
            walked.markdown.contains(source) && path.is_file() && boundary.check(&path).is_ok()
        };
        forgotten.iter().all(in_place).then(|| walked.clone())
    }

    /// The leaf page `source` as last read, with the problems found then, if it could be read.
    pub fn leaf(&self, source: &str) -> Option<(&Page, &[Diagnostic])> {
        match self.entries.get(&(source.to_string(), false))? {
            Ok((page, diagnostics)) => Some((page, diagnostics)),
            Err(_) => None,
        }
    }

    /// Remembers what reading `source`, a leaf page, gave.
    pub fn remember_leaf(&mut self, source: &str, result: ReadResult) {
        self.entries.insert((source.to_string(), false), result);
    }
}

/// Reads every page of the handbook in `root`: under `content/` and the `[[mounts]]`.
pub fn load(root: &Path, config: &Config) -> Loaded {
    load_with(root, config, None)
}

/// Reads every page of the handbook in `root`, taking the pages of `cache` that are still there and
/// remembering the ones it reads.
pub fn load_cached(root: &Path, config: &Config, cache: &mut PageCache) -> Loaded {
    load_with(root, config, Some(cache))
}

/// Reads the leaf page at site source `source` again, if the [`Boundary`] lets it.
pub fn read_leaf(root: &Path, source: &str, config: &Config) -> ReadResult {
    let mounts = Mounts::new(root, config);
    let file = mounts.file(source);
    Boundary::new(root)
        .check(&root.join(&file))
        .map_err(|refusal| refusal.into_diagnostic(&file))?;
    read_page(root, &mounts, source, config, false).map(|(page, diagnostics)| (Arc::new(page), diagnostics))
}

fn load_with(root: &Path, config: &Config, mut cache: Option<&mut PageCache>) -> Loaded {
    let mounts = Mounts::new(root, config);
    let mut loaded = Loaded {
        mounts: mounts.clone(),
        ..Loaded::default()
    };
    if config.mounts.is_empty() && !root.join(CONTENT_DIR).is_dir() {
        loaded.diagnostics.push(
            Diagnostic::error(
                "no-content",
                format!("there is no {CONTENT_DIR}/ folder in {}", root.display()),
            )
            .help("run `handbook init` to create a handbook, pass --root with the handbook's folder, or mount folders with `[[mounts]]` in handbook.toml"),
        );
        return loaded;
    }
    loaded.diagnostics.extend(mounts.problems(config));
    let boundary = Boundary::new(root);
    let walked = match cache.as_mut().and_then(|cache| cache.walked(root, &mounts, &boundary)) {
        Some(walked) => walked,
        None => {
            let mut diagnostics = Vec::new();
            let found = walk_mounts(root, &mounts, config, &boundary, &mut diagnostics);
            let static_files = walk_static(root, Path::new(STATIC_DIR), &boundary, &mut diagnostics);
            let walked = Walked {
                markdown: found.markdown,
                assets: found.assets,
                static_files,
                diagnostics,
            };
            if let Some(cache) = cache.as_mut() {
                cache.walked = Some(walked.clone());
            }
            walked
        }
    };
    let Walked {
        markdown: markdown_files,
        assets,
        static_files,
        diagnostics,
    } = walked;
    loaded.diagnostics.extend(diagnostics);
    loaded.assets = assets;
    loaded.static_files = static_files;
    let folder_pages = folder_pages(&markdown_files);
    let keys: Vec<(String, bool)> = markdown_files
        .iter()
        .map(|rel| (rel.clone(), folder_pages.contains(rel.as_str())))
        .collect();
    let read = |(rel, folder): &(String, bool)| {
        read_page(root, &mounts, rel, config, *folder).map(|(page, diagnostics)| (Arc::new(page), diagnostics))
    };
    let results: Vec<ReadResult> = match cache {
        None => keys.par_iter().map(read).collect(),
        Some(cache) => {
            let missing: Vec<&(String, bool)> = keys.iter().filter(|k| !cache.entries.contains_key(*k)).collect();
            let fresh: Vec<ReadResult> = missing.par_iter().map(|key| read(key)).collect();
            for (key, result) in missing.into_iter().zip(fresh) {
                cache.entries.insert(key.clone(), result);
            }
            let present: std::collections::HashSet<&(String, bool)> = keys.iter().collect();
            cache.entries.retain(|key, _| present.contains(key));
            keys.par_iter().map(|key| cache.entries[key].clone()).collect()
        }
    };
    for ((rel, _), result) in keys.into_iter().zip(results) {
        match result {
            Ok((page, diagnostics)) => {
                loaded.pages.push(page);
                loaded.diagnostics.extend(diagnostics);
            }
            Err(diagnostic) => {
                loaded.diagnostics.push(diagnostic);
                loaded.unreadable.push(rel);
            }
        }
    }
    loaded
        .diagnostics
        .extend(folder_settings::unmatched(config, &loaded.pages));
    loaded.diagnostics.extend(language_note(config));
    loaded
}

/// Reads one file; an `Err` means there is no page at all (unreadable, empty, broken front
/// matter), an `Ok` may still carry diagnostics about single fields.
fn read_page(
    root: &Path,
    mounts: &Mounts,
    rel: &str,
    config: &Config,
    folder_page: bool,
) -> Result<(Page, Vec<Diagnostic>), Diagnostic> {
    let file = mounts.file(rel);
    let mount = mounts.locate(rel).map(|(mount, _)| mount);
    let bytes = std::fs::read(root.join(&file))
        .map_err(|err| Diagnostic::error("unreadable", format!("cannot read the file: {err}")).in_file(&file))?;
    let text = decode(&file, bytes)?;
    let source = SourceText::new(&file, &text);
    if text.trim().is_empty() {
        return Err(Diagnostic::error("empty-file", "the file is empty")
            .in_file(&file)
            .help("write the page's content, or delete the file"));
    }
    let split = front_matter::split(&source)?;
    let mut fields = Fields::new(split.fields, &source);
    let options = markdown::options(config.markdown.smart_punctuation);
    let mut outline = markdown::scan(&text, split.body_start, options);

    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = name.trim_end_matches(".md");
    // A page beside the folder it is the page of (see `folder_pages`).
    let dir = if folder_page && !FOLDER_PAGE_NAMES.contains(&name) {
        rel.trim_end_matches(".md")
    } else {
        dir
    };
    let role = match (folder_page, dir.is_empty()) {
        (true, true) => Role::Home,
        (true, false) => Role::Section,
        (false, _) => Role::Leaf,
    };
    // A leaf page that nothing declares is a decision record when its body reads as one of the
    // formats other tools write (adr-tools, MADR, Log4brains, RFCs), wherever it sits, if it is
    // named as those tools name records (numbered).
    // A page in the folder of a record beside it (an RFC's translations in
    // `3392-leadership-council/`) belongs to that record: its place does not make it one.
    let in_record_folder =
        role == Role::Leaf && !dir.is_empty() && root.join(mounts.file(&format!("{dir}.md"))).is_file();
    // MADR 3 and 4 keep a record's metadata in front matter: keys only decisions have.
    let written_as_record = RECORD_KEYS.iter().any(|key| fields.has(key));
    let declared = declared_kind(&mut fields, config, mount, dir, stem, role, in_record_folder);
    let body_text = &text[split.body_start..];
    let body = match declared {
        Some(Kind::Decision) | None => formats::read(&text, split.body_start),
        Some(_) => BodyMetadata::default(),
    };
    let kind = match declared {
        Some(Kind::Decision) | None if is_moved_stub(body_text) => Kind::Page,
        Some(kind) => kind,
        None if (body.format.is_some() || written_as_record) && may_be_record(stem) && named_as_record(stem) => {
            Kind::Decision
        }
        None => Kind::Page,
    };
    let body_format = body.format;
    let mut body = if kind == Kind::Decision {
        body
    } else {
        BodyMetadata::default()
    };

    let title = fields.title();
    let written = fields.date_time("date");
    // A meeting's date and time are read in the zone it was held in, other pages' in the site's.
    let timezone = (kind == Kind::Meeting).then(|| read_timezone(&mut fields)).flatten();
    let zone = zone_named(timezone.as_deref().unwrap_or(&config.timezone));
    // A meeting shows its action items in a list of their own (state, owner, due date): those
    // it shows in full leave the body, so that each is shown once.
    if kind == Kind::Meeting {
        body.consumed = markdown::shown_as_action_items(&text, &outline);
    }
    // What was read from the body is shown once, in the facts box: its headings leave the outline.
    let shown = markdown::Body {
        text: &text,
        start: split.body_start,
        skip: &body.consumed,
    };
    markdown::hide_headings(&mut outline, shown);
    // Front matter, then the body's metadata, then a date in the file name, then in the H1.
    let date = written
        .map(|moment| moment.day_in(&zone))
        .or(body.date)
        .or_else(|| dates::date_in_name(stem).map(|(date, _)| date))
        .or_else(|| {
            let h1 = outline.leading_h1.as_deref()?;
            dates::date_in_name(h1).map(|(date, _)| date)
        });
    let updated = fields.date("updated");
    let mut tags = fields.strings(&["tags"]);
    let template = is_record_template(config, mount, dir, stem, body_format.is_some());
    let draft = fields.bool("draft").unwrap_or(template);
    let aliases = fields.strings(&["aliases"]);
    let summary = fields.string("summary");
    let weight = fields.integer("weight");
    let owner = fields.string("owner").map(|o| person_id(&o));
    let visibility = read_visibility(&mut fields);
    let team = fields.string("team").filter(|team| !team.trim().is_empty());
    let meta = match kind {
        Kind::Page => KindMeta::Page,
        Kind::Decision => {
            let place = RecordPlace {
                stem,
                log: decision_log(config, mount, dir),
                default_status: mount.and_then(|mount| mount.status.as_deref()),
            };
            KindMeta::Decision(read_decision(&mut fields, &place, config, &text, &body))
        }
        Kind::Meeting => KindMeta::Meeting(read_meeting(&mut fields, written, date, &zone, timezone, &outline)),
        Kind::Protocol => KindMeta::Protocol(read_protocol(&mut fields)),
        Kind::Person => KindMeta::Person(read_person(&mut fields)),
    };
    let (extra, diagnostics) = fields.into_extra();
    if tags.is_empty() {
        tags = body.tags.clone();
    }

    let title = title
        .or(body.title)
        .or_else(|| outline.leading_h1.clone())
        .unwrap_or_else(|| {
            // A folder's page is named after the folder (its last name, not the whole path).
            let folder = dir.rsplit('/').next().unwrap_or(dir);
            title_from_file_name(if role == Role::Leaf { stem } else { folder })
        });
    let page = Page {
        path: site_path(dir, stem, role),
        file,
        source: rel.to_string(),
        role,
        title,
        date,
        updated,
        tags,
        draft,
        aliases,
        summary,
        weight,
        owner,
        visibility,
        team,
        extra,
        meta,
        body_start: split.body_start,
        consumed: body.consumed,
        outline,
        text: text.into(),
        body_dropped: false,
    };
    Ok((page, diagnostics))
}

/// Front-matter keys that only decision records have, which make a page that nothing else
/// declares a record (as MADR 3 and 4 write them).
const RECORD_KEYS: [&str; 5] = ["status", "deciders", "decision-makers", "supersedes", "superseded_by"];

/// Checks the file is UTF-8 (dropping a byte-order mark), pointing at the first bad byte.
fn decode(file: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        }),
        Err(err) => {
            let bad = err.utf8_error().valid_up_to();
            let byte = err.as_bytes()[bad];
            let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
            let source = SourceText::new(file, &lossy);
            Err(
                Diagnostic::error("not-utf8", format!("the file is not valid UTF-8 (byte 0x{byte:02X})"))
                    .at(&source, bad..bad + 1)
                    .help("save the file with UTF-8 encoding"),
            )
        }
    }
}

fn read_visibility(fields: &mut Fields<'_, '_>) -> Option<Visibility> {
    let names = Visibility::ALL.map(Visibility::name);
    fields.parse(
        "visibility",
        "unknown-visibility",
        "a visibility",
        choice_help(&names),
        |v| v.as_str().and_then(Visibility::from_name),
    )
}

/// The number in a `0007-use-postgres` (or `adr-0007-use-postgres`) file name; `20201016-slug`
/// is a date, not a number.
pub(crate) fn number_prefix(stem: &str) -> Option<u32> {
    let stem = match stem.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("adr-") || prefix.eq_ignore_ascii_case("adr_") => &stem[4..],
        _ => stem,
    };
    let digits = stem.find(|c: char| !c.is_ascii_digit()).unwrap_or(stem.len());
    if digits == 0 || digits > 6 {
        return None;
    }
    if !(digits == stem.len() || stem[digits..].starts_with(['-', '_', '.'])) {
        return None;
    }
    stem[..digits].parse().ok()
}

/// The zone named `name`, already checked (the site's when the config was read, a meeting's by
/// `read_timezone`); UTC should a name get here unchecked.
fn zone_named(name: &str) -> TimeZone {
    jiff::tz::db().get(name).unwrap_or(TimeZone::UTC)
}

pub(super) fn read_timezone(fields: &mut Fields<'_, '_>) -> Option<String> {
    let zone_help = |_: &Value| "use a name such as \"Europe/Berlin\" or \"UTC\"".to_string();
    fields.parse("timezone", "unknown-timezone", "an IANA time zone", zone_help, |v| {
        v.as_str()
            .filter(|name| jiff::tz::db().get(name).is_ok())
            .map(String::from)
    })
}

/// People are referred to as `alice` or `@alice`; the id is without `@`.
pub(super) fn person_id(name: &str) -> String {
    name.trim().trim_start_matches('@').to_string()
}

/// Where a page lives in the site: its folders and file name, each slugified.
fn site_path(dir: &str, stem: &str, role: Role) -> String {
    let mut path = String::new();
    let segments = dir.split('/').filter(|s| !s.is_empty());
    let segments: Vec<&str> = match role {
        Role::Leaf => segments.chain(std::iter::once(stem)).collect(),
        _ => segments.collect(),
    };
    for segment in segments {
        path.push_str(&crate::routes::slug_segment(segment));
        path.push('/');
    }
    path
}

/// `use-postgres` → `Use postgres`, for pages with neither a title nor a heading; a record's
/// number or date is not part of its title (`0001-private-fields` → `Private fields`,
/// `Agenda 2026-08-13` → `Agenda`), unless it is all the name has.
fn title_from_file_name(stem: &str) -> String {
    let separator = |c: char| matches!(c, ' ' | '-' | '_' | '.');
    let words = match (number_prefix(stem), dates::date_in_name(stem)) {
        (Some(_), _) => stem
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_')
            .to_string(),
        (None, Some((_, at))) => {
            let parts = [
                stem[..at.start].trim_end_matches(separator),
                stem[at.end..].trim_start_matches(separator),
            ];
            parts
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        }
        (None, None) => stem.to_string(),
    };
    let title = super::humanize(if words.is_empty() { stem } else { &words });
    if title.is_empty() { "Home".into() } else { title }
}

/// A note when search has no stemmer for the handbook's language: its words then find only
/// their own forms. Not a warning: a handbook in Polish is not wrong.
fn language_note(config: &Config) -> Option<Diagnostic> {
    let language = crate::search::language::Language::from_tag(&config.language);
    if language.is_supported() {
        return None;
    }
    let diagnostic = Diagnostic::note(
        "no-stemmer",
        format!(
            "search has no stemmer for `{}`: a word finds only pages that write it the same way",
            config.language
        ),
    )
    .help(crate::search::language::SUPPORTED_HELP);
    Some(config.point(diagnostic, &["language"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_from_file_names() {
        assert_eq!(number_prefix("0007-use-postgres"), Some(7));
        assert_eq!(number_prefix("12"), Some(12));
        assert_eq!(number_prefix("ADR-00042-use-kafka"), Some(42));
        assert_eq!(number_prefix("20201016-use-adrs"), None);
        assert_eq!(number_prefix("2fa-rollout"), None);
        assert_eq!(number_prefix("adr-template"), None);
    }

    #[test]
    fn site_paths() {
        assert_eq!(
            site_path("decisions", "0007-use-postgres", Role::Leaf),
            "decisions/0007-use-postgres/"
        );
        assert_eq!(
            site_path("minutes/triage", "T-compiler Agenda 2024", Role::Leaf),
            "minutes/triage/t-compiler-agenda-2024/"
        );
        assert_eq!(site_path("guides", "_index", Role::Section), "guides/");
        assert_eq!(site_path("", "_index", Role::Home), "");
    }

    #[test]
    fn titles_from_file_names() {
        assert_eq!(title_from_file_name("use-postgres"), "Use postgres");
        assert_eq!(title_from_file_name("0001-private-fields"), "Private fields");
        assert_eq!(title_from_file_name("2026-11-20-weekly"), "Weekly");
        assert_eq!(title_from_file_name("20201016-use-adrs"), "Use adrs");
        assert_eq!(title_from_file_name("Meeting Agenda 2026-08-13"), "Meeting Agenda");
        assert_eq!(title_from_file_name("retro_2026_08_13_notes"), "Retro notes");
        assert_eq!(title_from_file_name("2026-11-20"), "2026 11 20");
        assert_eq!(title_from_file_name("plan-2026-02-30"), "Plan 2026 02 30");
        assert_eq!(title_from_file_name("2026"), "2026");
    }
}
