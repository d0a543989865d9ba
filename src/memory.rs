//! Freeing memory without waiting for it. (Giving freed memory back to the system is the
//! allocator's: see the `handbook` binary's.)

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
