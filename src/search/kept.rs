//! What `serve`'s search index keeps of each document between edits, to post its terms again
//! when the document or the average length changes: its terms by number rather than as a map of
//! strings. At 10,000 pages the documents hold 1.75 million terms: as maps of strings, about
//! 150 MB by the maps' capacities and their keys' allocations; by number, 16 bytes each.

use std::sync::Arc;

use foldhash::HashMap;

use super::document::Analyzed;

/// Every term the index has met, numbered in the order met. Terms are never forgotten: an edit
/// brings few new ones.
#[derive(Default)]
pub(super) struct Terms {
    numbers: HashMap<Arc<str>, u32>,
    names: Vec<Arc<str>>,
}

impl Terms {
    /// The number of `term`, given it when it is new.
    fn number(&mut self, term: &str) -> u32 {
        if let Some(&number) = self.numbers.get(term) {
            return number;
        }
        let number = u32::try_from(self.names.len()).expect("fewer than 4 billion distinct terms");
        let name: Arc<str> = term.into();
        self.numbers.insert(name.clone(), number);
        self.names.push(name);
        number
    }

    /// The term numbered `number`.
    pub(super) fn name(&self, number: u32) -> &str {
        &self.names[number as usize]
    }
}

/// Documents kept so far, in order, with the terms they number and the sum of their weighted
/// lengths: what an index gathers a batch of analyzed documents at a time (see
/// [`super::SearchIndex`]'s `start`).
pub(super) struct KeptDocuments {
    pub(super) documents: Vec<Kept>,
    pub(super) terms: Terms,
    /// Added in the documents' order, so that it is the same however they were batched.
    pub(super) total_length: f64,
}

impl KeptDocuments {
    /// None yet, with room for `documents`.
    pub(super) fn with_capacity(documents: usize) -> KeptDocuments {
        KeptDocuments {
            documents: Vec::with_capacity(documents),
            terms: Terms::default(),
            total_length: 0.0,
        }
    }

    /// Keeps `analyzed`, the next documents in order.
    pub(super) fn extend(&mut self, analyzed: Vec<Analyzed>) {
        for document in analyzed {
            self.total_length += document.length;
            self.documents.push(Kept::new(document, &mut self.terms));
        }
    }
}

/// One term of a kept document: its number, its section code and its weighted frequency (see
/// [`Analyzed::terms`]). The section is kept as a posting holds it (see
/// [`super::postings::posting`]).
#[derive(Debug, Clone, Copy)]
struct KeptTerm {
    number: u32,
    section: i32,
    tf: f64,
}

/// A document as the index keeps it: its terms, its weighted length and the start of its text.
pub(super) struct Kept {
    /// By number, ascending.
    terms: Vec<KeptTerm>,
    /// Weighted length, in words.
    pub(super) length: f64,
    /// The start of the text, for excerpts.
    pub(super) text: String,
}

impl Kept {
    /// `analyzed`, its terms numbered in `terms`.
    pub(super) fn new(analyzed: Analyzed, terms: &mut Terms) -> Kept {
        // Into a list of its own: collected from the analyzed terms, the list would reuse their
        // allocation in place, and keep 40 bytes a term rather than 16 (at 10,000 pages, 70 MB
        // rather than 28 MB of `serve`'s memory).
        let mut kept = Vec::with_capacity(analyzed.terms.len());
        kept.extend(analyzed.terms.into_iter().map(|(term, (tf, section))| KeptTerm {
            number: terms.number(&term),
            section: section.clamp(i32::MIN.into(), i32::MAX.into()) as i32,
            tf,
        }));
        kept.sort_unstable_by_key(|term| term.number);
        Kept {
            terms: kept,
            length: analyzed.length,
            text: analyzed.text,
        }
    }

    /// The weighted frequency and section code of term `number` here, if the document has it.
    pub(super) fn weight(&self, number: u32) -> Option<(f64, i64)> {
        let at = self.terms.binary_search_by_key(&number, |term| term.number).ok()?;
        let term = self.terms[at];
        Some((term.tf, term.section.into()))
    }

    /// Each term's number, weighted frequency and section code.
    pub(super) fn terms(&self) -> impl Iterator<Item = (u32, f64, i64)> + '_ {
        self.terms
            .iter()
            .map(|term| (term.number, term.tf, term.section.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_document_gives_back_each_term_as_analyzed() {
        let mut terms = Terms::default();
        let analyzed = |pairs: &[(&str, f64, i64)]| Analyzed {
            terms: pairs.iter().map(|&(t, tf, s)| (t.to_string(), (tf, s))).collect(),
            length: 3.0,
            text: "text".into(),
        };
        let first = Kept::new(analyzed(&[("queue", 2.0, 1), ("log", 6.0, -3)]), &mut terms);
        let second = Kept::new(analyzed(&[("log", 1.0, i64::MAX), ("cache", 1.0, 0)]), &mut terms);
        let number = |name: &str| (0..3).find(|&n| terms.name(n) == name).unwrap();
        assert_eq!(first.weight(number("queue")), Some((2.0, 1)));
        assert_eq!(first.weight(number("log")), Some((6.0, -3)));
        assert_eq!(first.weight(number("cache")), None);
        // A section past 32 bits is kept as a posting holds it.
        assert_eq!(second.weight(number("log")), Some((1.0, i32::MAX.into())));
        let listed: Vec<u32> = second.terms().map(|(n, _, _)| n).collect();
        assert!(listed.windows(2).all(|w| w[0] < w[1]), "{listed:?}");
        assert_eq!((second.length, second.text.as_str()), (3.0, "text"));
        // Each term takes what a kept term takes, not what an analyzed one took.
        assert_eq!(second.terms.capacity(), 2);
    }
}
