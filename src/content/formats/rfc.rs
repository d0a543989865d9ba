//! Rust-style RFCs: a list of `- Key: value` bullets before the first heading.
//!
//! ```markdown
//! - Feature Name: `private_fields`
//! - Start Date: 2014-03-11
//! - RFC PR: [rust-lang/rfcs#1](https://github.com/rust-lang/rfcs/pull/1)
//! - Rust Issue: [rust-lang/rust#8122](https://github.com/rust-lang/rust/issues/8122)
//! ```
//!
//! `Start Date` is the date; every other key is kept as written and shown, links and all, in the
//! facts box, and the list is left out of the body. An RFC has no status: being merged is its
//! acceptance (see [`BodyFormat::has_status`]).

use super::document::{Document, Facts};
use super::keys::normalize_key;
use super::reader::{self, Rules};
use super::{BodyFormat, BodyMetadata, Format};

/// See the module.
pub(super) struct Rfc;

impl BodyFormat for Rfc {
    fn format(&self) -> Format {
        Format::Rfc
    }

    /// A header key only RFCs use; the rust-lang/rfcs headers have dozens of others besides.
    fn recognizes(&self, facts: &Facts) -> bool {
        facts.has_key(is_rfc_key)
    }

    fn read(&self, doc: &Document<'_>) -> BodyMetadata {
        reader::read(doc, Rules { bullet_fields: true })
    }

    fn has_status(&self) -> bool {
        false
    }
}

/// Keys that only RFC headers use.
fn is_rfc_key(key: &str) -> bool {
    let key = normalize_key(key);
    key.starts_with("rfc pr")
        || key.starts_with("erfc pr")
        || key.starts_with("rust issue")
        || key == "start date"
        || key == "feature name"
}
