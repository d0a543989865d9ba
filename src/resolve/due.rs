//! What falls due with time, measured against the build's "today": protocols past review,
//! action items past their due date, decisions due for revisit, and planned meetings whose day
//! passed without a summary. `HANDBOOK_TODAY` sets today in tests.

use jiff::civil::Date;

use super::{Site, key_span};
use crate::content::{MeetingStatus, Role};
use crate::diagnostics::{Diagnostic, Severity};

impl Site {
    /// When decision `index` is due for revisit (see [`crate::content::Page::revisit_due`]),
    /// while it still holds: a decision superseded, deprecated or rejected is not revisited.
    pub fn revisit_due(&self, index: usize) -> Option<Date> {
        let page = &self.pages[index];
        let ended = page
            .decision()?
            .status
            .as_ref()
            .is_some_and(|s| matches!(s.name(), "superseded" | "deprecated" | "rejected"));
        if ended || !self.relations[index].superseded_by.is_empty() {
            return None;
        }
        page.revisit_due()
    }
}

/// Protocols past their review date, open action items past their due date and decisions due
/// for revisit, as `severity`: the build reports them as warnings where `warn_when_overdue`
/// (`warn_when_due` for decisions) is configured, and `check` lists the others as notes. With
/// `Severity::Warning`, also the planned meetings whose day passed without a summary.
pub fn overdue(site: &Site, severity: Severity) -> Vec<Diagnostic> {
    let config = &site.config;
    let wanted = |configured: bool| configured == (severity == Severity::Warning);
    let mut found = Vec::new();
    let make = |code, message: String| match severity {
        Severity::Warning => Diagnostic::warning(code, message),
        _ => Diagnostic::note(code, message),
    };
    for (index, page) in site.pages.iter().enumerate().filter(|(_, p)| p.role == Role::Leaf) {
        if wanted(config.protocols.warn_when_overdue)
            && let Some(due) = page
                .next_review(&config.protocols.review_every)
                .filter(|due| *due < site.today)
        {
            let span = key_span(page, "reviewed").unwrap_or(0..0);
            found.push(
                make("review-overdue", format!("this protocol was due for review on {due}"))
                    .at(&page.source_text(), span)
                    .help("review it and set `reviewed` to the date of the review"),
            );
        }
        if wanted(config.decisions.warn_when_due)
            && let Some(due) = site.revisit_due(index).filter(|due| *due <= site.today)
        {
            let span = key_span(page, "revisit_by")
                .or_else(|| key_span(page, "revisit_every"))
                .unwrap_or(0..0);
            found.push(
                make("revisit-due", format!("this decision is due for revisit since {due}"))
                    .at(&page.source_text(), span)
                    .help("look at it again: confirm it and set `revisited` to the day you did, or supersede it"),
            );
        }
        // A meeting's summary is expected whatever the configuration says.
        if severity == Severity::Warning
            && let Some(meeting) = page.meeting()
            && meeting.status == Some(MeetingStatus::Planned)
            && page.date.is_some_and(|date| date < site.today)
        {
            let span = key_span(page, "status").unwrap_or(0..0);
            found.push(
                Diagnostic::warning(
                    "meeting-without-summary",
                    format!("this meeting was planned for {} and has no summary", page.date.unwrap_or(site.today)),
                )
                .at(&page.source_text(), span)
                .help("write the summary (notes, decisions, action items) and remove `status = \"planned\"`, or set `status = \"cancelled\"`"),
            );
        }
    }
    // An item carried from meeting to meeting is one item: reported once, where the newest
    // meeting lists it.
    for action in site
        .actions
        .all
        .iter()
        .filter(|_| wanted(config.meetings.warn_when_overdue))
    {
        let item = action.item(&site.pages);
        let Some(due) = item.due.filter(|due| !item.done && *due < site.today) else {
            continue;
        };
        let source = site.pages[action.latest().meeting].source_text();
        found.push(
            make("action-overdue", format!("this action item was due on {due}"))
                .at(&source, source.line_range(item.line))
                .help("tick it when done, or agree on a new due date"),
        );
    }
    found
}
