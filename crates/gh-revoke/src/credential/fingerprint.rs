//! [`Fingerprint`]: the SHA-256 of a secret, safe to store in journals and reports.

use std::borrow::Cow;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// SHA-256 of a credential's text, shown and serialized as 64 lowercase hex characters.
///
/// For real tokens (at least 30 random base62 characters) the fingerprint does not reveal
/// the secret. For short unverified strings (see [`crate::PlanOptions::allow_unverified`])
/// it can be brute-forced like any unsalted hash: treat it as sensitive then.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint([u8; 32]);

/// Why a string is not a [`Fingerprint`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FingerprintError {
    /// Not 64 characters long.
    #[error(
        "a fingerprint is 64 hexadecimal characters (a SHA-256), found {found} characters; \
         copy it whole from the journal or report"
    )]
    WrongLength {
        /// The length found, in bytes.
        found: usize,
    },
    /// A character that is not a hex digit.
    #[error(
        "a fingerprint contains only hexadecimal digits 0-9a-f; found a non-hex byte at position {position}"
    )]
    NotHex {
        /// 1-based byte position of the offending character.
        position: usize,
    },
}

impl Fingerprint {
    /// The SHA-256 of `secret`.
    pub fn of(secret: &[u8]) -> Self {
        Fingerprint(Sha256::digest(secret).into())
    }

    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl FromStr for Fingerprint {
    type Err = FingerprintError;

    /// Parses 64 hex digits. Upper-case digits are accepted; [`Display`](std::fmt::Display)
    /// always writes lower case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = s.as_bytes();
        if bytes.len() != 64 {
            return Err(FingerprintError::WrongLength { found: bytes.len() });
        }
        let mut out = [0u8; 32];
        for (i, (slot, pair)) in out.iter_mut().zip(bytes.chunks_exact(2)).enumerate() {
            let digit = |offset: usize| {
                let b = pair.get(offset).copied().unwrap_or(b'x');
                char::from(b).to_digit(16).ok_or(FingerprintError::NotHex {
                    position: 2 * i + offset + 1,
                })
            };
            let value = digit(0)? * 16 + digit(1)?;
            *slot = u8::try_from(value).unwrap_or(0);
        }
        Ok(Fingerprint(out))
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Fingerprint {
    fn schema_name() -> Cow<'static, str> {
        "Fingerprint".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "SHA-256 of the credential text, 64 lowercase hex characters",
            "pattern": "^[0-9a-f]{64}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sha256() {
        // SHA-256("abc"), FIPS 180-2 test vector.
        let fp = Fingerprint::of(b"abc");
        let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(fp.to_string(), hex);
        assert_eq!(hex.parse::<Fingerprint>(), Ok(fp));
        assert_eq!(hex.to_uppercase().parse::<Fingerprint>(), Ok(fp));
        assert_eq!(format!("{fp:?}"), format!("Fingerprint({hex})"));
    }

    #[test]
    fn rejects_malformed() {
        assert_eq!(
            "abc".parse::<Fingerprint>(),
            Err(FingerprintError::WrongLength { found: 3 })
        );
        let mut bad = "0".repeat(63);
        bad.push('g');
        assert_eq!(
            bad.parse::<Fingerprint>(),
            Err(FingerprintError::NotHex { position: 64 })
        );
        // A multi-byte character must not panic.
        let weird = format!("{}é", "0".repeat(62));
        assert!(weird.parse::<Fingerprint>().is_err());
    }

    #[test]
    fn serde_round_trip() -> Result<(), serde_json::Error> {
        let fp = Fingerprint::of(b"x");
        let json = serde_json::to_string(&fp)?;
        assert_eq!(json, format!("\"{fp}\""));
        assert_eq!(serde_json::from_str::<Fingerprint>(&json)?, fp);
        assert!(serde_json::from_str::<Fingerprint>("\"nope\"").is_err());
        Ok(())
    }
}
