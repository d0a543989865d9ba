//! Resolving: connecting the loaded pages into a site and validating everything that spans
//! more than one file — unique URLs and decision numbers, links and anchors, references between
//! decisions and meetings, backlinks.
//!
//! The [`Site`] this returns is final: renderers only read it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::config::Config;
use crate::content::load::{CONTENT_DIR, Loaded};
use crate::content::{Kind, KindMeta, Page, Role, Status};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Site paths of the generated pages, which content pages may not take.
pub const GENERATED_PATHS: [&str; 5] = ["decisions/", "meetings/", "protocols/", "people/", "tags/"];

/// Where a link in a page's body goes once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A file of the site, relative to the site root, with any `#fragment`
    /// (`decisions/0007-x/index.html#why`).
    Site(String),
    /// Leave the link as written (external, `mailto:`, in-page anchors).
    Keep,
    /// An anchor in the same page, spelt as its id is (`#Context` → `#context`).
    Anchor(String),
    /// The target exists but is left out of this build (a draft): keep only the text.
    Unlink,
}

/// What the build was asked for, as far as resolving is concerned.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection {
    /// Include pages with `draft = true`.
    pub drafts: bool,
}

/// The whole handbook, connected and validated.
#[derive(Debug)]
pub struct Site {
    /// The handbook's folder.
    pub root: PathBuf,
    /// The configuration it was built with.
    pub config: Config,
    /// The date "overdue" is measured against.
    pub today: Date,
    /// Every page in the build, sorted by source path.
    pub pages: Vec<Page>,
    /// Non-Markdown files under `content/`, relative to it.
    pub assets: Vec<String>,
    /// Files under `static/`, relative to it.
    pub static_files: Vec<String>,
    /// For each page (same index as `pages`), where each link destination in its body goes.
    pub links: Vec<HashMap<String, LinkTarget>>,
    /// For each page, the pages that link to it.
    pub backlinks: Vec<Vec<usize>>,
    /// Decision records by number.
    pub decisions: BTreeMap<u32, usize>,
    /// For each decision number, the meetings that made it.
    pub made_in: HashMap<u32, Vec<usize>>,
    /// People by id.
    pub people: HashMap<String, usize>,
    /// Redirects from old URLs: the output file to write (`old/path/index.html`) and the page it
    /// sends readers to.
    pub redirects: Vec<(String, usize)>,
}

impl Site {
    /// The pages of one kind, leaf pages only.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (usize, &Page)> {
        self.pages
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.kind() == kind && p.role == Role::Leaf)
    }
}

/// Connects the loaded pages; diagnostics go to `diagnostics`.
pub fn resolve(
    root: &Path,
    config: Config,
    loaded: Loaded,
    selection: Selection,
    today: Date,
    diagnostics: &mut Diagnostics,
) -> Site {
    let (mut pages, left_out): (Vec<Page>, Vec<Page>) =
        loaded.pages.into_iter().partition(|p| selection.drafts || !p.draft);
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    let left_out: HashSet<String> = left_out.into_iter().map(|p| p.source).collect();

    check_paths(&pages, diagnostics);
    let redirects = redirects(&pages, diagnostics);
    let decisions = number_decisions(&pages, diagnostics);
    link_decisions(&mut pages, &decisions, diagnostics);
    let made_in = meetings_by_decision(&pages, &decisions, diagnostics);
    let people = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind() == Kind::Person)
        .map(|(i, p)| (person_id(p), i))
        .collect();

    let index = SiteIndex::new(&pages, &loaded.assets, &loaded.static_files, &left_out);
    let mut links = Vec::with_capacity(pages.len());
    let mut backlinks: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pages.len()];
    for (from, page) in pages.iter().enumerate() {
        let mut targets = HashMap::new();
        for link in &page.outline.links {
            let (target, to) = index.resolve(page, &link.dest).unwrap_or_else(|problem| {
                let target = match problem {
                    LinkProblem::LeftOut(_) => LinkTarget::Unlink,
                    _ => LinkTarget::Keep,
                };
                diagnostics.push(problem.into_diagnostic(page, link));
                (target, None)
            });
            if let Some(to) = to.filter(|to| *to != from) {
                backlinks[to].insert(from);
            }
            targets.insert(link.dest.clone(), target);
        }
        links.push(targets);
    }

    Site {
        root: root.to_path_buf(),
        config,
        today,
        pages,
        assets: loaded.assets,
        static_files: loaded.static_files,
        links,
        backlinks: backlinks.into_iter().map(|b| b.into_iter().collect()).collect(),
        decisions,
        made_in,
        people,
        redirects,
    }
}

