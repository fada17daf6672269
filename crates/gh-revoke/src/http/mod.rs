//! What both clients share: the API base URL ([`ApiBase`]), GitHub's rate-limit headers
//! ([`RateLimit`]) and building a client ([`ClientError`]).

mod endpoint;
mod error;
mod ratelimit;
pub(crate) mod setup;

pub use endpoint::{ApiBase, EndpointError, GITHUB_API};
pub use error::ClientError;
pub use ratelimit::RateLimit;
