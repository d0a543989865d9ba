//! "Did you mean": for a link or anchor that names nothing, the existing one whose name is
//! nearest, when it is near enough to be what the writer meant.
//!
//! An imported log of ten thousand pages may hold thousands of broken links, so a suggestion
//! must not cost a look at every name. Names are kept sorted by length with a count of their
//! characters: an edit changes the length by at most one and the counts by at most two, so most
//! names are passed over on those alone, and the distance is measured for the few left. A page
//! gets at most [`SUGGESTIONS_PER_PAGE`], so that one page of many headings and as many broken
//! anchors into them stays linear.

use std::sync::Arc;

use super::links::{LinkProblem, MissingIn, SiteIndex};
use crate::content::{Page, Role};
use crate::markdown::{LinkRef, slugify};

/// How many of a page's broken links and anchors get a suggestion.
pub(super) const SUGGESTIONS_PER_PAGE: usize = 20;

/// Names to suggest, sorted by length in characters.
#[derive(Debug, Default)]
pub(super) struct Candidates {
    names: Vec<(String, Key)>,
}

impl Candidates {
    pub(super) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut names: Vec<(String, Key)> = names.into_iter().map(|n| (n.to_string(), Key::new(n))).collect();
        names.sort_by(|a, b| (a.1.length, &a.0).cmp(&(b.1.length, &b.0)));
        names.dedup_by(|a, b| a.0 == b.0);
        Candidates { names }
    }

    /// What a wiki-link may have meant: the file names of `pages` (but the home page) and the
    /// titles of leaf pages.
    pub(super) fn of_names(pages: &[Arc<Page>]) -> Self {
        let pages = pages.iter().filter(|p| p.role != Role::Home);
        let titles = pages.clone().filter(|p| p.role == Role::Leaf).map(|p| p.title.as_str());
        let file_name = |p: &Arc<Page>| {
            let name = p.source.rsplit('/').next().unwrap_or_default();
            name.trim_end_matches(".md").to_string()
        };
        let files: Vec<String> = pages.map(file_name).collect();
        Candidates::new(files.iter().map(String::as_str).chain(titles))
    }

    /// The name nearest to `wanted`, when one is near enough ([`limit`]).
    pub(super) fn nearest(&self, wanted: &str) -> Option<&str> {
        let wanted = Key::new(wanted);
        let limit = limit(&wanted.lower);
        let from = self
            .names
            .partition_point(|(_, key)| key.length + limit < wanted.length);
        let to = self
            .names
            .partition_point(|(_, key)| key.length <= wanted.length + limit);
        let names = self.names[from..to.max(from)].iter();
        closest(&wanted, limit, names.map(|(name, key)| (name.as_str(), key)))
    }
}

/// The candidate nearest to `wanted`, looking at each (for a few names, such as one page's ids).
pub(super) fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = Key::new(wanted);
    let limit = limit(&wanted.lower);
    let keys: Vec<(&str, Key)> = candidates.into_iter().map(|c| (c, Key::new(c))).collect();
    closest(&wanted, limit, keys.iter().map(|(c, key)| (*c, key)))
}

/// How many edits (in any case; a swap of two neighbouring characters is one) a name may be from
/// `wanted` to be offered: a quarter of the characters of `wanted`'s last part (after `/`), and
/// at least one. A typo, then, not another short name in the same folder.
fn limit(wanted: &str) -> usize {
    let name = wanted.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    (name.chars().count() / 4).max(1)
}

/// Of `candidates`, the nearest to `wanted` within `limit` edits; ties go to the first in
/// alphabetical order, so the advice is the same every run.
fn closest<'a, 'k>(
    wanted: &Key,
    limit: usize,
    candidates: impl Iterator<Item = (&'a str, &'k Key)>,
) -> Option<&'a str> {
    candidates
        .filter(|(_, key)| wanted.at_least(key) <= limit)
        .map(|(name, key)| (strsim::osa_distance(&wanted.lower, &key.lower), name))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, name)| name)
}

/// A name as the comparison sees it.
#[derive(Debug)]
struct Key {
    lower: String,
    /// In characters.
    length: usize,
    /// How many of its characters fall in each of 32 classes (by code point).
    counts: [u8; 32],
}

impl Key {
    fn new(name: &str) -> Key {
        let lower = name.to_lowercase();
        let mut counts = [0u8; 32];
        let mut length = 0;
        for c in lower.chars() {
            let class = &mut counts[c as usize % 32];
            *class = class.saturating_add(1);
            length += 1;
        }
        Key { lower, length, counts }
    }

    /// Edits that `self` is at least from `other`: the difference in length, and half the
    /// difference in counts (rounded up), each a bound no edit can beat.
    fn at_least(&self, other: &Key) -> usize {
        let counts: usize = self
            .counts
            .iter()
            .zip(&other.counts)
            .map(|(a, b)| usize::from(a.abs_diff(*b)))
            .sum();
        self.length.abs_diff(other.length).max(counts.div_ceil(2))
    }
}

