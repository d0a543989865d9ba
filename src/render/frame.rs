//! The frame of a site: what every page is rendered with, worked out once per site, and how
//! `serve` tells what an edit changed from one frame to the next.

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::views::{self, Views};
use super::{changes, decision_log, generated, nav, print};
use crate::resolve::Site;

/// A navigation entry: a generated page at the top of the site.
#[derive(Debug, Clone, Serialize)]
pub(super) struct NavItem {
    /// Its folder (`decisions`), which is also the current page's `section` when it is there.
    key: String,
    title: String,
    href: String,
}

impl NavItem {
    pub(super) fn new(key: &str, title: &str) -> NavItem {
        NavItem {
            key: key.to_string(),
            title: title.to_string(),
            href: format!("{key}/index.html"),
        }
    }
}

/// Site-wide values every template sees as `site`.
#[derive(Debug, Clone, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    /// `rtl` for languages written right to left, else `ltr`: the `dir` of every page.
    direction: &'static str,
    base_url: Option<String>,
    /// The top bar: the kinds of record the handbook has.
    nav: Vec<NavItem>,
    /// The overviews the sidebar links to: what's new, action items, reviews, tags.
    overviews: Vec<NavItem>,
}

/// Facts about the build every template sees as `build`.
#[derive(Debug, Clone, Serialize)]
struct BuildView {
    today: String,
    version: &'static str,
}

/// What every page of a site is rendered with, worked out once per site: the template values of
/// all pages, the site-wide template context, series neighbours and who is in each feed.
///
/// All of it depends only on what pages show of themselves (titles, dates, metadata), never on
/// their bodies, so `serve` keeps a frame across edits of page bodies.
pub struct Frame {
    /// Every page's view as a template value: lists share them (Tera values are
    /// reference-counted), so a page that appears on ten index pages is serialized once. Empty in
    /// a frame made [`Frame::without_views`], until [`Frame::add_views`].
    pub(super) values: Vec<tera::Value>,
    /// Every page's view's fingerprint, in the frames `serve` keeps (see [`Frame::kept`]).
    fingerprints: ViewFingerprints,
    pub(super) base: Context,
    /// What `base` was made from, to compare frames by.
    pub(super) base_source: String,
    pub(super) neighbours: views::Neighbours,
    pub(super) feeds: Vec<(changes::Feed, changes::FeedMembers)>,
    pub(super) folders: nav::Folders,
    /// The pages the print page shows, in its order.
    pub(super) printed: Vec<usize>,
    /// The print page's entries as last rendered, when kept (see [`Frame::keeping_print_entries`]).
    pub(super) print_entries: Option<print::KeptEntries>,
    /// The generated pages, listed when first asked for (see [`generated::pages`]).
    pub(super) generated: OnceLock<Vec<generated::Generated>>,
    /// The decision log's filters and counts, made when first asked for: `serve` compares those
    /// of the frames before and after an edit, and the frame before made its own when it was
    /// rendered.
    pub(super) log_index: OnceLock<decision_log::LogIndex>,
}

impl Frame {
    /// The frame of `site`.
    pub fn new(site: &Site) -> Frame {
        Frame::with_values(site, |views| (values(views, site.pages.len()), None))
    }

    /// The frame of `site` without its pages' views, which take the most memory of a frame
    /// (some 60 MB at 10,000 pages): `build` renders the generated pages that hold the whole
    /// handbook and the leaf pages with it (see [`Part::BeforeLeaves`](super::Part::BeforeLeaves)),
    /// then adds the views ([`Frame::add_views`]). A page rendered meanwhile makes the views it
    /// shows.
    pub fn without_views(site: &Site) -> Frame {
        Frame::with_values(site, |_| (Vec::new(), None))
    }

    /// Adds the template values of the views of `site`'s pages to this frame, made
    /// [`Frame::without_views`]: those of `made` (by page index: the leaf pages rendered so far
    /// made theirs), and the others made now.
    pub fn add_views(&mut self, site: &Site, made: Vec<Option<tera::Value>>) {
        let views = Views::new(site, &self.neighbours);
        self.values = (made.into_par_iter().enumerate())
            .map(|(i, value)| value.unwrap_or_else(|| views.page_value(i)))
            .collect();
    }

