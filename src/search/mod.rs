//! The search index, built at build time and written as many small JavaScript files that the
//! browser loads on demand with `<script>` tags — the one way of loading data that works on any
//! host, at any sub-path and from `file://`.
//!
//! Terms are what [`analyze`] makes of text, in the handbook's language ([`language`]).
//!
//! Files under `search/` (each calls `handbookSearch.register(name, JSON.parse('…'))`):
//! - `meta.js`: document count, chunk size, the filter values, the language's stop words, the
//!   words that name a record's number (`adr`, `rfc`), and the characters terms start with;
//! - `k/<c>.js`: the keys of the dictionary shards whose terms start with the character `c`
//!   (file named as shards are);
//! - `stem.js`: the language's Snowball stemmer, when it has one;
//! - `t/<shard>.js`: the terms starting with one prefix (see [`shards`]), each with its postings
//!   (document, impact, code: see [`document::Analyzed`]), best first; the file of key `k` is
//!   `k` when it is plain ASCII, else `x` and its UTF-8 bytes in hex;
//! - `f/<facet>/<value>.js`: the documents of one kind, status, tag or year;
//! - `d/<n>.js`: title, address, kind, status and date of a few documents, loaded only for the
//!   results shown;
//! - `x/<n>.js`: tags, headings and the start of the text of a few documents, loaded only where
//!   excerpts are shown (the search page) or a phrase is checked.
//!
//! Documents are numbered newest first, so a filter-only search lists them in number order.

pub mod analyze;
mod buckets;
mod document;
mod facets;
pub mod fold;
mod kept;
pub mod language;
mod postings;
mod shards;

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashMapExt};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::render::views::Views;
use crate::render::{Contents, OutputFile};
use crate::resolve::Site;
use analyze::Analyzer;
use buckets::Buckets;
use document::{Analyzed, analyze, detail, document_order, summary};
use kept::{Kept, KeptDocuments, Terms};
use language::Language;
use postings::{Gathered, MAX_POSTINGS, Posting, best_first, entry, merge_gathered, posted, posting, saturation};
use shards::{file_id, group_of, script};

/// Documents per `d/<n>.js` file: small, since a query loads one file per result shown.
const CHUNK: usize = 4;
/// Documents per `x/<n>.js` file, whose documents are larger.
const DETAIL_CHUNK: usize = 2;
/// Documents `build` analyzes before posting their terms (see [`SearchIndex::write`]).
const BATCH: usize = 1024;
/// A three-letter group's dictionary shards: their keys, and their files.
type Shards = (Vec<String>, Vec<OutputFile>);

/// A file of the index that an update rewrote or removed.
#[derive(Debug)]
pub enum IndexChange {
    /// The file's new contents.
    Write(OutputFile),
    /// A dictionary shard that no longer exists, by its path.
    Remove(String),
}

/// The search index of a site, kept whole in memory so that `serve` can update it when page
/// bodies change. [`SearchIndex::files`] are the same whether the index was built at once or
/// updated: an update recomputes exactly what depends on the changed documents.
pub struct SearchIndex {
    /// How text becomes terms, in the handbook's language.
    analyzer: Analyzer,
    /// The page of each document, newest first.
    order: Vec<usize>,
    /// The document of each page in the index.
    doc_of: HashMap<usize, usize>,
    /// Each document, as analyzed.
    documents: Vec<Kept>,
    /// The terms the documents have, by number.
    terms: Terms,
    total_length: f64,
    /// The average document length BM25 normalizes by, rounded (see [`rounded_average`]).
    average: f64,
    /// Term → every posting, most saturated first.
    postings: BTreeMap<String, Vec<Posting>>,
    /// Term → its dictionary entry as JSON (`[df, doc, impact, section, …]`), kept so that an
    /// update serializes only the terms it touched; in order, so that a shard's terms are a range.
    entries: BTreeMap<String, Box<str>>,
    /// Dictionary shard keys by three-letter group.
    groups: BTreeMap<String, Vec<String>>,
    /// What `meta.js` registers.
    meta: Value,
    /// Every file of the index, by path: the fingerprint of its text (see [`crate::fingerprint`]),
    /// by which [`SearchIndex::put`] tells a file it made again from one that changed, without
    /// keeping the file.
    files: BTreeMap<String, Option<u128>>,
    /// The files made with new contents (`Some`), or removed (`None`), since the changes were
    /// last taken (see [`SearchIndex::take_changes`]).
    changed: BTreeMap<String, Option<OutputFile>>,
}

