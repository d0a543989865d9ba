//! The renderer's tests: rendering in parts as `build` does (leaf pages' bodies dropped on the
//! way, the largest pages written as they are rendered) against rendering at once, and what
//! `serve` renders again after an edit.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::Arc;

use super::{Contents, Frame, OutputFile, Part, Renderer, Since};
use crate::build::{self, BuildOptions};
use crate::diagnostics::Diagnostics;
use crate::resolve::Site;
use crate::{content::load, history};

/// Writes `text` to the file `path` of the handbook at `root`, making its folders.
fn write_file(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A handbook named "Ops" in a new temporary folder, with `files` (path, text).
fn handbook(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_file(dir.path(), "handbook.toml", "title = \"Ops\"\n");
    for (path, text) in files {
        write_file(dir.path(), path, text);
    }
    dir
}

/// The handbook at `root` resolved with `text` in the file `path`, which is then put back.
fn site_edited(root: &Path, path: &str, text: &str) -> Site {
    let old = std::fs::read_to_string(root.join(path)).unwrap();
    write_file(root, path, text);
    let (site, _) = site(root);
    write_file(root, path, &old);
    site
}

/// The handbook at `root`, resolved, with its theme.
fn site(root: &Path) -> (Site, super::Theme) {
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: root.join("public"),
        drafts: false,
        base_url: None,
        public: false,
    };
    let (config, theme) = build::configure(&options).unwrap();
    let loaded = load::load(root, &config);
    let site = build::connect(
        &options,
        config,
        &theme,
        loaded,
        history::read(root),
        None,
        &mut Diagnostics::default(),
    )
    .site;
    (site, theme)
}

#[test]
fn the_print_page_is_rendered_again_when_it_prints_other_pages_or_a_printed_page_changed() {
    let protocol = "content/protocols/on-call.md";
    let meeting = "content/meetings/2026-02-01-sync.md";
    let decision = "content/decisions/0001-use-a-queue.md";
    let dir = handbook(&[
        (
            protocol,
            "---\ntitle: On-call\n---\nCall [the queue](../decisions/0001-use-a-queue.md).\n",
        ),
        (meeting, "---\ntitle: Sync\ndate: 2026-02-01\n---\nMet.\n"),
        (decision, "---\ntitle: Use a queue\nstatus: accepted\n---\nQueue.\n"),
    ]);
    let (before, theme) = site(dir.path());
    let before_frame = Frame::new(&before);
    let reprints = |what: &str, path: &str, text: &str| {
        let site = site_edited(dir.path(), path, text);
        assert_eq!(before.pages.len(), site.pages.len(), "{what}");
        let frame = Frame::new(&site);
        let changes = frame.changes_since(&site, &before_frame, &before).expect(what);
        frame.follow_print(&site, &before_frame, &changes)
    };
    assert!(!reprints(
        "the same pages",
        meeting,
        "---\ntitle: Sync\ndate: 2026-02-01\n---\nMet.\n"
    ));
    assert!(!reprints(
        "a meeting retitled",
        meeting,
        "---\ntitle: Sync up\ndate: 2026-02-01\n---\nMet.\n"
    ));
    assert!(!reprints(
        "a meeting's body",
        meeting,
        "---\ntitle: Sync\ndate: 2026-02-01\n---\nMet twice.\n"
    ));
    assert!(reprints(
        "a protocol retitled",
        protocol,
        "---\ntitle: On call\n---\nCall [the queue](../decisions/0001-use-a-queue.md).\n"
    ));
    assert!(reprints(
        "a protocol's body",
        protocol,
        "---\ntitle: On-call\n---\nCall [the queue](../decisions/0001-use-a-queue.md) now.\n"
    ));
    assert!(reprints(
        "a decision no longer in force",
        decision,
        "---\ntitle: Use a queue\nstatus: rejected\n---\nQueue.\n"
    ));

    let renderer = Renderer::new(&before, &theme, &before_frame);
    for print in [true, false] {
        let rendered = renderer.render_pages(&[], print, None);
        assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
        assert_eq!(rendered.files.iter().any(|f| f.path == "print/index.html"), print);
    }
}

