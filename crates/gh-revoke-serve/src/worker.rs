//! [`Worker`]: takes queued alerts, fetches each one's secret, and runs the `gh-revoke`
//! library's alerts flow on them ([`gh_revoke::AlertsClient::run_on`]): the same
//! classification, installation-token rule, verification and resolution as `gh-revoke
//! alerts`. Driven by [`Worker::run`] in the server, or cycle by cycle with
//! [`Worker::run_once`] (no HTTP needed: a bot can feed the [`Store`] itself).
//!
//! Two stages run side by side: **revoking** (fetch, revoke, verify; the alert then waits as
//! `revoked`) and **resolving** (fetch again, resolve one `PATCH` a second with the credential
//! known revoked: [`gh_revoke::AlertsRun::already_revoked`]), so a new alert is revoked within
//! seconds even while a burst's alerts are being resolved.
//!
//! - **Coalescing.** Every alert due when a cycle starts goes into one run, so their tokens
//!   share one `POST /credentials/revoke` (deduped, up to 1000 a request). Before a cycle the
//!   worker waits a short gathering time, and while the revocation client's budget says wait
//!   (a spent window, or the least interval between requests), deliveries keep queueing and
//!   join the next cycle.
//! - **Pacing.** One long-lived anonymous [`RevokeClient`] whose [`gh_revoke::Pacer`] remembers
//!   the rate-limit window between cycles: never an over-limit request.
//! - **Never a payload URL.** Alerts are fetched by repository and number on the configured
//!   API base ([`AlertsClient::get_alert`]).
//! - **Retries.** A failed step (fetching, revoking, resolving) is retried with exponential
//!   backoff; after [`WorkerSettings::max_attempts`] the alert is recorded `failed` with the
//!   reason (logged, counted), never dropped silently.
//! - **Interruption.** Cancelling stops the run; what it had not finished stays queued (a call
//!   whose answer did not arrive is never recorded as done).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gh_revoke::{
    ALERT_SECRET_TYPES, Alert, AlertOutcome, AlertTarget, AlertsClient, AlertsError, AlertsEvent,
    AlertsOptions, Classified, Event, Fingerprint, InstallationClient, RevokeClient, VerifyClient,
    classify,
};
use secrecy::SecretString;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::app::{AccountKind, AppClient, AppError};
use crate::metrics;
use crate::source::{AlertsSource, AppAlerts};
use crate::store::{QueuedAlert, Store, StoreError, Update, now_ms};

/// How the worker gathers, retries and gives up.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WorkerSettings {
    /// How long to let deliveries gather before a cycle (default 200 ms).
    pub gather: Duration,
    /// Attempts per alert before it is recorded failed (default 8).
    pub max_attempts: u32,
    /// The first retry's delay; doubles each time (default 5 s).
    pub retry_base: Duration,
    /// The longest retry delay (default 10 min).
    pub retry_max: Duration,
    /// The most alerts in one cycle (default 1000, a request's worth of tokens).
    pub batch: usize,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            gather: Duration::from_millis(200),
            max_attempts: 8,
            retry_base: Duration::from_secs(5),
            retry_max: Duration::from_secs(600),
            batch: 1000,
        }
    }
}

impl WorkerSettings {
    /// Set [`WorkerSettings::gather`].
    pub fn gather(mut self, gather: Duration) -> Self {
        self.gather = gather;
        self
    }

    /// Set [`WorkerSettings::max_attempts`] (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Set [`WorkerSettings::retry_base`] and [`WorkerSettings::retry_max`].
    pub fn retry_delays(mut self, base: Duration, max: Duration) -> Self {
        self.retry_base = base;
        self.retry_max = max.max(base);
        self
    }

    fn delay(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(20));
        self.retry_base.saturating_mul(factor).min(self.retry_max)
    }
}

