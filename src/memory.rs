//! Giving the memory a process freed back to the system.

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
