//! Log4brains, a patched MADR 2: `- Status:`, `- Date:`, `- Deciders:` and `- Tags:` bullets
//! under the title (`- Status: superseded by [20201016-slug](20201016-slug.md)`), and a
//! `## Links` section of relation bullets (`- Supersedes [x](y)`, `- Refined by [x](y)`).
//! Relation bullets are shown in the facts box; a `## Links` section left with other links stays.

use super::document::{Document, Facts};
use super::keys::Key;
use super::reader::{self, Rules};
use super::{BodyFormat, BodyMetadata, Format};

/// See the module.
pub(super) struct Log4brains;

impl BodyFormat for Log4brains {
    fn format(&self) -> Format {
        Format::Log4brains
    }

    /// Metadata bullets marked `-` (MADR uses `*`), or a `Tags:` bullet, which only Log4brains'
    /// template has.
    fn recognizes(&self, facts: &Facts) -> bool {
        facts
            .bullet
            .is_some_and(|marker| marker == '-' || facts.has_known_key(Key::Tags))
    }

    fn read(&self, doc: &Document<'_>) -> BodyMetadata {
        reader::read(doc, Rules { bullet_fields: true })
    }
}