#[test]
fn after_an_edit_the_generated_pages_rendered_again_are_those_that_show_the_edited_page() {
    let meeting = "content/meetings/2026-02-01-sync.md";
    let dir = handbook(&[
        (
            "content/protocols/on-call.md",
            "---\ntitle: On-call\n---\nPage the lead.\n",
        ),
        (
            meeting,
            "---\ntitle: Sync\ndate: 2026-02-01\n---\n- [ ] Write the runbook\n",
        ),
        (
            "content/decisions/0001-use-a-queue.md",
            "---\ntitle: Use a queue\nstatus: accepted\ntags: [storage]\n---\nQueue.\n",
        ),
        (
            "content/decisions/0002-use-a-cdn.md",
            "---\ntitle: Use a CDN\nstatus: proposed\ntags: [cost]\n---\nServe.\n",
        ),
        (
            "content/decisions/0003-use-a-log.md",
            "---\ntitle: Use a log\nstatus: accepted\n---\nLog.\n",
        ),
    ]);
    let (before, theme) = site(dir.path());
    let before_frame = Frame::new(&before);
    let before_renderer = Renderer::new(&before, &theme, &before_frame);
    let rendered_after = |path: &str, text: &str| -> Vec<String> {
        let site = site_edited(dir.path(), path, text);
        let frame = Frame::new(&site);
        let changes = frame.changes_since(&site, &before_frame, &before).unwrap();
        let since = Since {
            before: &before_renderer,
            changes: &changes,
        };
        let renderer = Renderer::new(&site, &theme, &frame);
        let lists = renderer.changed_generated(&since).expect("the same generated pages");
        let rendered = renderer.render_pages(&[], false, Some(&lists));
        assert!(rendered.same_generated && rendered.problems.is_empty());
        rendered.files.into_iter().map(|file| file.path).collect()
    };
    // Which of `shows` and `does_not` were rendered again.
    let check = |rendered: &[String], shows: &[&str], does_not: &[&str]| {
        for shows_it in shows {
            assert!(rendered.iter().any(|p| p == shows_it), "{shows_it} in {rendered:?}");
        }
        for does_not in does_not {
            assert!(!rendered.iter().any(|p| p == does_not), "{does_not} in {rendered:?}");
        }
    };
    let rendered = rendered_after(
        meeting,
        "---\ntitle: Sync up\ndate: 2026-02-01\n---\n- [ ] Write the runbook\n",
    );
    check(
        &rendered,
        &[
            "meetings/index.html",
            "actions/index.html",
            "changes/index.html",
            "index.html",
        ],
        &[
            "decisions/index.html",
            "protocols/index.html",
            "tags/storage/index.html",
        ],
    );
    let rendered = rendered_after(
        "content/decisions/0001-use-a-queue.md",
        "---\ntitle: Use a job queue\nstatus: accepted\ntags: [storage]\n---\nQueue.\n",
    );
    // The pages of the log that list neither it nor a record showing its title: a retitle
    // leaves every filter's count as it was.
    check(
        &rendered,
        &[
            "decisions/index.html",
            "decisions/status/accepted/index.html",
            "tags/storage/index.html",
        ],
        &[
            "meetings/index.html",
            "actions/index.html",
            "protocols/index.html",
            "decisions/status/proposed/index.html",
            "decisions/tags/cost/index.html",
        ],
    );
    // A record with another status changes the counts every page of the log shows.
    let rendered = rendered_after(
        "content/decisions/0001-use-a-queue.md",
        "---\ntitle: Use a queue\nstatus: proposed\ntags: [storage]\n---\nQueue.\n",
    );
    check(
        &rendered,
        &["decisions/status/proposed/index.html", "decisions/tags/cost/index.html"],
        &[],
    );
    // A record that joins a tag another record has: the site keeps its generated pages, and
    // the tag's page, the one it left and the tags' counts are rendered again.
    let rendered = rendered_after(
        "content/decisions/0002-use-a-cdn.md",
        "---\ntitle: Use a CDN\nstatus: proposed\ntags: [cost, storage]\n---\nServe.\n",
    );
    check(
        &rendered,
        &["tags/storage/index.html", "tags/cost/index.html", "tags/index.html"],
        &["meetings/index.html", "protocols/index.html"],
    );
}

