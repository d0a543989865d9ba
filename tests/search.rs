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
