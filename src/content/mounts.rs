//! The folders a handbook's pages come from, and where each appears in the site.
//!
//! `content/` is mounted at the site root (when it exists), and each `[[mounts]]` table of
//! `handbook.toml` mounts a folder where it is: `text/` at `rfcs/`, `doc/adr` at `adr/`. Loading
//! names every page and asset by its *site source*: the mount's target joined with the file's
//! path inside the mount (`rfcs/0001-private-fields.md`), so routes, links, folders and logs work
//! alike for all mounts, while diagnostics and "Edit this page" name the real file
//! (`text/0001-private-fields.md`).
//!
//! No two mounts own one site source: a folder that another mount shows elsewhere (a mount
//! inside a mount), or that a mount's target covers (`content/rfcs/` when `text/` is mounted
//! at `rfcs`), is left out of the outer mount's walk, with a warning for the covered one.

use std::path::{Path, PathBuf};

use crate::config::{Config, Mount as MountConfig};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;

use super::load::CONTENT_DIR;

/// A folder shown in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// The folder, relative to the handbook root (`content`, `doc/adr`, or empty for the root).
    pub source: PathBuf,
    /// Its place in the site, without slashes at either end; `""` is the site root.
    pub target: String,
    /// What its records are, when `[[mounts]] kind` says.
    pub kind: Option<Kind>,
    /// The status of a decision in it that states none.
    pub status: Option<String>,
    /// Its index among `[[mounts]]`, or `None` for `content/`.
    pub index: Option<usize>,
}

/// Every mounted folder of a handbook, in the order they are walked: `content/` first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mounts {
    list: Vec<Mount>,
}

impl Mounts {
    /// The mounts of the handbook in `root`: `content/` at the site root when it exists and no
    /// `[[mounts]]` table mounts it, then each `[[mounts]]` table that passed the configuration's
    /// checks.
    pub fn new(root: &Path, config: &Config) -> Mounts {
        let mut list = Vec::new();
        let configured: Vec<Mount> = config
            .mounts
            .iter()
            .enumerate()
            .filter_map(|(index, mount)| from_config(mount, index))
            .collect();
        let content_mounted = configured.iter().any(|m| m.source == Path::new(CONTENT_DIR));
        if !content_mounted && (root.join(CONTENT_DIR).is_dir() || configured.is_empty()) {
            list.push(Mount {
                source: PathBuf::from(CONTENT_DIR),
                target: String::new(),
                kind: None,
                status: None,
                index: None,
            });
        }
        let content_target = list.first().map(|m: &Mount| m.target.clone());
        list.extend(
            configured
                .into_iter()
                .filter(|m| Some(&m.target) != content_target.as_ref()),
        );
        Mounts { list }
    }

    /// Problems with the mounts that only the handbook's folders show: a `[[mounts]]` at the
    /// site root while `content/` is there too (it is not mounted).
    pub fn problems(&self, config: &Config) -> Vec<Diagnostic> {
        let Some(content) = self.list.iter().find(|m| m.index.is_none()) else {
            return Vec::new();
        };
        config
            .mounts
            .iter()
            .enumerate()
            .filter(|(_, mount)| mount.target_path().ok().as_deref() == Some(content.target.as_str()))
            .map(|(index, _)| {
                let diagnostic = Diagnostic::error(
                    "mount-conflict",
                    format!("{CONTENT_DIR}/ already shows its pages at the site root, so this folder is not mounted"),
                )
                .help("give the mount a `target` (the site path for its pages), or move content/ into a mount");
                let key = if config.mounts[index].target.is_some() {
                    "target"
                } else {
                    "source"
                };
                config.point(diagnostic, &["mounts", &index.to_string(), key])
            })
            .collect()
    }

    /// The mounts, `content/` first.
    pub fn iter(&self) -> impl Iterator<Item = &Mount> {
        self.list.iter()
    }

