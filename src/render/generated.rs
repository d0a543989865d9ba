//! Pages the handbook generates from its records: home (see [`super::home`]), the decision log,
//! meetings, protocols, people ([`super::people`], [`super::hours`]), teams ([`super::teams`]),
//! folder sections, tags, 404, the sitemap ([`super::sitemap`]), calendars
//! ([`super::calendar`]) and the print page ([`super::print`]).

use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;
use tera::Context;

use super::changes::{self, Feed};
use super::decision_log::{self, LogFilter};
use super::{OutputFile, Renderer};
use super::{calendar, print, records};
use crate::content::{Kind, Role};
use crate::diagnostics::Diagnostic;
use crate::resolve::{Site, section_paths};
use crate::routes::tag_path;

pub(super) type Rendered = Result<OutputFile, Diagnostic>;

/// A page the handbook generates.
#[derive(PartialEq)]
pub(super) enum Generated {
    Home,
    /// The decision log, whole or filtered.
    DecisionLog(LogFilter),
    /// The meetings, all or one series.
    Meetings(Option<String>),
    Protocols,
    Actions,
    Reviews,
    People,
    /// Everyone's working hours on one UTC axis ([`super::hours`]).
    TimeZones,
    /// The teams ([`super::teams`]).
    Teams,
    /// One team, by its site path.
    Team(String),
    /// What's new, by week.
    Changes,
    /// The search page.
    Search,
    /// An Atom feed.
    Feed(Feed),
    NotFound,
    Tags,
    /// A folder of pages.
    Section(SectionPage),
    /// The pages with one tag.
    Tag(TagPage),
    Sitemap,
    /// A redirect from an old URL (an alias) to a page.
    Redirect(String, usize),
    /// The iCalendar file of one meeting with a time, by page index.
    MeetingCalendar(usize),
    /// The iCalendar file of one meeting series.
    SeriesCalendar(String),
    /// The whole handbook on one page, to print.
    Print,
}

impl Generated {
    /// Whether `self` and `other` are the same generated page, writing the same file, although
    /// a tag's page may list other pages now: which of those is to be rendered again is told by
    /// what they list (see [`super::shows::changed`]).
    pub(super) fn same_page(&self, other: &Generated) -> bool {
        match (self, other) {
            (Generated::Tag(a), Generated::Tag(b)) => a.path == b.path && a.name == b.name,
            (a, b) => a == b,
        }
    }

    /// Whether `build` renders it before the leaf pages (see
    /// [`Part::BeforeLeaves`](super::Part::BeforeLeaves)): it holds the whole handbook while it
    /// is rendered, but not its pages' views, or it reads leaf pages' bodies (an Atom feed, whose
    /// entries without a summary show the start of the text; a folder's page shows its folder
    /// page's body, which is not a leaf).
    pub(super) fn rendered_before_leaves(&self) -> bool {
        matches!(
            self,
            Generated::Print | Generated::Actions | Generated::Home | Generated::Changes | Generated::Feed(_)
        )
    }
}

/// Every generated page of `r`'s site, to be rendered in parallel: the print page first, since
/// it is the largest by far and a thread that started it last would finish long after the
/// others. Worked out once per [`Frame`](super::Frame), which keeps the list: rendering, the
/// sitemap and, in `serve`, telling which generated pages an edit changed all ask, and at 10,000
/// pages it takes 20–25 ms (folders and tags are collected from every page).
pub(super) fn pages<'f>(r: &Renderer<'f>) -> &'f [Generated] {
    r.frame.generated.get_or_init(|| every_page(r))
}

