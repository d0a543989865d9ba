//! `[[mounts]]`: folders of the handbook shown in the site where they are, so a team points the
//! tool at an adr-tools `doc/adr`, an RFC repository's `text/` or Log4brains' packages without
//! moving a file. This module reads and checks the keys; [`crate::content::mounts`] walks them.

use std::path::{Component, Path};

use serde::{Deserialize, Serialize};

use crate::content::Kind;
use crate::routes::check_segment;

/// One `[[mounts]]` table, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mount {
    /// The folder, relative to the handbook root, with `/` separators (`doc/adr`, `text`).
    pub source: String,
    /// Where its pages appear in the site (`rfcs`, `decisions/billing`); `""` is the site root.
    /// Default: the source folder's own name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// What its records are (`decision`, `meeting`, …); default: read from each file (its
    /// `kind`, the `[folders]` its place in the site falls in, else its format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The status of a decision record in it that states none (an RFC repository's `text/`
    /// holds accepted RFCs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl Mount {
    /// The source folder's path segments (`.` and empty segments dropped), or why it cannot be
    /// mounted: it must be a relative path that stays inside the handbook root.
    pub fn source_segments(&self) -> Result<Vec<&str>, String> {
        let path = Path::new(&self.source);
        if self.source.trim().is_empty() {
            return Err("is empty".into());
        }
        if path.is_absolute() || self.source.starts_with(['/', '\\']) {
            return Err("is an absolute path; mount folders inside the handbook root".into());
        }
        if path.components().any(|c| matches!(c, Component::ParentDir)) || self.source.contains('\\') {
            return Err("leaves the handbook root; mount folders inside it".into());
        }
        Ok(self.source.split('/').filter(|s| !s.is_empty() && *s != ".").collect())
    }

    /// The site path its pages appear under, without slashes at either end (`""` for the site
    /// root), or why it cannot be one of the site's paths.
    pub fn target_path(&self) -> Result<String, String> {
        let written = match &self.target {
            // `.` is the site root, as it is the handbook root in `source`.
            Some(target) => target
                .split('/')
                .filter(|s| !s.is_empty() && *s != ".")
                .collect::<Vec<_>>()
                .join("/"),
            None => self.source_segments()?.last().map_or(String::new(), |s| s.to_string()),
        };
        if written.is_empty() {
            return Ok(written);
        }
        for segment in written.split('/') {
            check_segment(segment).map_err(|why| format!("`{written}` cannot be a site path: {why}"))?;
        }
        Ok(written)
    }

    /// The kind named by `kind`, `Ok(None)` when none is, or the names it may take.
    pub fn kind(&self) -> Result<Option<Kind>, String> {
        let Some(name) = &self.kind else { return Ok(None) };
        Kind::from_name(&name.to_ascii_lowercase()).map(Some).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            format!("use one of: {}", names.join(", "))
        })
    }
}

/// Every problem with the `[[mounts]]` of a configuration: the key path of the value at fault
/// (`["mounts", "1", "target"]`), an error code, a message and help.
pub(super) fn problems(mounts: &[Mount]) -> Vec<(Vec<String>, &'static str, String, String)> {
    let mut problems = Vec::new();
    let mut targets: Vec<(String, usize)> = Vec::new();
    let mut sources: Vec<(Vec<&str>, usize)> = Vec::new();
    let at = |i: usize, key: &str| vec!["mounts".to_string(), i.to_string(), key.to_string()];
    for (i, mount) in mounts.iter().enumerate() {
        match mount.source_segments() {
            Err(why) => problems.push((
                at(i, "source"),
                "bad-mount",
                format!("the mounted folder `{}` {why}", mount.source),
                "write a folder relative to the handbook root, such as \"doc/adr\"".into(),
            )),
            Ok(segments) => {
                if let Some((_, first)) = sources.iter().find(|(other, _)| *other == segments) {
                    problems.push((
                        at(i, "source"),
                        "mount-conflict",
                        format!(
                            "`{}` is mounted twice (also by mount {}, `source = \"{}\"`)",
                            mount.source,
                            first + 1,
                            mounts[*first].source
                        ),
                        "mount each folder once".into(),
                    ));
                }
                sources.push((segments, i));
            }
        }
        match mount.target_path() {
            Err(why) => problems.push((
                at(i, if mount.target.is_some() { "target" } else { "source" }),
                "bad-mount",
                format!("the mount's place in the site cannot be used: {why}"),
                "write `target` as the site path for its pages, such as \"rfcs\"".into(),
            )),
            Ok(target) => {
                if let Some((_, first)) = targets.iter().find(|(other, _)| *other == target) {
                    problems.push((
                        at(i, if mount.target.is_some() { "target" } else { "source" }),
                        "mount-conflict",
                        format!(
                            "mount {} (`source = \"{}\"`) already shows its pages at `{target}/`",
                            first + 1,
                            mounts[*first].source
                        ),
                        "give each mount its own `target`".into(),
                    ));
                }
                targets.push((target, i));
            }
        }
        if let Err(help) = mount.kind() {
            problems.push((
                at(i, "kind"),
                "unknown-kind",
                format!("`{}` is not a kind", mount.kind.as_deref().unwrap_or_default()),
                help,
            ));
        }
        if mount.status.as_deref().is_some_and(|s| s.trim().is_empty()) {
            problems.push((
                at(i, "status"),
                "bad-mount",
                "the mount's `status` is empty".into(),
                "write the status of its records that state none, such as \"accepted\", or leave it out".into(),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mount(source: &str, target: Option<&str>) -> Mount {
        Mount {
            source: source.into(),
            target: target.map(String::from),
            kind: None,
            status: None,
        }
    }

    #[test]
    fn targets_default_to_the_folder_name() {
        assert_eq!(mount("doc/adr", None).target_path().unwrap(), "adr");
        assert_eq!(mount("text/", Some("/rfcs/")).target_path().unwrap(), "rfcs");
        assert_eq!(mount(".", Some("")).target_path().unwrap(), "");
        assert_eq!(mount("text", Some("./")).target_path().unwrap(), "");
        assert_eq!(mount("text", Some("./rfcs/")).target_path().unwrap(), "rfcs");
        assert_eq!(mount("./docs/./adr", None).source_segments().unwrap(), ["docs", "adr"]);
    }

    #[test]
    fn sources_stay_inside_the_root_and_targets_are_safe() {
        assert!(mount("../elsewhere", None).source_segments().is_err());
        assert!(mount("/etc", None).source_segments().is_err());
        assert!(mount("", None).source_segments().is_err());
        assert!(mount("text", Some("a/../b")).target_path().is_err());
        assert!(mount("text", Some("a/b:c")).target_path().is_err());
    }

    #[test]
    fn conflicts_are_reported_at_the_later_mount() {
        let found = problems(&[mount("a/adr", None), mount("b/adr", None), mount("a/adr/", Some("x"))]);
        let codes: Vec<(&str, &str)> = found.iter().map(|(path, code, ..)| (path[1].as_str(), *code)).collect();
        assert_eq!(codes, [("1", "mount-conflict"), ("2", "mount-conflict")]);
    }
}
