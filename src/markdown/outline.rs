//! The outline of a page: its first heading, heading ids, links and action items, read once when
//! the page is loaded.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, RefDefs, Tag, TagEnd};

use super::action_items::{BadDueDate, ItemDraft};
use super::footnotes::Footnotes;
use super::ids::{IdAllocator, IdIndex};
use super::punctuation::flags_as_written;
use super::raw_links::{HtmlLink, RawHtmlReader};
use crate::content::ActionItem;

/// A heading and the id its anchor gets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text, without markup.
    pub text: String,
    /// The unique id of the heading in its page.
    pub id: String,
}

/// A link or image in the body, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The destination as written (`../decisions/0007-x.md#why`).
    pub dest: String,
    /// Whether it is an image.
    pub image: bool,
    /// Whether it is a wiki-link (`[[target]]`), whose destination names a page rather than a file.
    pub wiki: bool,
    /// Where the link is, in bytes of the whole file.
    pub span: Range<usize>,
    /// Where its destination is written, when that is elsewhere: the reference definition
    /// (`[r]: https://…`) of a reference link.
    pub definition: Option<Range<usize>>,
}

/// What loading learns from a page's body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// The text of a level-1 heading that opens the body, usable as the page title.
    pub leading_h1: Option<String>,
    /// Every heading, in order, with unique ids.
    pub headings: Vec<Heading>,
    /// Where each of `headings` is written, in bytes of the whole file: what loading finds a
    /// body's sections by, without parsing it again.
    pub heading_spans: Vec<Range<usize>>,
    /// Ids other than headings' that `#anchors` may target (footnotes, raw HTML `id`s).
    pub other_ids: Vec<String>,
    /// The ids of the footnotes, chosen with the headings' so that none clash.
    pub footnotes: Footnotes,
    /// Every link and image.
    pub links: Vec<LinkRef>,
    /// The URLs in raw HTML (`<img src>`, `<a href>`), which resolving checks when the HTML is
    /// shown at all (`[markdown] raw_html`).
    pub html_links: Vec<HtmlLink>,
    /// Task-list items, read as action items.
    pub action_items: Vec<ActionItem>,
    /// The bytes (of the whole file) of each action item that is nothing but its words, which
    /// a meeting's list of action items shows in full (see `ItemDraft::observe`).
    pub plain_action_items: Vec<Range<usize>>,
    /// Due dates of action items that could not be read, for the diagnostics of a meeting.
    pub bad_due_dates: Vec<BadDueDate>,
    /// `headings` and `other_ids` indexed for [`Outline::find_id`], built by [`scan`].
    pub(crate) ids: IdIndex,
}

impl Outline {
    /// The id in the page that `anchor` means: the same id, the one a heading asking for an id
    /// of the theme's got instead, or else one that differs only in case.
    pub fn find_id(&self, anchor: &str) -> Option<&str> {
        self.ids.find(anchor)
    }
}

