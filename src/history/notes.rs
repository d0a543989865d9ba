//! What the build says, once, when git cannot date the pages: each cause in its own words, since
//! each has its own remedy (install git, commit the handbook, fetch the whole history).

use std::path::Path;
use std::process::Command;

use crate::diagnostics::Diagnostic;

/// What every note says the pages fall back to.
const FRONT_MATTER: &str = "so pages show only the dates their front matter gives";
/// The remedy when there is no repository to read.
const SET_DATES: &str = "set `date` and `updated` in front matter, or build from a git checkout";
/// The remedy when the repository has nothing of the handbook yet.
const COMMIT: &str =
    "commit the handbook (`git add -A && git commit`): the next build dates every page from its commits";

/// Git could not be started at all.
pub(super) fn git_not_run(err: &std::io::Error) -> Diagnostic {
    let why = if err.kind() == std::io::ErrorKind::NotFound {
        "git is not installed (or not on the PATH)".to_string()
    } else {
        format!("git could not be run ({err})")
    };
    Diagnostic::note("no-history", format!("{why}, {FRONT_MATTER}"))
        .help("install git, or set `date` and `updated` in front matter")
}

/// Why `git log` failed, with `log_error` its standard error. The case that looks like another
/// is a repository whose current branch has no commit yet (right after `git init`): git fails
/// there as it does outside any repository. `git rev-parse --verify HEAD` tells them apart by its
/// exit status: 1 when `HEAD` names no commit, 128 outside a repository (or in one git refuses,
/// such as one owned by another user, which its message then names).
pub(super) fn unreadable(root: &Path, log_error: &[u8]) -> Diagnostic {
    let verify = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--quiet", "--verify", "HEAD^{commit}"])
        // Git's own words in English, to be recognised below.
        .env("LC_ALL", "C")
        .output();
    let note = |message: String| Diagnostic::note("no-history", format!("{message}, {FRONT_MATTER}"));
    match verify.as_ref().map(|o| (o.status.code(), o)) {
        Ok((Some(1), _)) => {
            note("the handbook's git repository has no commits yet (on its current branch)".into()).help(COMMIT)
        }
        // `HEAD` is a commit, yet the log failed: most likely a git too old for its options.
        Ok((Some(0), _)) => note(format!(
            "`git log` could not read the handbook's history ({})",
            first_line(log_error)
        ))
        .help(format!(
            "handbook needs git 2.31 or later (`git --version`); or {SET_DATES}"
        )),
        Ok((_, output)) if output.stderr.starts_with(b"fatal: not a git repository") => {
            note("the handbook is not in a git repository".into()).help(SET_DATES)
        }
        Ok((_, output)) => note(format!(
            "git cannot read the handbook's repository ({})",
            first_line(&output.stderr)
        ))
        .help(SET_DATES),
        Err(_) => note(format!("`git log` failed ({})", first_line(log_error))).help(SET_DATES),
    }
}

/// The repository has commits, but none touched the handbook's files: not committed yet, or a
/// handbook just made in an existing repository. Without this note, pages would lose their
/// dates with no word why.
pub(super) fn nothing_committed() -> Diagnostic {
    Diagnostic::note(
        "no-history",
        format!("no commit has touched the handbook's files yet, {FRONT_MATTER}"),
    )
    .help(COMMIT)
}

/// The clone is shallow: some pages' history is cut short.
pub(super) fn shallow() -> Diagnostic {
    Diagnostic::note(
        "shallow-history",
        "this is a shallow clone: pages whose history it cuts short show no creation date, and no last change or author unless a later commit changed them",
    )
    .help("fetch the whole history: `git fetch --unshallow`; in GitHub Actions, `fetch-depth: 0` for actions/checkout; in GitLab CI, `GIT_DEPTH: 0`")
}

/// The first line of what git wrote, trimmed.
fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("git failed without a message")
        .to_string()
}