/// What one cycle did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cycle {
    /// Alerts taken from the queue.
    pub taken: usize,
    /// Recorded done.
    pub done: usize,
    /// Revoked, waiting to be resolved.
    pub revoked: usize,
    /// To be tried again.
    pub retried: usize,
    /// Recorded failed (retry bound reached, or a permanent error).
    pub failed: usize,
    /// Left queued because the worker was cancelled.
    pub abandoned: usize,
    /// `POST /credentials/revoke` requests sent.
    pub revoke_requests: u64,
}

impl Cycle {
    /// Add `other`'s counts to these.
    pub fn add(&mut self, other: &Cycle) {
        self.taken += other.taken;
        self.done += other.done;
        self.revoked += other.revoked;
        self.retried += other.retried;
        self.failed += other.failed;
        self.abandoned += other.abandoned;
        self.revoke_requests += other.revoke_requests;
    }
}

/// The worker (see the module docs).
#[derive(Debug)]
pub struct Worker {
    store: Arc<Store>,
    alerts: AlertsSource,
    revoke: RevokeClient,
    installation: Option<InstallationClient>,
    verify: Option<VerifyClient>,
    options: AlertsOptions,
    resolve: bool,
    settings: WorkerSettings,
    notify: Arc<Notify>,
    resolve_notify: Notify,
    running: Arc<AtomicBool>,
}

/// The most revoked alerts one resolving cycle takes (a `PATCH` a second: under two minutes).
const RESOLVE_BATCH: usize = 100;

/// The two stages of an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Fetch, revoke (and verify): tokens waiting together share one request.
    Revoke,
    /// Fetch again and resolve, the credential known revoked.
    Resolve,
}

impl Worker {
    /// A worker on `store` that reads and resolves alerts with `alerts` and revokes with
    /// `revoke` (the anonymous client; keep one for the process, its pacer remembers the
    /// window). `resolve` is whether to resolve alerts (`--no-resolve` is `false`).
    pub fn new(
        store: Arc<Store>,
        alerts: AlertsClient,
        revoke: RevokeClient,
        resolve: bool,
        comment: Option<String>,
    ) -> Self {
        Self::with_source(
            store,
            AlertsSource::Token(Arc::new(alerts)),
            revoke,
            resolve,
            comment,
        )
    }

    /// A worker in app mode: each alert is fetched, resolved (and swept) with the installation
    /// token of its delivery's `installation.id`, from `app`'s shared token cache (a 401 with a
    /// cached token renews it and retries once). Alerts calls time out after `timeout`; the
    /// revocation stays anonymous (`revoke`).
    pub fn for_app(
        store: Arc<Store>,
        app: AppClient,
        timeout: Duration,
        revoke: RevokeClient,
        resolve: bool,
        comment: Option<String>,
    ) -> Self {
        Self::with_source(
            store,
            AlertsSource::App(AppAlerts::new(app, timeout)),
            revoke,
            resolve,
            comment,
        )
    }

