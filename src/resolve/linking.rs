//! Resolving the links of the pages' bodies, and the backlinks they make: for every page when a
//! site is resolved, but for those whose links provably resolve as they did in the last good
//! site of the handbook (see [`link_all`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::links::{LinkProblem, SiteIndex};
use super::suggest::SUGGESTIONS_PER_PAGE;
use super::{LinkTarget, LinkTargets, Site};
use crate::config::LinkPolicy;
use crate::content::Page;
use crate::diagnostics::Diagnostic;

/// Every page's links, by page index.
pub(super) struct Linked {
    /// Where each link destination of the page's body goes.
    pub(super) links: Vec<LinkTargets>,
    /// The problems with the page's links.
    pub(super) diagnostics: Vec<Vec<Diagnostic>>,
    /// The pages that link to the page, in index order.
    pub(super) backlinks: Vec<Vec<usize>>,
}

/// Resolves the links of every page of `index`, taking those of `earlier`, a good site of the
/// handbook whose links were resolved against the same paths, files and settings (the same
/// [`super::LinkTables::key`]), for each page they must be the same for: the page reads as it
/// did in `earlier` (see [`reads_as_before`]), its links had no problem and none is a wiki-link
/// (which names pages by their titles), and each page they reach reads as it did (its
/// headings, which `#anchors` name, did not change). After a title edit at 10,000 pages,
/// resolving every link again took 25 ms.
pub(super) fn link_all(index: &SiteIndex<'_>, policy: LinkPolicy, earlier: Option<&Site>) -> Linked {
    let pages = index.pages;
    let earlier = earlier.filter(|site| site.pages.len() == pages.len());
    let reached = earlier.map(|site| reached_from(&site.backlinks));
    let linked: Vec<PageLinks> = (pages.par_iter().enumerate())
        .map(|(from, page)| {
            let kept = earlier.zip(reached.as_ref()).and_then(|(site, reached)| {
                let same = |i: usize| reads_as_before(&pages[i], &site.pages[i]);
                let unchanged = same(from)
                    && site.link_diagnostics[from].is_empty()
                    && !page.outline.links.iter().any(|link| link.wiki)
                    && reached[from].iter().all(|&to| same(to));
                unchanged.then(|| PageLinks {
                    targets: site.links[from].clone(),
                    to: reached[from].iter().copied().collect(),
                    diagnostics: Vec::new(),
                })
            });
            kept.unwrap_or_else(|| link_page(index, from, page, policy))
        })
        .collect();
    let mut links = Vec::with_capacity(pages.len());
    let mut diagnostics = Vec::with_capacity(pages.len());
    // Pushed in the order of the linking pages, each once per target: each list comes sorted
    // and without repeats, as a set would make it but without one allocation per page linked.
    let mut backlinks: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
    for (from, page_links) in linked.into_iter().enumerate() {
        for to in page_links.to {
            backlinks[to].push(from);
        }
        links.push(page_links.targets);
        diagnostics.push(page_links.diagnostics);
    }
    Linked {
        links,
        diagnostics,
        backlinks,
    }
}

/// Whether `now` has the links and headings, at the same address, that `then` had: it is the
/// same page as loaded (the same `Arc`: its text did not change), or a copy with the same path,
/// file and outline (resolving makes a copy of each decision it marks superseded, each time).
fn reads_as_before(now: &Arc<Page>, then: &Arc<Page>) -> bool {
    Arc::ptr_eq(now, then) || (now.path == then.path && now.file == then.file && now.outline == then.outline)
}

/// The pages each page links to, by page index, from the pages that link to each.
fn reached_from(backlinks: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut reached = vec![Vec::new(); backlinks.len()];
    for (to, from) in backlinks.iter().enumerate() {
        for &from in from {
            reached[from].push(to);
        }
    }
    reached
}

/// What the links in one page's body resolve to.
pub(super) struct PageLinks {
    /// Each destination as written, and where it goes (made a sorted list here, in parallel,
    /// rather than where the pages' links are gathered, in one thread).
    pub(super) targets: LinkTargets,
    /// The other pages it links to.
    pub(super) to: BTreeSet<usize>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// Resolves the links of page `from`.
pub(super) fn link_page(index: &SiteIndex<'_>, from: usize, page: &Page, policy: LinkPolicy) -> PageLinks {
    let mut targets = BTreeMap::new();
    let mut linked = PageLinks {
        targets: LinkTargets::default(),
        to: BTreeSet::new(),
        diagnostics: Vec::new(),
    };
    let markdown = page
        .outline
        .links
        .iter()
        .map(|link| (link, index.resolve_link(page, link)));
    let html = index.tables.html_urls.of(&page.outline);
    let mut suggested = 0;
    for (link, resolved) in markdown.chain(html.map(|link| (link, index.resolve_html(page, link)))) {
        let (target, to) = resolved.unwrap_or_else(|problem| {
            let target = match problem {
                LinkProblem::LeftOut(..) | LinkProblem::Unsafe(_) => LinkTarget::Unlink,
                _ => LinkTarget::Keep,
            };
            let near = match problem {
                LinkProblem::Broken { .. } | LinkProblem::Anchor { .. } if suggested < SUGGESTIONS_PER_PAGE => {
                    suggested += 1;
                    index.near(page, link, &problem)
                }
                _ => None,
            };
            let diagnostic = problem.into_diagnostic(page, link, policy, near);
            // Links that share a reference definition share its diagnostic.
            if !linked.diagnostics.contains(&diagnostic) {
                linked.diagnostics.push(diagnostic);
            }
            (target, None)
        });
        if let Some(to) = to.filter(|to| *to != from) {
            linked.to.insert(to);
        }
        targets.insert(link.dest.clone(), target);
    }
    linked.targets = targets.into();
    linked
}
