//! [`AlertsClient::read_with_retry`]: one authenticated read (a listing page, one alert)
//! through the engine, and what a refusal of it means.

use std::future::Future;
use std::time::Duration;

use gh_revoke_api::{ByteStream, Error, ResponseValue};

use super::call::{Called, Calls, Failed};
use super::client::AlertsClient;
use super::error::AlertsError;
use super::event::Observer;
use crate::http::interrupt::Interrupt;

impl AlertsClient {
    /// One authenticated read with the client's pacing and retries: `send` is called again
    /// after a rate limit or a transient failure. A 401, 403 or 404 ends it as
    /// [`AlertsError::Unauthorized`], [`AlertsError::Forbidden`] or [`AlertsError::NotFound`]
    /// (naming `what`); an interruption or an over-long wait as [`AlertsError::Stopped`].
    pub(super) async fn read_with_retry<T, F, Fut>(
        &self,
        what: &str,
        calls: &mut Calls,
        signal: &mut Interrupt<'_>,
        observer: &mut Observer<'_>,
        send: F,
    ) -> Result<ResponseValue<T>, AlertsError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, Error<ByteStream>>>,
    {
        // Reads are not kept apart beyond the window (only `PATCH`es are).
        match self
            .call(Duration::ZERO, calls, signal, observer, send)
            .await
        {
            Called::Success(value) => Ok(value),
            Called::Stopped(stop) => Err(AlertsError::Stopped(stop)),
            Called::Failed(Failed::Other { message }) => Err(AlertsError::Failed { message }),
            Called::Failed(Failed::Status {
                status,
                message,
                accepted_scopes,
                token_scopes,
            }) => Err(match status {
                401 => AlertsError::Unauthorized { message },
                403 => AlertsError::Forbidden {
                    message,
                    accepted_scopes,
                    token_scopes,
                },
                404 => AlertsError::NotFound {
                    target: what.to_owned(),
                    message,
                },
                _ => AlertsError::Failed {
                    message: format!("{status}: {message}"),
                },
            }),
        }
    }
}
