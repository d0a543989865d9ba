//! Reading `handbook.toml` so that every problem is reported in one run: each unknown key with
//! the nearest valid one, and each value of the wrong type at its line and column. serde stops
//! at the first error, so a bad key is reported and taken out, and the rest is read again, until
//! what is left reads; the keys taken out keep their defaults. Also the rule for `base_url`, which
//! `--base-url` follows too.

use std::ops::Range;

use serde::Deserialize;
use toml::de::{DeArray, DeTable, DeValue};

use super::{CONFIG_FILE, Config, nearest};
use crate::content::Visibility;
use crate::diagnostics::{Diagnostic, SourceText};

/// A table of `handbook.toml` with the span of each key and value.
pub(super) type Table<'i> = toml::Spanned<DeTable<'i>>;

/// Every key of `table` that the configuration does not have, reported with the nearest valid
/// key and taken out of `table`.
pub(super) fn unknown_keys(source: &SourceText<'_>, table: &mut Table<'_>) -> Vec<Diagnostic> {
    let schema = toml::Table::try_from(Config::default()).unwrap_or_default();
    let mut problems = Vec::new();
    remove_unknown(source, table.get_mut(), &schema, "", &mut problems);
    problems
}

fn remove_unknown(
    source: &SourceText<'_>,
    table: &mut DeTable<'_>,
    schema: &toml::Table,
    prefix: &str,
    problems: &mut Vec<Diagnostic>,
) {
    let mut unknown = Vec::new();
    for (key, value) in table.iter_mut() {
        let name = key.get_ref().as_ref();
        let Some(expected) = schema.get(name) else {
            let mut diagnostic = Diagnostic::error(
                "unknown-config-key",
                format!("unknown key `{prefix}{name}` in {CONFIG_FILE}"),
            )
            .at(source, key.span());
            let valid: Vec<&str> = schema.keys().map(String::as_str).collect();
            diagnostic = match nearest(name, &valid) {
                Some(near) => diagnostic.help(format!("did you mean `{prefix}{near}`?")),
                None => diagnostic.help(format!("valid keys here: {}", valid.join(", "))),
            };
            problems.push(diagnostic);
            unknown.push(key.clone());
            continue;
        };
        match (expected, value.get_mut()) {
            (toml::Value::Table(sub_schema), DeValue::Table(sub)) => {
                remove_unknown(source, sub, sub_schema, &format!("{prefix}{name}."), problems);
            }
            (toml::Value::Array(_), DeValue::Array(items)) => {
                // Arrays of tables (`[[mounts]]`) are empty by default: their keys come from an
                // example item.
                let Some(item_schema) = item_schema(&format!("{prefix}{name}")) else {
                    continue;
                };
                for item in items.iter_mut() {
                    if let DeValue::Table(sub) = item.get_mut() {
                        remove_unknown(source, sub, &item_schema, &format!("{prefix}{name}."), problems);
                    }
                }
            }
            _ => {}
        }
    }
    for key in unknown {
        table.remove(&key);
    }
}

/// The keys of one table of the array of tables at `path`, with example values.
fn item_schema(path: &str) -> Option<toml::Table> {
    let example = match path {
        "mounts" => toml::Table::try_from(super::Mount {
            source: String::new(),
            target: Some(String::new()),
            kind: Some(String::new()),
            status: Some(String::new()),
        }),
        "decisions.statuses" => toml::Table::try_from(super::CustomStatus {
            name: String::new(),
            label: String::new(),
            color: String::new(),
        }),
        _ => return None,
    };
    example.ok()
}

/// The configuration `table` gives. Each value that does not read (a number where text is
/// expected, a missing `name` in a status) is reported at its place and taken out of `table`,
/// so that its default is used and the next one is found too.
pub(super) fn deserialize(source: &SourceText<'_>, table: &mut Table<'_>, problems: &mut Vec<Diagnostic>) -> Config {
    // Each round takes out at least one value, so this ends.
    loop {
        let err = match Config::deserialize(toml::de::Deserializer::from(table.clone())) {
            Ok(config) => return config,
            Err(err) => err,
        };
        let Some((span, path)) = err
            .span()
            .and_then(|span| Some((span.clone(), remove_value_at(table.get_mut(), &span)?)))
        else {
            problems.push(toml_error(source, &err));
            return Config::default();
        };
        let message = err.message().trim().trim_end_matches('.');
        problems.push(
            Diagnostic::error(
                "config-value",
                format!("`{path}` in {CONFIG_FILE} cannot be read: {message}"),
            )
            .at(source, span)
            .help(example(&path)),
        );
    }
}

