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

mod tokens;

use std::collections::{BTreeMap, HashMap};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;
use serde::Serialize;
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

/// A document's score for a term, and the section the term occurs in most.
type Posting = (usize, f64, i64);

/// What one document contributes to the index.
struct Analyzed {
    /// Term → weighted frequency and the section it occurs in most (-1: before any heading).
    terms: HashMap<String, (f64, i64)>,
    /// Weighted length.
    length: f64,
    text: String,
}

/// Builds every file of the search index of `site`.
pub fn index(site: &Site, views: &Views<'_>) -> Vec<OutputFile> {
    let mut order: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].role == Role::Leaf)
        .collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&site.pages[a], &site.pages[b]);
        b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title))
    });
    let analyzed: Vec<Analyzed> = order.par_iter().map(|&i| analyze(&site.pages[i])).collect();
    let count = analyzed.len().max(1) as f64;
    let average = analyzed.iter().map(|a| a.length).sum::<f64>() / count;

    let mut postings: HashMap<&str, Vec<Posting>> = HashMap::new();
    for (doc, a) in analyzed.iter().enumerate() {
        for (term, &(tf, section)) in &a.terms {
            let saturated = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * a.length / average.max(1.0)));
            postings.entry(term).or_default().push((doc, saturated, section));
        }
    }
    let mut scored: Vec<(&str, usize, Vec<Posting>)> = postings
        .into_iter()
        .map(|(term, mut list)| {
            let df = list.len();
            let idf = (1.0 + (count - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
            list.iter_mut().for_each(|p| p.1 *= idf);
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(MAX_POSTINGS);
            (term, df, list)
        })
        .collect();
    let top = scored
        .iter()
        .flat_map(|(_, _, l)| l.first())
        .map(|p| p.1)
        .fold(f64::MIN_POSITIVE, f64::max);

    scored.sort_by(|a, b| a.0.cmp(b.0));
    let entries: Vec<(String, Value)> = scored
        .into_iter()
        .map(|(term, df, list)| {
            let mut flat = Vec::with_capacity(1 + list.len() * 3);
            flat.push(json!(df));
            for (doc, score, section) in list {
                let impact = ((score / top) * 255.0).round().clamp(1.0, 255.0) as u64;
                flat.extend([json!(doc), json!(impact), json!(section)]);
            }
            (term.to_string(), Value::Array(flat))
        })
        .collect();
    let mut shards: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
    shard(entries, 3, &mut shards);

    let mut files = Vec::new();
    for (key, terms) in &shards {
        files.push(script(&format!("t/{}", file_id(key)), &Value::Object(terms.clone())));
    }
    let docs: Vec<Value> = order
        .iter()
        .zip(&analyzed)
        .map(|(&i, a)| document(site, views, i, &a.text))
        .collect();
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        files.push(script(&format!("d/{n}"), &Value::Array(chunk.to_vec())));
    }
    let facets = facets(site, views, &order);
    for (facet, values) in &facets {
        for (_, id, docs) in values.values() {
            files.push(script(&format!("f/{facet}/{id}"), &json!(docs)));
        }
    }
    let meta = json!({
        "v": 1,
        "docs": order.len(),
        "chunk": CHUNK,
        "shards": shards.keys().collect::<Vec<_>>(),
        "stop": STOP_WORDS,
        "facets": facets_meta(&facets),
    });
    files.push(script("meta", &meta));
    files
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
    let mut text = String::new();
    let mut section: i64 = -1;
    let mut in_heading = false;
    for event in Parser::new_ext(page.body(), crate::markdown::options(false)) {
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

/// Facet → value → (label, file id, documents).
type Facets = BTreeMap<&'static str, BTreeMap<String, (String, String, Vec<usize>)>>;

fn facets(site: &Site, views: &Views<'_>, order: &[usize]) -> Facets {
    let mut facets: Facets = BTreeMap::new();
    for (doc, &i) in order.iter().enumerate() {
        let page = &site.pages[i];
        // Kinds, statuses and years are plain words and name their files; tags may be anything,
        // so meta.js lists each tag's file.
        let mut add = |facet: &'static str, value: String, label: String| {
            let id = if facet == "tag" {
                file_id(&slug::slugify(&value))
            } else {
                file_id(&value)
            };
            facets
                .entry(facet)
                .or_default()
                .entry(value)
                .or_insert_with(|| (label, id, Vec::new()))
                .2
                .push(doc);
        };
        add("kind", page.kind().name().to_string(), page.kind().name().to_string());
        if let Some(status) = page.decision().and_then(|d| d.status.as_ref()) {
            add("status", status.name().to_string(), views.status(status).label);
        }
        for tag in &page.tags {
            add("tag", tag.clone(), tag.clone());
        }
        if let Some(date) = page.date {
            add("year", date.year().to_string(), date.year().to_string());
        }
    }
    facets
}

#[derive(Serialize)]
struct FacetsMeta {
    kind: Vec<(String, usize)>,
    status: Vec<(String, String, usize)>,
    tag: Vec<(String, String, usize)>,
    year: Vec<(String, usize)>,
}

fn facets_meta(facets: &Facets) -> FacetsMeta {
    let values = |facet| facets.get(facet).map(|v| v.iter()).into_iter().flatten();
    let mut years: Vec<(String, usize)> = values("year").map(|(v, (_, _, d))| (v.clone(), d.len())).collect();
    years.reverse();
    FacetsMeta {
        kind: values("kind").map(|(v, (_, _, d))| (v.clone(), d.len())).collect(),
        status: values("status")
            .map(|(v, (label, _, d))| (v.clone(), label.clone(), d.len()))
            .collect(),
        tag: values("tag")
            .map(|(v, (_, id, d))| (v.clone(), id.clone(), d.len()))
            .collect(),
        year: years,
    }
}

/// A dictionary file a first query may load should stay small.
const MAX_SHARD_BYTES: usize = 12_000;

/// Groups sorted `entries` into shards keyed by their first `length` characters, splitting a
/// shard that would be too large by one more character. A term's shard is therefore the longest
/// key that starts it (or the term itself, when it is shorter than the key).
fn shard(entries: Vec<(String, Value)>, length: usize, shards: &mut BTreeMap<String, serde_json::Map<String, Value>>) {
    let mut groups: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
    for (term, postings) in entries {
        let key: String = term.chars().take(length).collect();
        groups.entry(key).or_default().push((term, postings));
    }
    for (key, group) in groups {
        let size: usize = group.iter().map(|(t, p)| t.len() + p.to_string().len()).sum();
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
    let json = data.to_string();
    let mut quoted = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '\'' => quoted.push_str("\\'"),
            '\u{2028}' => quoted.push_str("\\u2028"),
            '\u{2029}' => quoted.push_str("\\u2029"),
            other => quoted.push(other),
        }
    }
    OutputFile {
        path: format!("search/{name}.js"),
        contents: Contents::Text(format!("handbookSearch.register(\"{name}\",JSON.parse('{quoted}'));\n")),
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
    }
}
