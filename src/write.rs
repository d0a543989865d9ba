//! Writing: the new site goes into a temporary folder beside the output, which is then swapped
//! in. A failed build never leaves a half-written or emptied site, and files of pages that no
//! longer exist disappear with the old folder. The temporary folder, which a killed build leaves
//! behind until the next build removes it, is hidden from git from its first instant, so that
//! `git add -A` never commits a site by mistake.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::content::load::CONTENT_DIR;
use crate::diagnostics::Diagnostic;
use crate::render::{Contents, OutputFile, ThemeFile};
use crate::routes::check_segment;

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

/// Refuses an output folder that is the handbook root or a mounted folder (`content/` and the
/// `sources` of `[[mounts]]`, relative to `root`), holds any of them, lies inside `content/`, or
/// is a non-empty folder that handbook did not write. (Inside another mounted folder it may
/// lie: walks leave out folders holding [`MARKER`].)
pub fn check_output(root: &Path, output: &Path, sources: &[PathBuf]) -> Result<(), WriteError> {
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
    if let Some(source) = sources
        .iter()
        .find(|source| absolute(&root.join(source)).starts_with(&output))
    {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {shown}: it is (or contains) the mounted folder {}, which would be deleted",
            source.display()
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

/// A new site being written into a fresh folder beside the output, to be swapped in whole by
/// [`Staging::publish`]; dropped unpublished, it is deleted and the output stays as it was.
///
/// The fresh folder is `.NAME.new-PID/site` beside the output `NAME`: the staging folder
/// `.NAME.new-PID` holds the site being written, and a `.gitignore` of `*`, written before
/// anything else, so that git ignores it whole whatever the output is called and however far a
/// killed build got (the site itself never holds that file). Where the system can exchange two
/// paths in one step (Linux's `renameat2` with `RENAME_EXCHANGE`), the swap is that exchange,
/// which leaves the previous site in the staging folder, still hidden. Elsewhere, or when the
/// file system refuses the exchange (`EINVAL`, `ENOSYS`), it falls back to two renames (output
/// into the staging folder, then the new site to output), between which the output path is
/// briefly missing. The staging folder, with the previous site in it, is then deleted; if that
/// fails, the new site is still published, and the failure is a warning (`old-output-left`).
///
/// Files are written as they come, from any thread ([`Staging::write`] takes `&self`), so that a
/// build never holds its whole site in memory.
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    site: PathBuf,
    /// Warnings met while preparing: staging folders of killed builds that could not be removed.
    warnings: Vec<Diagnostic>,
    published: bool,
}

impl Staging {
    /// Removes the staging folders that builds killed while writing left beside `output`, and
    /// creates this build's, hidden from git, with the empty site folder and its [`MARKER`].
    pub fn create(output: &Path) -> Result<Staging, WriteError> {
        let output = absolute(output);
        let parent = output
            .parent()
            .ok_or_else(|| WriteError::Refused("the output cannot be the file-system root".into()))?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        let warnings = remove_debris(parent, &name);
        let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
        let site = staging.join(SITE);
        let created = Staging {
            output,
            staging,
            site,
            warnings,
            published: false,
        };
        create_staging(&created.staging)?;
        // The marker goes in first: the output of every build holds it, which is what lets the
        // next build replace it (see [`check_output`]).
        std::fs::create_dir(&created.site).map_err(io_error(&created.site))?;
        let marker = created.site.join(MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(io_error(&marker))?;
        Ok(created)
    }

    /// Writes `file` into the new site, creating its folders, after refusing a path that could
    /// land outside it (see [`check_relative`]).
    pub fn write(&self, file: &OutputFile) -> Result<(), WriteError> {
        self.put(&file.path, |target| match &file.contents {
            Contents::Text(text) => std::fs::write(target, text),
            Contents::Theme(ThemeFile::Embedded(bytes)) => std::fs::write(target, bytes),
            Contents::Theme(ThemeFile::File(source)) | Contents::Copy(source) => {
                std::fs::copy(source, target).map(|_| ())
            }
        })
    }

    /// Writes the file at site path `path` with what `fill` writes into it, as [`Staging::write`]
    /// writes a file: for a file rendered straight into its file rather than into memory.
    pub fn write_with(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        self.put(path, |target| {
            let mut out = io::BufWriter::with_capacity(1 << 16, std::fs::File::create(target)?);
            fill(&mut out)?;
            out.flush()
        })
    }

    /// Calls `put` to write the file at site path `path`, after refusing a path that could land
    /// outside the new site (see [`check_relative`]), and again after creating the file's folders
    /// when one is missing (most files go into a folder that exists already).
    fn put(&self, path: &str, mut put: impl FnMut(&Path) -> io::Result<()>) -> Result<(), WriteError> {
        check_relative(path)?;
        let target = self.site.join(path);
        match put(&target) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                if let Some(folder) = target.parent() {
                    std::fs::create_dir_all(folder).map_err(io_error(folder))?;
                }
                put(&target)
            }
            done => done,
        }
        .map_err(io_error(&target))
    }

    /// Swaps the new site in for the output, and deletes the previous one. Returns the warnings
    /// met: those of [`Staging::create`], and a previous site that could not be deleted.
    pub fn publish(self) -> Result<Vec<Diagnostic>, WriteError> {
        self.publish_with(remove_hidden)
    }

    fn publish_with(
        mut self,
        remove_staging: impl FnOnce(&Path) -> io::Result<()>,
    ) -> Result<Vec<Diagnostic>, WriteError> {
        let previous_path = self.staging.join(PREVIOUS);
        let previous = match swap(&self.site, &self.output, &previous_path) {
            Ok(previous) => previous,
            Err(err) => {
                // Unless the previous site could not be put back: then it stays, for a person to
                // find (a later build removes it, as any staging folder).
                if previous_path.exists() {
                    self.published = true;
                }
                return Err(err);
            }
        };
        self.published = true;
        let mut warnings = std::mem::take(&mut self.warnings);
        if let Err(err) = remove_staging(&self.staging) {
            let what = match previous {
                Some(_) => "the previous site",
                None => "the folder the site was written in",
            };
            warnings.push(left_behind(what, &self.staging, &err));
        }
        Ok(warnings)
    }
}

