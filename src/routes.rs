//! The route table: every file the site writes is claimed here, in one place, before anything is
//! rendered.
//!
//! Content supplies many of the names that end up in output paths: file and folder names, tags,
//! meeting series, decision statuses, aliases. Each such segment is made safe here — slugged for
//! generated pages ([`slug_segment`]), checked for copied files and aliases
//! ([`check_segment`]) — so no value a pull request writes can climb out of the output folder.
//! Two claims on one path are a conflict, compared as a case-insensitive file system (macOS,
//! Windows) would compare them, so a site that builds on Linux does not lose a page when it is
//! checked out or served elsewhere. A file claimed where another claim needs a folder
//! (`feed.xml` and `feed.xml/index.html`) is a conflict too.

use std::collections::HashMap;
use std::path::PathBuf;

/// The generated folders no content may write into: each of their files is generated from
/// records (one page per status, tag or series) or by the search index, with what makes them.
pub const RESERVED_FOLDERS: [(&str, &str); 7] = [
    ("decisions/status/", "the decision log's status pages"),
    ("decisions/logs/", "the pages of each decision log"),
    ("decisions/tags/", "the decision log's tag pages"),
    ("tags/", "the tag pages"),
    ("meetings/series/", "the meeting series pages"),
    ("search/", "the search index"),
    ("teams/", "the team pages"),
];

/// The longest slug kept as it is. File systems allow 255 bytes a name; a status or tag can be a
/// whole paragraph of an imported record, and transliteration makes non-Latin text longer.
const MAX_SLUG: usize = 80;

/// `text` as one URL path segment: lowercase ASCII letters, digits and hyphens (the `slug`
/// crate's transliteration, as Zola and Hugo slug), never empty and so never `.` or `..`, and
/// at most [`MAX_SLUG`] bytes: a longer slug is cut, with a hash of the whole to keep two long
/// names apart.
pub fn slug_segment(text: &str) -> String {
    let slug = slug::slugify(text);
    if slug.is_empty() {
        return "-".to_string();
    }
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    // FNV-1a: stable across builds and Rust versions, unlike the standard library's hasher.
    let hash = slug.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    format!("{}-{hash:08x}", slug[..MAX_SLUG - 9].trim_end_matches('-'))
}

/// Whether two names written in content (tags, series, statuses) are one group: they are when
/// they slug alike (`Security` and `security`, `on call` and `on-call`), because they share one
/// page.
pub fn same_group(a: &str, b: &str) -> bool {
    a == b || slug_segment(a) == slug_segment(b)
}

/// The site path of a tag's page: `tags/<slug>/`.
pub fn tag_path(tag: &str) -> String {
    format!("tags/{}/", slug_segment(tag))
}

/// The site path of the decision-log page for one tag: `decisions/tags/<slug>/`.
pub fn decision_tag_path(tag: &str) -> String {
    format!("decisions/tags/{}/", slug_segment(tag))
}

/// The site path of the decision-log page for one log (see
/// [`crate::content::Decision::log`]): `decisions/logs/<slug>/`.
pub fn decision_log_path(log: &str) -> String {
    format!(
        "decisions/logs/{}/",
        slug_segment(if log.is_empty() { "site" } else { log })
    )
}

/// The site path of the decision-log page for one status: `decisions/status/<slug>/`.
pub fn status_path(status: &str) -> String {
    format!("decisions/status/{}/", slug_segment(status))
}

/// The site path of the page of one meeting series: `meetings/series/<slug>/`.
pub fn series_path(series: &str) -> String {
    format!("meetings/series/{}/", slug_segment(series))
}

/// The time-zone page, beside the people pages it draws (`people/<person>/`).
pub const TIME_ZONES_FILE: &str = "people/time-zones/index.html";

/// The site path of a team's page: `teams/<slug>/`.
pub fn team_path(team: &str) -> String {
    format!("teams/{}/", slug_segment(team))
}

/// The site path of the calendar of one meeting series: `meetings/series/<slug>/calendar.ics`,
/// beside its page in the reserved series folder.
pub fn series_calendar_path(series: &str) -> String {
    format!("{}calendar.ics", series_path(series))
}

/// The calendar file of the meeting page at site path `page_path` (`meetings/x/`): beside its
/// `index.html`, so it needs no name of its own and is claimed with the page's folder.
pub fn meeting_calendar_path(page_path: &str) -> String {
    format!("{page_path}meeting.ics")
}

/// The print page: the whole handbook on one page.
pub const PRINT_PATH: &str = "print/";