/// Reads the outline of `body`, which starts at byte `offset` of `text` (the whole file).
pub fn scan(text: &str, offset: usize, options: Options) -> Outline {
    let body = &text[offset..];
    let mut outline = Outline::default();
    let mut ids = IdAllocator::default();
    let mut heading: Option<(u8, Option<String>, String, Range<usize>)> = None;
    let mut item: Option<ItemDraft> = None;
    let mut item_depth = 0usize;
    let mut lines = LineCounter::default();
    let mut seen_block = false;
    let mut definitions = Vec::new();
    let mut references = Vec::new();
    let mut raw_html = RawHtmlReader::default();

    let mut events = super::bracketed::Events::new(body, options);
    while let Some((event, range)) = events.next() {
        let event = flags_as_written(event, &range, body);
        if let Some(draft) = &mut item {
            draft.observe(&event);
        }
        raw_html.read(&event, text, offset + range.start..offset + range.end, &mut outline);
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let span = offset + range.start..offset + range.end;
                heading = Some((heading_level(level), id.map(|i| i.to_string()), String::new(), span));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, custom_id, text, span)) = heading.take() {
                    let text = text.trim().to_string();
                    if level == 1 && !seen_block && outline.leading_h1.is_none() && !text.is_empty() {
                        outline.leading_h1 = Some(text.clone());
                    }
                    let id = ids.unique(custom_id.unwrap_or_else(|| slugify(&text)));
                    outline.headings.push(Heading { level, text, id });
                    outline.heading_spans.push(span);
                }
                seen_block = true;
            }
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                id,
                ..
            }) => {
                let mut found = link(dest_url, false, offset, range);
                found.wiki = matches!(link_type, LinkType::WikiLink { .. });
                found.definition = definition(events.reference_definitions(), link_type, &id, offset);
                outline.links.push(found);
            }
            Event::Start(Tag::Image {
                dest_url,
                link_type,
                id,
                ..
            }) => {
                let mut found = link(dest_url, true, offset, range);
                found.definition = definition(events.reference_definitions(), link_type, &id, offset);
                outline.links.push(found);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => definitions.push(label.to_string()),
            Event::FootnoteReference(label) => references.push(label.to_string()),
            Event::TaskListMarker(done) => {
                let start = offset + range.start;
                item = Some(ItemDraft {
                    done,
                    line: lines.line_of(text, start),
                    start,
                    text: String::new(),
                    plain: true,
                });
                item_depth = 0;
            }
            Event::Start(Tag::List(_)) if item.is_some() => item_depth += 1,
            Event::End(TagEnd::List(_)) if item.is_some() => item_depth = item_depth.saturating_sub(1),
            Event::End(TagEnd::Item) if item.is_some() && item_depth == 0 => {
                if let Some(draft) = item.take() {
                    if draft.plain {
                        outline
                            .plain_action_items
                            .push(offset + range.start..offset + range.end);
                    }
                    let (found, bad) = draft.finish(text, offset + range.end);
                    outline.action_items.push(found);
                    outline.bad_due_dates.extend(bad);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text, _)) = &mut heading {
                    text.push_str(&t);
                }
                if let Some(draft) = &mut item
                    && item_depth == 0
                {
                    draft.text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(draft) = &mut item {
                    draft.text.push(' ');
                }
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::List(_) | TagEnd::CodeBlock | TagEnd::Table | TagEnd::BlockQuote(_),
            ) => {
                seen_block = true;
            }
            Event::Rule => seen_block = true,
            _ => {}
        }
    }
    outline.footnotes = Footnotes::allocate(&definitions, &references, &mut ids);
    outline.other_ids.extend(outline.footnotes.ids().map(str::to_string));
    let headings = outline.headings.iter().map(|h| h.id.as_str());
    let all = headings.chain(outline.other_ids.iter().map(String::as_str));
    outline.ids = IdIndex::new(all, &ids.aliases);
    // Every page keeps its outline, and the lists grew by doubling: up to half of each was spare.
    outline.headings.shrink_to_fit();
    outline.heading_spans.shrink_to_fit();
    outline.links.shrink_to_fit();
    outline.action_items.shrink_to_fit();
    outline
}

fn link(dest: CowStr<'_>, image: bool, offset: usize, range: Range<usize>) -> LinkRef {
    LinkRef {
        dest: dest.to_string(),
        image,
        wiki: false,
        span: offset + range.start..offset + range.end,
        definition: None,
    }
}

