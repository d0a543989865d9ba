//! Markdown bodies: headings (duplicates and custom ids among them), links to pages, folders,
//! anchors and files, wiki-links with anchors and labels, images, whole raw HTML tags, task-list
//! action items with owners and due dates, code blocks, tables, footnotes, and the status lines
//! and bullets that imported decision logs write.
//!
//! Text in a body never opens a tag of its own, since raw HTML is passed through by design; it
//! does close attributes (`x" zzinjected="1`), which must stay text.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use crate::pools::*;

const HEADINGS: &[&str] = &[
    "Context",
    "Context",
    "Decision",
    "Status",
    "Section",
    "Café",
    "",
    "#",
    "Links",
    "Action items",
];

fn heading_text() -> BoxedStrategy<String> {
    prop_oneof![3 => pick(HEADINGS), 1 => body_text()].boxed()
}

/// Where a Markdown link or image points.
fn destination() -> BoxedStrategy<String> {
    let page = (
        pick(&[
            "",
            "../",
            "/",
            "../../",
            "./",
            "/decisions/",
            "../decisions/",
            "/guides/",
        ]),
        name(),
        pick(&[".md", ".md", "", "/", ".png", ".MD"]),
        option::of(heading_text()),
    )
        .prop_map(|(prefix, name, ext, anchor)| {
            let anchor = anchor
                .map(|a| format!("#{}", a.to_lowercase().replace(' ', "-")))
                .unwrap_or_default();
            format!("{prefix}{name}{ext}{anchor}")
        });
    prop_oneof![
        4 => page,
        1 => pick(&["https://example.com/", "mailto:x@example.com", "javascript:alert(1)", "#context", "#", "?q=1"]),
        1 => pick(PATHS),
        1 => pick(ATTRIBUTE_BREAKERS),
    ]
    .boxed()
}

/// A link destination as Markdown writes it: in `<…>` when it has spaces or parentheses, and
/// then never starting with a letter, so that a link that does not parse is no raw HTML tag.
fn markdown_destination(dest: &str) -> String {
    if !dest.contains([' ', '(', ')', '\t']) {
        return dest.to_string();
    }
    let dest = dest.replace(['<', '>', '\n'], "");
    let prefix = if dest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        "./"
    } else {
        ""
    };
    format!("<{prefix}{dest}>")
}

fn wiki_target() -> BoxedStrategy<String> {
    prop_oneof![
        3 => pick(&["0001", "1", "ADR-1", "0002", "7", "decisions/use-x", "decisions/0001-use-x", "Guides/X", "x", "X", "café", "Use x", "guides/x.md", "../x", "", "decisions", "guides", "0001-use-x", "20200101-use-x"]),
        1 => name(),
        1 => body_text(),
    ]
    .boxed()
}

/// A tag of raw HTML whose attribute (`tag` is `img src`) holds `dest`, as HTML escapes it.
fn html_link(tag: &str, dest: &str) -> String {
    let (element, attribute) = tag.split_once(' ').unwrap_or((tag, "href"));
    let value = dest.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    format!("<{element} {attribute}=\"{value}\">x</{element}>")
}

/// A piece of a paragraph.
#[derive(Clone, Debug)]
pub(crate) enum Inline {
    Text(String),
    Link(String, String),
    Wiki(String, Option<String>, Option<String>),
    Image(String, String),
    Code(String),
    Html(String),
    Autolink(String),
}

fn inline() -> BoxedStrategy<Inline> {
    prop_oneof![
        3 => body_text().prop_map(Inline::Text),
        3 => (body_text(), destination()).prop_map(|(t, d)| Inline::Link(t, d)),
        3 => (wiki_target(), option::of(heading_text()), option::of(body_text())).prop_map(|(t, a, l)| Inline::Wiki(t, a, l)),
        1 => (body_text(), destination()).prop_map(|(t, d)| Inline::Image(t, d)),
        1 => body_text().prop_map(Inline::Code),
        1 => pick(RAW_INLINE_HTML).prop_map(Inline::Html),
        1 => (pick(&["a href", "img src", "img srcset", "video src"]), destination()).prop_map(|(tag, d)| Inline::Html(html_link(&tag, &d))),
        // A Markdown link whose text is in brackets, which is no wiki-link.
        1 => (body_text(), destination()).prop_map(|(t, d)| Inline::Link(format!("[{t}]"), d)),
        1 => pick(&["https://example.com/\"zzinjected=\"1", "https://example.com/a'b", "x@example.com"]).prop_map(Inline::Autolink),
    ]
    .boxed()
}

