//! When a page was created and last changed, and by whom: one reading for every place that shows
//! it (the page's "Last updated", feeds, what's new, the sitemap), so they never disagree.

use jiff::civil::Date;

use crate::content::Page;
use crate::resolve::Site;

/// A page's dates: front matter first, then git ([`crate::history`] says which commit dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PageDates {
    /// Front matter `date`, else the day its first commit was written.
    pub(super) created: Option<Date>,
    /// Front matter `updated`, else the day its last commit landed; never before `created` (a
    /// feed entry updated before it was published reads as a mistake, and a page "updated"
    /// before its own `date` is one).
    pub(super) updated: Option<Date>,
    /// Who made its last commit, when known and shown.
    pub(super) author: Option<String>,
}

impl PageDates {
    /// The dates of `page` in `site`. Where the last update would fall before the creation, one
    /// of them is moved to the other: the one front matter gives stands (a page written long
    /// before it was committed says `updated = 2025-01-01`, and was created by then); between two
    /// dates of the same source, the creation stands.
    ///
    /// A `date` after the build day (a planned meeting's) is the day of an event to come, not
    /// the page's: the page was not created then, and git's dates stand.
    pub(super) fn of(site: &Site, page: &Page) -> PageDates {
        let history = site.history_of(page);
        let date = page.date.filter(|date| *date <= site.today);
        let created = date.or(history.and_then(|h| h.created));
        let updated = page.updated.or(history.and_then(|h| h.updated));
        let (created, updated) = match (created, updated) {
            (Some(c), Some(u)) if u < c && page.updated.is_some() && date.is_none() => (Some(u), Some(u)),
            (Some(c), Some(u)) if u < c => (Some(c), Some(c)),
            dates => dates,
        };
        PageDates {
            created,
            updated,
            author: history.and_then(|h| h.author.clone()),
        }
    }

    /// When the page last changed as far as anyone can tell: its last update, else its creation.
    /// What the sitemap gives as `lastmod`, and what the feeds order by.
    pub(super) fn last_change(&self) -> Option<Date> {
        self.updated.or(self.created)
    }
}
