//! Postings: which documents hold a term, and how strongly (BM25's term-frequency part, as
//! Lucene ranks), gathered from the analyzed documents and written as the dictionary's entries.

use std::collections::BTreeMap;

use foldhash::HashMap;
use rayon::prelude::*;

/// Postings kept per term, best first: enough to rank, small enough to load.
pub(super) const MAX_POSTINGS: usize = 400;
/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Scores are stored as integers: the BM25 score times this. A fixed scale (rather than one
/// relative to the best score in the handbook) means an edit changes only the postings of the
/// words it touches, which is what lets `serve` update the index in place.
const IMPACT_SCALE: f64 = 10.0;

/// A document, how strongly a term saturates it (BM25's term-frequency part, before the idf that
/// all postings of a term share), and the section the term occurs in most: 16 bytes, since a
/// large handbook holds millions (see [`posting`]).
pub(super) type Posting = (u32, f64, i32);

/// The posting of `doc` with `saturation` in `section`. Documents and sections past the 32-bit
/// range (billions of pages or headings, which no file system holds) share its last value.
pub(super) fn posting(doc: usize, saturation: f64, section: i64) -> Posting {
    let section = section.clamp(i32::MIN.into(), i32::MAX.into()) as i32;
    (doc_id(doc), saturation, section)
}

/// Document `doc`'s number in a [`Posting`].
fn doc_id(doc: usize) -> u32 {
    u32::try_from(doc).unwrap_or(u32::MAX)
}

/// Term → its postings, in any order, as gathered from the documents.
pub(super) type Gathered<T> = HashMap<T, Vec<Posting>>;

/// The postings (best first) and dictionary entries of the terms `gathered` from `count`
/// documents (term → postings, in any order). The entries are kept, each in just its length
/// (written, one has room for 16 bytes a posting: at 10,000 pages, 16 MB for 11 MB of text).
pub(super) fn posted<T: Into<String>>(
    gathered: Gathered<T>,
    count: usize,
) -> (BTreeMap<String, Vec<Posting>>, BTreeMap<String, Box<str>>) {
    let mut postings: BTreeMap<String, Vec<Posting>> =
        gathered.into_iter().map(|(term, list)| (term.into(), list)).collect();
    postings.par_iter_mut().for_each(|(_, list)| {
        list.sort_by(best_first);
        list.shrink_to_fit(); // lists grew by doubling: up to half of each is spare
    });
    let entries: Vec<(String, Box<str>)> = postings
        .par_iter()
        .map(|(term, list)| (term.clone(), entry(count, list).into()))
        .collect();
    (postings, entries.into_iter().collect())
}

/// Both gatherings of postings (term → postings) in one: the smaller is merged into the larger.
pub(super) fn merge_gathered<T: Eq + std::hash::Hash>(mut a: Gathered<T>, mut b: Gathered<T>) -> Gathered<T> {
    if a.len() < b.len() {
        std::mem::swap(&mut a, &mut b);
    }
    for (term, list) in b {
        a.entry(term).or_default().extend(list);
    }
    a
}

/// A term's dictionary entry among `count` documents: its document frequency, then its best
/// postings as (document, impact, section) triples.
pub(super) fn entry(count: usize, list: &[Posting]) -> String {
    let count = count as f64;
    let df = list.len();
    let idf = (1.0 + (count - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
    // Formatted with `itoa` rather than `write!`: a large handbook's entries hold millions of
    // numbers.
    let mut number = itoa::Buffer::new();
    let mut json = String::with_capacity(8 + 16 * list.len().min(MAX_POSTINGS));
    json.push('[');
    json.push_str(number.format(df));
    for &(doc, saturation, section) in list.iter().take(MAX_POSTINGS) {
        let impact = (saturation * idf * IMPACT_SCALE).round().max(1.0) as i64;
        for part in [i64::from(doc), impact, i64::from(section)] {
            json.push(',');
            json.push_str(number.format(part));
        }
    }
    json.push(']');
    json
}

/// How strongly a term with weighted frequency `tf` saturates a document of `length` (BM25's
/// term-frequency part).
pub(super) fn saturation(tf: f64, length: f64, average: f64) -> f64 {
    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length / average))
}

/// Higher saturation first, then lower document number.
pub(super) fn best_first(a: &Posting, b: &Posting) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}
