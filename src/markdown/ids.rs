//! The ids of a page: choosing a unique one for each heading and footnote, and finding the one an
//! `#anchor` means.
//!
//! A page's ids share one namespace with the ids the theme gives its own elements (`<main
//! id="main">`, the skip link's target; the table of contents' title), so those are reserved: a
//! heading `## Main` gets `main-1`, and a link written `#main` (as it would be for GitHub, which
//! has no such clash) is rewritten to reach it.

use std::collections::{HashMap, HashSet};

/// Ids the default theme's templates and scripts give their own elements. A test reads every
/// `id="…"` in the templates and fails when one is missing here.
const THEME_IDS: &[&str] = &[
    // base.html and partials/body.html, on every page
    "main",
    "site-search-input",
    "toc-title",
    "backlinks-title",
    // page kinds
    "actions-title",
    "chain-title",
    "person-actions",
    "person-decisions",
    "person-owns",
    "person-meetings",
    // generated pages that show a page's text as their introduction
    "needs-attention",
    "since-last-visit",
    "recent-decisions",
    "recent-meetings",
    "decision-filter",
    "graph-heading",
    "revisit-heading",
    "upcoming-heading",
    "search-page",
    "search-q",
    "search-kind",
    "search-status",
    "search-tag",
    "search-year",
    "search-count",
    "search-results",
    "search-more",
    "hours-caption",
    "pairs-title",
    // print.html
    "print-contents-title",
];

/// Ids the theme numbers, with `{n}` for the number: the groups of the action-item list
/// (`owner-{{ loop.index }}`) and of the home page's "Needs attention", the weeks of what's new,
/// and the search box's list and options (made by `search.js`).
const THEME_NUMBERED_IDS: &[&str] = &[
    "owner-{n}",
    "attention-{n}",
    "week-{n}",
    "search-dropdown-{n}",
    "search-dropdown-{n}-option-{n}",
];

/// Whether the theme may give an element the id `id`, so that content must not.
pub(crate) fn is_reserved(id: &str) -> bool {
    THEME_IDS.contains(&id) || THEME_NUMBERED_IDS.iter().any(|pattern| matches_numbered(pattern, id))
}

