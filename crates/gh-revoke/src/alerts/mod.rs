//! [`AlertsClient`]: from GitHub's open secret-scanning alerts to revoked credentials and
//! resolved alerts.
//!
//! The flow, [`AlertsClient::run`]: list the open alerts of GitHub's token types (every page,
//! by `Link: rel="next"`), classify each alert's `secret`, plan the revocable ones (deduped
//! across alerts: one token in five repositories is revoked once), revoke them with the
//! anonymous [`RevokeClient`], then resolve each alert whose credential was accepted, one
//! `PATCH` at a time, at least a second apart. The caller's token authenticates only the
//! secret-scanning calls: the two clients never share a transport or settings, and
//! `POST /credentials/revoke` stays anonymous.

mod call;
mod list;
mod report;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gh_revoke_api::hooks::Settings;
use gh_revoke_api::types::{
    SecretScanningAlertResolutionInner, SecretScanningAlertState, SecretScanningUpdateAlertBody,
};
use gh_revoke_api::{AlertSecret, AlertsQuery};
use secrecy::{ExposeSecret, SecretString};

pub use report::{AlertCounts, AlertItem, AlertOutcome, AlertsReport, AlertsRunReport};

use crate::credential::{Classified, Fingerprint, classify};
use crate::http::{ApiBase, ClientError};
use crate::input::{Found, Location, scrub};
use crate::plan::{Plan, PlanOptions};
use crate::revoke::{
    BatchStatus, DEFAULT_MAX_WAIT, Event, Journal, RetryPolicy, RevokeClient, RevokeReport, Stop,
    WaitReason,
};
use call::{Failed, Pacer};
use list::NextPage;

/// The `secret_type` filter of the listing: GitHub's token types (GitHub docs, "Supported
/// secret scanning patterns"; the same four in the REST reference's examples). SSH keys
/// (`github_ssh_private_key`) cannot be revoked by value and are left out.
pub const ALERT_SECRET_TYPES: &str = "github_personal_access_token,github_oauth_access_token,\
github_refresh_token,github_app_installation_access_token";

/// Which tokens can list and resolve alerts (GitHub REST docs, "REST API endpoints for secret
/// scanning", fine-grained access tokens and OAuth scopes of each operation; confirmed by the
/// operation's description in github/rest-api-description as vendored by the jinxapi-github
/// crate: "`repo` scope or `security_events` scope", apps "`secret_scanning_alerts` write").
pub const ALERTS_TOKEN_SCOPES: &str = "classic tokens need the `repo` or `security_events` \
scope; fine-grained tokens and GitHub Apps need the \"Secret scanning alerts\" repository \
permission (read to list, write to resolve); the enterprise listing accepts classic tokens only";

/// The least time between two `PATCH`es by default (GitHub: mutating requests at least a
/// second apart).
pub const DEFAULT_RESOLVE_INTERVAL: Duration = Duration::from_secs(1);

/// The most pages a listing follows (100 alerts each): a guard against a `Link` loop.
const MAX_PAGES: u32 = 10_000;

/// Whose alerts to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertTarget {
    /// One repository.
    Repo {
        /// The owner.
        owner: String,
        /// The repository name.
        repo: String,
    },
    /// Every repository of an organization.
    Org(String),
    /// Every repository of an enterprise (classic tokens only).
    Enterprise(String),
}

impl AlertTarget {
    /// `OWNER/REPO`.
    pub fn repo(full_name: &str) -> Result<Self, AlertsError> {
        match full_name.split_once('/') {
            Some((owner, repo)) if valid_name(owner) && valid_name(repo) => Ok(Self::Repo {
                owner: owner.to_owned(),
                repo: repo.to_owned(),
            }),
            _ => Err(AlertsError::InvalidTarget(format!(
                "{:?} is not OWNER/REPO (letters, digits, '.', '-' and '_')",
                scrub(full_name)
            ))),
        }
    }

    /// An organization login.
    pub fn org(org: &str) -> Result<Self, AlertsError> {
        if valid_name(org) {
            Ok(Self::Org(org.to_owned()))
        } else {
            Err(AlertsError::InvalidTarget(format!(
                "{:?} is not an organization login",
                scrub(org)
            )))
        }
    }

    /// An enterprise slug.
    pub fn enterprise(slug: &str) -> Result<Self, AlertsError> {
        if valid_name(slug) {
            Ok(Self::Enterprise(slug.to_owned()))
        } else {
            Err(AlertsError::InvalidTarget(format!(
                "{:?} is not an enterprise slug",
                scrub(slug)
            )))
        }
    }
}

