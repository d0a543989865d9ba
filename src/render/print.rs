//! `print/index.html`: the whole handbook on one page, to print or save as PDF (as mdBook's print
//! page): a table of contents, then the parts `[print] include` names, in its order.
//!
//! One page holds many bodies, so each body's ids are scoped by its page's anchor
//! (`page-protocols-on-call--why`), and a link to a page on the print page becomes a link to its
//! anchor there; a link elsewhere in the site stays a link to the site.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;

use super::generated::Rendered;
use super::{Renderer, nav, root_prefix};
use crate::config::PrintPart;
use crate::content::Kind;
use crate::markdown::LinkRewrite;
use crate::resolve::{LinkTarget, Site};
use crate::routes::{PRINT_PATH, slug_segment};

/// Put before the fragment of a link that the print page already scoped, so that
/// [`scope_ids`] leaves it as it is (and takes the mark out): a percent-encoded control
/// character, which no id holds, and which both the Markdown renderer and the rewriting of links
/// in raw HTML write as it is.
const SCOPED: &str = "%01";

pub(super) fn render(r: &Renderer<'_>) -> Option<Rendered> {
    let parts: Vec<(PrintPart, Vec<usize>)> = parts(r.site);
    let anchors = anchors(r, parts.iter().flat_map(|(_, pages)| pages));
    // Template values built by hand, so that each page's view is the one every list shares:
    // the page is the size of the handbook, and a copy of each view would double it. (`build`
    // renders this page before the views are made, and makes those of the printed pages here.)
    let mut size = 0;
    let parts: Vec<tera::Value> = parts
        .iter()
        .map(|(part, pages)| {
            let (title, anchor) = match part {
                PrintPart::Protocols => ("Protocols", "part-protocols"),
                PrintPart::Decisions => ("Decisions in force", "part-decisions"),
                PrintPart::Pages => ("Pages", "part-pages"),
            };
            let (entries, sizes): (Vec<tera::Value>, Vec<usize>) =
                pages.par_iter().map(|&i| kept_entry(r, i, &anchors)).unzip();
            size += sizes.iter().sum::<usize>();
            tera::Value::from(BTreeMap::from([
                ("title", tera::Value::from(title)),
                ("anchor", tera::Value::from(anchor)),
                ("entries", tera::Value::from(entries)),
            ]))
        })
        .collect();
    let mut context = r.context_for(PRINT_PATH, Some("Print"));
    context.insert_value("parts", tera::Value::from(parts));
    r.render_large("print.html", &context, format!("{PRINT_PATH}index.html"), size)
}

/// The pages the print page shows of `site`, in its order.
pub(super) fn printed(site: &Site) -> Vec<usize> {
    parts(site).into_iter().flat_map(|(_, pages)| pages).collect()
}

/// The parts `[print] include` names that have pages, each once, where first named (a page
/// printed twice would give its ids twice), each with its pages in the order they are printed.
fn parts(site: &Site) -> Vec<(PrintPart, Vec<usize>)> {
    let mut parts = Vec::new();
    for &part in &site.config.print.include {
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    (parts.into_iter())
        .map(|part| (part, members(site, part)))
        .filter(|(_, pages)| !pages.is_empty())
        .collect()
}

/// The pages of `part`, in the order they are printed.
fn members(site: &Site, part: PrintPart) -> Vec<usize> {
    let of_kind = |kind| -> Vec<usize> { site.of_kind(kind).map(|(i, _)| i).collect() };
    match part {
        PrintPart::Protocols => {
            let mut protocols = of_kind(Kind::Protocol);
            nav::by_weight(&site.pages, &mut protocols);
            protocols
        }
        PrintPart::Decisions => {
            let mut decisions: Vec<usize> = site
                .of_kind(Kind::Decision)
                .filter(|(_, page)| {
                    let status = page.decision().and_then(|d| d.status.as_ref());
                    status.is_some_and(|s| s.name() == "accepted")
                })
                .map(|(i, _)| i)
                .collect();
            nav::by_number_desc(&site.pages, &mut decisions);
            decisions.reverse();
            decisions
        }
        PrintPart::Pages => {
            let mut pages = of_kind(Kind::Page);
            pages.sort_by(|&a, &b| site.pages[a].path.cmp(&site.pages[b].path));
            pages
        }
    }
}

/// The anchor of each printed page, by its output file: `page-` and its slugged path, made
/// unique (`a/b/` and `a-b/` slug alike). Anchors hold no `--`, which scoped ids do.
fn anchors<'p>(r: &Renderer<'_>, pages: impl Iterator<Item = &'p usize>) -> HashMap<String, (usize, String)> {
    let mut anchors = HashMap::new();
    let mut taken = std::collections::HashSet::new();
    for &i in pages {
        let page = &r.site.pages[i];
        let base = format!("page-{}", slug_segment(&page.path));
        let mut anchor = base.clone();
        let mut n = 1;
        while !taken.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        anchors.insert(page.output_file(), (i, anchor));
    }
    anchors
}

