//! The app's identity: [`AppId`] (`--app-id`) and [`AppKey`] (`--app-private-key`).

use std::fmt;
use std::path::Path;

use jsonwebtoken::EncodingKey;
use secrecy::zeroize::Zeroizing;

use super::error::AppError;

/// A private key file larger than this is refused unread (GitHub's keys are ~1.7 KB).
const MAX_KEY_FILE: u64 = 64 * 1024;

/// The app's identity as `--app-id` gives it: the client ID (`Iv23li...`, which GitHub
/// recommends) or the numeric app ID. Either is the JWT's `iss`.
///
/// Source: docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/
/// generating-a-json-web-token-jwt-for-a-github-app ("iss: The client ID or application ID of
/// your GitHub App... Use of the client ID is recommended"), and the changelog
/// github.blog/changelog/2024-05-01-github-apps-can-now-use-the-client-id-to-fetch-installation-tokens
/// ("application IDs are ints, while client IDs are strings").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppId {
    /// The numeric app ID (sent as a JSON number).
    Numeric(u64),
    /// The client ID (sent as a JSON string).
    ClientId(String),
}

impl AppId {
    /// Read `--app-id`: digits are the numeric app ID; letters, digits, `.`, `_` and `-` (up to
    /// 100 characters) a client ID.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let text = text.trim();
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return text
                .parse::<u64>()
                .ok()
                .filter(|&n| n > 0)
                .map(AppId::Numeric)
                .ok_or_else(|| AppError::BadAppId { given: shown(text) });
        }
        let valid = !text.is_empty()
            && text.len() <= 100
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if valid {
            Ok(AppId::ClientId(text.to_owned()))
        } else {
            Err(AppError::BadAppId { given: shown(text) })
        }
    }
}

/// The longest refused `--app-id` echoed in an error: a client ID is about 20 characters. A
/// longer value may be something pasted by mistake (a key, a token): only its length is said,
/// since scrubbing catches GitHub's token shapes but not base64 key text.
const ECHO_MAX: usize = 40;

/// What an error says of a refused `--app-id`.
fn shown(text: &str) -> String {
    if text.chars().count() <= ECHO_MAX && !text.contains('\n') {
        gh_revoke::scrub(text)
    } else {
        format!("({} characters, not shown)", text.chars().count())
    }
}

impl fmt::Display for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppId::Numeric(n) => write!(f, "{n}"),
            AppId::ClientId(id) => f.write_str(id),
        }
    }
}

/// The app's private key (RS256). `Debug` shows nothing of it; the PEM text read from the file
/// is wiped after parsing.
#[derive(Clone)]
pub struct AppKey {
    pub(super) key: EncodingKey,
}

impl fmt::Debug for AppKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppKey(redacted)")
    }
}

impl AppKey {
    /// Load the PEM file GitHub generated for the app (`--app-private-key`). An unreadable file
    /// or a key that cannot sign RS256 is an error naming the file, never showing its content.
    pub fn from_pem_file(path: &Path) -> Result<Self, AppError> {
        let unreadable = |reason: String| AppError::KeyUnreadable {
            path: path.to_owned(),
            reason,
        };
        let meta = std::fs::metadata(path).map_err(|e| unreadable(io_reason(&e)))?;
        if meta.is_dir() {
            return Err(unreadable("it is a directory".to_owned()));
        }
        if meta.len() > MAX_KEY_FILE {
            return Err(AppError::KeyInvalid {
                path: path.to_owned(),
            });
        }
        let pem = Zeroizing::new(std::fs::read(path).map_err(|e| unreadable(io_reason(&e)))?);
        Self::parse(&pem, path)
    }

    /// The key from PEM text (`-----BEGIN RSA PRIVATE KEY-----` as GitHub generates it, or
    /// PKCS#8 `-----BEGIN PRIVATE KEY-----`).
    pub fn from_pem(pem: &[u8]) -> Result<Self, AppError> {
        Self::parse(pem, Path::new("-"))
    }

    fn parse(pem: &[u8], path: &Path) -> Result<Self, AppError> {
        let invalid = || AppError::KeyInvalid {
            path: path.to_owned(),
        };
        let key = EncodingKey::from_rsa_pem(pem).map_err(|_| invalid())?;
        let key = Self { key };
        // The RustCrypto backend parses the key only when it signs: sign once now, so that a
        // key that cannot sign is refused at start, not at the first delivery.
        super::jwt::sign(&key, &AppId::Numeric(1), 0, 60).map_err(|_| invalid())?;
        Ok(key)
    }
}

/// An I/O error in words, without the OS error's own text of the path.
fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        kind => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_ids_parse_as_numbers_or_client_ids() {
        assert_eq!(AppId::parse("12345").unwrap(), AppId::Numeric(12345));
        assert_eq!(
            AppId::parse(" Iv23liAbC.1_x-y ").unwrap(),
            AppId::ClientId("Iv23liAbC.1_x-y".into())
        );
        for bad in ["", "0", "a b", "Iv23/li", "99999999999999999999999", "é"] {
            let err = AppId::parse(bad).unwrap_err();
            assert!(matches!(err, AppError::BadAppId { .. }), "{bad:?}: {err}");
            assert!(err.is_config());
        }
    }

    #[test]
    fn a_long_refused_app_id_is_not_echoed() {
        // Key text pasted as --app-id: base64 that the token scrubber does not recognise.
        let pasted = "MIIEowIBAAKCAQEAsecretKeyMaterial/+abcdefghijklmnopqrstuvwxyz0123456789==";
        let err = AppId::parse(pasted).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("secretKeyMaterial"), "{text}");
        assert!(
            text.contains(&format!("({} characters, not shown)", pasted.len())),
            "{text}"
        );
        // A short mistake is still shown, so the user sees what was wrong.
        assert!(
            AppId::parse("Iv23/li")
                .unwrap_err()
                .to_string()
                .contains("Iv23/li")
        );
    }

    #[test]
    fn an_invalid_key_is_refused_without_showing_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.pem");
        let fake = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKsecretsecretsecretsecretsecret\n-----END RSA PRIVATE KEY-----\n";
        std::fs::write(&path, fake).unwrap();
        let err = AppKey::from_pem_file(&path).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(matches!(err, AppError::KeyInvalid { .. }), "{text}");
        assert!(text.contains("key.pem"), "{text}");
        assert!(!text.contains("secretsecret"), "{text}");
        assert!(!text.contains("MIIB"), "{text}");

        let err = AppKey::from_pem_file(&dir.path().join("missing.pem")).unwrap_err();
        assert!(matches!(err, AppError::KeyUnreadable { .. }), "{err}");
        assert!(err.to_string().contains("missing.pem"), "{err}");
        assert!(err.is_config());

        let err = AppKey::from_pem_file(dir.path()).unwrap_err();
        assert!(matches!(err, AppError::KeyUnreadable { .. }), "{err}");
    }
}
