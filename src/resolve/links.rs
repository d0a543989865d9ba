//! Links in page bodies: Markdown links to files, folders and anchors, and wiki-links to
//! decision numbers, paths and titles. Each is resolved to a file of the site or reported.

use std::collections::{HashMap, HashSet};

use super::records::RecordIndex;
use super::{GENERATED_PATHS, LeftOut, LinkTarget};
use crate::config::LinkPolicy;
use crate::content::load::CONTENT_DIR;
use crate::content::{Page, Role};
use crate::diagnostics::Diagnostic;
use crate::markdown::LinkRef;
use crate::urls::{UNSAFE_HELP, UrlUse, unsafe_scheme};

/// Why a link could not be resolved.
pub(super) enum LinkProblem {
    Broken(String),
    Anchor {
        target: String,
        anchor: String,
    },
    Ambiguous {
        target: String,
        candidates: Vec<String>,
    },
    LeftOut(String, LeftOut),
    /// A URL with this scheme is never linked ([`crate::urls`]).
    Unsafe(&'static str),
}

impl LinkProblem {
    /// The diagnostic for this problem at `link`; broken links and anchors follow `policy`.
    pub(super) fn into_diagnostic(self, page: &Page, link: &LinkRef, policy: LinkPolicy) -> Diagnostic {
        let source = page.source_text();
        let what = if link.image { "image" } else { "link" };
        let broken = |code, message: String| match policy {
            LinkPolicy::Error => Diagnostic::error(code, message),
            LinkPolicy::Warn => Diagnostic::warning(code, message),
        };
        let diagnostic = match self {
            LinkProblem::Broken(path) => broken("broken-link", format!("broken {what}: `{path}` does not exist")).help(
                "link to a file under content/ or static/; paths are relative to this file, or to content/ when they start with `/`",
            ),
            LinkProblem::Anchor { target, anchor } => {
                broken("broken-anchor", format!("broken {what}: {target} has no heading `#{anchor}`"))
                    .help("use the id of a heading in the target page (its text in lowercase, spaces as hyphens)")
            }
            LinkProblem::Ambiguous { target, candidates } => broken(
                "ambiguous-link",
                format!("`[[{target}]]` could mean any of: {}", candidates.join(", ")),
            )
            .help("name the page by its path, e.g. [[decisions/0007-use-postgres]]"),
            LinkProblem::LeftOut(path, LeftOut::Draft) => Diagnostic::warning(
                "link-to-draft",
                format!("this {what} goes to `{path}`, which is a draft and left out of this build"),
            )
            .help("the link is shown as plain text; build with --drafts to include drafts"),
            LinkProblem::LeftOut(_, LeftOut::Internal) => Diagnostic::warning(
                "link-to-internal",
                format!("this {what} goes to an internal page, which a public build leaves out"),
            )
            .help("the link is shown as plain text in the public site"),
            LinkProblem::Unsafe(scheme) => {
                let span = link.definition.clone().unwrap_or_else(|| link.span.clone());
                let diagnostic = Diagnostic::warning(
                    "unsafe-url",
                    format!("this {what} has a `{scheme}:` URL, so it is shown as plain text"),
                )
                .help(UNSAFE_HELP);
                return diagnostic.at(&source, span);
            }
        };
        diagnostic.at(&source, link.span.clone())
    }
}

/// The lookup tables links are resolved with, built once per site and kept with it, so that
/// `serve` can resolve one page's links again without rebuilding them.
#[derive(Debug, Default)]
pub struct LinkTables {
    /// Leaf pages by lowercase title, for `[[Page title]]`.
    by_title: HashMap<String, Vec<usize>>,
    by_source: HashMap<String, usize>,
    by_path: HashMap<String, usize>,
    /// Site paths of folders holding pages: each gets a generated section page.
    folders: HashSet<String>,
    assets: HashSet<String>,
    static_files: HashSet<String>,
    /// Why each left-out page is left out, by source path.
    left_out: HashMap<String, LeftOut>,
    /// Pages that could not be read, by source path: their own error says what is wrong.
    unreadable: HashSet<String>,
}

impl LinkTables {
    pub(super) fn new(
        pages: &[Page],
        assets: &[String],
        static_files: &[String],
        left_out: HashMap<String, LeftOut>,
        unreadable: &[String],
    ) -> Self {
        let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, page) in pages.iter().enumerate().filter(|(_, p)| p.role == Role::Leaf) {
            by_title.entry(page.title.to_lowercase()).or_default().push(i);
        }
        LinkTables {
            by_title,
            by_source: pages.iter().enumerate().map(|(i, p)| (p.source.clone(), i)).collect(),
            by_path: pages.iter().enumerate().map(|(i, p)| (p.path.clone(), i)).collect(),
            folders: pages
                .iter()
                .filter(|p| p.role != Role::Home)
                .flat_map(|p| {
                    let path = p.path.as_str();
                    path.match_indices('/').map(move |(end, _)| path[..=end].to_string())
                })
                .collect(),
            assets: assets.iter().cloned().collect(),
            static_files: static_files.iter().cloned().collect(),
            left_out,
            unreadable: unreadable.iter().cloned().collect(),
        }
    }