/// How to write the key at `path`: what it takes, with its default as an example.
fn example(path: &str) -> String {
    let schema = toml::Table::try_from(Config::default()).unwrap_or_default();
    let mut value = None;
    let mut table = Some(&schema);
    for part in path.split('.') {
        value = table.and_then(|t| t.get(part));
        table = value.and_then(toml::Value::as_table);
    }
    let name = path.rsplit('.').next().unwrap_or(path);
    let takes = match value {
        Some(toml::Value::String(_)) => "text in quotes",
        Some(toml::Value::Boolean(_)) => "true or false",
        Some(toml::Value::Array(items)) if !items.is_empty() => "a list",
        _ => return "see the configuration reference in README.md".to_string(),
    };
    let default = value.map(ToString::to_string).unwrap_or_default();
    format!("`{name}` takes {takes}, e.g. its default: `{name} = {default}`")
}

/// Takes out of `table` the innermost key or array item whose value holds `span`, and returns
/// its dotted path (`repository.host`, `decisions.statuses`); `None` when no value holds it.
fn remove_value_at(table: &mut DeTable<'_>, span: &Range<usize>) -> Option<String> {
    let mut found = None;
    for (key, value) in table.iter_mut() {
        let name = key.get_ref().to_string();
        let inner = match value.get_mut() {
            DeValue::Table(sub) => remove_value_at(sub, span),
            DeValue::Array(items) => remove_item_at(items, span),
            _ => None,
        };
        if let Some(inner) = inner {
            return Some(if inner.is_empty() {
                name
            } else {
                format!("{name}.{inner}")
            });
        }
        if holds(&value.span(), span) || holds(&key.span(), span) {
            found = Some(key.clone());
            break;
        }
    }
    let key = found?;
    table.remove(&key);
    Some(key.get_ref().to_string())
}

/// Takes out the item of `items` that holds `span`, or whose insides do (a status without a
/// valid `name` is no status, and leaving it without its `name` would report it twice); the path
/// inside it, empty for the item itself.
fn remove_item_at(items: &mut DeArray<'_>, span: &Range<usize>) -> Option<String> {
    let (index, inner) = items.iter_mut().enumerate().find_map(|(index, item)| {
        let held = holds(&item.span(), span);
        let inner = match item.get_mut() {
            DeValue::Table(sub) => remove_value_at(sub, span),
            _ => None,
        };
        match inner {
            Some(inner) => Some((index, inner)),
            None => held.then(|| (index, String::new())),
        }
    })?;
    let kept = std::mem::replace(items, DeArray::from_iter(std::iter::empty()));
    *items = kept
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, item)| item)
        .collect();
    Some(inner)
}

fn holds(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The span of the value at `path` (`["protocols", "review_every"]`).
pub(super) fn value_span(table: &DeTable<'_>, path: &[&str]) -> Option<Range<usize>> {
    let (first, rest) = path.split_first()?;
    let mut value = table.get(*first)?;
    let mut rest = rest;
    // Steps through arrays (`[[decisions.statuses]]`) are indices.
    while let DeValue::Array(items) = value.get_ref()
        && let Some((index, after)) = rest.split_first()
    {
        value = items.get(index.parse::<usize>().ok()?)?;
        rest = after;
    }
    if rest.is_empty() {
        return Some(value.span());
    }
    match value.get_ref() {
        DeValue::Table(sub) => value_span(sub, rest),
        _ => None,
    }
}

/// Turns a TOML error into a diagnostic at its position.
pub(super) fn toml_error(source: &SourceText<'_>, err: &toml::de::Error) -> Diagnostic {
    let span = err.span().unwrap_or(0..0);
    let message = err.message().trim().trim_end_matches('.');
    Diagnostic::error("config-syntax", format!("invalid {CONFIG_FILE}: {message}"))
        .at(source, span)
        .help("see the configuration reference in README.md")
}

/// Why `url` cannot be a web address that paths are appended to, or `None` when it can (or is
/// empty: not set). Pages, feeds and the sitemap append paths to `base_url`, edit and history
/// links to `[repository] url`, so each must be an absolute http(s) URL with a host and nothing
/// after its path.
pub(super) fn web_address_problem(url: &str) -> Option<&'static str> {
    if url.is_empty() {
        return None;
    }
    let Ok(uri) = url.parse::<http::Uri>() else {
        return Some("is not a valid URL");
    };
    if !matches!(uri.scheme_str(), Some("http" | "https")) {
        return Some("is not an absolute http(s) URL");
    }
    if uri.host().is_none_or(str::is_empty) {
        return Some("has no host name");
    }
    if uri.query().is_some() || url.contains('#') {
        return Some("has a query or fragment, after which page paths cannot be added");
    }
    None
}

