//! Change awareness: Atom feeds (all changes, decisions, meetings) and the "what's new" page,
//! for readers who catch up on their own schedule.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::generated::{Rendered, index_context};
use super::page_dates::PageDates;
use super::views::display_title;
use super::{Renderer, root_prefix};
use crate::content::{Kind, KindMeta, Page, Role};
use crate::markdown;
use crate::resolve::Site;

/// How many entries a feed carries.
const FEED_ENTRIES: usize = 50;
/// How many weeks the what's-new page goes back.
const WEEKS: usize = 12;
/// How far back the home page's list of changes goes: enough for a reader back from a few weeks
/// away.
const RECENT_DAYS: i32 = 60;
/// How many changes that list holds at most: small enough to send with every view of the home
/// page (8 KB in a handbook of 10,000 pages, 2 KB compressed).
const RECENT_CHANGES: usize = 50;

/// The feeds of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Feed {
    /// Every change: `feed.xml`.
    All,
    /// Decisions, new and changed: `decisions/feed.xml`.
    Decisions,
    /// Meeting summaries: `meetings/feed.xml`.
    Meetings,
}

/// The entries of a feed, newest first: (updated, created, page).
pub(super) type FeedMembers = Vec<(Option<Date>, Option<Date>, usize)>;

impl Feed {
    /// Every feed.
    pub(super) const ALL: [Feed; 3] = [Feed::All, Feed::Decisions, Feed::Meetings];

    /// The feed's file in the site.
    pub(super) fn file(self) -> &'static str {
        match self {
            Feed::All => "feed.xml",
            Feed::Decisions => "decisions/feed.xml",
            Feed::Meetings => "meetings/feed.xml",
        }
    }
}

/// One change to a page. The lists show a few of the changes of every page, so what they show of
/// one is made when they show it ([`ChangeView::of`]): made for every change, it took a tenth
/// of a title edit's rebuild at 10,000 pages.
#[derive(Debug, Clone, Copy)]
pub(super) struct Change {
    page: usize,
    /// `new decision`, `protocol reviewed`, …
    what: &'static str,
    date: Date,
}

/// A change as the lists show it.
#[derive(Debug, Serialize)]
pub(super) struct ChangeView {
    title: String,
    href: String,
    kind: Kind,
    what: &'static str,
    #[serde(serialize_with = "crate::dates::serialize_optional")]
    date: Option<Date>,
    status: Option<super::views::StatusView>,
}

impl ChangeView {
    fn of(r: &Renderer<'_>, change: &Change) -> ChangeView {
        let page = &r.site.pages[change.page];
        let link = r.views.link(change.page);
        ChangeView {
            title: link.title,
            href: link.href,
            kind: page.kind(),
            what: change.what,
            date: Some(change.date),
            status: (page.decision())
                .and_then(|d| d.status.as_ref())
                .map(|s| r.views.status(s)),
        }
    }
}

/// When `page` was created and last changed: front matter first, then git.
fn dates(r: &Renderer<'_>, page: &Page) -> (Option<Date>, Option<Date>) {
    page_dates(r.site, page)
}

fn page_dates(site: &Site, page: &Page) -> (Option<Date>, Option<Date>) {
    let dates = PageDates::of(site, page);
    (dates.created, dates.last_change())
}

/// Every change of every leaf page, newest first; [`Renderer::changes`] keeps them.
pub(super) fn changes(r: &Renderer<'_>) -> Vec<Change> {
    let mut changes = Vec::new();
    for (i, page) in r.site.pages.iter().enumerate().filter(|(_, p)| p.role == Role::Leaf) {
        let (created, updated) = dates(r, page);
        let (new, changed) = match page.kind() {
            Kind::Decision => ("new decision", "decision updated"),
            Kind::Meeting => ("new meeting summary", "meeting summary updated"),
            Kind::Protocol => ("new protocol", "protocol updated"),
            Kind::Person => ("new person", "person updated"),
            Kind::Page => ("new page", "page updated"),
        };
        let mut push = |what, date: Option<Date>| {
            if let Some(date) = date {
                changes.push(Change { page: i, what, date });
            }
        };
        push(new, created);
        if updated > created {
            push(changed, updated);
        }
        if let KindMeta::Protocol(protocol) = &page.meta
            && protocol.reviewed.is_some()
            && protocol.reviewed != created
        {
            push("protocol reviewed", protocol.reviewed);
        }
    }
    let title = |change: &Change| display_title(&r.site.pages[change.page]);
    changes.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| title(a).cmp(title(b))));
    changes
}

