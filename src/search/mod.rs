//! The search index, built at build time and written as many small JavaScript files that the
//! browser loads on demand with `<script>` tags — the one way of loading data that works on any
//! host, at any sub-path and from `file://`.
//!
//! Files under `search/` (each calls `handbookSearch.register(name, JSON.parse('…'))`):
//! - `meta.js`: document count, chunk size, the dictionary shard keys and the filter values;
//! - `t/<shard>.js`: the terms starting with one prefix (three letters, more where that would
//!   be a large file), each with its postings (document, impact, section), best first; the
//!   file of key `k` is `k` when it is plain ASCII, else `x` and its UTF-8 bytes in hex;
//! - `f/<facet>/<value>.js`: the documents of one kind, status, tag or year;
//! - `d/<n>.js`: title, address, metadata and the start of the text of a few documents, loaded
//!   only for the results shown.
//!
//! Documents are numbered newest first, so a filter-only search lists them in number order.

mod facets;
mod tokens;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use pulldown_cmark::{Event, Tag, TagEnd};
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::content::{Page, Role};
use crate::render::views::Views;
use crate::render::{Contents, OutputFile};
use crate::resolve::Site;
pub use tokens::{STOP_WORDS, stem, tokens};

/// Documents per `d/<n>.js` file: small, since a query loads one file per result shown.
const CHUNK: usize = 3;
/// Postings kept per term, best first: enough to rank, small enough to load.
const MAX_POSTINGS: usize = 400;
/// Characters of each document's text kept for excerpts and phrase checks.
const TEXT_CHARS: usize = 600;
/// Field weights: a word in the title counts six times, in a heading, tag or record field
/// (`Feature Name: never_type`) twice.
const TITLE_WEIGHT: f64 = 6.0;
const HEADING_WEIGHT: f64 = 2.0;
/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Scores are stored as integers: the BM25 score times this. A fixed scale (rather than one
/// relative to the best score in the handbook) means an edit changes only the postings of the
/// words it touches, which is what lets `serve` update the index in place.
const IMPACT_SCALE: f64 = 10.0;

/// A document, how strongly a term saturates it (BM25's term-frequency part, before the idf that
/// all postings of a term share), and the section the term occurs in most.
type Posting = (usize, f64, i64);

/// What one document contributes to the index.
struct Analyzed {
    /// Term → weighted frequency and the section it occurs in most (-1: before any heading).
    terms: HashMap<String, (f64, i64)>,
    /// Weighted length.
    length: f64,
    text: String,
}

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
    /// The page of each document, newest first.
    order: Vec<usize>,
    /// The document of each page in the index.
    doc_of: HashMap<usize, usize>,
    analyzed: Vec<Analyzed>,
    total_length: f64,
    /// The average document length BM25 normalizes by, rounded (see [`rounded_average`]).
    average: f64,
    /// Term → every posting, most saturated first.
    postings: BTreeMap<String, Vec<Posting>>,
    /// Term → its dictionary entry as JSON (`[df, doc, impact, section, …]`), kept so that an
    /// update serializes only the terms it touched.
    entries: HashMap<String, String>,
    /// Dictionary shard keys by three-letter group.
    groups: BTreeMap<String, Vec<String>>,
    /// What `meta.js` registers.
    meta: Value,
    /// Every file of the index, by path.
    files: BTreeMap<String, OutputFile>,
    /// The files written with new contents, or removed, since the last update.
    changed: BTreeSet<String>,
}

impl SearchIndex {
    /// Indexes the leaf pages of `site`.
    pub fn new(site: &Site, views: &Views<'_>) -> SearchIndex {
        let order = document_order(site);
        let analyzed: Vec<Analyzed> = order.par_iter().map(|&i| analyze(&site.pages[i])).collect();
        let total_length = analyzed.iter().map(|a| a.length).sum();
        let mut index = SearchIndex {
            doc_of: order.iter().enumerate().map(|(doc, &i)| (i, doc)).collect(),
            order,
            analyzed,
            total_length,
            average: 0.0,
            postings: BTreeMap::new(),
            entries: HashMap::new(),
            groups: BTreeMap::new(),
            meta: Value::Null,
            files: BTreeMap::new(),
            changed: BTreeSet::new(),
        };
        index.average = index.rounded_average();
        index.post_all();
        let groups: BTreeSet<String> = index.postings.keys().map(|t| group_of(t)).collect();
        for group in groups {
            index.shard_group(&group);
        }
        for n in 0..index.order.len().div_ceil(CHUNK) {
            index.chunk(site, views, n);
        }
        index.meta = json!({
            "v": 1,
            "docs": index.order.len(),
            "chunk": CHUNK,
            "shards": index.groups.values().flatten().collect::<BTreeSet<_>>(),
            "stop": STOP_WORDS,
        });
        index.write_facets(site, views);
        index.changed.clear();
        index
    }

