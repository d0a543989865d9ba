//! Wiki-links: `[[target]]`, `[[target#heading]]` and `[[target|label]]`, whose target names a
//! page rather than a file, as Obsidian, Foam and the wikis teams import from write them.
//!
//! A target is read as each of these in turn, and the first that names any page wins (two pages
//! at one step is an error naming both): a decision's number (`[[0007]]`, `[[7]]`, `[[ADR-7]]`)
//! in the page's own decision log, or in a named one (`[[billing/0007]]`);
//! a path from `content/` or from the page's folder, with or without `.md` and a record's number
//! (`[[decisions/0007-use-postgres]]`, `[[decisions/use-postgres]]`); a folder, for its page or
//! listing (`[[decisions]]`); a file name in any folder, such as a Log4brains id
//! (`[[20200101-use-markdown]]`); a page's title, in any case. No target is the page itself
//! (`[[#Local heading]]`). After `#` comes a heading's id or its text (`[[0007#Why we chose
//! it]]`), matched as [`super::links::anchor_id`] says.

use std::collections::HashMap;
use std::sync::Arc;

use super::LinkTarget;
use super::links::{LinkProblem, SiteIndex, normalize};
use crate::content::{Page, RefTarget, Role};

/// The names wiki-links may give the pages of one list (those of the build, or those it leaves
/// out), each with the pages it names, by index in the list.
#[derive(Debug, Default)]
pub(super) struct WikiNames {
    /// Decision numbers.
    numbers: HashMap<u32, Vec<usize>>,
    /// Source paths without `.md` (`decisions/0007-use-postgres`), and without a record's number
    /// as well (`decisions/use-postgres`).
    paths: HashMap<String, Vec<usize>>,
    /// File names without `.md`, with and without a record's number, lowercase.
    files: HashMap<String, Vec<usize>>,
    /// Titles of leaf pages, lowercase.
    titles: HashMap<String, Vec<usize>>,
}

impl WikiNames {
    pub(super) fn new(pages: &[Arc<Page>]) -> Self {
        let mut names = WikiNames::default();
        // A page's name with and without its number may be one name: the page is there once.
        fn add(map: &mut HashMap<String, Vec<usize>>, key: String, i: usize) {
            let pages = map.entry(key).or_default();
            if pages.last() != Some(&i) {
                pages.push(i);
            }
        }
        for (i, page) in pages.iter().enumerate().filter(|(_, p)| p.role != Role::Home) {
            if let Some(number) = page.decision().and_then(|d| d.number) {
                // A number used twice is reported where records are indexed; the first keeps it.
                names.numbers.entry(number).or_insert_with(|| vec![i]);
            }
            let path = page.source.trim_end_matches(".md");
            add(&mut names.paths, path.to_string(), i);
            add(&mut names.paths, without_number(path), i);
            let file = path.rsplit('/').next().unwrap_or(path).to_lowercase();
            add(&mut names.files, without_number(&file), i);
            add(&mut names.files, file, i);
            if page.role == Role::Leaf {
                add(&mut names.titles, page.title.to_lowercase(), i);
            }
        }
        names
    }

    /// The pages that `target`, written in a page in `folder`, names by number (in any log:
    /// for pages left out of the build, where a near miss only changes the diagnostic) or by
    /// path.
    fn by_number_or_path(&self, target: &str, folder: &str) -> Vec<usize> {
        if let Some(found) = wiki_number(target).and_then(|n| self.numbers.get(&n)) {
            return found.clone();
        }
        self.by_path(target, folder)
    }

