//! Syntax highlighting of fenced code blocks with syntect, and the syntax definitions of
//! two-face (bat's set), which adds what teams write about and syntect's own set lacks: TOML,
//! Dockerfile, TypeScript, Terraform and many more.
//!
//! Tokens get CSS classes (`hl-keyword`, `hl-string`, …) rather than inline colours, so the
//! theme's stylesheet can colour them for both light and dark mode.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, OnceLock, PoisonError};

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::html::escape;

/// The syntax definitions, loaded on first use (so a handbook without code blocks never pays for
/// them) and then kept for the life of the process, which `serve` renders with again and again.
static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

/// Names GitHub knows a language by that the syntax set does not (any case), with the name
/// it does know.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("shell-script", "bash"),
    ("docker", "dockerfile"),
    ("containerfile", "dockerfile"),
    ("udiff", "diff"),
];

/// Names of a shell session: commands after a prompt, and what they print (see [`session`]).
const SESSIONS: &[&str] = &["console", "shell-session", "shellsession", "sh-session"];

/// The prefix of every class, so that the theme's classes and the tokens' never meet.
const CLASSES: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Highlights code.
#[derive(Debug, Default)]
pub struct Highlighter;

impl Highlighter {
    /// The HTML of `code` with token classes, or `None` when `language` is unknown.
    pub fn highlight(&self, code: &str, language: &str) -> Option<String> {
        let key = format!("{}:{language}{code}", language.len());
        let cache = || HIGHLIGHTED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(html) = cache().get(&key) {
            return html.clone();
        }
        let html = highlighted(code, language);
        cache().insert(key, html.clone(), CACHE_BYTES);
        html
    }
}

/// Empties the cache of highlighted code blocks (see [`HIGHLIGHTED`]): `build` does once it
/// has rendered every page that shows code, as nothing would look it up again.
pub fn forget_highlighted() {
    let mut cache = HIGHLIGHTED.lock().unwrap_or_else(PoisonError::into_inner);
    *cache = Cache::default();
}

/// Code blocks highlighted so far in this process: a block is rendered on its page and again on
/// the print page, `serve` renders both again after edits, and syntect is slow next to a lookup.
static HIGHLIGHTED: LazyLock<Mutex<Cache>> = LazyLock::new(Mutex::default);

/// How much the cache holds (keys and HTML, in bytes) before it is emptied, so that a long
/// preview session cannot grow it without end.
const CACHE_BYTES: usize = 64 << 20;

/// Highlighted HTML by language and code.
#[derive(Default)]
struct Cache {
    /// The length of the language's name, `:`, the name and the code (so that no two pairs
    /// share a key) → its HTML, or `None` for a language not known.
    entries: HashMap<String, Option<String>>,
    /// The bytes of the keys and the HTML held.
    bytes: usize,
}

impl Cache {
    fn get(&self, key: &str) -> Option<&Option<String>> {
        self.entries.get(key)
    }

    /// Keeps `html` for `key`, after emptying the cache if it would hold more than `limit` bytes.
    fn insert(&mut self, key: String, html: Option<String>, limit: usize) {
        let bytes = key.len() + html.as_ref().map_or(0, String::len);
        if self.bytes + bytes > limit {
            self.entries.clear();
            self.bytes = 0;
        }
        self.bytes += bytes;
        self.entries.insert(key, html);
    }
}

/// The HTML of `code` in `language`, or `None` when the language is unknown.
fn highlighted(code: &str, language: &str) -> Option<String> {
    let syntaxes = SYNTAXES.get_or_init(two_face::syntax::extra_newlines);
    if SESSIONS.iter().any(|name| name.eq_ignore_ascii_case(language)) {
        return session(code, syntaxes);
    }
    let language = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(language))
        .map_or(language, |(_, name)| name);
    classed(code, syntaxes.find_syntax_by_token(language)?, syntaxes)
}

/// The HTML of `code` in `syntax`.
fn classed(code: &str, syntax: &SyntaxReference, syntaxes: &SyntaxSet) -> Option<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASSES);
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(generator.finalize())
}

/// A shell session as GitHub shows one (`console`): each command after a prompt (`$ `, `# `,
/// `user@host:~/src$ `) highlighted as Bash, going on over lines that end with `\`, and every
/// other line printed output, left plain. The prompt gets a class of its own, so the theme can
/// keep it out of what a reader copies.
fn session(code: &str, syntaxes: &SyntaxSet) -> Option<String> {
    let bash = syntaxes.find_syntax_by_token("bash")?;
    let mut html = String::with_capacity(code.len() * 2);
    let mut lines = LinesWithEndings::from(code);
    while let Some(line) = lines.next() {
        let Some((prompt, command)) = prompt(line) else {
            let (text, newline) = split_newline(line);
            html.push_str(&format!("<span class=\"hl-output\">{}</span>{newline}", escape(text)));
            continue;
        };
        let mut command = command.to_string();
        while split_newline(&command).0.ends_with('\\') {
            match lines.next() {
                Some(next) => command.push_str(next),
                None => break,
            }
        }
        html.push_str(&format!("<span class=\"hl-prompt\">{}</span>", escape(prompt)));
        html.push_str(&classed(&command, bash, syntaxes)?);
    }
    Some(html)
}

