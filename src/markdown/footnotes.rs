//! Footnotes as GitHub shows them: each reference a superscript number linking to its note, and
//! the notes collected in one list at the end of the body, each with a link back to every
//! reference to it.
//!
//! Notes are numbered in the order they are first referred to. A note no reference names is
//! still listed, after the others, since its text may matter even if its reference was lost in
//! an edit; a reference to a note that does not exist stays as it was written (`[^x]`), as the
//! parser leaves it. Of two notes with one label, references go to the first, and the second is
//! listed like a note never referred to.
//!
//! The ids (`fn-label`, `fnref-label`, `fnref-label-2` for a second reference) are chosen when
//! the outline is read, with the heading ids, so that none clashes with a heading or with the
//! theme, and `#fn-label` links are checked like any anchor.

use std::collections::HashMap;

use pulldown_cmark::{Event, TagEnd, html};
use unicase::UniCase;

use super::html::escape;
use super::ids::IdAllocator;
use super::slugify;

/// The ids of a page's footnotes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footnotes {
    /// Each note, in the order its definition is written.
    notes: Vec<NoteIds>,
    /// The id of the heading of the list of notes.
    title: String,
}

/// The ids of one note: its own, and one for each reference to it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NoteIds {
    /// The label as written in its definition (`[^label]:`).
    label: String,
    id: String,
    /// For each reference, in order, the id of the reference (for its back-link).
    references: Vec<String>,
}

impl Footnotes {
    /// Chooses the ids of the notes whose definitions carry `definitions` (labels, in order),
    /// referred to by `references` (labels, in order), after every heading's. A link to the bare
    /// label (`#label`, the id this tool gave a note before) means the note.
    pub(super) fn allocate(definitions: &[String], references: &[String], ids: &mut IdAllocator) -> Footnotes {
        let mut counts: HashMap<UniCase<&str>, usize> = HashMap::new();
        for label in references {
            *counts.entry(UniCase::new(label.as_str())).or_default() += 1;
        }
        let mut notes = Vec::with_capacity(definitions.len());
        for label in definitions {
            let slug = match slugify(label) {
                slug if slug.is_empty() => "note".to_string(),
                slug => slug,
            };
            let id = ids.unique(format!("fn-{slug}"));
            // Only the first note of a label is referred to: `remove` leaves none for a second.
            let count = counts.remove(&UniCase::new(label.as_str())).unwrap_or(0);
            let references = (1..=count)
                .map(|n| match n {
                    1 => ids.unique(format!("fnref-{slug}")),
                    n => ids.unique(format!("fnref-{slug}-{n}")),
                })
                .collect();
            ids.aliases.push((label.clone(), id.clone()));
            notes.push(NoteIds {
                label: label.clone(),
                id,
                references,
            });
        }
        let title = if notes.is_empty() {
            String::new()
        } else {
            ids.unique("footnotes".to_string())
        };
        Footnotes { notes, title }
    }

    /// Every id the notes give the page.
    pub(super) fn ids(&self) -> impl Iterator<Item = &str> {
        let notes = self.notes.iter();
        let ids =
            notes.flat_map(|note| std::iter::once(note.id.as_str()).chain(note.references.iter().map(String::as_str)));
        ids.chain((!self.title.is_empty()).then_some(self.title.as_str()))
    }
}

/// The notes of a body being rendered: where each reference points, and the rendered events of
/// each note until they are written out at the end.
pub(super) struct Notes<'o, 'a> {
    footnotes: &'o Footnotes,
    /// For each label, as the parser matches labels (ignoring case), the notes that carry it.
    by_label: HashMap<UniCase<&'o str>, Vec<usize>>,
    /// The number of each note of `footnotes`, once it is referred to.
    numbers: Vec<Option<usize>>,
    /// The notes in the order they were numbered.
    numbered: Vec<usize>,
    /// How many references to each note were rendered.
    referred: Vec<usize>,
    /// The rendered events of each note, once its definition is read. Definitions the outline
    /// does not know (which would take a change to the parser) come after `footnotes`' notes.
    bodies: Vec<Option<Vec<Event<'a>>>>,
    /// How many definitions of each label were read.
    read: HashMap<UniCase<String>, usize>,
    /// The note whose definition is being read.
    open: Option<usize>,
}

impl<'o, 'a> Notes<'o, 'a> {
    pub(super) fn new(footnotes: &'o Footnotes) -> Self {
        let mut by_label: HashMap<UniCase<&str>, Vec<usize>> = HashMap::new();
        for (index, note) in footnotes.notes.iter().enumerate() {
            by_label
                .entry(UniCase::new(note.label.as_str()))
                .or_default()
                .push(index);
        }
        let count = footnotes.notes.len();
        Notes {
            footnotes,
            by_label,
            numbers: vec![None; count],
            numbered: Vec::new(),
            referred: vec![0; count],
            bodies: vec![None; count],
            read: HashMap::new(),
            open: None,
        }
    }