/// Whether `id` is `pattern` with each `{n}` replaced by a number (one or more ASCII digits).
fn matches_numbered(pattern: &str, id: &str) -> bool {
    let mut rest = id;
    for (i, literal) in pattern.split("{n}").enumerate() {
        if i > 0 {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 {
                return false;
            }
            rest = &rest[digits..];
        }
        match rest.strip_prefix(literal) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

/// The ids given so far in a page, to make each new one unique as GitHub does.
#[derive(Default)]
pub(super) struct IdAllocator {
    used: HashSet<String>,
    /// For each id asked for more than once, the last suffix tried after it.
    last_suffix: HashMap<String, usize>,
    /// Ids asked for but reserved by the theme, with the id given instead.
    pub(super) aliases: Vec<(String, String)>,
}

impl IdAllocator {
    /// `id`, or `id-1`, `id-2`, … (the first not given yet), as GitHub's renderer (github-slugger)
    /// numbers repeated headings; an empty id becomes `section`. Ids the theme uses are never
    /// given, and one asked for is remembered as an alias of the id given instead. Each id resumes
    /// from the last suffix tried after it, so a page of thousands of equal headings takes linear
    /// time; an id that a heading spells literally (`same-1`) is skipped once and never tried
    /// again. No reserved pattern matches `reserved-N`, so the search ends.
    pub(super) fn unique(&mut self, id: String) -> String {
        let base = if id.is_empty() { "section".to_string() } else { id };
        let reserved = is_reserved(&base);
        if !reserved && self.used.insert(base.clone()) {
            return base;
        }
        let suffix = self.last_suffix.entry(base.clone()).or_insert(0);
        let given = loop {
            *suffix += 1;
            let candidate = format!("{base}-{suffix}");
            if !is_reserved(&candidate) && self.used.insert(candidate.clone()) {
                break candidate;
            }
        };
        if reserved {
            self.aliases.push((base, given.clone()));
        }
        given
    }
}

/// The ids of a page, so that resolving each of many links to a page of many headings takes
/// constant time rather than a walk over every id.
///
/// Most pages have a few ids, and a large handbook has many pages: a page of up to
/// [`FEW_NAMES`] names keeps them in a list, walked; only a page with more keeps them in maps.
/// Either way, a name that means the id it spells (as each id does itself) is kept once, with no
/// second string. Two maps of four strings for each id took 10 MB at 10,000 pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdIndex {
    /// Each id, then each alias, in page order, with the id it means when that is another.
    Few(Vec<(Box<str>, Option<Box<str>>)>),
    /// The same, in maps.
    Many {
        /// Each id and each alias.
        exact: HashMap<Box<str>, Option<Box<str>>>,
        /// By ASCII lowercase, the first id in page order (headings, then other ids), then
        /// aliases; with the id when that is not the lowercase key itself.
        folded: HashMap<Box<str>, Option<Box<str>>>,
    },
}

/// The most names of a page that are walked rather than looked up (see [`IdIndex`]).
const FEW_NAMES: usize = 32;

impl Default for IdIndex {
    fn default() -> IdIndex {
        IdIndex::Few(Vec::new())
    }
}

impl IdIndex {
    /// Indexes `ids` and `aliases` (name, id). An alias never hides an id.
    pub(super) fn new<'a>(ids: impl Iterator<Item = &'a str>, aliases: &[(String, String)]) -> Self {
        let names: Vec<(&str, &str)> = ids
            .map(|id| (id, id))
            .chain(aliases.iter().map(|(a, id)| (a.as_str(), id.as_str())))
            .collect();
        if names.len() <= FEW_NAMES {
            return IdIndex::Few(
                names
                    .into_iter()
                    .map(|(name, id)| (name.into(), other(name, id)))
                    .collect(),
            );
        }
        let mut exact = HashMap::with_capacity(names.len());
        let mut folded = HashMap::with_capacity(names.len());
        for (name, id) in names {
            exact.entry(name.into()).or_insert_with(|| other(name, id));
            let lowercase = name.to_ascii_lowercase();
            let meaning = other(&lowercase, id);
            folded.entry(lowercase.into()).or_insert(meaning);
        }
        IdIndex::Many { exact, folded }
    }

    /// The id that `anchor` means: the same id, one it was given instead (a heading asking for
    /// an id of the theme's), or else one that differs only in case (GitHub's renderer forgives
    /// `#Context` for `#context`, so links written for it do). Of names that match alike, the
    /// first in page order wins.
    pub(super) fn find(&self, anchor: &str) -> Option<&str> {
        let found = match self {
            IdIndex::Few(names) => (names.iter().find(|(name, _)| **name == *anchor))
                .or_else(|| names.iter().find(|(name, _)| name.eq_ignore_ascii_case(anchor)))
                .map(|(name, id)| (name, id)),
            IdIndex::Many { exact, folded } => {
                (exact.get_key_value(anchor)).or_else(|| folded.get_key_value(anchor.to_ascii_lowercase().as_str()))
            }
        };
        found.map(|(name, id)| meaning(name, id))
    }
}

/// The id a kept name means.
fn meaning<'a>(name: &'a str, id: &'a Option<Box<str>>) -> &'a str {
    id.as_deref().unwrap_or(name)
}