impl SiteIndex<'_> {
    /// What to suggest for `problem`, of `link` in `page`, written as the link would write it:
    /// a path from the page (`../decisions/0007-x.md`), a wiki-link (`[[Use Postgres]]`), or an
    /// anchor (`#context`).
    pub(super) fn near(&self, page: &Page, link: &LinkRef, problem: &LinkProblem) -> Option<String> {
        match problem {
            LinkProblem::Broken { path, .. } if link.wiki => {
                if path.contains('/') {
                    let wanted = format!("{}.md", path.trim_start_matches('/').trim_end_matches(".md"));
                    let near = self.tables.paths().nearest(&wanted)?;
                    Some(format!("[[{}]]", near.trim_end_matches(".md")))
                } else {
                    Some(format!("[[{}]]", self.tables.names(self.pages).nearest(path)?))
                }
            }
            LinkProblem::Broken {
                resolved: Some(resolved),
                ..
            } => {
                let near = self.tables.paths().nearest(resolved)?;
                Some(link_from(page.folder(), near, link.dest.starts_with('/')))
            }
            LinkProblem::Anchor { anchor, missing_in, .. } => {
                let outline = match missing_in {
                    MissingIn::ThisPage => &page.outline,
                    MissingIn::Page(target) => &self.pages[*target].outline,
                    MissingIn::Listing => return None,
                };
                let ids = outline.headings.iter().map(|h| h.id.as_str());
                let ids = ids.chain(outline.other_ids.iter().map(String::as_str));
                let decoded = percent_encoding::percent_decode_str(anchor).decode_utf8_lossy();
                Some(format!("#{}", nearest(&slugify(&decoded), ids)?))
            }
            _ => None,
        }
    }
}

/// How a page in `folder` links to `target` (both relative to `content/`): relatively, as the
/// link it replaces was written (`../decisions/0007-x.md`), or from the root when that was
/// (`/decisions/0007-x.md`). Spaces are written `%20`, which a Markdown link needs.
fn link_from(folder: &str, target: &str, from_root: bool) -> String {
    let slash = if target.ends_with('/') { "/" } else { "" };
    let target = target.trim_end_matches('/').replace(' ', "%20");
    if from_root {
        return format!("/{target}{slash}");
    }
    let folder: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let mut rest: Vec<&str> = target.split('/').collect();
    let shared = folder
        .iter()
        .zip(&rest)
        .take_while(|(a, b)| a == b && rest.len() > 1)
        .count();
    rest.drain(..shared);
    let up = "../".repeat(folder.len() - shared);
    format!("{up}{}{slash}", rest.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_suggested_and_far_ones_not() {
        let pages = Candidates::new(["decisions/0001-use-postgres.md", "guides/my file.md", "guides/setup.md"]);
        assert_eq!(
            pages.nearest("decisoins/0001-use-postgres.md"),
            Some("decisions/0001-use-postgres.md")
        );
        assert_eq!(pages.nearest("guides/my-fil.md"), Some("guides/my file.md"));
        assert_eq!(pages.nearest("Guides/Setup.md"), Some("guides/setup.md"));
        assert_eq!(pages.nearest("guides/onboarding.md"), None);
        assert_eq!(
            Candidates::new(["guides/page.md"]).nearest("guides/a&b.md"),
            None,
            "another short name"
        );
        assert_eq!(nearest("contxt", ["context", "consequences"]), Some("context"));
        assert_eq!(nearest("nope", ["context", "note"]), Some("note"));
        assert_eq!(nearest("x", ["ab", "a"]), Some("a"));
        assert_eq!(nearest("ab", ["ac", "aa"]), Some("aa"), "ties go alphabetically");
        assert_eq!(Candidates::default().nearest("x"), None);
    }

    #[test]
    fn counts_never_pass_over_a_near_name() {
        let names = ["setup", "Setup", "upset", "stepu", "sétup", "setup-guide", "s"];
        for wanted in ["setpu", "SETUP", "setu", "setupp", "étup", "xsetup"] {
            let key = Key::new(wanted);
            for name in names {
                let distance = strsim::osa_distance(&key.lower, &name.to_lowercase());
                assert!(key.at_least(&Key::new(name)) <= distance, "{wanted} {name}");
            }
        }
    }

    #[test]
    fn suggestions_are_written_as_links_from_the_page() {
        assert_eq!(link_from("guides", "guides/my file.md", false), "my%20file.md");
        assert_eq!(
            link_from("guides/deep", "decisions/0001-x.md", false),
            "../../decisions/0001-x.md"
        );
        assert_eq!(link_from("", "decisions/0001-x.md", false), "decisions/0001-x.md");
        assert_eq!(link_from("guides", "guides/", false), "../guides/");
        assert_eq!(link_from("guides", "guides/deep/", false), "deep/");
        assert_eq!(link_from("guides", "decisions/x.md", true), "/decisions/x.md");
    }
}
