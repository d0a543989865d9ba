//! Reading the fields of each kind of record (decisions, meetings, protocols, people) from a
//! page's front matter and, for decision logs kept by other tools, from its body.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde_json::Value;

use super::fields::{Fields, choice_help, decision_number};
use super::formats::{self, BodyMetadata, RelationKind};
use super::front_matter::Field;
use super::load::{number_prefix, person_id};
use super::{Decision, Meeting, MeetingStatus, Person, Protocol, RecordRef, RefTarget, Status, WorkingHours};
use crate::config::{Config, nearest};
use crate::dates::{self, Moment};
use crate::markdown;

/// Where a decision record sits.
pub(super) struct RecordPlace<'a> {
    /// Its file name without `.md`.
    pub(super) stem: &'a str,
    /// The decision log it belongs to (see [`super::placement::decision_log`]).
    pub(super) log: String,
    /// The status its mount gives records that state none.
    pub(super) default_status: Option<&'a str>,
}

pub(super) fn read_decision(
    fields: &mut Fields<'_, '_>,
    place: &RecordPlace<'_>,
    config: &Config,
    text: &str,
    body: &BodyMetadata,
) -> Decision {
    let stem = place.stem;
    let id_help = |_: &Value| "write the record's number, e.g. `id = 7`".to_string();
    let number = fields
        .parse("id", "bad-decision-id", "a decision number", id_help, decision_number)
        .or(body.number)
        .or_else(|| number_prefix(stem));
    // Relations a status names, and those read from the body, by kind.
    let mut relations = Vec::new();
    let mut status_at = None;
    let status = match fields.take("status") {
        Some(field) => {
            status_at = Some(field.span.clone());
            field
                .value
                .as_str()
                .map(str::trim)
                .map(str::to_string)
                .and_then(|written| {
                    // MADR writes `status: superseded by ADR-0005`, or with a link:
                    // `superseded by [ADR-0005](0005-use-b.md)`.
                    let (status, relations_named) = formats::status_value(&written);
                    if relations_named.is_empty() {
                        return read_status(fields, &field, &written, config);
                    }
                    relations.extend(relations_named.into_iter().map(|relation| {
                        let reference = RecordRef {
                            target: ref_target(&relation.target),
                            span: field.span.clone(),
                            implied: false,
                        };
                        (relation.kind, reference)
                    }));
                    status.and_then(|status| read_status(fields, &field, &status, config))
                })
        }
        None => body.status.as_ref().and_then(|written| {
            let start = text.find(written.as_str()).unwrap_or(0);
            let field = Field {
                value: Value::String(written.clone()),
                span: start..start + written.len(),
            };
            status_at = Some(field.span.clone());
            read_status(fields, &field, written, config)
        }),
    };
    let status = status.or_else(|| {
        let declared: Vec<String> = config.decisions.statuses.iter().map(|s| s.name.clone()).collect();
        let written = place.default_status?;
        Some(Status::find(written, &declared).unwrap_or_else(|| Status::unlisted(written)))
    });
    let people = |list: Vec<String>, imported: &[String]| {
        let list = if list.is_empty() { imported.to_vec() } else { list };
        list.iter().map(|p| person_id(p)).collect::<Vec<_>>()
    };
    let mut decision = Decision {
        number,
        log: place.log.clone(),
        status_at,
        status,
        deciders: people(fields.strings(&["deciders", "decision-makers"]), &body.deciders),
        consulted: people(fields.strings(&["consulted"]), &body.consulted),
        informed: people(fields.strings(&["informed"]), &body.informed),
        supersedes: fields.record_refs("supersedes"),
        superseded_by: fields.record_refs("superseded_by"),
        amends: fields.record_refs("amends"),
        amended_by: fields.record_refs("amended_by"),
        related: fields.record_refs("related"),
        fields: body.fields.clone(),
        format: body.format,
        revisit_by: fields.date("revisit_by"),
        revisited: fields.date("revisited"),
        revisit_every: fields.parse("revisit_every", "bad-period", "a revisit period", period_help, |v| {
            v.as_str()
                .filter(|text| dates::parse_period(text).is_some())
                .map(String::from)
        }),
    };
    relations.extend(body.relations.iter().map(|relation| {
        let reference = RecordRef {
            target: ref_target(&relation.target),
            span: relation.span.clone(),
            implied: true,
        };
        (relation.kind, reference)
    }));
    for (kind, reference) in relations {
        let list = match kind {
            RelationKind::Supersedes => &mut decision.supersedes,
            RelationKind::SupersededBy => &mut decision.superseded_by,
            RelationKind::Amends => &mut decision.amends,
            RelationKind::AmendedBy => &mut decision.amended_by,
            RelationKind::Related => &mut decision.related,
        };
        list.push(reference);
    }
    decision
}