impl SearchIndex {
    /// Indexes the leaf pages of `site`, keeping what an update needs (see
    /// [`SearchIndex::update`]): what `serve` holds. Its files are its first changes (see
    /// [`SearchIndex::take_changes`]).
    pub fn new(site: &Site, views: &Views<'_>) -> SearchIndex {
        let mut index = SearchIndex::start(site);
        index.post_all();
        index.fill(site, views);
        index
    }

    /// Indexes the leaf pages of `site` and hands every file of the index to `sink` (from any
    /// thread), keeping nothing an update would need: what `build` does. Each batch of
    /// documents is posted as soon as it is analyzed (see [`Buckets`]), and each file is handed
    /// over as soon as it is made; the files are those of [`SearchIndex::new`].
    pub fn write(site: &Site, views: &Views<'_>, sink: &(dyn Fn(OutputFile) + Sync)) {
        let analyzer = Analyzer::new(Language::from_tag(&site.config.language));
        let order = document_order(site);
        // Documents are analyzed a batch at a time, and their terms posted and dropped, so that
        // memory holds the terms of one batch besides the postings.
        let mut buckets = Buckets::new();
        let mut analyzed: Vec<Analyzed> = Vec::with_capacity(order.len());
        for batch in order.chunks(BATCH) {
            let first = analyzed.len();
            analyzed.par_extend(batch.par_iter().map(|&i| analyze(&site.pages[i], &analyzer)));
            buckets.post(first, &mut analyzed[first..]);
        }
        let mut kept = KeptDocuments::with_capacity(order.len());
        kept.extend(analyzed);
        let mut index = SearchIndex::with(analyzer, order, kept);
        index.groups = buckets.shards(&|tf, doc| index.saturation(tf, doc), index.order.len(), sink);
        index.fill_documents(site, views, Some(sink));
        for file in std::mem::take(&mut index.changed).into_values().flatten() {
            sink(file);
        }
        analyze::forget_terms();
    }

    /// The documents of `site`, analyzed, before anything is posted. They are analyzed a batch
    /// at a time, and each batch kept (its terms numbered) at once, so that memory holds the
    /// terms of one batch as they come from the analyzer, as [`SearchIndex::write`] does: all of
    /// them at once raised the peak of `serve`'s start at 10,000 pages by some 10 MB.
    fn start(site: &Site) -> SearchIndex {
        let analyzer = Analyzer::new(Language::from_tag(&site.config.language));
        let order = document_order(site);
        let mut kept = KeptDocuments::with_capacity(order.len());
        for batch in order.chunks(BATCH) {
            let analyzed: Vec<Analyzed> = batch.par_iter().map(|&i| analyze(&site.pages[i], &analyzer)).collect();
            kept.extend(analyzed);
        }
        SearchIndex::with(analyzer, order, kept)
    }

    /// The index of the documents `order` (pages, newest first), `kept`, before anything is
    /// posted.
    fn with(analyzer: Analyzer, order: Vec<usize>, kept: KeptDocuments) -> SearchIndex {
        let KeptDocuments {
            documents,
            terms,
            total_length,
        } = kept;
        let mut index = SearchIndex {
            analyzer,
            doc_of: order.iter().enumerate().map(|(doc, &i)| (i, doc)).collect(),
            order,
            documents,
            terms,
            total_length,
            average: 0.0,
            postings: BTreeMap::new(),
            entries: BTreeMap::new(),
            groups: BTreeMap::new(),
            meta: Value::Null,
            files: BTreeMap::new(),
            changed: BTreeMap::new(),
        };
        index.average = index.rounded_average();
        index
    }

