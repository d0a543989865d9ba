//! Connecting records: decision numbers, the relations between decisions (declared on either
//! side, shown on both), the meetings that made each decision, and the people records name.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::config::LinkPolicy;
use crate::content::{KindMeta, Page, RecordRef, RefTarget, Status};
use crate::diagnostics::{Diagnostic, Diagnostics};

use super::key_span;

/// How decisions relate, by page index; every relation is recorded on both of its ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relations {
    /// Decisions this one replaces.
    pub supersedes: Vec<usize>,
    /// Decisions that replace this one.
    pub superseded_by: Vec<usize>,
    /// Decisions this one changes in part.
    pub amends: Vec<usize>,
    /// Decisions that change this one in part.
    pub amended_by: Vec<usize>,
    /// Related decisions.
    pub related: Vec<usize>,
}

/// What a reference to a record finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// The record at this page index.
    Page(usize),
    /// A record left out of this build (a draft, or internal in a public build): the reference
    /// is dropped without a word, so nothing of it shows.
    LeftOut,
}

/// Finds decision records by number or by file name. Each decision log numbers its records on
/// its own (a team's log and an imported adr-tools log both start at 0001), so a number is
/// looked up in a log: the naming record's own, or the one it names (`billing/3`).
#[derive(Debug, Default)]
pub struct RecordIndex {
    /// Decision records by log and number.
    by_number: BTreeMap<(String, u32), usize>,
    by_stem: HashMap<String, usize>,
    by_source: HashMap<String, usize>,
    left_out: RecordNames,
}

/// The numbers, file names and paths of records left out of the build.
#[derive(Debug, Default)]
struct RecordNames {
    numbers: BTreeMap<(String, u32), ()>,
    stems: HashSet<String>,
    sources: HashSet<String>,
}

impl RecordIndex {
    /// Indexes the decisions of `pages` (and remembers those of `left_out`), reporting numbers
    /// used twice in one log.
    pub fn new(pages: &[Arc<Page>], left_out: &[Arc<Page>], diagnostics: &mut Diagnostics) -> RecordIndex {
        let mut index = RecordIndex::default();
        for page in left_out.iter() {
            let Some(decision) = page.decision() else { continue };
            index.left_out.stems.insert(stem(&page.source).to_string());
            index.left_out.sources.insert(page.source.clone());
            index
                .left_out
                .numbers
                .extend(decision.number.map(|n| ((decision.log.clone(), n), ())));
        }
        for (i, page) in pages.iter().enumerate() {
            let Some(decision) = page.decision() else { continue };
            index.by_stem.insert(stem(&page.source).to_string(), i);
            index.by_source.insert(page.source.clone(), i);
            let Some(number) = decision.number else { continue };
            let key = (decision.log.clone(), number);
            if let Some(&first) = index.by_number.get(&key) {
                let first: &Page = &pages[first];
                diagnostics.push(
                    Diagnostic::error(
                        "duplicate-decision-number",
                        format!("decision number {number} is also used by {}", first.file.display()),
                    )
                    .at(&page.source_text(), key_span(page, "id").unwrap_or(0..0))
                    .help("give this record the next free number (`handbook new decision` picks one)"),
                );
                continue;
            }
            index.by_number.insert(key, i);
        }
        index
    }

    /// The decision logs, by their folder in the site, in order.
    pub fn logs(&self) -> Vec<&str> {
        let mut logs: Vec<&str> = self.by_number.keys().map(|(log, _)| log.as_str()).collect();
        logs.dedup();
        logs
    }

    /// The records numbered `number` that `page` can mean: in the log `log` when it names one
    /// (its folder in the site, or that folder's last part: `billing` for `teams/billing`), else
    /// in `page`'s own log when it is a decision record (a record never binds to another log's
    /// number without naming it), else in every log, those holding `page` first. More than one
    /// means the number is ambiguous.
    pub fn numbered(&self, page: &Page, log: Option<&str>, number: u32) -> Vec<usize> {
        self.numbered_in(&self.by_number, page, log, number)
    }

