//! [`InstallationClient`]: each leaked installation token revokes itself
//! (`DELETE /installation/token`).

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use gh_revoke_api::hooks::Operation;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Transport;
use super::answer::{Answer, answer};
use super::keep::InstallationToken;
use crate::http::engine::{End as CallEnd, Engine};
use crate::http::interrupt::Interrupt;
use crate::http::{ApiBase, ClientError, ClientSettings, Pacer};
use crate::input::Location;
use crate::revoke::{Journal, RetryPolicy, Stop};

/// Revokes leaked installation tokens (`ghs_`, legacy and `ghs_APPID_JWT`), each with
/// `DELETE /installation/token` authenticated by **that token alone**: GitHub's only way to
/// kill an installation token before it expires ("Revokes the installation token you're using
/// to authenticate as an installation", operation `apps/revoke-installation-access-token`;
/// the same in octokit's `apps.revokeInstallationAccessToken` route).
///
/// - 204 → revoked; 401 → already dead (revoked, expired, or never valid); anything else →
///   failed, with GitHub's message (scrubbed);
/// - one token at a time, requests at least [`RetryPolicy::min_interval`] apart;
/// - the same retry and rate-limit rules as [`crate::RevokeClient`] ([`RetryPolicy`],
///   [`crate::RateLimit`]): 5xx, resets and timeouts retried with backoff; rate-limit answers
///   waited out (`retry-after`, else the reset, else at least a minute, doubling);
/// - never the caller's token: the client has no way to take one, and the request is made by
///   a [`gh_revoke_api::LeakedTokenClient`] holding only the leaked token; redirects are never followed.
#[derive(Debug)]
pub struct InstallationClient {
    transport: Transport,
    policy: RetryPolicy,
    max_wait: Option<Duration>,
}

/// Builds an [`InstallationClient`].
#[derive(Debug, Clone)]
pub struct InstallationClientBuilder {
    base: ApiBase,
    settings: ClientSettings,
}

crate::client_settings_setters!(InstallationClientBuilder:
    user_agent, api_version, timeout, connect_timeout, retry_policy, max_wait);

impl InstallationClientBuilder {
    /// Build the client.
    pub fn build(self) -> Result<InstallationClient, ClientError> {
        let transport = Transport::new(
            self.base,
            &self.settings,
            Operation::RevokeInstallationToken,
        )?;
        Ok(InstallationClient {
            transport,
            policy: self.settings.retry_policy,
            max_wait: self.settings.max_wait,
        })
    }
}

/// What became of one installation token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InstallationStatus {
    /// 204: revoked now.
    Revoked,
    /// 401: it no longer authenticates (revoked or expired before, or never valid).
    AlreadyDead,
    /// Given up: see `error`.
    Failed,
    /// Not sent: the run stopped first.
    Pending,
}

/// One installation token in an [`InstallationReport`]: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct InstallationTokenReport {
    /// The token, redacted.
    pub credential: String,
    /// Its SHA-256 fingerprint (hex).
    pub fingerprint: String,
    /// Where it was first found.
    pub location: Location,
    /// What became of it.
    pub status: InstallationStatus,
    /// Requests sent for it.
    pub attempts: u32,
    /// Why it failed, when it did (GitHub's message, scrubbed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What [`InstallationClient::revoke`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct InstallationReport {
    /// Tokens revoked now (204).
    pub revoked: u64,
    /// Tokens that no longer authenticated (401).
    pub already_dead: u64,
    /// Tokens given up.
    pub failed: u64,
    /// Tokens not sent (the run stopped first).
    pub pending: u64,
    /// Occurrences skipped because an earlier run revoked them (journal).
    pub already_done: u64,
    /// HTTP requests made.
    pub requests: u64,
    /// Every token, in first-seen order.
    pub tokens: Vec<InstallationTokenReport>,
    /// Why the run stopped early, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stop>,
}

