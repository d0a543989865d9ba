//! What templates see: plain, serializable views of the site model, with every link already
//! made relative to the site root and every derived fact (overdue, next review) computed.
//!
//! Every field is always present (`null` when unknown), because Tera 2 treats a missing field as
//! an error: template authors can test `{% if page.decision %}` without guarding each access.

use std::collections::HashMap;
use std::sync::OnceLock;

use jiff::civil::Date;
use serde::Serialize;

mod decision;
mod shared;

pub use decision::{ChainLink, DecisionRef, DecisionView, FieldView, StatusView, number_label};

use super::page_dates::PageDates;
use crate::content::{Kind, KindMeta, MeetingStatus, Page, Role};
use crate::dates;
use crate::resolve::{Site, TrackedAction};
use crate::routes::{meeting_calendar_path, series_calendar_path, series_path, slug_segment, tag_path};

/// A page as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// The page title.
    pub title: String,
    /// The id of the heading the title came from, which the template's `<h1>` takes (see
    /// [`crate::content::Page::title_heading_id`]).
    pub title_id: Option<String>,
    /// The page's file relative to the site root; templates prefix `root`.
    pub href: String,
    /// `decision`, `meeting`, `protocol`, `person` or `page`.
    pub kind: Kind,
    /// `Decision`, `Meeting`, …
    pub kind_label: &'static str,
    /// `YYYY-MM-DD`.
    #[serde(serialize_with = "dates::serialize_optional")]
    pub date: Option<Date>,
    /// `YYYY-MM-DD`.
    #[serde(serialize_with = "dates::serialize_optional")]
    pub updated: Option<Date>,
    /// One sentence.
    pub summary: Option<String>,
    /// When it was last changed: front matter `updated`, else its last commit; never before
    /// its creation.
    #[serde(serialize_with = "dates::serialize_optional")]
    pub last_updated: Option<Date>,
    /// Who made the last commit to it.
    pub last_author: Option<String>,
    /// Its page on the repository host for editing, when `[repository] url` is set.
    pub edit_url: Option<String>,
    /// Its history on the repository host.
    pub history_url: Option<String>,
    /// Tags with the link to their page.
    #[serde(serialize_with = "shared::all")]
    pub tags: Vec<LinkView>,
    /// Whether it is a draft (only in `--drafts` builds).
    pub draft: bool,
    /// Ordering hint: lists of protocols and folder pages put weighted pages first, lower weights
    /// first; `None` when the page gives none.
    pub weight: Option<i64>,
    /// Who looks after it.
    #[serde(serialize_with = "shared::optional")]
    pub owner: Option<PersonRef>,
    /// The team it belongs to (its own `team`, else its folder's), linked to the team's page.
    pub team: Option<LinkView>,
    /// The file under `content/`.
    pub source: String,
    /// Front-matter keys the tool does not know.
    #[serde(serialize_with = "shared::map")]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Decision metadata.
    pub decision: Option<DecisionView>,
    /// Meeting metadata.
    pub meeting: Option<MeetingView>,
    /// Protocol metadata.
    pub protocol: Option<ProtocolView>,
    /// Person metadata.
    pub person: Option<PersonView>,
}

/// A link with its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct LinkView {
    /// The text (`name` for tags, `title` for pages); both are filled.
    pub name: String,
    /// Same as `name`.
    pub title: String,
    /// Relative to the site root.
    pub href: String,
}

/// A person named by id: linked when the handbook has a page for them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PersonRef {
    /// Their name, or the id as written when there is no page.
    pub name: String,
    /// Their page, relative to the site root.
    pub href: Option<String>,
}