#[test]
fn a_kept_frame_tells_the_changed_views_by_fingerprint_as_by_comparing_them() {
    let dir = handbook(&[
        (
            "content/decisions/0001-use-a-queue.md",
            "---\ntitle: Use a queue\nstatus: superseded\n---\nQ.\n",
        ),
        (
            "content/decisions/0002-use-a-log.md",
            "---\ntitle: Use a log\nsupersedes: [1]\n---\nL.\n",
        ),
        ("content/protocols/on-call.md", "---\ntitle: On-call\n---\nCall.\n"),
    ]);
    let (before, _) = site(dir.path());
    let kept = Frame::kept(&before, None);
    write_file(
        dir.path(),
        "content/decisions/0002-use-a-log.md",
        "---\ntitle: Use an event log\nsupersedes: [1]\n---\nL.\n",
    );
    let (after, _) = site(dir.path());
    let by_fingerprint = Frame::kept(&after, Some(&kept))
        .changes_since(&after, &kept, &before)
        .unwrap();
    let by_value = Frame::new(&after)
        .changes_since(&after, &Frame::new(&before), &before)
        .unwrap();
    let changed = |changes: &super::FrameChanges| -> Vec<usize> {
        (0..after.pages.len()).filter(|&i| changes.changed_itself(i)).collect()
    };
    let source = |i: usize| after.pages[i].source.as_str();
    let by_fingerprint = changed(&by_fingerprint);
    assert_eq!(by_fingerprint, changed(&by_value));
    // The retitled record, and the record it supersedes, which shows its title.
    let sources: Vec<&str> = by_fingerprint.iter().map(|&i| source(i)).collect();
    assert_eq!(
        sources,
        ["decisions/0001-use-a-queue.md", "decisions/0002-use-a-log.md"]
    );
}

/// Every view of the sample handbook (people, meetings with action items, records with every
/// relation, pages with extra front matter) has a fingerprint: a view without one would show as
/// changed after every edit, and be rendered again each time.
#[test]
fn every_view_of_the_sample_handbook_has_a_fingerprint_that_an_unchanged_site_keeps() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (before, _) = site(root);
    let kept = Frame::kept(&before, None);
    let (after, _) = site(root);
    let changes = Frame::kept(&after, Some(&kept))
        .changes_since(&after, &kept, &before)
        .unwrap();
    let changed: Vec<&str> = (0..after.pages.len())
        .filter(|&i| changes.changed_itself(i))
        .map(|i| after.pages[i].source.as_str())
        .collect();
    assert!(after.pages.len() > 30);
    assert_eq!(changed, Vec::<&str>::new());
}

#[test]
fn the_pages_rendered_in_parts_with_bodies_dropped_on_the_way_are_the_pages_rendered_at_once() {
    let dir = handbook(&[
        (
            "content/protocols/on-call.md",
            "---\ntitle: On-call\nowner: ana\n---\nSee [the queue](../decisions/0001-use-a-queue.md).\n\n```toml\nretries = 3\n```\n",
        ),
        (
            "content/decisions/0001-use-a-queue.md",
            "---\ntitle: Use a queue\nstatus: accepted\ntags: [ops]\n---\n# Use a queue\n\nQueue.\n\n## Why\n\nLoad.\n",
        ),
        (
            "content/meetings/2026-02-01-sync.md",
            "---\ntitle: Sync\ndate: 2026-02-01\n---\nWe met.\n\n## Action items\n\n- [ ] @ana Page the queue (due 2026-03-01)\n- [x] @bo Write it down\n",
        ),
        ("content/people/ana.md", "---\ntitle: Ana Lima\n---\nOn call.\n"),
        (
            "content/protocols/_index.md",
            "---\ntitle: How we work\n---\nThe protocols.\n",
        ),
    ]);
    let (mut site, theme) = site(dir.path());
    let files = std::sync::Mutex::new(BTreeMap::new());
    let sink = |file: OutputFile| {
        let text = match file.contents {
            Contents::Text(text) => text,
            other => format!("{other:?}"),
        };
        files.lock().unwrap().insert(file.path, text);
    };
    let take = || std::mem::take(&mut *files.lock().unwrap());
    let full = Frame::new(&site);
    assert!(
        Renderer::new(&site, &theme, &full)
            .render_each(Part::All, &sink)
            .is_empty()
    );
    let all = take();
    // As `build` renders them: the pages that read more than views, then the leaf pages one
    // at a time, dropping each one's body, then the lists with the views the leaf pages made.
    let mut frame = Frame::without_views(&site);
    let renderer = Renderer::new(&site, &theme, &frame);
    assert!(renderer.render_each(Part::BeforeLeaves, &sink).is_empty());
    let before = take();
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        [
            "actions/index.html",
            "changes/index.html",
            "decisions/feed.xml",
            "feed.xml",
            "index.html",
            "meetings/feed.xml",
            "print/index.html"
        ]
    );
    assert!(before["actions/index.html"].contains("Page the queue"));
    assert!(before["print/index.html"].contains("On-call"));
    assert!(before["feed.xml"].contains("We met."));
    let leaves = renderer.leaves();
    let mut made = vec![None; site.pages.len()];
    for &leaf in &leaves {
        let (problems, values) = Renderer::new(&site, &theme, &frame).render_leaves(&[leaf], &sink);
        assert!(problems.is_empty(), "{problems:?}");
        for (i, value) in values {
            made[i] = Some(value);
        }
        Arc::get_mut(&mut site.pages[leaf]).unwrap().drop_body();
    }
    let rendered_leaves = take();
    assert_eq!(rendered_leaves.len(), leaves.len());
    assert!(rendered_leaves["protocols/on-call/index.html"].contains("hl-"));
    frame.add_views(&site, made);
    assert_eq!(frame.values, full.values);
    assert!(
        Renderer::new(&site, &theme, &frame)
            .render_each(Part::Lists, &sink)
            .is_empty()
    );
    let lists = take();
    assert!(lists["protocols/index.html"].contains("The protocols."));
    let mut parts = before;
    for part in [rendered_leaves, lists] {
        assert!(part.keys().all(|path| !parts.contains_key(path)));
        parts.extend(part);
    }
    assert_eq!(parts, all);
}

