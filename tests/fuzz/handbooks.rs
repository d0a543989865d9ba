//! Generated handbooks: a configuration, pages (front matter and Markdown body) under hostile
//! file and folder names, assets, static files and symbolic links out of the handbook, as a
//! proptest strategy; and how they are written as files.
//!
//! Half of the handbooks are *tidy*: valid, however hostile their text, so that they reach the
//! writer and their output can be checked. The others are wild: wrong types, broken lines,
//! files that are not UTF-8, links to nowhere. A shrunk failing case prints as the
//! `Fixture::new(&[…])` call that reproduces it.

use std::collections::BTreeSet;
use std::fmt;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use crate::config::{Config, config};
use crate::front_matter::{FrontMatter, front_matter};
use crate::markdown::{Block, block};
use crate::pools::*;

/// Stands for an absolute path (`/tmp/…/escape-marker`) in a folder the test owns but the build
/// has no business in; replaced when the files are written.
pub(crate) const ESCAPE: &str = "{ESCAPE}";

/// Stands for the absolute path of the folder that holds the handbook root (and the secrets
/// beside it); replaced when the files are written.
pub(crate) const OUTSIDE: &str = "{OUTSIDE}";

/// Text of the files outside the handbook that symbolic links point at: it must never be
/// published.
pub(crate) const SECRET: &str = "zzsecret";

/// A whole handbook: its files (relative to the root) and the options it is built with.
#[derive(Clone)]
pub(crate) struct Handbook {
    /// The files, no two at one path and none inside another.
    pub(crate) files: Vec<File>,
    /// `build --drafts`.
    pub(crate) drafts: bool,
    /// `build --public`.
    pub(crate) public: bool,
    /// `build --base-url`.
    pub(crate) base_url: Option<String>,
    /// Whether `handbook.toml` says `[links] broken = "warn"` (then a build may keep broken links).
    pub(crate) broken_links_warn: bool,
}

/// One file of a handbook, relative to its root.
#[derive(Clone, Debug)]
pub(crate) struct File {
    /// `/`-separated path.
    pub(crate) path: String,
    /// What is at the path.
    pub(crate) contents: Contents,
}

/// What a file holds.
#[derive(Clone, Debug)]
pub(crate) enum Contents {
    /// Bytes (mostly UTF-8 text).
    Bytes(Vec<u8>),
    /// A symbolic link to this target.
    Symlink(String),
}

impl fmt::Debug for Handbook {
    /// The handbook as the test helpers' `Fixture::new(&[…])` call, then what is not a file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Fixture::new(&[")?;
        for file in &self.files {
            if let Contents::Bytes(bytes) = &file.contents {
                match std::str::from_utf8(bytes) {
                    Ok(text) => writeln!(f, "    ({:?}, {:?}),", file.path, text)?,
                    Err(_) => writeln!(
                        f,
                        "    ({:?}, /* not UTF-8 */ {:?}),",
                        file.path,
                        String::from_utf8_lossy(bytes)
                    )?,
                }
            }
        }
        writeln!(f, "])")?;
        for file in &self.files {
            if let Contents::Symlink(target) = &file.contents {
                writeln!(f, "symlink {:?} -> {:?}", file.path, target)?;
            }
        }
        write!(
            f,
            "options: drafts={} public={} base_url={:?}",
            self.drafts, self.public, self.base_url
        )
    }
}

/// Keeps the first file at each path, and no file where another is a folder or inside another
/// file (the file system allows neither).
fn one_file_per_path(files: Vec<File>) -> Vec<File> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut folders: BTreeSet<String> = BTreeSet::new();
    let mut kept = Vec::new();
    for file in files {
        let ancestors: Vec<&str> = file.path.match_indices('/').map(|(i, _)| &file.path[..i]).collect();
        if taken.contains(&file.path) || folders.contains(&file.path) || ancestors.iter().any(|a| taken.contains(*a)) {
            continue;
        }
        taken.insert(file.path.clone());
        folders.extend(ancestors.iter().map(|a| a.to_string()));
        kept.push(file);
    }
    kept
}

/// How a page's bytes are spoilt, if at all.
#[derive(Clone, Copy, Debug)]
enum Quirk {
    None,
    ByteOrderMark,
    CrLf,
    NoFinalNewline,
    NotUtf8,
}

#[derive(Clone, Debug)]
struct Page {
    folder: String,
    stem: String,
    extension: String,
    front: Option<FrontMatter>,
    body: Vec<Block>,
    quirk: Quirk,
}

/// A page; a tidy one has valid front matter and is UTF-8.
fn page(tidy: bool) -> BoxedStrategy<Page> {
    let quirks: &[Quirk] = match tidy {
        true => &[Quirk::ByteOrderMark, Quirk::CrLf, Quirk::NoFinalNewline],
        false => &[Quirk::ByteOrderMark, Quirk::CrLf, Quirk::NoFinalNewline, Quirk::NotUtf8],
    };
    let quirk = prop_oneof![9 => Just(Quirk::None), 1 => proptest::sample::select(quirks)];
    (
        prop_oneof![3 => pick(FOLDERS), 1 => name()],
        name(),
        pick(EXTENSIONS),
        match tidy {
            true => front_matter(tidy).prop_map(Some).boxed(),
            false => option::weighted(0.85, front_matter(tidy)).boxed(),
        },
        vec(block(tidy), 0..6),
        quirk,
    )
        .prop_map(|(folder, stem, extension, front, body, quirk)| Page {
            folder,
            stem,
            extension,
            front,
            body,
            quirk,
        })
        .boxed()
}

