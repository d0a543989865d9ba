//! Front matter (TOML between `+++` lines, YAML between `---` lines) and configuration values:
//! known keys with fitting values, known keys with values of any type, unknown and non-ASCII
//! keys, deep nesting, and lines that break the block.
//!
//! A *tidy* front matter holds only values of the right type that the pipeline accepts (still
//! hostile text, just no errors), so that a good share of handbooks reach the writer.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

use crate::pools::*;

/// A value of front matter or configuration, written as TOML or YAML.
#[derive(Clone, Debug)]
pub(crate) enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date or date-time written without quotes (a TOML datetime, a YAML plain scalar).
    Date(String),
    List(Vec<Value>),
    Table(Vec<(String, Value)>),
    /// The value inside this many nested lists.
    Nested(usize, Box<Value>),
}

/// A value of any type, nested a few levels deep (or in up to 40 lists).
pub(crate) fn any_value() -> BoxedStrategy<Value> {
    let int = prop_oneof![
        Just(0i64),
        Just(-1),
        Just(7),
        Just(i64::MAX),
        Just(i64::MIN),
        Just(4_294_967_296)
    ];
    let leaf = prop_oneof![
        field_text().prop_map(Value::Str),
        int.prop_map(Value::Int),
        prop_oneof![Just(0.5f64), Just(-1.25), Just(1e300)].prop_map(Value::Float),
        any::<bool>().prop_map(Value::Bool),
        pick(DATES).prop_map(Value::Date),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Value::List),
            vec((key(), inner.clone()), 0..3).prop_map(Value::Table),
            (1usize..40, inner).prop_map(|(depth, v)| Value::Nested(depth, Box::new(v))),
        ]
    })
    .boxed()
}

/// Hostile text.
pub(crate) fn text_value() -> BoxedStrategy<Value> {
    field_text().prop_map(Value::Str).boxed()
}

/// A string from `good`, or (unless tidy) from `bad`.
pub(crate) fn choice(good: &'static [&'static str], bad: &'static [&'static str], tidy: bool) -> BoxedStrategy<Value> {
    if tidy {
        pick(good).prop_map(Value::Str).boxed()
    } else {
        prop_oneof![3 => pick(good), 1 => pick(bad)]
            .prop_map(Value::Str)
            .boxed()
    }
}

/// A list of items, or one item alone.
pub(crate) fn list_of(item: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop_oneof![
        3 => vec(item.clone(), 0..4).prop_map(Value::List),
        1 => item,
    ]
    .boxed()
}

fn date_value(tidy: bool) -> BoxedStrategy<Value> {
    let good = prop_oneof![
        3 => pick(DATES).prop_map(Value::Date),
        1 => pick(DATES).prop_map(Value::Str),
    ];
    if tidy {
        good.boxed()
    } else {
        prop_oneof![3 => good, 1 => pick(BAD_DATES).prop_map(Value::Str)].boxed()
    }
}

fn record_ref() -> BoxedStrategy<Value> {
    const NAMES: &[&str] = &[
        "0001-use-x",
        "0002-use-y",
        "ADR-2",
        "0001",
        "7",
        "0001-use-x.md",
        "../../x",
        "x\" zzinjected=\"1",
    ];
    prop_oneof![(0i64..5).prop_map(Value::Int), pick(NAMES).prop_map(Value::Str)].boxed()
}

fn person() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => pick(&["x", "@x", "X", "café", "a b", "@", "", "tags"]).prop_map(Value::Str),
        1 => text_value(),
    ]
    .boxed()
}

/// A value of the right type for a known key: one the pipeline accepts when `tidy`, else
/// sometimes one it rejects.
fn value_for(key: &'static str, tidy: bool) -> BoxedStrategy<Value> {
    match key {
        "title" | "summary" | "series" | "name" | "role" | "handle" => text_value(),
        "owner" | "facilitator" => person(),
        "date" | "updated" | "reviewed" => date_value(tidy),
        "time" => choice(&["15:00", "09:30"], &["25:99", "3pm", ""], tidy),
        "timezone" => choice(TIMEZONES, BAD_TIMEZONES, tidy),
        "tags" => list_of(text_value()),
        "aliases" => list_of(prop_oneof![pick(PATHS).prop_map(Value::Str), text_value()].boxed()),
        "deciders" | "decision-makers" | "consulted" | "informed" | "attendees" => list_of(person()),
        "supersedes" | "superseded_by" | "amends" | "amended_by" | "related" | "decisions" => list_of(record_ref()),
        "draft" => any::<bool>().prop_map(Value::Bool).boxed(),
        "weight" => (-3i64..3).prop_map(Value::Int).boxed(),
        "visibility" => choice(&["public", "internal"], &["Internal", "secret"], tidy),
        "kind" => choice(
            &["decision", "meeting", "protocol", "person", "page", "Decision"],
            &["x\" zzinjected=\"1", "record"],
            tidy,
        ),
        "id" => record_ref(),
        "status" => match tidy {
            true => prop_oneof![3 => pick(STATUSES).prop_map(Value::Str), 1 => text_value()].boxed(),
            false => choice(STATUSES, BAD_STATUSES, tidy),
        },
        "review_every" => choice(PERIODS, BAD_PERIODS, tidy),
        "recording" => pick(URLS).prop_map(Value::Str).boxed(),
        _ => any_value(),
    }
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "tags",
    "draft",
    "aliases",
    "summary",
    "weight",
    "owner",
    "visibility",
    "kind",
    "id",
    "status",
    "deciders",
    "decision-makers",
    "consulted",
    "informed",
    "supersedes",
    "superseded_by",
    "amends",
    "amended_by",
    "related",
    "time",
    "timezone",
    "attendees",
    "facilitator",
    "series",
    "recording",
    "decisions",
    "reviewed",
    "review_every",
    "name",
    "role",
    "handle",
];