/// Keeps what is written into each file, or fails every write.
struct Files {
    written: std::sync::Mutex<BTreeMap<String, Result<String, io::ErrorKind>>>,
    fail: bool,
}

impl super::FileWriter for Files {
    fn write_with(&self, path: &str, fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>) {
        struct Full;
        impl io::Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::StorageFull.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut text = Vec::new();
        let filled = match self.fail {
            true => fill(&mut Full),
            false => fill(&mut text),
        };
        let file = filled
            .map(|()| String::from_utf8(text).unwrap())
            .map_err(|err| err.kind());
        self.written.lock().unwrap().insert(path.to_string(), file);
    }
}

#[test]
fn the_largest_pages_written_as_they_are_rendered_are_those_rendered_into_memory() {
    let dir = handbook(&[
        (
            "content/protocols/on-call.md",
            "---\ntitle: \"On\\u0001call\"\n---\nPage \u{ffff} the queue.\n",
        ),
        (
            "content/meetings/2026-02-01-sync.md",
            "---\ntitle: Sync\ndate: 2026-02-01\n---\n- [ ] @ana Page the \u{fffe} queue\n",
        ),
    ]);
    let (site, theme) = site(dir.path());
    let frame = Frame::new(&site);
    let in_memory = std::sync::Mutex::new(BTreeMap::new());
    let renderer = Renderer::new(&site, &theme, &frame);
    let problems = renderer.render_each(Part::All, &|file: OutputFile| {
        if let Contents::Text(text) = file.contents {
            in_memory.lock().unwrap().insert(file.path, text);
        }
    });
    assert!(problems.is_empty(), "{problems:?}");
    let in_memory = in_memory.into_inner().unwrap();
    let files = Files {
        written: Default::default(),
        fail: false,
    };
    let renderer = Renderer::new(&site, &theme, &frame).writing_large_files_to(&files);
    let handed = std::sync::Mutex::new(Vec::new());
    let problems = renderer.render_each(Part::All, &|file: OutputFile| handed.lock().unwrap().push(file.path));
    assert!(problems.is_empty(), "{problems:?}");
    let written = files.written.into_inner().unwrap();
    for page in [
        "print/index.html",
        "actions/index.html",
        "protocols/index.html",
        "decisions/index.html",
    ] {
        assert_eq!(written[page].as_ref().unwrap(), &in_memory[page], "{page}");
        assert!(!handed.lock().unwrap().iter().any(|path| path == page), "{page}");
    }
    assert!(written["print/index.html"].as_ref().unwrap().contains("On\u{fffd}call"));
    assert!(
        written["print/index.html"]
            .as_ref()
            .unwrap()
            .contains("Page \u{fffd} the queue")
    );
    assert!(
        written["actions/index.html"]
            .as_ref()
            .unwrap()
            .contains("the \u{fffd} queue")
    );
    // A file that cannot be written is the writer's to report, not a template's error.
    let full = Files {
        written: Default::default(),
        fail: true,
    };
    let renderer = Renderer::new(&site, &theme, &frame).writing_large_files_to(&full);
    assert!(renderer.render_each(Part::All, &|_| {}).is_empty());
    let written = full.written.into_inner().unwrap();
    assert_eq!(written["print/index.html"], Err(io::ErrorKind::StorageFull));
}

#[test]
#[should_panic(expected = "was dropped")]
#[cfg(debug_assertions)]
fn a_dropped_body_is_not_read_again() {
    let dir = handbook(&[("content/notes.md", "---\ntitle: Notes\n---\nText.\n")]);
    let (mut site, _) = site(dir.path());
    let notes = site.pages.iter().position(|p| p.source == "notes.md").unwrap();
    let page = Arc::get_mut(&mut site.pages[notes]).unwrap();
    page.drop_body();
    page.markdown();
}