impl std::fmt::Display for AlertTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Repo { owner, repo } => write!(f, "repository {owner}/{repo}"),
            Self::Org(org) => write!(f, "organization {org}"),
            Self::Enterprise(slug) => write!(f, "enterprise {slug}"),
        }
    }
}

/// A repository, owner, organization or enterprise name: what can go in a URL path and a
/// journal line unchanged.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && name != "."
        && name != ".."
}

/// Why listing the alerts failed (nothing was revoked or resolved). Never contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AlertsError {
    /// The repository, organization or enterprise name cannot be one.
    #[error("{0}")]
    InvalidTarget(String),
    /// 401.
    #[error("GitHub did not accept the token (401: {message}); {ALERTS_TOKEN_SCOPES}")]
    Unauthorized {
        /// GitHub's message.
        message: String,
    },
    /// 403, not a rate limit.
    #[error(
        "forbidden (403: {message}){}; {ALERTS_TOKEN_SCOPES}",
        scopes(.accepted_scopes, .token_scopes)
    )]
    Forbidden {
        /// GitHub's message.
        message: String,
        /// `x-accepted-oauth-scopes`.
        accepted_scopes: Option<String>,
        /// `x-oauth-scopes`.
        token_scopes: Option<String>,
    },
    /// 404: GitHub says secret scanning is disabled, the repository is public, or there is no
    /// such target the token can see.
    #[error(
        "{target}: not found (404: {message}): secret scanning may be disabled, the repository \
         public, or the name wrong or invisible to the token"
    )]
    NotFound {
        /// What was listed.
        target: String,
        /// GitHub's message.
        message: String,
    },
    /// Listing failed another way (after retries for 5xx and connection failures).
    #[error("listing the alerts failed: {message}")]
    Failed {
        /// What happened (scrubbed).
        message: String,
    },
    /// Listing stopped: a rate-limit wait longer than the maximum, or an interruption.
    #[error("listing the alerts stopped: {0:?}")]
    Stopped(Stop),
}

impl AlertsError {
    /// Whether the error is the caller's to fix (target, token, 404): nothing was sent but the
    /// listing.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Self::InvalidTarget(_)
                | Self::Unauthorized { .. }
                | Self::Forbidden { .. }
                | Self::NotFound { .. }
        )
    }
}

fn scopes(accepted: &Option<String>, token: &Option<String>) -> String {
    match (accepted, token) {
        (None, None) => String::new(),
        (accepted, token) => format!(
            " (the endpoint accepts scopes: {}; the token has: {})",
            accepted
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or("not said"),
            token.as_deref().filter(|s| !s.is_empty()).unwrap_or("none")
        ),
    }
}

/// One listed alert. `Debug` never shows the secret ([`AlertSecret`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Alert {
    /// The alert number.
    pub number: i64,
    /// `OWNER/REPO` (empty when GitHub did not say).
    pub repository: String,
    /// The alert's page.
    pub html_url: Option<String>,
    /// GitHub's `secret_type`.
    pub secret_type: Option<String>,
    /// `open` or `resolved`.
    pub state: Option<String>,
    /// The secret, if GitHub returned it.
    pub secret: Option<AlertSecret>,
}

/// Progress of an alerts run, in order. Never carries a secret.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AlertsEvent<'a> {
    /// A page of alerts was listed.
    Listed {
        /// The page's number, from 1.
        page: u32,
        /// Alerts on it.
        alerts: usize,
    },
    /// The revocation part reported this.
    Revoke(&'a Event<'a>),
    /// An alert is about to be resolved.
    Resolving {
        /// `OWNER/REPO`.
        repository: &'a str,
        /// The alert number.
        number: i64,
    },
    /// An alert's outcome is final.
    Resolved(&'a AlertItem),
    /// The client waits before its next authenticated call.
    Waiting {
        /// How long.
        wait: Duration,
        /// Why.
        reason: WaitReason,
    },
}

/// Builds an [`AlertsClient`].
#[derive(Debug)]
pub struct AlertsClientBuilder {
    base: ApiBase,
    token: SecretString,
    user_agent: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    policy: RetryPolicy,
    max_wait: Option<Duration>,
    resolve_interval: Duration,
}

impl AlertsClientBuilder {
    /// Send `User-Agent: user_agent` (default `gh-revoke/VERSION`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Give up on one request after this long (default 30 s); retried as transient.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Give up connecting after this long (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retry and rate-limit bounds (its `min_interval` is not used: see
    /// [`AlertsClientBuilder::resolve_interval`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Stop instead of waiting longer than this at once (default: up to a week).
    pub fn max_wait(mut self, max_wait: Option<Duration>) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// The least time between two `PATCH`es ([`DEFAULT_RESOLVE_INTERVAL`]; tests shorten it).
    pub fn resolve_interval(mut self, interval: Duration) -> Self {
        self.resolve_interval = interval;
        self
    }

