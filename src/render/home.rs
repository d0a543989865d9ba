//! The home page, which an async team opens every morning: first what needs someone (overdue
//! action items, reviews, proposals awaiting input), then what changed since the reader last
//! came, then the handbook's own welcome text and the latest records.
//!
//! The site may be read days after it was built, so nothing here is only true on the build day.
//! Whatever falls due carries its date (`data-due`), and the theme's script compares it with the
//! reader's today; what falls due within [`HORIZON_DAYS`] of the build is in the page already,
//! hidden until then. The changes are embedded as JSON (see [`super::changes::recent`]) for the
//! script to pick those after the reader's last visit, which only their browser knows.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use super::generated::{Rendered, index_context};
use super::views::PersonRef;
use super::{Renderer, changes, escape, records};
use crate::content::Kind;

/// How many records each list of the home page shows.
const RECENT: usize = 5;
/// How many changes the page lists before the script knows the reader's last visit.
const WEEK_SHOWN: usize = 8;
/// How many items each group of "Needs attention" shows; the rest are counted, and listed on
/// the group's own page.
const ATTENTION_SHOWN: usize = 5;
/// How far past the build the page holds what falls due, for the script to show once it has:
/// sites are rebuilt on every change, and one left a month unchanged is still read.
const HORIZON_DAYS: i32 = 30;

/// Something that needs someone: an action item, a protocol to review, a proposal.
#[derive(Debug, Serialize)]
struct AttentionItem {
    /// What it is: the action item's text, the protocol's title, the record's label.
    title: String,
    /// Where it is written: the meeting of an action item, the page of the others.
    href: String,
    /// The title of the meeting an action item was agreed in (then `href` is that meeting's,
    /// and `title` is not a link).
    from: Option<String>,
    /// Who it waits for.
    owner: Option<PersonRef>,
    /// When it falls due; `null` for what needs attention whatever the day (a proposal).
    #[serde(serialize_with = "crate::dates::serialize_optional")]
    due: Option<Date>,
    /// Past `due` on the build day. An item with a `due` that is not is hidden until the
    /// script finds it past due on the reader's day.
    overdue: bool,
    /// When it was written (a proposal's date).
    #[serde(serialize_with = "crate::dates::serialize_optional")]
    date: Option<Date>,
}

impl AttentionItem {
    /// An item titled `title` at `href`, with nothing else known yet (the group's function adds
    /// an owner, a meeting or a date; `falling_due` the due date).
    fn at(title: String, href: String) -> AttentionItem {
        AttentionItem {
            title,
            href,
            from: None,
            owner: None,
            due: None,
            overdue: false,
            date: None,
        }
    }
}

/// One kind of thing that needs attention. Each kind with a date of its own (a decision's
/// revisit date, say) is one more group made by [`falling_due`].
#[derive(Debug, Serialize)]
struct AttentionGroup {
    /// `actions`, `reviews`, `proposed`: for CSS.
    key: &'static str,
    /// The heading: "Overdue action items".
    title: &'static str,
    /// What its date is, before it: "due", "review due".
    due_label: &'static str,
    /// How many need attention on the build day; the script corrects it by the items it has.
    total: usize,
    /// Its items need attention from their day on (a revisit date), not from the day after (a
    /// due date, which is met on the day).
    from_the_day: bool,
    /// At most [`ATTENTION_SHOWN`] that need attention on the build day, then at most as many
    /// that fall due within the horizon.
    items: Vec<AttentionItem>,
    /// The page listing all of them, relative to the site root.
    href: String,
    /// That link's text.
    link: &'static str,
}

/// Renders `index.html`.
pub(super) fn render(r: &Renderer<'_>) -> Rendered {
    let mut context = index_context(r, "", &r.site.config.title);
    let pages = &r.site.pages;
    let mut decisions = r.indices_of(Kind::Decision);
    let number = |i: usize| pages[i].decision().and_then(|d| d.number);
    decisions.sort_by(|&a, &b| {
        pages[b]
            .date
            .cmp(&pages[a].date)
            .then_with(|| number(b).cmp(&number(a)))
    });
    decisions.truncate(RECENT);
    let mut meetings = r.indices_of(Kind::Meeting);
    r.newest_first(&mut meetings);
    meetings.truncate(RECENT);
    context.insert_value("recent_decisions", r.list(&decisions));
    context.insert_value("recent_meetings", r.list(&meetings));
    context.insert_value("upcoming", r.list(&records::upcoming(r)));
    let groups: Vec<AttentionGroup> = [actions(r), reviews(r), proposed(r), revisits(r)]
        .into_iter()
        .filter(|group| !group.items.is_empty())
        .collect();
    context.insert("needs_attention", &groups.iter().any(|g| g.total > 0));
    context.insert("attention", &groups);
    context.insert("attention_shown", &ATTENTION_SHOWN);
    let (this_week, changes_this_week) = changes::latest_week(r, WEEK_SHOWN).unzip();
    context.insert("this_week", &this_week);
    context.insert("changes_this_week", &changes_this_week);
    context.insert("week_shown", &WEEK_SHOWN);
    let recent = serde_json::to_string(&changes::recent(r)).unwrap_or_default();
    context.insert("recent_changes", &escape::json_in_script(&recent));
    r.render("home.html", &context, "index.html".into())
}

