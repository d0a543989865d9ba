//! The files `serve` serves, and where their bytes are: once `serve` is idle, in an unnamed
//! temporary file rather than in the process's memory. At 10,000 pages the rendered site is
//! 166 MB; in a temporary file, the system keeps it in its page cache while memory allows and
//! writes it out when memory is short, and removes it when the process ends however it ends
//! (the file has no name to leave behind).
//!
//! A rebuild keeps the bytes it made in memory, and the server serves them from there: written
//! to a file on disk at once, they made edits slower (at 10,000 pages, on the machine this was
//! measured on, the median body edit went from 56 to 73 ms and its 90th percentile from 83 to
//! 210 ms; with the file in memory, in `/dev/shm`, they did not). They are written to the store
//! when no rebuild has come for a while (see [`Published::tidy`]). The first build of a session,
//! which no edit waits on, writes its bytes to the store as they are rendered (see
//! [`Published::replacing`]).
//!
//! The file is a log: a file's new bytes are appended, and its old bytes stay as garbage until
//! [`Store::compact`] copies what is served into a new file. `serve` tells what changed by
//! fingerprint (see [`crate::fingerprint`]), without reading old bytes back.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use rayon::prelude::*;

use crate::render::{Contents, OutputFile, ThemeFile};
use crate::search::IndexChange;

/// Garbage left in the store when `serve` is idle (see [`Store::wasteful`]).
const IDLE_GARBAGE: u64 = 64 << 20;

/// One file of the site as `serve` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    /// Rendered or embedded bytes, in `serve`'s temporary file.
    Stored(Stored),
    /// Rendered or embedded bytes, in memory: until `serve` is idle, or where the store cannot
    /// take them.
    Bytes(Arc<[u8]>),
    /// A file copied as it is (from `static/` or next to the pages), read when asked for.
    File(PathBuf),
}

impl Served {
    /// Its bytes, read from wherever they are.
    ///
    /// # Errors
    /// When the store or the copied file cannot be read.
    pub fn bytes(&self) -> io::Result<Vec<u8>> {
        match self {
            Served::Stored(stored) => stored.read(),
            Served::Bytes(bytes) => Ok(bytes.to_vec()),
            Served::File(source) => std::fs::read(source),
        }
    }
}

/// The files of the site, by path relative to the site root (`decisions/0007-x/index.html`).
pub type Outputs = std::collections::HashMap<String, Served>;

/// The files `serve` serves, shared with the server that reads them, and the store their bytes
/// are in. Only the session changes what they serve, so what it reads stays true until it
/// writes; tidying changes only where the bytes are.
pub(super) struct Published {
    pub(super) outputs: Arc<RwLock<Outputs>>,
    store: Arc<Store>,
}

impl Published {
    pub(super) fn new() -> Published {
        Published {
            outputs: Arc::default(),
            store: Arc::new(Store::new()),
        }
    }

