//! Diagnostics in the forms CI systems show next to the code: GitHub Actions' workflow commands
//! (annotations on the pull request's files) and GitLab's Code Quality report (findings in the
//! merge request). Under `--strict` a warning fails the check, so it is reported as an error in
//! both, as in JSON.
//!
//! Formats: <https://docs.github.com/actions/reference/workflow-commands-for-github-actions>
//! (`::error file=…,line=…,col=…,title=…::message`), and GitLab's Code Quality report, a JSON
//! array of Code Climate issues (`description`, `check_name`, `fingerprint`, `severity`,
//! `location.path`, `location.lines.begin`).

use super::{Diagnostic, Severity};

/// The severity a diagnostic is reported with: a warning is an error under `strict`.
pub fn reported_severity(diagnostic: &Diagnostic, strict: bool) -> Severity {
    match diagnostic.severity {
        Severity::Warning if strict => Severity::Error,
        severity => severity,
    }
}

/// One GitHub workflow command per diagnostic, each on its own line: `error`, `warning` or
/// `notice`, with the file, line, column and the code as its title; the help follows the
/// message on a line of its own.
pub fn github_commands(diagnostics: &[Diagnostic], strict: bool) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match reported_severity(d, strict) {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut properties = Vec::new();
        if let Some(file) = &d.file {
            properties.push(format!("file={}", github_property(&file.to_string_lossy())));
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
/// those), with a fingerprint that stays the same from one pipeline to the next while the
/// problem does.
pub fn gitlab_code_quality(diagnostics: &[Diagnostic], strict: bool) -> serde_json::Value {
    let issues: Vec<serde_json::Value> = diagnostics
        .iter()
        .filter_map(|d| {
            let path = d.file.as_ref()?.to_string_lossy().into_owned();
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
            let fingerprint = fnv1a(&format!("{}\0{path}\0{line}\0{}", d.code, d.message));
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
            .at(
                &SourceText::new(std::path::Path::new("content/a, b:c.md"), text),
                12..25,
            )
            .help("add it\nor fix it")
    }

    #[test]
    fn github_commands_escape_and_follow_strict() {
        assert_eq!(
            github_commands(&[warning()], false),
            "::warning file=content/a%2C b%3Ac.md,line=2,col=1,title=unknown-person::`bob` has no page in people/, 100%25%0Ahelp: add it%0Aor fix it\n"
        );
        assert!(github_commands(&[warning()], true).starts_with("::error file="));
        assert!(
            github_commands(&[Diagnostic::note("no-history", "n")], false).starts_with("::notice title=no-history::n")
        );
    }

    #[test]
    fn gitlab_issues_have_stable_fingerprints_and_leave_out_what_has_no_file() {
        let report = gitlab_code_quality(&[warning(), Diagnostic::note("no-history", "n")], true);
        let issues = report.as_array().unwrap();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0]["severity"], "major");
        assert_eq!(issues[0]["location"]["lines"]["begin"], 2);
        assert_eq!(
            issues[0]["fingerprint"],
            gitlab_code_quality(&[warning()], false).as_array().unwrap()[0]["fingerprint"]
        );
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
