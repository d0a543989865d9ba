//! Checks of what a build left on disk: which files changed where, whether the HTML carries an
//! attribute or tag that content smuggled in, whether the XML is well-formed, whether the search
//! scripts are what they claim, and whether links reach files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use html5gum::{DefaultEmitter, Token, Tokenizer};
use percent_encoding::percent_decode_str;

use crate::pools::{MARKER, MARKER_TAG};

/// What is at a path, for telling whether a build touched it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Entry {
    Folder,
    File(Vec<u8>),
    Symlink(PathBuf),
}

/// Everything under `dir` (symbolic links not followed), by path.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Entry> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|entry| {
            let kind = entry.file_type();
            let what = if kind.is_symlink() {
                Entry::Symlink(std::fs::read_link(entry.path()).unwrap_or_default())
            } else if kind.is_dir() {
                Entry::Folder
            } else {
                Entry::File(std::fs::read(entry.path()).unwrap_or_default())
            };
            (entry.path().to_path_buf(), what)
        })
        .collect()
}

/// Paths added, changed or removed between two snapshots, except under `output`.
pub(crate) fn changed_outside(
    before: &BTreeMap<PathBuf, Entry>,
    after: &BTreeMap<PathBuf, Entry>,
    output: &Path,
) -> Vec<String> {
    let paths: BTreeSet<&PathBuf> = before.keys().chain(after.keys()).collect();
    paths
        .into_iter()
        .filter(|path| !path.starts_with(output) && before.get(*path) != after.get(*path))
        .map(|path| {
            let what = match (before.contains_key(path), after.contains_key(path)) {
                (false, _) => "written",
                (true, false) => "removed",
                (true, true) => "changed",
            };
            format!("{} was {what}", path.display())
        })
        .collect()
}

/// Every file under `site`, relative to it, and its bytes. (The harness runs on Unix, where a
/// backslash is part of a name, not a separator.)
pub(crate) fn files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}

/// A start tag of a page: its name and attributes.
pub(crate) struct Tag {
    pub(crate) name: String,
    pub(crate) attributes: Vec<(String, String)>,
}

/// The start tags of `html`, tokenized as a browser would (switching to raw text inside
/// `<script>`, `<style>`, `<title>` and `<textarea>`).
pub(crate) fn start_tags(html: &str) -> Vec<Tag> {
    let mut emitter = DefaultEmitter::<()>::default();
    emitter.naively_switch_states(true);
    Tokenizer::new_with_emitter(html, emitter)
        .filter_map(|token| match token {
            Ok(Token::StartTag(tag)) => Some(Tag {
                name: String::from_utf8_lossy(&tag.name).into_owned(),
                attributes: tag
                    .attributes
                    .iter()
                    .map(|(k, v)| {
                        (
                            String::from_utf8_lossy(k).into_owned(),
                            String::from_utf8_lossy(&v.value).into_owned(),
                        )
                    })
                    .collect(),
            }),
            _ => None,
        })
        .collect()
}

/// The marker tag or attribute, wherever content managed to open one.
pub(crate) fn injected(tags: &[Tag]) -> Vec<String> {
    let mut found = Vec::new();
    for tag in tags {
        if tag.name.contains(MARKER_TAG) {
            found.push(format!("a <{}> tag", tag.name));
        }
        for (name, value) in &tag.attributes {
            if name.contains(MARKER) {
                found.push(format!("<{} {name}={value:?}>", tag.name));
            }
        }
    }
    found
}

/// Why `xml` is not well-formed (`Err`), or the marker elements and attributes that content
/// added to it (`Ok`).
pub(crate) fn xml_problems(xml: &str) -> Result<Vec<String>, String> {
    let document = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    for node in document.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if name.contains(MARKER_TAG) {
            found.push(format!("a <{name}> element"));
        }
        for attribute in node.attributes().filter(|a| a.name().contains(MARKER)) {
            found.push(format!("<{name} {}={:?}>", attribute.name(), attribute.value()));
        }
    }
    Ok(found)
}

/// What is wrong with a search script `search/<name>.js`: it must be exactly
/// `handbookSearch.register("<name>",JSON.parse('<JSON as a JavaScript string>'));`, but for
/// `stem.js`, the theme's stemmer in a function of its own, which content never reaches.
pub(crate) fn script_problem(rel: &str, text: &str) -> Option<String> {
    let name = rel.strip_prefix("search/")?.strip_suffix(".js")?;
    if name == "stem" {
        let wrapped = text.starts_with("(function(){\n") && text.ends_with("\n})();\n");
        return (!wrapped || !text.contains("handbookSearch.register(\"stem\","))
            .then(|| "is not the wrapped stemmer".into());
    }
    let head = format!(
        "handbookSearch.register({},JSON.parse('",
        serde_json::to_string(name).unwrap()
    );
    let Some(quoted) = text.strip_prefix(&head).and_then(|t| t.strip_suffix("'));\n")) else {
        return Some("is not one register call of its own name".into());
    };
    let json = match unquote_js(quoted) {
        Ok(json) => json,
        Err(why) => return Some(why),
    };
    serde_json::from_str::<serde_json::Value>(&json)
        .err()
        .map(|e| format!("does not hold JSON: {e}"))
}