impl InstallationReport {
    /// Whether every token is dead now (revoked or already dead) and the run was not stopped.
    pub fn is_complete(&self) -> bool {
        self.failed == 0 && self.pending == 0 && self.stopped.is_none()
    }

    /// The report of a dry run: every token pending, nothing sent.
    pub fn planned(tokens: &[InstallationToken]) -> Self {
        let mut report = Self::default();
        for token in tokens {
            report
                .tokens
                .push(entry(token, InstallationStatus::Pending));
            report.pending += 1;
        }
        report
    }
}

fn entry(token: &InstallationToken, status: InstallationStatus) -> InstallationTokenReport {
    InstallationTokenReport {
        credential: token.credential().redacted(),
        fingerprint: token.credential().fingerprint().to_string(),
        location: token.location().clone(),
        status,
        attempts: 0,
        error: None,
    }
}

/// One call of [`InstallationClient::revoke`]: optionally `.journal(&mut journal)` and
/// `.interrupt_on(signal)`, then `.await` for the [`InstallationReport`]. The future is `Send`.
#[must_use = "a revocation does nothing until it is awaited"]
pub struct RevokeInstallations<'a> {
    client: &'a InstallationClient,
    tokens: &'a [InstallationToken],
    journal: Option<&'a mut Journal>,
    interrupt: Interrupt<'a>,
}

impl std::fmt::Debug for RevokeInstallations<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevokeInstallations")
            .field("tokens", &self.tokens.len())
            .field("journal", &self.journal.as_ref().map(|j| j.path()))
            .finish_non_exhaustive()
    }
}

impl<'a> RevokeInstallations<'a> {
    /// Record each token revoked or already dead (its fingerprint) in `journal`, durably,
    /// before the next request, so that a rerun does not send it again (feed the journal's
    /// [`Journal::done`] to [`crate::KillList::resuming`]). A journal made against
    /// another API URL stops the run before anything is sent.
    pub fn journal(mut self, journal: &'a mut Journal) -> Self {
        self.journal = Some(journal);
        self
    }

    /// Stop when `signal` completes: no new request is started; the token in flight is
    /// reported as pending.
    pub fn interrupt_on(mut self, signal: impl Future<Output = ()> + Send + 'a) -> Self {
        self.interrupt = Interrupt::on(signal);
        self
    }
}

impl<'a> IntoFuture for RevokeInstallations<'a> {
    type Output = InstallationReport;
    type IntoFuture = Pin<Box<dyn Future<Output = InstallationReport> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let mut interrupt = self.interrupt;
            self.client
                .run(self.tokens, self.journal, &mut interrupt)
                .await
        })
    }
}

/// How one token ended.
enum End {
    Dead(InstallationStatus),
    Failed(String),
    Stopped(Stop),
}

impl InstallationClient {
    /// A builder for a client that talks to `base`.
    pub fn builder(base: ApiBase) -> InstallationClientBuilder {
        InstallationClientBuilder {
            base,
            settings: ClientSettings::default(),
        }
    }

    /// The API base URL this client sends to.
    pub fn api_base(&self) -> &ApiBase {
        &self.transport.base
    }

    /// Revoke every token of `tokens`, in order (from [`crate::KillList::installation_tokens`]).
    /// Never panics; every outcome is in the report.
    pub fn revoke<'a>(&'a self, tokens: &'a [InstallationToken]) -> RevokeInstallations<'a> {
        RevokeInstallations {
            client: self,
            tokens,
            journal: None,
            interrupt: Interrupt::never(),
        }
    }