    /// Whether `site` numbers its documents as this index does, so that [`SearchIndex::update`]
    /// can bring the index up to date.
    pub fn same_documents(&self, site: &Site) -> bool {
        document_order(site) == self.order
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
            self.files.remove(&path);
            self.changed.insert(path);
        }
        self.meta["facets"] = json!(facets::facets_meta(&facets));
        self.put(script("meta", &self.meta));
    }

    /// Every file of the index.
    pub fn files(&self) -> impl Iterator<Item = &OutputFile> {
        self.files.values()
    }

    /// Every file of the index, taken.
    pub fn into_files(self) -> impl Iterator<Item = OutputFile> {
        self.files.into_values()
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
            let new = analyze(&site.pages[page]);
            let before = std::mem::replace(&mut self.analyzed[doc], new);
            self.total_length += self.analyzed[doc].length - before.length;
            old.push((doc, before));
        }
        let average = self.rounded_average();
        let groups: BTreeSet<String> = if average == self.average {
            let mut changed_terms = BTreeSet::new();
            for (doc, before) in &old {
                let terms: BTreeSet<String> = before
                    .terms
                    .keys()
                    .chain(self.analyzed[*doc].terms.keys())
                    .cloned()
                    .collect();
                for term in &terms {
                    if self.repost(term, *doc, before) {
                        changed_terms.insert(group_of(term));
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
                .chain(self.postings.keys().map(|t| group_of(t)))
                .collect()
        };
        let keys_before: BTreeSet<String> = self.groups.values().flatten().cloned().collect();
        for group in &groups {
            self.shard_group(group);
        }
        for chunk in docs.iter().map(|d| d / CHUNK).collect::<BTreeSet<_>>() {
            self.chunk(site, views, chunk);
        }
        let keys: BTreeSet<String> = self.groups.values().flatten().cloned().collect();
        if keys != keys_before {
            self.rewrite_shard_list(&keys);
        }
        if metadata {
            self.write_facets(site, views);
        }
        std::mem::take(&mut self.changed)
            .into_iter()
            .map(|path| match self.files.get(&path) {
                Some(file) => IndexChange::Write(file.clone()),
                None => IndexChange::Remove(path),
            })
            .collect()
    }

    /// Stores `file`, noting it as changed unless it is the same as before.
    fn put(&mut self, file: OutputFile) {
        if self.files.get(&file.path).is_none_or(|old| !same(old, &file)) {
            self.changed.insert(file.path.clone());
            self.files.insert(file.path.clone(), file);
        }
    }

    /// The average length, rounded to one of 8 steps per doubling: small edits seldom move it,
    /// so they seldom change the score of words they do not contain.
    fn rounded_average(&self) -> f64 {
        let average = (self.total_length / self.order.len().max(1) as f64).max(1.0);
        ((average.log2() * 8.0).round() / 8.0).exp2()
    }

    /// How strongly a term with weighted frequency `tf` saturates document `doc`.
    fn saturation(&self, tf: f64, doc: usize) -> f64 {
        saturation(tf, self.analyzed[doc].length, self.average)
    }

    fn post_all(&mut self) {
        let mut postings: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
        for (doc, a) in self.analyzed.iter().enumerate() {
            for (term, &(tf, section)) in &a.terms {
                let posting = (doc, self.saturation(tf, doc), section);
                match postings.get_mut(term) {
                    Some(list) => list.push(posting),
                    None => {
                        postings.insert(term.clone(), vec![posting]);
                    }
                }
            }
        }
        postings.par_iter_mut().for_each(|(_, list)| list.sort_by(best_first));
        self.entries = postings
            .par_iter()
            .map(|(term, list)| (term.clone(), entry(self.order.len(), list)))
            .collect();
        self.postings = postings;
    }

    /// Replaces the posting of `doc`, which was `before`, for `term`. Returns whether the
    /// term's dictionary entry changed: it holds only the best postings and the document
    /// frequency, so a document that ranks low for a common word often leaves it as it was.
    fn repost(&mut self, term: &str, doc: usize, before: &Analyzed) -> bool {
        let old = before
            .terms
            .get(term)
            .map(|&(tf, section)| (doc, saturation(tf, before.length, self.average), section));
        let new = self.analyzed[doc]
            .terms
            .get(term)
            .map(|&(tf, section)| (doc, self.saturation(tf, doc), section));
        let count = self.order.len();
        let Some(list) = self.postings.get_mut(term) else {
            if let Some(new) = new {
                self.entries.insert(term.to_string(), entry(count, &[new]));
                self.postings.insert(term.to_string(), vec![new]);
            }
            return true;
        };
        let mut top = false;
        if let Some(old) = old {
            let at = list.partition_point(|p| best_first(p, &old).is_lt());
            let at = if list.get(at).is_some_and(|p| p.0 == doc) {
                at
            } else {
                list.iter().position(|p| p.0 == doc).unwrap_or(list.len())
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
            self.entries.insert(term.to_string(), entry);
        }
        df_changed || top
    }

    /// Writes the dictionary shards of the terms in three-letter `group`.
    fn shard_group(&mut self, group: &str) {
        let entries: Vec<(&str, &str)> = self
            .postings
            .range::<str, _>((std::ops::Bound::Included(group), std::ops::Bound::Unbounded))
            .map(|(term, _)| term.as_str())
            .take_while(|term| term.starts_with(group))
            .filter(|term| group_of(term) == group)
            .filter_map(|term| Some((term, self.entries.get(term)?.as_str())))
            .collect();
        let mut shards = BTreeMap::new();
        shard(entries, 3, &mut shards);
        let keys: Vec<String> = shards.keys().cloned().collect();
        let files: Vec<OutputFile> = shards
            .into_iter()
            .map(|(key, terms)| {
                // Entries are numbers only: just the terms need quoting.
                let size: usize = terms.iter().map(|(t, e)| t.len() + e.len() + 4).sum();
                let mut quoted = String::with_capacity(size + 2);
                quoted.push('{');
                for (i, (term, entry)) in terms.into_iter().enumerate() {
                    if i > 0 {
                        quoted.push(',');
                    }
                    quote_into(&mut quoted, &Value::from(term).to_string());
                    quoted.push(':');
                    quoted.push_str(entry);
                }
                quoted.push('}');
                script_quoted(&format!("t/{}", file_id(&key)), &quoted)
            })
            .collect();
        for file in files {
            self.put(file);
        }
        for old in self.groups.remove(group).unwrap_or_default() {
            if !keys.contains(&old) {
                let path = format!("search/t/{}.js", file_id(&old));
                self.files.remove(&path);
                self.changed.insert(path);
            }
        }
        if !keys.is_empty() {
            self.groups.insert(group.to_string(), keys);
        }
    }

    /// Writes `d/<n>.js`, documents `n * CHUNK` onwards.
    fn chunk(&mut self, site: &Site, views: &Views<'_>, n: usize) {
        let docs: Vec<Value> = (n * CHUNK..((n + 1) * CHUNK).min(self.order.len()))
            .map(|doc| document(site, views, self.order[doc], &self.analyzed[doc].text))
            .collect();
        self.put(script(&format!("d/{n}"), &Value::Array(docs)));
    }

    /// Rewrites the list of dictionary shards in `meta.js`.
    fn rewrite_shard_list(&mut self, keys: &BTreeSet<String>) {
        self.meta["shards"] = json!(keys);
        self.put(script("meta", &self.meta));
    }
}

/// A term's dictionary entry among `count` documents: its document frequency, then its best
/// postings as (document, impact, section) triples.
fn entry(count: usize, list: &[Posting]) -> String {
    use std::fmt::Write;
    let count = count as f64;
    let df = list.len();
    let idf = (1.0 + (count - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
    let mut json = format!("[{df}");
    for &(doc, saturation, section) in list.iter().take(MAX_POSTINGS) {
        let impact = (saturation * idf * IMPACT_SCALE).round().max(1.0) as u64;
        write!(json, ",{doc},{impact},{section}").ok();
    }
    json.push(']');
    json
}

/// How strongly a term with weighted frequency `tf` saturates a document of `length` (BM25's
/// term-frequency part).
fn saturation(tf: f64, length: f64, average: f64) -> f64 {
    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length / average))
}

/// The leaf pages of `site` as numbered documents: newest first, then by title.
fn document_order(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].role == Role::Leaf)
        .collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&site.pages[a], &site.pages[b]);
        b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title))
    });
    order
}

