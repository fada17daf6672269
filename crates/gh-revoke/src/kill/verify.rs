//! [`VerifyClient`]: prove credentials dead with `GET /rate_limit`, each authenticated by
//! itself.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use gh_revoke_api::hooks::Operation;
use schemars::JsonSchema;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::Transport;
use super::answer::{Answer, answer};
use crate::credential::{Credential, Fingerprint, Kind, redact};
use crate::http::engine::Engine;
use crate::http::interrupt::Interrupt;
use crate::http::{ApiBase, ClientError, ClientSettings};
use crate::input::Location;
use crate::plan::Planned;
use crate::revoke::RetryPolicy;

/// How long [`VerifyClient`] keeps checking a credential that is still live (`--verify-timeout`).
pub const DEFAULT_VERIFY_TIMEOUT: Duration = Duration::from_secs(120);
/// The most checks in flight at once.
pub const MAX_CHECKS_IN_FLIGHT: usize = 4;

/// Checks whether credentials still authenticate, with `GET /rate_limit` (operation
/// `rate-limit/get`) authenticated by each credential alone. That call does not count against
/// the REST rate limit (GitHub's REST docs, "Get rate limit status for the authenticated
/// user"), and answers 401 "Bad credentials" to a dead or fake token (as seen in, e.g.,
/// nrkno/terraform-registry#245's logs):
///
/// - 401 → [`Liveness::Dead`];
/// - 200 → still live: checked again, backing off (5 s, doubling, at most 30 s by default),
///   until the timeout ([`DEFAULT_VERIFY_TIMEOUT`]); still live then → [`Liveness::Live`]
///   (revocation through `POST /credentials/revoke` is queued, so a credential may live on for
///   a while after it was accepted);
/// - refresh tokens (`ghr_`) never authenticate API calls: [`Liveness::NotCheckable`], no
///   request;
/// - rate-limit answers, 5xx and transport errors are retried (same [`RetryPolicy`] as the
///   other clients) until the timeout; any other answer, or the timeout, →
///   [`Liveness::Unknown`] with the reason.
///
/// At most [`MAX_CHECKS_IN_FLIGHT`] requests are in flight; each credential is checked on its
/// own schedule, and one waiting for its recheck holds no slot, so credentials that stay live
/// never hold up the first checks of the others. A free slot goes first to a recheck that is
/// due, then to the next credential not checked yet. Checks run as tasks on the current tokio
/// runtime. Nothing about a credential is logged beyond its redacted form.
#[derive(Debug)]
pub struct VerifyClient {
    transport: Arc<Transport>,
    verify_timeout: Duration,
    recheck: Duration,
    max_recheck: Duration,
    in_flight: usize,
    policy: RetryPolicy,
}

/// Builds a [`VerifyClient`].
#[derive(Debug, Clone)]
pub struct VerifyClientBuilder {
    base: ApiBase,
    settings: ClientSettings,
    verify_timeout: Duration,
    recheck: Duration,
    max_recheck: Duration,
    in_flight: usize,
}

crate::client_settings_setters!(VerifyClientBuilder:
    user_agent, api_version, timeout, connect_timeout, retry_policy);

impl VerifyClientBuilder {
    /// Stop checking a credential this long after the run started
    /// (default [`DEFAULT_VERIFY_TIMEOUT`]).
    pub fn verify_timeout(mut self, timeout: Duration) -> Self {
        self.verify_timeout = timeout;
        self
    }

    /// Check a live credential again after `first` (default 5 s), doubling up to `max`
    /// (default 30 s).
    pub fn recheck(mut self, first: Duration, max: Duration) -> Self {
        self.recheck = first;
        self.max_recheck = max.max(first);
        self
    }

