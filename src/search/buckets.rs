//! How `build` posts the documents' terms: into buckets that each hold whole term groups (see
//! [`group_of`]), a batch of documents at a time. A bucket is filled by one task at a time, so
//! no two threads' postings are ever merged; and since a group's dictionary shards need only
//! its own terms, each bucket makes its shards as soon as the last document is posted.
//!
//! At 10,000 pages the documents hold 1.75 million terms (122,000 distinct). Gathered per rayon
//! task and merged, as `serve` does once (see [`super::SearchIndex::new`]), each merge hashed
//! and moved the terms of one side again, and the build held the merged maps, the postings
//! sorted into a second map and every dictionary entry at once: the peak of the build was 27 MB
//! higher (263 MB, against 236 MB).

use std::collections::BTreeMap;
use std::hash::BuildHasher;

use rayon::prelude::*;

use super::document::Analyzed;
use super::postings::{Gathered, best_first, entry, posting};
use super::shards::{group_of, shard_files};
use crate::render::OutputFile;

/// Buckets: enough for two threads and more to share evenly, few enough that a batch's
/// documents are cut into runs of several terms per bucket.
const BUCKETS: usize = 64;

/// The postings of every term posted so far, by bucket; each posting holds the term's
/// weighted frequency until [`Buckets::shards`] knows the average length to saturate it by.
pub(super) struct Buckets {
    gathered: Vec<Gathered<String>>,
}

impl Buckets {
    pub(super) fn new() -> Buckets {
        Buckets {
            gathered: (0..BUCKETS).map(|_| Gathered::default()).collect(),
        }
    }

    /// Posts the terms of `analyzed`, which are documents `first` onwards, and empties them.
    pub(super) fn post(&mut self, first: usize, analyzed: &mut [Analyzed]) {
        let runs: Vec<Runs> = analyzed.par_iter().map(|a| Runs::new(&a.terms)).collect();
        (self.gathered.par_iter_mut().enumerate()).for_each(|(bucket, gathered)| {
            for (doc, (a, runs)) in analyzed.iter().zip(&runs).enumerate() {
                for (term, (tf, section)) in runs.of(bucket).map(|at| &a.terms[at]) {
                    let posting = posting(first + doc, *tf, *section);
                    match gathered.get_mut(term.as_str()) {
                        Some(list) => list.push(posting),
                        None => {
                            gathered.insert(term.clone(), vec![posting]);
                        }
                    }
                }
            }
        });
        // In parallel too: a batch's terms are 175,000 strings.
        analyzed.par_iter_mut().for_each(|a| a.terms = Vec::new());
    }

    /// Hands the dictionary shards of every term to `sink` (from any thread): each posting
    /// saturated by `saturation` (of the weighted frequency and the document), best first,
    /// among `count` documents. Returns the shards' keys by group.
    pub(super) fn shards(
        self,
        saturation: &(dyn Fn(f64, usize) -> f64 + Sync),
        count: usize,
        sink: &(dyn Fn(OutputFile) + Sync),
    ) -> BTreeMap<String, Vec<String>> {
        let keys: Vec<Vec<(String, Vec<String>)>> = (self.gathered.into_par_iter())
            .map(|gathered| {
                let mut terms: Vec<(String, Vec<_>)> = gathered.into_iter().collect();
                terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                let entries: Vec<(String, String)> = (terms.into_iter())
                    .map(|(term, mut list)| {
                        for posting in &mut list {
                            posting.1 = saturation(posting.1, posting.0 as usize);
                        }
                        list.sort_by(best_first);
                        let entry = entry(count, &list);
                        (term, entry)
                    })
                    .collect();
                let mut groups: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
                for (term, entry) in &entries {
                    groups.entry(group_of(term)).or_default().push((term, entry));
                }
                (groups.into_iter())
                    .map(|(group, entries)| {
                        let (keys, files) = shard_files(group, &entries);
                        files.into_iter().for_each(sink);
                        (group.to_string(), keys)
                    })
                    .collect()
            })
            .collect();
        keys.into_iter().flatten().collect()
    }
}

/// A document's terms by bucket: where each bucket's run starts in `order`, and the terms'
/// positions in that order (a counting sort, rather than moving the terms themselves).
struct Runs {
    starts: [u32; BUCKETS + 1],
    order: Vec<u32>,
}

impl Runs {
    fn new(terms: &[(String, (f64, i64))]) -> Runs {
        let buckets: Vec<u8> = terms.iter().map(|(term, _)| bucket_of(term)).collect();
        let mut starts = [0; BUCKETS + 1];
        for &bucket in &buckets {
            starts[usize::from(bucket) + 1] += 1;
        }
        for bucket in 0..BUCKETS {
            starts[bucket + 1] += starts[bucket];
        }
        let mut next = starts;
        let mut order = vec![0; terms.len()];
        for (at, &bucket) in buckets.iter().enumerate() {
            let slot = &mut next[usize::from(bucket)];
            order[*slot as usize] = at as u32;
            *slot += 1;
        }
        Runs { starts, order }
    }

    /// The positions of the terms in `bucket`.
    fn of(&self, bucket: usize) -> impl Iterator<Item = usize> + '_ {
        let run = &self.order[self.starts[bucket] as usize..self.starts[bucket + 1] as usize];
        run.iter().map(|&at| at as usize)
    }
}

/// The bucket of `term`: by its group, so that a group's terms are in one bucket.
fn bucket_of(term: &str) -> u8 {
    let hash = foldhash::fast::FixedState::with_seed(0).hash_one(group_of(term));
    (hash % BUCKETS as u64) as u8
}