    /// Makes every file of the posted index, and keeps them.
    fn fill(&mut self, site: &Site, views: &Views<'_>) {
        let groups: BTreeSet<&str> = self.postings.keys().map(|t| group_of(t)).collect();
        let shards: Vec<(String, Shards)> = (groups.into_par_iter())
            .map(|group| (group.to_string(), self.shard_files(group)))
            .collect();
        for (group, (keys, files)) in shards {
            files.into_iter().for_each(|file| self.put(file));
            self.groups.insert(group, keys);
        }
        self.fill_documents(site, views, None);
    }

    /// Makes every file of the index but the dictionary shards, whose keys are in `groups`
    /// already: the document files go to `sink` when there is one, and are kept otherwise; the
    /// few files an update rewrites are kept.
    fn fill_documents(&mut self, site: &Site, views: &Views<'_>, sink: Option<&(dyn Fn(OutputFile) + Sync)>) {
        let made = |files: Vec<OutputFile>| -> Vec<OutputFile> {
            match sink {
                Some(sink) => {
                    files.into_par_iter().for_each(sink);
                    Vec::new()
                }
                None => files,
            }
        };
        let summaries = (0..self.order.len().div_ceil(CHUNK))
            .into_par_iter()
            .map(|n| self.chunk_file(site, views, n));
        let details = (0..self.order.len().div_ceil(DETAIL_CHUNK))
            .into_par_iter()
            .map(|n| self.detail_file(site, n));
        let files = made(summaries.chain(details).collect());
        files.into_iter().for_each(|file| self.put(file));
        self.meta = json!({
            "v": 1,
            "docs": self.order.len(),
            "chunk": CHUNK,
            "xchunk": DETAIL_CHUNK,
            "stop": self.analyzer.stop_words(),
            "idw": id_words(site, &self.analyzer),
        });
        if let Some(stemmer) = stemmer_script(self.analyzer.language()) {
            self.meta["stem"] = json!(true);
            self.put(stemmer);
        }
        let firsts: BTreeSet<char> = self.groups.keys().filter_map(|g| g.chars().next()).collect();
        self.write_key_lists(&firsts);
        self.write_facets(site, views);
    }

    /// Whether `site` numbers its documents as this index does, so that [`SearchIndex::update`]
    /// can bring the index up to date.
    pub fn same_documents(&self, site: &Site) -> bool {
        Language::from_tag(&site.config.language).code() == self.analyzer.language().code()
            && document_order(site) == self.order
    }

    /// Writes the filter files and `meta.js`, and drops filter values no document has any more.
    fn write_facets(&mut self, site: &Site, views: &Views<'_>) {
        let facets = facets::facets(site, views, &self.order);
        let mut written = BTreeSet::new();
        for (facet, values) in &facets {
            for (_, id, docs) in values.values() {
                let file = script(&format!("f/{facet}/{id}"), &json!(docs));
                written.insert(file.path.clone());
                self.put(file);
            }
        }
        let stale: Vec<String> = self
            .files
            .keys()
            .filter(|p| p.starts_with("search/f/") && !written.contains(*p))
            .cloned()
            .collect();
        for path in stale {
            self.remove(path);
        }
        self.meta["facets"] = json!(facets::facets_meta(&facets));
        self.put(script("meta", &self.meta));
    }

    /// The path of every file of the index.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The files made with new contents, or removed, since this was last called: after
    /// [`SearchIndex::new`], every file of the index.
    pub fn take_changes(&mut self) -> Vec<IndexChange> {
        (std::mem::take(&mut self.changed).into_iter())
            .map(|(path, file)| match file {
                Some(file) => IndexChange::Write(file),
                None => IndexChange::Remove(path),
            })
            .collect()
    }