    pub(super) fn read(&self) -> RwLockReadGuard<'_, Outputs> {
        self.outputs.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Outputs> {
        self.outputs.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Serves `files` and the search index's `changes`, and stops serving `gone`. Returns the
    /// paths whose bytes changed.
    pub(super) fn publish(&self, files: Vec<OutputFile>, gone: Vec<String>, index: Vec<IndexChange>) -> Vec<String> {
        let (mut writes, mut removes) = (files, gone);
        for change in index {
            match change {
                IndexChange::Write(file) => writes.push(file),
                IndexChange::Remove(path) => removes.push(path),
            }
        }
        let served: Vec<(String, Served, bool)> = {
            let outputs = self.read();
            (writes.into_par_iter())
                .map(|file| {
                    let (served, changed) = served(file.contents, outputs.get(&file.path));
                    (file.path, served, changed)
                })
                .collect()
        };
        let mut outputs = self.write();
        let mut changed: Vec<String> = removes
            .into_iter()
            .filter(|path| outputs.remove(path).is_some())
            .collect();
        for (path, served, new) in served {
            if new {
                changed.push(path.clone());
                outputs.insert(path, served);
            }
        }
        changed
    }

    /// Starts replacing what is served by a site whose files are handed, one at a time and from
    /// any thread, to [`Replacement::take`]; nothing served changes until
    /// [`Replacement::finish`]. `renewed` tells whether a copied file's source changed on disk,
    /// which the path it is served from does not show.
    ///
    /// With `at_once`, new rendered text goes to the store as it comes, rather than to memory
    /// until `serve` is idle: right for the first build of a session, which no edit waits on. Held in
    /// memory, its files were 166 MB at 10,000 pages, on top of everything else the session
    /// holds (a peak of some 700 MB, and 510 MB until the first tidy).
    pub(super) fn replacing<'p>(
        &'p self,
        renewed: &'p (dyn Fn(&Path) -> bool + Sync),
        at_once: bool,
    ) -> Replacement<'p> {
        Replacement {
            published: self,
            renewed,
            at_once,
            served: Mutex::default(),
            store_end: if at_once {
                self.store.end().map(|(_, end)| end)
            } else {
                None
            },
        }
    }

    /// What is left to do when `serve` is idle: the bytes served from memory go to the store,
    /// and the store is compacted when it holds more garbage than it serves (and more than
    /// `slack` bytes). Returns a closure to run then, on any thread, one at a time.
    pub(super) fn tidy(&self, slack: u64) -> impl FnOnce() + Send + 'static {
        let (outputs, store) = (Arc::clone(&self.outputs), Arc::clone(&self.store));
        move || {
            store.take_in(&outputs);
            if store.wasteful(&outputs, slack) {
                // Not compacted, the old bytes stay where they are, and are served still.
                store.compact(&outputs).ok();
            }
        }
    }

    /// [`Published::tidy`] with the slack `serve` leaves.
    pub(super) fn tidy_when_idle(&self) -> impl FnOnce() + Send + 'static {
        self.tidy(IDLE_GARBAGE)
    }
}

/// A site that replaces the one served once it is whole (see [`Published::replacing`]).
pub(super) struct Replacement<'p> {
    published: &'p Published,
    renewed: &'p (dyn Fn(&Path) -> bool + Sync),
    at_once: bool,
    /// Each file taken: its path, how it is to be served, and whether its bytes changed.
    served: Mutex<Vec<(String, Served, bool)>>,
    /// With `at_once`, where the store ended when this began. A replacement dropped before
    /// [`Replacement::finish`], whose build failed, gives back what it wrote there, which
    /// nothing serves: else each failed start would leave a whole site in the store. (It is
    /// the only writer then: the idle tidy runs only after a build that succeeded.)
    store_end: Option<u64>,
}

impl Replacement<'_> {
    /// Takes `file` into the new site.
    pub(super) fn take(&self, file: OutputFile) {
        let before = self.published.read().get(&file.path).cloned();
        let (served, changed) = match file.contents {
            // New text goes to the store straight from the renderer's string, when asked (and
            // where the store cannot take it, to memory).
            Contents::Text(text) if self.at_once && before.is_none() => match self.published.store.put(text.as_bytes())
            {
                Ok(stored) => (Served::Stored(stored), true),
                Err(_) => served(Contents::Text(text), None),
            },
            contents => served(contents, before.as_ref()),
        };
        let renewed = matches!(&served, Served::File(source) if (self.renewed)(source));
        let taken = (file.path, served, changed || renewed);
        self.served.lock().unwrap_or_else(PoisonError::into_inner).push(taken);
    }

    /// Serves the files taken and nothing else. Returns the paths whose bytes changed, and what
    /// was served before.
    pub(super) fn finish(mut self) -> (Vec<String>, Outputs) {
        self.store_end = None;
        let served = std::mem::take(&mut *self.served.lock().unwrap_or_else(PoisonError::into_inner));
        let mut fresh = Outputs::with_capacity(served.len());
        let mut changed = Vec::new();
        for (path, served, new) in served {
            if new {
                changed.push(path.clone());
            }
            fresh.insert(path, served);
        }
        let mut outputs = self.published.write();
        changed.extend(outputs.keys().filter(|p| !fresh.contains_key(*p)).cloned());
        let replaced = std::mem::replace(&mut *outputs, fresh);
        (changed, replaced)
    }
}

impl Drop for Replacement<'_> {
    fn drop(&mut self) {
        if let Some(end) = self.store_end {
            self.published.store.truncate(end);
        }
    }
}