impl Page {
    fn path(&self) -> String {
        match self.folder.as_str() {
            "" => format!("content/{}{}", self.stem, self.extension),
            folder => format!("content/{folder}/{}{}", self.stem, self.extension),
        }
    }

    /// The page's address as the pipeline makes it, near enough to keep tidy handbooks free of
    /// two pages at one address.
    fn address(&self) -> String {
        let stem = match self.stem.as_str() {
            "_index" | "index" | "README" => "",
            stem => stem,
        };
        self.folder
            .split('/')
            .chain([stem])
            .map(slug::slugify)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Whether the page is a leaf at the address of a generated page (an error: tidy handbooks
    /// avoid it).
    fn takes_a_generated_address(&self) -> bool {
        const FOLDERS: [&str; 4] = ["tags/", "decisions/status/", "decisions/tags/", "meetings/series/"];
        let address = format!("{}/", self.address());
        let leaf = !["_index", "index", "README"].contains(&self.stem.as_str());
        leaf && (handbook::resolve::GENERATED_PATHS.contains(&address.as_str())
            || FOLDERS.iter().any(|f| address.starts_with(f)))
    }

    fn file(&self) -> File {
        let mut text = String::new();
        if let Some(front) = &self.front {
            front.write(&mut text);
        }
        for block in &self.body {
            block.write(&mut text);
        }
        let bytes = match self.quirk {
            Quirk::None => text.into_bytes(),
            Quirk::ByteOrderMark => format!("\u{feff}{text}").into_bytes(),
            Quirk::CrLf => text.replace('\n', "\r\n").into_bytes(),
            Quirk::NoFinalNewline => text.trim_end_matches('\n').as_bytes().to_vec(),
            Quirk::NotUtf8 => {
                let mut bytes = text.into_bytes();
                let at = (bytes.len() / 2..bytes.len())
                    .find(|&i| bytes[i].is_ascii())
                    .unwrap_or(bytes.len());
                bytes.insert(at, 0xFF);
                bytes
            }
        };
        File {
            path: self.path(),
            contents: Contents::Bytes(bytes),
        }
    }
}

/// A file that is not a page: an asset beside the pages or a static file. Its contents are
/// valid for its extension, since static files are copied as they are.
fn other_file() -> BoxedStrategy<File> {
    let place = prop_oneof![
        pick(&[
            "content",
            "content/guides",
            "content/decisions",
            "content/tags",
            "content/a b",
            "static",
            "static/tags",
            "static/assets",
            "static/search",
            "static/decisions/status/accepted",
        ]),
        name().prop_map(|n| format!("content/{n}")),
    ];
    let file_name = prop_oneof![
        pick(&[
            "x.png",
            "rota.png",
            "index.html",
            "style.css",
            "feed.xml",
            "sitemap.xml",
            "ü.png",
            "..png",
            "x.md.png",
            "meta.js"
        ]),
        name(),
    ];
    (place, file_name)
        .prop_map(|(place, file_name)| {
            let contents = match file_name.rsplit_once('.').map(|(_, ext)| ext) {
                Some("xml") => "<?xml version=\"1.0\"?><static/>\n",
                Some("html") => "<!doctype html><p>static</p>\n",
                _ => "static file\n",
            };
            File {
                path: format!("{place}/{file_name}"),
                contents: Contents::Bytes(contents.as_bytes().to_vec()),
            }
        })
        .boxed()
}

/// A symbolic link out of the handbook; in a tidy handbook it leads to a file or folder.
fn symlink(tidy: bool) -> BoxedStrategy<File> {
    let target = match tidy {
        true => pick(OUTSIDE_TARGETS).boxed(),
        false => prop_oneof![pick(OUTSIDE_TARGETS), pick(LINK_TARGETS)].boxed(),
    };
    (pick(&["content", "content/guides", "static"]), name(), target)
        .prop_map(|(place, name, target)| File {
            path: format!("{place}/{name}"),
            contents: Contents::Symlink(target),
        })
        .boxed()
}

/// Whole handbooks, half of them tidy: a configuration (usually), one to seven pages, a few
/// other files and sometimes a symbolic link out of the handbook.
pub(crate) fn handbook() -> impl Strategy<Value = Handbook> {
    prop_oneof![handbooks(true), handbooks(false)]
}

fn handbooks(tidy: bool) -> BoxedStrategy<Handbook> {
    (
        option::weighted(if tidy { 0.95 } else { 0.7 }, config(tidy)),
        vec(page(tidy), 1..8),
        vec(other_file(), 0..3),
        vec(symlink(tidy), 0..2),
        (
            proptest::bool::weighted(0.3),
            proptest::bool::weighted(0.3),
            option::weighted(0.1, pick(URLS)),
        ),
    )
        .prop_map(move |(config, mut pages, others, links, (drafts, public, base_url))| {
            if tidy {
                let mut addresses = BTreeSet::new();
                pages.retain(|page| !page.takes_a_generated_address() && addresses.insert(page.address()));
            }
            let broken_links_warn = config.as_ref().is_some_and(|c| c.broken == Some("warn"));
            let files = config
                .iter()
                .map(Config::file)
                .chain(pages.iter().map(Page::file))
                .chain(others)
                .chain(links)
                .collect();
            Handbook {
                files: one_file_per_path(files),
                drafts,
                public,
                base_url,
                broken_links_warn,
            }
        })
        .boxed()
}
