//! Links in page bodies: Markdown links and the URLs of raw HTML to files, folders and anchors,
//! and wiki-links (see [`super::wiki`]). Each is resolved to a file of the site or reported,
//! with the nearest existing target as advice ([`super::suggest`]).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use super::records::RecordIndex;
use super::suggest::Candidates;
use super::wiki::WikiNames;
use super::{GENERATED_PATHS, LeftOut, LinkTarget};
use crate::config::{LinkPolicy, RawHtml};
use crate::content::mounts::Mounts;
use crate::content::{Page, Role};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Parts;
use crate::markdown::{LinkRef, Outline, ShownHtmlUrls, slugify};
use crate::urls::{UNSAFE_HELP, UrlUse, unsafe_scheme};

/// Why a link could not be resolved.
pub(super) enum LinkProblem {
    /// Nothing has the path or name `path`; a Markdown link's is `resolved` from `content/`
    /// (`None` when it climbs out).
    Broken {
        path: String,
        resolved: Option<String>,
    },
    /// `target` has no id `anchor`.
    Anchor {
        target: String,
        anchor: String,
        missing_in: MissingIn,
    },
    Ambiguous {
        target: String,
        /// The files it could mean.
        candidates: Vec<String>,
        /// How to name each of them alone (`adr/0002`, `decisions/0002-use-x`).
        names: Vec<String>,
    },
    LeftOut(String, LeftOut),
    /// A URL with this scheme is never linked ([`crate::urls`]).
    Unsafe(&'static str),
}

/// Where an anchor was looked for.
pub(super) enum MissingIn {
    /// In the page the link is in.
    ThisPage,
    /// In the page at this index.
    Page(usize),
    /// In a generated listing, which has no headings.
    Listing,
}

impl LinkProblem {
    /// The diagnostic for this problem at `link`; broken links and anchors follow `policy`, and
    /// say `near` (what to write instead) when there is a near target.
    pub(super) fn into_diagnostic(
        self,
        page: &Page,
        link: &LinkRef,
        policy: LinkPolicy,
        near: Option<String>,
    ) -> Diagnostic {
        let source = page.source_text();
        let what = if link.image { "image" } else { "link" };
        let broken = |code, message: String| match policy {
            LinkPolicy::Error => Diagnostic::error(code, message),
            LinkPolicy::Warn => Diagnostic::warning(code, message),
        };
        let did_you_mean = |help: &str| match &near {
            Some(near) => format!("did you mean `{near}`? {help}"),
            None => help.to_string(),
        };
        let diagnostic = match self {
            LinkProblem::Broken { path, .. } => {
                let help = if link.wiki {
                    "name a page by its number, path, file name or title ([[0007]], [[decisions/use-postgres]], [[Use Postgres]]), or a folder ([[decisions]])"
                } else {
                    "link to a file under content/ or static/; paths are relative to this file, or to content/ when they start with `/`"
                };
                broken("broken-link", format!("broken {what}: `{path}` does not exist")).help(did_you_mean(help))
            }
            LinkProblem::Anchor { target, anchor, .. } => broken(
                "broken-anchor",
                format!("broken {what}: {target} has no heading `#{anchor}`"),
            )
            .help(did_you_mean(
                "use the id of a heading in the target page (its text in lowercase, spaces as hyphens)",
            )),
            LinkProblem::Ambiguous {
                target,
                candidates,
                names,
            } => {
                let names: Vec<String> = names.iter().map(|name| format!("[[{name}]]")).collect();
                broken(
                    "ambiguous-link",
                    format!("`[[{target}]]` could mean any of: {}", candidates.join(", ")),
                )
                .help(format!("name one of them: {}", names.join(" or ")))
            }
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
    by_source: HashMap<String, usize>,
    by_path: HashMap<String, usize>,
    /// Site paths of folders holding pages: each gets a generated section page.
    folders: HashSet<String>,
    assets: HashSet<String>,
    static_files: HashSet<String>,
    /// Why each left-out page is left out, by source path.
    pub(super) left_out: HashMap<String, LeftOut>,
    /// Pages that could not be read, by source path: their own error says what is wrong.
    unreadable: HashSet<String>,
    /// The mounted folders, for links written as paths between real files.
    mounts: Mounts,
    /// The names wiki-links give the pages of the build, and those it leaves out. Made when a
    /// wiki-link first needs them (see [`LinkTables::wiki`]): most handbooks have none.
    wiki: OnceLock<WikiNames>,
    left_out_wiki: OnceLock<WikiNames>,
    /// The URLs of raw HTML that pages show, and so are checked.
    pub(super) html_urls: ShownHtmlUrls,
    /// What a broken link may have meant: the paths of pages, files and folders, and the titles
    /// and file names of pages. Made when a link first needs them: most builds have no broken
    /// link, and making them took a fifth of resolving a 10,000-page handbook.
    paths: OnceLock<Candidates>,
    names: OnceLock<Candidates>,
}

/// What links may name besides pages.
pub(super) struct Files<'a> {
    /// Files under `content/` that are not pages.
    pub(super) assets: &'a [String],
    /// Files under `static/`.
    pub(super) static_files: &'a [String],
    /// Pages that could not be read.
    pub(super) unreadable: &'a [String],
    /// The mounted folders, for links written as paths between real files.
    pub(super) mounts: &'a Mounts,
}

impl LinkTables {
    /// The tables for the build's `pages` and the pages it leaves out (`left_out`: why each is
    /// left out, by source path); raw HTML's URLs are checked as far as `raw_html` shows them.
    pub(super) fn new(
        pages: &[Arc<Page>],
        left_out: HashMap<String, LeftOut>,
        files: Files<'_>,
        raw_html: RawHtml,
    ) -> Self {
        let folders = || -> HashSet<String> {
            (pages.iter())
                .filter(|p| p.role != Role::Home)
                .flat_map(|p| {
                    let path = p.path.as_str();
                    path.match_indices('/').map(move |(end, _)| path[..=end].to_string())
                })
                .collect()
        };
        let by = |key: fn(&Page) -> &String| -> HashMap<String, usize> {
            (pages.iter().enumerate()).map(|(i, p)| (key(p).clone(), i)).collect()
        };
        // Three tables over every page, made at once: `serve` makes them again after each edit
        // of what a page shows of itself, and at 10,000 pages they take 20 ms on one thread.
        let (folders, (by_source, by_path)) =
            rayon::join(folders, || rayon::join(|| by(|p| &p.source), || by(|p| &p.path)));
        LinkTables {
            paths: OnceLock::new(),
            names: OnceLock::new(),
            by_source,
            by_path,
            folders,
            assets: files.assets.iter().cloned().collect(),
            static_files: files.static_files.iter().cloned().collect(),
            left_out,
            unreadable: files.unreadable.iter().cloned().collect(),
            wiki: OnceLock::new(),
            left_out_wiki: OnceLock::new(),
            html_urls: ShownHtmlUrls::new(raw_html),
            mounts: files.mounts.clone(),
        }
    }

