//! Claiming every output path of the site in the [`RouteTable`] before anything is rendered, and
//! reporting each conflict at the file (and line) that asked for the path.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{GENERATED_PATHS, Site, key_span};
use crate::content::load::STATIC_DIR;
use crate::content::mounts::Mounts;
use crate::content::{Page, Role};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::Parts;
use crate::routes::{Claimant, Conflict, RouteTable, check_segment, meeting_calendar_path, series_calendar_path};

/// The files the build generates at fixed paths, with what they are.
const GENERATED_FILES: [(&str, &str); 8] = [
    ("index.html", "the home page"),
    ("404.html", "the page for missing addresses"),
    ("feed.xml", "the Atom feed"),
    ("decisions/feed.xml", "the decisions' Atom feed"),
    ("meetings/feed.xml", "the meetings' Atom feed"),
    ("sitemap.xml", "the sitemap"),
    // Claimed whether or not it is written, so that a person page `time-zones.md` is always
    // reported rather than only once someone gives working hours.
    (crate::routes::TIME_ZONES_FILE, "the time-zone page"),
    ("print/index.html", "the print page"),
];

/// What goes into the route table, besides the pages.
pub(super) struct Sources<'a> {
    /// The folders the pages and assets came from.
    pub(super) mounts: &'a Mounts,
    /// Files of the mounted folders that are not pages, by site source.
    pub(super) assets: &'a [String],
    /// Files under `static/`, relative to it.
    pub(super) static_files: &'a [String],
    /// The theme's static files, by their path in the site.
    pub(super) theme_files: &'a [String],
    /// The theme's folder relative to the handbook root, for naming its files.
    pub(super) theme_dir: &'a Path,
}

/// What [`claim_all`] found.
pub(super) struct Claimed {
    /// Every output path of the site.
    pub(super) table: Arc<RouteTable>,
    /// The redirects the pages' aliases ask for: the file to write, and the page it sends
    /// readers to.
    pub(super) redirects: Vec<(String, usize)>,
    /// Files under `content/` and `static/` (by their source, `content/x.png`) whose path was
    /// refused: they are not written.
    pub(super) refused: HashSet<PathBuf>,
}

/// The fingerprint (see [`crate::fingerprint`]) of everything [`claim_all`] reads of `pages`
/// and `sources`: pages and files with the same key claim the same paths for the same pages,
/// and have the same conflicts. (Where a conflict is reported is not in the key: only claims
/// without one are taken again, see [`super::Site::routes_key`].)
pub(super) fn key(pages: &[Arc<Page>], sources: &Sources<'_>) -> u128 {
    let mut parts = Parts::with_capacity(128 * pages.len());
    for page in pages {
        parts.put(&[page.role as u8]);
        parts.put(page.path.as_bytes());
        parts.put(page.file.as_os_str().as_encoded_bytes());
        parts.put(&page.aliases.len().to_le_bytes());
        page.aliases.iter().for_each(|alias| parts.put(alias.as_bytes()));
        let meeting = page.meeting();
        parts.put(&[u8::from(meeting.is_some_and(|m| m.start.is_some()))]);
        parts.put(meeting.and_then(|m| m.series.as_deref()).unwrap_or_default().as_bytes());
    }
    for mount in sources.mounts.iter() {
        parts.put(mount.source.as_os_str().as_encoded_bytes());
        parts.put(mount.target.as_bytes());
    }
    for files in [sources.assets, sources.static_files, sources.theme_files] {
        parts.put(&files.len().to_le_bytes());
        files.iter().for_each(|file| parts.put(file.as_bytes()));
    }
    parts.put(sources.theme_dir.as_os_str().as_encoded_bytes());
    parts.fingerprint()
}