impl Inline {
    fn write(&self, out: &mut String) {
        match self {
            Inline::Text(t) => out.push_str(t),
            Inline::Link(t, d) => out.push_str(&format!("[{t}]({})", markdown_destination(d))),
            Inline::Wiki(target, anchor, label) => {
                out.push_str("[[");
                out.push_str(target);
                if let Some(anchor) = anchor {
                    out.push('#');
                    out.push_str(anchor);
                }
                if let Some(label) = label {
                    out.push('|');
                    out.push_str(label);
                }
                out.push_str("]]");
            }
            Inline::Image(alt, d) => out.push_str(&format!("![{alt}]({})", markdown_destination(d))),
            Inline::Code(c) => out.push_str(&format!("`{}`", c.replace('`', ""))),
            Inline::Html(h) => out.push_str(h),
            Inline::Autolink(u) => out.push_str(&format!("<{u}>")),
        }
    }
}

/// A block of a Markdown body.
#[derive(Clone, Debug)]
pub(crate) enum Block {
    Heading(usize, String, Option<String>),
    Paragraph(Vec<Inline>),
    Task(bool, Option<String>, String, Option<String>),
    Code(String, String),
    Html(String),
    Table(String, String),
    Footnote(String),
    /// `## Status` and a paragraph, as Nygard's and adr-tools' records write it.
    StatusSection(String),
    /// `* Key: value` under the title, as MADR and Log4brains write metadata.
    Bullet(String, String),
    /// A line as it is.
    Line(String),
}

/// A status as a body writes it: any but those that are raw HTML in Markdown.
fn body_status() -> BoxedStrategy<String> {
    pick(STATUSES).prop_filter("no raw HTML", |s| !s.contains('<')).boxed()
}

/// A block; in a tidy body every due date is a date.
pub(crate) fn block(tidy: bool) -> BoxedStrategy<Block> {
    let owner = option::of(prop_oneof![
        pick(&["@x", "@X", "@café", "@", "@tags", "x"]),
        body_text().prop_map(|t| format!("@{t}"))
    ]);
    let due = match tidy {
        true => option::of(pick(DATES)).boxed(),
        false => option::of(prop_oneof![pick(DATES), pick(BAD_DATES), body_text()]).boxed(),
    };
    prop_oneof![
        3 => (1usize..5, heading_text(), option::of(pick(&["{#custom}", "{#context}", "{#x\"zzinjected=\"1}", "{.x\"zzinjected=\"1}", "{#}", "{#café}"])))
            .prop_map(|(l, t, a)| Block::Heading(l, t, a)),
        4 => vec(inline(), 1..4).prop_map(Block::Paragraph),
        3 => (any::<bool>(), owner, body_text(), due).prop_map(|(done, o, t, d)| Block::Task(done, o, t, d)),
        1 => (pick(LANGUAGES), body_text()).prop_map(|(l, c)| Block::Code(l, c)),
        1 => pick(RAW_HTML).prop_map(Block::Html),
        1 => (body_text(), body_text()).prop_map(|(a, b)| Block::Table(a, b)),
        1 => body_text().prop_map(Block::Footnote),
        1 => prop_oneof![body_status(), pick(&["Superseded by [ADR 2](0002-use-y.md)", "Supersedes [x](../../x.md)", "Accepted\n\nAmends [[0001]]"])].prop_map(Block::StatusSection),
        1 => (pick(&["Status", "Deciders", "Date", "Tags", "Start Date", "RFC PR"]), prop_oneof![body_status(), body_text()]).prop_map(|(k, v)| Block::Bullet(k, v)),
        1 => pick(&["Moved to [0002-use-y.md](0002-use-y.md).", "Date: 2026-01-10", "# 7. Title", "---", "+++", "[x]: ../../x.md", "\\"]).prop_map(Block::Line),
    ]
    .boxed()
}

impl Block {
    pub(crate) fn write(&self, out: &mut String) {
        match self {
            Block::Heading(level, text, attrs) => {
                out.push_str(&format!("{} {text}", "#".repeat(*level)));
                if let Some(attrs) = attrs {
                    out.push(' ');
                    out.push_str(attrs);
                }
            }
            Block::Paragraph(inlines) => {
                for (i, inline) in inlines.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    inline.write(out);
                }
            }
            Block::Task(done, owner, text, due) => {
                out.push_str(if *done { "- [x] " } else { "- [ ] " });
                if let Some(owner) = owner {
                    out.push_str(owner);
                    out.push(' ');
                }
                out.push_str(text);
                if let Some(due) = due {
                    out.push_str(&format!(" (due {due})"));
                }
            }
            Block::Code(language, code) => out.push_str(&format!("```{language}\n{code}\n```")),
            Block::Html(html) => out.push_str(html),
            Block::Table(a, b) => out.push_str(&format!("| {a} | b |\n|---|---|\n| {b} | [[0001]] |")),
            Block::Footnote(text) => out.push_str(&format!("Note[^1].\n\n[^1]: {text}")),
            Block::StatusSection(status) => out.push_str(&format!("## Status\n\n{status}")),
            Block::Bullet(key, value) => out.push_str(&format!("* {key}: {value}")),
            Block::Line(line) => out.push_str(line),
        }
        out.push_str("\n\n");
    }
}
