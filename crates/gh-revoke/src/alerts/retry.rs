//! [`AlertsClient::read_with_retry`]: one authenticated read (a listing page, one alert)
//! through the engine, and what a refusal of it means.

use std::future::Future;
use std::time::Duration;

use gh_revoke_api::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

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
        mut send: F,
    ) -> Result<T, AlertsError>
    where
        F: FnMut() -> Fut,
        Fut: Future<
            Output = Result<(HeaderMap, T), gh_revoke_api::Error<gh_revoke_api::ByteStream>>,
        >,
    {
        // Reads are not kept apart beyond the window (only `PATCH`es are).
        let called = self
            .call(Duration::ZERO, calls, signal, observer, || {
                let sent = send();
                async move {
                    sent.await
                        .map(|(headers, value)| ResponseValue::new(value, StatusCode::OK, headers))
                }
            })
            .await;
        match called {
            Called::Success(value) => Ok(value.into_inner()),
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