    /// The files under `content/` that are not pages and that `page` shows: those its Markdown
    /// links and images go to, resolved as [`SiteIndex::resolve`] does, and those its raw HTML
    /// names in `src` or `href`. Raw HTML is copied as written, so a browser reads it from the
    /// page's own folder in the site (`guides/intro/`) and a Markdown preview from the file's
    /// (`guides/`): either may be what the writer meant, so both count.
    pub(super) fn assets_shown_by<'a>(&'a self, page: &'a Page) -> impl Iterator<Item = &'a str> {
        let (source, output) = (page.folder(), page.path.trim_end_matches('/'));
        let markdown = page
            .outline
            .links
            .iter()
            .filter(|l| !l.wiki)
            .map(move |l| (source, l.dest.as_str()));
        let html = page
            .outline
            .html_links
            .iter()
            .map(|html| html.link.dest.as_str())
            .flat_map(move |url| [(source, url), (output, url)]);
        markdown.chain(html).filter_map(|(base, dest)| {
            if is_external(dest) {
                return None;
            }
            let path = dest.split(['#', '?']).next().unwrap_or(dest);
            let resolved = normalize(base, &percent_decode(path))?;
            self.assets.get(resolved.trim_end_matches('/')).map(String::as_str)
        })
    }
}

/// Everything a link may point at.
pub(super) struct SiteIndex<'a> {
    pub(super) pages: &'a [Page],
    pub(super) records: &'a RecordIndex,
    pub(super) tables: &'a LinkTables,
    pub(super) left_out_pages: &'a [Page],
}