const UNKNOWN_KEYS: &[&str] = &[
    "extra",
    "ünïcode",
    "key with space",
    "",
    "a.b",
    "x\" zzinjected=\"1",
    "parent",
    "日本",
];

fn key() -> BoxedStrategy<String> {
    prop_oneof![pick(KNOWN_KEYS), pick(UNKNOWN_KEYS)].boxed()
}

/// A front-matter entry: a known key with a fitting value, or (unless tidy) with a value of any
/// type; or an unknown key with any value (kept as `extra`).
fn entry(tidy: bool) -> BoxedStrategy<(String, Value)> {
    // Keys whose values become addresses or text of many pages come up more often.
    let keys = prop_oneof![3 => select(KNOWN_KEYS), 1 => select(&["status", "aliases", "tags", "series", "title"][..])];
    let fitting = keys.prop_flat_map(move |k| value_for(k, tidy).prop_map(move |v| (k.to_string(), v)));
    let unknown = (pick(UNKNOWN_KEYS), any_value());
    if tidy {
        prop_oneof![6 => fitting, 1 => unknown].boxed()
    } else {
        prop_oneof![6 => fitting, 1 => (pick(KNOWN_KEYS), any_value()), 1 => unknown].boxed()
    }
}

/// `text` as a TOML basic string.
pub(crate) fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push('\t'),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_bare_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn toml_key(key: &str) -> String {
    if is_bare_key(key) {
        key.to_string()
    } else {
        toml_string(key)
    }
}

fn yaml_key(key: &str) -> String {
    if is_bare_key(key) {
        key.to_string()
    } else {
        serde_json::to_string(key).unwrap()
    }
}

/// `value` as an inline TOML value.
pub(crate) fn toml_value(value: &Value) -> String {
    write_value(
        value,
        &toml_string,
        &|k, v| format!("{} = {v}", toml_key(k)),
        "{ ",
        " }",
    )
}

/// `value` as a YAML flow value (JSON strings are YAML double-quoted strings).
fn yaml_value(value: &Value) -> String {
    let string = |s: &str| serde_json::to_string(s).unwrap();
    write_value(value, &string, &|k, v| format!("{}: {v}", yaml_key(k)), "{", "}")
}

fn write_value(
    value: &Value,
    string: &dyn Fn(&str) -> String,
    entry: &dyn Fn(&str, String) -> String,
    open: &str,
    close: &str,
) -> String {
    let inner = |v: &Value| write_value(v, string, entry, open, close);
    match value {
        Value::Str(s) => string(s),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format!("{f:?}"),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => d.clone(),
        Value::List(items) => format!("[{}]", items.iter().map(inner).collect::<Vec<_>>().join(", ")),
        Value::Table(entries) => {
            let entries: Vec<String> = entries.iter().map(|(k, v)| entry(k, inner(v))).collect();
            format!("{open}{}{close}", entries.join(", "))
        }
        Value::Nested(depth, v) => format!("{}{}{}", "[".repeat(*depth), inner(v), "]".repeat(*depth)),
    }
}

/// A front-matter block.
#[derive(Clone, Debug)]
pub(crate) struct FrontMatter {
    yaml: bool,
    entries: Vec<(String, Value)>,
    junk: Option<String>,
    closed: bool,
}

/// A front-matter block: tidy ones are closed, hold no line that breaks them and no value of the
/// wrong type.
pub(crate) fn front_matter(tidy: bool) -> BoxedStrategy<FrontMatter> {
    let (junk, closed) = match tidy {
        true => (Just(None).boxed(), Just(true).boxed()),
        false => (
            option::weighted(0.15, prop_oneof![pick(TOML_JUNK), pick(YAML_JUNK)]).boxed(),
            proptest::bool::weighted(0.95).boxed(),
        ),
    };
    (any::<bool>(), vec(entry(tidy), 0..7), junk, closed)
        .prop_map(move |(yaml, mut entries, junk, closed)| {
            if tidy {
                let mut seen = std::collections::HashSet::new();
                entries.retain(|(key, _)| seen.insert(key.clone()));
            }
            FrontMatter {
                yaml,
                entries,
                junk,
                closed,
            }
        })
        .boxed()
}

impl FrontMatter {
    /// Appends the block, with its fences, to `out`.
    pub(crate) fn write(&self, out: &mut String) {
        let fence = if self.yaml { "---" } else { "+++" };
        out.push_str(fence);
        out.push('\n');
        for (key, value) in &self.entries {
            let line = if self.yaml {
                format!("{}: {}", yaml_key(key), yaml_value(value))
            } else {
                format!("{} = {}", toml_key(key), toml_value(value))
            };
            out.push_str(&line);
            out.push('\n');
        }
        if let Some(junk) = &self.junk {
            out.push_str(junk);
            out.push('\n');
        }
        if self.closed {
            out.push_str(fence);
            out.push('\n');
        }
    }
}