    /// The paths a broken Markdown link may have meant: those of pages, files and folders, from
    /// `content/`.
    pub(super) fn paths(&self) -> &Candidates {
        self.paths.get_or_init(|| {
            let files = self.assets.iter().chain(&self.static_files).chain(&self.folders);
            Candidates::new(self.by_source.keys().chain(files).map(String::as_str))
        })
    }

    /// The names wiki-links give `pages`, the pages of the build the tables were made for, made
    /// when first asked for: a handbook without wiki-links never does, and at 10,000 pages
    /// making them took 8–10 ms, which `serve` spent after each edit of a title.
    pub(super) fn wiki(&self, pages: &[Arc<Page>]) -> &WikiNames {
        self.wiki.get_or_init(|| WikiNames::new(pages))
    }

    /// The names wiki-links give `left_out`, the pages the tables were told the build leaves
    /// out, made when first asked for (see [`LinkTables::wiki`]).
    pub(super) fn left_out_wiki(&self, left_out: &[Arc<Page>]) -> &WikiNames {
        self.left_out_wiki.get_or_init(|| WikiNames::new(left_out))
    }

    /// The names a broken wiki-link may have meant, among `pages`, those the tables were made
    /// for (see [`Candidates::of_names`]).
    pub(super) fn names(&self, pages: &[Arc<Page>]) -> &Candidates {
        self.names.get_or_init(|| Candidates::of_names(pages))
    }

    /// The site source that the relative path `path` (percent-decoded), written in a file in
    /// the site folder `base`, names; `None` when it climbs above the site root. A path between
    /// two mounted folders is written between the real files (Log4brains' packages link
    /// `../../../../docs/adr/x.md`), so when the site path names nothing known, the path from
    /// `page`'s real file is tried too.
    fn locate(&self, page: &Page, base: &str, path: &str) -> Option<String> {
        let in_site = normalize(base, path);
        let known = |source: &str| {
            let source = source.trim_end_matches('/');
            self.by_source.contains_key(source)
                || self.assets.contains(source)
                || self.left_out.contains_key(source)
                || self.unreadable.contains(source)
        };
        if in_site.as_deref().is_some_and(known) || path.starts_with('/') {
            return in_site;
        }
        let real_dir = page.file.parent().map(|dir| dir.to_string_lossy().replace('\\', "/"))?;
        let real = normalize(&real_dir, path)?;
        match self.mounts.source_of(std::path::Path::new(&real)) {
            Some(source) if known(&source) => Some(source),
            _ => in_site,
        }
    }