/// A person's id: their file name.
pub fn person_id(page: &Page) -> String {
    let name = page.source.rsplit('/').next().unwrap_or(&page.source);
    name.trim_end_matches(".md").to_string()
}

/// Two pages may not share a URL, and no page may take a generated page's URL.
fn check_paths(pages: &[Page], diagnostics: &mut Diagnostics) {
    let mut taken: HashMap<&str, &Page> = HashMap::new();
    for page in pages {
        let generated = GENERATED_PATHS.contains(&page.path.as_str()) || page.path.starts_with("tags/");
        if generated && page.role == Role::Leaf {
            diagnostics.push(
                Diagnostic::error(
                    "url-conflict",
                    format!("this page's URL `{}` is taken by a generated page", page.path),
                )
                .at(&page.source_text(), 0..0)
                .help("rename the file or move it to another folder"),
            );
            continue;
        }
        if let Some(first) = taken.get(page.path.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "url-conflict",
                    format!("this page and {} both have the URL `{}`", first.file.display(), page.path),
                )
                .at(&page.source_text(), 0..0)
                .help("rename one of the two files; folder pages (`_index.md`, `index.md`, `README.md`) share their folder's URL"),
            );
            continue;
        }
        taken.insert(&page.path, page);
    }
}

/// The redirect files that `aliases` ask for; an alias may not take a page's URL or another
/// alias's.
fn redirects(pages: &[Page], diagnostics: &mut Diagnostics) -> Vec<(String, usize)> {
    let taken: HashSet<String> = pages.iter().map(Page::output_file).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut redirects = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        for alias in &page.aliases {
            let trimmed = alias.trim().trim_start_matches('/');
            let file = if trimmed.ends_with(".html") || trimmed.ends_with(".htm") {
                trimmed.to_string()
            } else if trimmed.is_empty() {
                "index.html".to_string()
            } else {
                format!("{}/index.html", trimmed.trim_end_matches('/'))
            };
            let clash = if taken.contains(&file) {
                Some("a page".to_string())
            } else {
                seen.get(&file)
                    .map(|&other| format!("an alias of {}", pages[other].file.display()))
            };
            if file.split('/').any(|segment| segment == "..") || clash.is_some() {
                let why = clash.map_or("it climbs out of the site".to_string(), |c| {
                    format!("{c} already has that URL")
                });
                diagnostics.push(
                    Diagnostic::error("bad-alias", format!("the alias `{alias}` cannot be used: {why}"))
                        .at(&page.source_text(), key_span(page, "aliases").unwrap_or(0..0))
                        .help("an alias is an old URL of this page, such as \"/old/path/\""),
                );
                continue;
            }
            seen.insert(file.clone(), i);
            redirects.push((file, i));
        }
    }
    redirects
}

fn number_decisions(pages: &[Page], diagnostics: &mut Diagnostics) -> BTreeMap<u32, usize> {
    let mut numbers = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        let Some(number) = page.decision().and_then(|d| d.number) else {
            continue;
        };
        if let Some(&first) = numbers.get(&number) {
            let first: &Page = &pages[first];
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-decision-number",
                    format!("decision number {number} is also used by {}", first.file.display()),
                )
                .at(&page.source_text(), key_span(page, "id").unwrap_or(0..0))
                .help("give this record the next free number (`handbook new decision` picks one)"),
            );
            continue;
        }
        numbers.insert(number, i);
    }
    numbers
}

/// Makes `supersedes`/`superseded_by` symmetric, and reports references to missing records.
fn link_decisions(pages: &mut [Page], numbers: &BTreeMap<u32, usize>, diagnostics: &mut Diagnostics) {
    let mut replaced_by: BTreeMap<usize, BTreeSet<u32>> = BTreeMap::new();
    let mut replaces: BTreeMap<usize, BTreeSet<u32>> = BTreeMap::new();
    for page in pages.iter() {
        let Some(decision) = page.decision() else { continue };
        let references = [
            ("supersedes", &decision.supersedes),
            ("superseded_by", &decision.superseded_by),
            ("amends", &decision.amends),
            ("related", &decision.related),
        ];
        for (key, list) in references {
            for number in list {
                let Some(&target) = numbers.get(number) else {
                    diagnostics.push(missing_decision(page, key, *number));
                    continue;
                };
                let own = decision.number.unwrap_or_default();
                match key {
                    "supersedes" => {
                        replaced_by.entry(target).or_default().insert(own);
                    }
                    "superseded_by" => {
                        replaces.entry(target).or_default().insert(own);
                    }
                    _ => {}
                }
            }
        }
    }
    for (i, page) in pages.iter_mut().enumerate() {
        let Some(decision) = page.decision().filter(|d| d.number.is_some()) else {
            continue;
        };
        let mut superseded_by = decision.superseded_by.clone();
        merge(&mut superseded_by, replaced_by.remove(&i));
        let mut supersedes = decision.supersedes.clone();
        merge(&mut supersedes, replaces.remove(&i));
        let mut status = decision.status;
        if let Some(replacement) = superseded_by.first()
            && status != Some(Status::Superseded)
        {
            let shown = status.map_or("no status", Status::name);
            let span = key_span(page, "status").unwrap_or(0..0);
            diagnostics.push(
                Diagnostic::warning(
                    "status-not-superseded",
                    format!("this decision is superseded by decision {replacement} but says {shown}"),
                )
                .at(&page.source_text(), span)
                .help("set `status = \"superseded\"`; the site shows it as superseded meanwhile"),
            );
            status = Some(Status::Superseded);
        }
        if let KindMeta::Decision(decision) = &mut page.meta {
            decision.superseded_by = superseded_by;
            decision.supersedes = supersedes;
            decision.status = status;
        }
    }
}

