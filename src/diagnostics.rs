//! Diagnostics: errors and warnings that point at a place in a user's file.
//!
//! Every stage of the pipeline collects diagnostics instead of stopping at the first problem, so
//! one run of `handbook build` reports everything that is wrong. A diagnostic owns the text of the
//! line it points at, which lets the binary render it (with a marker under the offending bytes)
//! without reading the file again.

pub mod ci;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Information worth a line (what the build could not know); never fails anything.
    Note,
    /// The build still succeeds; `check --strict` fails on it.
    Warning,
    /// The build fails.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A place in a file: 1-based line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line number in the whole file (not in the front-matter block).
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// The line a diagnostic points at, with the byte range to underline in it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Excerpt {
    text: String,
    underline: Range<usize>,
}

/// One problem found in a handbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable, kebab-case name for the kind of problem (e.g. `unknown-status`), for tools.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file, relative to the handbook root, when the problem is in one.
    pub file: Option<PathBuf>,
    /// Where in `file`.
    pub position: Option<Position>,
    /// How to fix it.
    pub help: Option<String>,
    excerpt: Option<Box<Excerpt>>,
}

impl Diagnostic {
    /// An error that is not (yet) tied to a file.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A note that is not (yet) tied to a file.
    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, message)
    }

    /// A warning that is not (yet) tied to a file.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: None,
            position: None,
            help: None,
            excerpt: None,
        }
    }

    /// Points the diagnostic at a whole file, with no position in it.
    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.to_path_buf());
        self
    }

    /// Points the diagnostic at bytes `range` of `source`.
    pub fn at(mut self, source: &SourceText<'_>, range: Range<usize>) -> Self {
        let start = floor_char_boundary(source.text, range.start.min(source.text.len()));
        let (line, line_range) = source.line_of(start);
        // The `\n` of a `\r\n` is past the line's end as `line_of` gives it.
        let start = start.min(line_range.end);
        let line_text = &source.text[line_range.clone()];
        let column_byte = start - line_range.start;
        let end = ceil_char_boundary(source.text, range.end.clamp(start, line_range.end));
        self.file = Some(source.path.to_path_buf());
        let column = line_text[..column_byte].chars().count() + 1;
        self.position = Some(Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        });
        self.excerpt = Some(Box::new(Excerpt {
            text: line_text.to_string(),
            underline: column_byte..column_byte + (end - start),
        }));
        self
    }

    /// Adds advice on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic fails a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether this diagnostic fails `check --strict`.
    pub fn fails_strict(&self) -> bool {
        self.severity >= Severity::Warning
    }

    /// Renders the diagnostic the way a compiler would: the message, `file:line:col`, the
    /// offending line with a marker under the problem, and the advice.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let file = self.file.as_ref().map(|f| f.display().to_string()).unwrap_or_default();
        let title = level.primary_title(&self.message).id(self.code);
        let main = match (&self.excerpt, &self.position) {
            (Some(excerpt), Some(position)) => {
                let mut underline = excerpt.underline.clone();
                if underline.is_empty() {
                    underline.end = next_char_boundary(&excerpt.text, underline.start);
                }
                title.element(
                    Snippet::source(&excerpt.text)
                        .line_start(position.line as usize)
                        .path(&file)
                        .annotation(AnnotationKind::Primary.span(underline)),
                )
            }
            _ if !file.is_empty() => title.element(annotate_snippets::Origin::path(&file)),
            _ => Group::with_title(title),
        };
        let mut report = vec![main];
        if let Some(help) = &self.help {
            report.push(Group::with_title(Level::HELP.secondary_title(help)));
        }
        let renderer = if color { Renderer::styled() } else { Renderer::plain() };
        renderer.render(&report)
    }

    /// The diagnostic as JSON, for tools (`check --format json`) and the browser (`serve`):
    /// `file`, `line`, `column`, `severity`, `code`, `message` and `help`, null when unknown.
    /// Under `strict` a warning's severity is `error`, since it fails the check.
    pub fn to_json(&self, strict: bool) -> serde_json::Value {
        serde_json::json!({
            "file": self.file.as_ref().map(|f| f.display().to_string()),
            "line": self.position.map(|p| p.line),
            "column": self.position.map(|p| p.column),
            "severity": ci::reported_severity(self, strict).to_string(),
            "code": self.code,
            "message": self.message,
            "help": self.help,
        })
    }

    /// `file:line:col`, `file`, or nothing, whichever is known.
    pub fn location(&self) -> String {
        match (&self.file, &self.position) {
            (Some(file), Some(p)) => format!("{}:{}:{}", file.display(), p.line, p.column),
            (Some(file), None) => file.display().to_string(),
            _ => String::new(),
        }
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

fn next_char_boundary(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:col: error: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location();
        if !location.is_empty() {
            write!(f, "{location}: ")?;
        }
        write!(f, "{}: {}", self.severity, self.message)
    }
}