    /// Re-indexes `pages` after they changed, in a site whose documents are still numbered the
    /// same (see [`SearchIndex::same_documents`]). `metadata` says whether their kinds, statuses,
    /// tags or dates may have changed too, which the filters show. Returns the files that changed.
    pub fn update(&mut self, site: &Site, views: &Views<'_>, pages: &[usize], metadata: bool) -> Vec<IndexChange> {
        let mut docs = BTreeSet::new();
        let mut old = Vec::new();
        for &page in pages {
            let Some(&doc) = self.doc_of.get(&page) else { continue };
            if !docs.insert(doc) {
                continue;
            }
            let new = Kept::new(analyze(&site.pages[page], &self.analyzer), &mut self.terms);
            let before = std::mem::replace(&mut self.documents[doc], new);
            self.total_length += self.documents[doc].length - before.length;
            old.push((doc, before));
        }
        let average = self.rounded_average();
        let groups: BTreeSet<String> = if average == self.average {
            let mut changed_terms = BTreeSet::new();
            for (doc, before) in &old {
                let numbers: BTreeSet<u32> = (before.terms().chain(self.documents[*doc].terms()))
                    .map(|(number, _, _)| number)
                    .collect();
                for number in numbers {
                    if self.repost(number, *doc, before) {
                        changed_terms.insert(group_of(self.terms.name(number)).to_string());
                    }
                }
            }
            changed_terms
        } else {
            // Every document's length normalization changed: score everything again.
            self.average = average;
            self.postings.clear();
            self.post_all();
            self.groups
                .keys()
                .cloned()
                .chain(self.postings.keys().map(|t| group_of(t).to_string()))
                .collect()
        };
        // The groups' shards are made in parallel: a body edit touches a hundred groups.
        let shards: Vec<(&String, Shards)> = (groups.par_iter())
            .map(|group| (group, self.shard_files(group)))
            .collect();
        for (group, (keys, files)) in shards {
            self.replace_shards(group, keys, files);
        }
        for chunk in docs.iter().map(|d| d / CHUNK).collect::<BTreeSet<_>>() {
            self.chunk(site, views, chunk);
        }
        for chunk in docs.iter().map(|d| d / DETAIL_CHUNK).collect::<BTreeSet<_>>() {
            self.detail_chunk(site, chunk);
        }
        self.write_key_lists(&groups.iter().filter_map(|g| g.chars().next()).collect());
        if metadata {
            self.write_facets(site, views);
        }
        self.take_changes()
    }

    /// Makes `file` part of the index, noting it as changed unless it is the same as before.
    /// The index's files are text, which has a fingerprint; anything else counts as changed.
    fn put(&mut self, file: OutputFile) {
        let fingerprint = match &file.contents {
            Contents::Text(text) => Some(crate::fingerprint::of(text.as_bytes())),
            _ => None,
        };
        let known = self.files.get(&file.path);
        if fingerprint.is_none() || known != Some(&fingerprint) {
            self.files.insert(file.path.clone(), fingerprint);
            self.changed.insert(file.path.clone(), Some(file));
        }
    }

    /// Takes the file at `path` out of the index, noting it as removed.
    fn remove(&mut self, path: String) {
        self.files.remove(&path);
        self.changed.insert(path, None);
    }

    /// The average length, rounded to one of 8 steps per doubling: small edits seldom move it,
    /// so they seldom change the score of words they do not contain.
    fn rounded_average(&self) -> f64 {
        let average = (self.total_length / self.order.len().max(1) as f64).max(1.0);
        ((average.log2() * 8.0).round() / 8.0).exp2()
    }

    /// How strongly a term with weighted frequency `tf` saturates document `doc`.
    fn saturation(&self, tf: f64, doc: usize) -> f64 {
        saturation(tf, self.documents[doc].length, self.average)
    }

    /// Posts every term of every analyzed document.
    fn post_all(&mut self) {
        let gathered = self
            .documents
            .par_iter()
            .enumerate()
            .fold(Gathered::<&str>::new, |mut gathered, (doc, kept)| {
                for (number, tf, section) in kept.terms() {
                    let posting = posting(doc, self.saturation(tf, doc), section);
                    gathered.entry(self.terms.name(number)).or_default().push(posting);
                }
                gathered
            })
            .reduce(HashMap::new, merge_gathered);
        (self.postings, self.entries) = posted(gathered, self.order.len());
    }

