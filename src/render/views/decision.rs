//! What templates see of a decision record: its number, status, the people involved, its
//! relations to other records and the supersede chain it is part of. Apart from the other views
//! because a decision has the most to show.

use jiff::civil::Date;
use serde::Serialize;

use super::{LinkView, PersonRef, Views};
use crate::content::Status;
use crate::dates;
use crate::routes::status_path;

/// A reference to a decision record: the same wherever it is shown, so its template value is
/// shared (see [`super::shared`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct DecisionRef {
    /// `0007: Use Postgres`.
    pub label: String,
    /// Relative to the site root.
    pub href: String,
    /// Its status.
    #[serde(serialize_with = "super::shared::optional")]
    pub status: Option<StatusView>,
}

/// A decision's status with how to show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
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
    #[serde(serialize_with = "super::shared::optional")]
    pub status: Option<StatusView>,
    /// Whether the page has a Status row: the record has a status, or it could have said one
    /// (an RFC cannot: being merged is its acceptance).
    pub shows_status: bool,
    /// Who decided.
    #[serde(serialize_with = "super::shared::all")]
    pub deciders: Vec<PersonRef>,
    /// Who was consulted.
    #[serde(serialize_with = "super::shared::all")]
    pub consulted: Vec<PersonRef>,
    /// Who was informed.
    #[serde(serialize_with = "super::shared::all")]
    pub informed: Vec<PersonRef>,
    /// What it replaces.
    #[serde(serialize_with = "super::shared::all")]
    pub supersedes: Vec<DecisionRef>,
    /// What replaces it.
    #[serde(serialize_with = "super::shared::all")]
    pub superseded_by: Vec<DecisionRef>,
    /// What it amends.
    #[serde(serialize_with = "super::shared::all")]
    pub amends: Vec<DecisionRef>,
    /// What amends it.
    #[serde(serialize_with = "super::shared::all")]
    pub amended_by: Vec<DecisionRef>,
    /// Related records.
    #[serde(serialize_with = "super::shared::all")]
    pub related: Vec<DecisionRef>,
    /// The supersede chain it is part of, oldest first (empty when it is in none).
    #[serde(serialize_with = "super::shared::list")]
    pub chain: Vec<ChainLink>,
    /// Other metadata of imported records (`RFC PR`, `Feature Name`), values as HTML.
    #[serde(serialize_with = "super::shared::list")]
    pub fields: Vec<FieldView>,
    /// Meetings where it was made.
    #[serde(serialize_with = "super::shared::list")]
    pub made_in: Vec<LinkView>,
    /// When to look at it again (`revisit_by`, or its date plus `revisit_every`), while it
    /// holds: `YYYY-MM-DD`.
    #[serde(serialize_with = "dates::serialize_optional")]
    pub revisit: Option<Date>,
    /// `revisit` has come on the day of the build.
    pub revisit_due: bool,
}

impl Views<'_> {
    /// A reference to decision `index`, made once: a caller that keeps it clones it, and one
    /// that shows only its label (the navigation, on every page) copies nothing else.
    pub fn decision_ref(&self, index: usize) -> &DecisionRef {
        self.decision_refs[index].get_or_init(|| Box::new(self.make_decision_ref(index)))
    }

    fn make_decision_ref(&self, index: usize) -> DecisionRef {
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

    pub(super) fn decision_refs(&self, indices: &[usize]) -> Vec<DecisionRef> {
        indices.iter().map(|&i| self.decision_ref(i).clone()).collect()
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

    pub(super) fn decision(&self, index: usize) -> Option<DecisionView> {
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
            revisit: self.site.revisit_due(index),
            revisit_due: self.site.revisit_due(index).is_some_and(|due| due <= self.site.today),
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
                decision: self.decision_ref(i).clone(),
                this: i == index,
                current: position == last && relations[i].superseded_by.is_empty(),
            })
            .collect()
    }
}

/// `7` → `0007`, the way decision logs number their records.
pub fn number_label(number: u32) -> String {
    format!("{number:04}")
}