/// Meeting metadata.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    /// `planned`, `held` or `cancelled`, on the day of the build (see `Meeting::status_on`).
    pub status: &'static str,
    /// Planned, and its day has passed: the summary was never written.
    pub summary_missing: bool,
    /// `HH:MM`.
    pub time: Option<String>,
    /// The IANA zone of `time`.
    pub timezone: Option<String>,
    /// RFC 3339 with offset when the time is known (for the local-time script), else the date.
    pub datetime: Option<String>,
    /// Who attended.
    #[serde(serialize_with = "shared::all")]
    pub attendees: Vec<AttendeeView>,
    /// Who ran it.
    #[serde(serialize_with = "shared::optional")]
    pub facilitator: Option<PersonRef>,
    /// Its series.
    pub series: Option<String>,
    /// The page of its series, relative to the site root.
    pub series_href: Option<String>,
    /// Its series' calendar, to subscribe to, relative to the site root.
    pub series_calendar_href: Option<String>,
    /// Its own calendar file, when it has a time, relative to the site root.
    pub calendar_href: Option<String>,
    /// The meeting before this one in its series.
    pub previous: Option<LinkView>,
    /// The meeting after this one in its series.
    pub next: Option<LinkView>,
    /// Link to the recording.
    pub recording: Option<String>,
    /// Decisions made.
    #[serde(serialize_with = "shared::all")]
    pub decisions: Vec<DecisionRef>,
    /// Action items.
    #[serde(serialize_with = "shared::list")]
    pub action_items: Vec<ActionView>,
    /// How many action items are open.
    pub open_actions: usize,
}

/// A meeting's attendee: a [`PersonRef`]'s fields, and one more. (Not a flattened `PersonRef`:
/// serde writes a flattened struct as a map of unknown length, which bincode, in which `serve`
/// takes the fingerprints of views, cannot write.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct AttendeeView {
    /// Their name, or the id as written when there is no page.
    pub name: String,
    /// Their page, relative to the site root.
    pub href: Option<String>,
    /// Whether the meeting's time falls outside their `working_hours`.
    pub outside_working_hours: bool,
}

/// An action item.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    /// What to do.
    pub text: String,
    /// Who does it.
    #[serde(serialize_with = "shared::optional")]
    pub owner: Option<PersonRef>,
    /// `YYYY-MM-DD`.
    #[serde(serialize_with = "dates::serialize_optional")]
    pub due: Option<Date>,
    /// Ticked.
    pub done: bool,
    /// Open and past its due date on the day of the build.
    pub overdue: bool,
    /// The meeting it comes from (on aggregated lists): the newest that lists it.
    pub meeting: Option<LinkView>,
    /// Every meeting that lists it, oldest first, when it was carried from one to the next
    /// (`raised`, then `carried to`); empty for an item listed once.
    #[serde(serialize_with = "shared::list")]
    pub history: Vec<DatedLink>,
}

/// A meeting that lists an action item, by its date.
#[derive(Debug, Clone, Serialize)]
pub struct DatedLink {
    /// `YYYY-MM-DD`, or empty when the meeting has no date.
    pub date: String,
    /// The meeting's title.
    pub title: String,
    /// Its page.
    pub href: String,
}

/// Protocol metadata.
#[derive(Debug, Clone, Serialize)]
pub struct ProtocolView {
    /// Last review.
    #[serde(serialize_with = "dates::serialize_optional")]
    pub reviewed: Option<Date>,
    /// The review period as written, or the site default.
    pub review_every: String,
    /// When the next review is due.
    #[serde(serialize_with = "dates::serialize_optional")]
    pub next_review: Option<Date>,
    /// Past `next_review` on the day of the build.
    pub overdue: bool,
}

/// Person metadata.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    /// Display name.
    pub name: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// Chat handle.
    pub handle: Option<String>,
    /// Their working hours in their zone (`09:00–17:00`).
    pub working_hours: Option<String>,
    /// Decisions they made (as a decider).
    #[serde(serialize_with = "shared::all")]
    pub decisions: Vec<DecisionRef>,
    /// Meetings they attended or facilitated, newest first.
    #[serde(serialize_with = "shared::list")]
    pub meetings: Vec<LinkView>,
    /// Their open action items, overdue first.
    #[serde(serialize_with = "shared::list")]
    pub actions: Vec<ActionView>,
    /// Protocols and pages they own.
    #[serde(serialize_with = "shared::list")]
    pub owns: Vec<LinkView>,
}

