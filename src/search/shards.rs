//! How the index is cut into files a query loads one at a time: dictionary shards by term
//! prefix, and the `handbookSearch.register(name, JSON.parse('…'))` scripts that carry them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::analyze::is_cjk;
use crate::render::{Contents, OutputFile, escape};

/// The group of a term, the shortest key its shard can have: its first three characters, or
/// its first one for a Chinese, Japanese or Korean bigram, a number and a record id (`#7`):
/// those are many and short, and three characters would give each few terms and a file of its
/// own; their shards split by size from the first character on. The browser's `groupLength`
/// is the same rule.
pub(super) fn group_of(term: &str) -> &str {
    let length = group_length(term);
    match term.char_indices().nth(length) {
        Some((end, _)) => &term[..end],
        None => term,
    }
}

fn group_length(term: &str) -> usize {
    match term.chars().next() {
        Some(c) if c == '#' || c.is_ascii_digit() || is_cjk(c) => 1,
        _ => 3,
    }
}

/// A dictionary file a first query may load should stay small.
const MAX_SHARD_BYTES: usize = 12_000;
/// Keys grow by a character at a time up to this length: enough to part the many pair terms of
/// a common word (`protocol review`, `protocol owner`) into shards of their own.
const MAX_KEY: usize = 16;

/// Groups sorted `entries` (term, JSON) into shards keyed by their first `length` characters,
/// splitting a shard that would be too large by one more character. A term's shard is therefore
/// the longest key that starts it (or the term itself, when it is shorter than the key).
///
/// The terms of a key are next to each other in sorted order, so each is a run of the slice.
fn shard<'a>(entries: &[(&'a str, &'a str)], length: usize, shards: &mut BTreeMap<String, Vec<(&'a str, &'a str)>>) {
    let key_of = |term: &'a str| term.char_indices().nth(length).map_or(term, |(end, _)| &term[..end]);
    let mut rest = entries;
    while let Some(&(first, _)) = rest.first() {
        let key = key_of(first);
        let end = rest.iter().position(|&(t, _)| key_of(t) != key).unwrap_or(rest.len());
        let (group, after) = rest.split_at(end);
        rest = after;
        let size: usize = group.iter().map(|(t, p)| t.len() + p.len()).sum();
        let longer = group.iter().any(|(t, _)| t.chars().count() > length);
        if size > MAX_SHARD_BYTES && longer && length < MAX_KEY {
            let (short, long): (Vec<_>, Vec<_>) = group.iter().partition(|(t, _)| t.chars().count() <= length);
            if !short.is_empty() {
                shards.entry(key.to_string()).or_default().extend(short);
            }
            shard(&long, length + 1, shards);
        } else {
            shards.entry(key.to_string()).or_default().extend_from_slice(group);
        }
    }
}

/// The dictionary shards of the terms in `group` (see [`group_of`]), from their sorted
/// `entries` (term, JSON): their keys, and their files.
pub(super) fn shard_files(group: &str, entries: &[(&str, &str)]) -> (Vec<String>, Vec<OutputFile>) {
    let mut shards = BTreeMap::new();
    shard(entries, group.chars().count(), &mut shards);
    let keys: Vec<String> = shards.keys().cloned().collect();
    let files = shards
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
                quote_string_into(&mut quoted, term);
                quoted.push(':');
                quoted.push_str(entry);
            }
            quoted.push('}');
            script_quoted(&format!("t/{}", file_id(&key)), &quoted)
        })
        .collect();
    (keys, files)
}

/// A file name for `key`: itself when plain ASCII, else `x` and its UTF-8 bytes in hex.
pub(super) fn file_id(key: &str) -> String {
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
/// string, since `JSON.parse` of a string is faster to load than a JavaScript literal. Its
/// strings lose the characters that XML 1.0 forbids, as every page does (see
/// [`escape`]): the search shows titles, headings and text as the pages show them.
pub(super) fn script(name: &str, data: &Value) -> OutputFile {
    let mut quoted = String::new();
    match holds_forbidden(data) {
        true => quote_into(&mut quoted, &without_forbidden(data.clone()).to_string()),
        false => quote_into(&mut quoted, &data.to_string()),
    }
    script_quoted(name, &quoted)
}

/// Whether a string of `data`, or a key, holds a character that XML 1.0 forbids.
fn holds_forbidden(data: &Value) -> bool {
    match data {
        Value::String(text) => escape::holds_forbidden(text),
        Value::Array(items) => items.iter().any(holds_forbidden),
        Value::Object(map) => (map.iter()).any(|(key, value)| escape::holds_forbidden(key) || holds_forbidden(value)),
        _ => false,
    }
}

/// `data` with every character that XML 1.0 forbids in its strings and keys replaced by U+FFFD.
fn without_forbidden(data: Value) -> Value {
    match data {
        Value::String(text) => Value::String(escape::replace_forbidden(text)),
        Value::Array(items) => Value::Array(items.into_iter().map(without_forbidden).collect()),
        Value::Object(map) => Value::Object(
            (map.into_iter())
                .map(|(key, value)| (escape::replace_forbidden(key), without_forbidden(value)))
                .collect(),
        ),
        other => other,
    }
}

/// [`script`] for JSON already quoted for a single-quoted JavaScript string.
fn script_quoted(name: &str, quoted: &str) -> OutputFile {
    OutputFile {
        path: format!("search/{name}.js"),
        contents: Contents::Text(format!("handbookSearch.register(\"{name}\",JSON.parse('{quoted}'));\n")),
    }
}

/// Appends `text` as a JSON string (as `serde_json` writes one), [quoted](quote_into), to
/// `out`; without the work of a JSON value for the index's terms, which have nothing to escape.
fn quote_string_into(out: &mut String, text: &str) {
    if text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        return quote_into(out, &Value::from(text).to_string());
    }
    out.push('"');
    quote_into(out, text);
    out.push('"');
}

/// Appends `json` to `out`, escaped to sit in a single-quoted JavaScript string: `\` and `'`
/// could end the string, U+2028 and U+2029 end lines in older JavaScript, and `<` is written as
/// `\x3c` so that no `</script>` or `<!--` appears even if a theme inlines a shard in a page.
/// JSON itself already escapes every control character inside its strings.
pub(super) fn quote_into(out: &mut String, json: &str) {
    // Copied in runs up to the next byte that may need escaping (U+2028 and U+2029 start with
    // E2): the index is tens of megabytes of JSON at 10,000 pages.
    let mut rest = json;
    while let Some(at) = rest.bytes().position(|b| matches!(b, b'\\' | b'\'' | b'<' | 0xE2)) {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().unwrap_or_default();
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '<' => out.push_str("\\x3c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            other => out.push(other),
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_are_quoted_as_serde_json_writes_them() {
        for text in [
            "raw transact",
            "é 会議",
            "a\"b",
            "a\\b",
            "tab\there",
            "\u{1}",
            "\u{7f}",
            "\u{2028}",
            "<it's>",
        ] {
            let (mut fast, mut slow) = (String::new(), String::new());
            quote_string_into(&mut fast, text);
            quote_into(&mut slow, &Value::from(text).to_string());
            assert_eq!(fast, slow, "{text:?}");
        }
    }

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

    #[test]
    fn only_the_characters_that_end_a_string_or_a_line_are_escaped() {
        let mut out = String::new();
        quote_into(&mut out, "a→b\u{2029}c'd\\e<f\u{2028}ü");
        assert_eq!(out, "a→b\\u2029c\\'d\\\\e\\x3cf\\u2028ü");
    }
}
