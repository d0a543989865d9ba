//! What templates see: plain, serializable views of the site model, with every link already
//! made relative to the site root and every derived fact (overdue, next review) computed.
//!
//! Every field is always present (`null` when unknown), because Tera 2 treats a missing field as
//! an error: template authors can test `{% if page.decision %}` without guarding each access.

use jiff::civil::Date;
use serde::Serialize;

use crate::content::{ActionItem, Kind, KindMeta, Page, Role};
use crate::dates;
use crate::resolve::Site;

/// A page as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// The page title.
    pub title: String,
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
    /// Tags with the link to their page.
    pub tags: Vec<LinkView>,
    /// Whether it is a draft (only in `--drafts` builds).
    pub draft: bool,
    /// Ordering hint: lists of protocols and folder pages put lower weights first.
    pub weight: i64,
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
    pub status: Option<&'static str>,
}

/// Decision metadata.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    /// The number.
    pub number: Option<u32>,
    /// The number as shown: `0007`.
    pub number_label: String,
    /// The effective status (`superseded` when a later record replaces it).
    pub status: Option<&'static str>,
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
    /// Related records.
    pub related: Vec<DecisionRef>,
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
}

/// Builds views; one per site render.
pub struct Views<'a> {
    site: &'a Site,
}

impl<'a> Views<'a> {
    /// Views of `site`.
    pub fn new(site: &'a Site) -> Self {
        Views { site }
    }

    /// The view of page `index`.
    pub fn page(&self, index: usize) -> PageView {
        let page = &self.site.pages[index];
        PageView {
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
            person: match &page.meta {
                KindMeta::Person(p) => Some(PersonView {
                    name: p.name.clone(),
                    role: p.role.clone(),
                    timezone: p.timezone.clone(),
                    handle: p.handle.clone(),
                }),
                _ => None,
            },
        }
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

    fn decision_refs(&self, numbers: &[u32]) -> Vec<DecisionRef> {
        numbers
            .iter()
            .filter_map(|n| self.site.decisions.get(n))
            .map(|&i| {
                let page = &self.site.pages[i];
                let decision = page.decision();
                let number = decision.and_then(|d| d.number).map(number_label).unwrap_or_default();
                DecisionRef {
                    label: format!("{number}: {}", page.title),
                    href: page.output_file(),
                    status: decision.and_then(|d| d.status).map(|s| s.name()),
                }
            })
            .collect()
    }

    fn decision(&self, index: usize) -> Option<DecisionView> {
        let decision = self.site.pages[index].decision()?;
        let made_in = decision
            .number
            .and_then(|n| self.site.made_in.get(&n))
            .map(|meetings| meetings.iter().map(|&m| self.link(m)).collect())
            .unwrap_or_default();
        Some(DecisionView {
            number: decision.number,
            number_label: decision.number.map(number_label).unwrap_or_default(),
            status: decision.status.map(|s| s.name()),
            deciders: self.people(&decision.deciders),
            consulted: self.people(&decision.consulted),
            informed: self.people(&decision.informed),
            supersedes: self.decision_refs(&decision.supersedes),
            superseded_by: self.decision_refs(&decision.superseded_by),
            amends: self.decision_refs(&decision.amends),
            related: self.decision_refs(&decision.related),
            made_in,
        })
    }

    fn meeting(&self, index: usize) -> Option<MeetingView> {
        let page = &self.site.pages[index];
        let meeting = page.meeting()?;
        let timezone = meeting
            .timezone
            .clone()
            .or_else(|| meeting.time.map(|_| self.site.config.timezone.clone()));
        let datetime = match (page.date, meeting.time, &timezone) {
            (Some(date), Some(time), Some(zone)) => date
                .to_datetime(time)
                .in_tz(zone)
                .ok()
                .map(|zoned| zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()),
            (Some(date), _, _) => Some(date.to_string()),
            _ => None,
        };
        let action_items: Vec<ActionView> = meeting
            .action_items
            .iter()
            .map(|item| self.action(item, None))
            .collect();
        Some(MeetingView {
            time: meeting.time.map(|t| t.strftime("%H:%M").to_string()),
            timezone,
            datetime,
            attendees: self.people(&meeting.attendees),
            facilitator: meeting.facilitator.as_deref().map(|f| self.person(f)),
            series: meeting.series.clone(),
            recording: meeting.recording.clone(),
            decisions: self.decision_refs(&meeting.decisions),
            open_actions: action_items.iter().filter(|a| !a.done).count(),
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
        let next_review = next_review(page, &review_every);
        Some(ProtocolView {
            reviewed: protocol.reviewed,
            review_every,
            next_review,
            overdue: next_review.is_some_and(|next| next < self.site.today),
        })
    }
}

/// When a protocol is next due for review: its last review (or, failing that, its date) plus its
/// review period.
pub fn next_review(page: &Page, review_every: &str) -> Option<Date> {
    let KindMeta::Protocol(protocol) = &page.meta else {
        return None;
    };
    let last = protocol.reviewed.or(page.updated).or(page.date)?;
    last.checked_add(dates::parse_period(review_every)?).ok()
}

/// A person's page is titled with their name when they give one.
fn display_title(page: &Page) -> String {
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

/// The site path of a tag's page.
pub fn tag_path(tag: &str) -> String {
    let slug = slug::slugify(tag);
    format!("tags/{}/", if slug.is_empty() { "-" } else { &slug })
}

fn tag_link(tag: &str) -> LinkView {
    LinkView {
        name: tag.to_string(),
        title: tag.to_string(),
        href: format!("{}index.html", tag_path(tag)),
    }
}
