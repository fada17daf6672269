//! `X-Hub-Signature-256`: the HMAC-SHA256 of the raw body under the webhook secret, checked in
//! constant time before the body is parsed.
//!
//! GitHub: "the hash signature always starts with `sha256=`", computed with the webhook secret
//! as the HMAC key over the payload; compare in constant time, "never use a plain `==`"
//! (GitHub docs, "Validating webhook deliveries"; the header is also in GitHub's OpenAPI
//! description, `x-webhooks/secret-scanning-alert-created` parameters). The SHA-1
//! `X-Hub-Signature` is not accepted: it is kept by GitHub "for compatibility" only.
//! `Mac::verify_slice` (digest 0.11) compares with `subtle`'s constant-time equality and
//! refuses a tag of the wrong length.

use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

/// The header GitHub signs deliveries with.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// The webhook secret. Its `Debug` never shows it.
#[derive(Clone)]
pub struct WebhookSecret(SecretString);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret([redacted])")
    }
}

impl WebhookSecret {
    /// The secret as configured on the webhook; `None` when it is empty (or only blanks, as a
    /// file with a trailing newline and nothing else would be). A single trailing newline is
    /// not part of the secret (files usually end with one).
    pub fn new(secret: impl Into<String>) -> Option<Self> {
        let mut secret: String = secret.into();
        if secret.ends_with('\n') {
            secret.pop();
            if secret.ends_with('\r') {
                secret.pop();
            }
        }
        if secret.trim().is_empty() {
            return None;
        }
        Some(Self(SecretString::from(secret)))
    }

    /// Check `header` (the `X-Hub-Signature-256` value, if any) against `body`.
    pub fn verify(&self, header: Option<&[u8]>, body: &[u8]) -> Result<(), SignatureError> {
        let header = header.ok_or(SignatureError::Missing)?;
        let hex_digest = header
            .strip_prefix(b"sha256=")
            .ok_or(SignatureError::Malformed)?;
        let tag = hex::decode(hex_digest).map_err(|_| SignatureError::Malformed)?;
        if tag.len() != 32 {
            return Err(SignatureError::Malformed);
        }
        let mut mac = Hmac::<Sha256>::new_from_slice(self.0.expose_secret().as_bytes())
            .map_err(|_| SignatureError::Mismatch)?;
        mac.update(body);
        mac.verify_slice(&tag).map_err(|_| SignatureError::Mismatch)
    }
}

/// Why a delivery's signature was refused (answered 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// No `X-Hub-Signature-256` (perhaps only the SHA-1 `X-Hub-Signature`).
    #[error("no X-Hub-Signature-256 header (the SHA-1 X-Hub-Signature is not accepted)")]
    Missing,
    /// Not `sha256=` followed by 64 hex digits.
    #[error("X-Hub-Signature-256 is not sha256= and 64 hex digits")]
    Malformed,
    /// Well formed, but not the body's HMAC under the configured secret.
    #[error("X-Hub-Signature-256 does not match the body and the configured secret")]
    Mismatch,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GitHub's published test vector ("Validating webhook deliveries", "Testing the webhook
    /// payload validation").
    const VECTOR_SECRET: &str = "It's a Secret to Everybody";
    const VECTOR_BODY: &[u8] = b"Hello, World!";
    const VECTOR_HEADER: &[u8] =
        b"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    #[test]
    fn githubs_test_vector_is_accepted_and_a_changed_body_is_not() {
        let secret = WebhookSecret::new(VECTOR_SECRET).unwrap();
        assert_eq!(secret.verify(Some(VECTOR_HEADER), VECTOR_BODY), Ok(()));
        assert_eq!(
            secret.verify(Some(VECTOR_HEADER), b"Hello, World?"),
            Err(SignatureError::Mismatch)
        );
        let other = WebhookSecret::new("another secret").unwrap();
        assert_eq!(
            other.verify(Some(VECTOR_HEADER), VECTOR_BODY),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn missing_and_malformed_signatures_are_refused() {
        let secret = WebhookSecret::new(VECTOR_SECRET).unwrap();
        assert_eq!(
            secret.verify(None, VECTOR_BODY),
            Err(SignatureError::Missing)
        );
        for bad in [
            &b"757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"[..],
            b"sha1=757107ea0eb2509fc211221cce984b8a37570b6d",
            b"sha256=757107ea0eb2509fc211221cce984b8a",
            b"sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            b"sha256=",
        ] {
            assert_eq!(
                secret.verify(Some(bad), VECTOR_BODY),
                Err(SignatureError::Malformed),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn empty_secrets_are_refused_and_debug_hides_the_secret() {
        assert!(WebhookSecret::new("").is_none());
        assert!(WebhookSecret::new("\n").is_none());
        assert!(WebhookSecret::new("  \n").is_none());
        let secret = WebhookSecret::new("s3cr3t-value\n").unwrap();
        assert!(!format!("{secret:?}").contains("s3cr3t"));
        // The trailing newline of a file is not part of the secret.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"s3cr3t-value").unwrap();
        mac.update(b"x");
        let header = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        assert_eq!(secret.verify(Some(header.as_bytes()), b"x"), Ok(()));
    }
}
