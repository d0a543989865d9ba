//! `handbook.toml`: hostile titles, languages and repository settings, declared statuses with
//! hostile names, labels and colours, folders that climb out, and (unless tidy) unknown keys,
//! duplicate keys, invalid addresses and broken lines.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use crate::front_matter::{Value, any_value, choice, list_of, text_value, toml_string, toml_value};
use crate::handbooks::{Contents, File};
use crate::pools::*;

/// `handbook.toml`.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    top: Vec<(&'static str, Value)>,
    statuses: Vec<(String, Option<String>, Option<String>)>,
    /// `[links] broken`.
    pub(crate) broken: Option<&'static str>,
    tables: Vec<(&'static str, &'static str, Value)>,
    junk: Option<String>,
}

/// A configuration; a tidy one is valid (its text is still hostile).
pub(crate) fn config(tidy: bool) -> BoxedStrategy<Config> {
    let mut top = vec![
        (Just("title"), text_value()).boxed(),
        (Just("description"), text_value()).boxed(),
        (Just("base_url"), choice(GOOD_URLS, URLS, tidy)).boxed(),
        (
            Just("language"),
            prop_oneof![Just(Value::Str("de".into())), text_value()],
        )
            .boxed(),
        (Just("timezone"), choice(TIMEZONES, BAD_TIMEZONES, tidy)).boxed(),
        (
            Just("theme"),
            choice(
                &["default"],
                &[
                    "../../x",
                    "{ESCAPE}",
                    "missing",
                    "{OUTSIDE}/secret-dir",
                    "../../secret-dir",
                ],
                tidy,
            ),
        )
            .boxed(),
    ];
    if !tidy {
        top.push((Just("titel"), any_value()).boxed());
    }
    let status = (
        prop_oneof![3 => pick(STATUSES), 1 => field_text()],
        option::of(field_text()),
        option::of(pick(COLORS)),
    );
    const DECISION_FOLDERS: &[&str] = &["decisions", "adr", "", "/", "..", "../..", "Guides", "x"];
    let table = prop_oneof![
        (Just("repository"), Just("url"), pick(URLS).prop_map(Value::Str)),
        (
            Just("repository"),
            Just("host"),
            pick(&["", "github", "gitlab", "gitea", "x\" zzinjected=\"1"]).prop_map(Value::Str)
        ),
        (Just("repository"), Just("path"), text_value()),
        (Just("repository"), Just("branch"), text_value()),
        (
            Just("folders"),
            Just("decisions"),
            list_of(pick(DECISION_FOLDERS).prop_map(Value::Str).boxed())
        ),
        (
            Just("folders"),
            Just("people"),
            list_of(pick(&["people", "", "X", "café"]).prop_map(Value::Str).boxed())
        ),
        (
            Just("markdown"),
            Just("smart_punctuation"),
            any::<bool>().prop_map(Value::Bool)
        ),
        (
            Just("markdown"),
            Just("highlight_code"),
            any::<bool>().prop_map(Value::Bool)
        ),
        (
            Just("protocols"),
            Just("review_every"),
            choice(PERIODS, BAD_PERIODS, tidy)
        ),
        (
            Just("protocols"),
            Just("warn_when_overdue"),
            any::<bool>().prop_map(Value::Bool)
        ),
        (
            Just("meetings"),
            Just("warn_when_overdue"),
            any::<bool>().prop_map(Value::Bool)
        ),
    ];
    let broken = match tidy {
        true => prop_oneof![6 => Just(Some("warn")), 1 => Just(None)].boxed(),
        false => prop_oneof![Just(None), Just(Some("warn")), Just(Some("error"))].boxed(),
    };
    (
        vec(proptest::strategy::Union::new(top), 0..4),
        vec(status, 0..3),
        broken,
        vec(table, 0..3),
        match tidy {
            true => Just(None).boxed(),
            false => option::weighted(0.1, pick(TOML_JUNK)).boxed(),
        },
    )
        .prop_map(move |(mut top, statuses, broken, tables, junk)| {
            if tidy {
                let mut seen = std::collections::HashSet::new();
                top.retain(|(key, _)| seen.insert(*key));
            }
            Config {
                top,
                statuses,
                broken,
                tables,
                junk,
            }
        })
        .boxed()
}

impl Config {
    /// The text of `handbook.toml`.
    pub(crate) fn file(&self) -> File {
        let mut text = String::new();
        for (key, value) in &self.top {
            text.push_str(&format!("{key} = {}\n", toml_value(value)));
        }
        if let Some(junk) = &self.junk {
            text.push_str(junk);
            text.push('\n');
        }
        for (name, label, color) in &self.statuses {
            text.push_str(&format!("\n[[decisions.statuses]]\nname = {}\n", toml_string(name)));
            if let Some(label) = label {
                text.push_str(&format!("label = {}\n", toml_string(label)));
            }
            if let Some(color) = color {
                text.push_str(&format!("color = {}\n", toml_string(color)));
            }
        }
        if let Some(broken) = self.broken {
            text.push_str(&format!("\n[links]\nbroken = \"{broken}\"\n"));
        }
        let mut tables: Vec<&(&str, &str, Value)> = self.tables.iter().collect();
        tables.sort_by_key(|(table, key, _)| (*table, *key));
        tables.dedup_by_key(|(table, key, _)| (*table, *key));
        let mut current = "";
        for (table, key, value) in tables {
            if *table != current {
                text.push_str(&format!("\n[{table}]\n"));
                current = table;
            }
            text.push_str(&format!("{key} = {}\n", toml_value(value)));
        }
        File {
            path: "handbook.toml".into(),
            contents: Contents::Bytes(text.into_bytes()),
        }
    }
}
