//! What each generated page shows of the site's pages, so that `serve` renders again only the
//! generated pages an edit can change: a retitled meeting changes the meetings' pages, the action
//! items and what's new, but not the decision log, the protocols or the tags' pages.
//!
//! What a page shows is told by kind, and generously: every page of a kind where the page counts
//! or sorts them all (the decision log's filters count every record, the meetings' page every
//! series), the people whose names it writes, the folder pages (whose bodies introduce generated
//! pages), and the pages its navigation names. The pages' rows are their views, which already
//! hold what they show of other pages (a record's "superseded by" title), so an edit elsewhere
//! that changes a row changes that page's view too. Pages that show more than that, or that are
//! cheap, are rendered after every edit.

use super::generated::{self, Generated};
use super::{FrameChanges, Renderer};
use crate::content::{Kind, Role};

/// What a generated page shows of the site's pages.
enum Shows {
    /// Anything, or more than is worth telling: it is rendered again after every edit.
    Anything,
    /// Only what these pages (by index) show of themselves: their views, bodies and links.
    Pages(Vec<usize>),
}

/// The site before an edit, for [`Renderer::render_pages`] to render again only the generated
/// pages the edit can change.
pub struct Since<'b> {
    /// The renderer of the site before the edit, which has the same pages at the same addresses.
    pub before: &'b Renderer<'b>,
    /// How the edited site's frame differs from that site's.
    pub changes: &'b FrameChanges,
}

/// Of `pages`, the generated pages of `r`'s site, those that may differ from what `since.before`
/// rendered, in their order: those that show, or showed, a page that changed itself. When the two
/// sites do not have the same generated pages (a new tag, series or folder page, or one that
/// lists other pages), every one is to be rendered: `Err(pages)`.
pub(super) fn changed(
    r: &Renderer<'_>,
    since: &Since<'_>,
    pages: Vec<Generated>,
) -> Result<Vec<Generated>, Vec<Generated>> {
    if generated::pages(since.before) != pages {
        return Err(pages);
    }
    let changed = since.changes.changed_pages();
    let shows_a_change = |renderer: &Renderer<'_>, page: &Generated| match shows(renderer, page) {
        Shows::Anything => true,
        Shows::Pages(shown) => shown.iter().any(|&i| changed[i]),
    };
    Ok((pages.into_iter())
        .filter(|page| shows_a_change(r, page) || shows_a_change(since.before, page))
        .collect())
}

/// What `page`, a generated page of `r`'s site, shows of the site's pages.
fn shows(r: &Renderer<'_>, page: &Generated) -> Shows {
    let people = || r.indices_of(Kind::Person);
    let mut shown = match page {
        // Every filter of the log shows how many records each status, tag and log has.
        Generated::DecisionLog(_) => r.indices_of(Kind::Decision),
        // Every series' page shows how many meetings each series has.
        Generated::Meetings(_) => r.indices_of(Kind::Meeting),
        Generated::Protocols | Generated::Reviews => r.indices_of(Kind::Protocol),
        // An item comes from its meetings, and its owner's name from their page.
        Generated::Actions => [r.indices_of(Kind::Meeting), people()].concat(),
        Generated::Section(section) => section.pages.clone(),
        Generated::Tag(tag) => tag.pages.clone(),
        // Names and counts, which the tags' pages fix: they are the same in both sites.
        Generated::Tags => Vec::new(),
        Generated::Redirect(_, target) => vec![*target],
        Generated::Feed(feed) => (r.feed_members(*feed).iter().map(|member| member.2))
            .chain(people())
            .collect(),
        _ => return Shows::Anything,
    };
    let path = match page {
        Generated::Redirect(file, _) => Some(file.clone()),
        _ => generated::listing(r, page).map(|(path, _)| path),
    };
    if let Some(path) = path {
        shown.extend(r.frame.folders.named_at(&path));
    }
    let folder_pages = (0..r.site.pages.len()).filter(|&i| r.site.pages[i].role != Role::Leaf);
    shown.extend(folder_pages);
    Shows::Pages(shown)
}
