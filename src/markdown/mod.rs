//! Markdown: reading a page's outline when it is loaded, and turning it into HTML when it is
//! rendered.
//!
//! The body is parsed twice on purpose. Loading only needs the outline (title, headings, links,
//! action items) so that links can be resolved across the whole site; rendering needs the
//! resolved links. Parsing is cheap next to keeping a second copy of every page's events.

mod action_items;
mod body;
mod bracketed;
mod footnotes;
mod highlight;
mod html;
mod ids;
mod outline;
mod punctuation;
mod raw_links;
mod sanitize;

pub use action_items::BadDueDate;
pub use body::{Body, hide_headings, shown_as_action_items};
pub use footnotes::Footnotes;
pub use highlight::{Highlighter, forget_highlighted};
pub(crate) use html::escape;
pub use html::{HtmlOptions, LinkRewrite, cut_at_word, inline_html, plain_text, to_html};
pub use outline::{Heading, LinkRef, Outline, scan, slugify};
pub use raw_links::{HtmlLink, ShownHtmlUrls};

use pulldown_cmark::Options;

/// The Markdown extensions every page is parsed with.
pub fn options(smart_punctuation: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_GFM;
    if smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}