/// How to serve the file `contents` describes where `before` was served, and whether that
/// changed its bytes: its bytes in memory, or read from its source when asked for. Bytes the
/// same as before are served as before.
fn served(contents: Contents, before: Option<&Served>) -> (Served, bool) {
    let bytes: Arc<[u8]> = match contents {
        Contents::Text(text) => Arc::from(text.into_bytes()),
        Contents::Theme(ThemeFile::Embedded(bytes)) => Arc::from(bytes.into_owned()),
        // Theme files are few and small, and reading them lets a change show as a change.
        Contents::Theme(ThemeFile::File(path)) => match std::fs::read(&path) {
            Ok(bytes) => Arc::from(bytes),
            Err(_) => return copied(path, before),
        },
        Contents::Copy(path) => return copied(path, before),
    };
    let unchanged = match before {
        Some(Served::Stored(stored)) => {
            stored.length == bytes.len() as u64 && stored.fingerprint == crate::fingerprint::of(&bytes)
        }
        Some(Served::Bytes(old)) => *old == bytes,
        _ => false,
    };
    match before {
        Some(before) if unchanged => (before.clone(), false),
        _ => (Served::Bytes(bytes), true),
    }
}

/// Bytes in the store: where they are, and their length and fingerprint, by which two are
/// compared.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The store's file when they were written: compacting makes a new one, and a reader
    /// holding this keeps the old one open until it is done.
    file: Arc<File>,
    offset: u64,
    length: u64,
    fingerprint: u128,
}

impl PartialEq for Stored {
    fn eq(&self, other: &Stored) -> bool {
        self.length == other.length && self.fingerprint == other.fingerprint
    }
}

impl Eq for Stored {}

impl Stored {
    /// Whether `other` is these very bytes, in the same place of the same file.
    fn is(&self, other: &Stored) -> bool {
        Arc::ptr_eq(&self.file, &other.file) && self.offset == other.offset
    }

    fn read(&self) -> io::Result<Vec<u8>> {
        let length = usize::try_from(self.length).map_err(io::Error::other)?;
        let mut bytes = vec![0; length];
        read_exact_at(&self.file, &mut bytes, self.offset)?;
        Ok(bytes)
    }
}

/// The temporary file the served bytes are in, and where its end is; `None` where no
/// temporary file could be made, and the bytes are kept in memory.
pub(super) struct Store {
    log: Mutex<Option<(Arc<File>, u64)>>,
}

impl Store {
    /// An empty store, in a new unnamed file in the system's temporary folder.
    pub(super) fn new() -> Store {
        let file = tempfile::tempfile().ok().map(|file| (Arc::new(file), 0));
        Store { log: Mutex::new(file) }
    }

    /// Writes `bytes` at the end of the store, from any thread.
    fn put(&self, bytes: &[u8]) -> io::Result<Stored> {
        let length = bytes.len() as u64;
        let (file, offset) = {
            let mut log = self.log();
            let Some((file, end)) = log.as_mut() else {
                return Err(io::ErrorKind::Unsupported.into());
            };
            let offset = *end;
            *end += length;
            (Arc::clone(file), offset)
        };
        write_all_at(&file, bytes, offset)?;
        Ok(Stored {
            file,
            offset,
            length,
            fingerprint: crate::fingerprint::of(bytes),
        })
    }

    /// Forgets what was written after `end`, which nothing serves (see [`Replacement`]).
    fn truncate(&self, end: u64) {
        if let Some((file, at)) = self.log().as_mut()
            && *at > end
        {
            // Not shortened, the file keeps the bytes as garbage, which compacting drops.
            if file.set_len(end).is_ok() {
                *at = end;
            }
        }
    }

    /// Writes the bytes `outputs` serve from memory to the store, and serves them from there.
    /// The lock on `outputs` is held only to swap them: the server and the next rebuild need
    /// it, and writing a whole site takes a while.
    fn take_in(&self, outputs: &RwLock<Outputs>) {
        let in_memory: Vec<(String, Arc<[u8]>)> = (outputs.read().unwrap_or_else(PoisonError::into_inner))
            .iter()
            .filter_map(|(path, served)| match served {
                Served::Bytes(bytes) => Some((path.clone(), Arc::clone(bytes))),
                _ => None,
            })
            .collect();
        let stored: Vec<(String, Arc<[u8]>, Stored)> = (in_memory.into_iter())
            .map_while(|(path, bytes)| Some((path, Arc::clone(&bytes), self.put(&bytes).ok()?)))
            .collect();
        let mut outputs = outputs.write().unwrap_or_else(PoisonError::into_inner);
        for (path, bytes, stored) in stored {
            // Unless a rebuild replaced them meanwhile.
            if matches!(outputs.get(&path), Some(Served::Bytes(now)) if Arc::ptr_eq(now, &bytes)) {
                outputs.insert(path, Served::Stored(stored));
            }
        }
    }

