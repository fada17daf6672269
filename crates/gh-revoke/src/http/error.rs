//! Errors building a client.

use std::error::Error as StdError;

/// A client could not be built. Messages never contain a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// A User-Agent, API version or token cannot be sent as an HTTP header.
    #[error("{what} cannot be sent as an HTTP header value")]
    Header {
        /// Which setting.
        what: &'static str,
    },
    /// The HTTP transport could not be set up.
    #[error("could not set up the HTTP client: {source}")]
    Transport {
        /// Why.
        source: Box<dyn StdError + Send + Sync>,
    },
}

impl ClientError {
    /// A header setting refused; `what` names it (never its value, which may be a token).
    pub(crate) fn header(
        what: &'static str,
    ) -> impl FnOnce(gh_revoke_api::hooks::InvalidHeader) -> Self {
        move |_| Self::Header { what }
    }

    pub(crate) fn transport(err: reqwest::Error) -> Self {
        Self::Transport {
            source: Box::new(err),
        }
    }
}