    /// Replaces the posting of `doc`, which was `before`, for term `number`. Returns whether
    /// the term's dictionary entry changed: it holds only the best postings and the document
    /// frequency, so a document that ranks low for a common word often leaves it as it was.
    fn repost(&mut self, number: u32, doc: usize, before: &Kept) -> bool {
        let old = (before.weight(number))
            .map(|(tf, section)| posting(doc, saturation(tf, before.length, self.average), section));
        let new =
            (self.documents[doc].weight(number)).map(|(tf, section)| posting(doc, self.saturation(tf, doc), section));
        if old == new {
            return false;
        }
        let term = self.terms.name(number);
        let count = self.order.len();
        let Some(list) = self.postings.get_mut(term) else {
            if let Some(new) = new {
                self.entries.insert(term.to_string(), entry(count, &[new]).into());
                self.postings.insert(term.to_string(), vec![new]);
            }
            return true;
        };
        let mut top = false;
        if let Some(old) = old {
            let at = list.partition_point(|p| best_first(p, &old).is_lt());
            let at = if list.get(at).is_some_and(|p| p.0 == old.0) {
                at
            } else {
                list.iter().position(|p| p.0 == old.0).unwrap_or(list.len())
            };
            if at < list.len() {
                list.remove(at);
                top |= at < MAX_POSTINGS;
            }
        }
        if let Some(new) = new {
            let at = list.partition_point(|p| best_first(p, &new).is_lt());
            list.insert(at, new);
            top |= at < MAX_POSTINGS;
        }
        let df_changed = old.is_some() != new.is_some();
        if list.is_empty() {
            self.postings.remove(term);
            self.entries.remove(term);
        } else if df_changed || top {
            let entry = entry(count, list);
            self.entries.insert(term.to_string(), entry.into());
        }
        df_changed || top
    }

    /// Puts the dictionary shards of the terms in three-letter `group`, whose keys are `keys` and
    /// files `files` (see [`SearchIndex::shard_files`]), in place of those it had.
    fn replace_shards(&mut self, group: &str, keys: Vec<String>, files: Vec<OutputFile>) {
        for file in files {
            self.put(file);
        }
        for old in self.groups.remove(group).unwrap_or_default() {
            if !keys.contains(&old) {
                self.remove(format!("search/t/{}.js", file_id(&old)));
            }
        }
        if !keys.is_empty() {
            self.groups.insert(group.to_string(), keys);
        }
    }

    /// The dictionary shards of the terms in three-letter `group`: their keys, and their files.
    fn shard_files(&self, group: &str) -> Shards {
        let entries: Vec<(&str, &str)> = self
            .entries
            .range::<str, _>((std::ops::Bound::Included(group), std::ops::Bound::Unbounded))
            .map(|(term, entry)| (term.as_str(), &**entry))
            .take_while(|(term, _)| term.starts_with(group))
            .filter(|(term, _)| group_of(term) == group)
            .collect();
        shards::shard_files(group, &entries)
    }

    /// Writes `d/<n>.js`, the summaries of documents `n * CHUNK` onwards.
    fn chunk(&mut self, site: &Site, views: &Views<'_>, n: usize) {
        let file = self.chunk_file(site, views, n);
        self.put(file);
    }

    /// `d/<n>.js`, the summaries of documents `n * CHUNK` onwards.
    fn chunk_file(&self, site: &Site, views: &Views<'_>, n: usize) -> OutputFile {
        let docs: Vec<Value> = (n * CHUNK..((n + 1) * CHUNK).min(self.order.len()))
            .map(|doc| summary(site, views, self.order[doc]))
            .collect();
        script(&format!("d/{n}"), &Value::Array(docs))
    }

    /// Writes `x/<n>.js`, the details of documents `n * DETAIL_CHUNK` onwards.
    fn detail_chunk(&mut self, site: &Site, n: usize) {
        let file = self.detail_file(site, n);
        self.put(file);
    }