    /// Build the client. Never panics.
    pub fn build(self) -> Result<AlertsClient, ClientError> {
        let mut settings = Settings::default()
            .with_bearer_token(self.token.expose_secret())
            .map_err(ClientError::header("the token"))?;
        if let Some(agent) = &self.user_agent {
            settings = settings
                .with_user_agent(agent)
                .map_err(ClientError::header("the User-Agent"))?;
        }
        let http = gh_revoke_api::transport::client_builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .build()
            .map_err(ClientError::transport)?;
        Ok(AlertsClient {
            api: gh_revoke_api::Client::new_with_client(self.base.as_str(), http, settings),
            base: self.base,
            policy: self.policy,
            max_wait: self.max_wait,
            resolve_interval: self.resolve_interval,
        })
    }
}

/// Lists and resolves secret-scanning alerts with the caller's token (held by the generated
/// client's settings as a sensitive header; sent only to the configured base URL, never
/// redirected).
#[derive(Debug)]
pub struct AlertsClient {
    api: gh_revoke_api::Client,
    base: ApiBase,
    policy: RetryPolicy,
    max_wait: Option<Duration>,
    resolve_interval: Duration,
}

/// What an alerts run does beyond listing.
#[derive(Debug, Clone)]
pub struct AlertsOptions {
    plan: PlanOptions,
    dry_run: bool,
    resolve: bool,
    comment: Option<String>,
}

impl Default for AlertsOptions {
    /// Revoke and resolve, the default comment, batches of 1000.
    fn default() -> Self {
        Self {
            plan: PlanOptions::default(),
            dry_run: false,
            resolve: true,
            comment: None,
        }
    }
}

impl AlertsOptions {
    /// List and plan only: no revocation, no `PATCH`.
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = dry_run;
        self
    }

    /// Resolve the alerts of accepted credentials (default `true`).
    pub fn resolve(mut self, resolve: bool) -> Self {
        self.resolve = resolve;
        self
    }

    /// The resolution comment (default: "Revoked with gh-revoke: submitted to GitHub's
    /// credential revocation API, accepted at TIME").
    pub fn comment(mut self, comment: Option<String>) -> Self {
        self.comment = comment;
        self
    }

    /// How credentials are batched.
    pub fn plan_options(mut self, plan: PlanOptions) -> Self {
        self.plan = plan;
        self
    }
}

type Interrupt<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;
type Observer<'a> = Box<dyn FnMut(&AlertsEvent<'_>) + Send + 'a>;

/// One alerts run: [`AlertsClient::run`], optionally `.journal(..)`, `.on_event(..)`,
/// `.interrupt_on(..)`, then [`AlertsRun::run`].
#[must_use = "an alerts run does nothing until it is run"]
pub struct AlertsRun<'a> {
    client: &'a AlertsClient,
    revoke: &'a RevokeClient,
    target: &'a AlertTarget,
    options: AlertsOptions,
    journal: Option<&'a mut Journal>,
    observer: Observer<'a>,
    interrupt: Option<Interrupt<'a>>,
}

impl std::fmt::Debug for AlertsRun<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlertsRun")
            .field("target", self.target)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Where one alert stands during the run.
struct Entry {
    item: AlertItem,
    /// Owner and repository, for the `PATCH`.
    path: Option<(String, String)>,
    fingerprint: Option<Fingerprint>,
}

impl AlertsClient {
    /// A builder for a client for `base` that authenticates with `token`.
    pub fn builder(base: ApiBase, token: SecretString) -> AlertsClientBuilder {
        AlertsClientBuilder {
            base,
            token,
            user_agent: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            policy: RetryPolicy::default(),
            max_wait: None,
            resolve_interval: DEFAULT_RESOLVE_INTERVAL,
        }
    }

    /// The API base URL.
    pub fn api_base(&self) -> &ApiBase {
        &self.base
    }

