//! Hostile content: every value a page supplies lands escaped for its format — HTML text and
//! attributes, the decision graph's SVG, Atom feeds and the sitemap, the search files — raw HTML
//! follows `[markdown] raw_html`, and no `javascript:`-like URL is ever linked.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{Fixture, broken_links, js_single_quoted};
use handbook::urls::{UrlUse, unsafe_scheme};

/// Every file under `site` whose name ends with `extension`, with its path relative to `site`.
fn files(site: &Path, extension: &str) -> Vec<(String, String)> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.path().to_string_lossy().ends_with(extension))
        .map(|e| {
            let name = e.path().strip_prefix(site).unwrap().display().to_string();
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// The attributes of every start tag in `html`, as (tag, name, value), read the way a browser
/// tokenizes: names end at whitespace, `/`, `>` or `=`; values are quoted or run to whitespace;
/// comments are skipped, and so is the text of `<script>` and `<style>` elements.
fn attributes(html: &str) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(rest.len());
        let tag = rest[..end].to_ascii_lowercase();
        rest = &rest[end..];
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '/' || c == '>' || c == '=')
                .unwrap_or(rest.len())
                .max(1);
            let name = rest[..end].to_ascii_lowercase();
            rest = rest[end..].trim_start();
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let (text, next) = match after.chars().next() {
                    Some(quote @ ('"' | '\'')) => {
                        let close = after[1..].find(quote).map_or(after.len(), |i| i + 1);
                        (&after[1..close], after.get(close + 1..).unwrap_or(""))
                    }
                    _ => {
                        let close = after
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(after.len());
                        (&after[..close], &after[close..])
                    }
                };
                value = text.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'");
                rest = next;
            }
            found.push((tag.clone(), name, value));
        }
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            rest = rest.find(&close).map_or("", |i| &rest[i..]);
        }
    }
    found
}

/// Checks every HTML file of `site`: no event-handler attribute, no unsafe URL in an `href` or
/// `src` (an image, such as an icon, may be a `data:image/…` URL). Returns the problems.
fn unsafe_markup(site: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, html) in files(site, ".html") {
        for (tag, attribute, value) in attributes(&html) {
            let usage = match (tag.as_str(), attribute.as_str()) {
                // A `<link>` is the theme's (content cannot write one): the 404 page's icon is a
                // `data:image/svg+xml` URL, an image as an `<img>`'s source is.
                ("img", "src") | ("link", "href") => Some(UrlUse::Image),
                (_, "href" | "src" | "action" | "formaction") => Some(UrlUse::Link),
                _ => None,
            };
            if attribute.starts_with("on") || usage.is_some_and(|u| unsafe_scheme(&value, u).is_some()) {
                problems.push(format!("{name}: <{tag} {attribute}=\"{value}\">"));
            }
        }
    }
    problems
}

/// Builds `hb`, which must succeed (warnings are fine).
fn build(hb: &Fixture) {
    hb.cmd(&["build"]).assert().success();
}

#[test]
fn the_tokenizer_finds_handlers_only_in_tags() {
    let html = "<p class=\"a&quot; onclick=&quot;x\">x onclick=y</p><!-- <b onclick=1> --><img src=x onerror=alert(1) />\
<script>if (a<b) document.write('<i onload=1>')</script><a href='javascript:x'>";
    let found: Vec<String> = attributes(html)
        .into_iter()
        .map(|(t, a, _)| format!("{t} {a}"))
        .collect();
    assert_eq!(found, ["p class", "img src", "img onerror", "a href"]);
}