    /// At most `n` checks in flight, clamped to `1..=`[`MAX_CHECKS_IN_FLIGHT`] (the default).
    pub fn in_flight(mut self, n: usize) -> Self {
        self.in_flight = n.clamp(1, MAX_CHECKS_IN_FLIGHT);
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<VerifyClient, ClientError> {
        let transport = Transport::new(self.base, &self.settings, Operation::RateLimit)?;
        Ok(VerifyClient {
            transport: Arc::new(transport),
            verify_timeout: self.verify_timeout,
            recheck: self.recheck,
            max_recheck: self.max_recheck,
            in_flight: self.in_flight,
            policy: self.settings.retry_policy,
        })
    }
}

/// One credential to check. `Debug` shows it redacted; the secret is zeroed on drop.
pub struct ToVerify {
    secret: SecretString,
    kind: Option<Kind>,
    location: Option<Location>,
}

impl std::fmt::Debug for ToVerify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToVerify")
            .field(
                "credential",
                &redact(self.secret.expose_secret().as_bytes()),
            )
            .field("kind", &self.kind)
            .field("location", &self.location)
            .finish()
    }
}

impl ToVerify {
    /// A well-formed credential, found at `location` if known.
    pub fn new(credential: Credential, location: Option<Location>) -> Self {
        Self {
            secret: SecretString::from(credential.expose_secret().to_owned()),
            kind: Some(credential.kind()),
            location,
        }
    }

    /// The credential's fingerprint.
    pub(crate) fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(self.secret.expose_secret().as_bytes())
    }

    /// A credential of a [`crate::Plan`] (e.g. one of an accepted batch).
    pub fn planned(planned: Planned<'_>, location: Option<Location>) -> Self {
        Self {
            secret: SecretString::from(planned.expose_secret().to_owned()),
            kind: planned.kind(),
            location,
        }
    }
}

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Liveness {
    /// 401: it no longer authenticates.
    Dead,
    /// 200 until the timeout: it still authenticates.
    Live,
    /// It cannot authenticate an API call by design (refresh tokens, `ghr_`).
    NotCheckable,
    /// No answer said either way (see `detail`).
    Unknown,
}

/// One credential not proven dead, in a [`VerifyReport`]: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct CheckedCredential {
    /// The credential, redacted.
    pub credential: String,
    /// Its kind (none for a string sent unverified).
    pub kind: Option<Kind>,
    /// Its SHA-256 fingerprint (hex).
    pub fingerprint: String,
    /// Where it was first found, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What the checks found.
    pub status: Liveness,
    /// Requests sent for it.
    pub checks: u32,
    /// Why it is not dead or live: GitHub's message (scrubbed), or why no check was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What [`VerifyClient::verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct VerifyReport {
    /// Credentials that no longer authenticate (401).
    pub dead: u64,
    /// Credentials that still authenticated at the timeout.
    pub live: u64,
    /// Credentials that cannot be checked (refresh tokens).
    pub not_checkable: u64,
    /// Credentials no answer decided.
    pub unknown: u64,
    /// HTTP requests made.
    pub requests: u64,
    /// How long live credentials were checked again (seconds).
    pub timeout_secs: u64,
    /// Every credential not proven dead (live first, then unknown, then not checkable), in
    /// input order within each.
    pub credentials: Vec<CheckedCredential>,
}

impl VerifyReport {
    /// Whether no checked credential is live.
    pub fn none_live(&self) -> bool {
        self.live == 0
    }
}

/// One call of [`VerifyClient::verify`]: optionally `.interrupt_on(signal)`, then `.await`
/// for the [`VerifyReport`]. The future is `Send`.
#[must_use = "a verification does nothing until it is awaited"]
pub struct Verify<'a> {
    client: &'a VerifyClient,
    items: Vec<ToVerify>,
    interrupt: Interrupt<'a>,
}

impl std::fmt::Debug for Verify<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verify")
            .field("credentials", &self.items.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Verify<'a> {
    /// Stop when `signal` completes: checks in flight are abandoned, and every credential
    /// not decided yet is reported [`Liveness::Unknown`].
    pub fn interrupt_on(mut self, signal: impl Future<Output = ()> + Send + 'a) -> Self {
        self.interrupt = Interrupt::on(signal);
        self
    }
}

impl<'a> IntoFuture for Verify<'a> {
    type Output = VerifyReport;
    type IntoFuture = Pin<Box<dyn Future<Output = VerifyReport> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let mut interrupt = self.interrupt;
            self.client.run(self.items, &mut interrupt).await
        })
    }
}

/// The result of one credential's checks.
struct Outcome {
    status: Liveness,
    checks: u32,
    detail: Option<String>,
}

