//! `sitemap.xml`: every page a search engine should know of, with the day it last changed.
//!
//! A content page's `lastmod` is the date it shows as "Last updated" (else its `date`): see
//! [`PageDates`]. A generated page (a folder, a tag, the decision log, meetings, people, what's
//! new…) changes when what it lists changes, so its `lastmod` is the newest of theirs and of its
//! own folder page's text (`_index.md`), if it has one. One that lists nothing and has no text of
//! its own is left out, as are files that are no pages to search: feeds, the 404 page, the
//! search page, redirects.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::Serialize;

use super::Renderer;
use super::generated::{self, Rendered};
use super::page_dates::PageDates;
use crate::content::Role;

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

/// The sitemap needs absolute URLs, so it is only written when `base_url` is set.
pub(super) fn render(r: &Renderer<'_>) -> Option<Rendered> {
    let base = r.site.config.base_url()?;
    let urls: Vec<SitemapUrl> = last_changes(r)
        .into_iter()
        .map(|(path, lastmod)| SitemapUrl {
            loc: format!("{base}{path}"),
            lastmod: lastmod.map(|d| d.to_string()),
        })
        .collect();
    let mut context = r.context_for("", None);
    context.insert("urls", &urls);
    Some(r.render("sitemap.xml", &context, "sitemap.xml".into()))
}

/// Every page to list, by site path (the home page's is empty), with the day it last changed.
fn last_changes(r: &Renderer<'_>) -> BTreeMap<String, Option<Date>> {
    let site = r.site;
    let last_change = |i: usize| PageDates::of(site, &site.pages[i]).last_change();
    let folder_pages: HashMap<&str, usize> = (site.pages.iter().enumerate())
        .filter(|(_, p)| p.role != Role::Leaf)
        .map(|(i, p)| (p.path.as_str(), i))
        .collect();
    let mut pages: BTreeMap<String, Option<Date>> = BTreeMap::new();
    for page in generated::pages(r) {
        let Some((path, listed)) = generated::listing(r, page) else {
            continue;
        };
        let own = folder_pages.get(path.as_str()).copied();
        // An index of nothing (the protocols of a handbook that has none) is no page to search.
        if listed.is_empty() && own.is_none() && !path.is_empty() {
            continue;
        }
        let newest = listed.into_iter().chain(own).filter_map(last_change).max();
        let entry = pages.entry(path).or_default();
        *entry = (*entry).max(newest);
    }
    for (i, page) in site.pages.iter().enumerate().filter(|(_, p)| p.role == Role::Leaf) {
        pages.insert(page.path.clone(), last_change(i));
    }
    pages
}
