//! What both clients share: the API base URL ([`ApiBase`]), GitHub's rate-limit headers
//! ([`RateLimit`]), one host's shareable budget ([`Pacer`]), building a client
//! ([`ClientSettings`], [`ClientError`]) and an error as a report object ([`ErrorReport`]).

pub(crate) mod answer;
mod endpoint;
mod error;
mod failure;
mod pacer;
mod ratelimit;
pub(crate) mod retry;
mod settings;

pub use endpoint::{ApiBase, EndpointError, GITHUB_API};
pub use error::ClientError;
pub use failure::{Done, ErrorKind, ErrorReport};
pub use pacer::Pacer;
pub use ratelimit::RateLimit;
pub use settings::{ClientSettings, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_WAIT, DEFAULT_TIMEOUT};
