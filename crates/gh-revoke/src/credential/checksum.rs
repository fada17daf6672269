//! The checksum that ends every classic-format token: `base62(crc32(R))`, left-padded with
//! `'0'` to 6 characters, where `R` is the token's random characters (prefix excluded), crc32
//! is the standard IEEE (zlib) CRC-32 and the base62 alphabet is `0-9A-Za-z` (digits, then
//! upper case, then lower case). The same rule holds whatever the number of random
//! characters (30 for `ghp_`, 70 for `ghr_`): see [`super::classic`].

/// The base62 alphabet, in value order: digits, upper case, lower case.
pub(crate) const BASE62_ALPHABET: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Number of checksum characters at the end of a classic-format token.
pub(crate) const CHECKSUM_LEN: usize = 6;

/// Whether `byte` is in the base62 alphabet (`0-9A-Za-z`).
pub(crate) const fn is_base62(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
}

/// The 6-character checksum of `random`: `base62(crc32(random))`, left-padded with `'0'`.
pub(crate) fn checksum(random: &[u8]) -> [u8; CHECKSUM_LEN] {
    let mut n = crc32fast::hash(random);
    let mut out = [b'0'; CHECKSUM_LEN];
    for slot in out.iter_mut().rev() {
        // n % 62 < 62 = BASE62_ALPHABET.len(), so the lookup always succeeds.
        *slot = BASE62_ALPHABET
            .get((n % 62) as usize)
            .copied()
            .unwrap_or(b'0');
        n /= 62;
    }
    out
}

/// Whether `body` (what follows a classic prefix) is base62 characters ending in the correct
/// checksum of the ones before it. False when there is nothing before the checksum.
pub(crate) fn verify(body: &[u8]) -> bool {
    if body.len() <= CHECKSUM_LEN || !body.iter().all(|&b| is_base62(b)) {
        return false;
    }
    let (random, sum) = body.split_at(body.len() - CHECKSUM_LEN);
    checksum(random) == sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_vector() {
        assert!(verify(b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V4"));
        assert!(!verify(b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V3"));
        assert_eq!(&checksum(b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq"), b"11T4V4");
    }

    #[test]
    fn rejects_short_bodies_and_bad_characters() {
        assert!(!verify(b""));
        assert!(!verify(b"11T4V4"));
        assert!(!verify(b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJu-11T4V4"));
        // Dropping a random character breaks the checksum.
        assert!(!verify(b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJu11T4V4"));
    }
}