/// The text of a single-quoted JavaScript string body; an error where the string would end
/// early or hold an escape JavaScript reads otherwise.
fn unquote_js(quoted: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '\n' | '\r' => return Err(format!("has a bare {c:?} inside its string")),
            '\\' => match chars.next() {
                Some('\\') => out.push('\\'),
                Some('\'') => out.push('\''),
                Some('"') => out.push('"'),
                Some('/') => out.push('/'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('x') => {
                    let hex: String = chars.by_ref().take(2).collect();
                    let byte = u32::from_str_radix(&hex, 16).map_err(|_| format!("has a bad escape \\x{hex}"))?;
                    out.push(char::from_u32(byte).unwrap_or('\u{fffd}'));
                }
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    let unit = u32::from_str_radix(&hex, 16).map_err(|_| format!("has a bad escape \\u{hex}"))?;
                    out.push(char::from_u32(unit).unwrap_or('\u{fffd}'));
                }
                other => return Err(format!("has an escape JavaScript reads differently: \\{other:?}")),
            },
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Relative `href` and `src` values of every page that do not reach a file of the site (a folder
/// must have its `index.html`), and `#fragments` with no such id in their page.
pub(crate) fn broken_links(pages: &BTreeMap<String, Vec<Tag>>, files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let ids: BTreeMap<&str, BTreeSet<&str>> = pages
        .iter()
        .map(|(page, tags)| {
            let ids = tags
                .iter()
                .flat_map(|t| &t.attributes)
                .filter(|(k, _)| k == "id")
                .map(|(_, v)| v.as_str());
            (page.as_str(), ids.collect())
        })
        .collect();
    let mut problems = Vec::new();
    for (page, tags) in pages {
        if page == "404.html" {
            continue;
        }
        for link in tags
            .iter()
            .flat_map(|t| &t.attributes)
            .filter(|(k, _)| k == "href" || k == "src")
            .map(|(_, v)| v)
        {
            if has_scheme(link) || link.starts_with("//") {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
            let path = path.split('?').next().unwrap_or_default();
            let target = if path.is_empty() {
                page.clone()
            } else {
                let folder = page.rsplit_once('/').map_or("", |(folder, _)| folder);
                let decoded = percent_decode_str(path).decode_utf8_lossy();
                match normalize(&format!("{folder}/{decoded}")) {
                    Some(target) => target,
                    None => {
                        problems.push(format!("{page}: {link} climbs out of the site"));
                        continue;
                    }
                }
            };
            if !files.contains_key(&target) {
                problems.push(format!("{page}: {link} does not reach a file"));
            } else if !fragment.is_empty() && target.ends_with(".html") {
                let fragment = percent_decode_str(fragment).decode_utf8_lossy();
                if !ids
                    .get(target.as_str())
                    .is_some_and(|ids| ids.contains(fragment.as_ref()))
                {
                    problems.push(format!("{page}: {link} has no element with that id"));
                }
            }
        }
    }
    problems
}

fn has_scheme(link: &str) -> bool {
    let scheme = link.split(':').next().unwrap_or_default();
    link.contains(':')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
}

/// `a/./b/../c` → `a/c`; `None` when it climbs above the start.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[test]
fn the_checks_catch_what_they_look_for() {
    let tags =
        start_tags("<p title=\"x&quot; zzinjected=&quot;1\">x\" zzinjected=\"1</p><a href=\"x\" zzinjected=\"1\">");
    assert_eq!(injected(&tags), ["<a zzinjected=\"1\">"]);
    assert!(injected(&start_tags("<title><zztag zzinjected=1></title>")).is_empty());
    assert!(!injected(&start_tags("<p><zztag zzinjected=1></p>")).is_empty());
    assert!(xml_problems("<feed><title>\u{1}</title></feed>").is_err());
    assert_eq!(xml_problems("<feed><title>&lt;zztag&gt;</title></feed>"), Ok(vec![]));
    assert_eq!(xml_problems("<feed><zztag/></feed>").unwrap().len(), 1);
    let good = "handbookSearch.register(\"t/ab\",JSON.parse('{\"it\\'s\":\"a\\\\\\\\b\"}'));\n";
    assert_eq!(script_problem("search/t/ab.js", good), None);
    assert!(script_problem("search/t/ab.js", "static file\n").is_some());
    assert!(script_problem("search/t/ab.js", &good.replace("it\\'s", "it's")).is_some());
}

#[test]
fn broken_links_are_found() {
    let page = |html: &str| start_tags(html);
    let pages = BTreeMap::from([
        (
            "index.html".to_string(),
            page("<a href=\"a/index.html#x\"><a href=\"b/\"><a href=\"../up.html\"><a href=\"https://e.com\">"),
        ),
        ("a/index.html".to_string(), page("<h2 id=\"y\">")),
    ]);
    let files: BTreeMap<String, Vec<u8>> = pages.keys().map(|p| (p.clone(), Vec::new())).collect();
    assert_eq!(
        broken_links(&pages, &files),
        [
            "index.html: a/index.html#x has no element with that id",
            "index.html: b/ does not reach a file",
            "index.html: ../up.html climbs out of the site",
        ]
    );
}