/// A week of changes.
#[derive(Debug, Serialize)]
pub(super) struct Week {
    /// The Monday it starts on.
    #[serde(serialize_with = "crate::dates::serialize_optional")]
    start: Option<Date>,
    changes: Vec<ChangeView>,
}

/// Changes grouped by the week they happened in, newest week first.
pub(super) fn weeks(r: &Renderer<'_>) -> Vec<Week> {
    let mut weeks: BTreeMap<Date, Vec<ChangeView>> = BTreeMap::new();
    // Newest first: the weeks shown are the first ones met.
    for change in r.changes() {
        let date = change.date;
        let monday = date
            .checked_sub(jiff::Span::new().days(i64::from(date.weekday().to_monday_zero_offset())))
            .unwrap_or(date);
        if weeks.len() == WEEKS && !weeks.contains_key(&monday) {
            break;
        }
        weeks.entry(monday).or_default().push(ChangeView::of(r, change));
    }
    weeks
        .into_iter()
        .rev()
        .take(WEEKS)
        .map(|(start, changes)| Week {
            start: Some(start),
            changes,
        })
        .collect()
}

/// The latest week of changes, with at most `limit` of them, and how many there were.
pub(super) fn latest_week(r: &Renderer<'_>, limit: usize) -> Option<(Week, usize)> {
    let mut week = weeks(r).into_iter().next()?;
    let total = week.changes.len();
    week.changes.truncate(limit);
    Some((week, total))
}

/// The latest changes, for the home page's script to list those since the reader's last visit.
#[derive(Debug, Serialize)]
pub(super) struct Recent {
    /// The first day whose changes are all listed: the script says that older ones are on the
    /// what's-new page when the last visit was before it.
    from: String,
    changes: Vec<RecentChange>,
}

/// A [`Change`] as the home page embeds it, with short keys: it is sent on every visit.
#[derive(Debug, Serialize)]
struct RecentChange {
    /// The date.
    d: String,
    /// The kind of page.
    k: Kind,
    /// What happened: `new decision`.
    w: &'static str,
    /// The title.
    t: String,
    /// The page, relative to the site root.
    h: String,
    /// A decision's status: name, label and, when declared with one, colour.
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<Vec<String>>,
}

/// The changes of the last [`RECENT_DAYS`] days before the build, at most [`RECENT_CHANGES`] of
/// them, newest first. When there are more, the oldest day is left out whole, so that every day
/// listed is listed complete.
pub(super) fn recent(r: &Renderer<'_>) -> Recent {
    let today = r.site.today;
    let mut from = today
        .checked_sub(jiff::Span::new().days(RECENT_DAYS))
        .unwrap_or(Date::MIN);
    let mut list: Vec<&Change> = (r.changes().iter()).take_while(|c| c.date >= from).collect();
    if list.len() > RECENT_CHANGES {
        list.truncate(RECENT_CHANGES);
        let oldest = list.last().map_or(today, |c| c.date);
        from = oldest.tomorrow().unwrap_or(oldest);
        if list.first().map(|c| c.date) != Some(oldest) {
            list.retain(|c| c.date != oldest);
        }
    }
    Recent {
        from: from.to_string(),
        changes: list
            .into_iter()
            .map(|change| {
                let c = ChangeView::of(r, change);
                RecentChange {
                    d: change.date.to_string(),
                    k: c.kind,
                    w: c.what,
                    t: c.title,
                    h: c.href,
                    s: c.status
                        .map(|s| [Some(s.name), Some(s.label), s.color].into_iter().flatten().collect()),
                }
            })
            .collect(),
    }
}

