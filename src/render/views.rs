//! What templates see: plain, serializable views of the site model, with every link already
//! made relative to the site root and every derived fact (overdue, next review) computed.
//!
//! Every field is always present (`null` when unknown), because Tera 2 treats a missing field as
//! an error: template authors can test `{% if page.decision %}` without guarding each access.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Serialize;

use super::page_dates::PageDates;
use crate::content::{ActionItem, Kind, KindMeta, Page, Role, Status};
use crate::dates;
use crate::resolve::Site;
use crate::routes::{meeting_calendar_path, series_calendar_path, series_path, slug_segment, status_path, tag_path};

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
    pub tags: Vec<LinkView>,
    /// Whether it is a draft (only in `--drafts` builds).
    pub draft: bool,
    /// Ordering hint: lists of protocols and folder pages put weighted pages first, lower weights
    /// first; `None` when the page gives none.
    pub weight: Option<i64>,
    /// Who looks after it.
    pub owner: Option<PersonRef>,
    /// The file under `content/`.
    pub source: String,
    /// Front-matter keys the tool does not know.
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
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// The text (`name` for tags, `title` for pages); both are filled.
    pub name: String,
    /// Same as `name`.
    pub title: String,
    /// Relative to the site root.
    pub href: String,
}

/// A person named by id: linked when the handbook has a page for them.
#[derive(Debug, Clone, Serialize)]
pub struct PersonRef {
    /// Their name, or the id as written when there is no page.
    pub name: String,
    /// Their page, relative to the site root.
    pub href: Option<String>,
}

/// A reference to a decision record.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionRef {
    /// `0007: Use Postgres`.
    pub label: String,
    /// Relative to the site root.
    pub href: String,
    /// Its status.
    pub status: Option<StatusView>,
}

/// A decision's status with how to show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusView {
    /// `accepted`, `on-hold`: for CSS classes and URLs.
    pub name: String,
    /// `Accepted`, `On hold`: the badge text.
    pub label: String,
    /// A CSS colour for statuses declared with one in `handbook.toml`.
    pub color: Option<String>,
    /// Site path of the decision-log page listing the decisions with this status.
    pub href: String,
}

/// A named value of an imported record.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    /// `RFC PR`.
    pub name: String,
    /// The value, Markdown rendered to inline HTML.
    pub html: String,
}

/// One record of a supersede chain.
#[derive(Debug, Clone, Serialize)]
pub struct ChainLink {
    /// The record.
    pub decision: DecisionRef,
    /// Whether it is the page being shown.
    pub this: bool,
    /// Whether it is the one in force (the end of the chain, when not itself superseded).
    pub current: bool,
}

/// Decision metadata.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    /// The decision log it belongs to (its folder in the site).
    pub log: String,
    /// The number, in its log.
    pub number: Option<u32>,
    /// The number as shown: `0007`.
    pub number_label: String,
    /// The effective status (`superseded` when a later record replaces it).
    pub status: Option<StatusView>,
    /// Whether the page has a Status row: the record has a status, or it could have said one
    /// (an RFC cannot: being merged is its acceptance).
    pub shows_status: bool,
    /// Who decided.
    pub deciders: Vec<PersonRef>,
    /// Who was consulted.
    pub consulted: Vec<PersonRef>,
    /// Who was informed.
    pub informed: Vec<PersonRef>,
    /// What it replaces.
    pub supersedes: Vec<DecisionRef>,
    /// What replaces it.
    pub superseded_by: Vec<DecisionRef>,
    /// What it amends.
    pub amends: Vec<DecisionRef>,
    /// What amends it.
    pub amended_by: Vec<DecisionRef>,
    /// Related records.
    pub related: Vec<DecisionRef>,
    /// The supersede chain it is part of, oldest first (empty when it is in none).
    pub chain: Vec<ChainLink>,
    /// Other metadata of imported records (`RFC PR`, `Feature Name`), values as HTML.
    pub fields: Vec<FieldView>,
    /// Meetings where it was made.
    pub made_in: Vec<LinkView>,
}