/// Higher saturation first, then lower document number.
fn best_first(a: &Posting, b: &Posting) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The three-letter group of a term (the term itself when shorter).
fn group_of(term: &str) -> String {
    term.chars().take(3).collect()
}

fn same(a: &OutputFile, b: &OutputFile) -> bool {
    match (&a.contents, &b.contents) {
        (Contents::Text(a), Contents::Text(b)) => a == b,
        _ => false,
    }
}

/// Counts the weighted terms of a page: title, headings (remembering the section each body word
/// is in, so results can link to the best heading) and body.
fn analyze(page: &Page) -> Analyzed {
    let mut terms: HashMap<String, (f64, i64)> = HashMap::new();
    let mut per_section: HashMap<(String, i64), f64> = HashMap::new();
    let mut length = 0.0;
    let mut add = |term: String, weight: f64, section: i64, length: &mut f64| {
        *length += weight;
        *per_section.entry((term.clone(), section)).or_insert(0.0) += weight;
        terms.entry(term).or_insert((0.0, section)).0 += weight;
    };
    for term in tokens(&page.title) {
        add(term, TITLE_WEIGHT, -1, &mut length);
    }
    let fields = page
        .decision()
        .map(|d| d.fields.iter().map(|(_, v)| v.as_str()))
        .into_iter()
        .flatten();
    for text in page.tags.iter().map(String::as_str).chain(fields) {
        for term in tokens(text) {
            add(term, HEADING_WEIGHT, -1, &mut length);
        }
    }
    // A meeting's action items are shown above its text rather than in it.
    let items = page.meeting().map(|m| m.action_items.as_slice()).unwrap_or_default();
    for item in items {
        for term in item.owner.iter().chain([&item.text]).flat_map(|text| tokens(text)) {
            add(term, 1.0, -1, &mut length);
        }
    }
    let mut text = String::new();
    let mut section: i64 = -1;
    let mut in_heading = false;
    for (event, _) in page.markdown().events(crate::markdown::options(false)) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                section += 1;
                in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) => {
                let weight = if in_heading { HEADING_WEIGHT } else { 1.0 };
                for term in tokens(&t) {
                    add(term, weight, section, &mut length);
                }
                if text.len() < TEXT_CHARS * 4 {
                    text.push_str(&t);
                    text.push(' ');
                }
            }
            Event::End(_) | Event::SoftBreak | Event::HardBreak if !text.ends_with(' ') => text.push(' '),
            _ => {}
        }
    }
    // Each term points at the section where it occurs most.
    let mut best: HashMap<&str, (f64, i64)> = HashMap::new();
    for ((term, section), weight) in &per_section {
        let entry = best.entry(term.as_str()).or_insert((0.0, *section));
        if *weight > entry.0 || (*weight == entry.0 && *section < entry.1) {
            *entry = (*weight, *section);
        }
    }
    for (term, (_, section)) in terms.iter_mut() {
        *section = best.get(term.as_str()).map_or(-1, |b| b.1);
    }
    let text: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(TEXT_CHARS)
        .collect();
    Analyzed { terms, length, text }
}

