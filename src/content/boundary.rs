//! The handbook's boundary: which files a build may read.
//!
//! The build runs on pull requests, so a symbolic link in the handbook is untrusted: one to
//! `/etc/passwd` in `static/` or to `/proc/self/environ` in `content/` would publish the build
//! machine's secrets. The rule, applied alike by `build`, `check` and `serve`: a file or folder is
//! read only when its real path (every symbolic link resolved) lies inside the handbook root, and
//! only regular files are read — devices, FIFOs and sockets never are (reading a FIFO would hang
//! the build). Everything refused is skipped with a warning naming it.

use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The handbook root, with every symbolic link resolved, that reads must stay inside.
#[derive(Debug, Clone)]
pub struct Boundary {
    root: PathBuf,
}

/// Why a path may not be read.
#[derive(Debug)]
pub enum Refusal {
    /// Its real path lies outside the handbook root.
    Outside(PathBuf),
    /// It is not a regular file or folder (a device, FIFO or socket).
    Special,
    /// Its real path could not be found (a dangling link, a permission error).
    Unresolvable(io::Error),
}

impl Boundary {
    /// The boundary of the handbook in `root`.
    pub fn new(root: &Path) -> Boundary {
        Boundary {
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// Whether `path` (a file or folder) may be read.
    pub fn check(&self, path: &Path) -> Result<(), Refusal> {
        let real = path.canonicalize().map_err(Refusal::Unresolvable)?;
        if !real.starts_with(&self.root) {
            return Err(Refusal::Outside(real));
        }
        let kind = std::fs::metadata(&real).map_err(Refusal::Unresolvable)?.file_type();
        if kind.is_file() || kind.is_dir() {
            Ok(())
        } else {
            Err(Refusal::Special)
        }
    }
}

impl Refusal {
    /// The warning for skipping `shown` (a path relative to the handbook root).
    pub fn into_diagnostic(self, shown: &Path) -> Diagnostic {
        let diagnostic = match self {
            Refusal::Outside(real) => Diagnostic::warning(
                "outside-handbook",
                format!(
                    "skipped: this leads outside the handbook folder (to {}), and a build reads only files inside it",
                    real.display()
                ),
            )
            .help("copy the file into the handbook, or remove the symbolic link"),
            Refusal::Special => Diagnostic::warning(
                "special-file",
                "skipped: this is not a regular file (a device, FIFO or socket), so it is never read",
            )
            .help("remove it from the handbook"),
            Refusal::Unresolvable(err) => {
                Diagnostic::warning("unreadable", format!("skipped: cannot follow it: {err}"))
                    .help("fix or remove the symbolic link")
            }
        };
        diagnostic.in_file(shown)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_out_of_the_root_and_special_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), "# A").unwrap();
        std::fs::write(dir.path().join("secret"), "token").unwrap();
        symlink(root.join("content/a.md"), root.join("content/b.md")).unwrap();
        symlink(dir.path().join("secret"), root.join("content/s.md")).unwrap();
        symlink("/dev/null", root.join("content/null.md")).unwrap();
        let boundary = Boundary::new(&root);
        assert!(boundary.check(&root.join("content/a.md")).is_ok());
        assert!(boundary.check(&root.join("content/b.md")).is_ok());
        assert!(matches!(
            boundary.check(&root.join("content/s.md")),
            Err(Refusal::Outside(_))
        ));
        assert!(matches!(
            boundary.check(&root.join("content/null.md")),
            Err(Refusal::Outside(_))
        ));
        assert!(boundary.check(&PathBuf::from("/dev/null")).is_err());
    }
}