/// What [`claim_all`] finds of `pages` and `sources`, with their [`key`] when no claim was
/// refused: the routes of `earlier` when it has the same key (without a word, as it had no
/// problem), else claimed now, each refused claim an error in `diagnostics`.
pub(super) fn claim_or_keep(
    pages: &[Arc<Page>],
    sources: &Sources<'_>,
    earlier: Option<&Site>,
    diagnostics: &mut Diagnostics,
) -> (Claimed, Option<u128>) {
    let key = key(pages, sources);
    if let Some(site) = earlier.filter(|site| site.routes_key == Some(key)) {
        let kept = Claimed {
            table: Arc::clone(&site.routes),
            redirects: site.redirects.clone(),
            refused: HashSet::new(),
        };
        return (kept, Some(key));
    }
    let mut refusals = Diagnostics::default();
    let claimed = claim_all(pages, sources, &mut refusals);
    // Every problem a claim has is a refused claim, an error.
    let clean = !refusals.has_errors();
    diagnostics.extend(refusals.into_sorted());
    (claimed, clean.then_some(key))
}

/// Claims every output path of `pages` and `sources`. Every claim that is refused is an error
/// at its file, naming what holds the path.
fn claim_all(pages: &[Arc<Page>], sources: &Sources<'_>, diagnostics: &mut Diagnostics) -> Claimed {
    let mut table = RouteTable::new();
    for (file, what) in GENERATED_FILES {
        generated(&mut table, file, what);
    }
    for path in GENERATED_PATHS {
        generated(
            &mut table,
            &format!("{path}index.html"),
            &format!("the generated page `{path}`"),
        );
    }
    // The theme's files first, so that content which takes their paths is what is reported.
    let theme_static = sources.theme_dir.join("static");
    for file in sources.theme_files {
        claim_copied(&mut table, file, &theme_static.join(file), diagnostics);
    }
    for page in pages.iter().filter(|p| p.role == Role::Leaf) {
        if let Err(conflict) = table.claim(&page.output_file(), Claimant::Page(page.file.clone())) {
            let message = match &conflict.by {
                Claimant::Page(other) if conflict.path == conflict.taken => {
                    format!("this page and {} both have the URL `{}`", other.display(), page.path)
                }
                _ => format!("this page's URL `{}` cannot be used: {conflict}", page.path),
            };
            diagnostics.push(
                Diagnostic::error("url-conflict", message)
                    .at(&page.source_text(), 0..0)
                    .help("rename the file or move it to another folder"),
            );
        }
    }
    claim_calendars(&mut table, pages, diagnostics);
    for (path, folder_page) in sections(pages) {
        let claimant = match folder_page {
            Some(page) => Claimant::Page(page.file.clone()),
            None => Claimant::Generated(format!("the page of the folder `{path}`")),
        };
        if let Err(conflict) = table.claim(&format!("{path}index.html"), claimant) {
            let help = "a page `X.md` beside a folder `X/` is that folder's page only when the folder has no `_index.md`, `index.md` or `README.md`: merge the two, or rename one";
            let diagnostic = conflict_error(&conflict, help, None);
            diagnostics.push(match folder_page {
                Some(page) => diagnostic.at(&page.source_text(), 0..0),
                None => diagnostic,
            });
        }
    }
    let redirects = claim_aliases(&mut table, pages, diagnostics);
    let mut refused = HashSet::new();
    let assets = sources.assets.iter().map(|file| (file, sources.mounts.file(file)));
    let statics = (sources.static_files.iter()).map(|file| (file, Path::new(STATIC_DIR).join(file)));
    for (file, source) in assets.chain(statics) {
        if !claim_copied(&mut table, file, &source, diagnostics) {
            refused.insert(source);
        }
    }
    Claimed {
        table: Arc::new(table),
        redirects,
        refused,
    }
}

