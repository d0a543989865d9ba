//! The text of the files `init` and `new` write.

use jiff::civil::Date;

use super::DecisionFormat;
use crate::content::Visibility;

/// Quotes text for a TOML string.
pub(super) fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

pub(super) fn config_text(title: &str) -> String {
    format!(
        r#"# Configuration of this handbook. Every key is optional; the handbook tool's README lists
# them all: https://github.com/handbook-rs/handbook#configuration-handbooktoml
title = {title}
description = ""
# The address the site is published at, used for the sitemap and canonical links.
base_url = ""
# Time zone for meetings that do not name one.
timezone = "UTC"

[protocols]
# How often a protocol is reviewed unless it says otherwise.
review_every = "6 months"
"#,
        title = quoted(title)
    )
}

pub(super) fn readme_text(title: &str) -> String {
    format!(
        "# {title}\n\nThis is our team handbook: how we work (`content/protocols/`), what we decided and why \
(`content/decisions/`), and what we discussed (`content/meetings/`).\n\n\
- Build the site: `handbook build` (into `public/`), or check it without writing: `handbook check`.\n\
- Record a decision: `handbook new decision \"Use Postgres\"`.\n\
- Write up a meeting: `handbook new meeting \"Weekly sync\"`; action items are task-list items such as \
`- [ ] @alice Draft the rota (due 2026-12-01)`.\n\
- Add a protocol: `handbook new protocol \"On-call\"`.\n\n\
Change anything by pull request; the build fails on broken links and bad metadata.\n"
    )
}

pub(super) fn home_text(title: &str) -> String {
    format!(
        "+++\ntitle = {}\n+++\n\nWelcome. Start with [how we work](protocols/how-we-work.md), browse the decision log, \
and read the latest meeting summaries.\n",
        quoted(title)
    )
}

pub(super) fn first_decision_text(today: Date) -> String {
    format!(
        "+++\ntitle = \"Record architecture decisions\"\ndate = {today}\nstatus = \"accepted\"\ndeciders = []\ntags = [\"process\"]\n+++\n\n\
## Context\n\nWe need to remember why we made the decisions we made, and new team members need to find them.\n\n\
## Decision\n\nWe record every significant decision as a decision record in this folder, numbered in order.\n\n\
## Consequences\n\nDecisions are discussed in writing first. A replaced decision is marked superseded, never deleted.\n"
    )
}

/// The record a new decision replaces, for its links.
pub(super) struct Predecessor {
    pub(super) number: u32,
    pub(super) title: String,
    /// Its file name, which is also the relative link from the new record (same folder).
    pub(super) file_name: String,
}

/// A new decision record in one of the formats `new decision --format` offers.
pub(super) fn decision_text(
    title: &str,
    number: u32,
    today: Date,
    format: DecisionFormat,
    replaces: Option<&Predecessor>,
) -> String {
    match format {
        DecisionFormat::Handbook => {
            let supersedes = replaces.map_or(String::new(), |p| format!("supersedes = [{}]\n", p.number));
            format!(
                "+++\ntitle = {}\ndate = {today}\nstatus = \"proposed\"\ndeciders = []\ntags = []\n{supersedes}+++\n\n\
## Context\n\nWhat is the issue that motivates this decision?\n\n\
## Options considered\n\n- Option one\n- Option two\n\n\
## Decision\n\nWhat we decided, and why.\n\n\
## Consequences\n\nWhat becomes easier or harder because of this decision?\n",
                quoted(title)
            )
        }
        DecisionFormat::Madr => {
            let supersedes = replaces.map_or(String::new(), |p| format!("supersedes: [{}]\n", p.number));
            format!(
                "---\nstatus: proposed\ndate: {today}\ndecision-makers: []\n{supersedes}---\n\n# {title}\n\n\
## Context and Problem Statement\n\nWhat is the problem, in two or three sentences?\n\n\
## Considered Options\n\n* Option one\n* Option two\n\n\
## Decision Outcome\n\nChosen option: \"Option one\", because …\n\n\
### Consequences\n\n* Good, because …\n* Bad, because …\n"
            )
        }
        DecisionFormat::Nygard => {
            let supersedes = replaces.map_or(String::new(), |p| {
                format!("\n\nSupersedes [{}. {}]({})", p.number, p.title, p.file_name)
            });
            format!(
                "# {number}. {title}\n\nDate: {today}\n\n## Status\n\nProposed{supersedes}\n\n\
## Context\n\nThe issue motivating this decision, and any context that influences or constrains it.\n\n\
## Decision\n\nThe change that we are proposing or have agreed to implement.\n\n\
## Consequences\n\nWhat becomes easier or more difficult to do because of this change.\n"
            )
        }
    }
}

