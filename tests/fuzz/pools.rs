//! Pools of text a hostile or careless author writes, and strategies that draw from them.
//!
//! Hostile text tries to close an attribute or a tag and add the attribute [`MARKER`] or the tag
//! [`MARKER_TAG`]; paths climb out of the site or point at `{ESCAPE}`; names differ only in case
//! or form; words carry control characters and right-to-left marks.

use proptest::prelude::*;
use proptest::sample::select;

/// The attribute name hostile text tries to add to a tag of the output.
pub(crate) const MARKER: &str = "zzinjected";

/// The tag name hostile text tries to open in the output.
pub(crate) const MARKER_TAG: &str = "zztag";

/// Text that closes a quoted or unquoted attribute and adds the marker attribute.
pub(crate) const ATTRIBUTE_BREAKERS: &[&str] = &[
    "x\" zzinjected=\"1",
    "x' zzinjected='1",
    "x zzinjected=1",
    "x\"zzinjected=\"1",
    "x\"onmouseover=\"alert(1)",
    "\" zzinjected=\"",
    "`zzinjected=1",
];

/// Text that closes a tag (or a comment, CDATA or template expression) and opens the marker tag.
pub(crate) const TAG_BREAKERS: &[&str] = &[
    "\"><zztag zzinjected=1>",
    "'><zztag zzinjected=1>",
    "</title><zztag zzinjected=1>",
    "</textarea><zztag zzinjected=1>",
    "--><zztag zzinjected=1>",
    "]]><zztag zzinjected=\"1\"/>",
    "<zztag zzinjected=1>",
    "{{ \"<zztag zzinjected=1>\" | safe }}",
    "{% raw %}<zztag zzinjected=1>{% endraw %}",
    "<!--",
    "<![CDATA[",
];

/// Paths and URLs that climb out, point at the escape marker or take another page's address.
pub(crate) const PATHS: &[&str] = &[
    "../../x",
    "../../../../x",
    "..",
    ".",
    "/",
    "/tags/",
    "/Guides/X/",
    "/guides/x/",
    "{ESCAPE}",
    "../../../../../../../../../..{ESCAPE}",
    "a/../../b",
    "..\\..\\x",
    "%2e%2e/x",
    "//x",
    "/x/index.html",
    "/feed.xml",
    "/assets/style.css",
    "/search/",
    "/decisions/status/accepted/",
    "/404.html",
    "old.html",
    "/old/path/",
];

/// Ordinary, non-ASCII, control and Markdown-ish words.
pub(crate) const WORDS: &[&str] = &[
    "x",
    "X",
    "Café",
    "café",
    "CAFÉ",
    "日本語",
    "🚀 launch",
    "a b",
    "",
    " ",
    "Ünïcödé",
    "\u{202e}rtl",
    "tab\there",
    "ctl\u{1}x",
    "nul\u{0}x",
    "del\u{7f}x",
    "x\u{2028}y",
    "\u{feff}bom",
    "&amp;",
    "a & b",
    "@x",
    "#",
    "|",
    "[[",
    "]]",
    "\\",
    "javascript:alert(1)",
    "ADR-1",
    "0001",
    "weekly-sync",
    "Weekly Sync",
    "security",
];

/// Names of files and folders; many are the same word in another case or form.
pub(crate) const NAMES: &[&str] = &[
    "0001-use-x",
    "0002-use-y",
    "0001-Use-X",
    "adr-0003-z",
    "7",
    "2026-01-10-sync",
    "20201016-slugs",
    "x",
    "X",
    "café",
    "Café",
    "cafe\u{301}",
    "a b",
    "index",
    "_index",
    "README",
    "template",
    "...",
    "..x",
    "-",
    "x.y",
    "tab\there",
    "ctl\u{1}x",
    "line\nbreak",
    "ＡＢ",
    "tags",
    "search",
    "assets",
    "404",
    "feed",
    "actions",
    "%2e%2e",
    "x\"y",
    "\"><zztag zzinjected=1>",
    "x\" zzinjected=\"1",
    "a\\b",
    "日本",
    "🚀",
    "a:b",
    " lead",
    "trail ",
    "Guides",
    "guides",
];

/// Folders under `content/`.
pub(crate) const FOLDERS: &[&str] = &[
    "",
    "",
    "decisions",
    "decisions",
    "meetings",
    "meetings",
    "protocols",
    "people",
    "guides",
    "Guides",
    "tags",
    "decisions/status",
    "decisions/status/accepted",
    "meetings/series",
    "x",
    "X",
    "a b",
    "café",
    "..x",
    "…",
    "search",
    "assets",
    "guides/X",
    "deep/er/still",
];

pub(crate) const EXTENSIONS: &[&str] = &[".md", ".md", ".md", ".md", ".md", ".md", ".MD", ".md.md", ""];

pub(crate) const DATES: &[&str] = &[
    "2026-01-10",
    "2026-11-20T15:00:00",
    "1900-01-01",
    "9999-12-31",
    "2026-11-25",
];

pub(crate) const BAD_DATES: &[&str] = &[
    "2026-02-30",
    "yesterday",
    "2026-1-1",
    "20260110",
    "2026-01-10T25:00",
    "",
    "0000-00-00",
];