/// Builds views; one per site render.
pub struct Views<'a> {
    site: &'a Site,
    neighbours: &'a Neighbours,
    /// The reference to each decision (see [`Views::decision_ref`]), made once: its relations,
    /// its meetings and its deciders' pages name it, so that a generated handbook of 10,000
    /// pages made 20,000 of them for 4,000 decisions, a twentieth of a build's time.
    decision_refs: Vec<OnceLock<Box<DecisionRef>>>,
}

/// For each meeting in a series, the meetings before and after it.
pub type Neighbours = HashMap<usize, (Option<usize>, Option<usize>)>;

/// The meetings before and after each meeting of a series.
pub fn neighbours(site: &Site) -> Neighbours {
    let mut series: HashMap<String, Vec<(Option<Date>, usize)>> = HashMap::new();
    for (i, page) in site.of_kind(Kind::Meeting) {
        if let Some(name) = page.meeting().and_then(|m| m.series.as_deref()) {
            series.entry(slug_segment(name)).or_default().push((page.date, i));
        }
    }
    let mut neighbours = HashMap::new();
    for mut members in series.into_values() {
        members.sort();
        for (at, &(_, i)) in members.iter().enumerate() {
            let before = at.checked_sub(1).map(|b| members[b].1);
            let after = members.get(at + 1).map(|m| m.1);
            neighbours.insert(i, (before, after));
        }
    }
    neighbours
}

