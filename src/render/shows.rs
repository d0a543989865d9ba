//! What each generated page shows of the site's pages, so that `serve` renders again only the
//! generated pages an edit can change: a retitled meeting changes the meetings' pages, the action
//! items and what's new, but not the decision log, the protocols or the tags' pages.
//!
//! What a page shows is told by kind, and generously: every page of a kind where the page counts
//! or sorts them all (the meetings' page counts every series), the people whose names it writes,
//! the folder pages (whose bodies introduce generated pages), and the pages its navigation names.
//! A page of the decision log shows its own records, and the counts of every filter: a retitled
//! record renders again the pages of its status and tags, not every filter's. The pages' rows are
//! their views, which already hold what they show of other pages (a record's "superseded by"
//! title), so an edit elsewhere that changes a row changes that page's view too. Pages that show
//! more than that, or that are cheap, are rendered after every edit.

use super::generated::{self, Generated};
use super::{FrameChanges, Renderer};
use crate::content::{Kind, Role};

/// The site before an edit, for [`Renderer::render_pages`] to render again only the generated
/// pages the edit can change.
pub struct Since<'b> {
    /// The renderer of the site before the edit, which has the same pages at the same addresses.
    pub before: &'b Renderer<'b>,
    /// How the edited site's frame differs from that site's.
    pub changes: &'b FrameChanges,
}

/// Of the generated pages of `r`'s site, by their place in [`generated::pages`], those that may
/// differ from what `since.before` rendered, in their order: those that show, or showed, a page
/// that changed itself (a page that joined or left a tag's page changed itself: its tags).
/// `None` when the two sites do not have the same generated pages (a new tag, series or folder
/// page, or a folder's page that lists other pages): then every one is to be rendered.
pub(super) fn changed(r: &Renderer<'_>, since: &Since<'_>) -> Option<Vec<usize>> {
    let pages = generated::pages(r);
    let before = generated::pages(since.before);
    if before.len() != pages.len() || !before.iter().zip(pages).all(|(a, b)| a.same_page(b)) {
        return None;
    }
    let changed = since.changes.changed_pages();
    let same = Same {
        log_counts: r.log_index().same_counts(since.before.log_index()),
        tags: before == pages,
    };
    let (now, then) = (
        Changes::seen_by(r, changed, same),
        Changes::seen_by(since.before, changed, same),
    );
    Some(
        (0..pages.len())
            .filter(|&n| now.shown_by(&pages[n]) || then.shown_by(&before[n]))
            .collect(),
    )
}

/// The pages that changed themselves, as one of the two sites sees them.
struct Changes<'a> {
    r: &'a Renderer<'a>,
    /// By page index.
    pages: &'a [bool],
    /// The kinds of the pages that changed, as [`crate::resolve::Site::of_kind`] counts them.
    kinds: Vec<Kind>,
    /// Whether a folder's page changed: their bodies introduce generated pages.
    folder_page: bool,
    /// What the two sites show the same of many pages.
    same: Same,
}

/// What two sites show the same of many pages.
#[derive(Clone, Copy)]
struct Same {
    /// Whether the decision log's filters count the same records in both sites.
    log_counts: bool,
    /// Whether each tag's page lists the same pages in both sites (which then have the same
    /// tags, with the same counts).
    tags: bool,
}

impl<'a> Changes<'a> {
    fn seen_by(r: &'a Renderer<'a>, pages: &'a [bool], same: Same) -> Changes<'a> {
        let site = r.site;
        let changed = || (0..site.pages.len()).filter(|&i| pages[i]);
        let kinds = Kind::ALL
            .into_iter()
            .filter(|&kind| changed().any(|i| site.is_of_kind(i, kind)))
            .collect();
        let folder_page = changed().any(|i| site.pages[i].role != Role::Leaf);
        Changes {
            r,
            pages,
            kinds,
            folder_page,
            same,
        }
    }

    /// Whether generated `page` shows one of the changed pages (see the module's comment).
    fn shown_by(&self, page: &Generated) -> bool {
        let kind = |kind: Kind| self.kinds.contains(&kind);
        let any = |pages: &[usize]| pages.iter().any(|&i| self.pages[i]);
        let shows = match page {
            // A page of the log shows its records (the whole log, also their graph and those due
            // for revisit), and how many records each status, tag and log has.
            Generated::DecisionLog(filter) => {
                !self.same.log_counts || any(&super::decision_log::members(self.r, filter))
            }
            // Every series' page shows how many meetings each series has.
            Generated::Meetings(_) => kind(Kind::Meeting),
            Generated::Protocols | Generated::Reviews => kind(Kind::Protocol),
            // An item comes from its meetings, and its owner's name from their page.
            Generated::Actions => kind(Kind::Meeting) || kind(Kind::Person),
            Generated::Section(section) => any(&section.pages),
            Generated::Tag(tag) => any(&tag.pages),
            // Names and counts, which the tags' pages fix.
            Generated::Tags => !self.same.tags,
            Generated::Redirect(_, target) => self.pages[*target],
            Generated::Feed(feed) => {
                kind(Kind::Person) || self.r.feed_members(*feed).iter().any(|member| self.pages[member.2])
            }
            _ => return true,
        };
        let path = match page {
            Generated::Redirect(file, _) => Some(file.clone()),
            _ => generated::site_path(page),
        };
        let named = || path.is_some_and(|path| any(&self.r.frame.folders.named_at(&path)));
        shows || self.folder_page || named()
    }
}
