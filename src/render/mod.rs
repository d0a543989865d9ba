//! Rendering: turning the resolved [`Site`] into the files of the website, in parallel.
//!
//! Every page gets a `root` (`../../`) that templates put before site-relative links, so the
//! output works at any sub-path and straight from disk.

mod calendar;
mod changes;
mod decision_log;
pub(crate) mod escape;
mod frame;
mod generated;
mod graph;
mod home;
mod hours;
mod nav;
mod page_dates;
mod people;
mod print;
mod records;
mod shows;
mod sitemap;
mod teams;
pub mod theme;
pub mod views;

use std::io;
use std::path::PathBuf;

use rayon::prelude::*;
use tera::Context;

use crate::content::{Kind, Page, Role};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Highlighter, LinkRewrite};
use crate::resolve::{LinkTarget, Site};
pub use frame::{Frame, FrameChanges};

use generated::Rendered;
pub use shows::Since;
pub use theme::{Theme, ThemeFile};
use views::{LinkView, Views};

/// One file of the output.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Its path relative to the output folder, with `/` separators.
    pub path: String,
    /// What to write there.
    pub contents: Contents,
}

/// The contents of an output file.
#[derive(Debug, Clone)]
pub enum Contents {
    /// Rendered text.
    Text(String),
    /// A theme file.
    Theme(ThemeFile),
    /// A file to copy as it is.
    Copy(PathBuf),
}

/// Which of a site's files [`Renderer::render_each`] renders. `build` renders
/// [`Part::BeforeLeaves`], then the leaf pages ([`Renderer::render_leaves`]), then
/// [`Part::Lists`], so that it never holds two of the largest things a build holds at once: the
/// pages that hold the whole handbook, the texts of the pages, and the template values of every
/// page's view that the lists show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Every file.
    All,
    /// The generated pages that read more of the pages than their views, rendered before the
    /// views are made, with a frame [`Frame::without_views`]:
    /// - those that hold the whole handbook while they are rendered, but show few pages' views
    ///   or none: the print page (every printed body, and the page itself), the action items
    ///   (every item), what's new and the home page (every change of every page). At 10,000
    ///   pages the first two hold some 30 MB each, as much as half the views;
    /// - the Atom feeds, whose entries fall back to the start of the text: the leaf pages'
    ///   bodies are dropped once the leaf pages are rendered (see
    ///   [`crate::content::Page::drop_body`]).
    BeforeLeaves,
    /// Every other generated page (the lists, which show the views of many pages), and the
    /// files to copy.
    Lists,
}

/// What [`Renderer::render_pages`] rendered.
pub struct PagesRendered {
    /// The files, generated pages first.
    pub files: Vec<OutputFile>,
    /// The problems met: template errors.
    pub problems: Vec<Diagnostic>,
    /// Whether the site has the same generated pages as the site before the edit it was told of,
    /// so that those it did not render again are still served as they were.
    pub same_generated: bool,
}

/// Where files can be rendered straight into, rather than into memory: `build`'s staging
/// folder, for the pages that grow with the handbook (see [`Renderer::writing_large_files_to`]).
pub trait FileWriter: Sync {
    /// Writes the file at site path `path` with what `fill` writes into it. The writer keeps
    /// what goes wrong with the file to report it; what `fill` meets otherwise is its caller's.
    fn write_with(&self, path: &str, fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>);
}

/// The renderer of one site.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    views: Views<'a>,
    highlighter: Highlighter,
    frame: &'a Frame,
    /// Where the pages that grow with the handbook are written as they are rendered, if anywhere.
    large_files: Option<&'a dyn FileWriter>,
    /// Every change of every page, newest first, made when a page first lists them: the home
    /// page and what's new both do.
    changes: std::sync::OnceLock<Vec<changes::Change>>,
}

impl<'a> Renderer<'a> {
    /// Prepares to render `site`, whose [`Frame`] is `frame`, with `theme`.
    pub fn new(site: &'a Site, theme: &'a Theme, frame: &'a Frame) -> Self {
        Renderer {
            site,
            theme,
            views: Views::new(site, &frame.neighbours),
            highlighter: Highlighter,
            frame,
            large_files: None,
            changes: std::sync::OnceLock::new(),
        }
    }

