//! Whether a new reading of a page changes anything but its body: `serve` re-renders such a
//! page alone instead of resolving the whole site again.

use super::{ActionItem, KindMeta, Page, RecordRef};
use crate::markdown::Outline;

impl Page {
    /// Whether `other`, a new reading of the same file, differs from this one only in the text
    /// of its body and the links in it: then no other page, list, feed or index shows anything
    /// different, and `serve` re-renders this page alone. Headings (anchors), action items and
    /// metadata read from the body all count as seen; so does every byte of the front matter,
    /// which the diagnostics quote. Where in the body an action item or a reference is written
    /// does not count: only diagnostics show it, and `serve` checks those apart.
    pub fn differs_only_in_body(&self, other: &Page) -> bool {
        // Destructured in full so that a new field must be placed on one side or the other.
        let Page {
            file,
            source,
            path,
            role,
            title,
            date,
            updated,
            tags,
            draft,
            aliases,
            summary,
            weight,
            owner,
            visibility,
            team,
            extra,
            meta,
            text,
            body_start,
            // Read from the body with the metadata it gives, which `meta` compares (a meeting's
            // action items are in it too).
            consumed: _,
            outline,
            // Only `build` drops bodies, and it compares no pages.
            body_dropped: _,
        } = self;
        let Outline {
            leading_h1,
            headings,
            // Where the headings are written, as `consumed`.
            heading_spans: _,
            other_ids,
            // Chosen with the headings and other ids, which are compared.
            footnotes: _,
            links: _,
            html_links: _,
            action_items,
            // Where in the body action items are written, as `consumed`.
            plain_action_items: _,
            bad_due_dates: _,
            ids: _,
        } = outline;
        *file == other.file
            && *source == other.source
            && *path == other.path
            && *role == other.role
            && *title == other.title
            && *date == other.date
            && *updated == other.updated
            && *tags == other.tags
            && *draft == other.draft
            && *aliases == other.aliases
            && *summary == other.summary
            && *weight == other.weight
            && *owner == other.owner
            && *visibility == other.visibility
            && *team == other.team
            && *extra == other.extra
            && without_places(meta) == without_places(&other.meta)
            && text[..*body_start] == other.text[..other.body_start]
            && *leading_h1 == other.outline.leading_h1
            && *headings == other.outline.headings
            && *other_ids == other.outline.other_ids
            && action_items.len() == other.outline.action_items.len()
            && action_items.iter().zip(&other.outline.action_items).all(|(a, b)| {
                ActionItem {
                    line: b.line,
                    ..a.clone()
                } == *b
            })
    }
}

/// `meta` without the places its references and action items are written at.
fn without_places(meta: &KindMeta) -> KindMeta {
    let mut meta = meta.clone();
    let references: Vec<&mut RecordRef> = match &mut meta {
        KindMeta::Decision(d) => d
            .supersedes
            .iter_mut()
            .chain(&mut d.superseded_by)
            .chain(&mut d.amends)
            .chain(&mut d.amended_by)
            .chain(&mut d.related)
            .collect(),
        KindMeta::Meeting(m) => {
            m.action_items.iter_mut().for_each(|a| a.line = 0);
            m.decisions.iter_mut().collect()
        }
        KindMeta::Page | KindMeta::Protocol(_) | KindMeta::Person(_) => Vec::new(),
    };
    for reference in references {
        reference.span = 0..0;
    }
    meta
}