pub(super) fn kickoff_text(today: Date) -> String {
    meeting_text("Kickoff", today, &MeetingDraft::default(), false)
}

/// What a new meeting takes over from the previous one of its series.
pub(super) struct MeetingDraft {
    pub(super) series: Option<String>,
    /// The time to write (`HH:MM`): the previous meeting's, if it had one; [`DEFAULT_TIME`] for
    /// a meeting with no previous one to follow.
    pub(super) time: Option<String>,
    /// The previous meeting's own time zone. Without one, none is written, and the meeting is
    /// in the handbook's (`timezone` in `handbook.toml`).
    pub(super) timezone: Option<String>,
    pub(super) attendees: Vec<String>,
    pub(super) facilitator: Option<String>,
    /// The previous meeting's visibility, when the new file must say it (see `series_draft`).
    pub(super) visibility: Option<Visibility>,
    /// Its open action items, as task-list lines.
    pub(super) open_items: Vec<String>,
}

/// The time of a meeting with no previous one to follow: a start to change, which gives it a
/// calendar file and its attendees' working hours something to be checked against.
const DEFAULT_TIME: &str = "15:00";

impl Default for MeetingDraft {
    fn default() -> MeetingDraft {
        MeetingDraft {
            series: None,
            time: Some(DEFAULT_TIME.to_string()),
            timezone: None,
            attendees: Vec::new(),
            facilitator: None,
            visibility: None,
            open_items: Vec::new(),
        }
    }
}

/// A new meeting's file: a summary to fill in, or with `planned` an agenda published ahead
/// (`status = "planned"`, agenda and pre-reads), whose notes are written after the meeting.
pub(super) fn meeting_text(title: &str, today: Date, draft: &MeetingDraft, planned: bool) -> String {
    let list = |items: &[String]| items.iter().map(|i| quoted(i)).collect::<Vec<_>>().join(", ");
    let mut front = format!("+++\ntitle = {}\ndate = {today}\n", quoted(title));
    if let Some(time) = &draft.time {
        front.push_str(&format!("time = {}\n", quoted(time)));
    }
    if let Some(timezone) = &draft.timezone {
        front.push_str(&format!("timezone = {}\n", quoted(timezone)));
    }
    if let Some(series) = &draft.series {
        front.push_str(&format!("series = {}\n", quoted(series)));
    }
    front.push_str(&format!("attendees = [{}]\n", list(&draft.attendees)));
    if let Some(facilitator) = &draft.facilitator {
        front.push_str(&format!("facilitator = {}\n", quoted(facilitator)));
    }
    if let Some(visibility) = draft.visibility {
        front.push_str(&format!("visibility = {}\n", quoted(visibility.name())));
    }
    if planned {
        front.push_str("status = \"planned\"\n");
    }
    front.push_str("decisions = []\n+++\n\n");
    let mut items = String::new();
    // Carried items as they were written: the page shows where each was raised and carried.
    if !draft.open_items.is_empty() {
        for item in &draft.open_items {
            items.push_str(&format!("{item}\n"));
        }
    } else if !planned {
        items.push_str("- [ ] Write up the next steps\n");
    }
    if planned {
        let open = if items.is_empty() {
            String::new()
        } else {
            format!("\n## Open action items\n\n{items}")
        };
        return format!(
            "{front}## Agenda\n\n1. First topic (who leads it, how long)\n\n\
## Pre-reads\n\n- What to read before the meeting, with a link\n{open}"
        );
    }
    format!(
        "{front}## Agenda\n\n1. First topic\n\n## Notes\n\nWhat was said, for those who could not attend.\n\n\
## Action items\n\n{items}"
    )
}

pub(super) fn protocol_text(title: &str, today: Date) -> String {
    format!(
        "+++\ntitle = {}\nowner = \"\"\nreviewed = {today}\nsummary = \"\"\n+++\n\n\
## Why\n\nThe problem this protocol solves.\n\n\
## How\n\nWhat we do, step by step.\n",
        quoted(title)
    )
}