impl<'a> Views<'a> {
    /// Views of `site`, whose series have `neighbours`.
    pub fn new(site: &'a Site, neighbours: &'a Neighbours) -> Self {
        Views {
            site,
            neighbours,
            decision_refs: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The view of page `index` as a template value: what the frame keeps of each page, and
    /// what a page rendered without a frame's views makes of those it shows.
    pub fn page_value(&self, index: usize) -> tera::Value {
        tera::Value::from_serializable(&self.page(index))
    }

    /// The view of page `index`.
    pub fn page(&self, index: usize) -> PageView {
        let page = &self.site.pages[index];
        let dates = PageDates::of(self.site, page);
        let links = self
            .site
            .config
            .repository
            .links(&page.file.to_string_lossy().replace('\\', "/"));
        PageView {
            title_id: page.title_heading_id().map(String::from),
            last_updated: dates.updated,
            last_author: dates.author,
            edit_url: links.as_ref().map(|l| l.0.clone()),
            history_url: links.map(|l| l.1),
            title: display_title(page).to_owned(),
            href: page.output_file(),
            kind: page.kind(),
            kind_label: kind_label(page.kind()),
            date: page.date,
            updated: page.updated,
            summary: page.summary.clone(),
            tags: page.tags.iter().map(|t| tag_link(t)).collect(),
            draft: page.draft,
            weight: page.weight,
            owner: page.owner.as_deref().map(|o| self.person(o)),
            team: self.site.teams.of_page(index).map(|team| LinkView {
                name: team.name.clone(),
                title: team.name.clone(),
                href: format!("{}index.html", team.path),
            }),
            source: page.source.clone(),
            extra: page.extra.clone(),
            decision: self.decision(index),
            meeting: self.meeting(index),
            protocol: self.protocol(page),
            person: self.person_view(index),
        }
    }

    /// A person's page: who they are and what they decided, attended, owe and own.
    fn person_view(&self, index: usize) -> Option<PersonView> {
        let page = &self.site.pages[index];
        let KindMeta::Person(person) = &page.meta else {
            return None;
        };
        let id = crate::resolve::person_id(page);
        let pages = self.site.pages.iter().enumerate().filter(|(_, p)| p.role == Role::Leaf);
        let mut decisions = Vec::new();
        let mut meetings = Vec::new();
        let mut actions: Vec<ActionView> = self
            .site
            .actions
            .all
            .iter()
            .filter(|action| {
                let item = action.item(&self.site.pages);
                !item.done && item.owner.as_deref() == Some(id.as_str())
            })
            .map(|action| self.action(action, true))
            .collect();
        let mut owns = Vec::new();
        for (i, other) in pages {
            if other.owner.as_deref() == Some(id.as_str()) {
                owns.push(self.link(i));
            }
            match &other.meta {
                KindMeta::Decision(d) if d.deciders.contains(&id) => decisions.push(self.decision_ref(i).clone()),
                // Meetings they took part in: not those to come, nor those called off.
                KindMeta::Meeting(m)
                    if (m.attendees.contains(&id) || m.facilitator.as_deref() == Some(id.as_str()))
                        && m.status_on(other.date, self.site.today) == MeetingStatus::Held =>
                {
                    meetings.push((other.date, self.dated_link(i)));
                }
                _ => {}
            }
        }
        meetings.sort_by_key(|m| std::cmp::Reverse(m.0));
        actions.sort_by_key(|a| (!a.overdue, a.due.is_none(), a.due));
        Some(PersonView {
            name: person.name.clone(),
            role: person.role.clone(),
            timezone: person.timezone.clone(),
            handle: person.handle.clone(),
            working_hours: person.working_hours.map(|hours| hours.to_string()),
            decisions,
            meetings: meetings.into_iter().map(|(_, link)| link).collect(),
            actions,
            owns,
        })
    }

    /// A link to page `index`.
    pub fn link(&self, index: usize) -> LinkView {
        let page = &self.site.pages[index];
        let title = display_title(page).to_owned();
        LinkView {
            name: title.clone(),
            title,
            href: page.output_file(),
        }
    }

    /// A person by id, linked to their page when there is one.
    pub fn person(&self, id: &str) -> PersonRef {
        match self.site.people.get(id) {
            Some(&i) => PersonRef {
                name: display_title(&self.site.pages[i]).to_owned(),
                href: Some(self.site.pages[i].output_file()),
            },
            None => PersonRef {
                name: id.to_string(),
                href: None,
            },
        }
    }

    fn people(&self, ids: &[String]) -> Vec<PersonRef> {
        ids.iter().map(|id| self.person(id)).collect()
    }

    fn meeting(&self, index: usize) -> Option<MeetingView> {
        let page = &self.site.pages[index];
        let meeting = page.meeting()?;
        let start = meeting.start.as_ref();
        let timezone = meeting
            .timezone
            .clone()
            .or_else(|| start.map(|_| self.site.config.timezone.clone()));
        // The instant, with the offset of the zone it is shown in: the script's "your time" and
        // any other reader of the attribute get the same moment as the text says.
        let datetime = start
            .map(|start| start.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
            .or_else(|| page.date.map(|date| date.to_string()));
        // An item with more than words stays in the body, where it is shown in full.
        let action_items: Vec<ActionView> = meeting
            .action_items
            .iter()
            .enumerate()
            .filter(|(_, item)| !item.in_body)
            .filter_map(|(i, _)| self.site.actions.at(index, i))
            .map(|action| self.action(action, false))
            .collect();
        let status = meeting.status_on(page.date, self.site.today);
        Some(MeetingView {
            status: status.name(),
            summary_missing: status == MeetingStatus::Planned && page.date.is_some_and(|d| d < self.site.today),
            time: start.map(|start| start.strftime("%H:%M").to_string()),
            timezone,
            datetime,
            attendees: (meeting.attendees.iter())
                .map(|id| {
                    let PersonRef { name, href } = self.person(id);
                    AttendeeView {
                        name,
                        href,
                        outside_working_hours: start
                            .is_some_and(|start| super::hours::outside_working_hours(self.site, id, start)),
                    }
                })
                .collect(),
            facilitator: meeting.facilitator.as_deref().map(|f| self.person(f)),
            series: meeting.series.clone(),
            series_href: meeting
                .series
                .as_deref()
                .map(|s| format!("{}index.html", series_path(s))),
            series_calendar_href: meeting.series.as_deref().map(series_calendar_path),
            calendar_href: start.map(|_| meeting_calendar_path(&page.path)),
            previous: self
                .neighbours
                .get(&index)
                .and_then(|n| n.0)
                .map(|i| self.dated_link(i)),
            next: self
                .neighbours
                .get(&index)
                .and_then(|n| n.1)
                .map(|i| self.dated_link(i)),
            recording: meeting.recording.clone(),
            decisions: self
                .site
                .decisions_made
                .get(&index)
                .map(|made| self.decision_refs(made))
                .unwrap_or_default(),
            open_actions: (0..meeting.action_items.len())
                .filter_map(|i| self.site.actions.at(index, i))
                .filter(|action| !action.item(&self.site.pages).done)
                .count(),
            action_items,
        })
    }

    /// An action item as it stands: the owner, due date and state of the newest meeting that
    /// lists it, with that meeting when `from` (lists outside a meeting), and its history.
    pub fn action(&self, action: &TrackedAction, from: bool) -> ActionView {
        let item = action.item(&self.site.pages);
        let history = if action.steps.len() > 1 {
            action
                .steps
                .iter()
                .map(|step| {
                    let page = &self.site.pages[step.meeting];
                    DatedLink {
                        date: page.date.map(|d| d.to_string()).unwrap_or_default(),
                        title: display_title(page).to_owned(),
                        href: page.output_file(),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        ActionView {
            text: item.text.clone(),
            owner: item.owner.as_deref().map(|o| self.person(o)),
            due: item.due,
            done: item.done,
            overdue: !item.done && item.due.is_some_and(|due| due < self.site.today),
            meeting: from.then(|| self.dated_link(action.latest().meeting)),
            history,
        }
    }

    /// A link to page `index` that tells the meetings of a series apart: their titles are
    /// often all "Weekly sync", so a meeting of a series is named with its date as well.
    pub fn dated_link(&self, index: usize) -> LinkView {
        let mut link = self.link(index);
        let page = &self.site.pages[index];
        let in_series = page.meeting().is_some_and(|m| m.series.is_some());
        if let Some(date) = page.date.filter(|_| in_series) {
            let date = date.to_string();
            if !link.title.contains(&date) {
                link.title = format!("{}, {date}", link.title);
                link.name = link.title.clone();
            }
        }
        link
    }

    fn protocol(&self, page: &Page) -> Option<ProtocolView> {
        let KindMeta::Protocol(protocol) = &page.meta else {
            return None;
        };
        let review_every = protocol
            .review_every
            .clone()
            .unwrap_or_else(|| self.site.config.protocols.review_every.clone());
        let next_review = page.next_review(&self.site.config.protocols.review_every);
        Some(ProtocolView {
            reviewed: protocol.reviewed,
            review_every,
            next_review,
            overdue: next_review.is_some_and(|next| next < self.site.today),
        })
    }
}

/// A person's page is titled with their name when they give one.
/// The title a page is shown and linked by: a person's name, else the page's title.
pub(crate) fn display_title(page: &Page) -> &str {
    match &page.meta {
        KindMeta::Person(person) if page.role == Role::Leaf => person.name.as_deref().unwrap_or(&page.title),
        _ => &page.title,
    }
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Page => "Page",
        Kind::Decision => "Decision",
        Kind::Meeting => "Meeting",
        Kind::Protocol => "Protocol",
        Kind::Person => "Person",
    }
}

fn tag_link(tag: &str) -> LinkView {
    LinkView {
        name: tag.to_string(),
        title: tag.to_string(),
        href: format!("{}index.html", tag_path(tag)),
    }
}