fn every_page(r: &Renderer<'_>) -> Vec<Generated> {
    let site = r.site;
    let mut pages = vec![
        Generated::Print,
        Generated::Home,
        Generated::Meetings(None),
        Generated::Protocols,
        Generated::Actions,
        Generated::Reviews,
        Generated::People,
        Generated::Changes,
        Generated::Search,
        Generated::Feed(Feed::All),
        Generated::Feed(Feed::Decisions),
        Generated::Feed(Feed::Meetings),
        Generated::NotFound,
        Generated::Tags,
        Generated::Sitemap,
    ];
    if !site.teams.by_path.is_empty() {
        pages.push(Generated::Teams);
    }
    if super::hours::shown(site) {
        pages.push(Generated::TimeZones);
    }
    // The three passes over the whole site, at once: an edit waits for this list (see
    // `shows::changed`).
    let (log, (sections, tags)) = rayon::join(
        || decision_log::pages(r),
        || rayon::join(|| collect_sections(site), || tagged(site)),
    );
    pages.extend(site.teams.by_path.keys().cloned().map(Generated::Team));
    pages.extend(log.into_iter().map(Generated::DecisionLog));
    for series in records::series(site) {
        pages.push(Generated::SeriesCalendar(series.clone()));
        pages.push(Generated::Meetings(Some(series)));
    }
    pages.extend(
        site.of_kind(Kind::Meeting)
            .filter(|(_, page)| page.meeting().is_some_and(|m| m.start.is_some()))
            .map(|(i, _)| Generated::MeetingCalendar(i)),
    );
    pages.extend(sections.into_iter().map(|(path, section)| {
        Generated::Section(SectionPage {
            path,
            title: section.title,
            pages: section.pages,
        })
    }));
    pages.extend(
        site.redirects
            .iter()
            .map(|(file, page)| Generated::Redirect(file.clone(), *page)),
    );
    pages.extend(
        tags.into_iter()
            .map(|(path, (name, pages))| Generated::Tag(TagPage { path, name, pages })),
    );
    pages
}

/// Renders one generated page; `None` when it is not written in this build (the sitemap without
/// a base URL).
pub(super) fn render(r: &Renderer<'_>, page: &Generated) -> Option<Rendered> {
    Some(match page {
        Generated::Home => super::home::render(r),
        Generated::DecisionLog(filter) => return decision_log::render(r, filter),
        Generated::Meetings(series) => return records::meetings(r, series.as_deref()),
        Generated::Protocols => return records::protocols(r),
        Generated::Actions => return records::actions(r),
        Generated::Changes => changes::whats_new(r),
        Generated::Search => r.render(
            "search.html",
            &index_context(r, "search/", "Search"),
            "search/index.html".into(),
        ),
        Generated::Feed(feed) => changes::feed(r, *feed),
        Generated::Reviews => return records::reviews(r),
        Generated::People => super::people::render(r),
        Generated::TimeZones => super::hours::render(r),
        Generated::Teams => super::teams::index(r),
        Generated::Team(path) => super::teams::team(r, &r.site.teams.by_path[path]),
        Generated::NotFound => not_found(r),
        Generated::Tags => tag_index(r),
        Generated::Section(page) => return section(r, page),
        Generated::Tag(page) => return tag(r, page),
        Generated::Sitemap => return super::sitemap::render(r),
        Generated::Redirect(file, page) => redirect(r, file, *page),
        Generated::MeetingCalendar(page) => Ok(calendar::meeting(r, *page)?),
        Generated::SeriesCalendar(name) => Ok(calendar::series(r, name)),
        Generated::Print => return print::render(r),
    })
}

/// Where a generated page is, and the pages it lists (whose changes change it), for the sitemap;
/// `None` for what is no page to index: feeds, calendars, the 404 page, redirects, the search
/// page (empty until a query is typed), the print page (every page again) and the sitemap itself.
pub(super) fn listing(r: &Renderer<'_>, page: &Generated) -> Option<(String, Vec<usize>)> {
    let site = r.site;
    let leaves = || -> Vec<usize> {
        (0..site.pages.len())
            .filter(|&i| site.pages[i].role == Role::Leaf)
            .collect()
    };
    let path = site_path(page)?;
    let listed = match page {
        // The home page shows the latest changes, as what's new shows them all.
        Generated::Home | Generated::Changes => leaves(),
        Generated::DecisionLog(filter) => decision_log::members(r, filter),
        Generated::Meetings(series) => records::meetings_in(r, series.as_deref()),
        Generated::Protocols | Generated::Reviews => r.indices_of(Kind::Protocol),
        Generated::Actions => site
            .of_kind(Kind::Meeting)
            .filter(|(_, page)| page.meeting().is_some_and(|m| !m.action_items.is_empty()))
            .map(|(i, _)| i)
            .collect(),
        Generated::People | Generated::TimeZones => r.indices_of(Kind::Person),
        Generated::Teams => site
            .teams
            .by_path
            .values()
            .flat_map(|team| team.pages.clone())
            .collect(),
        Generated::Team(path) => site.teams.by_path[path].pages.clone(),
        Generated::Tags => tag_pages(r).flat_map(|tag| tag.pages.iter().copied()).collect(),
        Generated::Section(section) => section.pages.clone(),
        Generated::Tag(tag) => tag.pages.clone(),
        _ => return None,
    };
    Some((path, listed))
}

