//! What both clients share: the API base URL ([`ApiBase`]), GitHub's rate-limit headers
//! ([`RateLimit`]), one host's shareable budget ([`Pacer`]) and building a client
//! ([`ClientError`]).

mod endpoint;
mod error;
mod pacer;
mod ratelimit;
pub(crate) mod setup;

pub use endpoint::{ApiBase, EndpointError, GITHUB_API};
pub use error::ClientError;
pub use pacer::Pacer;
pub use ratelimit::RateLimit;