/// The prompt that opens `line` (with the space after it) and the command after it: `$`, `#`,
/// `%` or `>` alone, or ending a first word that names a user or host (`me@box:~$`).
fn prompt(line: &str) -> Option<(&str, &str)> {
    let end = line.find(char::is_whitespace).unwrap_or(line.len());
    let word = &line[..end];
    let last = word.chars().next_back()?;
    let is_prompt = match last {
        '$' | '#' | '%' | '>' if word.len() == 1 => true,
        '$' | '#' | '%' => word.contains(['@', ':']),
        _ => false,
    };
    if !is_prompt {
        return None;
    }
    let end = end + usize::from(line[end..].starts_with(' '));
    Some(line.split_at(end))
}

/// `line` without its line ending, and the ending.
fn split_newline(line: &str) -> (&str, &str) {
    let text = line.trim_end_matches(['\n', '\r']);
    (text, &line[text.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_languages_apart_and_empties_at_its_limit() {
        let first = Highlighter.highlight("let x = 1;\n", "rust");
        assert!(first.is_some());
        assert_eq!(Highlighter.highlight("let x = 1;\n", "rust"), first);
        // The same code in another language, or in none known, is its own entry.
        assert_ne!(Highlighter.highlight("let x = 1;\n", "js"), first);
        assert_eq!(Highlighter.highlight("let x = 1;\n", "no-such-language"), None);
        let key = |code: &str| format!("4:rust{code}");
        assert!(HIGHLIGHTED.lock().unwrap().get(&key("let x = 1;\n")).is_some());

        let mut cache = Cache::default();
        cache.insert(key("a"), Some("<b>a</b>".into()), 30);
        cache.insert(key("b"), None, 30);
        assert_eq!(cache.bytes, 22);
        assert_eq!(cache.get(&key("a")), Some(&Some("<b>a</b>".to_string())));
        // One more would pass the limit: the cache starts again from it.
        cache.insert(key("c"), Some("<b>c</b>".into()), 30);
        assert_eq!((cache.entries.len(), cache.bytes), (1, 15));
        assert!(cache.get(&key("a")).is_none());
    }

    #[test]
    fn known_languages_get_classes() {
        let html = Highlighter.highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("hl-storage"), "{html}");
        assert!(Highlighter.highlight("x", "no-such-language").is_none());
    }

    /// The formats teams write about, each by the names GitHub knows it by: every one gets
    /// its syntax's classes and a token class.
    #[test]
    fn the_formats_teams_write_about_are_highlighted() {
        let cases: &[(&[&str], &str, &str)] = &[
            (&["toml", "TOML"], "[server]\nport = 8080 # why\n", "hl-source hl-toml"),
            (&["yaml", "yml"], "on:\n  push: [main] # ci\n", "hl-source hl-yaml"),
            (
                &["sh", "bash", "shell", "zsh"],
                "if [ -n \"$X\" ]; then echo hi; fi\n",
                "hl-source hl-shell hl-bash",
            ),
            (
                &["dockerfile", "Dockerfile", "docker", "containerfile"],
                "FROM rust:1\nRUN cargo build\n",
                "hl-source hl-dockerfile",
            ),
            (
                &["sql", "SQL"],
                "SELECT id FROM users WHERE name = 'x';\n",
                "hl-source hl-sql",
            ),
            (
                &["diff", "patch", "udiff"],
                "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n",
                "hl-source hl-diff",
            ),
        ];
        for (names, code, class) in cases {
            for name in *names {
                let html = Highlighter
                    .highlight(code, name)
                    .unwrap_or_else(|| panic!("{name} is unknown"));
                assert!(html.contains(class), "{name}: {html}");
                let tokens = [
                    "hl-keyword",
                    "hl-string",
                    "hl-comment",
                    "hl-constant",
                    "hl-entity",
                    "hl-markup",
                ];
                assert!(
                    tokens.iter().any(|token| html.contains(token)),
                    "{name} has no tokens: {html}"
                );
            }
        }
    }

    #[test]
    fn shell_sessions_highlight_commands_not_output() {
        let code = "$ cargo build --release \\\n    --locked\n   Compiling x\nme@box:~/src$ echo \"<hi>\"\n<hi>\n# rm -rf /tmp/x\n";
        for name in ["console", "Console", "shell-session", "sh-session"] {
            let html = Highlighter.highlight(code, name).unwrap();
            assert!(
                html.starts_with("<span class=\"hl-prompt\">$ </span><span class=\"hl-source hl-shell hl-bash\">"),
                "{html}"
            );
            assert!(
                html.contains("hl-continuation")
                    && html.contains(">locked</span>")
                    && !html.contains("output\">    --"),
                "the continued line is part of the command: {html}"
            );
            assert!(
                html.contains("<span class=\"hl-output\">   Compiling x</span>\n"),
                "{html}"
            );
            assert!(
                html.contains("<span class=\"hl-prompt\">me@box:~/src$ </span>"),
                "{html}"
            );
            assert!(
                html.contains("<span class=\"hl-output\">&lt;hi&gt;</span>"),
                "output is escaped: {html}"
            );
            assert!(html.contains("<span class=\"hl-prompt\"># </span>"), "{html}");
        }
        assert_eq!(
            prompt("x$ y"),
            None,
            "a word is a prompt only when it names a user or host"
        );
        assert_eq!(prompt("$"), Some(("$", "")));
        assert_eq!(prompt("100%\n"), None);
        assert_eq!(Highlighter.highlight("", "console").as_deref(), Some(""));
        assert_eq!(
            Highlighter
                .highlight("$ a \\", "console")
                .map(|html| html.contains("hl-bash")),
            Some(true),
            "a last line ending with a backslash"
        );
    }

    #[test]
    fn code_is_escaped() {
        let html = Highlighter.highlight("a = \"<b>\"\n", "python").unwrap();
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }
}