/// One document as the results list shows it.
fn document(site: &Site, views: &Views<'_>, index: usize, text: &str) -> Value {
    let page = &site.pages[index];
    let link = views.link(index);
    let status = page.decision().and_then(|d| d.status.as_ref()).map(|s| views.status(s));
    json!({
        "t": link.title,
        "u": link.href,
        "k": page.kind().name(),
        "s": status.as_ref().map(|s| s.name.clone()),
        "sl": status.map(|s| s.label),
        "d": page.date.map(|d| d.to_string()),
        "g": page.tags,
        "x": text,
        "h": page.outline.headings.iter().map(|h| json!([h.id, h.text])).collect::<Vec<_>>(),
    })
}

/// A dictionary file a first query may load should stay small.
const MAX_SHARD_BYTES: usize = 12_000;

/// Groups sorted `entries` (term, JSON) into shards keyed by their first `length` characters,
/// splitting a shard that would be too large by one more character. A term's shard is therefore
/// the longest key that starts it (or the term itself, when it is shorter than the key).
fn shard<'a>(entries: Vec<(&'a str, &'a str)>, length: usize, shards: &mut BTreeMap<String, Vec<(&'a str, &'a str)>>) {
    let mut groups: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
    for (term, postings) in entries {
        let key: String = term.chars().take(length).collect();
        groups.entry(key).or_default().push((term, postings));
    }
    for (key, group) in groups {
        let size: usize = group.iter().map(|(t, p)| t.len() + p.len()).sum();
        let longer = group.iter().any(|(t, _)| t.chars().count() > length);
        if size > MAX_SHARD_BYTES && longer && length < 8 {
            let (short, long): (Vec<_>, Vec<_>) = group.into_iter().partition(|(t, _)| t.chars().count() <= length);
            if !short.is_empty() {
                shards.entry(key).or_default().extend(short);
            }
            shard(long, length + 1, shards);
        } else {
            shards.entry(key).or_default().extend(group);
        }
    }
}