/// The text of a file together with its path, for turning byte offsets into positions.
#[derive(Debug, Clone, Copy)]
pub struct SourceText<'a> {
    /// The path shown to the user (relative to the handbook root).
    pub path: &'a Path,
    /// The whole file.
    pub text: &'a str,
}

impl<'a> SourceText<'a> {
    /// Wraps a file's text.
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        SourceText { path, text }
    }

    /// The 1-based line number holding byte `offset`, and the byte range of that line
    /// (without its line ending).
    fn line_of(&self, offset: usize) -> (usize, Range<usize>) {
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[offset..].find('\n').map_or(self.text.len(), |i| offset + i);
        let end = if self.text[..end].ends_with('\r') { end - 1 } else { end };
        (line, start..end.max(start))
    }

    /// The bytes of 1-based `line`, without its line break.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = self.offset_of_line(line);
        let end = self.text[start..].find('\n').map_or(self.text.len(), |i| start + i);
        start..end
    }

    /// The byte offset of the start of 1-based `line` (the end of the text past the last line).
    pub fn offset_of_line(&self, line: usize) -> usize {
        if line <= 1 {
            return 0;
        }
        self.text
            .match_indices('\n')
            .nth(line - 2)
            .map_or(self.text.len(), |(i, _)| i + 1)
    }
}

/// The diagnostics of one run, errors and warnings together.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Whether any of them fails the build.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// All diagnostics, sorted by file and position so output is stable across runs.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            (&a.file, a.position, b.severity, &a.message).cmp(&(&b.file, b.position, a.severity, &b.message))
        });
        self.0
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.0.extend(iter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_file_lines_and_character_columns() {
        let text = "+++\ntitle = \"Café\"\ndate = \"yesterday\"\n+++\n";
        let source = SourceText::new(Path::new("a.md"), text);
        let at = text.find("\"yesterday\"").unwrap();
        let d = Diagnostic::error("bad-date", "not a date").at(&source, at..at + 11);
        assert_eq!(d.position, Some(Position { line: 3, column: 8 }));
        assert_eq!(d.to_string(), "a.md:3:8: error: not a date");
        let rendered = d.render(false);
        assert!(rendered.contains("date = \"yesterday\""), "{rendered}");
        assert!(rendered.contains("^^^^^^^^^^^"), "{rendered}");
    }

    #[test]
    fn underlines_never_split_a_character() {
        let text = "title = \"Caf\u{fffd}\"\n";
        let source = SourceText::new(Path::new("a.md"), text);
        let d = Diagnostic::error("x", "y").at(&source, 12..13);
        assert!(d.render(false).contains("^"), "{}", d.render(false));
        assert_eq!(d.position, Some(Position { line: 1, column: 13 }));
    }

    #[test]
    fn a_place_in_a_line_break_is_the_end_of_its_line() {
        let text = "a = 1\r\nb = \r\n";
        let source = SourceText::new(Path::new("a.toml"), text);
        for (at, line, column) in [(5, 1, 6), (6, 1, 6), (11, 2, 5), (12, 2, 5)] {
            let d = Diagnostic::error("x", "y").at(&source, at..at + 1);
            assert_eq!(d.position, Some(Position { line, column }), "byte {at}");
            assert!(d.render(false).contains('^'), "{}", d.render(false));
        }
    }

    #[test]
    fn offsets_of_lines() {
        let source = SourceText::new(Path::new("a.md"), "a\nbc\nd");
        assert_eq!(source.offset_of_line(1), 0);
        assert_eq!(source.offset_of_line(2), 2);
        assert_eq!(source.offset_of_line(3), 5);
        assert_eq!(source.offset_of_line(9), 6);
    }
}
