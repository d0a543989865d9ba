//! MADR (Markdown Architectural Decision Records).
//!
//! MADR 2 writes its metadata as `*` bullets under the title (`* Status: accepted`,
//! `* Deciders: …`, `* Date: …`; MADR's ADR-0011 chose the asterisk) and a `Technical Story:` line;
//! MADR 3 and 4 keep it in front matter (`status: accepted`, `decision-makers: …`), which
//! [`crate::content::load`] reads, so their body is told only by MADR's section names. A status
//! may carry the relation: `* Status: superseded by [ADR-0005](0005-use-b.md)`.

use super::document::{Document, Facts};
use super::reader::{self, Rules};
use super::{BodyFormat, BodyMetadata, Format};

/// Section names only MADR (and Log4brains, a MADR) use.
const MADR_SECTIONS: [&str; 5] = [
    "context and problem statement",
    "decision drivers",
    "considered options",
    "decision outcome",
    "pros and cons of the options",
];

/// See the module.
pub(super) struct Madr;

impl BodyFormat for Madr {
    fn format(&self) -> Format {
        Format::Madr
    }

    /// Metadata bullets (those with `-`, or a `Tags:` bullet, are Log4brains', asked first), or
    /// MADR's sections in a body with nothing of Nygard's: a MADR 3/4 body has nothing else to tell.
    fn recognizes(&self, facts: &Facts) -> bool {
        let nygard = facts.numbered_title || facts.plain_key_line || facts.has_status_section();
        facts.bullet.is_some() || (!nygard && facts.sections.iter().any(|name| MADR_SECTIONS.contains(&name.as_str())))
    }

    fn read(&self, doc: &Document<'_>) -> BodyMetadata {
        reader::read(
            doc,
            Rules {
                bullet_fields: doc.facts.bullet.is_some(),
            },
        )
    }
}
