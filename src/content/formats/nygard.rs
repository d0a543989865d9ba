//! Michael Nygard's template as adr-tools writes it:
//!
//! ```markdown
//! # 2. Use a wiki
//!
//! Date: 2019-04-01
//!
//! ## Status
//!
//! Superceded by [3. Use Markdown in git](0003-use-markdown-in-git.md)
//! ```
//!
//! The number comes from the title, the date from a plain `Date:` line, and the `## Status`
//! section holds the status word and the relation lines (adr-tools spells them `Supercedes` and
//! `Superceded by`). The `Date:` line and the whole `## Status` section are then shown in the facts
//! box alone.

use super::document::{Document, Facts};
use super::reader::{self, Rules};
use super::{BodyFormat, BodyMetadata, Format};

/// See the module.
pub(super) struct Nygard;

impl BodyFormat for Nygard {
    fn format(&self) -> Format {
        Format::Nygard
    }

    /// A numbered title, a `## Status` section or a plain `Date:` line: what no other format
    /// writes without bullets.
    fn recognizes(&self, facts: &Facts) -> bool {
        facts.numbered_title || facts.plain_key_line || facts.has_status_section()
    }

    fn read(&self, doc: &Document<'_>) -> BodyMetadata {
        reader::read(doc, Rules::default())
    }
}