    fn numbered_in<V: Copy>(
        &self,
        table: &BTreeMap<(String, u32), V>,
        page: &Page,
        log: Option<&str>,
        number: u32,
    ) -> Vec<V> {
        let in_log = |wanted: &str| {
            table
                .iter()
                .filter(|((log, n), _)| *n == number && names_log(wanted, log))
                .map(|(_, &v)| v)
                .collect::<Vec<_>>()
        };
        if let Some(log) = log {
            return in_log(log);
        }
        if let Some(own) = page.decision() {
            return table.get(&(own.log.clone(), number)).copied().into_iter().collect();
        }
        let all: Vec<(&str, V)> = table
            .iter()
            .filter(|((_, n), _)| *n == number)
            .map(|((log, _), &v)| (log.as_str(), v))
            .collect();
        let holding: Vec<V> = all
            .iter()
            .filter(|(log, _)| holds(log, page.folder()))
            .map(|&(_, v)| v)
            .collect();
        if holding.is_empty() {
            all.into_iter().map(|(_, v)| v).collect()
        } else {
            holding
        }
    }

    /// The logs other than `page`'s own that have a record numbered `number`, for the help of
    /// a reference that finds none in its own log.
    pub fn logs_with(&self, page: &Page, number: u32) -> Vec<&str> {
        let own = page.decision().map(|d| d.log.as_str());
        self.by_number
            .keys()
            .filter(|(log, n)| *n == number && Some(log.as_str()) != own)
            .map(|(log, _)| log.as_str())
            .collect()
    }

    /// The decision that `target`, written in `page`, names.
    pub fn find(&self, page: &Page, target: &RefTarget) -> Option<Found> {
        let found = match target {
            RefTarget::Number(number) => single(self.numbered(page, None, *number)),
            RefTarget::InLog { log, number } => single(self.numbered(page, Some(log), *number)),
            RefTarget::Name(name) => self.by_name(page, name).copied(),
        };
        if let Some(index) = found {
            return Some(Found::Page(index));
        }
        let left_out = match target {
            RefTarget::Number(number) => self.left_out_number(page, None, *number),
            RefTarget::InLog { log, number } => self.left_out_number(page, Some(log), *number),
            RefTarget::Name(name) => {
                let name = name.split('#').next().unwrap_or(name);
                let base = page.folder();
                self.left_out.stems.contains(stem(name))
                    || super::links::normalize(base, name).is_some_and(|n| self.left_out.sources.contains(&n))
            }
        };
        left_out.then_some(Found::LeftOut)
    }

    fn left_out_number(&self, page: &Page, log: Option<&str>, number: u32) -> bool {
        !self.numbered_in(&self.left_out.numbers, page, log, number).is_empty()
    }

    fn by_name(&self, page: &Page, name: &str) -> Option<&usize> {
        let name = name.split('#').next().unwrap_or(name);
        if name.ends_with(".md") {
            let base = page.folder();
            let resolved = super::links::normalize(base, name)?;
            return self.by_source.get(&resolved);
        }
        self.by_stem.get(stem(name))
    }
}

/// Whether `written` names the log `log`: its whole folder in the site, or its last parts
/// (`billing` or `teams/billing` for `teams/billing`).
fn names_log(written: &str, log: &str) -> bool {
    let written = written.trim_matches('/');
    log == written || log.ends_with(&format!("/{written}"))
}

/// Whether the log `log` holds the site folder `folder`.
fn holds(log: &str, folder: &str) -> bool {
    log.is_empty() || folder == log || folder.starts_with(&format!("{log}/"))
}

/// The one item of `found`, or `None` when there are none or several.
fn single(found: Vec<usize>) -> Option<usize> {
    match found[..] {
        [one] => Some(one),
        _ => None,
    }
}

/// A file name without folders and `.md`.
fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