/// About how many bytes the default template writes for an entry besides its content (its
/// heading, its metadata and its line in the table of contents): some 800 in a generated
/// handbook, rounded up so that the page's buffer need not grow.
const ENTRY_BYTES: usize = 1024;

/// The contents of print entries kept from one render of the print page to the next, by page:
/// the body as printed, which takes converting it to HTML again.
#[derive(Default)]
pub(super) struct KeptEntries(Mutex<HashMap<usize, tera::Value>>);

impl KeptEntries {
    /// Takes the entries kept by `before` that still hold in this site: all but those of
    /// `changed` (printed pages whose view, body or links changed) and of the pages linking to
    /// them (whose links to a printed page go to the heading the page's title came from). An
    /// entry's ids are scoped by the anchors of the printed pages: the caller checks that the
    /// same pages are printed.
    pub(super) fn carry(&self, before: &KeptEntries, site: &Site, changed: &[usize]) {
        let mut stale: std::collections::HashSet<usize> = changed.iter().copied().collect();
        stale.extend(changed.iter().flat_map(|&page| site.backlinks[page].iter().copied()));
        let kept = before.entries();
        let carried = kept.iter().filter(|(page, _)| !stale.contains(page));
        self.entries()
            .extend(carried.map(|(&page, content)| (page, content.clone())));
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<usize, tera::Value>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drops the entries of `pages`.
    pub(super) fn forget(&self, pages: &[usize]) {
        let mut entries = self.entries();
        for page in pages {
            entries.remove(page);
        }
    }
}

/// Page `index` as printed, as the template sees it: `anchor`, `page` (its view) and `content`
/// (see [`content`]), which the frame keeps when it keeps entries; and about how many bytes the
/// template writes for it.
fn kept_entry(r: &Renderer<'_>, index: usize, anchors: &HashMap<String, (usize, String)>) -> (tera::Value, usize) {
    let anchor = &anchors[&r.site.pages[index].output_file()].1;
    let content = match &r.frame.print_entries {
        None => content(r, index, anchor, anchors),
        Some(kept) => {
            let known = kept.entries().get(&index).cloned();
            known.unwrap_or_else(|| {
                let made = content(r, index, anchor, anchors);
                kept.entries().insert(index, made.clone());
                made
            })
        }
    };
    let size = ENTRY_BYTES + content.as_str().map_or(0, str::len);
    (
        r.page_row(index, [("anchor", anchor.as_str().into()), ("content", content)]),
        size,
    )
}

/// The body of page `index` as printed at `anchor`: its links to printed pages go to their
/// anchors, its other site links go to the site, and its ids are scoped by its anchor.
fn content(r: &Renderer<'_>, index: usize, anchor: &str, anchors: &HashMap<String, (usize, String)>) -> tera::Value {
    let root = root_prefix(PRINT_PATH);
    let links = &r.site.links[index];
    let rewrite = |dest: &str| match links.get(dest) {
        Some(LinkTarget::Site(target)) => {
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            match anchors.get(file) {
                Some((to_page, to)) => LinkRewrite::To(scoped(r, *to_page, to, fragment)),
                None => LinkRewrite::To(format!("{root}{target}")),
            }
        }
        Some(LinkTarget::Anchor(id)) => LinkRewrite::To(scoped(r, index, anchor, id)),
        Some(LinkTarget::Unlink) => LinkRewrite::Unlink,
        // An in-page anchor spelt as its id is kept as written on the page itself.
        _ => match dest.strip_prefix('#') {
            Some(id) => LinkRewrite::To(scoped(r, index, anchor, id)),
            None => LinkRewrite::Keep,
        },
    };
    let html = r.body_html(index, &rewrite);
    scope_ids(&html, anchor).into()
}

/// The link, marked as scoped, to `fragment` of printed page `index` at `anchor`: the page's
/// anchor for no fragment and for the heading its title came from (which the title shows).
fn scoped(r: &Renderer<'_>, index: usize, anchor: &str, fragment: &str) -> String {
    if fragment.is_empty() || r.site.pages[index].title_heading_id() == Some(fragment) {
        format!("#{SCOPED}{anchor}")
    } else {
        format!("#{SCOPED}{anchor}--{fragment}")
    }
}

/// `html` with every id, and every in-page reference to one (`href="#…"`, `aria-labelledby`,
/// `aria-describedby`), prefixed by `anchor` and `--`, except the links [`entry`] marked as
/// scoped; what is labelled is labelled by the page's title (at `anchor`) too.
///
/// The HTML is the Markdown renderer's (raw HTML sanitized, so attributes are double-quoted and
/// text never holds a bare `"`), which is what makes reading attributes this way sound.
fn scope_ids(html: &str, anchor: &str) -> String {
    let prefix = format!("{anchor}--");
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut copied = 0;
    for (at, _) in html.match_indices("=\"") {
        if at < copied {
            continue;
        }
        let before = &html[..at];
        let start = at + 2;
        let Some(length) = html[start..].find('"') else { break };
        let value = &html[start..start + length];
        let scoped = if before.ends_with(" id") {
            format!("{prefix}{value}")
        } else if before.ends_with(" aria-labelledby") || before.ends_with(" aria-describedby") {
            let mut ids: Vec<String> = value.split_whitespace().map(|id| format!("{prefix}{id}")).collect();
            // A region of a body (its footnotes) is named after its page too: every page's
            // "Footnotes" on one page would be landmarks of one name.
            if before.ends_with(" aria-labelledby") {
                ids.push(anchor.to_string());
            }
            ids.join(" ")
        } else if before.ends_with(" href")
            && let Some(fragment) = value.strip_prefix('#')
        {
            match fragment.strip_prefix(SCOPED) {
                Some(scoped) => format!("#{scoped}"),
                None => format!("#{prefix}{fragment}"),
            }
        } else {
            continue;
        };
        out.push_str(&html[copied..start]);
        out.push_str(&scoped);
        copied = start + length;
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::scope_ids;

    #[test]
    fn ids_and_references_to_them_are_scoped_but_marked_links_are_not() {
        let html = "<h2 id=\"why\">Why <a class=\"anchor\" href=\"#why\">#</a></h2>\
<p>See <a href=\"#%01page-b\">B</a> and <a href=\"../x/index.html\">x</a>, &quot;id=&quot; as text.</p>\
<sup><a href=\"#fn-1\" id=\"fnref-1\" aria-describedby=\"footnotes\">1</a></sup>\
<section class=\"footnotes\" aria-labelledby=\"footnotes\">";
        assert_eq!(
            scope_ids(html, "page-a"),
            "<h2 id=\"page-a--why\">Why <a class=\"anchor\" href=\"#page-a--why\">#</a></h2>\
<p>See <a href=\"#page-b\">B</a> and <a href=\"../x/index.html\">x</a>, &quot;id=&quot; as text.</p>\
<sup><a href=\"#page-a--fn-1\" id=\"page-a--fnref-1\" aria-describedby=\"page-a--footnotes\">1</a></sup>\
<section class=\"footnotes\" aria-labelledby=\"page-a--footnotes page-a\">"
        );
    }
}