    /// List every open alert of GitHub's token types at `target`.
    pub async fn list(&self, target: &AlertTarget) -> Result<Vec<Alert>, AlertsError> {
        let mut signal = Signal::none();
        let mut observer: Observer<'_> = Box::new(|_: &AlertsEvent<'_>| {});
        self.list_with(target, &mut Pacer::default(), &mut signal, &mut observer)
            .await
    }

    /// The whole flow for `target`, revoking with `revoke` (an anonymous client).
    pub fn run<'a>(
        &'a self,
        revoke: &'a RevokeClient,
        target: &'a AlertTarget,
        options: AlertsOptions,
    ) -> AlertsRun<'a> {
        AlertsRun {
            client: self,
            revoke,
            target,
            options,
            journal: None,
            observer: Box::new(|_: &AlertsEvent<'_>| {}),
            interrupt: None,
        }
    }

    async fn list_with(
        &self,
        target: &AlertTarget,
        pacer: &mut Pacer,
        signal: &mut Signal<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<Vec<Alert>, AlertsError> {
        let mut alerts = Vec::new();
        let mut next: Option<NextPage> = None;
        let mut seen = HashSet::new();
        for page in 1..=MAX_PAGES {
            let listed = self
                .list_page(target, next.as_ref(), pacer, signal, observer)
                .await?;
            let (items, following) = listed;
            observer(&AlertsEvent::Listed {
                page,
                alerts: items.len(),
            });
            alerts.extend(items);
            match following {
                None => return Ok(alerts),
                Some(following) => {
                    if !seen.insert(following.clone()) {
                        return Err(AlertsError::Failed {
                            message: "the Link header's next page repeats an earlier one; \
                                      stopped following it"
                                .into(),
                        });
                    }
                    next = Some(following);
                }
            }
        }
        Err(AlertsError::Failed {
            message: format!("more than {MAX_PAGES} pages; stopped following the Link header"),
        })
    }

    /// One page, with retries; its alerts and the next page.
    async fn list_page(
        &self,
        target: &AlertTarget,
        next: Option<&NextPage>,
        pacer: &mut Pacer,
        signal: &mut Signal<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<(Vec<Alert>, Option<NextPage>), AlertsError> {
        let (page, after) = match next {
            Some(NextPage::Number(n)) => (Some(*n), None),
            Some(NextPage::After(cursor)) => (None, Some(cursor.as_str())),
            None => (None, None),
        };
        let query = AlertsQuery {
            state: Some(SecretScanningAlertState::Open),
            secret_type: Some(ALERT_SECRET_TYPES),
            hide_secret: Some(false),
            per_page: Some(100),
            page,
            after,
            ..AlertsQuery::default()
        };
        let mut retry = Retry::default();
        loop {
            self.pace(pacer, Duration::ZERO, signal, observer)
                .await
                .map_err(AlertsError::Stopped)?;
            let call = async {
                match target {
                    AlertTarget::Repo { owner, repo } => self
                        .api
                        .list_repo_alerts(owner, repo, &query)
                        .await
                        .map(|rv| {
                            let headers = rv.headers().clone();
                            let full = format!("{owner}/{repo}");
                            let items = rv
                                .into_inner()
                                .into_iter()
                                .map(|a| Alert {
                                    number: a.number.unwrap_or_default(),
                                    repository: full.clone(),
                                    html_url: a.html_url,
                                    secret_type: a.secret_type,
                                    state: a.state,
                                    secret: a.secret,
                                })
                                .collect::<Vec<_>>();
                            (headers, items)
                        }),
                    AlertTarget::Org(org) => {
                        self.api.list_org_alerts(org, &query).await.map(org_alerts)
                    }
                    AlertTarget::Enterprise(slug) => self
                        .api
                        .list_enterprise_alerts(slug, &query)
                        .await
                        .map(org_alerts),
                }
            };
            let Some(result) = signal.or_interrupt(call).await else {
                return Err(AlertsError::Stopped(Stop::Interrupted {
                    abandoned_batch: None,
                }));
            };
            match result {
                Ok((headers, items)) => {
                    pacer.answered_ok(&headers);
                    let next =
                        list::next_page(&headers).map_err(|message| AlertsError::Failed {
                            message: message.to_owned(),
                        })?;
                    return Ok((items, next));
                }
                Err(error) => {
                    let now = SystemTime::now();
                    let (failed, rate) = call::classify(error, now).await;
                    pacer.answered(rate, now);
                    match failed {
                        Failed::Status {
                            status,
                            message,
                            accepted_scopes,
                            token_scopes,
                        } => {
                            return Err(match status {
                                401 => AlertsError::Unauthorized { message },
                                403 => AlertsError::Forbidden {
                                    message,
                                    accepted_scopes,
                                    token_scopes,
                                },
                                404 => AlertsError::NotFound {
                                    target: target.to_string(),
                                    message,
                                },
                                _ => AlertsError::Failed {
                                    message: format!("{status}: {message}"),
                                },
                            });
                        }
                        Failed::Other { message } => {
                            return Err(AlertsError::Failed { message });
                        }
                        other => {
                            if let Err(end) = self
                                .after_failure(other, &mut retry, pacer, signal, observer)
                                .await
                            {
                                return Err(match end {
                                    RetryEnd::Stop(stop) => AlertsError::Stopped(stop),
                                    RetryEnd::GiveUp(message) => AlertsError::Failed { message },
                                });
                            }
                        }
                    }
                }
            }
        }
    }

    /// Wait before the next call: a spent window's reset, or what is left of `interval`.
    async fn pace(
        &self,
        pacer: &mut Pacer,
        interval: Duration,
        signal: &mut Signal<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<(), Stop> {
        if let Some((wait, spent)) = pacer.wait_before(&self.policy, interval) {
            if spent {
                self.wait(wait, WaitReason::WindowSpent, signal, observer)
                    .await?;
                pacer.waited();
            } else if signal.sleep(wait).await.is_err() {
                return Err(Stop::Interrupted {
                    abandoned_batch: None,
                });
            }
        }
        Ok(())
    }

    /// Wait `wait` unless it is longer than the maximum.
    async fn wait(
        &self,
        wait: Duration,
        reason: WaitReason,
        signal: &mut Signal<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<(), Stop> {
        let max = self.max_wait.unwrap_or(DEFAULT_MAX_WAIT);
        if wait > max {
            let now = SystemTime::now();
            return Err(Stop::MaxWait {
                wait_secs: wait
                    .as_secs()
                    .saturating_add(u64::from(wait.subsec_nanos() > 0)),
                max_wait_secs: max.as_secs(),
                resume_at: now
                    .checked_add(wait)
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map(|d| d.as_secs().saturating_add(1))
                    .unwrap_or(u64::MAX),
            });
        }
        observer(&AlertsEvent::Waiting { wait, reason });
        signal.sleep(wait).await.map_err(|()| Stop::Interrupted {
            abandoned_batch: None,
        })
    }

    /// After a rate-limit or transient failure: wait and let the caller retry, or end.
    async fn after_failure(
        &self,
        failed: Failed,
        retry: &mut Retry,
        pacer: &mut Pacer,
        signal: &mut Signal<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<(), RetryEnd> {
        match failed {
            Failed::RateLimited { wait, message } => {
                retry.rate_answers += 1;
                if retry.rate_answers > self.policy.max_rate_limit_retries {
                    return Err(RetryEnd::GiveUp(format!(
                        "still rate limited after {} answers ({message}); run again later",
                        retry.rate_answers
                    )));
                }
                let wait = match wait {
                    Some(named) => named.saturating_add(self.policy.reset_margin),
                    None => {
                        retry.unnamed += 1;
                        self.policy.rate_limit_backoff(retry.unnamed)
                    }
                };
                self.wait(wait, WaitReason::RateLimited, signal, observer)
                    .await
                    .map_err(RetryEnd::Stop)?;
                pacer.waited();
                Ok(())
            }
            Failed::Transient { message } => {
                retry.transient += 1;
                if retry.transient >= self.policy.max_attempts {
                    return Err(RetryEnd::GiveUp(format!(
                        "gave up after {} attempts: {message}",
                        retry.transient
                    )));
                }
                let after = self.policy.transient_backoff(retry.transient);
                signal.sleep(after).await.map_err(|()| {
                    RetryEnd::Stop(Stop::Interrupted {
                        abandoned_batch: None,
                    })
                })
            }
            Failed::Status { message, .. } | Failed::Other { message } => {
                Err(RetryEnd::GiveUp(message))
            }
        }
    }

    /// Resolve one alert, with retries. `Err` stops the resolving (the alert stays pending).
    #[allow(clippy::too_many_arguments)] // private: the run's pacing state, passed through
    async fn resolve_one(
        &self,
        owner: &str,
        repo: &str,
        number: i64,
        body: &SecretScanningUpdateAlertBody,
        pacer: &mut Pacer,
        signal: &mut Signal<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<(AlertOutcome, Option<String>), Stop> {
        let mut retry = Retry::default();
        loop {
            self.pace(pacer, self.resolve_interval, signal, observer)
                .await?;
            let call = self
                .api
                .secret_scanning_update_alert(owner, repo, number, body);
            let Some(result) = signal.or_interrupt(call).await else {
                return Err(Stop::Interrupted {
                    abandoned_batch: None,
                });
            };
            let error = match result {
                Ok(answer) => {
                    pacer.answered_ok(answer.headers());
                    return Ok((AlertOutcome::Resolved, None));
                }
                Err(error) => error,
            };
            let now = SystemTime::now();
            let (failed, rate) = call::classify(error, now).await;
            pacer.answered(rate, now);
            match failed {
                // GitHub: 400 "the resolution comment is invalid or the resolution was not
                // changed" (REST reference, "Update a secret scanning alert").
                Failed::Status {
                    status: 400,
                    message,
                    ..
                } if !message.to_ascii_lowercase().contains("comment") => {
                    return Ok((AlertOutcome::AlreadyResolved, Some(message)));
                }
                // GitHub: 403 "delegated alert dismissal is enabled and the authenticated user
                // is not a valid reviewer" (same page; the GitHub changelog of 2025-04-18,
                // "Manage secret scanning alert dismissal requests with the REST API", describes
                // the review that then closes it).
                Failed::Status {
                    status: 403,
                    message,
                    ..
                } => {
                    return Ok((
                        AlertOutcome::NeedsReview,
                        Some(format!(
                            "a reviewer must close it (delegated alert dismissal; 403: {message})"
                        )),
                    ));
                }
                Failed::Status {
                    status: 401,
                    message,
                    ..
                } => {
                    return Err(Stop::Fatal {
                        message: format!("401 resolving alerts: {message}"),
                    });
                }
                Failed::Status {
                    status, message, ..
                } => {
                    return Ok((AlertOutcome::Failed, Some(format!("{status}: {message}"))));
                }
                Failed::Other { message } => return Ok((AlertOutcome::Failed, Some(message))),
                other => match self
                    .after_failure(other, &mut retry, pacer, signal, observer)
                    .await
                {
                    Ok(()) => {}
                    Err(RetryEnd::Stop(stop)) => return Err(stop),
                    Err(RetryEnd::GiveUp(message)) => {
                        return Ok((AlertOutcome::Failed, Some(message)));
                    }
                },
            }
        }
    }
}

fn org_alerts(
    rv: gh_revoke_api::ResponseValue<Vec<gh_revoke_api::types::OrganizationSecretScanningAlert>>,
) -> (reqwest::header::HeaderMap, Vec<Alert>) {
    let headers = rv.headers().clone();
    let items = rv
        .into_inner()
        .into_iter()
        .map(|a| {
            let repository = a
                .repository
                .as_ref()
                .and_then(|r| {
                    r.full_name.clone().or_else(|| {
                        let owner = r.owner.as_ref()?.login.as_deref()?;
                        Some(format!("{owner}/{}", r.name.as_deref()?))
                    })
                })
                .unwrap_or_default();
            Alert {
                number: a.number.unwrap_or_default(),
                repository,
                html_url: a.html_url,
                secret_type: a.secret_type,
                state: a.state,
                secret: a.secret,
            }
        })
        .collect();
    (headers, items)
}

#[derive(Default)]
struct Retry {
    rate_answers: u32,
    unnamed: u32,
    transient: u32,
}

enum RetryEnd {
    Stop(Stop),
    GiveUp(String),
}

/// The caller's interruption, shared by the listing, the revocation and the resolving.
struct Signal<'a> {
    future: Option<Interrupt<'a>>,
    fired: bool,
}

impl<'a> Signal<'a> {
    fn none() -> Self {
        Self {
            future: None,
            fired: false,
        }
    }

    fn fired(&mut self) -> bool {
        if !self.fired
            && let Some(future) = self.future.as_mut()
        {
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            if future.as_mut().poll(&mut cx).is_ready() {
                self.fire();
            }
        }
        self.fired
    }

    fn fire(&mut self) {
        self.fired = true;
        self.future = None;
    }

    async fn or_interrupt<T>(&mut self, work: impl Future<Output = T>) -> Option<T> {
        if self.fired() {
            return None;
        }
        let Some(future) = self.future.as_mut() else {
            return Some(work.await);
        };
        tokio::select! {
            biased;
            () = future.as_mut() => {
                self.fire();
                None
            }
            value = work => Some(value),
        }
    }

    async fn sleep(&mut self, wait: Duration) -> Result<(), ()> {
        self.or_interrupt(tokio::time::sleep(wait)).await.ok_or(())
    }
}

/// The journal key of an alert: `OWNER/REPO#NUMBER` (the journal is bound to one API URL).
fn alert_key(repository: &str, number: i64) -> String {
    format!("{repository}#{number}")
}

impl<'a> AlertsRun<'a> {
    /// Skip credentials and alerts an earlier run recorded in `journal`, and record what this
    /// run has accepted and resolved, durably, as it goes.
    pub fn journal(mut self, journal: &'a mut Journal) -> Self {
        self.journal = Some(journal);
        self
    }

    /// Tell `f` about every [`AlertsEvent`].
    pub fn on_event(mut self, f: impl FnMut(&AlertsEvent<'_>) + Send + 'a) -> Self {
        self.observer = Box::new(f);
        self
    }

    /// Stop when `signal` completes: no new request is started; what remains is reported
    /// as not done.
    pub fn interrupt_on(mut self, signal: impl Future<Output = ()> + Send + 'a) -> Self {
        self.interrupt = Some(Box::pin(signal));
        self
    }

    /// List, plan, revoke (unless a dry run) and resolve (unless a dry run or
    /// `resolve(false)`). `Err` only when the listing failed: then nothing was revoked.
    pub async fn run(self) -> Result<AlertsRunReport, AlertsError> {
        let AlertsRun {
            client,
            revoke,
            target,
            options,
            mut journal,
            mut observer,
            interrupt,
        } = self;
        let started_at = SystemTime::now();
        let mut signal = Signal {
            future: interrupt,
            fired: false,
        };
        if let Some(journal) = journal.as_deref_mut() {
            journal
                .bind(revoke.api_base())
                .map_err(|err| AlertsError::Failed {
                    message: err.to_string(),
                })?;
        }
        let mut pacer = Pacer::default();
        let alerts = client
            .list_with(target, &mut pacer, &mut signal, &mut observer)
            .await?;

        // Plan: classify every open alert's secret; the plan dedupes across alerts.
        let done: HashSet<Fingerprint> = journal
            .as_deref()
            .map(|j| j.done().clone())
            .unwrap_or_default();
        let resolved_before: HashSet<String> = journal
            .as_deref()
            .map(|j| j.resolved_alerts().clone())
            .unwrap_or_default();
        let mut plan: Plan = Plan::resuming(options.plan, done.iter());
        let mut report = AlertsReport::default();
        let mut entries = Vec::with_capacity(alerts.len());
        for alert in alerts {
            let entry = plan_alert(alert, &mut plan, &mut report.counts);
            entries.push(entry);
        }

        // Revoke.
        let mut credentials =
            if options.dry_run {
                RevokeReport::planned(&plan, true).with_api_url(revoke.api_base().as_str())
            } else {
                let mut accepted_at: HashMap<usize, SystemTime> = HashMap::new();
                let revoked = {
                    let forward = |event: &Event<'_>| {
                        if let Event::Accepted { index, .. } = event {
                            accepted_at.insert(*index, SystemTime::now());
                        }
                        observer(&AlertsEvent::Revoke(event));
                    };
                    let mut call = revoke.revoke(&plan).on_event(forward);
                    if let Some(journal) = journal.as_deref_mut() {
                        call = call.journal(journal);
                    }
                    if let Some(future) = signal.future.as_mut() {
                        call = call.interrupt_on(future.as_mut());
                    }
                    call.await
                };
                if matches!(revoked.stopped, Some(Stop::Interrupted { .. })) {
                    signal.fire();
                }
                let mut accepted: HashMap<Fingerprint, SystemTime> = HashMap::new();
                for batch in revoked
                    .batches
                    .iter()
                    .filter(|b| b.status == BatchStatus::Accepted)
                {
                    let at = accepted_at.get(&batch.index).copied().unwrap_or(started_at);
                    if let Some(planned) = plan.batch(batch.index) {
                        for fp in planned.fingerprints() {
                            accepted.insert(fp, at);
                        }
                    }
                }
                // Resolve.
                let mut resolving = options.resolve;
                for entry in &mut entries {
                    if entry.item.outcome != AlertOutcome::Pending {
                        continue;
                    }
                    let Some(fp) = entry.fingerprint else {
                        continue;
                    };
                    let accepted_now = accepted.get(&fp).copied();
                    if accepted_now.is_none() && !done.contains(&fp) {
                        entry.item.outcome = AlertOutcome::NotRevoked;
                        entry.item.message = Some(
                            "its credential was not accepted for revocation (see the batches); \
                         the alert is left open"
                                .into(),
                        );
                        observer(&AlertsEvent::Resolved(&entry.item));
                        continue;
                    }
                    let key = alert_key(&entry.item.repository, entry.item.number);
                    if resolved_before.contains(&key) {
                        entry.item.outcome = AlertOutcome::AlreadyResolved;
                        entry.item.message = Some("resolved by an earlier run (journal)".into());
                        observer(&AlertsEvent::Resolved(&entry.item));
                        continue;
                    }
                    if !resolving || report_stopped(&revoked.stopped) {
                        entry.item.message = Some(if options.resolve {
                            "not resolved: the run stopped first".into()
                        } else {
                            "credential revoked; not resolved (--no-resolve)".into()
                        });
                        continue;
                    }
                    let Some((owner, repo)) = entry.path.clone() else {
                        continue;
                    };
                    let comment = options.comment.clone().unwrap_or_else(|| match accepted_now {
                    Some(at) => format!(
                        "Revoked with gh-revoke: submitted to GitHub's credential revocation \
                         API, accepted at {}",
                        humantime::format_rfc3339_seconds(at)
                    ),
                    None => "Revoked with gh-revoke: submitted to GitHub's credential \
                             revocation API, accepted in an earlier run"
                        .to_owned(),
                });
                    let body = SecretScanningUpdateAlertBody::resolved(
                        SecretScanningAlertResolutionInner::Revoked,
                        Some(comment),
                    );
                    observer(&AlertsEvent::Resolving {
                        repository: &entry.item.repository,
                        number: entry.item.number,
                    });
                    match client
                        .resolve_one(
                            &owner,
                            &repo,
                            entry.item.number,
                            &body,
                            &mut pacer,
                            &mut signal,
                            &mut observer,
                        )
                        .await
                    {
                        Ok((outcome, message)) => {
                            entry.item.outcome = outcome;
                            entry.item.message = message;
                            if matches!(
                                outcome,
                                AlertOutcome::Resolved | AlertOutcome::AlreadyResolved
                            ) && let Some(journal) = journal.as_deref_mut()
                                && let Err(err) = journal.record_resolved_alert(&key)
                            {
                                report.stopped = Some(Stop::Halted {
                                    message: format!("could not write the journal: {err}"),
                                });
                                resolving = false;
                            }
                            observer(&AlertsEvent::Resolved(&entry.item));
                        }
                        Err(stop) => {
                            entry.item.message = Some("not resolved: the run stopped first".into());
                            report.stopped = Some(stop);
                            resolving = false;
                        }
                    }
                }
                revoked
            };
        if options.dry_run {
            for entry in &mut entries {
                if entry.item.outcome == AlertOutcome::Pending {
                    entry.item.message = Some("dry run: nothing sent".into());
                }
            }
        }
        credentials.started_at = humantime::format_rfc3339_seconds(started_at).to_string();
        report.items = entries.into_iter().map(|e| e.item).collect();
        report.tally();
        Ok(AlertsRunReport {
            credentials,
            alerts: report,
        })
    }
}

/// Whether the revocation stopped in a way that must stop resolving too (an interruption).
fn report_stopped(stop: &Option<Stop>) -> bool {
    matches!(stop, Some(Stop::Interrupted { .. }))
}

/// Classify one alert and feed what can be revoked to the plan.
fn plan_alert(alert: Alert, plan: &mut Plan, counts: &mut AlertCounts) -> Entry {
    counts.listed += 1;
    let path = alert
        .repository
        .split_once('/')
        .filter(|(o, r)| valid_name(o) && valid_name(r))
        .map(|(o, r)| (o.to_owned(), r.to_owned()));
    let mut item = AlertItem {
        number: alert.number,
        repository: scrub(&alert.repository),
        html_url: alert.html_url.as_deref().map(scrub),
        secret_type: alert.secret_type.as_deref().map(scrub),
        credential: String::new(),
        outcome: AlertOutcome::Pending,
        message: None,
    };
    let entry = |item: AlertItem, fingerprint| Entry {
        item,
        path: path.clone(),
        fingerprint,
    };
    let Some(secret) = alert.secret.as_ref() else {
        item.outcome = AlertOutcome::Unsupported;
        item.message = Some("GitHub did not return the alert's secret".into());
        return entry(item, None);
    };
    let classified = classify(secret.expose().as_bytes());
    item.credential = classified.redacted();
    if alert.state.as_deref() == Some("resolved") {
        item.outcome = AlertOutcome::AlreadyResolved;
        item.message = Some("listed as resolved".into());
        return entry(item, None);
    }
    if path.is_none() || alert.number <= 0 {
        item.outcome = AlertOutcome::Unsupported;
        item.message = Some("GitHub did not name the alert's repository and number".into());
        return entry(item, None);
    }
    match &classified {
        Classified::Valid(credential) => {
            counts.revocable += 1;
            let fingerprint = credential.fingerprint();
            plan.add(Found {
                location: Location {
                    source: Arc::from(alert_key(&alert.repository, alert.number)),
                    line: 0,
                    column: 0,
                    offset: 0,
                },
                item: classified.clone(),
            });
            entry(item, Some(fingerprint))
        }
        Classified::Unsupported { reason, .. } => {
            item.outcome = AlertOutcome::Unsupported;
            item.message = Some(reason.to_string());
            entry(item, None)
        }
        Classified::Invalid { reason, .. } => {
            item.outcome = AlertOutcome::Unsupported;
            item.message = Some(format!("not a well-formed GitHub credential: {reason}"));
            entry(item, None)
        }
    }
}