/// Resolves every relation between decisions, makes each one visible from both ends, and
/// reports missing, self-referring and cyclic relations. What they change of the pages is left
/// to [`mark_superseded`], so that the pages can be read meanwhile.
pub(super) fn relate_decisions(
    pages: &[Arc<Page>],
    index: &RecordIndex,
    policy: LinkPolicy,
    diagnostics: &mut Diagnostics,
) -> Vec<Relations> {
    let mut sets: Vec<[BTreeSet<usize>; 5]> = vec![Default::default(); pages.len()];
    const SUPERSEDES: usize = 0;
    const SUPERSEDED_BY: usize = 1;
    const AMENDS: usize = 2;
    const AMENDED_BY: usize = 3;
    const RELATED: usize = 4;
    for (i, page) in pages.iter().enumerate() {
        let Some(decision) = page.decision() else { continue };
        let declared = [
            ("supersedes", &decision.supersedes, SUPERSEDES, SUPERSEDED_BY),
            ("superseded_by", &decision.superseded_by, SUPERSEDED_BY, SUPERSEDES),
            ("amends", &decision.amends, AMENDS, AMENDED_BY),
            ("amended_by", &decision.amended_by, AMENDED_BY, AMENDS),
            ("related", &decision.related, RELATED, RELATED),
        ];
        for (key, refs, here, there) in declared {
            for reference in refs {
                match index.find(page, &reference.target) {
                    Some(Found::LeftOut) => {}
                    Some(Found::Page(j)) if j == i => diagnostics.push(
                        Diagnostic::error("self-reference", format!("`{key}` names this record itself"))
                            .at(&page.source_text(), reference.span.clone())
                            .help("name another record, or remove the reference"),
                    ),
                    Some(Found::Page(j)) => {
                        sets[i][here].insert(j);
                        sets[j][there].insert(i);
                    }
                    None if reference.implied => {}
                    None => diagnostics.push(missing_record(page, key, reference, index, policy)),
                }
            }
        }
    }
    let relations: Vec<Relations> = sets
        .into_iter()
        .map(|[supersedes, superseded_by, amends, amended_by, related]| Relations {
            supersedes: supersedes.into_iter().collect(),
            superseded_by: superseded_by.into_iter().collect(),
            amends: amends.into_iter().collect(),
            amended_by: amended_by.into_iter().collect(),
            related: related.into_iter().collect(),
        })
        .collect();
    report_cycles(pages, &relations, diagnostics);
    relations
}

/// A reference to a record that does not exist: an error, or a warning for imported content
/// (`[links] broken = "warn"`).
fn missing_record(
    page: &Page,
    key: &str,
    reference: &RecordRef,
    index: &RecordIndex,
    policy: LinkPolicy,
) -> Diagnostic {
    let (message, help) = match &reference.target {
        RefTarget::Number(number) if index.numbered(page, None, *number).len() > 1 => (
            format!(
                "`{key}` names {}, which more than one decision log has",
                reference.target
            ),
            format!("name its log: {}", with_logs(&index.logs_with(page, *number), *number)),
        ),
        RefTarget::Number(number) if !index.logs_with(page, *number).is_empty() => (
            format!(
                "`{key}` names {}, which its own decision log does not have",
                reference.target
            ),
            format!(
                "to name another log's record, name its log: {}",
                with_logs(&index.logs_with(page, *number), *number)
            ),
        ),
        _ => (
            format!("`{key}` names {}, which does not exist", reference.target),
            "check the number or file name against the decision log, or remove it".to_string(),
        ),
    };
    let diagnostic = match policy {
        LinkPolicy::Error => Diagnostic::error("missing-decision", message),
        LinkPolicy::Warn => Diagnostic::warning("missing-decision", message),
    };
    diagnostic.at(&page.source_text(), reference.span.clone()).help(help)
}

/// `"billing/3" or "ops/3"`: how to name record `number` in each of `logs`.
fn with_logs(logs: &[&str], number: u32) -> String {
    let named: Vec<String> = logs
        .iter()
        .map(|log| format!("\"{}/{number}\"", log.rsplit('/').next().unwrap_or(log)))
        .collect();
    named.join(" or ")
}