/// Why a path segment written in content (an alias, the name of a copied file) cannot be used
/// as it is.
pub fn check_segment(segment: &str) -> Result<(), &'static str> {
    match segment {
        "" => Err("it has an empty segment (`//`)"),
        "." | ".." => Err("it has a `.` or `..` segment, which would climb out of its folder"),
        _ if segment.contains('\\') => Err("it holds a backslash, a folder separator on Windows"),
        _ if segment.contains(':') => {
            Err("it holds a `:`, which a browser reads as the start of a URL scheme (and Windows forbids)")
        }
        _ if segment.chars().any(char::is_control) => Err("it holds a control character"),
        _ => Ok(()),
    }
}

/// What claims a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimant {
    /// A page the build generates (`the home page`, `the tag page of "security"`).
    Generated(String),
    /// A Markdown page, by its file relative to the handbook root.
    Page(PathBuf),
    /// An alias (old URL) in a page's front matter.
    Alias {
        /// The page's file, relative to the handbook root.
        file: PathBuf,
        /// The alias as written.
        alias: String,
    },
    /// A file copied as it is (from `content/`, `static/` or a theme), by its source.
    Copied(PathBuf),
}

impl std::fmt::Display for Claimant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Claimant::Generated(what) => f.write_str(what),
            Claimant::Page(file) => write!(f, "the page {}", file.display()),
            Claimant::Alias { file, alias } => write!(f, "the alias `{alias}` of {}", file.display()),
            Claimant::Copied(file) => write!(f, "the file {}", file.display()),
        }
    }
}

/// A claim refused because the path, or a folder it needs, is taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The path that was claimed, relative to the output folder.
    pub path: String,
    /// The output path already taken (the same file, or a file where a folder is needed).
    pub taken: String,
    /// Who took it.
    pub by: Claimant,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if fold(&self.path) == fold(&self.taken) {
            if self.path == self.taken {
                write!(f, "`{}` is already written by {}", self.path, self.by)
            } else {
                write!(
                    f,
                    "`{}` is the same file as `{}` on a case-insensitive file system, written by {}",
                    self.path, self.taken, self.by
                )
            }
        } else {
            write!(
                f,
                "`{}` needs `{}` to be a folder, but it is written by {}",
                self.path, self.taken, self.by
            )
        }
    }
}

/// Every output path of one site, by its case-folded form.
#[derive(Debug, Default, Clone)]
pub struct RouteTable {
    /// Claimed files: folded path → (path as claimed, claimant).
    files: HashMap<String, (String, Claimant)>,
    /// Folders the claimed files need (folded, with a trailing `/`) → the folded file that
    /// first needed it.
    folders: HashMap<String, String>,
    /// Folders whose every file is generated: folded prefix → (prefix, claimant).
    reserved: Vec<(String, String, Claimant)>,
}

/// The form two paths take when a case-insensitive file system would see them as one.
fn fold(path: &str) -> String {
    path.to_lowercase()
}

impl RouteTable {
    /// A table with the generated folders of [`RESERVED_FOLDERS`] reserved.
    pub fn new() -> RouteTable {
        let mut table = RouteTable::default();
        for (prefix, what) in RESERVED_FOLDERS {
            table
                .reserved
                .push((fold(prefix), prefix.to_string(), Claimant::Generated(what.to_string())));
        }
        table
    }

    /// Claims the file `path` (relative to the output folder, `/` separators) for `by`.
    ///
    /// A generated claimant may write into a reserved folder; content may not.
    pub fn claim(&mut self, path: &str, by: Claimant) -> Result<(), Conflict> {
        let folded = fold(path);
        // The path as a folder, to find what it would have to hold.
        let as_folder = format!("{folded}/");
        let conflict = |taken: &str, claimant: &Claimant| Conflict {
            path: path.to_string(),
            taken: taken.to_string(),
            by: claimant.clone(),
        };
        if !matches!(by, Claimant::Generated(_))
            && let Some((_, prefix, owner)) = self.reserved.iter().find(|(f, _, _)| {
                // Inside a reserved folder, or a file where the folder (or one holding it) must be.
                folded.starts_with(f.as_str()) || f.starts_with(&as_folder)
            })
        {
            return Err(conflict(prefix, owner));
        }
        if let Some((taken, owner)) = self.files.get(&folded) {
            return Err(conflict(taken, owner));
        }
        if let Some(file) = self.folders.get(&as_folder) {
            let (taken, owner) = &self.files[file];
            return Err(conflict(taken, owner));
        }
        let folders: Vec<&str> = folded.match_indices('/').map(|(end, _)| &folded[..=end]).collect();
        for folder in &folders {
            if let Some((taken, owner)) = self.files.get(folder.trim_end_matches('/')) {
                return Err(conflict(taken, owner));
            }
        }
        for folder in folders {
            self.folders.entry(folder.to_string()).or_insert_with(|| folded.clone());
        }
        self.files.insert(folded, (path.to_string(), by));
        Ok(())
    }