/// The site path of a generated page that lists pages (see [`listing`]); `None` for the others.
pub(super) fn site_path(page: &Generated) -> Option<String> {
    Some(match page {
        Generated::Home => String::new(),
        Generated::Changes => "changes/".into(),
        Generated::DecisionLog(filter) => decision_log::path(filter),
        Generated::Meetings(series) => records::meetings_path(series.as_deref()),
        Generated::Protocols => "protocols/".into(),
        Generated::Reviews => "reviews/".into(),
        Generated::Actions => "actions/".into(),
        Generated::People => "people/".into(),
        Generated::TimeZones => "people/time-zones/".into(),
        Generated::Teams => "teams/".into(),
        Generated::Team(path) => path.clone(),
        Generated::Tags => "tags/".into(),
        Generated::Section(section) => section.path.clone(),
        Generated::Tag(tag) => tag.path.clone(),
        Generated::Search
        | Generated::Feed(_)
        | Generated::NotFound
        | Generated::Sitemap
        | Generated::Redirect(..)
        | Generated::MeetingCalendar(_)
        | Generated::SeriesCalendar(_)
        | Generated::Print => return None,
    })
}

/// The title and HTML of the `_index.md` (or `index.md`, `README.md`) at site path `path`.
/// The title, the id of the heading it came from, and the body of the folder page at `path`.
fn intro(r: &Renderer<'_>, path: &str) -> (Option<String>, Option<String>, String) {
    let Some(i) = (r.site.pages.iter()).position(|p| p.role != Role::Leaf && p.path == path) else {
        return (None, None, String::new());
    };
    let page = &r.site.pages[i];
    (
        Some(page.title.clone()),
        page.title_heading_id().map(String::from),
        r.page_html(i),
    )
}

/// The context of the generated page at `path`, titled by its folder page when there is one,
/// else `default_title`; the home page has no breadcrumbs.
pub(super) fn index_context(r: &Renderer<'_>, path: &str, default_title: &str) -> Context {
    let (title, title_id, content) = intro(r, path);
    let title = title.unwrap_or_else(|| default_title.to_string());
    let mut context = r.context_for(path, (!path.is_empty()).then_some(title.as_str()));
    context.insert("title", &title);
    context.insert("title_id", &title_id);
    context.insert("content", &content);
    context
}

/// The page a host serves for a missing address, at any depth and on any host: its links are
/// relative to a `<base>` that starts at the `base_url`'s path (or `/`) and that a small inline
/// script moves to wherever the site turns out to be; the stylesheet is inline, so the page is
/// styled before that and without JavaScript, and nothing comes from `base_url`'s own host (a
/// preview or `serve` would otherwise load the production site's files).
fn not_found(r: &Renderer<'_>) -> Rendered {
    let mut context = r.context_for("", Some("Page not found"));
    context.insert("canonical", &None::<String>);
    context.insert("fallback_root", &r.site.config.base_path());
    context.insert("top_level", &r.site.routes.top_level());
    let style = r.theme.static_text("assets/style.css").unwrap_or_default();
    context.insert("inline_style", &inline_style(&style));
    let icon = r.theme.static_text("assets/favicon.svg").unwrap_or_default();
    context.insert("inline_icon", &svg_data_uri(&icon));
    r.render("404.html", &context, "404.html".into())
}

/// `svg` as a `data:` URI (RFC 2397), for an icon that needs no request: what a URI may not hold
/// as it is, and what would end the attribute, percent-encoded.
fn svg_data_uri(svg: &str) -> String {
    const ENCODED: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'&')
        .add(b'\'')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}')
        .add(b'^')
        .add(b'\\');
    format!("data:image/svg+xml,{}", utf8_percent_encode(svg.trim(), ENCODED))
}

/// `css` made safe to put between `<style>` and `</style>`: a `</` (which could end the element
/// early) is written `<\/`, which CSS reads as the same two characters.
fn inline_style(css: &str) -> String {
    css.replace("</", "<\\/")
}

/// Folders of plain pages: each gets a page listing what it holds.
pub(super) struct Section {
    /// The folder's name, humanized: its title when it has no page of its own.
    pub(super) title: String,
    pages: Vec<usize>,
}