    /// The frame of `site` as `serve` keeps it: with a fingerprint of every page's view, so
    /// that the next frame tells the views that changed without comparing them whole, and takes
    /// over the template values of those that did not from `before`, the frame it replaces;
    /// and keeping the print page's entries from one render of it to the next, so that a body
    /// edit renders again only the entries of the pages edited (see
    /// [`Frame::forget_print_entries`]).
    ///
    /// A title edit changes a few views of thousands: at 10,000 pages, comparing fingerprints
    /// takes 5–10 ms where comparing template values took 35–45 ms, and the template values of
    /// the views that did not change are not made again.
    pub fn kept(site: &Site, before: Option<&Frame>) -> Frame {
        let earlier = before.and_then(|frame| Some((&frame.values, frame.fingerprints.as_ref()?)));
        let mut frame = Frame::with_values(site, |views| {
            let (values, fingerprints) = (0..site.pages.len())
                .into_par_iter()
                .map(|i| {
                    let view = views.page(i);
                    let fingerprint = fingerprint(&view);
                    let value = match earlier {
                        Some((values, fingerprints)) if same(fingerprints.get(i).copied().flatten(), fingerprint) => {
                            values[i].clone()
                        }
                        _ => tera::Value::from_serializable(&view),
                    };
                    (value, fingerprint)
                })
                .unzip();
            (values, Some(fingerprints))
        });
        frame.print_entries = Some(print::KeptEntries::default());
        frame
    }

    /// The frame of `site` with the template values (and fingerprints) `values` makes of its
    /// views. The rest of the frame is worked out meanwhile, on whichever thread is free: made
    /// after the views, it kept one of two threads waiting for 25 ms of the 100 ms a frame of
    /// 10,000 pages takes.
    fn with_values(
        site: &Site,
        values: impl FnOnce(&Views<'_>) -> (Vec<tera::Value>, ViewFingerprints) + Send,
    ) -> Frame {
        let neighbours = views::neighbours(site);
        let ((values, fingerprints), (folders, (feeds, (base, base_source), printed))) = rayon::join(
            || values(&Views::new(site, &neighbours)),
            || {
                rayon::join(
                    || nav::Folders::new(site),
                    || {
                        let feeds = (changes::Feed::ALL.into_iter())
                            .map(|feed| (feed, changes::feed_members(site, feed)))
                            .collect();
                        (feeds, base_context(site), print::printed(site))
                    },
                )
            },
        );
        Frame {
            values,
            fingerprints,
            base,
            base_source,
            neighbours,
            feeds,
            folders,
            printed,
            print_entries: None,
            generated: OnceLock::new(),
            log_index: OnceLock::new(),
        }
    }

    /// Drops the kept print entries of `pages`, whose bodies changed.
    pub fn forget_print_entries(&self, pages: &[usize]) {
        if let Some(kept) = &self.print_entries {
            kept.forget(pages);
        }
    }

    /// How this frame, of `site`, differs from `before`, the frame of `before_site`, which has
    /// the same pages at the same addresses; `None` when the context every page shares (top bar,
    /// folders, site title, date) differs, and every page is to be rendered again.
    ///
    /// Worked out once per rebuild: comparing the views of 10,000 pages takes milliseconds, and
    /// the print page, the search index and the generated pages all ask.
    pub fn changes_since(&self, site: &Site, before: &Frame, before_site: &Site) -> Option<FrameChanges> {
        if self.base_source != before.base_source || self.values.len() != before.values.len() {
            return None;
        }
        let views: Vec<bool> = match (&self.fingerprints, &before.fingerprints) {
            (Some(now), Some(then)) => now.iter().zip(then).map(|(&a, &b)| !same(a, b)).collect(),
            _ => (self.values.par_iter().zip(&before.values))
                .map(|(a, b)| a != b)
                .collect(),
        };
        let itself = (0..views.len())
            .into_par_iter()
            .map(|i| {
                views[i] || site.pages[i].text != before_site.pages[i].text || site.links[i] != before_site.links[i]
            })
            .collect();
        let mut shown = views;
        self.folders.spread_changes(&before.folders, &mut shown)?;
        Some(FrameChanges { itself, shown })
    }

    /// Follows the print page of the site whose frame `before` is to that of `site`, whose frame
    /// this is, as `changes` tells them apart. Returns whether it may differ, and so is to be
    /// rendered again: it prints other pages, or a page it prints
    /// [changed itself](FrameChanges::changed_itself). Its entries show nothing else of other
    /// pages: a link to another printed page goes to its anchor there, which that page's address
    /// and text give. When this frame keeps entries, it takes over those `before` kept that
    /// still hold.
    pub fn follow_print(&self, site: &Site, before: &Frame, changes: &FrameChanges) -> bool {
        if self.printed != before.printed {
            return true;
        }
        let changed: Vec<usize> = (self.printed.iter().copied())
            .filter(|&i| changes.changed_itself(i))
            .collect();
        if let (Some(kept), Some(before_kept)) = (&self.print_entries, &before.print_entries) {
            kept.carry(before_kept, site, &changed);
        }
        !changed.is_empty()
    }
}

/// How the pages of a frame differ from those of the frame before it, with the same pages at the
/// same addresses (see [`Frame::changes_since`]), by page index.
pub struct FrameChanges {
    /// Whether the page changed itself: its view, its body or its links.
    itself: Vec<bool>,
    /// Whether the page's view, or that of a page its navigation shows, changed.
    shown: Vec<bool>,
}

impl FrameChanges {
    /// Whether page `index` changed itself: in its view, its body or its links. A page that only
    /// shows another that changed (in its navigation or its backlinks) has not.
    pub fn changed_itself(&self, index: usize) -> bool {
        self.itself[index]
    }