    /// The pages that `target`, written in a page in `folder`, names by path.
    fn by_path(&self, target: &str, folder: &str) -> Vec<usize> {
        let wanted = target.trim_start_matches('/').trim_end_matches(".md");
        let relative = normalize(folder, wanted);
        let mut found: Vec<usize> = [Some(wanted), relative.as_deref()]
            .into_iter()
            .flatten()
            .filter_map(|path| self.paths.get(path))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The pages that `target` names by file name or by title.
    fn by_name_or_title(&self, target: &str) -> Vec<usize> {
        let target = target.to_lowercase();
        let file = self
            .files
            .get(target.trim_end_matches(".md"))
            .filter(|_| !target.contains('/'));
        file.or_else(|| self.titles.get(&target)).cloned().unwrap_or_default()
    }
}

impl SiteIndex<'_> {
    /// Resolves the wiki-link `[[dest]]` written in `page`.
    pub(super) fn resolve_wiki(&self, page: &Page, dest: &str) -> Result<(LinkTarget, Option<usize>), LinkProblem> {
        let (target, fragment) = dest.split_once('#').unwrap_or((dest, ""));
        let target = target.trim();
        if target.is_empty() {
            return self.in_page(page, fragment);
        }
        let names = self.tables.wiki(self.pages);
        let mut found = self.by_number(page, target);
        if found.is_empty() && wiki_number(target).is_none() {
            found = names.by_path(target, page.folder());
        }
        if found.is_empty() {
            let folder = [page.folder(), ""]
                .into_iter()
                .find_map(|base| self.folder(&normalize(base, target)?));
            if let Some(folder) = folder {
                return self.to_folder(folder, fragment);
            }
            found = names.by_name_or_title(target);
        }
        match found.as_slice() {
            [] => Err(self.wiki_missing(page, target)),
            [one] => self.to_page(*one, fragment),
            many => Err(LinkProblem::Ambiguous {
                target: target.to_string(),
                candidates: many.iter().map(|&i| self.pages[i].file.display().to_string()).collect(),
                names: many.iter().map(|&i| self.unique_name(&self.pages[i], target)).collect(),
            }),
        }
    }

    /// The records `target` names by number: in `page`'s own log (or, for a page that is not a
    /// record, the one log that has it), or in the log it names (`[[billing/0007]]`); see
    /// [`super::records::RecordIndex::numbered`].
    fn by_number(&self, page: &Page, target: &str) -> Vec<usize> {
        if let Some(number) = wiki_number(target) {
            return self.records.numbered(page, None, number);
        }
        match RefTarget::parse(target) {
            Some(RefTarget::InLog { log, number }) => self.records.numbered(page, Some(&log), number),
            _ => Vec::new(),
        }
    }

    /// How a wiki-link names `page` alone, where `target` named it and others: a record by its
    /// log and number (`adr/0002`) when `target` was a number, else by its path without `.md`.
    fn unique_name(&self, page: &Page, target: &str) -> String {
        match (wiki_number(target), page.decision()) {
            (Some(number), Some(decision)) => {
                let log = decision.log.rsplit('/').next().unwrap_or(&decision.log);
                format!("{log}/{number:04}")
            }
            _ => page.source.trim_end_matches(".md").to_string(),
        }
    }

    /// Why no page of the build has the name `target`: a page left out of it has, or none has.
    fn wiki_missing(&self, page: &Page, target: &str) -> LinkProblem {
        let names = self.tables.left_out_wiki(self.left_out_pages);
        let mut found = names.by_number_or_path(target, page.folder());
        if found.is_empty() {
            found = names.by_name_or_title(target);
        }
        let left_out = found.first().and_then(|&i| {
            let source = &self.left_out_pages.get(i)?.source;
            Some(LinkProblem::LeftOut(source.clone(), *self.tables.left_out.get(source)?))
        });
        left_out.unwrap_or_else(|| LinkProblem::Broken {
            path: target.to_string(),
            resolved: None,
        })
    }
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
    if name.is_empty() {
        source.to_string()
    } else if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiki_numbers_and_paths() {
        assert_eq!(wiki_number("0007"), Some(7));
        assert_eq!(wiki_number("ADR-12"), Some(12));
        assert_eq!(wiki_number("Use Postgres"), None);
        assert_eq!(without_number("decisions/0007-use-postgres"), "decisions/use-postgres");
        assert_eq!(without_number("guides/setup"), "guides/setup");
        assert_eq!(without_number("decisions/2024"), "decisions/2024");
    }
}
