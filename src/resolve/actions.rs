//! Action items across meetings. `handbook new meeting --series` copies the open items of a
//! series' last meeting into the next one, so one item is written in several summaries; it is
//! still one item, with one owner, one due date and one state: those of the newest meeting that
//! lists it. Everything that counts or lists items (the action-items page, person pages, the
//! home page, `check`) goes through [`TrackedAction`], so a carried item counts once.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;

use crate::content::{ActionItem, Page};

/// Every action item of a site once, and which item each meeting's listing is.
#[derive(Debug, Clone, Default)]
pub struct Actions {
    /// The items, in the order they were first raised.
    pub all: Vec<TrackedAction>,
    by_step: HashMap<ActionStep, usize>,
}

impl Actions {
    /// The item that meeting `meeting`'s `item`th action item is.
    pub fn at(&self, meeting: usize, item: usize) -> Option<&TrackedAction> {
        self.by_step.get(&ActionStep { meeting, item }).map(|&i| &self.all[i])
    }
}

/// One action item, as every meeting that lists it wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedAction {
    /// The meetings that list it, oldest first: where it was raised, then each it was carried
    /// to. Never empty.
    pub steps: Vec<ActionStep>,
}

/// An action item as one meeting lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ActionStep {
    /// The meeting's page index.
    pub meeting: usize,
    /// The item's index in that meeting's `action_items`.
    pub item: usize,
}

impl TrackedAction {
    /// The newest meeting's listing, whose owner, due date and state are the item's.
    pub fn latest(&self) -> ActionStep {
        *self.steps.last().expect("a tracked action is listed somewhere")
    }

    /// The item as the newest meeting lists it.
    pub fn item<'a>(&self, pages: &'a [Arc<Page>]) -> &'a ActionItem {
        step_item(pages, self.latest())
    }
}

/// The item that `step` names.
pub fn step_item(pages: &[Arc<Page>], step: ActionStep) -> &ActionItem {
    &pages[step.meeting].meeting().expect("steps name meetings").action_items[step.item]
}

/// The action items of every meeting, carried ones joined: in a series, an item of a later
/// meeting with the same owner and the same words (case, spacing and a final full stop aside)
/// as an item of an earlier meeting is that item carried over. Meetings outside a series carry
/// nothing. Items are in the order they were first raised.
pub(super) fn track(pages: &[Arc<Page>]) -> Actions {
    let mut meetings: Vec<(usize, Option<Date>)> = pages
        .iter()
        .enumerate()
        .filter(|(_, page)| page.meeting().is_some_and(|m| !m.action_items.is_empty()))
        .map(|(i, page)| (i, page.date))
        .collect();
    // Oldest first; pages are sorted by source, which breaks ties the same way every build.
    meetings.sort_by_key(|&(i, date)| (date, i));
    let mut tracked: Vec<TrackedAction> = Vec::new();
    let mut by_key: HashMap<(String, Option<String>, String), usize> = HashMap::new();
    for (index, _) in meetings {
        let meeting = pages[index].meeting().expect("filtered to meetings");
        for (item_index, item) in meeting.action_items.iter().enumerate() {
            let step = ActionStep {
                meeting: index,
                item: item_index,
            };
            let series = meeting.series.as_deref().map(crate::routes::slug_segment);
            let known = series.map(|series| (series, item.owner.clone(), words(&item.text)));
            // Two items of one meeting with the same words are two items, and an item done
            // is not carried (`new meeting` copies open ones): the same words later are new.
            let carried = known
                .as_ref()
                .and_then(|key| by_key.get(key).copied())
                .filter(|&t| tracked[t].latest().meeting != index && !tracked[t].item(pages).done);
            match carried {
                Some(t) => tracked[t].steps.push(step),
                None => {
                    if let Some(key) = known {
                        by_key.insert(key, tracked.len());
                    }
                    tracked.push(TrackedAction { steps: vec![step] });
                }
            }
        }
    }
    let by_step = tracked
        .iter()
        .enumerate()
        .flat_map(|(i, action)| action.steps.iter().map(move |&step| (step, i)))
        .collect();
    Actions { all: tracked, by_step }
}

/// The words of an item's text, compared case-insensitively and without a final full stop.
fn words(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches('.')
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn words_ignore_case_spacing_and_a_final_full_stop() {
        assert_eq!(words("Draft  the rota."), words("draft the Rota"));
        assert_ne!(words("Draft the rota"), words("Draft the rotas"));
    }
}