#[test]
fn custom_statuses_titles_and_tags_cannot_add_attributes() {
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-first.md",
            "+++\ntitle = \"First <script>alert(1)</script>\"\ndate = 2026-01-01\nstatus = \"x\\\"onmouseover=\\\"alert(1)\"\ntags = [\"\\\"><img src=x onerror=alert(1)>\"]\n+++\nBody.\n",
        ),
        (
            "content/decisions/0002-second.md",
            "+++\ntitle = \"Second' onfocus='alert(1)\"\ndate = 2026-02-01\nstatus = 'x\" onmouseover=\"alert(1)'\namends = [1]\n+++\nBody.\n",
        ),
    ]);
    build(&hb);
    let site = hb.path("public");
    let log = hb.read("public/decisions/index.html");
    assert_eq!(log.matches("<g class=\"node status-x").count(), 2, "{log}");
    assert!(log.contains("status-x&quot;onmouseover=&quot;alert(1)"), "{log}");
    assert_eq!(unsafe_markup(&site), Vec::<String>::new());
    for (name, html) in files(&site, ".html") {
        assert!(!html.contains("<script>alert"), "{name}");
        assert!(!html.contains("<img src=x"), "{name}");
    }
}

/// Characters that are hostile to XML, for titles, summaries, tags, authors and bodies.
const XML_HOSTILE: &str = "a\u{1}b\u{fffe}c\u{ffff}d ]]> <b>&amp; & <";

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn every_xml_output_parses_whatever_the_content_holds() {
    let hostile = toml_string(XML_HOSTILE);
    let hb = Fixture::new(&[
        (
            "handbook.toml",
            &format!("title = {hostile}\ndescription = {hostile}\nbase_url = \"https://example.com/hb/\"\n"),
        ),
        (
            "content/decisions/0001-x.md",
            &format!(
                "+++\ntitle = {hostile}\nsummary = {hostile}\ndate = 2026-01-01\nstatus = \"accepted\"\ntags = [{hostile}, \"a&b\"]\n+++\nBody.\n"
            ),
        ),
        (
            "content/meetings/2026-01-05-sync.md",
            &format!(
                "+++\ntitle = {hostile}\ntime = \"15:00\"\n+++\n## Heading {XML_HOSTILE}\n\nNotes {XML_HOSTILE} in the body.\n\n- [ ] @ann Fix {XML_HOSTILE} soon\n"
            ),
        ),
        (
            "content/guides/page.md",
            &format!("# Page\n\nText {XML_HOSTILE} only.\n"),
        ),
    ]);
    // Git takes no `<` or `>` in a name, and warns about noncharacters.
    let author = "Ann a\u{1}b &amp; & Co";
    let status = Command::new("git")
        .current_dir(hb.root())
        .args(["init", "-q", "-b", "main"])
        .status()
        .unwrap();
    assert!(status.success());
    for args in [&["add", "-A"][..], &["commit", "-q", "-m", "Add"]] {
        let status = Command::new("git")
            .current_dir(hb.root())
            .args(args)
            .env("GIT_AUTHOR_NAME", author)
            .env("GIT_AUTHOR_EMAIL", "ann@example.com")
            .env("GIT_COMMITTER_NAME", "CI")
            .env("GIT_COMMITTER_EMAIL", "ci@example.com")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", hb.root())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }
    build(&hb);
    let site = hb.path("public");
    let xml = files(&site, ".xml");
    let names: BTreeSet<&str> = xml.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from(["decisions/feed.xml", "feed.xml", "meetings/feed.xml", "sitemap.xml"])
    );
    for (name, text) in &xml {
        if let Err(err) = roxmltree::Document::parse(text) {
            panic!("{name} is not XML: {err}\n{text}");
        }
    }
    let feed = &xml.iter().find(|(name, _)| name == "feed.xml").unwrap().1;
    let document = roxmltree::Document::parse(feed).unwrap();
    let texts = |tag: &str| -> Vec<String> {
        document
            .descendants()
            .filter(|n| n.has_tag_name(tag))
            .filter_map(|n| n.text().map(String::from))
            .collect()
    };
    let shown = "a\u{fffd}b\u{fffd}c\u{fffd}d ]]> <b>&amp; & <";
    assert!(texts("title").iter().any(|t| t.starts_with(shown)), "{feed}");
    assert!(texts("summary").iter().any(|t| t == shown), "{feed}");
    assert!(texts("name").iter().any(|t| t == "Ann a\u{fffd}b &amp; & Co"), "{feed}");
    let forbidden =
        |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    for (name, text) in files(&site, ".html").iter().chain(&xml) {
        assert!(!text.contains(forbidden), "{name} holds a character XML forbids");
    }
    // Neither does a calendar (RFC 5545 forbids the same controls), nor what the search shows.
    for (name, text) in files(&site, ".ics") {
        assert!(!text.contains(forbidden), "{name} holds a character XML forbids");
    }
    let mut strings = Vec::new();
    let mut stack: Vec<serde_json::Value> = search_data(&site).into_iter().map(|(_, data)| data).collect();
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::String(text) => strings.push(text),
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => {
                strings.extend(map.keys().cloned());
                stack.extend(map.into_iter().map(|(_, value)| value));
            }
            _ => {}
        }
    }
    assert!(
        strings.iter().any(|text| text.contains("a\u{fffd}b\u{fffd}c")),
        "{strings:?}"
    );
    assert!(
        !strings.iter().any(|text| text.contains(forbidden)),
        "the search data holds a character XML forbids"
    );
    // The print page and the action items are written as they are rendered, in pieces: the
    // characters are replaced there too.
    for page in ["print/index.html", "actions/index.html"] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        assert!(html.contains("a\u{fffd}b\u{fffd}c\u{fffd}d"), "{page}: {html}");
    }
}

