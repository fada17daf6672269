//! What every client shares: the API base URL ([`ApiBase`]), GitHub's rate-limit headers
//! ([`RateLimit`]), one host's shareable budget ([`Pacer`]), building a client
//! ([`ClientSettings`], [`ClientError`]), an error as a report object ([`ErrorReport`]), and
//! the one call engine every client sends through (`engine.rs`: pacing, reading the answer
//! once, retrying, interrupting; [`Caller`] for a client outside this crate).

pub(crate) mod answer;
mod caller;
mod endpoint;
pub(crate) mod engine;
mod error;
mod failure;
pub(crate) mod interrupt;
mod pacer;
mod ratelimit;
pub(crate) mod retry;
mod settings;

pub use caller::{CallError, Caller};
pub use endpoint::{ApiBase, EndpointError, GITHUB_API};
pub use error::ClientError;
pub use failure::{Done, ErrorKind, ErrorReport};
pub use pacer::Pacer;
pub use ratelimit::RateLimit;
pub use settings::{ClientSettings, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_WAIT, DEFAULT_TIMEOUT};