    /// Whether more of the store is garbage than `outputs` serve from it, and the garbage is
    /// more than `slack` bytes.
    fn wasteful(&self, outputs: &RwLock<Outputs>, slack: u64) -> bool {
        let Some((file, end)) = self.end() else { return false };
        let outputs = outputs.read().unwrap_or_else(PoisonError::into_inner);
        let live: u64 = stored_in(&outputs, &file).map(|stored| stored.length).sum();
        end - live > live.max(slack)
    }

    /// Copies the bytes `outputs` serve from the store into a new file, which the store goes on
    /// with, and points `outputs` at them; the lock on `outputs` is held only to swap them. The
    /// old file closes when its last reader is done. Only [`Published::tidy`] writes to the
    /// store, one at a time: nothing is added to it meanwhile.
    ///
    /// # Errors
    /// When the new file cannot be made or written, or the old one read: `outputs` and the
    /// store are then as they were.
    fn compact(&self, outputs: &RwLock<Outputs>) -> io::Result<()> {
        if self.end().is_none() {
            return Ok(());
        }
        let live: Vec<(String, Stored)> = (outputs.read().unwrap_or_else(PoisonError::into_inner))
            .iter()
            .filter_map(|(path, served)| match served {
                Served::Stored(stored) => Some((path.clone(), stored.clone())),
                _ => None,
            })
            .collect();
        let fresh = Arc::new(tempfile::tempfile()?);
        let mut end = 0;
        let mut moved = Vec::with_capacity(live.len());
        for (path, stored) in live {
            write_all_at(&fresh, &stored.read()?, end)?;
            let copy = Stored {
                file: Arc::clone(&fresh),
                offset: end,
                ..stored.clone()
            };
            end += stored.length;
            moved.push((path, stored, copy));
        }
        let mut outputs = outputs.write().unwrap_or_else(PoisonError::into_inner);
        for (path, stored, copy) in moved {
            // Unless a rebuild replaced them meanwhile.
            if matches!(outputs.get(&path), Some(Served::Stored(now)) if now.is(&stored)) {
                outputs.insert(path, Served::Stored(copy));
            }
        }
        *self.log() = Some((fresh, end));
        Ok(())
    }

