//! 128-bit fingerprints, by which `serve` tells what changed without keeping the old value: two
//! 64-bit foldhash quality hashes with fixed seeds. Equal inputs have equal fingerprints; two
//! inputs that differ share one by a chance of about one in 2^128. Not for keys an adversary
//! picks: content cannot gain anything by a collision but a stale page in its own preview.

use std::hash::{BuildHasher, Hasher};

use foldhash::quality::{FixedState, FoldHasher};

/// A fingerprint being taken of what is written to it. What is written in different pieces may
/// have a different fingerprint: a value written the same way each time has the same one.
pub(crate) struct Fingerprinter([FoldHasher<'static>; 2]);

impl Fingerprinter {
    pub(crate) fn new() -> Fingerprinter {
        let seeded = |seed| FixedState::with_seed(seed).build_hasher();
        Fingerprinter([seeded(0x68616e64), seeded(0x626f6f6b)])
    }

    /// The fingerprint of everything written.
    pub(crate) fn finish(self) -> u128 {
        let [a, b] = self.0;
        (u128::from(a.finish()) << 64) | u128::from(b.finish())
    }
}

impl std::io::Write for Fingerprinter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.iter_mut().for_each(|hasher| hasher.write(bytes));
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The fingerprint of `bytes`.
pub(crate) fn of(bytes: &[u8]) -> u128 {
    use std::io::Write;
    let mut fingerprinter = Fingerprinter::new();
    fingerprinter.write_all(bytes).expect("a fingerprinter takes any bytes");
    fingerprinter.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bytes_have_equal_fingerprints_and_a_change_shows() {
        assert_eq!(of(b"<p>a</p>"), of(b"<p>a</p>"));
        assert_ne!(of(b"<p>a</p>"), of(b"<p>b</p>"));
    }
}