fn merge(list: &mut Vec<u32>, more: Option<BTreeSet<u32>>) {
    list.extend(more.unwrap_or_default());
    list.sort_unstable();
    list.dedup();
}

fn missing_decision(page: &Page, key: &str, number: u32) -> Diagnostic {
    Diagnostic::error(
        "missing-decision",
        format!("`{key}` names decision {number}, which does not exist"),
    )
    .at(&page.source_text(), key_span(page, key).unwrap_or(0..0))
    .help("check the number against the decision log, or remove it")
}

fn meetings_by_decision(
    pages: &[Page],
    numbers: &BTreeMap<u32, usize>,
    diagnostics: &mut Diagnostics,
) -> HashMap<u32, Vec<usize>> {
    let mut made_in: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        let Some(meeting) = page.meeting() else { continue };
        for number in &meeting.decisions {
            if numbers.contains_key(number) {
                made_in.entry(*number).or_default().push(i);
            } else {
                diagnostics.push(missing_decision(page, "decisions", *number));
            }
        }
    }
    made_in
}

/// The bytes of the front-matter line that sets `key`, for pointing diagnostics at it.
pub fn key_span(page: &Page, key: &str) -> Option<std::ops::Range<usize>> {
    let front = &page.text[..page.body_start];
    let mut offset = 0;
    for line in front.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key)
            && rest.trim_start().starts_with(['=', ':'])
        {
            return Some(offset..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    None
}

/// Why a link could not be resolved.
enum LinkProblem {
    Broken(String),
    Anchor { target: String, anchor: String },
    LeftOut(String),
}

impl LinkProblem {
    fn into_diagnostic(self, page: &Page, link: &crate::markdown::LinkRef) -> Diagnostic {
        let source = page.source_text();
        let what = if link.image { "image" } else { "link" };
        match self {
            LinkProblem::Broken(path) => Diagnostic::error("broken-link", format!("broken {what}: `{path}` does not exist"))
                .at(&source, link.span.clone())
                .help("link to a file under content/ or static/; paths are relative to this file, or to content/ when they start with `/`"),
            LinkProblem::Anchor { target, anchor } => Diagnostic::error("broken-anchor", format!("broken {what}: {target} has no heading `#{anchor}`"))
                .at(&source, link.span.clone())
                .help("use the id of a heading in the target page (its text in lowercase, spaces as hyphens)"),
            LinkProblem::LeftOut(path) => Diagnostic::warning("link-to-draft", format!("this {what} goes to `{path}`, which is a draft and left out of this build"))
                .at(&source, link.span.clone())
                .help("the link is shown as plain text; build with --drafts to include drafts"),
        }
    }
}

/// Everything a link may point at.
struct SiteIndex<'a> {
    pages: &'a [Page],
    by_source: HashMap<&'a str, usize>,
    by_path: HashMap<&'a str, usize>,
    /// Site paths of folders holding pages: each gets a generated section page.
    folders: HashSet<String>,
    assets: HashSet<&'a str>,
    static_files: HashSet<&'a str>,
    left_out: &'a HashSet<String>,
}

impl<'a> SiteIndex<'a> {
    fn new(pages: &'a [Page], assets: &'a [String], static_files: &'a [String], left_out: &'a HashSet<String>) -> Self {
        SiteIndex {
            pages,
            by_source: pages.iter().enumerate().map(|(i, p)| (p.source.as_str(), i)).collect(),
            by_path: pages.iter().enumerate().map(|(i, p)| (p.path.as_str(), i)).collect(),
            folders: pages
                .iter()
                .filter(|p| p.role != Role::Home)
                .flat_map(|p| {
                    let path = p.path.as_str();
                    path.match_indices('/').map(move |(end, _)| path[..=end].to_string())
                })
                .collect(),
            assets: assets.iter().map(String::as_str).collect(),
            static_files: static_files.iter().map(String::as_str).collect(),
            left_out,
        }
    }

