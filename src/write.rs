//! Writing: the new site goes into a temporary folder beside the output, which is then swapped
//! in. A failed build never leaves a half-written or emptied site, and files of pages that no
//! longer exist disappear with the old folder.

use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::content::load::CONTENT_DIR;
use crate::render::{Contents, OutputFile, ThemeFile};

/// Marks a folder as written by handbook, so a later build may replace it.
pub const MARKER: &str = ".handbook-output";

/// Why the output folder cannot be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder is one the tool must not replace.
    Refused(String),
    /// The file system failed.
    Io {
        /// The path being written.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused(why) => f.write_str(why),
            WriteError::Io { path, source } => write!(f, "cannot write {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses an output folder that is the handbook root, `content/`, holds either of them, lies
/// inside `content/`, or is a non-empty folder that handbook did not write.
pub fn check_output(root: &Path, output: &Path) -> Result<(), WriteError> {
    let root = absolute(root);
    let output = absolute(output);
    let content = root.join(CONTENT_DIR);
    let shown = output.display();
    if root.starts_with(&output) {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {shown}: it is (or contains) the handbook folder, which would be deleted"
        )));
    }
    if content.starts_with(&output) || output.starts_with(&content) {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {shown}: it is, contains or lies inside {CONTENT_DIR}/"
        )));
    }
    if output.exists() {
        if !output.is_dir() {
            return Err(WriteError::Refused(format!(
                "refusing to write the site to {shown}: it is a file, not a folder"
            )));
        }
        let empty = std::fs::read_dir(&output).map_err(io_error(&output))?.next().is_none();
        if !empty && !output.join(MARKER).exists() {
            return Err(WriteError::Refused(format!(
                "refusing to replace {shown}: it is not empty and was not written by handbook; remove it or choose another --output"
            )));
        }
    }
    Ok(())
}

/// The absolute form of `path`, with `.` and `..` folded and symbolic links of the part that
/// exists resolved, so that two spellings of one folder compare equal.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let mut existing = clean.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    resolved
}

/// Writes `files` into a fresh folder and swaps it in at `output`.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let output = absolute(output);
    let parent = output
        .parent()
        .ok_or_else(|| WriteError::Refused("the output cannot be the file-system root".into()))?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::create_dir_all(parent).map_err(io_error(parent))?;
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let result = fill(&staging, files).and_then(|()| swap(&staging, &output, parent, &name));
    if result.is_err() {
        std::fs::remove_dir_all(&staging).ok();
    }
    result
}

fn fill(staging: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    if staging.exists() {
        std::fs::remove_dir_all(staging).map_err(io_error(staging))?;
    }
    let folders: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| staging.join(p)))
        .chain(std::iter::once(staging.to_path_buf()))
        .collect();
    for folder in &folders {
        std::fs::create_dir_all(folder).map_err(io_error(folder))?;
    }
    files.par_iter().try_for_each(|file| {
        let target = staging.join(&file.path);
        match &file.contents {
            Contents::Text(text) => std::fs::write(&target, text),
            Contents::Theme(ThemeFile::Embedded(bytes)) => std::fs::write(&target, bytes),
            Contents::Theme(ThemeFile::File(source)) | Contents::Copy(source) => {
                std::fs::copy(source, &target).map(|_| ())
            }
        }
        .map_err(io_error(&target))
    })?;
    let marker = staging.join(MARKER);
    std::fs::write(
        &marker,
        "This folder is written by `handbook build` and replaced on every build.\n",
    )
    .map_err(io_error(&marker))
}

fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    if !output.exists() {
        return std::fs::rename(staging, output).map_err(io_error(output));
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    std::fs::rename(output, &old).map_err(io_error(output))?;
    if let Err(err) = std::fs::rename(staging, output) {
        std::fs::rename(&old, output).ok();
        return Err(io_error(output)(err));
    }
    std::fs::remove_dir_all(&old).map_err(io_error(&old))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(path: &str, body: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Text(body.into()),
        }
    }

    #[test]
    fn a_new_build_replaces_the_old_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[text("a/index.html", "A"), text("b.html", "B")]).unwrap();
        write_site(&out, &[text("a/index.html", "A2")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "A2");
        assert!(!out.join("b.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }

    #[test]
    fn dangerous_outputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output(&root, &root).is_err());
        assert!(check_output(&root, dir.path()).is_err());
        assert!(check_output(&root, &root.join("content")).is_err());
        assert!(check_output(&root, &root.join("content/site")).is_err());
        assert!(check_output(&root, &root.join("content/../content")).is_err());
        assert!(check_output(&root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/notes.txt"), "mine").unwrap();
        assert!(check_output(&root, &root.join("docs")).is_err());
    }
}