    /// Whether the view of page `index`, or of a page its navigation shows, changed.
    pub fn shows_a_changed_view(&self, index: usize) -> bool {
        self.shown[index]
    }

    /// By page index, whether the page changed itself.
    pub(super) fn changed_pages(&self) -> &[bool] {
        &self.itself
    }
}

/// The views of the first `count` pages, as template values, by page index.
fn values(views: &Views<'_>, count: usize) -> Vec<tera::Value> {
    (0..count).into_par_iter().map(|i| views.page_value(i)).collect()
}

/// A fingerprint of `view` (see [`crate::fingerprint`]): of its data as bincode writes it,
/// which is the view itself, without names or formatting (shared parts of views are shared only
/// as template values, which a serializer that is not human-readable is not given: see
/// `views/shared.rs`). `None` for a view that cannot be serialized, which then has no template
/// value either.
///
/// Written into a buffer and fingerprinted whole: a serializer writes a few bytes at a time,
/// and hashing each piece (of JSON, as it was) took as long as making the views.
fn fingerprint(view: &impl Serialize) -> Option<u128> {
    thread_local! {
        static DATA: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    DATA.with_borrow_mut(|data| {
        data.clear();
        bincode::serialize_into(&mut *data, view).ok()?;
        Some(crate::fingerprint::of(data))
    })
}

/// The fingerprint of each page's view, by page index, in the frames `serve` keeps.
type ViewFingerprints = Option<Vec<Option<u128>>>;

/// Whether two fingerprints are known and equal: a view without one shows as changed each time.
fn same(a: Option<u128>, b: Option<u128>) -> bool {
    a.is_some() && a == b
}

/// The context every template starts from (`site` and `build`), and its JSON.
pub(super) fn base_context(site: &Site) -> (Context, String) {
    let site_view = SiteView {
        title: &site.config.title,
        description: &site.config.description,
        language: &site.config.language,
        direction: direction(&site.config.language),
        base_url: site.config.base_url(),
        nav: nav::record_kinds(site),
        overviews: nav::overviews(site),
    };
    let build = BuildView {
        today: site.today.to_string(),
        version: env!("CARGO_PKG_VERSION"),
    };
    let mut base = Context::new();
    base.insert("site", &site_view);
    base.insert("build", &build);
    let source = serde_json::json!({ "site": site_view, "build": build }).to_string();
    (base, source)
}

/// `rtl` for a language written right to left (`he`, `ar-EG`, `az-Arab`), else `ltr`: by the
/// script subtag when the tag has one, else by the language.
pub(super) fn direction(language: &str) -> &'static str {
    const RTL_LANGUAGES: [&str; 22] = [
        "ar", "arc", "azb", "bal", "bqi", "ckb", "dv", "fa", "glk", "he", "iw", "ks", "lrc", "mzn", "pnb", "prs", "ps",
        "sd", "syr", "ug", "ur", "yi",
    ];
    const RTL_SCRIPTS: [&str; 9] = ["arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "samr", "mand"];
    let mut subtags = language.split(['-', '_']).map(str::to_ascii_lowercase);
    let primary = subtags.next().unwrap_or_default();
    let script = subtags.find(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()));
    let rtl = match script {
        Some(script) => RTL_SCRIPTS.contains(&script.as_str()),
        None => RTL_LANGUAGES.contains(&primary.as_str()),
    };
    if rtl { "rtl" } else { "ltr" }
}

#[cfg(test)]
mod tests {
    use super::direction;

    #[test]
    fn languages_written_right_to_left_are_found_by_language_or_script() {
        for tag in ["he", "ar", "fa", "ur", "ar-EG", "he-IL", "az-Arab", "pa-Arab", "yi"] {
            assert_eq!(direction(tag), "rtl", "{tag}");
        }
        for tag in ["en", "de-CH", "zh-Hant-TW", "sd-Deva", "ug-Latn", "az", "pt_BR"] {
            assert_eq!(direction(tag), "ltr", "{tag}");
        }
    }
}