    /// The names at the top of the site (`assets`, `decisions`, `index.html`, …), sorted: the
    /// first segments of every claimed path and reserved folder, as claimed. The 404 page finds
    /// the site's root in a missing address by them.
    pub fn top_level(&self) -> Vec<String> {
        let claimed = self.files.values().map(|(path, _)| path.as_str());
        let reserved = self.reserved.iter().map(|(_, prefix, _)| prefix.as_str());
        let mut names: Vec<String> = claimed
            .chain(reserved)
            .filter_map(|path| path.split('/').next())
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Whether `path` was claimed, itself or as part of a reserved folder: the writer's check
    /// that nothing unclaimed is written.
    pub fn admits(&self, path: &str) -> bool {
        let folded = fold(path);
        self.files.contains_key(&folded) || self.reserved.iter().any(|(f, _, _)| folded.starts_with(f.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(file: &str) -> Claimant {
        Claimant::Page(file.into())
    }

    #[test]
    fn the_top_level_names_are_the_first_segments_of_claimed_and_reserved_paths() {
        let mut table = RouteTable::new();
        for path in [
            "index.html",
            "decisions/0001-x/index.html",
            "guides/a/b.html",
            "assets/style.css",
        ] {
            table.claim(path, page(path)).unwrap();
        }
        assert_eq!(
            table.top_level(),
            [
                "assets",
                "decisions",
                "guides",
                "index.html",
                "meetings",
                "search",
                "tags",
                "teams"
            ]
        );
    }

    #[test]
    fn segments_from_content_are_slugged_and_never_climb() {
        assert_eq!(status_path("../../../../tmp/escape"), "decisions/status/tmp-escape/");
        assert_eq!(
            status_path("x\"onmouseover=\"alert(1)"),
            "decisions/status/x-onmouseover-alert-1/"
        );
        assert_eq!(tag_path(".."), "tags/-/");
        assert_eq!(team_path("../../x"), "teams/x/");
        assert_eq!(team_path("<script>alert(1)</script>"), "teams/script-alert-1-script/");
        assert_eq!(series_path("Weekly sync"), series_path("weekly-sync"));
        assert!(same_group("Security", "security"));
        let long = "superseded by ".repeat(40);
        let (a, b) = (slug_segment(&long), slug_segment(&format!("{long}x")));
        assert!(a.len() <= MAX_SLUG && b.len() <= MAX_SLUG, "{a}");
        assert_ne!(a, b, "two long names stay apart");
        assert!(!same_group("security", "safety"));
    }

    #[test]
    fn copied_names_are_checked() {
        assert!(check_segment("CNAME").is_ok());
        assert!(check_segment("diagram v2.png").is_ok());
        for bad in ["", ".", "..", "a\\b", "a\u{1}b", "c:", "a:b"] {
            assert!(check_segment(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn two_claims_on_one_file_conflict_whatever_their_case() {
        let mut table = RouteTable::new();
        table
            .claim("guides/onboarding/index.html", page("content/guides/onboarding.md"))
            .unwrap();
        let conflict = table
            .claim("Guides/Onboarding/index.html", page("content/b.md"))
            .unwrap_err();
        assert_eq!(conflict.by, page("content/guides/onboarding.md"));
        assert!(conflict.to_string().contains("case-insensitive"), "{conflict}");
    }

    #[test]
    fn a_file_where_a_folder_is_needed_conflicts_both_ways() {
        let mut table = RouteTable::new();
        table
            .claim("feed.xml", Claimant::Generated("the Atom feed".into()))
            .unwrap();
        let conflict = table.claim("feed.xml/index.html", page("content/a.md")).unwrap_err();
        assert!(conflict.to_string().contains("to be a folder"), "{conflict}");
        table.claim("a/b/index.html", page("content/a/b.md")).unwrap();
        assert!(table.claim("a/b", page("content/x.md")).is_err());
        assert!(table.claim("A", page("content/y.md")).is_err());
    }

    #[test]
    fn reserved_folders_take_only_generated_files() {
        let mut table = RouteTable::new();
        assert!(table.claim("tags/x/index.html", page("content/tags/x.md")).is_err());
        assert!(table.claim("Search/t/abc.js", page("content/Search/t/abc.js")).is_err());
        table
            .claim("tags/x/index.html", Claimant::Generated("the tag page of `x`".into()))
            .unwrap();
        assert!(table.admits("search/t/abc.js"));
        assert!(table.admits("tags/x/index.html"));
        // A file where a reserved folder must be is refused too (found by the fuzz test).
        assert!(table.claim("decisions/tags", page("content/decisions/tags")).is_err());
        assert!(table.claim("Search", page("static/Search")).is_err());
        assert!(!table.admits("elsewhere.html"));
    }
}
