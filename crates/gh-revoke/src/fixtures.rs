//! Deterministic, never-issued tokens of every kind, at their real lengths, for tests,
//! benchmarks and examples. Available to other crates with the `fixtures` feature.
//!
//! Every token made here is well formed (classic ones carry a correct checksum) but was never
//! issued by GitHub.

use rand::SeedableRng;
use rand::distr::{Alphanumeric, SampleString};
pub use rand::rngs::SmallRng;

use crate::credential::{Kind, classic, fine_grained as fine_grained_format};

// Internals that tests, benchmarks and fuzz targets check against; not part of the API.
pub use crate::credential::{REDACTED_CHARS, redact};
pub use crate::input::{DEFAULT_BUFFER_SIZE, MIN_BUFFER_SIZE};

/// Line mode's UTF-16 transcoder (internal, exposed for the fuzz targets): reads UTF-16
/// `encoding` bytes from `inner` and yields them as UTF-8, dropping a leading BOM and turning
/// unpaired surrogates (and a last odd byte) into U+FFFD.
pub fn utf16_reader<R: std::io::Read>(
    inner: R,
    encoding: crate::Encoding,
) -> impl std::io::Read + std::fmt::Debug {
    crate::input::utf16::Utf16Reader::new(inner, encoding)
}

/// Line mode's UTF-16 detection (internal, exposed for the fuzz targets): the encoding the
/// first bytes of an input say (a BOM, or the ASCII/NUL interleave), if UTF-16.
pub fn sniff_utf16(head: &[u8]) -> Option<crate::Encoding> {
    crate::input::utf16::sniff(head)
}

/// A small, fast, deterministic generator: the same `seed` gives the same sequence on every
/// run and platform of this version (not for secrets).
pub fn rng(seed: u64) -> SmallRng {
    SmallRng::seed_from_u64(seed)
}

/// `n` random base62 characters (`[0-9A-Za-z]`, uniform) drawn from `rng`.
pub fn base62_from_rng(rng: &mut SmallRng, n: usize) -> String {
    Alphanumeric.sample_string(rng, n)
}

/// `n` pseudo-random base62 characters from `seed`.
pub fn base62(seed: u64, n: usize) -> String {
    base62_from_rng(&mut rng(seed), n)
}

/// A well-formed classic-format token of `kind` (40 characters; 80 for `ghr_`), different for
/// every `seed`; empty for [`Kind::FineGrainedPat`], which has no classic format.
pub fn classic(kind: Kind, seed: u64) -> String {
    classic_from(kind, base62(seed, classic::random_len(kind)).as_bytes()).unwrap_or_default()
}

/// How many random characters (before the 6-character checksum) a classic-format token of
/// `kind` has: 30, or 70 for `ghr_`.
pub fn classic_random_len(kind: Kind) -> usize {
    classic::random_len(kind)
}

/// A well-formed classic-format token of `kind` from its random characters, or `None` when
/// `random` is not the right number of base62 characters for `kind`.
pub fn classic_from(kind: Kind, random: &[u8]) -> Option<String> {
    classic::make(kind, random)
}

/// A well-formed fine-grained token (93 characters), different for every `seed`.
pub fn fine_grained(seed: u64) -> String {
    fine_grained_format::make(
        &base62(seed, fine_grained_format::FIRST_LEN),
        &base62(seed ^ 0xFFFF, fine_grained_format::SECOND_LEN),
    )
}

/// A well-formed new-format installation token (`ghs_APPID_JWT`, about 520 characters).
pub fn new_installation(seed: u64) -> String {
    format!(
        "ghs_{}_{}.{}.{}",
        123_456 + seed,
        base62(seed, 36),
        base62(seed + 1, 380),
        base62(seed + 2, 86)
    )
}

/// Panics if `shown` contains `secret` or any 16-byte window of `secret`'s part after its
/// prefix and first 4 characters.
pub fn assert_no_leak(shown: &str, secret: &str) {
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