impl Drop for Staging {
    /// An unpublished site is deleted: the build failed, and the output stays as it was.
    fn drop(&mut self) {
        if !self.published {
            remove_if_ours(&self.staging).ok();
        }
    }
}

/// Refuses an output file's path unless it is relative and made of names the route table
/// accepts ([`check_segment`]: no empty, `.` or `..` name, no backslash, `:` or control
/// character, so no Windows drive either) joined by `/`. The route table never produces such a
/// path; this is the last check before the file system, so that no mistake there can write
/// outside the output.
fn check_relative(path: &str) -> Result<(), WriteError> {
    match path.split('/').find_map(|name| check_segment(name).err()) {
        Some(why) => Err(WriteError::Refused(format!(
            "refusing to write the output file {path:?}: its path must be relative and made of plain names joined by `/`, but {why}"
        ))),
        None => Ok(()),
    }
}

/// The contents of [`MARKER`].
const MARKER_TEXT: &str = "This folder is written by `handbook build` and replaced on every build.\n";

/// The site inside a staging folder.
const SITE: &str = "site";
/// Where the previous site goes inside the staging folder when the swap takes two renames.
const PREVIOUS: &str = "previous";
/// The file that hides a staging folder from git.
const IGNORE: &str = ".gitignore";
/// Its contents: every name in the folder, itself included.
const IGNORE_TEXT: &str = "# A site being written or deleted by `handbook build`: never to be committed.\n*\n";

/// Creates the staging folder and hides it from git before anything else is in it: an empty
/// folder git does not show, and from the ignore file on, git shows nothing in it. Then marks it
/// as handbook's, so that a staging folder left by a killed build is recognisable (see
/// [`remove_debris`]; one killed before the mark holds the ignore file alone, which is as
/// recognisable).
fn create_staging(staging: &Path) -> Result<(), WriteError> {
    std::fs::create_dir(staging).map_err(io_error(staging))?;
    for (name, text) in [(IGNORE, IGNORE_TEXT), (MARKER, MARKER_TEXT)] {
        let path = staging.join(name);
        std::fs::write(&path, text).map_err(io_error(&path))?;
    }
    Ok(())
}

/// Puts `staging` at `output`, by exchange where possible and by two renames through `old`
/// otherwise (see [`Staging`]); returns where the previous site now is, if there was one.
fn swap(staging: &Path, output: &Path, old: &Path) -> Result<Option<PathBuf>, WriteError> {
    if !output.exists() {
        std::fs::rename(staging, output).map_err(io_error(output))?;
        return Ok(None);
    }
    if exchange(staging, output).map_err(io_error(output))? {
        return Ok(Some(staging.to_path_buf()));
    }
    std::fs::rename(output, old).map_err(io_error(output))?;
    if let Err(err) = std::fs::rename(staging, output) {
        std::fs::rename(old, output).ok();
        return Err(io_error(output)(err));
    }
    Ok(Some(old.to_path_buf()))
}

/// Exchanges two paths in one step; `Ok(false)` when the system or the file system cannot.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