impl SiteIndex<'_> {
    /// Resolves `link`, written in `page`: a wiki-link or a Markdown link, unless its URL is
    /// unsafe, which no target makes safe.
    pub(super) fn resolve_link(&self, page: &Page, link: &LinkRef) -> Result<(LinkTarget, Option<usize>), LinkProblem> {
        let usage = if link.image { UrlUse::Image } else { UrlUse::Link };
        if let Some(scheme) = unsafe_scheme(&link.dest, usage) {
            return Err(LinkProblem::Unsafe(scheme));
        }
        if link.wiki {
            self.resolve_wiki(page, &link.dest)
        } else {
            self.resolve(page, &link.dest)
        }
    }

    /// Resolves a wiki-link `[[target]]` or `[[target#anchor]]`: a decision number, a path from
    /// the content root or this page's folder (with or without `.md`, and for decisions with or
    /// without the number prefix), or a page title.
    fn resolve_wiki(&self, page: &Page, dest: &str) -> Result<(LinkTarget, Option<usize>), LinkProblem> {
        let (target, fragment) = dest.split_once('#').unwrap_or((dest, ""));
        let target = target.trim();
        let candidates = self.wiki_candidates(page, target);
        let found = match candidates.as_slice() {
            [] => {
                return Err(match self.left_out_match(page, target) {
                    Some((source, why)) => LinkProblem::LeftOut(source, why),
                    None => LinkProblem::Broken(target.to_string()),
                });
            }
            [one] => *one,
            many => {
                return Err(LinkProblem::Ambiguous {
                    target: target.to_string(),
                    candidates: many.iter().map(|&i| self.pages[i].file.display().to_string()).collect(),
                });
            }
        };
        let found_page = &self.pages[found];
        let site = found_page.output_file();
        if fragment.is_empty() {
            return Ok((LinkTarget::Site(site), Some(found)));
        }
        match found_page.outline.find_id(fragment) {
            Some(id) => Ok((LinkTarget::Site(format!("{site}#{id}")), Some(found))),
            None => Err(LinkProblem::Anchor {
                target: format!("{}/{}", CONTENT_DIR, found_page.source),
                anchor: fragment.to_string(),
            }),
        }
    }

    /// A left-out page (draft, or internal in a public build) that `[[target]]` names.
    fn left_out_match(&self, page: &Page, target: &str) -> Option<(String, LeftOut)> {
        let number = wiki_number(target);
        let wanted = target.trim_start_matches('/').trim_end_matches(".md");
        let base = page.folder();
        let relative = normalize(base, wanted).unwrap_or_default();
        let found = self.left_out_pages.iter().find(|p| {
            let source = p.source.trim_end_matches(".md");
            match number {
                Some(n) => p.decision().and_then(|d| d.number) == Some(n),
                None => {
                    source == wanted
                        || source == relative
                        || without_number(source) == wanted
                        || p.title.eq_ignore_ascii_case(target)
                }
            }
        })?;
        let why = *self.tables.left_out.get(&found.source)?;
        Some((found.source.clone(), why))
    }

    fn wiki_candidates(&self, page: &Page, target: &str) -> Vec<usize> {
        if let Some(number) = wiki_number(target) {
            return self.records.by_number.get(&number).copied().into_iter().collect();
        }
        let wanted = target.trim_start_matches('/').trim_end_matches(".md");
        let base = page.folder();
        let relative = normalize(base, wanted).unwrap_or_default();
        let by_path: Vec<usize> = self
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                let source = p.source.trim_end_matches(".md");
                source == wanted || source == relative || without_number(source) == wanted
            })
            .map(|(i, _)| i)
            .collect();
        if !by_path.is_empty() {
            return by_path;
        }
        self.tables
            .by_title
            .get(&target.to_lowercase())
            .cloned()
            .unwrap_or_default()
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
        let base = page.folder();
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
        if let Some(&why) = self.tables.left_out.get(&resolved) {
            return Err(LinkProblem::LeftOut(resolved, why));
        }
        if self.tables.unreadable.contains(&resolved) {
            return Ok((LinkTarget::Keep, None));
        }
        let trimmed = resolved.trim_end_matches('/');
        if self.tables.assets.contains(trimmed) || self.tables.static_files.contains(trimmed) {
            return Ok((LinkTarget::Site(with_fragment(trimmed.to_string())), None));
        }
        let folder: String = trimmed
            .split('/')
            .map(|segment| format!("{}/", crate::routes::slug_segment(segment)))
            .collect();
        if GENERATED_PATHS.contains(&folder.as_str()) || self.tables.folders.contains(&folder) {
            // A generated listing has no headings of its own to point into.
            if let Some(anchor) = fragment.filter(|anchor| !anchor.is_empty()) {
                return Err(LinkProblem::Anchor {
                    target: format!("the generated page `{folder}`"),
                    anchor: anchor.into(),
                });
            }
            return Ok((LinkTarget::Site(format!("{folder}index.html")), None));
        }
        Err(LinkProblem::Broken(decoded))
    }

    /// A page by its source file (`decisions/0007-x.md`) or its folder (`guides/`), so that an
    /// `#anchor` after either is checked against that page's headings.
    fn find_page(&self, resolved: &str) -> Option<&usize> {
        if resolved.ends_with(".md") {
            return self.tables.by_source.get(resolved);
        }
        // A folder is named as written (`Guides/Café/`); its page's path is slugged.
        let folder: String = resolved
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| format!("{}/", crate::routes::slug_segment(segment)))
            .collect();
        self.tables.by_path.get(folder.as_str())
    }
}

/// Links with a scheme (`https:`, `mailto:`) or protocol-relative ones leave the site.
fn is_external(dest: &str) -> bool {
    dest.starts_with("//") || crate::urls::scheme(dest).is_some()
}

/// Joins a link path to the folder of the page it is in (or the content root for `/…`),
/// folding `.` and `..`; `None` when it climbs out of the content root.
pub(super) fn normalize(base: &str, path: &str) -> Option<String> {
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

/// `[[7]]`, `[[0007]]`, `[[ADR-7]]` name a decision by number.
fn wiki_number(target: &str) -> Option<u32> {
    let digits = target
        .strip_prefix("ADR-")
        .or_else(|| target.strip_prefix("adr-"))
        .unwrap_or(target);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `decisions/0007-use-postgres` → `decisions/use-postgres`, so wiki-links may leave out numbers.
fn without_number(source: &str) -> String {
    let (dir, name) = source.rsplit_once('/').map_or(("", source), |(d, n)| (d, n));
    let name = name.trim_start_matches(|c: char| c.is_ascii_digit());
    let name = name.strip_prefix('-').unwrap_or(name);
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
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
    fn wiki_numbers_and_paths() {
        assert_eq!(wiki_number("0007"), Some(7));
        assert_eq!(wiki_number("ADR-12"), Some(12));
        assert_eq!(wiki_number("Use Postgres"), None);
        assert_eq!(without_number("decisions/0007-use-postgres"), "decisions/use-postgres");
        assert_eq!(without_number("guides/setup"), "guides/setup");
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
