//! Errors building a client.

/// A client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// A User-Agent, API version or token cannot be sent as an HTTP header.
    #[error(transparent)]
    Header(#[from] gh_revoke_api::hooks::InvalidHeader),
    /// The HTTP transport could not be set up.
    #[error("could not set up the HTTP client: {0}")]
    Transport(String),
}
