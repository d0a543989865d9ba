//! Search facets: for each kind, status, tag and year, the documents that have it, so that
//! filters load one small file each (`search/f/<facet>/<id>.js`).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::file_id;
use crate::render::views::Views;
use crate::resolve::Site;
use crate::routes::slug_segment;

/// Facet → value → (label, file id, documents).
pub(super) type Facets = BTreeMap<&'static str, BTreeMap<String, (String, String, Vec<usize>)>>;

pub(super) fn facets(site: &Site, views: &Views<'_>, order: &[usize]) -> Facets {
    let mut facets: Facets = BTreeMap::new();
    // Tags that slug alike (`Security`, `security`) are one tag, named as first written.
    let mut tag_names: HashMap<String, String> = HashMap::new();
    for (doc, &i) in order.iter().enumerate() {
        let page = &site.pages[i];
        // Kinds and years are plain words and statuses slugs, so they name their files; tags may
        // be anything, so meta.js lists each tag's file.
        let mut add = |facet: &'static str, value: String, label: String| {
            let id = if facet == "tag" {
                file_id(&slug_segment(&value))
            } else {
                file_id(&value)
            };
            let docs = &mut facets
                .entry(facet)
                .or_default()
                .entry(value)
                .or_insert_with(|| (label, id, Vec::new()))
                .2;
            if docs.last() != Some(&doc) {
                docs.push(doc);
            }
        };
        add("kind", page.kind().name().to_string(), page.kind().name().to_string());
        // A status names its file, so it is slugged (an imported one can be a whole sentence).
        if let Some(status) = page.decision().and_then(|d| d.status.as_ref()) {
            add("status", slug_segment(status.name()), views.status(status).label);
        }
        for tag in &page.tags {
            let name = tag_names.entry(slug_segment(tag)).or_insert_with(|| tag.clone());
            add("tag", name.clone(), name.clone());
        }
        if let Some(date) = page.date {
            add("year", date.year().to_string(), date.year().to_string());
        }
    }
    facets
}

#[derive(Serialize)]
pub(super) struct FacetsMeta {
    kind: Vec<(String, usize)>,
    status: Vec<(String, String, usize)>,
    tag: Vec<(String, String, usize)>,
    year: Vec<(String, usize)>,
}

pub(super) fn facets_meta(facets: &Facets) -> FacetsMeta {
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