/// Checks the site's `visibility` before deserializing, so that a wrong value gets the error a
/// page's `visibility` gets, rather than a generic syntax error.
pub(super) fn check_visibility(source: &SourceText<'_>, table: &DeTable<'_>, problems: &mut Vec<Diagnostic>) {
    let Some(value) = table.get("visibility") else {
        return;
    };
    let (written, described) = match value.get_ref() {
        DeValue::String(text) if Visibility::from_name(text).is_some() => return,
        DeValue::String(text) => (text.to_ascii_lowercase(), format!("the text \"{text}\"")),
        other => (String::new(), format!("a {}", other.type_str())),
    };
    let help = match nearest(&written, &Visibility::ALL.map(Visibility::name)) {
        Some(near) => format!("did you mean \"{near}\"? Valid values: public, internal"),
        None => "write \"public\" (the default) or \"internal\"".to_string(),
    };
    problems.push(
        Diagnostic::error(
            "unknown-visibility",
            format!("`visibility` must be \"public\" or \"internal\", not {described}"),
        )
        .at(source, value.span())
        .help(help),
    );
}

/// Whether `color` is a plain CSS colour: `#7c3aed`, `rebeccapurple`, `rgb(124 58 237 / 80%)`,
/// `oklch(…)`. A status colour lands in a `style` attribute, where anything more (`;`, `url(…)`)
/// could restyle the page or fetch from elsewhere.
pub(super) fn is_css_color(color: &str) -> bool {
    const FUNCTIONS: [&str; 11] = [
        "rgb",
        "rgba",
        "hsl",
        "hsla",
        "hwb",
        "lab",
        "lch",
        "oklab",
        "oklch",
        "color",
        "color-mix",
    ];
    let plain = |c: char| c.is_ascii_alphanumeric() || " #(),.%/+-".contains(c);
    if !color.chars().all(plain) {
        return false;
    }
    // Every `(` must open a colour function.
    color.split('(').rev().skip(1).all(|before| {
        let name = before
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .next()
            .unwrap_or_default();
        FUNCTIONS.contains(&name.to_ascii_lowercase().as_str())
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new(CONFIG_FILE), text)
    }

    fn positions(errors: &[Diagnostic]) -> Vec<(&str, u32, u32)> {
        errors
            .iter()
            .map(|d| {
                let p = d.position.unwrap();
                (d.code, p.line, p.column)
            })
            .collect()
    }

    #[test]
    fn every_wrong_type_is_reported_with_the_other_problems() {
        let text = "title = 3\ndescription = 4\ntitel = \"x\"\ntimezone = \"Mars/Olympus\"\n[protocols]\nwarn_when_overdue = \"yes\"\n[folders]\ndecisions = [\"adr\", 7]\n";
        let errors = parse(text).unwrap_err();
        assert_eq!(
            positions(&errors),
            [
                ("config-value", 1, 9),
                ("config-value", 2, 15),
                ("unknown-config-key", 3, 1),
                ("unknown-timezone", 4, 12),
                ("config-value", 6, 21),
                ("config-value", 8, 21),
            ]
        );
        assert_eq!(
            errors[0].message,
            "`title` in handbook.toml cannot be read: invalid type: integer `3`, expected a string"
        );
        assert_eq!(
            errors[0].help.as_deref(),
            Some("`title` takes text in quotes, e.g. its default: `title = \"Handbook\"`")
        );
        assert!(errors[4].message.starts_with("`protocols.warn_when_overdue`"));
        assert!(errors[5].message.starts_with("`folders.decisions`"));
    }

    #[test]
    fn a_bad_status_is_reported_once() {
        let text = "[[decisions.statuses]]\nlabel = \"x\"\n[[decisions.statuses]]\nname = 3\n[[decisions.statuses]]\nname = \"ok\"\n";
        let errors = parse(text).unwrap_err();
        assert_eq!(positions(&errors), [("config-value", 1, 1), ("config-value", 4, 8)]);
        assert!(errors[0].message.contains("missing field `name`"), "{}", errors[0]);
    }

    #[test]
    fn base_urls_must_be_absolute_http_addresses() {
        for (url, why) in [
            ("handbook.example.com", "is not an absolute http(s) URL"),
            ("ftp://example.com/", "is not an absolute http(s) URL"),
            ("https://", "is not a valid URL"),
            ("https://exa mple.com/", "is not a valid URL"),
            ("https://example.com/?page=1", "has a query or fragment"),
            ("https://example.com/#top", "has a query or fragment"),
        ] {
            let problem = web_address_problem(url).unwrap_or_else(|| panic!("{url} accepted"));
            assert!(problem.starts_with(why), "{url}: {problem}");
        }
        for url in ["", "https://example.com", "http://127.0.0.1:8080/hb/"] {
            assert_eq!(web_address_problem(url), None, "{url}");
        }
    }
}