    /// The fingerprint (see [`crate::fingerprint`]) of what the Markdown links and raw HTML
    /// URLs of the pages' bodies resolve against besides the bodies and the pages they reach:
    /// `routes_key` (that of the route table, see [`super::Site::routes_key`], which covers the
    /// pages' paths, files and folders, the files beside them and the mounts), the pages left
    /// out and why, the files that could not be read, and `raw_html`. Wiki-links also resolve
    /// against the pages' titles and the decision records, which it leaves out.
    pub(super) fn key(&self, routes_key: u128, raw_html: RawHtml) -> u128 {
        let mut left_out: Vec<(&String, &LeftOut)> = self.left_out.iter().collect();
        left_out.sort_unstable_by_key(|(source, _)| *source);
        let mut unreadable: Vec<&String> = self.unreadable.iter().collect();
        unreadable.sort_unstable();
        let mut parts = Parts::with_capacity(64);
        parts.put(&routes_key.to_le_bytes());
        parts.put(&[raw_html as u8]);
        parts.put(&left_out.len().to_le_bytes());
        for (source, why) in left_out {
            parts.put(source.as_bytes());
            parts.put(&[*why as u8]);
        }
        unreadable.into_iter().for_each(|source| parts.put(source.as_bytes()));
        parts.fingerprint()
    }

    /// The files under `content/` that are not pages and that `page` shows: those its Markdown
    /// links and images and the URLs of its raw HTML go to, resolved as [`SiteIndex::resolve`]
    /// does.
    pub(super) fn assets_shown_by<'a>(&'a self, page: &'a Page) -> impl Iterator<Item = &'a str> {
        let markdown = page.outline.links.iter().filter(|l| !l.wiki);
        let base = page.folder();
        markdown
            .chain(self.html_urls.of(&page.outline))
            .filter_map(move |link| {
                let dest = link.dest.as_str();
                if is_external(dest) {
                    return None;
                }
                let path = dest.split(['#', '?']).next().unwrap_or(dest);
                let resolved = self.locate(page, base, &percent_decode(path))?;
                self.assets.get(resolved.trim_end_matches('/')).map(String::as_str)
            })
    }
}

/// Everything a link may point at.
pub(super) struct SiteIndex<'a> {
    pub(super) pages: &'a [Arc<Page>],
    /// Decision records by log and number, for `[[0007]]` and `[[billing/0007]]`.
    pub(super) records: &'a RecordIndex,
    pub(super) tables: &'a LinkTables,
    pub(super) left_out_pages: &'a [Arc<Page>],
}

/// Where a link goes, and the page it reaches (for backlinks).
pub(super) type Resolved = Result<(LinkTarget, Option<usize>), LinkProblem>;

impl SiteIndex<'_> {
    /// Resolves `link`, written in `page`: a wiki-link or a Markdown link, unless its URL is
    /// unsafe, which no target makes safe.
    pub(super) fn resolve_link(&self, page: &Page, link: &LinkRef) -> Resolved {
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

    /// Resolves a URL of raw HTML, written in `page`, as a Markdown link. Its scheme is not
    /// checked here: the sanitizer drops an unsafe one, and `raw_html = "allow"` keeps it.
    pub(super) fn resolve_html(&self, page: &Page, link: &LinkRef) -> Resolved {
        self.resolve(page, &link.dest)
    }

    /// Resolves `dest`, written in `page`: a path relative to the page's file (or to `content/`
    /// when it starts with `/`), percent-encoded or not, with or without an `#anchor`.
    fn resolve(&self, page: &Page, dest: &str) -> Resolved {
        if is_external(dest) {
            return Ok((LinkTarget::Keep, None));
        }
        let (path, fragment) = dest.split_once('#').unwrap_or((dest, ""));
        let path = path.split('?').next().unwrap_or(path);
        if path.is_empty() {
            return self.in_page(page, fragment);
        }
        let decoded = percent_decode(path);
        let base = page.folder();
        let Some(resolved) = self.tables.locate(page, base, &decoded) else {
            return Err(LinkProblem::Broken {
                path: decoded,
                resolved: None,
            });
        };
        if let Some(&target) = self.find_page(&resolved) {
            return self.to_page(target, fragment);
        }
        if let Some(&why) = self.tables.left_out.get(&resolved) {
            return Err(LinkProblem::LeftOut(resolved, why));
        }
        if self.tables.unreadable.contains(&resolved) {
            return Ok((LinkTarget::Keep, None));
        }
        let trimmed = resolved.trim_end_matches('/');
        if self.tables.assets.contains(trimmed) || self.tables.static_files.contains(trimmed) {
            let site = match dest.split_once('#') {
                Some((_, fragment)) => format!("{trimmed}#{fragment}"),
                None => trimmed.to_string(),
            };
            return Ok((LinkTarget::Site(site), None));
        }
        if let Some(folder) = self.folder(trimmed) {
            return self.to_folder(folder, fragment);
        }
        Err(LinkProblem::Broken {
            path: decoded,
            resolved: Some(resolved),
        })
    }

    /// The anchor `#anchor` in `page` itself, left as written when it is the id as written.
    pub(super) fn in_page(&self, page: &Page, anchor: &str) -> Resolved {
        if anchor.is_empty() {
            return Ok((LinkTarget::Keep, None));
        }
        match anchor_id(&page.outline, anchor) {
            Some(id) if id == anchor => Ok((LinkTarget::Keep, None)),
            Some(id) => Ok((LinkTarget::Anchor(id.to_string()), None)),
            None => Err(missing_anchor("this page".into(), anchor, MissingIn::ThisPage)),
        }
    }

    /// The page at index `target`, at its heading `#anchor` unless that is empty.
    pub(super) fn to_page(&self, target_index: usize, anchor: &str) -> Resolved {
        let target_page = &self.pages[target_index];
        let site = target_page.output_file();
        if anchor.is_empty() {
            return Ok((LinkTarget::Site(site), Some(target_index)));
        }
        match anchor_id(&target_page.outline, anchor) {
            Some(id) => Ok((LinkTarget::Site(format!("{site}#{id}")), Some(target_index))),
            None => {
                let target = target_page.file.display().to_string();
                Err(missing_anchor(target, anchor, MissingIn::Page(target_index)))
            }
        }
    }

    /// The site path (`guides/`) of the folder at `path` (relative to `content/`, as written:
    /// `Guides/Café`), when it has a page or a generated listing.
    pub(super) fn folder(&self, path: &str) -> Option<String> {
        let folder: String = path
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| format!("{}/", crate::routes::slug_segment(segment)))
            .collect();
        let listed = GENERATED_PATHS.contains(&folder.as_str()) || self.tables.folders.contains(&folder);
        (listed || self.tables.by_path.contains_key(&folder)).then_some(folder)
    }

