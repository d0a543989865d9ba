//! Telling a wiki-link from a Markdown link whose text is in brackets.
//!
//! With wiki-links on, pulldown-cmark reads `[[docs]](https://example.org)` as the wiki-link
//! `[[docs]]` followed by the text `(https://example.org)`. GitHub, GitLab and CommonMark read a
//! link to `https://example.org` whose text is `[docs]`, and that is what a writer means: a
//! wiki-link is never followed by a destination. [`Events`] gives the parser's events with that
//! link read again without wiki-links, so that loading (which checks links) and rendering see it
//! alike.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, OffsetIter, Options, Parser, RefDefs, Tag, TagEnd};

/// An event of the parser, with its byte range in the text.
type Ranged<'a> = (Event<'a>, Range<usize>);

/// The parser's events over `text`, with their byte ranges in it.
pub(super) struct Events<'a> {
    parser: OffsetIter<'a>,
    text: &'a str,
    options: Options,
    /// Events already read, to give before reading on.
    queue: VecDeque<Ranged<'a>>,
}

impl<'a> Events<'a> {
    pub(super) fn new(text: &'a str, options: Options) -> Self {
        Events {
            parser: Parser::new_ext(text, options).into_offset_iter(),
            text,
            options,
            queue: VecDeque::new(),
        }
    }

    /// The reference definitions (`[r]: https://…`) of the text.
    pub(super) fn reference_definitions(&self) -> &RefDefs<'_> {
        self.parser.reference_definitions()
    }

    /// After the start of the wiki-link at `wiki` that a `(` follows: the events of the Markdown
    /// link it begins, when it begins one, else the wiki-link's own, to give in its place.
    fn reread(&mut self, start: Ranged<'a>) -> Vec<Ranged<'a>> {
        let wiki = start.1.clone();
        let mut original = vec![start];
        for (event, range) in self.parser.by_ref() {
            let end = matches!(event, Event::End(TagEnd::Link));
            original.push((event, range));
            if end {
                break;
            }
        }
        let Some((mut link, end)) = markdown_link(self.text, wiki.start, self.options) else {
            return original;
        };
        // The text after `]]` up to the link's end is in the link now; an element that starts
        // in it (which the link's destination cannot hold) means another reading.
        for (event, range) in self.parser.by_ref() {
            let inside = range.start < end && !matches!(event, Event::End(_));
            match event {
                Event::Text(text) if inside && range.end > end => {
                    let cut = end - range.start;
                    if text.len() != range.len() || !text.is_char_boundary(cut) {
                        original.push((Event::Text(text), range));
                        return original;
                    }
                    let rest = match text {
                        pulldown_cmark::CowStr::Borrowed(text) => text[cut..].into(),
                        other => other[cut..].to_string().into(),
                    };
                    link.push((Event::Text(rest), end..range.end));
                    return link;
                }
                Event::Text(_) if inside => original.push((event, range)),
                _ if inside => {
                    original.push((event, range));
                    return original;
                }
                _ => {
                    link.push((event, range));
                    return link;
                }
            }
        }
        link
    }
}

impl<'a> Iterator for Events<'a> {
    type Item = Ranged<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(queued) = self.queue.pop_front() {
            return Some(queued);
        }
        let (event, range) = self.parser.next()?;
        let wiki = matches!(
            &event,
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                ..
            })
        );
        if !(wiki && self.text.get(range.end..).is_some_and(|rest| rest.starts_with('('))) {
            return Some((event, range));
        }
        self.queue = self.reread((event, range)).into();
        self.queue.pop_front()
    }
}

/// The events of the Markdown link that starts at byte `at` of `text`, up to its end, and the
/// byte where it ends, when one does. The link is read on its own line, which holds its
/// destination (a title over two lines is the one link this misses).
fn markdown_link(text: &str, at: usize, options: Options) -> Option<(Vec<Ranged<'_>>, usize)> {
    let line_end = text[at..].find('\n').map_or(text.len(), |end| at + end);
    let mut events = Parser::new_ext(&text[at..line_end], options - Options::ENABLE_WIKILINKS)
        .into_offset_iter()
        .skip_while(|(event, _)| matches!(event, Event::Start(Tag::Paragraph)));
    let (start, range) = events.next()?;
    if !matches!(start, Event::Start(Tag::Link { .. })) || range.start != 0 {
        return None;
    }
    let shift = |range: Range<usize>| at + range.start..at + range.end;
    let end = at + range.end;
    let mut link = vec![(start, shift(range))];
    for (event, range) in events {
        let last = matches!(event, Event::End(TagEnd::Link));
        link.push((event, shift(range)));
        if last {
            return Some((link, end));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> String {
        let mut out = String::new();
        pulldown_cmark::html::push_html(
            &mut out,
            Events::new(markdown, super::super::options(false)).map(|(event, _)| event),
        );
        out
    }

    #[test]
    fn a_link_whose_text_is_in_brackets_is_a_link() {
        assert_eq!(
            html("See [[docs]](https://example.org) and *[[a|b]](x.md)*, [[wiki]].\n"),
            "<p>See <a href=\"https://example.org\">[docs]</a> and <em><a href=\"x.md\">[a|b]</a></em>, <a href=\"wiki\">wiki</a>.</p>\n"
        );
        assert_eq!(
            html("| a |\n|---|\n| [[docs]](y.md) |\n"),
            "<table><thead><tr><th>a</th></tr></thead><tbody>\n<tr><td><a href=\"y.md\">[docs]</a></td></tr>\n</tbody></table>\n"
        );
    }

    #[test]
    fn a_wiki_link_before_other_brackets_stays_one() {
        assert_eq!(
            html("[[wiki]](not a link\n"),
            "<p><a href=\"wiki\">wiki</a>(not a link</p>\n"
        );
        assert_eq!(html("[[wiki]]()"), "<p><a href=\"\">[wiki]</a></p>\n");
    }

    #[test]
    fn ranges_stay_the_texts() {
        let text = "x [[docs]](https://example.org) y\n";
        let events: Vec<_> = Events::new(text, super::super::options(false)).collect();
        let link = events
            .iter()
            .find(|(event, _)| matches!(event, Event::Start(Tag::Link { .. })))
            .unwrap();
        assert_eq!(&text[link.1.clone()], "[[docs]](https://example.org)");
        let after = events
            .iter()
            .find(|(event, _)| matches!(event, Event::Text(t) if t.as_ref() == " y"))
            .unwrap();
        assert_eq!(&text[after.1.clone()], " y");
    }
}
