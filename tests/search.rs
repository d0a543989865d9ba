//! The search index as the build writes it: shards, documents, filters, and what is left out.

mod common;

use common::Fixture;

/// The data a `search/<name>.js` file registers.
fn registered(hb: &Fixture, name: &str) -> serde_json::Value {
    let text = hb.read(&format!("public/search/{name}.js"));
    let prefix = format!("handbookSearch.register(\"{name}\",JSON.parse('");
    let body = text
        .strip_prefix(&prefix)
        .and_then(|t| t.strip_suffix("'));\n"))
        .expect("the registration wrapper");
    serde_json::from_str(&common::js_single_quoted(body)).unwrap()
}

#[test]
fn the_index_ranks_titles_first_and_leaves_drafts_out() {
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-rotas.md",
            "+++\ntitle = \"On-call rotas\"\ndate = 2026-01-01\nstatus = \"accepted\"\ntags = [\"ops\"]\n+++\nWho is on call.\n\n## Swapping\n\nSwap rotas in the thread.\n",
        ),
        (
            "content/guides/notes.md",
            "+++\ntitle = \"Notes\"\ndate = 2026-02-01\n+++\nThe rotas are listed elsewhere; rotas again.\n",
        ),
        (
            "content/guides/draft.md",
            "+++\ntitle = \"Zebracorn plans\"\ndraft = true\n+++\nZebracorn.\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success();
    let meta = registered(&hb, "meta");
    assert_eq!(meta["docs"], 2);
    assert_eq!(
        meta["facets"]["status"][0],
        serde_json::json!(["accepted", "Accepted", 1])
    );
    let shard = registered(&hb, "t/rot");
    let rota = shard["rota"].as_array().expect("stemmed term `rota`");
    assert_eq!(rota[0], 2, "document frequency");
    let first_doc = rota[1].as_u64().unwrap();
    let docs = registered(&hb, "d/0");
    assert_eq!(
        docs[first_doc as usize]["t"], "On-call rotas",
        "the title match ranks first"
    );
    assert_eq!(docs[0]["t"], "Notes", "documents are numbered newest first");
    assert_eq!(registered(&hb, "f/status/accepted"), serde_json::json!([1]));
    for entry in walkdir::WalkDir::new(hb.path("public/search")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                !text.to_lowercase().contains("zebracorn"),
                "draft in {}",
                entry.path().display()
            );
        }
    }
}

/// Pairs of adjacent words are indexed from a body only when it repeats them (a phrase a text
/// repeats is what it is about), from a heading always, and never across a stop word or a block.
#[test]
fn body_pairs_are_indexed_when_the_text_repeats_them() {
    let hb = Fixture::new(&[(
        "content/guides/ledger.md",
        "+++\ntitle = \"Ledger\"\n+++\nWe merge raw transactions daily.\n\nLater a raw transaction waits, once only.\n\nRaw\n\nwords split by blocks; the raw of transaction.\n\n## Ledger rules\n\nPlain text.\n",
    )]);
    hb.cmd(&["build"]).assert().success();
    let raw = registered(&hb, "t/raw");
    let pair = raw["raw transact"].as_array().expect("a repeated pair is indexed");
    assert_eq!(pair[0], 1, "document frequency");
    assert_eq!(pair[3], -1, "both uses come before the first heading");
    assert!(
        registered(&hb, "t/onc").get("onc onli").is_none(),
        "a pair used once is not indexed"
    );
    assert!(
        registered(&hb, "t/led").get("ledger rule").is_some(),
        "a heading's pair is indexed though it is there once"
    );
}

/// `tests/search/analysis.json`: texts and the terms they must become, which the browser's
/// engine is held to as well (`tests/js/analysis.test.js`). `BLESS=1` writes the terms the
/// analyzer gives now, for review.
#[test]
fn the_analyzer_gives_the_shared_terms() {
    use handbook::search::analyze::Analyzer;
    use handbook::search::language::Language;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/analysis.json");
    let mut fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let bless = std::env::var_os("BLESS").is_some();
    let mut stop = serde_json::Map::new();
    for case in fixture["cases"].as_array_mut().unwrap() {
        let code = case["language"].as_str().unwrap().to_string();
        let analyzer = Analyzer::new(Language::from_tag(&code));
        stop.insert(code, serde_json::json!(analyzer.stop_words()));
        let mut terms = Vec::new();
        analyzer.tokens(case["text"].as_str().unwrap(), &mut None, &mut |t| {
            terms.push(serde_json::json!([t.term, t.kind.name(), t.stop]));
        });
        if bless {
            case["terms"] = serde_json::Value::Array(terms);
        } else {
            assert_eq!(case["terms"], serde_json::Value::Array(terms), "{}", case["text"]);
        }
    }
    // The stop words the build gives the browser (`meta.js`), which the browser's test uses.
    if bless {
        fixture["stop"] = serde_json::Value::Object(stop);
        std::fs::write(&path, serde_json::to_string_pretty(&fixture).unwrap() + "\n").unwrap();
    } else {
        assert_eq!(fixture["stop"], serde_json::Value::Object(stop));
    }
}

/// `tests/search/stems.tsv`: words and their Snowball stems, which the browser's stemmers are
/// held to as well (`tests/js/stemmers.test.js`).
#[test]
fn the_stemmers_give_the_shared_stems() {
    use handbook::search::language::Language;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/stems.tsv");
    let mut languages = std::collections::HashMap::new();
    let mut rows = 0;
    for line in std::fs::read_to_string(path).unwrap().lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let [code, word, stem] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("stems.tsv: {line:?} is not three columns");
        };
        let language = languages
            .entry(code.to_string())
            .or_insert_with(|| Language::from_tag(code));
        assert_eq!(language.stem(word), stem, "{code} {word}");
        rows += 1;
    }
    assert!(
        rows > 2000 && languages.len() == 18,
        "{rows} rows in {} languages",
        languages.len()
    );
}
