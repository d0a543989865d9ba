//! Giving the memory a process freed back to the system, and freeing it without waiting.

/// Gives the memory the process freed back to the system. glibc's allocator keeps what is freed
/// for later allocations of its own arena (each thread allocates from one), and a large
/// allocation finds no room among many small free chunks, so a process that freed much keeps
/// its resident size:
/// - `serve` frees a whole build at each rebuild: without this, its resident size stays at the
///   most a rebuild ever held (at 10,000 pages, 890 MB where 670 MB are in use);
/// - `build` frees the search index before rendering: the print page's buffer then came on top
///   of the 80 MB the index had freed (see [`crate::build::build`]).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) fn release_freed_memory() {
    // SAFETY: `malloc_trim` takes no pointer; it only returns free pages of glibc's own heap.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Other allocators return freed memory as they see fit.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn release_freed_memory() {}

/// Keeps glibc's allocator to two arenas, for a process that builds again and again: `serve`.
/// By default a thread that allocates while another holds an arena gets one of its own (up to
/// eight per core), and what one arena frees serves only that arena's later allocations, so
/// each rebuild leaves more of the heap in free chunks no other thread reuses. At 10,000 pages,
/// `serve` idle after six title edits held 377–410 MB with the default and 328–331 MB with two
/// arenas (3 runs each); its title edits took some 15 ms (3%) longer and its body edits 2–4 ms,
/// and a build neither longer nor more. To be called before the process starts other threads.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) fn use_few_arenas() {
    // SAFETY: `mallopt` takes no pointer; it sets a limit glibc reads when it makes an arena.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Other allocators share memory between threads as they see fit.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn use_few_arenas() {}

/// Drops `value` on a thread of its own, so that the caller need not wait for it: freeing a
/// built site takes a tenth of a second at 10,000 pages (millions of allocations, on one
/// thread), and a process that exits meanwhile leaves that to the system. When the system
/// gives no thread, `value` is dropped here.
pub(crate) fn free_in_background<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("handbook-free".into())
        .spawn(move || drop(value));
    // Without a thread, the value was dropped by the failed spawn.
    drop(spawned);
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    /// Says on a channel that it was dropped.
    struct Dropped(mpsc::Sender<()>);

    impl Drop for Dropped {
        fn drop(&mut self) {
            self.0.send(()).ok();
        }
    }

    #[test]
    fn a_value_freed_in_the_background_is_dropped_and_not_leaked() {
        let (sender, dropped) = mpsc::channel();
        super::free_in_background(Dropped(sender));
        assert_eq!(dropped.recv_timeout(Duration::from_secs(10)), Ok(()));
    }
}
