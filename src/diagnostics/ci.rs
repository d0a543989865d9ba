//! Diagnostics in the forms CI systems show next to the code: GitHub Actions' workflow commands
//! (annotations on the pull request's files) and GitLab's Code Quality report (findings in the
//! merge request). Under `--strict` a warning fails the check, so it is reported as an error in
//! both, as in JSON.
//!
//! Formats: <https://docs.github.com/actions/reference/workflow-commands-for-github-actions>
//! (`::error file=…,line=…,col=…,title=…::message`), and GitLab's Code Quality report, a JSON
//! array of Code Climate issues (`description`, `check_name`, `fingerprint`, `severity`,
//! `location.path`, `location.lines.begin`).
//!
//! Both systems place a finding by its path from the repository's top folder, while diagnostics
//! name files from the handbook's root, which may be a folder inside the repository (`docs/`):
//! the caller passes that folder's path from the top as `prefix` ([`repository_prefix`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Diagnostic, Severity};

/// The handbook root's path from the top of the git repository holding it (`docs` for a
/// handbook in `repo/docs/`), found as git finds the top: the nearest folder upwards with a
/// `.git` (a folder, or a file in worktrees and submodules). Empty when the root is the top, or
/// is in no repository.
pub fn repository_prefix(root: &Path) -> PathBuf {
    let Ok(root) = root.canonicalize() else {
        return PathBuf::new();
    };
    root.ancestors()
        .find(|folder| folder.join(".git").exists())
        .and_then(|top| root.strip_prefix(top).ok())
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// A diagnostic's file as CI systems name it: from the repository's top, with `/` between
/// folders on every platform.
fn ci_path(file: &Path, prefix: &Path) -> String {
    prefix.join(file).to_string_lossy().replace('\\', "/")
}

/// The severity a diagnostic is reported with: a warning is an error under `strict`.
pub fn reported_severity(diagnostic: &Diagnostic, strict: bool) -> Severity {
    match diagnostic.severity {
        Severity::Warning if strict => Severity::Error,
        severity => severity,
    }
}

/// One GitHub workflow command per diagnostic, each on its own line: `error`, `warning` or
/// `notice`, with the file (from the repository's top: `prefix` is the handbook root's path
/// from there), line, column and the code as its title; the help follows the message on a line
/// of its own.
pub fn github_commands(diagnostics: &[Diagnostic], strict: bool, prefix: &Path) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match reported_severity(d, strict) {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut properties = Vec::new();
        if let Some(file) = &d.file {
            properties.push(format!("file={}", github_property(&ci_path(file, prefix))));
        }
        if let Some(p) = d.position {
            properties.push(format!("line={}", p.line));
            properties.push(format!("col={}", p.column));
        }
        properties.push(format!("title={}", github_property(d.code)));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            github_data(&message)
        ));
    }
    out
}

/// A workflow command's message: `%`, carriage returns and line feeds escaped.
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value: as [`github_data`], and `:` and `,` too.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// GitLab's Code Quality report: one issue per diagnostic that has a file (GitLab shows only
/// those; paths from the repository's top, as for [`github_commands`]), with a fingerprint that
/// stays the same from one pipeline to the next while the problem does. GitLab compares
/// fingerprints to tell new findings from fixed ones, so the fingerprint leaves out the line:
/// an edit above a problem moves it without making it new. Identical findings in one file are
/// told apart by their order.
pub fn gitlab_code_quality(diagnostics: &[Diagnostic], strict: bool, prefix: &Path) -> serde_json::Value {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<serde_json::Value> = diagnostics
        .iter()
        .filter_map(|d| {
            let path = ci_path(d.file.as_ref()?, prefix);
            let severity = match reported_severity(d, strict) {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Note => "info",
            };
            let line = d.position.map_or(1, |p| p.line);
            let description = match &d.help {
                Some(help) => format!("{} (help: {help})", d.message),
                None => d.message.clone(),
            };
            let finding = format!("{}\0{path}\0{}", d.code, d.message);
            let occurrence = seen.entry(finding.clone()).or_default();
            *occurrence += 1;
            let fingerprint = fnv1a(&format!("{finding}\0{occurrence}"));
            Some(serde_json::json!({
                "type": "issue",
                "check_name": d.code,
                "description": description,
                "categories": ["Bug Risk"],
                "severity": severity,
                "fingerprint": format!("{fingerprint:016x}"),
                "location": { "path": path, "lines": { "begin": line } },
            }))
        })
        .collect();
    serde_json::Value::Array(issues)
}