    fn end(&self) -> Option<(Arc<File>, u64)> {
        self.log().as_ref().map(|(file, end)| (Arc::clone(file), *end))
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Option<(Arc<File>, u64)>> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A copied file served from `path`, and whether `before` served another.
fn copied(path: PathBuf, before: Option<&Served>) -> (Served, bool) {
    let served = Served::File(path);
    let changed = before != Some(&served);
    (served, changed)
}

/// What `outputs` serve from `file`.
fn stored_in<'a>(outputs: &'a Outputs, file: &'a Arc<File>) -> impl Iterator<Item = &'a Stored> {
    outputs.values().filter_map(move |served| match served {
        Served::Stored(stored) if Arc::ptr_eq(&stored.file, file) => Some(stored),
        _ => None,
    })
}

#[cfg(unix)]
fn write_all_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(unix)]
fn read_exact_at(file: &File, bytes: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut bytes: &[u8], mut offset: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, bytes, offset)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => (bytes, offset) = (&bytes[n..], offset + n as u64),
        }
    }
    Ok(())
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut bytes: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, bytes, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => (bytes, offset) = (&mut bytes[n..], offset + n as u64),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Text(text.to_string()),
        }
    }

    fn bytes(published: &Published, path: &str) -> Vec<u8> {
        published.read()[path].bytes().unwrap()
    }

    fn is_stored(published: &Published, path: &str) -> bool {
        matches!(published.read()[path], Served::Stored(_))
    }

    #[test]
    fn bytes_go_to_the_store_when_idle_and_are_compared_by_fingerprint_there() {
        let published = Published::new();
        let changed = published.publish(
            vec![file("a.html", "<p>a</p>"), file("b.html", "<p>b</p>")],
            vec![],
            vec![],
        );
        assert_eq!(changed.len(), 2);
        assert!(
            !is_stored(&published, "a.html"),
            "a rebuild keeps what it made in memory"
        );
        published.tidy(0)();
        assert!(is_stored(&published, "a.html") && is_stored(&published, "b.html"));
        assert_eq!(bytes(&published, "a.html"), b"<p>a</p>");
        // The same bytes again are no change, and stay in the store; others are one.
        let changed = published.publish(
            vec![file("a.html", "<p>a</p>"), file("b.html", "<p>B</p>")],
            vec![],
            vec![],
        );
        assert_eq!(changed, ["b.html"]);
        assert!(is_stored(&published, "a.html") && !is_stored(&published, "b.html"));
        assert_eq!(bytes(&published, "b.html"), b"<p>B</p>");
        let changed = published.publish(vec![], vec!["a.html".into()], vec![]);
        assert_eq!(changed, ["a.html"]);
        assert!(!published.read().contains_key("a.html"));
    }

    #[test]
    fn a_replacement_serves_only_what_it_took_and_stores_bytes_at_once_when_asked() {
        let published = Published::new();
        published.publish(vec![file("a.html", "a"), file("b.html", "b")], vec![], vec![]);
        let never = |_: &Path| false;
        for at_once in [true, false] {
            let before = published.read().clone();
            let replacement = published.replacing(&never, at_once);
            replacement.take(file("a.html", "a"));
            replacement.take(file("c.html", &format!("c {at_once}")));
            assert!(*published.read() == before, "nothing changes before it is whole");
            let (mut changed, replaced) = replacement.finish();
            changed.sort();
            assert_eq!(changed, ["b.html", "c.html"][usize::from(!at_once)..]);
            assert!(replaced.contains_key("a.html"));
            assert!(!published.read().contains_key("b.html"));
            assert_eq!(bytes(&published, "c.html"), format!("c {at_once}").as_bytes());
            assert_eq!(
                is_stored(&published, "c.html"),
                at_once,
                "new bytes go to the store at once only when asked"
            );
            assert!(
                !is_stored(&published, "a.html"),
                "bytes the same as before are served as before"
            );
        }
    }

    #[test]
    fn a_replacement_dropped_unfinished_gives_back_what_it_stored() {
        let published = Published::new();
        let never = |_: &Path| false;
        let replacement = published.replacing(&never, true);
        replacement.take(file("a.html", "a failed start"));
        assert_eq!(published.store.end().unwrap().1, 14);
        drop(replacement);
        assert_eq!(
            published.store.end().unwrap().1,
            0,
            "a failed start leaves nothing in the store"
        );
        assert!(published.read().is_empty());
        let replacement = published.replacing(&never, true);
        replacement.take(file("a.html", "a"));
        replacement.finish();
        assert_eq!(
            published.store.end().unwrap().1,
            1,
            "a finished one keeps what it stored"
        );
        assert_eq!(bytes(&published, "a.html"), b"a");
    }

    #[test]
    fn compacting_keeps_what_is_served_and_drops_the_rest() {
        let published = Published::new();
        published.publish(vec![file("a.html", "old a"), file("b.html", "b")], vec![], vec![]);
        published.tidy(0)();
        let kept = published.read()["b.html"].clone();
        for n in 0..10 {
            published.publish(vec![file("a.html", &format!("a, edit {n}"))], vec![], vec![]);
            published.tidy(1 << 20)();
        }
        let store = &published.store;
        assert!(store.wasteful(&published.outputs, 0));
        assert!(
            !store.wasteful(&published.outputs, 1 << 20),
            "garbage under the slack is left"
        );
        published.tidy(0)();
        assert!(!store.wasteful(&published.outputs, 0));
        assert_eq!(bytes(&published, "a.html"), b"a, edit 9");
        assert_eq!(bytes(&published, "b.html"), b"b");
        assert_eq!(store.end().unwrap().1, "a, edit 9".len() as u64 + 1);
        // What a reader held before compacting is still readable.
        assert_eq!(kept.bytes().unwrap(), b"b");
    }
}