    fn with_source(
        store: Arc<Store>,
        alerts: AlertsSource,
        revoke: RevokeClient,
        resolve: bool,
        comment: Option<String>,
    ) -> Self {
        Self {
            store,
            alerts,
            revoke,
            installation: None,
            verify: None,
            options: AlertsOptions::default().resolve(resolve).comment(comment),
            resolve,
            settings: WorkerSettings::default(),
            notify: Arc::new(Notify::new()),
            resolve_notify: Notify::new(),
            running: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Also revoke installation tokens, each by itself (as `alerts --revoke-installation-tokens`).
    pub fn revoke_installation_tokens(mut self, client: InstallationClient) -> Self {
        self.installation = Some(client);
        self
    }

    /// Verify each revoked credential before resolving (as `alerts --verify`).
    pub fn verify(mut self, client: VerifyClient) -> Self {
        self.verify = Some(client);
        self
    }

    /// Gathering, retry and batch settings.
    pub fn settings(mut self, settings: WorkerSettings) -> Self {
        self.settings = settings;
        self
    }

    /// What wakes the worker when a delivery is queued (give it to the HTTP layer).
    pub fn notifier(&self) -> Arc<Notify> {
        Arc::clone(&self.notify)
    }

    /// True while [`Worker::run`] runs (for `GET /healthz`).
    pub fn running(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.running)
    }

    /// The state this worker serves.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Queue the open alerts of GitHub's token types at `target` that the state does not know
    /// yet (a sweep: deliveries missed while the receiver was down). Returns how many were
    /// queued.
    ///
    /// In app mode there is no one token for a target: use [`Worker::sweep_installations`].
    pub async fn sweep(&self, target: &AlertTarget) -> Result<usize, SweepError> {
        let AlertsSource::Token(alerts) = &self.alerts else {
            return Err(SweepError::NeedsToken);
        };
        self.sweep_with(alerts, target, None).await
    }

    async fn sweep_with(
        &self,
        alerts: &AlertsClient,
        target: &AlertTarget,
        installation: Option<u64>,
    ) -> Result<usize, SweepError> {
        let listed = alerts.list(target).await.map_err(SweepError::Alerts)?;
        let installation = installation.and_then(|id| i64::try_from(id).ok());
        let now = now_ms();
        let mut queued = 0;
        for alert in listed {
            if alert.state.as_deref().is_some_and(|s| s != "open") {
                continue;
            }
            if self
                .store
                .queue_swept_in(&alert.repository, alert.number, installation, now)
                .map_err(SweepError::Store)?
            {
                queued += 1;
            }
        }
        if queued > 0 {
            self.notify.notify_one();
        }
        Ok(queued)
    }

    /// App mode: list the app's installations (every page) and queue, with its installation
    /// id, each open alert of GitHub's token types the state does not know yet: an
    /// organization's with the organization listing, a user account's repository by repository
    /// (the installation's repositories), each with that installation's token. An installation
    /// that fails is logged and skipped; the others are still swept. Returns how many were
    /// queued.
    pub async fn sweep_installations(&self) -> Result<usize, SweepError> {
        let AlertsSource::App(app) = &self.alerts else {
            return Err(SweepError::NeedsApp);
        };
        let installations = app
            .app()
            .list_installations()
            .await
            .map_err(SweepError::App)?;
        let mut queued = 0;
        for installation in installations {
            match self.sweep_installation(app, &installation).await {
                Ok(n) => {
                    tracing::info!(
                        installation = installation.id,
                        account = %installation.account,
                        queued = n,
                        "installation swept"
                    );
                    queued += n;
                }
                Err(err @ SweepError::Store(_)) => return Err(err),
                Err(err) => tracing::warn!(
                    installation = installation.id,
                    account = %installation.account,
                    error = %err,
                    "sweeping an installation failed"
                ),
            }
        }
        Ok(queued)
    }

    async fn sweep_installation(
        &self,
        app: &AppAlerts,
        installation: &crate::app::AppInstallation,
    ) -> Result<usize, SweepError> {
        let targets = match &installation.kind {
            AccountKind::Organization => {
                vec![AlertTarget::org(&installation.account).map_err(SweepError::Alerts)?]
            }
            AccountKind::User => app
                .app()
                .list_installation_repositories(installation.id)
                .await
                .map_err(SweepError::App)?
                .iter()
                .filter_map(|name| AlertTarget::repo(name).ok())
                .collect(),
            AccountKind::Other(kind) => {
                tracing::info!(
                    installation = installation.id,
                    kind = %kind,
                    "installation on neither an organization nor a user: not swept"
                );
                Vec::new()
            }
        };
        let mut queued = 0;
        for target in &targets {
            let (client, token) = app.client(installation.id).await.map_err(SweepError::App)?;
            match self
                .sweep_with(&client, target, Some(installation.id))
                .await
            {
                Err(SweepError::Alerts(AlertsError::Unauthorized { .. })) => {
                    // A 401 with the cached token: renew it, once.
                    app.refused(installation.id, &token).await;
                    let (client, _) = app.client(installation.id).await.map_err(SweepError::App)?;
                    queued += self
                        .sweep_with(&client, target, Some(installation.id))
                        .await?;
                }
                other => queued += other?,
            }
        }
        Ok(queued)
    }

    /// Work until `cancel` fires: wait for due alerts (and for the revocation budget), then
    /// run a cycle. `Err` only when the state cannot be read or written.
    pub async fn run(&self, cancel: CancellationToken) -> Result<(), StoreError> {
        self.running.store(true, Ordering::SeqCst);
        // Revoking and resolving run side by side: a delivery is revoked within seconds even
        // while earlier alerts are being resolved one `PATCH` a second.
        let (revoking, resolving) =
            tokio::join!(self.revoke_loop(&cancel), self.resolve_loop(&cancel));
        self.running.store(false, Ordering::SeqCst);
        if revoking.is_err() || resolving.is_err() {
            cancel.cancel();
        }
        revoking.and(resolving)
    }

    async fn resolve_loop(&self, cancel: &CancellationToken) -> Result<(), StoreError> {
        if !self.resolve {
            return Ok(());
        }
        loop {
            if cancel.is_cancelled() {
                return Ok(());
            }
            let now = now_ms();
            match self.store.next_resolve_ms()? {
                None => {
                    tokio::select! {
                        () = self.resolve_notify.notified() => {}
                        () = cancel.cancelled() => return Ok(()),
                    }
                    continue;
                }
                Some(at) if at > now => {
                    tokio::select! {
                        () = tokio::time::sleep(Duration::from_millis((at - now).unsigned_abs())) => {}
                        () = self.resolve_notify.notified() => {}
                        () = cancel.cancelled() => return Ok(()),
                    }
                    continue;
                }
                Some(_) => {}
            }
            let cycle = self.cycle(Stage::Resolve, cancel).await?;
            tracing::debug!(?cycle, "resolve cycle");
        }
    }

    async fn revoke_loop(&self, cancel: &CancellationToken) -> Result<(), StoreError> {
        loop {
            if cancel.is_cancelled() {
                return Ok(());
            }
            metrics::queue_depth(self.store.queued()?);
            let now = now_ms();
            let wait = match self.store.next_due_ms()? {
                None => None,
                Some(at) if at > now => Some(Duration::from_millis((at - now).unsigned_abs())),
                Some(_) => Some(Duration::ZERO),
            };
            match wait {
                None => {
                    tokio::select! {
                        () = self.notify.notified() => {}
                        () = cancel.cancelled() => return Ok(()),
                    }
                    continue;
                }
                Some(wait) if !wait.is_zero() => {
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = self.notify.notified() => {}
                        () = cancel.cancelled() => return Ok(()),
                    }
                    continue;
                }
                Some(_) => {}
            }
            // The revocation budget: while it says wait, deliveries keep queueing.
            if let Some(wait) = self.revoke.ready_in() {
                if wait > Duration::from_secs(5) {
                    tracing::info!(
                        wait_secs = wait.as_secs(),
                        "waiting for GitHub's rate limit before revoking"
                    );
                }
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = cancel.cancelled() => return Ok(()),
                }
                continue;
            }
            tokio::select! {
                () = tokio::time::sleep(self.settings.gather) => {}
                () = cancel.cancelled() => return Ok(()),
            }
            let cycle = self.cycle(Stage::Revoke, cancel).await?;
            tracing::debug!(?cycle, "revoke cycle");
        }
    }

    /// One cycle of each stage, as [`Worker::run`] runs them side by side: revoke the alerts
    /// due now ([`Worker::revoke_once`]), then resolve those revoked ([`Worker::resolve_once`]).
    pub async fn run_once(&self, cancel: &CancellationToken) -> Result<Cycle, StoreError> {
        let mut cycle = self.revoke_once(cancel).await?;
        if self.resolve {
            let resolved = self.resolve_once(cancel).await?;
            cycle.add(&resolved);
        }
        Ok(cycle)
    }

    /// The revoking stage: take the alerts due now (up to the batch size), fetch each, and run
    /// the alerts flow on the open ones of GitHub's token types without resolving; an alert
    /// whose credential was revoked waits to be resolved (status `revoked`).
    pub async fn revoke_once(&self, cancel: &CancellationToken) -> Result<Cycle, StoreError> {
        self.cycle(Stage::Revoke, cancel).await
    }

    /// The resolving stage: fetch each revoked alert again (its secret, and whether it is
    /// still open) and run the alerts flow on it with its credential known revoked: nothing
    /// is sent to `POST /credentials/revoke`, the alert is resolved.
    pub async fn resolve_once(&self, cancel: &CancellationToken) -> Result<Cycle, StoreError> {
        self.cycle(Stage::Resolve, cancel).await
    }

    async fn cycle(&self, stage: Stage, cancel: &CancellationToken) -> Result<Cycle, StoreError> {
        let due = match stage {
            Stage::Revoke => self.store.due(now_ms(), self.settings.batch)?,
            Stage::Resolve => self.store.due_to_resolve(now_ms(), RESOLVE_BATCH)?,
        };
        let app = match &self.alerts {
            AlertsSource::Token(alerts) => {
                return self
                    .cycle_with(stage, cancel, Arc::clone(alerts), None, due)
                    .await;
            }
            AlertsSource::App(app) => app,
        };
        // App mode: each installation's alerts with that installation's token.
        let mut groups: BTreeMap<Option<u64>, Vec<QueuedAlert>> = BTreeMap::new();
        for queued in due {
            let installation = queued.installation_id.and_then(|id| u64::try_from(id).ok());
            groups.entry(installation).or_default().push(queued);
        }
        let mut total = Cycle::default();
        for (installation, group) in groups {
            if cancel.is_cancelled() {
                total.abandoned += group.len();
                continue;
            }
            let Some(installation) = installation else {
                // Queued before app mode (by a token receiver): no installation to read it as.
                let mut updates = Vec::new();
                for queued in &group {
                    self.fail(
                        &mut updates,
                        queued,
                        "no installation.id: a GitHub App cannot read this alert",
                        None,
                    )?;
                }
                self.store.apply(&updates)?;
                total.taken += group.len();
                total.failed += group.len();
                continue;
            };
            match app.client(installation).await {
                Ok((client, token)) => {
                    let cycle = self
                        .cycle_with(
                            stage,
                            cancel,
                            client,
                            Some((app, installation, token)),
                            group,
                        )
                        .await?;
                    total.add(&cycle);
                }
                Err(err) => {
                    let reason = format!("installation {installation}'s token: {err}");
                    let mut updates = Vec::new();
                    total.taken += group.len();
                    for queued in &group {
                        if self.retry_or_fail(&mut updates, queued, &reason, None)? {
                            total.retried += 1;
                        } else {
                            total.failed += 1;
                        }
                    }
                    self.store.apply(&updates)?;
                }
            }
        }
        Ok(total)
    }

    /// A cycle over `due`, read and resolved with `alerts`; in app mode `app` is the
    /// installation and the token `alerts` holds, renewed once on a 401.
    async fn cycle_with(
        &self,
        stage: Stage,
        cancel: &CancellationToken,
        mut alerts: Arc<AlertsClient>,
        mut app: Option<(&AppAlerts, u64, SecretString)>,
        due: Vec<QueuedAlert>,
    ) -> Result<Cycle, StoreError> {
        let mut cycle = Cycle {
            taken: due.len(),
            ..Cycle::default()
        };
        let mut updates: Vec<Update> = Vec::new();
        let mut fetched: Vec<(QueuedAlert, Option<String>)> = Vec::new();
        let mut revoked_before: Vec<Fingerprint> = Vec::new();
        let mut to_run: Vec<Alert> = Vec::new();
        for (i, queued) in due.iter().enumerate() {
            let mut got = tokio::select! {
                got = alerts.get_alert(&queued.repository, queued.number) => got,
                () = cancel.cancelled() => {
                    cycle.abandoned += due.len() - i;
                    break;
                }
            };
            // App mode: a 401 with the cached installation token renews it, once. GitHub: "Using
            // an expired token produces a status code of `401 - Unauthorized`" (docs@02d420b3:
            // data/reusables/apps/generate-installation-access-token.md; the same in
            // ../shared/reference/receiver-facts.md, section D). The vendored description does
            // not list 401 for `secret-scanning/get-alert`, so the guide is the source here.
            if matches!(got, Err(AlertsError::Unauthorized { .. }))
                && let Some((source, installation, token)) = app.take()
            {
                tracing::info!(
                    installation,
                    "installation token refused (401): renewing it once"
                );
                source.refused(installation, &token).await;
                match source.client(installation).await {
                    Ok((renewed, _)) => {
                        alerts = renewed;
                        got = tokio::select! {
                            got = alerts.get_alert(&queued.repository, queued.number) => got,
                            () = cancel.cancelled() => {
                                cycle.abandoned += due.len() - i;
                                break;
                            }
                        };
                    }
                    Err(err) => {
                        tracing::warn!(installation, error = %err, "renewing the installation token failed");
                    }
                }
            }
            match got {
                Ok(alert) => {
                    let open = alert.state.as_deref() == Some("open");
                    let token_type = alert
                        .secret_type
                        .as_deref()
                        .is_some_and(|t| ALERT_SECRET_TYPES.split(',').any(|k| k == t));
                    if !open {
                        self.done(
                            &mut updates,
                            queued,
                            "already_resolved",
                            Some("the alert is no longer open"),
                            None,
                        )?;
                        cycle.done += 1;
                    } else if !token_type {
                        self.done(
                            &mut updates,
                            queued,
                            "unsupported",
                            Some("not one of GitHub's token types: nothing revoked"),
                            None,
                        )?;
                        cycle.done += 1;
                    } else {
                        let fingerprint = alert.secret.as_ref().and_then(|s| {
                            match classify(s.expose().as_bytes()) {
                                Classified::Valid(c) => Some(c.fingerprint()),
                                Classified::Unsupported { credential, .. } => {
                                    Some(credential.fingerprint())
                                }
                                Classified::Invalid { .. } => None,
                            }
                        });
                        if stage == Stage::Resolve
                            && let Some(fp) = fingerprint
                        {
                            revoked_before.push(fp);
                        }
                        fetched.push((queued.clone(), fingerprint.map(|fp| fp.to_string())));
                        to_run.push(alert);
                    }
                }
                Err(err @ (AlertsError::NotFound { .. } | AlertsError::InvalidTarget(_))) => {
                    self.fail(
                        &mut updates,
                        queued,
                        &format!("fetching the alert: {err}"),
                        None,
                    )?;
                    cycle.failed += 1;
                }
                Err(AlertsError::Stopped(_)) if cancel.is_cancelled() => {
                    cycle.abandoned += due.len() - i;
                    break;
                }
                Err(err) => {
                    if self.retry_or_fail(
                        &mut updates,
                        queued,
                        &format!("fetching the alert: {err}"),
                        None,
                    )? {
                        cycle.retried += 1;
                    } else {
                        cycle.failed += 1;
                    }
                }
            }
        }
        if to_run.is_empty() {
            self.store.apply(&updates)?;
            return Ok(cycle);
        }

        // The library's flow, on the alerts just fetched.
        let accepted_at: Arc<Mutex<Option<SystemTime>>> = Arc::default();
        let seen = Arc::clone(&accepted_at);
        let options = match stage {
            Stage::Revoke => self.options.clone().resolve(false),
            Stage::Resolve => self.options.clone(),
        };
        let mut run = alerts
            .run_on(&self.revoke, to_run, options)
            .already_revoked(revoked_before)
            .interrupt_on(cancel.clone().cancelled_owned())
            .on_event(move |event| {
                if let AlertsEvent::Revoke(Event::Accepted { .. }) = event
                    && let Ok(mut at) = seen.lock()
                {
                    at.get_or_insert_with(SystemTime::now);
                }
            });
        if let Some(client) = self.installation.as_ref() {
            run = run.revoke_installation_tokens(client);
        }
        if stage == Stage::Revoke
            && let Some(client) = self.verify.as_ref()
        {
            run = run.verify(client);
        }
        let report = match run.run().await {
            Ok(report) => report,
            Err(err) => {
                // Only a listing fails a run; given alerts are not listed. Retry them all.
                for (queued, fingerprint) in &fetched {
                    if self.retry_or_fail(
                        &mut updates,
                        queued,
                        &err.to_string(),
                        fingerprint.as_deref(),
                    )? {
                        cycle.retried += 1;
                    } else {
                        cycle.failed += 1;
                    }
                }
                self.store.apply(&updates)?;
                return Ok(cycle);
            }
        };
        cycle.revoke_requests = report.credentials.requests;
        ::metrics::counter!(metrics::REVOKE_REQUESTS).increment(report.credentials.requests);
        if let Some(remaining) = self.revoke.pacer().last_window().and_then(|w| w.remaining) {
            ::metrics::gauge!(metrics::RATE_LIMIT_REMAINING).set(remaining as f64);
        }
        let accepted_at = accepted_at.lock().ok().and_then(|at| *at);
        let stopped = report.credentials.stopped.is_some() || report.alerts.stopped.is_some();
        let mut wake_resolver = false;
        let items: HashMap<(&str, i64), _> = report
            .alerts
            .items
            .iter()
            .map(|item| ((item.repository.as_str(), item.number), item))
            .collect();
        for (queued, fingerprint) in &fetched {
            let fingerprint = fingerprint.as_deref();
            let Some(item) = items.get(&(queued.repository.as_str(), queued.number)) else {
                if self.retry_or_fail(
                    &mut updates,
                    queued,
                    "the run did not report this alert",
                    fingerprint,
                )? {
                    cycle.retried += 1;
                } else {
                    cycle.failed += 1;
                }
                continue;
            };
            let revoked = matches!(
                item.outcome,
                AlertOutcome::Resolved | AlertOutcome::NeedsReview | AlertOutcome::StillLive
            ) || (item.outcome == AlertOutcome::Pending && !stopped);
            if revoked
                && stage == Stage::Revoke
                && !item.credential.starts_with("ghs_")
                && let Some(at) = accepted_at
            {
                let since = at
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs_f64())
                    .unwrap_or(0.0)
                    - queued.received_ms as f64 / 1000.0;
                ::metrics::histogram!(metrics::DELIVERY_TO_REVOKE).record(since.max(0.0));
            }
            let name = outcome_name(item.outcome);
            // At its end: an outcome that no later step changes, or revoked with resolving off.
            let finished =
                matches!(
                    item.outcome,
                    AlertOutcome::Resolved
                        | AlertOutcome::AlreadyResolved
                        | AlertOutcome::NeedsReview
                        | AlertOutcome::Unsupported
                        | AlertOutcome::StillLive
                ) || (item.outcome == AlertOutcome::Pending && !stopped && !self.resolve);
            match item.outcome {
                _ if finished => {
                    self.done(
                        &mut updates,
                        queued,
                        &name,
                        item.message.as_deref(),
                        fingerprint,
                    )?;
                    cycle.done += 1;
                }
                AlertOutcome::Pending if !stopped && stage == Stage::Revoke && self.resolve => {
                    // Revoked: the resolving stage takes it from here.
                    updates.push(Update::Revoked {
                        id: queued.id,
                        fingerprint: fingerprint.map(str::to_owned),
                    });
                    cycle.revoked += 1;
                    wake_resolver = true;
                }
                _ if cancel.is_cancelled() => {
                    // Its answer did not arrive: it stays queued, as it was.
                    cycle.abandoned += 1;
                }
                _ => {
                    let reason = format!(
                        "{name}: {}",
                        item.message
                            .as_deref()
                            .unwrap_or("the run did not finish it")
                    );
                    if self.retry_or_fail(&mut updates, queued, &reason, fingerprint)? {
                        cycle.retried += 1;
                    } else {
                        cycle.failed += 1;
                    }
                }
            }
        }
        // One transaction for the whole cycle's outcomes.
        self.store.apply(&updates)?;
        if wake_resolver {
            self.resolve_notify.notify_one();
        }
        metrics::queue_depth(self.store.queued()?);
        Ok(cycle)
    }

    fn done(
        &self,
        updates: &mut Vec<Update>,
        queued: &QueuedAlert,
        outcome: &str,
        reason: Option<&str>,
        fingerprint: Option<&str>,
    ) -> Result<(), StoreError> {
        updates.push(Update::done(queued.id, outcome, reason, fingerprint));
        ::metrics::counter!(metrics::ALERTS, "outcome" => outcome.to_owned()).increment(1);
        tracing::info!(
            repository = %queued.repository,
            number = queued.number,
            outcome,
            "alert done"
        );
        Ok(())
    }

    fn fail(
        &self,
        updates: &mut Vec<Update>,
        queued: &QueuedAlert,
        reason: &str,
        fingerprint: Option<&str>,
    ) -> Result<(), StoreError> {
        let reason = gh_revoke::scrub(reason);
        updates.push(Update::failed(queued.id, &reason, fingerprint));
        ::metrics::counter!(metrics::ALERTS, "outcome" => "failed_permanently").increment(1);
        tracing::warn!(
            repository = %queued.repository,
            number = queued.number,
            reason = %reason,
            "alert failed"
        );
        Ok(())
    }

    /// Retry later (true), or record failed when the bound is reached (false).
    fn retry_or_fail(
        &self,
        updates: &mut Vec<Update>,
        queued: &QueuedAlert,
        reason: &str,
        fingerprint: Option<&str>,
    ) -> Result<bool, StoreError> {
        let attempts = queued.attempts.saturating_add(1);
        if attempts >= self.settings.max_attempts {
            self.fail(
                updates,
                queued,
                &format!("gave up after {attempts} attempts: {reason}"),
                fingerprint,
            )?;
            return Ok(false);
        }
        let delay = self.settings.delay(attempts);
        let next = now_ms().saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
        updates.push(Update::retry(queued.id, reason, fingerprint, next));
        ::metrics::counter!(metrics::RETRIES).increment(1);
        tracing::warn!(
            repository = %queued.repository,
            number = queued.number,
            attempts,
            retry_in_secs = delay.as_secs_f64(),
            reason = %gh_revoke::scrub(reason),
            "alert attempt failed; retrying"
        );
        Ok(true)
    }
}

/// Why a sweep failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// Listing the alerts failed.
    #[error("listing the alerts: {0}")]
    Alerts(AlertsError),
    /// The state could not be written.
    #[error("{0}")]
    Store(StoreError),
    /// As a GitHub App: listing the installations, or an installation's token or repositories.
    #[error("as the GitHub App: {0}")]
    App(AppError),
    /// A target sweep ([`Worker::sweep`]) in app mode: there is no one token for a target.
    #[error("sweeping a target needs a token, not a GitHub App (sweep the installations)")]
    NeedsToken,
    /// An installation sweep ([`Worker::sweep_installations`]) without a GitHub App.
    #[error("sweeping the installations needs a GitHub App (--app-id)")]
    NeedsApp,
}

/// The outcome's name in the `alerts` report (`resolved`, `already_resolved`, ...).
fn outcome_name(outcome: AlertOutcome) -> String {
    serde_json::to_value(outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}