/// The data each `search/**/*.js` file of `site` registers, read as JavaScript reads it.
fn search_data(site: &Path) -> serde_json::Map<String, serde_json::Value> {
    let mut data = serde_json::Map::new();
    for (name, text) in files(&site.join("search"), ".js") {
        assert!(!text.to_lowercase().contains("</script"), "{name}");
        if name == "stem.js" {
            continue; // the stemmer: a function, not data
        }
        let rest = text.strip_prefix("handbookSearch.register(\"").expect("a registration");
        let (key, rest) = rest.split_once("\",JSON.parse('").expect("a JSON string");
        let body = rest.strip_suffix("'));\n").expect("one statement");
        let json = js_single_quoted(body);
        data.insert(key.to_string(), serde_json::from_str(&json).unwrap());
    }
    data
}

/// The same data, as node evaluates the files; `None` without node.
fn search_data_in_node(site: &Path) -> Option<serde_json::Map<String, serde_json::Value>> {
    const SCRIPT: &str = r#"
const fs = require("fs"), path = require("path"), vm = require("vm");
const got = {};
const context = vm.createContext({ handbookSearch: { register(name, data) { if (typeof data !== "function") got[name] = data; } } });
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
for (const file of walk(process.argv[1]).filter((f) => f.endsWith(".js"))) {
  vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
}
process.stdout.write(JSON.stringify(got));
"#;
    let output = Command::new("node")
        .args(["-e", SCRIPT])
        .arg(site.join("search"))
        .output()
        .ok()?;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

#[test]
fn search_files_keep_quotes_backslashes_and_line_separators_inside_their_strings() {
    let title = "It's a \\ path </script><script>alert(1)</script> \u{2028}end";
    let hb = Fixture::new(&[(
        "content/guides/quotes.md",
        &format!(
            "+++\ntitle = {}\n+++\nBody with ' and \\\\ and `</script>` and \"quotes\".\n",
            toml_string(title)
        ),
    )]);
    build(&hb);
    let site = hb.path("public");
    let data = search_data(&site);
    let docs = data["d/0"].as_array().unwrap();
    let n = docs
        .iter()
        .position(|d| d["t"] == title)
        .unwrap_or_else(|| panic!("{docs:?}"));
    let text = data[&format!("x/{}", n / 2)][n % 2]["x"].as_str().unwrap();
    for part in ["'", "\\", "</script>", "\"quotes\""] {
        assert!(text.contains(part), "{part:?} in {text:?}");
    }
    match search_data_in_node(&site) {
        Some(evaluated) => assert_eq!(evaluated, data),
        None => eprintln!("node is not installed: the search files were read in Rust only"),
    }
}

/// A page with raw HTML of every kind, built under `policy` (`None`: the default).
fn raw_html_site(policy: Option<&str>) -> Fixture {
    let config = policy.map_or(String::new(), |p| format!("[markdown]\nraw_html = \"{p}\"\n"));
    let hb = Fixture::new(&[
        ("handbook.toml", &config),
        (
            "content/guides/raw.md",
            "+++\ntitle = \"Raw\"\n+++\n## Why {#why}\n\nSee [why](#why).\n\n<details>\n<summary>More</summary>\n\nInside **bold**.\n\n</details>\n\n\
<script>alert(1)</script>\n\nPress <kbd>Ctrl</kbd> <span onclick=\"alert(2)\">here</span> \
<img src=\"https://example.com/x.png\" onerror=\"alert(3)\"> <a href=\"JaVa&#x53;cript:alert(4)\">js</a> <sup>2</sup>\n\n\
<div style=\"position:fixed;inset:0\">cover</div>\n\n<!-- a comment -->\n\n| a |\n|:-:|\n| 1 |\n",
        ),
    ]);
    build(&hb);
    hb
}

#[test]
fn raw_html_is_sanitized_by_default() {
    for policy in [None, Some("sanitize")] {
        let hb = raw_html_site(policy);
        let page = hb.read("public/guides/raw/index.html");
        for kept in [
            "<details>",
            "<summary>More</summary>",
            "<strong>bold</strong>",
            "<kbd>Ctrl</kbd>",
            "<span>here</span>",
            "<img src=\"https://example.com/x.png\">",
            "<a>js</a>",
            "<sup>2</sup>",
            "<div>cover</div>",
            "<h2 id=\"why\">",
            "<a href=\"#why\">why</a>",
            "<th style=\"text-align:center\">",
        ] {
            assert!(page.contains(kept), "{policy:?}: {kept} in\n{page}");
        }
        for gone in ["alert(", "<script>", "a comment", "position:fixed"] {
            assert!(!page.contains(gone), "{policy:?}: {gone} in\n{page}");
        }
        let site = hb.path("public");
        assert_eq!(unsafe_markup(&site), Vec::<String>::new());
        assert_eq!(broken_links(&site), Vec::<String>::new());
    }
}

#[test]
fn raw_html_can_be_shown_as_text() {
    let hb = raw_html_site(Some("escape"));
    let page = hb.read("public/guides/raw/index.html");
    for shown in [
        "&lt;details&gt;\n&lt;summary&gt;More&lt;/summary&gt;",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;kbd&gt;Ctrl&lt;/kbd&gt;",
        "<strong>bold</strong>",
        "<a href=\"#why\">why</a>",
    ] {
        assert!(page.contains(shown), "{shown} in\n{page}");
    }
    for gone in ["<details>", "<kbd>", "<script>alert", "a comment"] {
        assert!(!page.contains(gone), "{gone} in\n{page}");
    }
    assert_eq!(unsafe_markup(&hb.path("public")), Vec::<String>::new());
}

#[test]
fn raw_html_can_be_allowed() {
    let hb = raw_html_site(Some("allow"));
    let page = hb.read("public/guides/raw/index.html");
    for kept in [
        "<script>alert(1)</script>",
        "<span onclick=\"alert(2)\">here</span>",
        "<div style=\"position:fixed;inset:0\">",
        "<details>",
    ] {
        assert!(page.contains(kept), "{kept} in\n{page}");
    }
}

/// The `unsafe-url` diagnostics of `check --format json` in `hb`, as (file, line, column).
fn unsafe_url_warnings(hb: &Fixture) -> Vec<(String, u64, u64)> {
    let output = hb.cmd(&["check", "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"], 0, "{report}");
    let mut found: Vec<(String, u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unsafe-url")
        .map(|d| {
            assert_eq!(d["severity"], "warning", "{d}");
            assert!(d["help"].as_str().unwrap().contains("http"), "{d}");
            let number = |key: &str| d[key].as_u64().unwrap();
            (
                d["file"].as_str().unwrap().to_string(),
                number("line"),
                number("column"),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn unsafe_urls_are_never_linked_and_are_reported_where_they_are_written() {
    let links = "+++\ntitle = \"Links\"\n+++\n\
[inline](javascript:alert(1))\n\n\
Use [the ref][evil] and [again][evil].\n\n\
<javascript:alert(2)>\n\n\
![img](JAVASCRIPT:alert(3))\n\n\
[entity](&#x6a;avascript:alert(4))\n\n\
[tab](<java\tscript:alert(5)>)\n\n\
[data](data:text/html;base64,PHNjcmlwdD4=)\n\n\
![ok](data:image/png;base64,iVBORw0KGgo=) and [fine](https://example.com)\n\n\
[evil]: vbscript:msgbox(1)\n\n\
[[javascript:alert(6)]]\n";
    let hb = Fixture::new(&[
        ("content/guides/links.md", links),
        (
            "content/meetings/2026-01-05-sync.md",
            "+++\ntitle = \"Sync\"\nrecording = \" JAVASCRIPT:alert(7)\"\n+++\nNotes.\n",
        ),
        (
            "content/meetings/2026-01-06-sync.md",
            "---\ntitle: Sync again\nrecording: https://video.example.com/2\n---\nNotes.\n",
        ),
        (
            "content/decisions/0001-rfc.md",
            "- Feature Name: evil\n- Start Date: 2026-01-01\n- RFC PR: [rfcs#1](javascript:alert(8)) <b onclick=\"alert(9)\">x</b>\n\n# Summary\n\nText.\n",
        ),
    ]);
    let file = |name: &str| format!("content/{name}");
    let expected: Vec<(String, u64, u64)> = vec![
        (file("decisions/0001-rfc.md"), 3, 11),
        (file("guides/links.md"), 4, 1),
        (file("guides/links.md"), 8, 1),
        (file("guides/links.md"), 10, 1),
        (file("guides/links.md"), 12, 1),
        (file("guides/links.md"), 14, 1),
        (file("guides/links.md"), 16, 1),
        (file("guides/links.md"), 20, 1),
        (file("guides/links.md"), 22, 1),
        (file("meetings/2026-01-05-sync.md"), 3, 13),
    ];
    assert_eq!(unsafe_url_warnings(&hb), expected);

    build(&hb);
    let site = hb.path("public");
    assert_eq!(unsafe_markup(&site), Vec::<String>::new());
    let page = hb.read("public/guides/links/index.html");
    for text in [
        "<p>inline</p>",
        "the ref and again",
        "javascript:alert(2)",
        "<p>img</p>",
        "entity",
    ] {
        assert!(page.contains(text), "{text} in\n{page}");
    }
    assert!(
        page.contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\""),
        "{page}"
    );
    assert!(page.contains("<a href=\"https://example.com\">fine</a>"), "{page}");
    let hostile = hb.read("public/meetings/2026-01-05-sync/index.html");
    assert!(!hostile.contains("Watch the recording"), "{hostile}");
    let fine = hb.read("public/meetings/2026-01-06-sync/index.html");
    assert!(fine.contains("<a href=\"https://video.example.com/2\">Watch the recording</a>"));
    let record = hb.read("public/decisions/0001-rfc/index.html");
    assert!(record.contains("rfcs#1") && !record.contains("alert(9)"), "{record}");
}
