//! What a page is from where it sits: its kind (from `kind`, its mount, the `[folders]` its
//! place in the site falls in, else the format its body is written in) and, for a decision
//! record, the decision log it belongs to.

use std::sync::Arc;

use super::fields::{Fields, choice_help};
use super::mounts::Mount;
use super::{Kind, Page, Role};
use crate::config::{Config, Folders};
use crate::diagnostics::Diagnostic;

/// The kind that `kind`, the page's mount or the `[folders]` give, or `None` when none of them
/// says (a leaf page may then still be a decision record by its format: see
/// [`super::formats::read`]). `dir` is the page's folder in the site, `stem` its file name
/// without `.md`; `in_record_folder` says the folder is that of a record beside it, whose
/// pages its place does not make records.
pub(super) fn declared_kind(
    fields: &mut Fields<'_, '_>,
    config: &Config,
    mount: Option<&Mount>,
    dir: &str,
    stem: &str,
    role: Role,
    in_record_folder: bool,
) -> Option<Kind> {
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    let declared = fields.parse("kind", "unknown-kind", "a kind", choice_help(&names), |v| {
        v.as_str().and_then(|name| Kind::from_name(&name.to_ascii_lowercase()))
    });
    if declared.is_some() {
        return declared;
    }
    // A folder's own page (`_index.md`, `README.md`) is a page; a record beside its folder
    // (the RFC `3392-leadership-council.md` beside `3392-leadership-council/`, which holds its
    // translations) is still a record.
    if role == Role::Home || (role == Role::Section && !may_be_record(stem)) {
        return Some(Kind::Page);
    }
    if in_record_folder {
        return None;
    }
    let by_place = mount
        .and_then(|mount| mount.kind)
        .or_else(|| folder_kind(&config.folders, dir).map(|(kind, _)| kind))?;
    // Templates kept beside the records (`template.md`, `adr-template.md`) and a log's other
    // overview pages are not records.
    if by_place == Kind::Decision && !may_be_record(stem) {
        return Some(Kind::Page);
    }
    Some(by_place)
}

/// Whether a page is a record template kept beside the records (`template.md`,
/// `adr-template.md`, `0000-template.md`): it sits where decisions are, or reads as a record
/// format, and is named a template. Such a page is a draft (see [`super::load`]): tooling, not
/// a page of the log, as Log4brains and adr-tools leave theirs out; `--drafts` shows it.
pub(super) fn is_record_template(
    config: &Config,
    mount: Option<&Mount>,
    dir: &str,
    stem: &str,
    has_format: bool,
) -> bool {
    let in_log = mount
        .and_then(|mount| mount.kind)
        .or_else(|| folder_kind(&config.folders, dir).map(|(kind, _)| kind))
        == Some(Kind::Decision);
    stem.to_ascii_lowercase().contains("template") && (in_log || has_format)
}

/// Whether a file named `stem` may be a decision record: templates and overview pages
/// (`template.md`, `0000-template.md`, `index.md`, `README.md`) are not.
pub(super) fn may_be_record(stem: &str) -> bool {
    !(stem.to_ascii_lowercase().contains("template") || ["index", "_index", "README", "readme"].contains(&stem))
}

/// Whether `stem` is named as records of a decision log are, wherever it sits: a number first
/// (`0007-use-postgres`, adr-tools, MADR and RFCs; `20201016-use-x`, Log4brains), possibly after
/// a word (`adr-007-use-postgres`, `ADR_7`). Outside a decisions folder only such a file is
/// taken for a record by what its text looks like: a guide with a `Date:` line or a `status`
/// key in its front matter is a guide.
pub(super) fn named_as_record(stem: &str) -> bool {
    let rest = match stem.find(|c: char| !c.is_ascii_alphabetic()) {
        Some(end) if end > 0 && stem[end..].starts_with(['-', '_']) => &stem[end + 1..],
        _ => stem,
    };
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && (rest.len() == digits || rest[digits..].starts_with(['-', '_', '.', ' ']))
}

/// The kind the `[folders]` give a page in the site folder `dir`, with the folder setting that
/// matched (the innermost one, so `decisions/meetings` can be meetings inside decisions). `"."`
/// (or `""`) is the whole site.
fn folder_kind<'f>(folders: &'f Folders, dir: &str) -> Option<(Kind, &'f str)> {
    let lists = [
        (Kind::Decision, &folders.decisions),
        (Kind::Meeting, &folders.meetings),
        (Kind::Protocol, &folders.protocols),
        (Kind::Person, &folders.people),
    ];
    lists
        .into_iter()
        .flat_map(|(kind, list)| list.iter().map(move |folder| (kind, folder.as_str())))
        .filter(|(_, folder)| holds(folder, dir))
        .max_by_key(|(_, folder)| normalized(folder).len())
}