/// Exchanges two paths in one step; `Ok(false)` when the system or the file system cannot.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Removes what builds that died while writing left beside the output `name`: staging folders
/// (`.NAME.new-PID`, holding a site being written or a previous site being deleted) and, from
/// earlier versions, previous sites being deleted (`.NAME.old-PID`). Only names of exactly that
/// form are touched, only real folders (not links), and only when the process PID has ended (or
/// is this one, whose own names are free for it to reuse), so a concurrent build keeps its
/// folders; and only folders that are handbook's (see [`remove_if_ours`]). A marked folder that
/// cannot be removed is a warning.
fn remove_debris(parent: &Path, name: &str) -> Vec<Diagnostic> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| debris_pid(n, name)) else {
            continue;
        };
        let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_folder || (pid != std::process::id() && !has_ended(pid)) {
            continue;
        }
        let path = entry.path();
        if let Err(err) = remove_if_ours(&path) {
            warnings.push(left_behind("a folder left by an interrupted build", &path, &err));
        }
    }
    warnings
}

/// Deletes `folder` if it is handbook's: whole if it holds [`MARKER`], and otherwise only if it
/// is empty or holds nothing but [`IGNORE`] as handbook writes it, or the start of that (a
/// staging folder not marked yet, of a build killed while it wrote the ignore file). Any other
/// folder stays, without complaint.
fn remove_if_ours(folder: &Path) -> io::Result<()> {
    if folder.join(MARKER).is_file() {
        return remove_hidden(folder);
    }
    let ignore = folder.join(IGNORE);
    let only_ignore = std::fs::read_dir(folder).is_ok_and(|entries| {
        let names: Vec<_> = entries.map(|entry| entry.map(|e| e.file_name())).collect();
        matches!(names.as_slice(), [Ok(name)] if name == IGNORE)
    });
    if only_ignore && std::fs::read_to_string(&ignore).is_ok_and(|text| IGNORE_TEXT.starts_with(&text)) {
        std::fs::remove_file(&ignore).ok();
    }
    std::fs::remove_dir(folder).ok();
    Ok(())
}

/// Deletes `folder` and everything in it, its [`IGNORE`] file last: a build killed while it
/// deletes leaves a folder git still does not show. (`remove_dir_all` deletes in any order.)
fn remove_hidden(folder: &Path) -> io::Result<()> {
    remove_entries(folder, |entry| entry.file_name() != IGNORE)?;
    match std::fs::remove_file(folder.join(IGNORE)) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
        _ => {}
    }
    std::fs::remove_dir(folder)
}

/// Deletes the entries of `folder` that `wanted` picks, and everything in them, in parallel
/// down to the last folder: a site is one folder per page, and deleting it is mostly waiting on
/// the kernel for each file, which one thread would do for the whole site (a tenth of a
/// 10,000-page build). Links are deleted, never followed (`DirEntry::file_type` does not follow
/// them), as `remove_dir_all` does.
fn remove_entries(folder: &Path, wanted: fn(&std::fs::DirEntry) -> bool) -> io::Result<()> {
    let entries = std::fs::read_dir(folder)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().filter(|entry| wanted(entry)).try_for_each(|entry| {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            remove_entries(&path, |_| true)?;
            std::fs::remove_dir(path)
        } else {
            std::fs::remove_file(path)
        }
    })
}

/// The PID in `file_name` if it is exactly `.NAME.new-PID` or `.NAME.old-PID`, as this module
/// spells them (decimal digits, no sign or leading zero).
fn debris_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?.strip_prefix('.')?;
    let digits = rest.strip_prefix("new-").or_else(|| rest.strip_prefix("old-"))?;
    let pid: u32 = digits.parse().ok()?;
    (pid.to_string() == digits).then_some(pid)
}

/// Whether process `pid` has certainly ended: `kill(pid, 0)` says no such process. That sees
/// processes of other users and those that a `hidepid` /proc hides, unlike a look in /proc. A
/// process in another PID namespace (another container sharing the folder) is not seen.
#[cfg(unix)]
fn has_ended(pid: u32) -> bool {
    use rustix::process::{Pid, test_kill_process};
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    test_kill_process(pid) == Err(rustix::io::Errno::SRCH)
}

/// Whether process `pid` has certainly ended: never known here, so nothing is removed.
#[cfg(not(unix))]
fn has_ended(_: u32) -> bool {
    false
}

/// The warning for a folder at `path` that could not be deleted.
fn left_behind(what: &str, path: &Path, err: &io::Error) -> Diagnostic {
    Diagnostic::warning(
        "old-output-left",
        format!("{what} could not be deleted from {}: {err}", path.display()),
    )
    .help("it is not part of the site: delete it by hand (the next build tries again)")
}

#[cfg(test)]
mod tests;
