//! Deterministic, never-issued fixture tokens for the unit tests.

use crate::Kind;
use crate::checksum::{BASE62_ALPHABET, CLASSIC_RANDOM_LEN, make_classic};

/// `n` pseudo-random base62 characters from `seed` (xorshift64*).
pub(crate) fn base62(seed: u64, n: usize) -> String {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    (0..n)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let v = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
            char::from(BASE62_ALPHABET[((v >> 32) % 62) as usize])
        })
        .collect()
}

/// A well-formed classic-format token of `kind`, different for every `seed`.
pub(crate) fn fixture(kind: Kind, seed: u64) -> String {
    make_classic(kind, base62(seed, CLASSIC_RANDOM_LEN).as_bytes()).unwrap_or_default()
}

/// A well-formed fine-grained token, different for every `seed`.
pub(crate) fn fine_grained(seed: u64) -> String {
    format!(
        "github_pat_{}_{}",
        base62(seed, 22),
        base62(seed ^ 0xFFFF, 59)
    )
}

/// A well-formed new-format installation token (`ghs_APPID_JWT`, about 520 characters).
pub(crate) fn new_installation(seed: u64) -> String {
    format!(
        "ghs_{}_{}.{}.{}",
        123_456 + seed,
        base62(seed, 36),
        base62(seed + 1, 380),
        base62(seed + 2, 86)
    )
}

/// Asserts that `shown` contains neither `secret` nor any 16-byte window of `secret`'s
/// part after its prefix and first 4 characters.
pub(crate) fn assert_no_leak(shown: &str, secret: &str) {
    assert!(
        !shown.contains(secret),
        "{shown:?} contains the whole secret"
    );
    let prefix = Kind::detect(secret.as_bytes()).map_or(0, |k| k.prefix().len());
    let tail = secret.as_bytes().get(prefix + 4..).unwrap_or_default();
    for window in tail.windows(16) {
        let window = String::from_utf8_lossy(window);
        assert!(
            !shown.contains(window.as_ref()),
            "{shown:?} contains the secret fragment {window:?}"
        );
    }
}