    /// `x/<n>.js`, the details of documents `n * DETAIL_CHUNK` onwards.
    fn detail_file(&self, site: &Site, n: usize) -> OutputFile {
        let docs: Vec<Value> = (n * DETAIL_CHUNK..((n + 1) * DETAIL_CHUNK).min(self.order.len()))
            .map(|doc| detail(&site.pages[self.order[doc]], &self.documents[doc].text))
            .collect();
        script(&format!("x/{n}"), &Value::Array(docs))
    }

    /// Writes `k/<c>.js`, the keys of the dictionary shards whose terms start with `c`, for each
    /// character in `firsts`, and removes the lists no key is left in. A query loads the list of
    /// each of its words' first characters, rather than every key with the metadata: at 10,000
    /// pages the keys would weigh 30 KB.
    fn write_key_lists(&mut self, firsts: &BTreeSet<char>) {
        for &first in firsts {
            let start = first.to_string();
            let keys: Vec<&String> = self
                .groups
                .range(start.clone()..)
                .take_while(|(group, _)| group.starts_with(first))
                .flat_map(|(_, keys)| keys)
                .collect();
            let name = format!("k/{}", file_id(&start));
            if keys.is_empty() {
                let path = format!("search/{name}.js");
                if self.files.contains_key(&path) {
                    self.remove(path);
                }
            } else {
                let file = script(&name, &json!(keys));
                self.put(file);
            }
        }
        let all: BTreeSet<char> = self.groups.keys().filter_map(|g| g.chars().next()).collect();
        let all: String = all.into_iter().collect();
        if self.meta["first"] != all.as_str() {
            self.meta["first"] = json!(all);
            self.put(script("meta", &self.meta));
        }
    }
}

/// Words a query may put before a record's number (`ADR 7`, `RFC-1216`, `Entscheidung 7`), as
/// terms: the usual names of decision records, in the languages search stems, and the words of
/// each decision log's name (`rfcs`).
fn id_words(site: &Site, analyzer: &Analyzer) -> BTreeSet<String> {
    const NAMES: &str = "adr adrs rfc rfcs dr record records number no nr decision decisions décision \
        décisions decisión decisiones decisão decisões decisione decisioni entscheidung entscheidungen \
        besluit besluiten beslut beslutning beslutninger registro registros päätös karar решение απόφαση";
    let logs = site.pages.iter().filter_map(|p| p.decision()).map(|d| d.log.as_str());
    let mut words = BTreeSet::new();
    for text in [NAMES].into_iter().chain(logs) {
        analyzer.tokens(text, &mut None, &mut |t| {
            if t.kind == analyze::Kind::Word {
                words.insert(t.term.to_owned());
            }
        });
    }
    words
}

/// `search/stem.js`: the language's Snowball stemmer (the vendored runtime and algorithm, see
/// `themes/default/stemmers/README.md`), registered as `stem`.
fn stemmer_script(language: &Language) -> Option<OutputFile> {
    let name = language.stemmer_name()?;
    let base = crate::render::theme::default_file("stemmers/base-stemmer.js")?;
    let algorithm = crate::render::theme::default_file(&format!("stemmers/{name}-stemmer.js"))?;
    let class = stemmer_class(name);
    let text = format!(
        "(function(){{\nvar BaseStemmer,{class};\n{}\n;\n{}\n;\nvar stemmer=new {class}();\nhandbookSearch.register(\"stem\",function(word){{return stemmer.stemWord(word);}});\n}})();\n",
        String::from_utf8_lossy(&base),
        String::from_utf8_lossy(&algorithm),
    );
    Some(OutputFile {
        path: "search/stem.js".into(),
        contents: Contents::Text(text),
    })
}

/// The constructor the Snowball compiler names after an algorithm: `english` → `EnglishStemmer`.
fn stemmer_class(name: &str) -> String {
    let mut chars = name.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase()).into_iter();
    first.chain(chars).chain("Stemmer".chars()).collect()
}
