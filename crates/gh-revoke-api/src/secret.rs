//! [`AlertSecret`]: the `secret` field of a secret-scanning alert.

use zeroize::Zeroize;

/// The `secret` of a secret-scanning alert: the literal credential GitHub found, live until
/// someone revokes it.
///
/// The generated alert types hold it as this type rather than a `String` (see the
/// `redacted_alert_secret` transform in `openapi/README.md`), so that the alerts' derived
/// `Debug` cannot print it:
/// - `Debug` shows only its length;
/// - serializing writes `"[redacted]"`, never the secret (a report built from an alert cannot
///   leak it); deserializing reads GitHub's string;
/// - the text is zeroed when the value is dropped.
///
/// Read it with [`AlertSecret::expose`], only to hand it to what needs it (a classifier, a
/// revocation request).
#[derive(Clone, PartialEq, Eq)]
pub struct AlertSecret(String);

/// What [`AlertSecret`] serializes as.
pub const REDACTED: &str = "[redacted]";

impl AlertSecret {
    /// Wrap `secret` (a test fixture, or a secret that came from elsewhere).
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Drop for AlertSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for AlertSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AlertSecret({} bytes, redacted)", self.0.len())
    }
}

impl<'de> serde::Deserialize<'de> for AlertSecret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

impl serde::Serialize for AlertSecret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "ghp_AlertSecretTOPSECRETAlertSecret00000";

    #[test]
    fn debug_and_serialize_never_show_it() {
        let secret: AlertSecret = serde_json::from_str(&format!("\"{SECRET}\"")).unwrap();
        assert_eq!(secret.expose(), SECRET);
        assert_eq!(secret.len(), SECRET.len());
        let debug = format!("{secret:?}");
        assert!(!debug.contains("TOPSECRET"), "{debug}");
        assert!(debug.contains("40 bytes"), "{debug}");
        let json = serde_json::to_string(&secret).unwrap();
        assert_eq!(json, format!("\"{REDACTED}\""));
    }

    #[test]
    fn only_strings_decode() {
        assert!(serde_json::from_str::<AlertSecret>("12").is_err());
        assert!(
            serde_json::from_str::<Option<AlertSecret>>("null")
                .unwrap()
                .is_none()
        );
    }
}