/// Claims the calendar file of each meeting with a time (beside its page, where a file of the
/// page's folder may be) and of each series (in the reserved series folder, where nothing else
/// may be).
fn claim_calendars(table: &mut RouteTable, pages: &[Arc<Page>], diagnostics: &mut Diagnostics) {
    let mut series = BTreeSet::new();
    for page in pages.iter().filter(|p| p.role == Role::Leaf) {
        let Some(meeting) = page.meeting() else { continue };
        series.extend(meeting.series.as_deref().map(series_calendar_path));
        if meeting.start.is_none() {
            continue;
        }
        let claimant = Claimant::Generated(format!("the calendar file of {}", page.file.display()));
        if let Err(conflict) = table.claim(&meeting_calendar_path(&page.path), claimant) {
            diagnostics.push(conflict_error(&conflict, "rename the file", None).at(&page.source_text(), 0..0));
        }
    }
    for path in series {
        generated(table, &path, "a meeting series' calendar");
    }
}

/// Claims `file`, copied as it is from `source` (relative to the handbook root): its name is
/// kept, so each of its segments must be safe. Whether the claim was taken.
fn claim_copied(table: &mut RouteTable, file: &str, source: &Path, diagnostics: &mut Diagnostics) -> bool {
    if let Some(why) = file.split('/').find_map(|segment| check_segment(segment).err()) {
        diagnostics.push(
            Diagnostic::error("bad-file-name", format!("this file cannot be published: {why}"))
                .in_file(source)
                .help("rename the file"),
        );
        return false;
    }
    match table.claim(file, Claimant::Copied(source.to_path_buf())) {
        Ok(()) => true,
        Err(conflict) => {
            diagnostics.push(conflict_error(&conflict, "rename or move the file", Some(source)));
            false
        }
    }
}

fn generated(table: &mut RouteTable, file: &str, what: &str) {
    table
        .claim(file, Claimant::Generated(what.to_string()))
        .expect("the generated files have distinct paths");
}

/// The error for a refused claim, in `file` when given.
fn conflict_error(conflict: &Conflict, help: &str, file: Option<&Path>) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "url-conflict",
        format!("two things would be written to one file: {conflict}"),
    );
    let diagnostic = match file {
        Some(file) => diagnostic.in_file(file),
        None => diagnostic,
    };
    diagnostic.help(help)
}

/// The folders that get a page of their own (site path → its folder page, if it has one): every
/// folder holding pages, directly or below, up to the first generated one (`decisions/`).
fn sections(pages: &[Arc<Page>]) -> BTreeMap<String, Option<&Page>> {
    let mut sections: BTreeMap<String, Option<&Page>> = BTreeMap::new();
    for page in pages.iter().filter(|p| p.role != Role::Home) {
        for (_, path) in section_paths(page) {
            sections.entry(path).or_insert(None);
        }
    }
    for page in pages.iter().filter(|p| p.role == Role::Section) {
        if let Some(entry) = sections.get_mut(&page.path) {
            *entry = Some(page);
        }
    }
    sections
}

/// The folders that get a page of their own among those `page` sits in (a folder's page: the
/// folder itself too), outermost first, each with its depth (0 for a top-level folder) and site
/// path. Folders whose page is generated (`decisions/`) are left out; the folders inside them
/// are not, so that a folder page or a link to `decisions/2024/` reaches a page.
pub fn section_paths(page: &Page) -> Vec<(usize, String)> {
    let segments: Vec<&str> = page.path.split('/').filter(|s| !s.is_empty()).collect();
    let folders = match page.role {
        Role::Leaf => segments.len().saturating_sub(1),
        Role::Section | Role::Home => segments.len(),
    };
    (1..=folders)
        .map(|level| (level - 1, format!("{}/", segments[..level].join("/"))))
        .filter(|(_, path)| !GENERATED_PATHS.contains(&path.as_str()))
        .collect()
}

