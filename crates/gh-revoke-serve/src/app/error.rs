//! [`AppError`]: what went wrong with the app's identity or a call made as the app. No variant
//! holds a key, a JWT or a token: messages name the file, the operation and GitHub's status.

use std::path::PathBuf;

/// Why the app could not be set up or a call made as the app failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The `--app-id` value is neither a numeric app ID nor a client ID.
    #[error(
        "app id {given:?} is not valid: expected the app's client ID (e.g. Iv23li...) or its \
         numeric app ID"
    )]
    BadAppId {
        /// The value given, scrubbed of anything credential-like.
        given: String,
    },
    /// The private key file cannot be read.
    #[error("cannot read the app's private key {}: {reason}", path.display())]
    KeyUnreadable {
        /// The file.
        path: PathBuf,
        /// What the system said (never the file's content).
        reason: String,
    },
    /// The private key is not an RSA private key in PEM format.
    #[error(
        "the app's private key {} is not an RSA private key in PEM format (expected the \
         .pem file GitHub generated: -----BEGIN RSA PRIVATE KEY-----)",
        path.display()
    )]
    KeyInvalid {
        /// The file (`-` when the key was given as text).
        path: PathBuf,
    },
    /// Signing the app's JWT failed.
    #[error("signing the app's JWT failed")]
    Jwt,
    /// The HTTP client could not be built or a request could not be sent.
    #[error("{operation}: {reason}")]
    Transport {
        /// The operation (`apps/list-installations`, ...).
        operation: &'static str,
        /// What went wrong, without any header value.
        reason: String,
    },
    /// GitHub answered with an error status.
    #[error("{operation}: GitHub answered {status}{}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Api {
        /// The operation (`apps/create-installation-access-token`, ...).
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// GitHub's `message`, scrubbed of anything credential-like.
        message: Option<String>,
    },
    /// GitHub's answer lacked something this needs.
    #[error("{operation}: GitHub's answer has no {what}")]
    BadAnswer {
        /// The operation.
        operation: &'static str,
        /// What was missing.
        what: &'static str,
    },
}

impl AppError {
    /// The HTTP status GitHub answered, for [`AppError::Api`].
    pub fn status(&self) -> Option<u16> {
        match self {
            AppError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether this is a configuration problem (bad id, unreadable or invalid key): `serve`
    /// and `app create` exit 2 for these.
    pub fn is_config(&self) -> bool {
        matches!(
            self,
            AppError::BadAppId { .. }
                | AppError::KeyUnreadable { .. }
                | AppError::KeyInvalid { .. }
        )
    }

    /// An [`AppError::Api`] (GitHub answered) or [`AppError::Transport`] (it did not, or the
    /// call stopped) from a call that failed through the library's call engine.
    pub(crate) fn from_call(operation: &'static str, error: gh_revoke::CallError) -> Self {
        match error.status() {
            Some(status) => AppError::Api {
                operation,
                status,
                message: error.message().map(str::to_owned),
            },
            None => AppError::Transport {
                operation,
                reason: error.to_string(),
            },
        }
    }
}