/// A record that supersedes itself through others cannot be current: report every cycle once,
/// at its first record.
fn report_cycles(pages: &[Arc<Page>], relations: &[Relations], diagnostics: &mut Diagnostics) {
    let mut reported: HashSet<Vec<usize>> = HashSet::new();
    for start in 0..pages.len() {
        let mut path = vec![start];
        let mut on_path = HashSet::from([start]);
        find_cycles(start, relations, &mut path, &mut on_path, &mut |cycle| {
            let mut members = cycle.to_vec();
            members.sort_unstable();
            if !reported.insert(members) {
                return;
            }
            let first = *cycle.iter().min().unwrap_or(&start);
            let chain: Vec<String> = cycle.iter().chain(cycle.first()).map(|&i| name(&pages[i])).collect();
            let page = &pages[first];
            diagnostics.push(
                Diagnostic::error(
                    "supersede-cycle",
                    format!("decisions supersede each other in a circle: {}", chain.join(" → ")),
                )
                .at(
                    &page.source_text(),
                    key_span(page, "supersedes")
                        .or_else(|| key_span(page, "superseded_by"))
                        .unwrap_or(0..0),
                )
                .help("a decision can only supersede older ones; remove one of the links"),
            );
        });
    }
}

fn find_cycles(
    at: usize,
    relations: &[Relations],
    path: &mut Vec<usize>,
    on_path: &mut HashSet<usize>,
    found: &mut dyn FnMut(&[usize]),
) {
    for &next in &relations[at].supersedes {
        if next == path[0] {
            found(path);
        } else if next > path[0] && on_path.insert(next) {
            // Only cycles whose smallest member is the start are followed from it, so each cycle
            // is walked from one place.
            path.push(next);
            find_cycles(next, relations, path, on_path, found);
            path.pop();
            on_path.remove(&next);
        }
    }
}

/// `decision 0007`, or the file name of a record without a number.
fn name(page: &Page) -> String {
    match page.decision().and_then(|d| d.number) {
        Some(number) => format!("decision {number:04}"),
        None => format!("`{}`", stem(&page.source)),
    }
}

/// A record that a later one supersedes is shown as superseded; if it says otherwise, warn.
pub(super) fn mark_superseded(pages: &mut [Arc<Page>], relations: &[Relations], diagnostics: &mut Diagnostics) {
    let stale: Vec<usize> = (0..pages.len())
        .filter(|&i| !relations[i].superseded_by.is_empty())
        .filter(|&i| {
            let status = pages[i].decision().and_then(|d| d.status.as_ref());
            !status.is_some_and(Status::is_superseded)
        })
        .collect();
    for i in stale {
        let replacement = name(&pages[relations[i].superseded_by[0]]);
        // The page is shared with `serve`'s cache, which keeps it as read: this copy is the site's.
        let page = Arc::make_mut(&mut pages[i]);
        let shown = page
            .decision()
            .and_then(|d| d.status.as_ref())
            .map_or("no status", Status::name)
            .to_string();
        let decision = page.decision();
        let span = decision.and_then(|d| d.status_at.clone()).unwrap_or(0..0);
        let help = match decision.and_then(|d| d.format) {
            Some(_) => "change its status to superseded; the site shows it as superseded meanwhile",
            None => "set `status = \"superseded\"`; the site shows it as superseded meanwhile",
        };
        diagnostics.push(
            Diagnostic::warning(
                "status-not-superseded",
                format!("this decision is superseded by {replacement} but says {shown}"),
            )
            .at(&page.source_text(), span)
            .help(help),
        );
        if let KindMeta::Decision(decision) = &mut page.meta {
            decision.status = Some(Status::superseded());
        }
    }
}

/// For each meeting, the decisions it made; meetings naming missing decisions are reported.
pub(super) fn decisions_made(
    pages: &[Arc<Page>],
    index: &RecordIndex,
    policy: LinkPolicy,
    diagnostics: &mut Diagnostics,
) -> HashMap<usize, Vec<usize>> {
    let mut made: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        let Some(meeting) = page.meeting() else { continue };
        for reference in &meeting.decisions {
            match index.find(page, &reference.target) {
                Some(Found::LeftOut) => {}
                Some(Found::Page(decision)) => made.entry(i).or_default().push(decision),
                None => diagnostics.push(missing_record(page, "decisions", reference, index, policy)),
            }
        }
    }
    made
}