/// `dated` (each with the day it falls due) as a group's items and total: those past due on
/// the build day, most overdue first, then those falling due within the horizon, soonest first.
/// With `from_the_day`, an item needs attention on its day already.
fn falling_due(today: Date, mut dated: Vec<(Date, AttentionItem)>, from_the_day: bool) -> (usize, Vec<AttentionItem>) {
    let needs = |due: Date| due < today || (from_the_day && due == today);
    let horizon = today.checked_add(HORIZON_DAYS.days()).unwrap_or(Date::MAX);
    dated.retain(|(due, _)| *due < horizon);
    dated.sort_by_key(|(due, _)| *due);
    let total = dated.iter().filter(|(due, _)| needs(*due)).count();
    let (past, coming): (Vec<_>, Vec<_>) = dated.into_iter().partition(|(due, _)| needs(*due));
    let items = past
        .into_iter()
        .take(ATTENTION_SHOWN)
        .chain(coming.into_iter().take(ATTENTION_SHOWN))
        .map(|(due, mut item)| {
            item.due = Some(due);
            item.overdue = needs(due);
            item
        })
        .collect();
    (total, items)
}

/// Open action items with a due date, from every meeting.
fn actions(r: &Renderer<'_>) -> AttentionGroup {
    let mut dated = Vec::new();
    // Each item once, as the newest meeting that lists it has it.
    for action in &r.site.actions.all {
        let item = action.item(&r.site.pages);
        let Some(due) = item.due.filter(|_| !item.done) else {
            continue;
        };
        let meeting = r.views.dated_link(action.latest().meeting);
        dated.push((
            due,
            AttentionItem {
                from: Some(meeting.title),
                owner: item.owner.as_deref().map(|o| r.views.person(o)),
                ..AttentionItem::at(item.text.clone(), meeting.href)
            },
        ));
    }
    let (total, items) = falling_due(r.site.today, dated, false);
    AttentionGroup {
        key: "actions",
        title: "Overdue action items",
        due_label: "due",
        total,
        from_the_day: false,
        items,
        href: "actions/index.html".into(),
        link: "All action items",
    }
}

/// Protocols by their next review.
fn reviews(r: &Renderer<'_>) -> AttentionGroup {
    let default_period = &r.site.config.protocols.review_every;
    let dated = r
        .site
        .of_kind(Kind::Protocol)
        .filter_map(|(i, page)| {
            let link = r.views.link(i);
            let item = AttentionItem {
                owner: page.owner.as_deref().map(|o| r.views.person(o)),
                ..AttentionItem::at(link.title, link.href)
            };
            Some((page.next_review(default_period)?, item))
        })
        .collect();
    let (total, items) = falling_due(r.site.today, dated, false);
    AttentionGroup {
        key: "reviews",
        title: "Protocols due for review",
        due_label: "review due",
        total,
        from_the_day: false,
        items,
        href: "reviews/index.html".into(),
        link: "Needs review",
    }
}

/// Decisions due for revisit (`revisit_by`, `revisit_every`) that still hold.
fn revisits(r: &Renderer<'_>) -> AttentionGroup {
    let dated = r
        .site
        .of_kind(Kind::Decision)
        .filter_map(|(i, _)| {
            let reference = r.views.decision_ref(i);
            let item = AttentionItem::at(reference.label.clone(), reference.href.clone());
            Some((r.site.revisit_due(i)?, item))
        })
        .collect();
    let (total, items) = falling_due(r.site.today, dated, true);
    AttentionGroup {
        key: "revisits",
        title: "Decisions due for revisit",
        due_label: "revisit due",
        total,
        from_the_day: true,
        items,
        href: "decisions/index.html#revisit-heading".into(),
        link: "The decision log",
    }
}

/// Decisions whose status is `proposed`, newest first.
fn proposed(r: &Renderer<'_>) -> AttentionGroup {
    let mut indices: Vec<usize> = r
        .site
        .of_kind(Kind::Decision)
        .filter(|(_, page)| {
            page.decision()
                .and_then(|d| d.status.as_ref())
                .is_some_and(|s| s.name() == "proposed")
        })
        .map(|(i, _)| i)
        .collect();
    r.by_number_desc(&mut indices);
    let total = indices.len();
    let items = indices
        .into_iter()
        .take(ATTENTION_SHOWN)
        .map(|i| {
            let reference = r.views.decision_ref(i);
            AttentionItem {
                date: r.site.pages[i].date,
                ..AttentionItem::at(reference.label.clone(), reference.href.clone())
            }
        })
        .collect();
    AttentionGroup {
        key: "proposed",
        title: "Proposed decisions awaiting input",
        due_label: "",
        total,
        from_the_day: false,
        items,
        href: format!("{}index.html", crate::routes::status_path("proposed")),
        link: "All proposed decisions",
    }
}
