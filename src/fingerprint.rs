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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bytes_have_equal_fingerprints_and_a_change_shows() {
        assert_eq!(of(b"<p>a</p>"), of(b"<p>a</p>"));
        assert_ne!(of(b"<p>a</p>"), of(b"<p>b</p>"));
    }
}