/// A record named in text: `ADR-0005` or `5` by number, `billing/5` by number in a log,
/// anything else (`0005-x.md`) by name.
fn ref_target(written: &str) -> RefTarget {
    RefTarget::parse(written).unwrap_or_else(|| RefTarget::Name(String::new()))
}

/// A record whose whole text says where it moved (`Moved to [2071-x.md](2071-x.md).`) is a
/// signpost, not a second record with the same number.
pub(super) fn is_moved_stub(body: &str) -> bool {
    let body = body.trim();
    body.len() < 300 && !body.contains('\n') && strip_prefix_ignore_case(body, "moved to ").is_some()
}

/// A status as written: a built-in or declared one; a typo of one is an error, and any other word
/// (imported logs use `on hold`, `draft`, …) is kept as written, with a warning.
fn read_status(fields: &mut Fields<'_, '_>, field: &Field, written: &str, config: &Config) -> Option<Status> {
    let declared: Vec<String> = config.decisions.statuses.iter().map(|s| s.name.clone()).collect();
    if let Some(status) = Status::find(written, &declared) {
        return Some(status);
    }
    let known: Vec<String> = Status::BUILT_IN.iter().map(|s| s.to_string()).chain(declared).collect();
    let names: Vec<&str> = known.iter().map(String::as_str).collect();
    let message = format!("`status` is not a known decision status: \"{written}\"");
    if let Some(near) = nearest(&Status::normalize(written), &names) {
        let help = format!("did you mean \"{near}\"? Known statuses: {}", names.join(", "));
        fields.problem(field, "unknown-status", message, help);
        return None;
    }
    let help = format!(
        "it is shown as written; declare it in handbook.toml (`[[decisions.statuses]] name = \"{}\"`) or use one of: {}",
        Status::normalize(written),
        names.join(", ")
    );
    fields.warning(field, "unlisted-status", message, help);
    Some(Status::unlisted(written))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// `written` is the `date` as written, `date` the page's day and `zone` the one the meeting is
/// shown in.
pub(super) fn read_meeting(
    fields: &mut Fields<'_, '_>,
    written: Option<Moment>,
    date: Option<Date>,
    zone: &TimeZone,
    timezone: Option<String>,
    outline: &markdown::Outline,
) -> Meeting {
    // A separate `time` is a wall-clock time on the meeting's day; it wins over the date's own.
    let start = match fields.time("time") {
        Some(time) => date.and_then(|day| day.to_datetime(time).to_zoned_datetime(zone.clone()).ok()),
        None => written.and_then(|moment| moment.in_zone(zone)),
    };
    Meeting {
        start,
        timezone,
        attendees: fields.strings(&["attendees"]).iter().map(|p| person_id(p)).collect(),
        facilitator: fields.string("facilitator").map(|p| person_id(&p)),
        series: fields.string("series"),
        recording: fields.url("recording"),
        decisions: fields.record_refs("decisions"),
        action_items: fields.action_items(outline),
        status: read_meeting_status(fields),
    }
}

fn read_meeting_status(fields: &mut Fields<'_, '_>) -> Option<MeetingStatus> {
    let names = MeetingStatus::ALL.map(MeetingStatus::name);
    fields.parse(
        "status",
        "unknown-meeting-status",
        "a meeting status",
        choice_help(&names),
        |v| v.as_str().and_then(MeetingStatus::from_name),
    )
}

/// Help for a period that does not parse (`review_every`, `revisit_every`).
fn period_help(_: &Value) -> String {
    "write a number and a unit, e.g. \"90d\" or \"6 months\"".to_string()
}

pub(super) fn read_protocol(fields: &mut Fields<'_, '_>) -> Protocol {
    let reviewed = fields.date("reviewed");
    let review_every = fields.parse("review_every", "bad-period", "a review period", period_help, |v| {
        v.as_str()
            .filter(|text| dates::parse_period(text).is_some())
            .map(String::from)
    });
    Protocol { reviewed, review_every }
}

pub(super) fn read_person(fields: &mut Fields<'_, '_>) -> Person {
    Person {
        name: fields.string("name"),
        role: fields.string("role"),
        timezone: super::load::read_timezone(fields),
        handle: fields.string("handle"),
        working_hours: read_working_hours(fields),
    }
}

/// `working_hours`, reported where the value is written when it cannot be read.
fn read_working_hours(fields: &mut Fields<'_, '_>) -> Option<WorkingHours> {
    let help = |value: &Value| {
        let why = value.as_str().map_or("write it as text", |text| {
            WorkingHours::parse(text).err().unwrap_or_default()
        });
        format!("{why}; an overnight range such as \"22:00-06:00\" is fine")
    };
    fields.parse("working_hours", "bad-working-hours", "a range of hours", help, |v| {
        v.as_str().and_then(|text| WorkingHours::parse(text).ok())
    })
}
