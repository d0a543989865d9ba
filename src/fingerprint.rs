//! 128-bit fingerprints, by which `serve` tells what changed without keeping the old value: two
//! 64-bit foldhash quality hashes with fixed seeds. Equal inputs have equal fingerprints; two
//! inputs that differ share one by a chance of about one in 2^128. Not for keys an adversary
//! picks: content cannot gain anything by a collision but a stale page in its own preview.

use std::hash::BuildHasher;

use foldhash::quality::FixedState;

/// The fingerprint of `bytes`.
pub(crate) fn of(bytes: &[u8]) -> u128 {
    let hash = |seed| FixedState::with_seed(seed).hash_one(bytes);
    (u128::from(hash(0x68616e64)) << 64) | u128::from(hash(0x626f6f6b))
}

/// Bytes to fingerprint, written as parts each with its length before it, so that two
/// different lists of parts never make the same bytes (`ab`, `c` and `a`, `bc`).
pub(crate) struct Parts(Vec<u8>);

impl Parts {
    /// No parts yet, with room for `bytes` bytes.
    pub(crate) fn with_capacity(bytes: usize) -> Parts {
        Parts(Vec::with_capacity(bytes))
    }

    /// Adds `part`.
    pub(crate) fn put(&mut self, part: &[u8]) {
        self.0.extend_from_slice(&part.len().to_le_bytes());
        self.0.extend_from_slice(part);
    }

    /// The fingerprint of the parts.
    pub(crate) fn fingerprint(&self) -> u128 {
        of(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bytes_have_equal_fingerprints_and_a_change_shows() {
        assert_eq!(of(b"<p>a</p>"), of(b"<p>a</p>"));
        assert_ne!(of(b"<p>a</p>"), of(b"<p>b</p>"));
    }

    #[test]
    fn parts_are_told_apart_where_they_end() {
        let of_parts = |parts: &[&str]| {
            let mut all = Parts::with_capacity(8);
            parts.iter().for_each(|part| all.put(part.as_bytes()));
            all.fingerprint()
        };
        assert_eq!(of_parts(&["ab", "c"]), of_parts(&["ab", "c"]));
        assert_ne!(of_parts(&["ab", "c"]), of_parts(&["a", "bc"]));
        assert_ne!(of_parts(&["a", ""]), of_parts(&["a"]));
    }
}