    /// Renders the pages that grow with the handbook (the print page, the action items and the
    /// lists of records, folders and tags) straight into their files in `writer`, rather than
    /// into memory: at 100,000 pages the print page is 175 MB and the decision log 26 MB, which
    /// would be held beside what they are rendered from. Their files are then not handed to the
    /// sink of [`Renderer::render_each`].
    pub fn writing_large_files_to(self, writer: &'a dyn FileWriter) -> Self {
        Renderer {
            large_files: Some(writer),
            ..self
        }
    }

    /// The decision log's filters and counts.
    fn log_index(&self) -> &'a decision_log::LogIndex {
        self.frame.log_index.get_or_init(|| decision_log::LogIndex::new(self))
    }

    /// Every change of every leaf page, newest first (see [`changes::changes`]).
    fn changes(&self) -> &[changes::Change] {
        self.changes.get_or_init(|| changes::changes(self))
    }

    /// The entries of `feed`.
    fn feed_members(&self, feed: changes::Feed) -> &changes::FeedMembers {
        const NONE: &changes::FeedMembers = &Vec::new();
        self.frame
            .feeds
            .iter()
            .find(|(f, _)| *f == feed)
            .map_or(NONE, |(_, members)| members)
    }

    /// The views of the site's pages.
    pub fn views(&self) -> &Views<'a> {
        &self.views
    }

    /// Renders the pages of `part` and hands each file to `sink` as soon as it is rendered, from
    /// the thread that rendered it, then hands it the files to copy (when `part` has them): the
    /// whole site is never held at once. Returns the problems met, generated pages' first. The
    /// search index is apart ([`crate::search`]).
    pub fn render_each(&self, part: Part, sink: &(dyn Fn(OutputFile) + Sync)) -> Vec<Diagnostic> {
        let generated = (generated::pages(self).iter())
            .filter(|page| match part {
                Part::All => true,
                Part::BeforeLeaves => page.rendered_before_leaves(),
                Part::Lists => !page.rendered_before_leaves(),
            })
            .collect();
        let leaves = match part {
            Part::All => self.leaves(),
            Part::BeforeLeaves | Part::Lists => Vec::new(),
        };
        let problems: Vec<Diagnostic> = self
            .rendered(&leaves, generated)
            .filter_map(|result| match result {
                Ok(file) => {
                    sink(file);
                    None
                }
                Err(problem) => Some(problem),
            })
            .collect();
        if matches!(part, Part::All | Part::Lists) {
            self.copied_files().into_par_iter().for_each(sink);
        }
        problems
    }

    /// Renders the leaf pages `leaves` and hands each file to `sink`, as
    /// [`Renderer::render_each`] does. Returns the problems met, and the template value of each
    /// page's view, made to render it, which the lists show too (see [`Frame::add_views`]).
    pub fn render_leaves(
        &self,
        leaves: &[usize],
        sink: &(dyn Fn(OutputFile) + Sync),
    ) -> (Vec<Diagnostic>, Vec<(usize, tera::Value)>) {
        let rendered: Vec<(Option<Diagnostic>, (usize, tera::Value))> = (leaves.par_iter())
            .map(|&i| {
                let value = self.page_value(i);
                let problem = match self.render_page_as(i, value.clone()) {
                    Ok(file) => {
                        sink(file);
                        None
                    }
                    Err(problem) => Some(problem),
                };
                (problem, (i, value))
            })
            .collect();
        let (problems, values): (Vec<_>, Vec<_>) = rendered.into_iter().unzip();
        (problems.into_iter().flatten().collect(), values)
    }

    /// The leaf pages: those rendered with their kind's template.
    pub fn leaves(&self) -> Vec<usize> {
        (0..self.site.pages.len())
            .filter(|&i| self.site.pages[i].role == Role::Leaf)
            .collect()
    }

    /// Of the generated pages, by their place in the list of them ([`generated::pages`]), those
    /// an edit of the site `since` tells may have changed (see [`Since`]); `None` when the site
    /// does not have the same generated pages as before, and every one is to be rendered.
    pub fn changed_generated(&self, since: &Since<'_>) -> Option<Vec<usize>> {
        shows::changed(self, since)
    }

    /// Renders the leaf pages `leaves` and the generated pages: those at the places `lists` in
    /// the list of them (see [`Renderer::changed_generated`]), or, without it, every one, the
    /// print page only when `print` (see [`Frame::follow_print`]).
    pub fn render_pages(&self, leaves: &[usize], print: bool, lists: Option<&[usize]>) -> PagesRendered {
        let pages = generated::pages(self);
        let same_generated = lists.is_some();
        let mut generated: Vec<&generated::Generated> = match lists {
            Some(lists) => lists.iter().map(|&n| &pages[n]).collect(),
            None => pages.iter().collect(),
        };
        if !print {
            generated.retain(|page| !matches!(page, generated::Generated::Print));
        }
        let results: Vec<Result<OutputFile, Diagnostic>> = self.rendered(leaves, generated).collect();
        let mut files = Vec::with_capacity(results.len());
        let mut problems = Vec::new();
        for result in results {
            match result {
                Ok(file) => files.push(file),
                Err(problem) => problems.push(problem),
            }
        }
        PagesRendered {
            files,
            problems,
            same_generated,
        }
    }

    /// The generated pages `generated` and the leaf pages `leaves`, rendered in parallel as they
    /// are asked for; the generated pages come first, so that the largest (the print page, first
    /// of [`generated::pages`]) starts first.
    fn rendered(
        &self,
        leaves: &[usize],
        generated: Vec<&generated::Generated>,
    ) -> impl ParallelIterator<Item = Result<OutputFile, Diagnostic>> {
        let pages = leaves.par_iter().map(|&i| Some(self.render_page(i)));
        let generated = generated.into_par_iter().map(|page| generated::render(self, page));
        generated.chain(pages).flatten_iter()
    }

    /// Renders the generated pages that show the text of the bodies of `pages` (rather than only
    /// what the page views hold) but for the print page (see [`Renderer::prints_any`]): the Atom
    /// feeds they are in, whose entries fall back to the start of the text.
    pub fn render_body_dependents(&self, pages: &[usize]) -> Vec<Result<OutputFile, Diagnostic>> {
        (self.frame.feeds.iter())
            .filter(|(_, members)| members.iter().any(|m| pages.contains(&m.2)))
            .filter_map(|(feed, _)| generated::render(self, &generated::Generated::Feed(*feed)))
            .collect()
    }

    /// Whether the print page prints any of `pages`.
    pub fn prints_any(&self, pages: &[usize]) -> bool {
        pages.iter().any(|page| self.frame.printed.contains(page))
    }

    /// Renders the print page, the whole handbook on one page; `None` when it was written as it
    /// was rendered (see [`Renderer::writing_large_files_to`]).
    pub fn render_print(&self) -> Option<Result<OutputFile, Diagnostic>> {
        generated::render(self, &generated::Generated::Print)
    }

    /// Renders the leaf page `index` with its kind's template.
    pub fn render_page(&self, index: usize) -> Result<OutputFile, Diagnostic> {
        self.render_page_as(index, self.page_value(index))
    }

    /// Renders the leaf page `index`, whose view's template value is `value`.
    fn render_page_as(&self, index: usize, value: tera::Value) -> Result<OutputFile, Diagnostic> {
        let page = &self.site.pages[index];
        let template = match page.kind() {
            Kind::Page => "page.html",
            Kind::Decision => "decision.html",
            Kind::Meeting => "meeting.html",
            Kind::Protocol => "protocol.html",
            Kind::Person => "person.html",
        };
        let mut context = self.context_for(&page.path, Some(views::display_title(page)));
        context.insert_value("page", value);
        context.insert("content", &self.page_html(index));
        context.insert("toc", &table_of_contents(page));
        context.insert("description", &description(page));
        let backlinks: Vec<LinkView> = self.site.backlinks[index].iter().map(|&b| self.views.link(b)).collect();
        context.insert("backlinks", &backlinks);
        self.render(template, &context, page.output_file())
    }

    /// Page `index`'s view as a template value: the frame's, or made now by a frame made
    /// [`Frame::without_views`].
    fn page_value(&self, index: usize) -> tera::Value {
        match self.frame.values.get(index) {
            Some(value) => value.clone(),
            None => self.views.page_value(index),
        }
    }

    /// A template value holding page `index`'s view under `page`, beside `fields`: rows built
    /// this way share the view every list of the page shares, where a serialized struct would
    /// copy it.
    fn page_row<const N: usize>(&self, index: usize, fields: [(&'static str, tera::Value); N]) -> tera::Value {
        let mut row = std::collections::BTreeMap::from(fields);
        row.insert("page", self.page_value(index));
        tera::Value::from(row)
    }

    /// The views of pages `indices`, in that order, as one template value.
    fn list(&self, indices: &[usize]) -> tera::Value {
        tera::Value::from(indices.iter().map(|&i| self.page_value(i)).collect::<Vec<_>>())
    }

    /// The leaf pages of `kind`.
    fn indices_of(&self, kind: Kind) -> Vec<usize> {
        self.site.of_kind(kind).map(|(i, _)| i).collect()
    }

    /// Sorts `indices` newest first, then by title.
    fn newest_first(&self, indices: &mut [usize]) {
        let pages = &self.site.pages;
        indices.sort_by(|&a, &b| {
            pages[b]
                .date
                .cmp(&pages[a].date)
                .then_with(|| pages[a].title.cmp(&pages[b].title))
        });
    }

    /// Sorts `indices` by weight, then number, then title (see [`nav::by_weight`]).
    fn by_weight(&self, indices: &mut [usize]) {
        nav::by_weight(&self.site.pages, indices);
    }

    /// Sorts decision `indices` by number, highest first, then newest first.
    fn by_number_desc(&self, indices: &mut [usize]) {
        nav::by_number_desc(&self.site.pages, indices);
    }

    /// The base context for a page at site path `path` titled `title` (`None` for the home page
    /// and files that are no pages): its way back to the root, section and navigation.
    fn context_for(&self, path: &str, title: Option<&str>) -> Context {
        let mut context = self.frame.base.clone();
        context.insert("root", &root_prefix(path));
        context.insert("section", &path.split('/').next().unwrap_or_default());
        context.insert(
            "canonical",
            &self.site.config.base_url().map(|base| format!("{base}{path}")),
        );
        context.insert("nav", &self.frame.folders.page_nav(self, path, title));
        // Templates of generated pages describe themselves; `render_page` sets a page's own.
        context.insert("description", &None::<String>);
        context
    }

    /// Renders `template` into the output file `path`.
    fn render(&self, template: &str, context: &Context, path: String) -> Result<OutputFile, Diagnostic> {
        Self::rendered_file(self.theme.tera.render(template, context), template, path)
    }

    /// Renders a page that grows with the handbook with `template` into the output file `path`:
    /// straight into the file when the renderer has somewhere to write it (see
    /// [`Renderer::writing_large_files_to`]), and then `None` unless the template fails; else
    /// into memory, in a buffer of `size` bytes to start with (a buffer grown by doubling would
    /// hold up to three times the page at once).
    fn render_large(&self, template: &str, context: &Context, path: String, size: usize) -> Option<Rendered> {
        let Some(writer) = self.large_files else {
            let mut out = Vec::with_capacity(size);
            let text = (self.theme.tera.render_to(template, context, &mut out))
                .and_then(|()| String::from_utf8(out).map_err(tera::Error::from));
            return Some(Self::rendered_file(text, template, path));
        };
        let mut failed = None;
        writer.write_with(&path, &mut |out| {
            // Tera writes a few bytes at a time: they are looked at for forbidden characters a
            // buffer at a time.
            let replacing = escape::ReplacingForbidden::new(KeepingFirstError::new(out));
            let mut out = io::BufWriter::with_capacity(1 << 16, replacing);
            let rendered = self.theme.tera.render_to(template, context, &mut out);
            // A write that failed (the last one included) failed the rendering too: that is the
            // writer's to report.
            let _ = io::Write::flush(&mut out);
            out.into_parts().0.into_inner().result()?;
            failed = rendered.err();
            Ok(())
        });
        failed.map(|err| Self::rendered_file(Err(err), template, path))
    }

    /// The output file `path` rendered with `template`, or why it could not be.
    fn rendered_file(text: tera::TeraResult<String>, template: &str, path: String) -> Result<OutputFile, Diagnostic> {
        match text {
            Ok(text) => Ok(OutputFile {
                path,
                contents: Contents::Text(escape::replace_forbidden(text)),
            }),
            Err(err) => Err(
                Diagnostic::error("template", format!("cannot render {path} with {template}: {err}"))
                    .help("a template override may use a variable that this page does not have"),
            ),
        }
    }

    /// The HTML of page `index`'s body, links rewritten relative to the page.
    fn page_html(&self, index: usize) -> String {
        let page = &self.site.pages[index];
        let root = root_prefix(&page.path);
        let links = &self.site.links[index];
        let rewrite = |dest: &str| match links.get(dest) {
            Some(LinkTarget::Site(target)) => LinkRewrite::To(format!("{root}{target}")),
            Some(LinkTarget::Anchor(id)) => LinkRewrite::To(format!("#{id}")),
            Some(LinkTarget::Unlink) => LinkRewrite::Unlink,
            _ => LinkRewrite::Keep,
        };
        self.body_html(index, &rewrite)
    }

    /// The HTML of page `index`'s body, links rewritten by `rewrite`.
    fn body_html(&self, index: usize, rewrite: &dyn Fn(&str) -> LinkRewrite) -> String {
        let page = &self.site.pages[index];
        let config = &self.site.config.markdown;
        // The template shows the title; drop the heading it came from.
        let strip_h1 = page.title_heading_id().is_some();
        let options = markdown::HtmlOptions {
            parse: markdown::options(config.smart_punctuation),
            raw_html: config.raw_html,
            highlighter: config.highlight_code.then_some(&self.highlighter),
        };
        markdown::to_html(page.markdown(), &options, &page.outline, strip_h1, rewrite)
    }

    /// Static files of the theme, of `static/` and next to the pages.
    fn copied_files(&self) -> Vec<OutputFile> {
        let root = &self.site.root;
        let theme = self.theme.static_files.iter().map(|(path, file)| OutputFile {
            path: path.clone(),
            contents: Contents::Theme(file.clone()),
        });
        let statics = self.site.static_files.iter().map(|path| OutputFile {
            path: path.clone(),
            contents: Contents::Copy(root.join(crate::content::load::STATIC_DIR).join(path)),
        });
        let assets = self.site.assets.iter().map(|path| OutputFile {
            path: path.clone(),
            contents: Contents::Copy(root.join(self.site.mounts.file(path))),
        });
        theme.chain(statics).chain(assets).collect()
    }
}

/// A writer that keeps the first error of the writer it writes to: Tera reports a failed
/// write as a failed rendering, which would blame the template for the file system.
struct KeepingFirstError<'w> {
    out: &'w mut dyn io::Write,
    error: Option<io::Error>,
}