/// Meeting metadata.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    /// `HH:MM`.
    pub time: Option<String>,
    /// The IANA zone of `time`.
    pub timezone: Option<String>,
    /// RFC 3339 with offset when the time is known (for the local-time script), else the date.
    pub datetime: Option<String>,
    /// Who attended.
    pub attendees: Vec<PersonRef>,
    /// Who ran it.
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
    pub decisions: Vec<DecisionRef>,
    /// Action items.
    pub action_items: Vec<ActionView>,
    /// How many action items are open.
    pub open_actions: usize,
}

/// An action item.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    /// What to do.
    pub text: String,
    /// Who does it.
    pub owner: Option<PersonRef>,
    /// `YYYY-MM-DD`.
    #[serde(serialize_with = "dates::serialize_optional")]
    pub due: Option<Date>,
    /// Ticked.
    pub done: bool,
    /// Open and past its due date on the day of the build.
    pub overdue: bool,
    /// The meeting it comes from (on aggregated lists).
    pub meeting: Option<LinkView>,
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
    /// Decisions they made (as a decider).
    pub decisions: Vec<DecisionRef>,
    /// Meetings they attended or facilitated, newest first.
    pub meetings: Vec<LinkView>,
    /// Their open action items, overdue first.
    pub actions: Vec<ActionView>,
    /// Protocols and pages they own.
    pub owns: Vec<LinkView>,
}