/// Whether the folder setting `folder` holds the site folder `dir`.
fn holds(folder: &str, dir: &str) -> bool {
    let folder = normalized(folder);
    folder.is_empty() || dir == folder || dir.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/'))
}

/// A folder setting without slashes at its ends, `""` for the whole site (`"."`, `"/"`, `"./"`).
fn normalized(folder: &str) -> &str {
    let folder = folder.trim_matches('/');
    let folder = folder.strip_prefix("./").unwrap_or(folder);
    if folder == "." { "" } else { folder }
}

/// The decision log a record in site folder `dir` belongs to, named by its folder in the site:
/// its `[[mounts]]` target, else the `[folders] decisions` setting that holds it, else its own
/// folder (a record found by its format). Each log numbers its records on its own.
pub(super) fn decision_log(config: &Config, mount: Option<&Mount>, dir: &str) -> String {
    if let Some(mount) = mount.filter(|mount| mount.index.is_some()) {
        return mount.target.clone();
    }
    match folder_kind(&config.folders, dir) {
        Some((Kind::Decision, folder)) => normalized(folder).to_string(),
        _ => dir.to_string(),
    }
}

/// A warning for each `[folders]` setting written in `handbook.toml` that holds no page: a
/// misspelt folder must not silently give an empty decision log.
pub(super) fn unmatched(config: &Config, pages: &[Arc<Page>]) -> Vec<Diagnostic> {
    let defaults = Folders::default();
    let settings = [
        ("decisions", &config.folders.decisions, &defaults.decisions),
        ("meetings", &config.folders.meetings, &defaults.meetings),
        ("protocols", &config.folders.protocols, &defaults.protocols),
        ("people", &config.folders.people, &defaults.people),
    ];
    let mut problems = Vec::new();
    for (key, list, default) in settings {
        if list == default {
            continue;
        }
        for (i, folder) in list.iter().enumerate() {
            if pages.iter().any(|page| holds(folder, page.folder())) {
                continue;
            }
            let diagnostic = Diagnostic::warning(
                "empty-folder-setting",
                format!("`folders.{key}` names `{folder}`, which holds no page"),
            )
            .help(
                "name a folder of the site, relative to content/ or to a mount's target (`\".\"` is every folder); \
                 a folder mounted with `[[mounts]]` is named by its `target`",
            );
            problems.push(config.point(diagnostic, &["folders", key, &i.to_string()]));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_numbered() {
        for stem in [
            "0007-use-postgres",
            "20201016-use-x",
            "0001",
            "adr-007-use-postgres",
            "ADR_7",
            "12. title",
        ] {
            assert!(named_as_record(stem), "{stem}");
        }
        for stem in [
            "onboarding",
            "release-checklist",
            "2fa-setup-guide-x",
            "v2-plan",
            "adr",
            "-0001",
            "adr-x-01",
        ] {
            assert!(!named_as_record(stem), "{stem}");
        }
    }

    #[test]
    fn folder_settings_hold_their_subfolders_and_dot_holds_all() {
        assert!(holds("decisions", "decisions"));
        assert!(holds("decisions/", "decisions/2024"));
        assert!(!holds("decisions", "decisions-old"));
        assert!(holds(".", "anything/at/all"));
        assert!(holds("./", ""));
    }

    #[test]
    fn the_innermost_folder_setting_wins() {
        let folders = Folders {
            decisions: vec![".".into()],
            meetings: vec!["notes/meetings".into()],
            ..Folders::default()
        };
        assert_eq!(
            folder_kind(&folders, "notes/meetings/2024").map(|f| f.0),
            Some(Kind::Meeting)
        );
        assert_eq!(folder_kind(&folders, "notes").map(|f| f.0), Some(Kind::Decision));
    }

    #[test]
    fn templates_and_overviews_are_not_records() {
        assert!(!may_be_record("adr-template"));
        assert!(!may_be_record("0000-template"));
        assert!(!may_be_record("README"));
        assert!(may_be_record("0001-record-architecture-decisions"));
    }
}