impl<'w> KeepingFirstError<'w> {
    fn new(out: &'w mut dyn io::Write) -> Self {
        KeepingFirstError { out, error: None }
    }

    /// The first error met, if any.
    fn result(self) -> io::Result<()> {
        self.error.map_or(Ok(()), Err)
    }

    fn kept<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        result.map_err(|err| {
            let told = io::Error::new(err.kind(), err.to_string());
            self.error.get_or_insert(err);
            told
        })
    }
}

impl io::Write for KeepingFirstError<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.out.write(buf);
        self.kept(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        let flushed = self.out.flush();
        self.kept(flushed)
    }
}

/// `decisions/0007-x/` → `../../`: the way back to the site root.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A page's `<meta name="description">`: its front matter `summary`, else the start of its text
/// (about 155 characters, what search engines show of a description); `None` for a page
/// without either, which then gets the site's description.
fn description(page: &Page) -> Option<String> {
    const LIMIT: usize = 155;
    let text = match &page.summary {
        Some(summary) => summary.clone(),
        None => {
            // The text starts with the title when the page has a `# Title` line: leave it out.
            let text = markdown::plain_text(page.markdown(), LIMIT + page.title.chars().count() + 1);
            let text = text.strip_prefix(page.title.as_str()).unwrap_or(&text).trim_start();
            markdown::cut_at_word(text, LIMIT)
        }
    };
    (!text.trim().is_empty()).then_some(text)
}

/// Headings for the "On this page" box: levels 2 and 3, when there are at least two.
fn table_of_contents(page: &Page) -> Vec<&markdown::Heading> {
    let entries: Vec<&markdown::Heading> = page
        .outline
        .headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .collect();
    if entries.len() < 2 { Vec::new() } else { entries }
}

#[cfg(test)]
mod tests;