/// `id`, unless it is `name` itself.
fn other(name: &str, id: &str) -> Option<Box<str>> {
    (name != id).then(|| id.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_ids_and_numbered_ones_are_reserved() {
        for id in [
            "main",
            "toc-title",
            "owner-1",
            "week-12",
            "search-dropdown-3",
            "search-dropdown-1-option-0",
        ] {
            assert!(is_reserved(id), "{id}");
        }
        for id in [
            "mainly",
            "owner-",
            "owner-x",
            "owner-1-1",
            "week-1a",
            "search-dropdown-1-1",
            "why",
        ] {
            assert!(!is_reserved(id), "{id}");
        }
    }

    /// Every `id="…"` of the default theme's templates, with `{{ … }}` read as a number: a new id
    /// in a template must be added to [`THEME_IDS`] or [`THEME_NUMBERED_IDS`]. (A title's
    /// `title_id` is a heading id of the page, which the outline allocated.)
    #[test]
    fn every_id_in_the_theme_templates_is_reserved() {
        let mut folders = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/templates"
        ))];
        let mut found = 0;
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let values = text.split(" id=\"").skip(1).filter_map(|rest| rest.split('"').next());
                // The id of the heading a title came from is the page's own, allocated with them;
                // the print page's anchors are apart from the ids of the bodies it holds, which it
                // scopes by page (`render::print`).
                for value in values.filter(|value| !value.contains("title_id") && !value.contains("anchor")) {
                    let id = number_expressions(value);
                    assert!(is_reserved(&id), "{}: id=\"{value}\" is not reserved", path.display());
                    found += 1;
                }
            }
        }
        assert!(found >= THEME_IDS.len(), "only {found} ids found in the templates");
        // The ids `search.js` makes for the search box.
        let script = include_str!("../../themes/default/scripts/search.js");
        assert!(script.contains("\"search-dropdown-\" + ++boxes") && script.contains("id + \"-option-\" + i"));
    }

    /// `owner-{{ loop.index }}` → `owner-7`.
    fn number_expressions(value: &str) -> String {
        let mut out = String::new();
        let mut rest = value;
        while let Some((before, after)) = rest.split_once("{{") {
            out.push_str(before);
            out.push('7');
            rest = after.split_once("}}").map_or("", |(_, after)| after);
        }
        out + rest
    }

    #[test]
    fn a_reserved_id_is_numbered_and_remembered() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.unique("main".into()), "main-1");
        assert_eq!(ids.unique("main".into()), "main-2");
        assert_eq!(ids.unique("owner-1".into()), "owner-1-1");
        assert_eq!(ids.unique("why".into()), "why");
        assert_eq!(
            ids.aliases,
            [
                ("main".to_string(), "main-1".to_string()),
                ("main".to_string(), "main-2".to_string()),
                ("owner-1".to_string(), "owner-1-1".to_string()),
            ]
        );
        let index = IdIndex::new(["main-1", "main-2", "owner-1-1", "why"].into_iter(), &ids.aliases);
        assert_eq!(index.find("main"), Some("main-1"), "the first heading that asked");
        assert_eq!(index.find("Main"), Some("main-1"));
        assert_eq!(index.find("owner-1"), Some("owner-1-1"));
        assert_eq!(index.find("WHY"), Some("why"));
        assert_eq!(index.find("toc-title"), None);
    }

    #[test]
    fn an_alias_never_hides_an_id() {
        let index = IdIndex::new(["x", "y"].into_iter(), &[("x".into(), "y".into())]);
        assert_eq!(index.find("x"), Some("x"));
    }

    /// A page of few names keeps them in a list, one of many in maps: both find the same ids.
    #[test]
    fn few_names_and_many_are_found_alike() {
        for extra in [0, FEW_NAMES] {
            let mut ids = vec![
                "Intro".to_string(),
                "intro".to_string(),
                "why".to_string(),
                "main-1".to_string(),
            ];
            ids.extend((0..extra).map(|n| format!("section-{n}")));
            let aliases = [
                ("main".to_string(), "main-1".to_string()),
                ("why".to_string(), "intro".to_string()),
            ];
            let index = IdIndex::new(ids.iter().map(String::as_str), &aliases);
            assert_eq!(matches!(index, IdIndex::Few(_)), extra == 0);
            assert_eq!(index.find("intro"), Some("intro"));
            assert_eq!(index.find("INTRO"), Some("Intro"), "the first in page order");
            assert_eq!(index.find("why"), Some("why"), "an alias never hides an id");
            assert_eq!(index.find("Main"), Some("main-1"));
            assert_eq!(index.find("Section-3"), (extra > 0).then_some("section-3"));
            assert_eq!(index.find("toc-title"), None);
        }
    }
}