/// The what's-new page.
pub(super) fn whats_new(r: &Renderer<'_>) -> Rendered {
    let mut context = index_context(r, "changes/", "What's new");
    context.insert("weeks", &weeks(r));
    r.render("changes.html", &context, "changes/index.html".into())
}

#[derive(Debug, Serialize)]
struct FeedView {
    title: String,
    id: String,
    updated: String,
    self_url: Option<String>,
    site_url: String,
}

#[derive(Debug, Serialize)]
struct Entry {
    id: String,
    title: String,
    url: String,
    updated: String,
    published: Option<String>,
    author: Option<String>,
    category: String,
    summary: String,
}

/// An Atom timestamp for a day.
fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// The entries of `feed`: the pages changed last.
pub(super) fn feed_members(site: &Site, feed: Feed) -> FeedMembers {
    let kind = match feed {
        Feed::All => None,
        Feed::Decisions => Some(Kind::Decision),
        Feed::Meetings => Some(Kind::Meeting),
    };
    let mut pages: FeedMembers = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.role == Role::Leaf && kind.is_none_or(|k| p.kind() == k))
        .map(|(i, p)| {
            let (created, updated) = page_dates(site, p);
            (updated, created, i)
        })
        .filter(|(updated, _, _)| updated.is_some())
        .collect();
    pages.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    pages.truncate(FEED_ENTRIES);
    pages
}

/// Renders one Atom feed. Entries link absolutely when `base_url` is set (feed readers need it),
/// else relatively to the feed's own address.
pub(super) fn feed(r: &Renderer<'_>, feed: Feed) -> Rendered {
    let base = r.site.config.base_url();
    let relative_root = root_prefix(feed.file());
    let url = |site_path: &str| match &base {
        Some(base) => format!("{base}{site_path}"),
        None => format!("{relative_root}{site_path}"),
    };
    let id = |page: &Page| match &base {
        Some(base) => format!("{base}{}", page.path),
        None => format!("urn:handbook:{}", page.source),
    };
    let entries: Vec<Entry> = r
        .feed_members(feed)
        .iter()
        .map(|&(updated, created, i)| {
            let page = &r.site.pages[i];
            let link = r.views.link(i);
            let title = match page.decision() {
                Some(decision) => {
                    let reference = r.views.decision_ref(i);
                    match &decision.status {
                        Some(status) => format!("{} ({})", reference.label, r.views.status(status).label),
                        None => reference.label.clone(),
                    }
                }
                None => link.title.clone(),
            };
            Entry {
                id: id(page),
                title,
                url: url(&link.href),
                updated: updated.map(timestamp).unwrap_or_default(),
                published: created.map(timestamp),
                author: PageDates::of(r.site, page).author,
                category: page.kind().name().to_string(),
                summary: page
                    .summary
                    .clone()
                    .unwrap_or_else(|| markdown::plain_text(page.markdown(), 300)),
            }
        })
        .collect();
    let title = match feed {
        Feed::All => r.site.config.title.clone(),
        Feed::Decisions => format!("{}: decisions", r.site.config.title),
        Feed::Meetings => format!("{}: meetings", r.site.config.title),
    };
    let view = FeedView {
        title,
        id: match &base {
            Some(base) => format!("{base}{}", feed.file()),
            None => format!("urn:handbook:{}", feed.file()),
        },
        updated: r
            .feed_members(feed)
            .first()
            .and_then(|p| p.0)
            .map(timestamp)
            .unwrap_or_else(|| timestamp(r.site.today)),
        self_url: base.as_ref().map(|b| format!("{b}{}", feed.file())),
        site_url: url("index.html"),
    };
    let mut context = r.context_for(feed.file(), None);
    context.insert("feed", &view);
    context.insert("entries", &entries);
    r.render("atom.xml", &context, feed.file().to_string())
}