/// Where the reference definition of a reference link labelled `label` is, in bytes of the
/// whole file.
fn definition(definitions: &RefDefs<'_>, link_type: LinkType, label: &str, offset: usize) -> Option<Range<usize>> {
    if !matches!(
        link_type,
        LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
    ) {
        return None;
    }
    let span = &definitions.get(label)?.span;
    Some(offset + span.start..offset + span.end)
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// The anchor id of a heading, as GitHub makes it: lowercase, punctuation dropped, spaces to
/// hyphens. Links written for GitHub's rendering therefore keep working.
pub fn slugify(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Turns byte offsets into 1-based line numbers, counting each newline once as long as the
/// offsets asked about grow (as a parser's events do), so a page of many items takes linear time.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: usize,
}

impl LineCounter {
    /// The line of `text` that holds byte `offset`.
    fn line_of(&mut self, text: &str, offset: usize) -> usize {
        if offset < self.offset {
            *self = LineCounter::default();
        }
        self.newlines += text.as_bytes()[self.offset..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.offset = offset;
        self.newlines + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn outline(body: &str) -> Outline {
        scan(body, 0, crate::markdown::options(true))
    }

    #[test]
    fn headings_get_unique_github_style_ids() {
        let o = outline("# Title\n\n## Why we do it?\n\n## Why we do it?\n\n### Custom {#mine}\n");
        let ids: Vec<&str> = o.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["title", "why-we-do-it", "why-we-do-it-1", "mine"]);
        assert_eq!(o.leading_h1.as_deref(), Some("Title"));
        assert_eq!(o.find_id("Why-We-Do-It"), Some("why-we-do-it"));
    }

    #[test]
    fn repeated_headings_are_numbered_as_github_numbers_them() {
        let ids = |body: &str| -> Vec<String> { outline(body).headings.into_iter().map(|h| h.id).collect() };
        assert_eq!(
            ids("## same\n## same\n## same-1\n## same\n## same-1\n"),
            ["same", "same-1", "same-1-1", "same-2", "same-1-2"]
        );
        // A heading that spells a number first takes it; the next repeat skips it.
        assert_eq!(
            ids("## same-1\n## same\n## same\n## same\n"),
            ["same-1", "same", "same-2", "same-3"]
        );
        assert_eq!(ids("## !!!\n## ?\n"), ["section", "section-1"]);
        let many = ids(&"## same\n".repeat(1000));
        assert_eq!(many.len(), 1000);
        assert_eq!((many[0].as_str(), many[999].as_str()), ("same", "same-999"));
        assert_eq!(many.iter().collect::<std::collections::HashSet<_>>().len(), 1000);
    }

    #[test]
    fn action_items_know_their_lines_and_bad_due_dates_their_bytes() {
        let text = "+++\n+++\n- [ ] a\n- [ ] b (due 2026-02-30)\n\n- [x] c\n";
        let o = scan(text, 8, crate::markdown::options(true));
        let lines: Vec<usize> = o.action_items.iter().map(|a| a.line).collect();
        assert_eq!(lines, [3, 4, 6]);
        assert_eq!(o.bad_due_dates.len(), 1);
        assert_eq!(&text[o.bad_due_dates[0].span.clone()], "2026-02-30");
    }

    #[test]
    fn flags_in_headings_and_action_items_keep_their_hyphens() {
        let o = outline("## Build with --release -- fast\n\n- [ ] @ana Try --locked -- now\n");
        assert_eq!(o.headings[0].text, "Build with --release – fast");
        assert_eq!(
            o.headings[0].id, "build-with---release--fast",
            "the flag's hyphens stay"
        );
        assert_eq!(o.action_items[0].text, "Try --locked – now");
    }

    #[test]
    fn only_an_opening_h1_is_a_title() {
        assert_eq!(outline("Intro.\n\n# Later\n").leading_h1, None);
    }

    #[test]
    fn links_keep_file_offsets() {
        let text = "+++\n+++\nSee [x](a.md#b) and ![i](p.png).\n";
        let o = scan(text, 8, crate::markdown::options(true));
        assert_eq!(o.links.len(), 2);
        assert_eq!(o.links[0].dest, "a.md#b");
        assert_eq!(&text[o.links[0].span.clone()], "[x](a.md#b)");
        assert!(o.links[1].image);
        assert_eq!(o.links[0].definition, None);
    }

    #[test]
    fn reference_links_know_their_definition() {
        let text = "See [x][r] and ![i][R].\n\n[r]: https://example.com\n";
        let o = outline(text);
        let definition = o.links[0].definition.clone().unwrap();
        assert_eq!(&text[definition], "[r]: https://example.com");
        assert_eq!(o.links[1].definition, o.links[0].definition);
    }

    #[test]
    fn action_items_have_owner_due_date_and_state() {
        let body = "Notes\n\n- [ ] @alice Draft the rota (due 2026-12-01)\n- [x] @bob: Share notes\n- [ ] Nobody's job\n  - nested detail\n- plain item\n";
        let o = outline(body);
        assert_eq!(o.action_items.len(), 3);
        let first = &o.action_items[0];
        assert_eq!(first.owner.as_deref(), Some("alice"));
        assert_eq!(first.text, "Draft the rota");
        assert_eq!(first.due, Some(date(2026, 12, 1)));
        assert_eq!((first.done, first.line), (false, 3));
        assert_eq!(o.action_items[1].owner.as_deref(), Some("bob"));
        assert!(o.action_items[1].done);
        assert_eq!(o.action_items[2].owner, None);
        assert_eq!(o.action_items[2].text, "Nobody’s job");
    }

    #[test]
    fn ids_from_footnotes_and_html() {
        let o = outline("Text[^1] <span id=\"here\"></span>\n\n[^1]: Note.\n");
        assert_eq!(o.find_id("here"), Some("here"));
        assert_eq!(o.find_id("fn-1"), Some("fn-1"));
        assert_eq!(o.find_id("fnref-1"), Some("fnref-1"));
        assert_eq!(o.find_id("1"), Some("fn-1"), "the id a note had before");
        assert_eq!(o.find_id("footnotes"), Some("footnotes"));
        assert_eq!(o.find_id("nowhere"), None);
    }

    #[test]
    fn footnote_ids_clash_with_no_heading() {
        let text = "## Fn 1\n\n## Footnotes\n\n## Fnref note\n\nA[^1] b[^1] c[^Note] d[^!].\n\n[^1]: One.\n[^note]: Two.\n[^note]: Again.\n[^!]: Odd.\n";
        let o = outline(text);
        let headings: Vec<&str> = o.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(headings, ["fn-1", "footnotes", "fnref-note"]);
        assert_eq!(
            o.other_ids,
            [
                "fn-1-1",
                "fnref-1",
                "fnref-1-2",
                "fn-note",
                "fnref-note-1",
                "fn-note-1",
                "fn-note-2",
                "fnref-note-2",
                "footnotes-1"
            ]
        );
        assert_eq!(o.find_id("note"), Some("fn-note"));
    }
}
