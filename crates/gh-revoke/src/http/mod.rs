//! What both clients share: the API base URL ([`ApiBase`]), GitHub's rate-limit headers
//! ([`RateLimit`]), building a client ([`ClientSettings`], [`ClientError`]) and an error as a report object
//! ([`ErrorReport`]).

mod endpoint;
mod error;
mod failure;
mod ratelimit;
mod settings;

pub use endpoint::{ApiBase, EndpointError, GITHUB_API};
pub use error::ClientError;
pub use failure::{Done, ErrorKind, ErrorReport};
pub use ratelimit::RateLimit;
pub use settings::{ClientSettings, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_WAIT, DEFAULT_TIMEOUT};