    async fn run(
        &self,
        tokens: &[InstallationToken],
        mut journal: Option<&mut Journal>,
        interrupt: &mut Interrupt<'_>,
    ) -> InstallationReport {
        let mut report = InstallationReport::planned(tokens);
        if let Some(journal) = journal.as_deref_mut()
            && let Err(err) = journal.bind(&self.transport.base)
        {
            report.stopped = Some(Stop::Halted {
                message: err.to_string(),
            });
            return report;
        }
        // Requests kept apart; each token's rate-limit window is its own.
        let pacer = Pacer::new();
        let engine = Engine {
            policy: &self.policy,
            max_wait: self.max_wait,
            pacer: &pacer,
            interval: self.policy.min_interval,
            shared_window: false,
        };
        for (index, token) in tokens.iter().enumerate() {
            let (end, attempts) = self.revoke_one(token, &engine, interrupt).await;
            report.requests += u64::from(attempts);
            let entry = &mut report.tokens[index];
            entry.attempts = attempts;
            let stop =
                match end {
                    End::Dead(status) => {
                        entry.status = status;
                        report.pending -= 1;
                        match status {
                            InstallationStatus::Revoked => report.revoked += 1,
                            _ => report.already_dead += 1,
                        }
                        let fingerprint = [token.credential().fingerprint()];
                        match journal.as_deref_mut() {
                            Some(journal) => {
                                journal.record_async(&fingerprint).await.err().map(|err| {
                                    Stop::Halted {
                                        message: format!("could not write the journal: {err}"),
                                    }
                                })
                            }
                            None => None,
                        }
                    }
                    End::Failed(error) => {
                        entry.status = InstallationStatus::Failed;
                        entry.error = Some(error);
                        report.pending -= 1;
                        report.failed += 1;
                        None
                    }
                    End::Stopped(stop) => Some(stop),
                };
            if let Some(stop) = stop {
                report.stopped = Some(stop);
                break;
            }
        }
        report
    }

    /// Send one token's request through the engine until it is answered for good. Returns
    /// how it ended and how many requests it took.
    async fn revoke_one(
        &self,
        token: &InstallationToken,
        engine: &Engine<'_>,
        interrupt: &mut Interrupt<'_>,
    ) -> (End, u32) {
        let client = match self.transport.leaked(token.credential().expose_secret()) {
            Ok(client) => client,
            Err(message) => return (End::Failed(message), 0),
        };
        let mut attempts = 0u32;
        let end = engine
            .call(interrupt, &mut |_| Ok(()), &mut attempts, || {
                client.revoke_installation_token()
            })
            .await;
        let end = match end {
            CallEnd::Success(_) => End::Dead(InstallationStatus::Revoked),
            CallEnd::Failed(failure) => match answer::<()>(Err(failure)) {
                Answer::Success => End::Dead(InstallationStatus::Revoked),
                Answer::Unauthorized => End::Dead(InstallationStatus::AlreadyDead),
                Answer::RateLimited { message, .. }
                | Answer::Transient { message }
                | Answer::Refused { message } => End::Failed(message),
            },
            CallEnd::GaveUp { message, .. } => End::Failed(message),
            CallEnd::Abandoned => End::Stopped(Stop::Interrupted {
                abandoned_batch: None,
            }),
            CallEnd::Stopped(stop) => End::Stopped(stop),
        };
        tracing::debug!(
            token = %token.credential().redacted(),
            attempts,
            "DELETE /installation/token"
        );
        (end, attempts)
    }
}

#[allow(dead_code)]
fn assert_send(client: &InstallationClient, tokens: &[InstallationToken]) {
    fn is_send<T: Send>(_: &T) {}
    is_send(&client.revoke(tokens).into_future());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dry_run_report_has_every_token_pending() {
        let mut kill = crate::KillList::new().keep_installation_tokens(true);
        let token = crate::fixtures::new_installation(9);
        let mut tally = crate::PlanTally::new(crate::PlanOptions::default());
        crate::feed(
            &mut kill.tee(&mut tally),
            crate::InputMode::Lines,
            token.as_bytes(),
            "-",
        )
        .unwrap();
        let report = InstallationReport::planned(kill.installation_tokens());
        assert_eq!(report.pending, 1);
        assert!(!report.is_complete());
        let json = serde_json::to_string(&report).unwrap();
        crate::fixtures::assert_no_leak(&json, &token);
    }
}