pub(crate) const STATUSES: &[&str] = &[
    "accepted",
    "Accepted",
    "proposed",
    "superseded",
    "rejected",
    "on hold",
    "On hold.",
    "custom",
    "Custom",
    "superseded by ADR-0002",
    "superseded by 0001-use-x",
    "superseded by ../../x",
    "../../x",
    "../../../../x",
    "../../../../../../../../../..{ESCAPE}",
    "{ESCAPE}",
    "x\"onmouseover=\"alert(1)",
    "x\" zzinjected=\"1",
    "\"><zztag zzinjected=1>",
    "a/b",
    "..",
    ".",
    "/",
    "",
    " ",
    "Ünïcödé",
    "tags",
];

pub(crate) const LANGUAGES: &[&str] = &[
    "rust",
    "python",
    "",
    "x\"zzinjected=\"1",
    "\"><zztag zzinjected=1>",
    "c++",
    "日本",
];

/// Statuses that are typos of known ones: errors.
pub(crate) const BAD_STATUSES: &[&str] = &["accpted", "Acepted", "superseeded"];

pub(crate) const TIMEZONES: &[&str] = &["UTC", "Europe/Berlin", "America/St_Johns"];

pub(crate) const BAD_TIMEZONES: &[&str] = &["Mars/Base", "../../etc/passwd", "", "x\" zzinjected=\"1"];

/// Review periods that parse.
pub(crate) const PERIODS: &[&str] = &["90d", "6 months", "1 year", "12 weeks"];

pub(crate) const BAD_PERIODS: &[&str] = &["0d", "-5d", "99999999999 years", "x", ""];

/// Addresses a configuration accepts.
pub(crate) const GOOD_URLS: &[&str] = &["https://example.com/", "https://example.com/sub", ""];

pub(crate) const URLS: &[&str] = &[
    "https://example.com/",
    "https://example.com/sub",
    "https://example.com/\" zzinjected=\"1",
    "javascript:alert(1)//",
    "/relative/",
    "",
    "{ESCAPE}",
    "https://gitlab.example.com/a/b.git",
    "https://example.com/<zztag zzinjected=1>",
];

pub(crate) const COLORS: &[&str] = &[
    "#6b21a8",
    "red",
    "",
    "x\" zzinjected=\"1",
    "red;background:url(javascript:alert(1))",
    "\"><zztag zzinjected=1>",
];

/// Lines that break a front-matter block.
pub(crate) const TOML_JUNK: &[&str] = &[
    "title = ",
    "= 1",
    "[table",
    "key = \"unterminated",
    "a.b.c = 1",
    "[[x]]",
    "title = \"\"\"multi\nline\"\"\"",
    "tags = [1, \"a\",",
    "\t date = 2026-01-10",
];

pub(crate) const YAML_JUNK: &[&str] = &[
    ": x",
    "- list",
    "a: &a [x, y]\nb: *a",
    "key: [unclosed",
    "\tindented: tab",
    "? complex\n: key",
    "k: !!binary x",
    "k: !!int x",
    "k: *undefined",
    "title: 'it''s'",
    "date: 2026-01-10 extra",
];

/// Raw HTML blocks: whole tags with no marker (raw HTML is passed through by design). Each ends
/// at a blank line, as Markdown's HTML blocks do, so no Markdown around them becomes raw.
pub(crate) const RAW_HTML: &[&str] = &[
    "<div class=\"note\">\n\nInside a div.\n\n</div>",
    "<details><summary>More</summary>\n\nHidden *text*.\n\n</details>",
    "<!-- a comment -->",
];

/// Raw HTML within a paragraph. No comment: a line that starts with one is an HTML block, which
/// would make the Markdown after it on that line raw HTML too.
pub(crate) const RAW_INLINE_HTML: &[&str] = &["<kbd>Ctrl</kbd>", "<span title=\"a &quot; b\">span</span>", "<br>"];

/// What is outside the handbook: a symbolic link to either must not publish it.
pub(crate) const OUTSIDE_TARGETS: &[&str] = &["{OUTSIDE}/secret.txt", "{OUTSIDE}/secret-dir"];

/// Targets of symbolic links that climb out, loop or lead nowhere.
pub(crate) const LINK_TARGETS: &[&str] = &[
    "../../secret.txt",
    "../../../secret.txt",
    "../../secret-dir",
    "../../../secret-dir",
    ".",
    "..",
    "../content",
    "no-such-file",
];

pub(crate) fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    select(pool).prop_map(str::to_string)
}

/// Any text a front-matter string or a configuration value may hold.
pub(crate) fn field_text() -> BoxedStrategy<String> {
    let single = prop_oneof![
        4 => pick(WORDS),
        2 => pick(ATTRIBUTE_BREAKERS),
        2 => pick(TAG_BREAKERS),
        1 => pick(PATHS),
        2 => "\\PC{0,8}",
    ];
    prop_oneof![
        3 => single.clone(),
        1 => (single.clone(), single).prop_map(|(a, b)| a + &b),
    ]
    .boxed()
}

/// Text in Markdown: never a tag of its own (raw HTML is by design), but anything else.
pub(crate) fn body_text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => pick(WORDS),
        2 => pick(ATTRIBUTE_BREAKERS),
        2 => "[a-zA-Z0-9 äöü日\"'&/#.@_|(){}-]{0,12}",
        1 => Just("a < b > c".to_string()),
    ]
    .boxed()
}

/// A file or folder name: from the pool, or random (never empty, `.`, `..` or with `/`).
pub(crate) fn name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => pick(NAMES),
        1 => "[a-zA-Z0-9 ._\\-äÄ日\"'<>&:%#\\\\]{1,12}",
    ]
    .prop_filter("a name of one path segment", |n| {
        !n.is_empty() && n != "." && n != ".." && !n.contains(['/', '\0'])
    })
    .boxed()
}