    /// Resolves `dest`, written in `page`, to a target and the page it reaches (for backlinks).
    fn resolve(&self, page: &Page, dest: &str) -> Result<(LinkTarget, Option<usize>), LinkProblem> {
        if is_external(dest) {
            return Ok((LinkTarget::Keep, None));
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        if path.is_empty() {
            let anchor = fragment.unwrap_or_default();
            if anchor.is_empty() {
                return Ok((LinkTarget::Keep, None));
            }
            return match page.outline.find_id(anchor) {
                Some(id) if id == anchor => Ok((LinkTarget::Keep, None)),
                Some(id) => Ok((LinkTarget::Anchor(id.to_string()), None)),
                None => Err(LinkProblem::Anchor {
                    target: "this page".into(),
                    anchor: anchor.into(),
                }),
            };
        }
        let decoded = percent_decode(path);
        let base = page.source.rsplit_once('/').map_or("", |(dir, _)| dir);
        let Some(resolved) = normalize(base, &decoded) else {
            return Err(LinkProblem::Broken(decoded));
        };
        let with_fragment = |site: String| match fragment {
            Some(f) => format!("{site}#{f}"),
            None => site,
        };
        if let Some(&target) = self.find_page(&resolved) {
            let target_page = &self.pages[target];
            let site = target_page.output_file();
            let Some(anchor) = fragment.filter(|a| !a.is_empty()) else {
                return Ok((LinkTarget::Site(site), Some(target)));
            };
            let Some(id) = target_page.outline.find_id(anchor) else {
                return Err(LinkProblem::Anchor {
                    target: format!("{}/{}", CONTENT_DIR, target_page.source),
                    anchor: anchor.into(),
                });
            };
            return Ok((LinkTarget::Site(format!("{site}#{id}")), Some(target)));
        }
        if self.left_out.contains(&resolved) {
            return Err(LinkProblem::LeftOut(resolved));
        }
        let trimmed = resolved.trim_end_matches('/');
        if self.assets.contains(trimmed) || self.static_files.contains(trimmed) {
            return Ok((LinkTarget::Site(with_fragment(trimmed.to_string())), None));
        }
        let folder: String = trimmed
            .split('/')
            .map(|segment| format!("{}/", slug::slugify(segment)))
            .collect();
        if GENERATED_PATHS.contains(&folder.as_str()) || self.folders.contains(&folder) {
            return Ok((LinkTarget::Site(with_fragment(format!("{folder}index.html"))), None));
        }
        Err(LinkProblem::Broken(decoded))
    }

    /// A page by its source file (`decisions/0007-x.md`) or its folder (`guides/`).
    fn find_page(&self, resolved: &str) -> Option<&usize> {
        if resolved.ends_with(".md") {
            return self.by_source.get(resolved);
        }
        let trimmed = resolved.trim_end_matches('/');
        let folder = if trimmed.is_empty() {
            String::new()
        } else {
            format!("{trimmed}/")
        };
        self.by_path.get(folder.as_str())
    }
}

/// Links with a scheme (`https:`, `mailto:`) or protocol-relative ones leave the site.
fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(colon) => {
            let scheme = &dest[..colon];
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Joins a link path to the folder of the page it is in (or the content root for `/…`),
/// folding `.` and `..`; `None` when it climbs out of the content root.
fn normalize(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_links() {
        assert!(is_external("https://example.com"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("time:2026-05-14T16:00:00+02:00"));
        assert!(is_external("//cdn.example.com/x"));
        assert!(!is_external("../decisions/0001-x.md"));
        assert!(!is_external("notes.md#a:b"));
    }

    #[test]
    fn paths_are_normalized() {
        assert_eq!(
            normalize("protocols", "../decisions/0001.md").as_deref(),
            Some("decisions/0001.md")
        );
        assert_eq!(
            normalize("protocols", "/decisions/0001.md").as_deref(),
            Some("decisions/0001.md")
        );
        assert_eq!(normalize("a/b", "./c.md").as_deref(), Some("a/b/c.md"));
        assert_eq!(normalize("a", "../guides/").as_deref(), Some("guides/"));
        assert_eq!(normalize("", "../x.md"), None);
        assert_eq!(percent_decode("My%20Page.md"), "My Page.md");
    }
}