/// Every folder (site path) that holds pages, directly or below, or has a folder page of its own
/// (`index.md`), except the generated ones.
pub(super) fn collect_sections(site: &Site) -> BTreeMap<String, Section> {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    for (i, page) in site.pages.iter().enumerate() {
        if page.role == Role::Home {
            continue;
        }
        let source_dirs: Vec<&str> = page.source.split('/').collect();
        let paths = section_paths(page);
        for (at, (level, path)) in paths.iter().enumerate() {
            let section = sections.entry(path.clone()).or_insert_with(|| Section {
                title: crate::content::humanize(source_dirs.get(*level).map_or("", |d| d.trim_end_matches(".md"))),
                pages: Vec::new(),
            });
            // The innermost folder of a leaf page is the one it is in.
            if at + 1 == paths.len() && page.role == Role::Leaf {
                section.pages.push(i);
            }
        }
    }
    sections
}

/// Of `sections`, the folders of `site` (see [`collect_sections`]), the site paths of those at
/// the top of the site that hold plain pages rather than records (`handbook/`), for the
/// navigation.
pub(super) fn top_level_sections<'s>(site: &Site, sections: &'s BTreeMap<String, Section>) -> Vec<&'s str> {
    let kind_folders: Vec<&String> = {
        let f = &site.config.folders;
        f.decisions
            .iter()
            .chain(&f.meetings)
            .chain(&f.protocols)
            .chain(&f.people)
            .collect()
    };
    sections
        .keys()
        .filter(|path| path.matches('/').count() == 1)
        .filter(|path| {
            !kind_folders
                .iter()
                .any(|k| slug::slugify(k.as_str()) == path.trim_end_matches('/'))
        })
        .map(String::as_str)
        .collect()
}

/// A folder's page: its leaf pages and sub-folders.
#[derive(PartialEq)]
pub(super) struct SectionPage {
    path: String,
    title: String,
    pub(super) pages: Vec<usize>,
}

fn section(r: &Renderer<'_>, section: &SectionPage) -> Option<Rendered> {
    let mut context = index_context(r, &section.path, &section.title);
    let mut children = section.pages.clone();
    r.by_weight(&mut children);
    context.insert_value("children", r.list(&children));
    context.insert("subsections", &r.frame.folders.subfolders(&section.path));
    r.render_large("section.html", &context, format!("{}index.html", section.path), 0)
}

#[derive(Serialize)]
struct TagView {
    name: String,
    href: String,
    count: usize,
}

/// The pages that carry one tag.
#[derive(PartialEq)]
pub(super) struct TagPage {
    path: String,
    name: String,
    pub(super) pages: Vec<usize>,
}

/// Tagged leaf pages by the tag's site path, with the tag as first written.
fn tagged(site: &Site) -> BTreeMap<String, (String, Vec<usize>)> {
    let mut by_tag: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (i, page) in site.pages.iter().enumerate().filter(|(_, p)| p.role == Role::Leaf) {
        for tag in &page.tags {
            let pages = &mut by_tag
                .entry(tag_path(tag))
                .or_insert_with(|| (tag.clone(), Vec::new()))
                .1;
            // `Security` and `security` on one page list it once.
            if pages.last() != Some(&i) {
                pages.push(i);
            }
        }
    }
    by_tag
}

/// The pages of the tags, by site path.
fn tag_pages<'f>(r: &Renderer<'f>) -> impl Iterator<Item = &'f TagPage> {
    pages(r).iter().filter_map(|page| match page {
        Generated::Tag(tag) => Some(tag),
        _ => None,
    })
}

fn tag_index(r: &Renderer<'_>) -> Rendered {
    let mut list: Vec<TagView> = tag_pages(r)
        .map(|tag| TagView {
            name: tag.name.clone(),
            href: format!("{}index.html", tag.path),
            count: tag.pages.len(),
        })
        .collect();
    list.sort_by_key(|t| t.name.to_lowercase());
    let mut context = r.context_for("tags/", Some("Tags"));
    context.insert("tags", &list);
    r.render("tags.html", &context, "tags/index.html".into())
}

fn tag(r: &Renderer<'_>, tag: &TagPage) -> Option<Rendered> {
    let mut context = r.context_for(&tag.path, Some(&tag.name));
    let mut pages = tag.pages.clone();
    r.newest_first(&mut pages);
    context.insert("tag", &tag.name);
    context.insert_value("pages", r.list(&pages));
    r.render_large("tag.html", &context, format!("{}index.html", tag.path), 0)
}

fn redirect(r: &Renderer<'_>, file: &str, page: usize) -> Rendered {
    let mut context = r.context_for(file, None);
    context.insert("target", &r.views.link(page));
    r.render("redirect.html", &context, file.to_string())
}