/// The 64-bit FNV-1a hash: small, and the same in every build, unlike the standard hasher.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceText;

    fn warning() -> Diagnostic {
        let text = "title = \"A\"\nowner = \"bob\"\n";
        Diagnostic::warning("unknown-person", "`bob` has no page in people/, 100%")
            .at(&SourceText::new(Path::new("content/a, b:c.md"), text), 12..25)
            .help("add it\nor fix it")
    }

    fn top() -> &'static Path {
        Path::new("")
    }

    #[test]
    fn github_commands_escape_and_follow_strict() {
        assert_eq!(
            github_commands(&[warning()], false, top()),
            "::warning file=content/a%2C b%3Ac.md,line=2,col=1,title=unknown-person::`bob` has no page in people/, 100%25%0Ahelp: add it%0Aor fix it\n"
        );
        assert!(github_commands(&[warning()], true, top()).starts_with("::error file="));
        assert!(
            github_commands(&[Diagnostic::note("no-history", "n")], false, top())
                .starts_with("::notice title=no-history::n")
        );
    }

    #[test]
    fn files_are_named_from_the_repository_top() {
        let prefix = Path::new("docs/handbook");
        assert!(
            github_commands(&[warning()], false, prefix)
                .starts_with("::warning file=docs/handbook/content/a%2C b%3Ac.md,")
        );
        let report = gitlab_code_quality(&[warning()], false, prefix);
        assert_eq!(report[0]["location"]["path"], "docs/handbook/content/a, b:c.md");

        let repo = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(repo.path().join(".git")).unwrap();
        std::fs::create_dir_all(repo.path().join("docs/handbook")).unwrap();
        assert_eq!(
            repository_prefix(&repo.path().join("docs/handbook")),
            Path::new("docs/handbook")
        );
        assert_eq!(repository_prefix(repo.path()), Path::new(""));
    }

    #[test]
    fn gitlab_fingerprints_survive_moved_lines_and_tell_repeats_apart() {
        let report = gitlab_code_quality(&[warning(), Diagnostic::note("no-history", "n")], true, top());
        let issues = report.as_array().unwrap();
        assert_eq!(issues.len(), 1, "what has no file is left out");
        assert_eq!(issues[0]["severity"], "major");
        assert_eq!(issues[0]["location"]["lines"]["begin"], 2);
        let fingerprint =
            |d: &Diagnostic| gitlab_code_quality(std::slice::from_ref(d), false, top())[0]["fingerprint"].clone();
        assert_eq!(issues[0]["fingerprint"], fingerprint(&warning()), "strict or not");

        // The same problem two lines further down (an edit above it) keeps its fingerprint.
        let moved = Diagnostic::warning("unknown-person", "`bob` has no page in people/, 100%").at(
            &SourceText::new(Path::new("content/a, b:c.md"), "\n\ntitle = \"A\"\nowner = \"bob\"\n"),
            14..27,
        );
        assert_eq!(moved.position.unwrap().line, 4);
        assert_eq!(fingerprint(&moved), fingerprint(&warning()));

        // Two identical findings in one file stay two issues.
        let twice = gitlab_code_quality(&[warning(), moved], false, top());
        assert_ne!(twice[0]["fingerprint"], twice[1]["fingerprint"]);

        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