/// Builds views; one per site render.
pub struct Views<'a> {
    site: &'a Site,
    neighbours: &'a Neighbours,
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
        Views { site, neighbours }
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
            title: display_title(page),
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
        let mut actions = Vec::new();
        let mut owns = Vec::new();
        for (i, other) in pages {
            if other.owner.as_deref() == Some(id.as_str()) {
                owns.push(self.link(i));
            }
            match &other.meta {
                KindMeta::Decision(d) if d.deciders.contains(&id) => decisions.push(self.decision_ref(i)),
                KindMeta::Meeting(m) => {
                    if m.attendees.contains(&id) || m.facilitator.as_deref() == Some(id.as_str()) {
                        meetings.push((other.date, self.link(i)));
                    }
                    let mine = m
                        .action_items
                        .iter()
                        .filter(|a| !a.done && a.owner.as_deref() == Some(id.as_str()));
                    actions.extend(mine.map(|a| self.action(a, Some(i))));
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
            decisions,
            meetings: meetings.into_iter().map(|(_, link)| link).collect(),
            actions,
            owns,
        })
    }

    /// A link to page `index`.
    pub fn link(&self, index: usize) -> LinkView {
        let page = &self.site.pages[index];
        let title = display_title(page);
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
                name: display_title(&self.site.pages[i]),
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

    /// A reference to decision `index`.
    pub fn decision_ref(&self, index: usize) -> DecisionRef {
        let page = &self.site.pages[index];
        let decision = page.decision();
        let label = match decision.and_then(|d| d.number) {
            Some(number) => format!("{}: {}", number_label(number), page.title),
            None => page.title.clone(),
        };
        DecisionRef {
            label,
            href: page.output_file(),
            status: decision.and_then(|d| d.status.as_ref()).map(|s| self.status(s)),
        }
    }

    fn decision_refs(&self, indices: &[usize]) -> Vec<DecisionRef> {
        indices.iter().map(|&i| self.decision_ref(i)).collect()
    }

    /// How to show `status`: its label and colour from `handbook.toml` when declared there.
    pub fn status(&self, status: &Status) -> StatusView {
        let declared = self
            .site
            .config
            .decisions
            .statuses
            .iter()
            .find(|s| Status::normalize(&s.name) == status.name());
        let label = declared
            .map(|d| d.label.clone())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| crate::content::humanize(status.name()));
        StatusView {
            name: status.name().to_string(),
            label,
            color: declared.map(|d| d.color.clone()).filter(|c| !c.is_empty()),
            href: format!("{}index.html", status_path(status.name())),
        }
    }

    fn decision(&self, index: usize) -> Option<DecisionView> {
        let decision = self.site.pages[index].decision()?;
        let relations = &self.site.relations[index];
        let made_in = self
            .site
            .made_in
            .get(&index)
            .map(|meetings| meetings.iter().map(|&m| self.link(m)).collect())
            .unwrap_or_default();
        Some(DecisionView {
            log: decision.log.clone(),
            number: decision.number,
            number_label: decision.number.map(number_label).unwrap_or_default(),
            status: decision.status.as_ref().map(|s| self.status(s)),
            shows_status: decision.status.is_some() || decision.format.is_none_or(|format| format.has_status()),
            deciders: self.people(&decision.deciders),
            consulted: self.people(&decision.consulted),
            informed: self.people(&decision.informed),
            supersedes: self.decision_refs(&relations.supersedes),
            superseded_by: self.decision_refs(&relations.superseded_by),
            amends: self.decision_refs(&relations.amends),
            amended_by: self.decision_refs(&relations.amended_by),
            related: self.decision_refs(&relations.related),
            chain: self.chain(index),
            fields: decision
                .fields
                .iter()
                .map(|(name, value)| FieldView {
                    name: name.clone(),
                    html: crate::markdown::inline_html(value, self.site.config.markdown.raw_html),
                })
                .collect(),
            made_in,
        })
    }

    /// The supersede chain through `index`: back through what it replaced, forward through what
    /// replaced it. Where a record replaces several, the chain follows the first.
    fn chain(&self, index: usize) -> Vec<ChainLink> {
        let relations = &self.site.relations;
        let mut seen = vec![index];
        let mut back = index;
        while let Some(&previous) = relations[back].supersedes.first() {
            if seen.contains(&previous) {
                break;
            }
            seen.insert(0, previous);
            back = previous;
        }
        let mut forward = index;
        while let Some(&next) = relations[forward].superseded_by.first() {
            if seen.contains(&next) {
                break;
            }
            seen.push(next);
            forward = next;
        }
        if seen.len() < 2 {
            return Vec::new();
        }
        let last = seen.len() - 1;
        seen.iter()
            .enumerate()
            .map(|(position, &i)| ChainLink {
                decision: self.decision_ref(i),
                this: i == index,
                current: position == last && relations[i].superseded_by.is_empty(),
            })
            .collect()
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
            .filter(|item| !item.in_body)
            .map(|item| self.action(item, None))
            .collect();
        Some(MeetingView {
            time: start.map(|start| start.strftime("%H:%M").to_string()),
            timezone,
            datetime,
            attendees: self.people(&meeting.attendees),
            facilitator: meeting.facilitator.as_deref().map(|f| self.person(f)),
            series: meeting.series.clone(),
            series_href: meeting
                .series
                .as_deref()
                .map(|s| format!("{}index.html", series_path(s))),
            series_calendar_href: meeting.series.as_deref().map(series_calendar_path),
            calendar_href: start.map(|_| meeting_calendar_path(&page.path)),
            previous: self.neighbours.get(&index).and_then(|n| n.0).map(|i| self.link(i)),
            next: self.neighbours.get(&index).and_then(|n| n.1).map(|i| self.link(i)),
            recording: meeting.recording.clone(),
            decisions: self
                .site
                .decisions_made
                .get(&index)
                .map(|made| self.decision_refs(made))
                .unwrap_or_default(),
            open_actions: meeting.action_items.iter().filter(|a| !a.done).count(),
            action_items,
        })
    }

    /// An action item, with the meeting it comes from when listed outside it.
    pub fn action(&self, item: &ActionItem, meeting: Option<usize>) -> ActionView {
        ActionView {
            text: item.text.clone(),
            owner: item.owner.as_deref().map(|o| self.person(o)),
            due: item.due,
            done: item.done,
            overdue: !item.done && item.due.is_some_and(|due| due < self.site.today),
            meeting: meeting.map(|m| self.link(m)),
        }
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
pub(crate) fn display_title(page: &Page) -> String {
    match &page.meta {
        KindMeta::Person(person) if page.role == Role::Leaf => {
            person.name.clone().unwrap_or_else(|| page.title.clone())
        }
        _ => page.title.clone(),
    }
}

/// `7` → `0007`, the way decision logs number their records.
pub fn number_label(number: u32) -> String {
    format!("{number:04}")
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