/// A file name for `key`: itself when plain ASCII, else `x` and its UTF-8 bytes in hex.
fn file_id(key: &str) -> String {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        key.to_string()
    } else {
        format!("x{}", key.bytes().map(|b| format!("{b:02x}")).collect::<String>())
    }
}

/// `search/<name>.js`: registers `data` under `name`. The data is JSON in a single-quoted
/// string, since `JSON.parse` of a string is faster to load than a JavaScript literal.
fn script(name: &str, data: &Value) -> OutputFile {
    let mut quoted = String::new();
    quote_into(&mut quoted, &data.to_string());
    script_quoted(name, &quoted)
}

/// [`script`] for JSON already quoted for a single-quoted JavaScript string.
fn script_quoted(name: &str, quoted: &str) -> OutputFile {
    OutputFile {
        path: format!("search/{name}.js"),
        contents: Contents::Text(format!("handbookSearch.register(\"{name}\",JSON.parse('{quoted}'));\n")),
    }
}

/// Appends `json` to `out`, escaped to sit in a single-quoted JavaScript string: `\` and `'`
/// could end the string, U+2028 and U+2029 end lines in older JavaScript, and `<` is written as
/// `\x3c` so that no `</script>` or `<!--` appears even if a theme inlines a shard in a page.
/// JSON itself already escapes every control character inside its strings.
fn quote_into(out: &mut String, json: &str) {
    for c in json.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '<' => out.push_str("\\x3c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_ids_are_safe() {
        assert_eq!(file_id("dec"), "dec");
        assert_eq!(file_id("caf"), "caf");
        assert_eq!(file_id("é"), "xc3a9");
        assert_eq!(file_id("A b"), "x412062");
    }

    #[test]
    fn scripts_quote_their_json() {
        let file = script("t/x", &json!({"it's": "a\\b"}));
        let Contents::Text(text) = file.contents else { panic!() };
        assert_eq!(
            text,
            "handbookSearch.register(\"t/x\",JSON.parse('{\"it\\'s\":\"a\\\\\\\\b\"}'));\n"
        );
        let file = script("d/0", &json!(["</script>\u{2028}"]));
        let Contents::Text(text) = file.contents else { panic!() };
        assert_eq!(
            text,
            "handbookSearch.register(\"d/0\",JSON.parse('[\"\\x3c/script>\\u2028\"]'));\n"
        );
    }
}