impl VerifyClient {
    /// A builder for a client that talks to `base`.
    pub fn builder(base: ApiBase) -> VerifyClientBuilder {
        VerifyClientBuilder {
            base,
            settings: ClientSettings::default(),
            verify_timeout: DEFAULT_VERIFY_TIMEOUT,
            recheck: Duration::from_secs(5),
            max_recheck: Duration::from_secs(30),
            in_flight: MAX_CHECKS_IN_FLIGHT,
        }
    }

    /// The API base URL this client sends to.
    pub fn api_base(&self) -> &ApiBase {
        &self.transport.base
    }

    /// Check every credential of `items`. Never panics; every outcome is in the report.
    pub fn verify(&self, items: impl IntoIterator<Item = ToVerify>) -> Verify<'_> {
        Verify {
            client: self,
            items: items.into_iter().collect(),
            interrupt: Interrupt::never(),
        }
    }

    async fn run(&self, items: Vec<ToVerify>, interrupt: &mut Interrupt<'_>) -> VerifyReport {
        let timing = schedule::Timing {
            deadline: tokio::time::Instant::now() + self.verify_timeout,
            recheck: self.recheck,
            max_recheck: self.max_recheck,
            policy: self.policy.clone(),
        };
        let mut known = Vec::with_capacity(items.len());
        let mut clients = Vec::with_capacity(items.len());
        let mut facts = Vec::with_capacity(items.len());
        for item in items {
            let redacted = redact(item.secret.expose_secret().as_bytes());
            let (outcome, client) = prepare(&self.transport, &item);
            known.push(outcome);
            clients.push(client);
            facts.push((
                redacted,
                item.kind,
                Fingerprint::of(item.secret.expose_secret().as_bytes()),
                item.location,
            ));
            // `item.secret` is zeroed here; only the client (redacting) holds it.
        }
        let outcomes = schedule::run(known, &timing, self.in_flight, interrupt, |index| {
            let client = clients[index].clone();
            let redacted = facts[index].0.clone();
            async move {
                let Some(client) = client else {
                    // Unreachable: a credential without a client is decided before scheduling.
                    return Answer::Refused {
                        message: "no client".to_owned(),
                    };
                };
                let said = answer(Engine::once(client.rate_limit()).await);
                tracing::debug!(credential = %redacted, answer = ?said, "GET /rate_limit");
                said
            }
        })
        .await;
        drop(clients);
        let mut report = VerifyReport {
            timeout_secs: self.verify_timeout.as_secs(),
            ..VerifyReport::default()
        };
        for (outcome, (credential, kind, fingerprint, location)) in outcomes.into_iter().zip(facts)
        {
            report.requests += u64::from(outcome.checks);
            match outcome.status {
                Liveness::Dead => report.dead += 1,
                Liveness::Live => report.live += 1,
                Liveness::NotCheckable => report.not_checkable += 1,
                Liveness::Unknown => report.unknown += 1,
            }
            if outcome.status != Liveness::Dead {
                report.credentials.push(CheckedCredential {
                    credential,
                    kind,
                    fingerprint: fingerprint.to_string(),
                    location,
                    status: outcome.status,
                    checks: outcome.checks,
                    detail: outcome.detail,
                });
            }
        }
        let order = |status: Liveness| match status {
            Liveness::Live => 0,
            Liveness::Unknown => 1,
            _ => 2,
        };
        report.credentials.sort_by_key(|c| order(c.status));
        report
    }
}

/// A credential's outcome when it needs no request (a refresh token, or a secret that cannot
/// be a header value), else the client authenticated by it alone.
fn prepare(
    transport: &Transport,
    item: &ToVerify,
) -> (Option<Outcome>, Option<gh_revoke_api::LeakedTokenClient>) {
    if item.kind == Some(Kind::Refresh) {
        let outcome = Outcome {
            status: Liveness::NotCheckable,
            checks: 0,
            detail: Some("refresh tokens (ghr_) cannot authenticate API calls".to_owned()),
        };
        return (Some(outcome), None);
    }
    match transport.leaked(item.secret.expose_secret()) {
        Ok(client) => (None, Some(client)),
        Err(message) => {
            let outcome = Outcome {
                status: Liveness::Unknown,
                checks: 0,
                detail: Some(message),
            };
            (Some(outcome), None)
        }
    }
}

mod schedule;
#[cfg(test)]
mod tests;