    /// The page of `folder` (a site path), or its generated listing, which has no headings of
    /// its own for an `#anchor` to point into.
    pub(super) fn to_folder(&self, folder: String, anchor: &str) -> Resolved {
        if let Some(&target) = self.tables.by_path.get(&folder) {
            return self.to_page(target, anchor);
        }
        if !anchor.is_empty() {
            return Err(missing_anchor(
                format!("the generated page `{folder}`"),
                anchor,
                MissingIn::Listing,
            ));
        }
        Ok((LinkTarget::Site(format!("{folder}index.html")), None))
    }

    /// A page by its source file (`decisions/0007-x.md`) or its folder (`guides/`), so that an
    /// `#anchor` after either is checked against that page's headings.
    fn find_page(&self, resolved: &str) -> Option<&usize> {
        if resolved.ends_with(".md") {
            return self.tables.by_source.get(resolved);
        }
        self.tables.by_path.get(&self.folder(resolved)?)
    }
}

/// The id in `outline` that the anchor `written` means: the id itself (in any case, as GitHub
/// forgives), the id percent-encoded as GitHub copies it (`#r%C3%B4les-cl%C3%A9s` for
/// `## Rôles clés`), or a heading's text (`#Rôles clés`, which wiki-links write), made an id as
/// the heading's was.
pub(super) fn anchor_id<'o>(outline: &'o Outline, written: &str) -> Option<&'o str> {
    outline.find_id(written).or_else(|| {
        let decoded = percent_decode(written);
        outline
            .find_id(&decoded)
            .or_else(|| outline.find_id(&slugify(&decoded)))
    })
}

fn missing_anchor(target: String, anchor: &str, missing_in: MissingIn) -> LinkProblem {
    LinkProblem::Anchor {
        target,
        anchor: anchor.to_string(),
        missing_in,
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

/// `text` with `%XX` escapes read, when they spell UTF-8; else as written.
fn percent_decode(text: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8();
    decoded.map_or_else(|_| text.to_string(), |decoded| decoded.into_owned())
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
        assert_eq!(percent_decode("r%C3%B4les"), "rôles");
        assert_eq!(percent_decode("bad%FF"), "bad%FF");
    }
}