    /// The superscript link of a reference to the note `label`.
    pub(super) fn reference(&mut self, label: &str) -> Event<'a> {
        let Some(&index) = self.by_label.get(&UniCase::new(label)).and_then(|notes| notes.first()) else {
            return Event::Text(format!("[^{label}]").into());
        };
        let number = *self.numbers[index].get_or_insert_with(|| {
            self.numbered.push(index);
            self.numbered.len()
        });
        let note = &self.footnotes.notes[index];
        let id = note
            .references
            .get(self.referred[index])
            .map(|id| format!(" id=\"{}\"", escape(id)))
            .unwrap_or_default();
        self.referred[index] += 1;
        Event::Html(
            format!(
                "<sup class=\"footnote-ref\"><a href=\"#{}\"{id} aria-describedby=\"{}\">{number}</a></sup>",
                escape(&note.id),
                escape(&self.footnotes.title)
            )
            .into(),
        )
    }

    /// Starts reading the definition of the note `label`: the events pushed until
    /// [`Notes::close`] are its text.
    pub(super) fn open(&mut self, label: &str) {
        let seen = self.read.entry(UniCase::new(label.to_string())).or_default();
        let known = self
            .by_label
            .get(&UniCase::new(label))
            .and_then(|notes| notes.get(*seen));
        *seen += 1;
        let index = match known {
            Some(&index) => index,
            None => {
                self.bodies.push(None);
                self.bodies.len() - 1
            }
        };
        self.bodies[index] = Some(Vec::new());
        self.open = Some(index);
    }

    /// Ends the definition being read.
    pub(super) fn close(&mut self) {
        self.open = None;
    }

    /// Adds `event` to the note being read, or else to `main`.
    pub(super) fn push(&mut self, main: &mut Vec<Event<'a>>, event: Event<'a>) {
        match self.open.and_then(|index| self.bodies[index].as_mut()) {
            Some(body) => body.push(event),
            None => main.push(event),
        }
    }

    /// The list of notes, or `None` when the body has none: those referred to in the order of
    /// their numbers, then the others in the order written.
    pub(super) fn finish(mut self) -> Option<String> {
        let unreferred = (0..self.bodies.len()).filter(|index| self.numbers.get(*index).is_none_or(Option::is_none));
        let order: Vec<usize> = self.numbered.iter().copied().chain(unreferred).collect();
        let mut items = String::new();
        for index in order {
            let Some(body) = self.bodies[index].take() else {
                // Referred to, but its definition was in a block that is not shown.
                if self.numbers.get(index).is_some_and(Option::is_some) {
                    items.push_str(&format!(
                        "<li id=\"{}\"></li>\n",
                        escape(&self.footnotes.notes[index].id)
                    ));
                }
                continue;
            };
            items.push_str(&self.note(index, body));
        }
        if items.is_empty() {
            return None;
        }
        let title = escape(&self.footnotes.title);
        Some(format!(
            "<section class=\"footnotes\" aria-labelledby=\"{title}\">\n<h2 id=\"{title}\" class=\"visually-hidden\">Footnotes</h2>\n<ol>\n{items}</ol>\n</section>\n"
        ))
    }

    /// The list item of note `index`, whose text is `body`, with its back-links at the end of
    /// its last paragraph (or in one of their own when it does not end with one).
    fn note(&self, index: usize, mut body: Vec<Event<'a>>) -> String {
        let note = self.footnotes.notes.get(index);
        let id = note
            .map(|note| format!(" id=\"{}\"", escape(&note.id)))
            .unwrap_or_default();
        let number = self.numbers.get(index).copied().flatten();
        let references = note.map_or(&[][..], |note| {
            &note.references[..self.referred[index].min(note.references.len())]
        });
        let links: Vec<String> = references
            .iter()
            .enumerate()
            .map(|(n, reference)| {
                let (label, more) = match n {
                    0 => (number.unwrap_or_default().to_string(), String::new()),
                    n => (format!("{}-{}", number.unwrap_or_default(), n + 1), format!("<sup>{}</sup>", n + 1)),
                };
                format!(
                    "<a href=\"#{}\" class=\"footnote-backref\" aria-label=\"Back to reference {label}\">\u{21a9}\u{fe0e}{more}</a>",
                    escape(reference)
                )
            })
            .collect();
        if !links.is_empty() {
            let links = links.join(" ");
            match body.last() {
                Some(Event::End(TagEnd::Paragraph)) => {
                    body.insert(body.len() - 1, Event::Html(format!(" {links}").into()))
                }
                _ => body.push(Event::Html(format!("<p>{links}</p>\n").into())),
            }
        }
        let mut html = format!("<li{id}>\n");
        html::push_html(&mut html, body.into_iter());
        html.push_str("</li>\n");
        html
    }
}