/// Claims the redirect file of each alias.
fn claim_aliases(table: &mut RouteTable, pages: &[Arc<Page>], diagnostics: &mut Diagnostics) -> Vec<(String, usize)> {
    let mut redirects = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        for alias in &page.aliases {
            let claimed = alias_file(alias).and_then(|file| {
                let claimant = Claimant::Alias {
                    file: page.file.clone(),
                    alias: alias.clone(),
                };
                table.claim(&file, claimant).map_err(|c| c.to_string())?;
                Ok(file)
            });
            match claimed {
                Ok(file) => redirects.push((file, i)),
                Err(why) => diagnostics.push(
                    Diagnostic::error("bad-alias", format!("the alias `{alias}` cannot be used: {why}"))
                        .at(&page.source_text(), key_span(page, "aliases").unwrap_or(0..0))
                        .help("an alias is an old URL of this page that no other page or file uses, such as \"/old/path/\""),
                ),
            }
        }
    }
    redirects
}

/// The redirect file an alias asks for: `/old/path/` → `old/path/index.html`, `/old.html` as
/// written. The alias is percent-decoded (it is a URL); each segment must be safe.
fn alias_file(alias: &str) -> Result<String, String> {
    let decoded = percent_encoding::percent_decode_str(alias.trim())
        .decode_utf8()
        .map_err(|_| "it is not valid UTF-8 once percent-decoded".to_string())?;
    if decoded.contains(['?', '#']) {
        return Err("a static host cannot serve an address with a query (`?`) or fragment (`#`)".into());
    }
    let trimmed = decoded.trim_start_matches('/');
    let file = if trimmed.ends_with(".html") || trimmed.ends_with(".htm") {
        trimmed.to_string()
    } else if trimmed.is_empty() {
        "index.html".to_string()
    } else {
        format!("{}/index.html", trimmed.trim_end_matches('/'))
    };
    match file.split('/').find_map(|segment| check_segment(segment).err()) {
        Some(why) => Err(why.to_string()),
        None => Ok(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// The pages of a handbook whose one page, `content/meetings/x.md`, is `text`, as loading
    /// reads them.
    fn pages(text: &str) -> Vec<Arc<Page>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/meetings")).unwrap();
        std::fs::write(dir.path().join("content/meetings/x.md"), text).unwrap();
        crate::content::load::load(dir.path(), &Config::default()).pages
    }

    #[test]
    fn the_key_changes_with_what_is_claimed_and_only_with_that() {
        let mounts = Mounts::default();
        let assets = ["x.png".to_string()];
        let sources = |assets| Sources {
            mounts: &mounts,
            assets,
            static_files: &[],
            theme_files: &[],
            theme_dir: Path::new("themes/default"),
        };
        let meeting = "+++\ntitle = \"Retro\"\ndate = 2026-02-15\ntime = \"10:00\"\nseries = \"weekly\"\naliases = [\"/old/\"]\ntags = [\"a\"]\n+++\nText.\n";
        let key_of = |text: &str| key(&pages(text), &sources(&[]));
        let first = key_of(meeting);
        // What a page shows is not claimed…
        for (from, to) in [("Retro", "Retrospective"), ("\"a\"", "\"b\""), ("Text.", "More text.")] {
            assert_eq!(key_of(&meeting.replace(from, to)), first, "{to}");
        }
        // …where its aliases, its calendar file and its series' are, and the files beside it.
        for (from, to) in [("/old/", "/older/"), ("time = \"10:00\"\n", ""), ("weekly", "monthly")] {
            assert_ne!(key_of(&meeting.replace(from, to)), first, "{from} → {to}");
        }
        assert_ne!(key(&pages(meeting), &sources(&assets)), first);
    }

    #[test]
    fn aliases_become_safe_files() {
        assert_eq!(alias_file("/old/path/").unwrap(), "old/path/index.html");
        assert_eq!(alias_file("old.html").unwrap(), "old.html");
        assert_eq!(alias_file("/").unwrap(), "index.html");
        assert_eq!(alias_file("/my%20page/").unwrap(), "my page/index.html");
        for bad in ["/../x/", "/a/%2e%2e/b", "/a//b/", "/x?y=1", "/a%5Cb/", "/a%01/"] {
            assert!(alias_file(bad).is_err(), "{bad}");
        }
    }
}