    /// The mount that shows the site source `source` (`rfcs/0001-x.md`), and the path inside
    /// it (`0001-x.md`): the mount with the longest target that holds it.
    pub fn locate<'s>(&self, source: &'s str) -> Option<(&Mount, &'s str)> {
        self.list
            .iter()
            .filter_map(|mount| Some((mount, mount.inside(source)?)))
            .max_by_key(|(mount, _)| mount.target.len())
    }

    /// The file at site source `source`, relative to the handbook root (`text/0001-x.md`), as
    /// diagnostics name it; `content/…` when no mount holds it.
    pub fn file(&self, source: &str) -> PathBuf {
        match self.locate(source) {
            Some((mount, inside)) => mount.source.join(inside),
            None => Path::new(CONTENT_DIR).join(source),
        }
    }

    /// The site source of the file at `relative` (to the handbook root), when a mount shows it:
    /// the inverse of [`Mounts::file`].
    pub fn source_of(&self, relative: &Path) -> Option<String> {
        let (mount, rest) = self
            .list
            .iter()
            .filter_map(|mount| Some((mount, relative.strip_prefix(&mount.source).ok()?)))
            .max_by_key(|(mount, _)| mount.source.components().count())?;
        let rest: Vec<String> = rest
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let source = join(&mount.target, &rest.join("/"));
        // The file is shown only if this mount is the one its site source leads back to.
        (self.locate(&source).map(|(m, _)| m) == Some(mount)).then_some(source)
    }

    /// The folders (relative to the root) that another mount shows or whose site path another
    /// mount's target covers, which `mount`'s walk leaves out, each with whether the reader
    /// should be told (a folder whose pages are shadowed, not merely shown elsewhere).
    pub fn left_out_of(&self, mount: &Mount) -> Vec<(PathBuf, bool)> {
        let mut out = Vec::new();
        for other in self.list.iter().filter(|other| *other != mount) {
            if other.source.starts_with(&mount.source) && other.source != mount.source {
                out.push((other.source.clone(), false));
            }
            if let Some(inside) = mount.inside(&format!("{}/", other.target))
                && other.target.len() > mount.target.len()
            {
                let covered = mount.source.join(inside.trim_end_matches('/'));
                if covered != other.source {
                    out.push((covered, true));
                }
            }
        }
        out
    }

    /// The warning for a folder of `mount` that another mount's target covers.
    pub fn shadowed(&self, folder: &Path) -> Diagnostic {
        let by = self
            .source_of(folder)
            .and_then(|source| self.locate(&format!("{source}/")).map(|(m, _)| m));
        let message = match by {
            Some(other) => format!(
                "this folder is not shown: the mount of `{}` shows its pages at the same place, `{}/`",
                other.source.display(),
                other.target
            ),
            None => "this folder is not shown: another mount shows its pages at the same place".into(),
        };
        Diagnostic::warning("shadowed-folder", message)
            .in_file(folder)
            .help("give the `[[mounts]]` another `target`, or move the folder")
    }
}

impl Mount {
    /// The path of site source `source` inside this mount, when it lies in it.
    fn inside<'s>(&self, source: &'s str) -> Option<&'s str> {
        if self.target.is_empty() {
            return Some(source);
        }
        let rest = source.strip_prefix(&self.target)?;
        if rest.is_empty() {
            Some(rest)
        } else {
            rest.strip_prefix('/')
        }
    }

    /// The site source of `inside`, a path inside this mount.
    pub fn source_of(&self, inside: &str) -> String {
        join(&self.target, inside)
    }
}

/// The mount a `[[mounts]]` table asks for, when it passed the configuration's checks.
fn from_config(mount: &MountConfig, index: usize) -> Option<Mount> {
    let segments = mount.source_segments().ok()?;
    Some(Mount {
        source: segments.iter().collect(),
        target: mount.target_path().ok()?,
        kind: mount.kind().ok()?,
        status: mount.status.clone(),
        index: Some(index),
    })
}

fn join(target: &str, inside: &str) -> String {
    match (target.is_empty(), inside.is_empty()) {
        (true, _) => inside.to_string(),
        (false, true) => target.to_string(),
        (false, false) => format!("{target}/{inside}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mounts(extra: &[(&str, Option<&str>)]) -> Mounts {
        let mut config = Config::default();
        config.mounts = extra
            .iter()
            .map(|(source, target)| MountConfig {
                source: source.to_string(),
                target: target.map(String::from),
                kind: None,
                status: None,
            })
            .collect();
        Mounts::new(Path::new("/nonexistent"), &config)
    }

    #[test]
    fn site_sources_and_files_map_both_ways() {
        let m = mounts(&[("text", Some("rfcs")), ("doc/adr", None)]);
        assert_eq!(m.file("rfcs/0001-x.md"), Path::new("text/0001-x.md"));
        assert_eq!(m.file("adr/0002-y.md"), Path::new("doc/adr/0002-y.md"));
        assert_eq!(
            m.source_of(Path::new("text/0001-x.md")).as_deref(),
            Some("rfcs/0001-x.md")
        );
        assert_eq!(m.source_of(Path::new("doc/adr/a/b.md")).as_deref(), Some("adr/a/b.md"));
        assert_eq!(m.source_of(Path::new("src/main.rs")), None);
    }

    #[test]
    fn content_is_mounted_at_the_root_unless_a_mount_takes_it() {
        let m = mounts(&[]);
        assert_eq!(m.iter().map(|m| m.target.as_str()).collect::<Vec<_>>(), [""]);
        let m = mounts(&[("content", Some("docs"))]);
        assert_eq!(m.iter().count(), 1);
        assert_eq!(m.file("docs/a.md"), Path::new("content/a.md"));
    }

    #[test]
    fn nested_and_covered_folders_are_left_out_of_the_outer_walk() {
        let m = mounts(&[(".", Some("")), ("text", Some("rfcs"))]);
        let root = m.iter().find(|m| m.source.as_os_str().is_empty()).unwrap();
        let left_out = m.left_out_of(root);
        assert!(left_out.contains(&(PathBuf::from("text"), false)));
        assert!(left_out.contains(&(PathBuf::from("rfcs"), true)));
    }
}
