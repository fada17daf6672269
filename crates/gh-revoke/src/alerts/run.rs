//! [`AlertsRun`]: the whole flow, list → plan → revoke (→ installation tokens → verify) →
//! resolve, with its journal, observer and interruption.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use gh_revoke_api::types::{SecretScanningAlertResolutionInner, SecretScanningUpdateAlertBody};

use super::call::Calls;
use super::client::AlertsClient;
use super::error::AlertsError;
use super::event::{AlertsEvent, Observer};
use super::list::Alert;
use super::options::AlertsOptions;
use super::own::{
    OWN_COMMENT, OWN_NOT_REVOKED, append_installation, append_revoke, reopen, revoke_own,
};
use super::planning::{Entry, Own, alert_key, alert_location, plan_alert};
use super::report::{AlertOutcome, AlertsReport, AlertsRunReport};
use super::reverify;
use super::target::AlertTarget;
use crate::credential::Fingerprint;
use crate::http::interrupt::{Interrupt, Signal};
use crate::input::Location;
use crate::kill::{
    InstallationClient, InstallationReport, InstallationStatus, KillList, Liveness, ToVerify,
    VerifyClient, VerifyReport,
};
use crate::plan::Plan;
use crate::revoke::{BatchStatus, Event, Journal, RevokeClient, RevokeReport, Stop};

/// One alerts run: [`AlertsClient::run`], optionally `.journal(..)`, `.on_event(..)`,
/// `.interrupt_on(..)`, then [`AlertsRun::run`].
#[must_use = "an alerts run does nothing until it is run"]
pub struct AlertsRun<'a> {
    client: &'a AlertsClient,
    revoke: &'a RevokeClient,
    source: Source<'a>,
    options: AlertsOptions,
    journal: Option<&'a mut Journal>,
    observer: Observer<'a>,
    interrupt: Option<Signal<'a>>,
    installation: Option<&'a InstallationClient>,
    verify: Option<&'a VerifyClient>,
    revoked_before: HashSet<Fingerprint>,
}

impl std::fmt::Debug for AlertsRun<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlertsRun")
            .field("source", &self.source)
            .field("options", &self.options)
            .field("installation_tokens", &self.installation.is_some())
            .field("verify", &self.verify.is_some())
            .finish_non_exhaustive()
    }
}

impl AlertsClient {
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
            source: Source::Target(target),
            options,
            journal: None,
            observer: Box::new(|_: &AlertsEvent<'_>| {}),
            interrupt: None,
            installation: None,
            verify: None,
            revoked_before: HashSet::new(),
        }
    }
}

/// Where a run's alerts come from.
enum Source<'a> {
    /// Listed from GitHub.
    Target(&'a AlertTarget),
    /// Given by the caller (e.g. fetched one by one for webhook deliveries).
    Given(Vec<Alert>),
}

impl std::fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Target(target) => target.fmt(f),
            Source::Given(alerts) => write!(f, "{} given alerts", alerts.len()),
        }
    }
}

impl AlertsClient {
    /// The same flow on alerts the caller already has (from [`AlertsClient::get_alert`], say:
    /// a webhook receiver fetches each delivered alert), instead of listing a target: plan,
    /// revoke with `revoke`, verify and resolve exactly as [`AlertsClient::run`] does. Alerts
    /// not open are reported already resolved; secrets that are not GitHub tokens, unsupported.
    pub fn run_on<'a>(
        &'a self,
        revoke: &'a RevokeClient,
        alerts: Vec<Alert>,
        options: AlertsOptions,
    ) -> AlertsRun<'a> {
        AlertsRun {
            client: self,
            revoke,
            source: Source::Given(alerts),
            options,
            journal: None,
            observer: Box::new(|_: &AlertsEvent<'_>| {}),
            interrupt: None,
            installation: None,
            verify: None,
            revoked_before: HashSet::new(),
        }
    }
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

    /// Also revoke the installation tokens (`ghs_`) of open alerts, each with
    /// `DELETE /installation/token` authenticated by itself alone (through `client`, which has
    /// no way to take the caller's token), after the `POST /credentials/revoke` part. A 204
    /// (revoked) or a 401 (already dead) lets the alert be resolved like an accepted
    /// credential's; any other answer leaves it open as [`AlertOutcome::Failed`] with GitHub's
    /// message. With a journal, each token revoked is recorded (its fingerprint) and a rerun
    /// does not send it again. Without this, those alerts are [`AlertOutcome::Unsupported`].
    pub fn revoke_installation_tokens(mut self, client: &'a InstallationClient) -> Self {
        self.installation = Some(client);
        self
    }

    /// Treat these credentials as revoked by an earlier run the caller recorded (as a journal
    /// would): they are not sent again, not checked again, and their alerts are resolved (a
    /// webhook receiver revokes first and resolves later, from its own state).
    pub fn already_revoked(mut self, fingerprints: impl IntoIterator<Item = Fingerprint>) -> Self {
        self.revoked_before.extend(fingerprints);
        self
    }

    /// After revoking and **before resolving**, check every credential this run revoked
    /// (those of accepted batches, and installation tokens that answered 204) with
    /// `GET /rate_limit` authenticated by itself alone (through `client`). An alert whose
    /// credential is still live when `client` gives up is not resolved:
    /// [`AlertOutcome::StillLive`]. With a journal, each credential proven dead is recorded,
    /// and credentials an earlier run revoked but never proved dead (still live when it gave
    /// up, or interrupted) are checked again, so their alerts are resolved only once dead.
    pub fn verify(mut self, client: &'a VerifyClient) -> Self {
        self.verify = Some(client);
        self
    }

    /// List, plan, revoke (unless a dry run), verify (if asked) and resolve (unless a dry run
    /// or `resolve(false)`). `Err` only when the listing failed: then nothing was revoked.
    pub async fn run(self) -> Result<AlertsRunReport, AlertsError> {
        let AlertsRun {
            client,
            revoke,
            source,
            options,
            mut journal,
            mut observer,
            interrupt,
            installation,
            verify,
            revoked_before,
        } = self;
        let started_at = SystemTime::now();
        let mut signal = Interrupt::from(interrupt);
        if let Some(journal) = journal.as_deref_mut() {
            journal
                .bind(revoke.api_base())
                .map_err(|err| AlertsError::Failed {
                    message: err.to_string(),
                })?;
        }
        let mut calls = Calls::of(client);
        let alerts = match source {
            Source::Target(target) => {
                client
                    .list_with(target, &mut calls, &mut signal, &mut observer)
                    .await?
            }
            Source::Given(alerts) => alerts,
        };

        // Plan: classify every open alert's secret; the plan dedupes across alerts.
        let mut done: HashSet<Fingerprint> = journal
            .as_deref()
            .map(|j| j.done().clone())
            .unwrap_or_default();
        done.extend(revoked_before);
        let resolved_before: HashSet<String> = journal
            .as_deref()
            .map(|j| j.resolved_alerts().clone())
            .unwrap_or_default();
        // Resuming with verification: what an earlier run revoked but never proved dead is
        // checked again before its alert is resolved.
        let reverify = match (verify, journal.as_deref()) {
            (Some(_), Some(j)) => {
                reverify::unproven(&alerts, &done, j.proven_dead(), installation.is_some())
            }
            _ => Vec::new(),
        };
        let mut plan: Plan = Plan::resuming(options.plan, done.iter());
        // Installation tokens, kept (deduplicated, minus those the journal holds) when they are
        // to be revoked by themselves.
        let mut kill =
            installation.map(|_| KillList::resuming(done.iter()).keep_installation_tokens(true));
        // The caller's own token, if an alert holds it, is planned apart: revoked last.
        let mut own = Own {
            fingerprint: client.own,
            plan: Plan::resuming(options.plan, done.iter()),
            kill: installation
                .map(|_| KillList::resuming(done.iter()).keep_installation_tokens(true)),
            found: false,
        };
        let mut report = AlertsReport::default();
        let mut entries = Vec::with_capacity(alerts.len());
        // Each (repository, number) once: page-number paging shifts while new alerts arrive,
        // and the same alert can come back on the next page.
        let mut listed: HashSet<(String, i64)> = HashSet::with_capacity(alerts.len());
        for alert in alerts {
            if !listed.insert((alert.repository.clone(), alert.number)) {
                continue;
            }
            let entry = plan_alert(
                alert,
                &mut plan,
                kill.as_mut(),
                &mut own,
                &mut report.counts,
            );
            entries.push(entry);
        }
        report.caller_token_leaked = own.found;
        let mut installation_report = None;
        let mut verified = None;

        // Revoke.
        let mut credentials = if options.dry_run {
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
                if let Some(future) = signal.lend() {
                    call = call.interrupt_on(future);
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
            let mut interrupted = report_stopped(&revoked.stopped);

            // Installation tokens, each revoked by itself.
            let mut killed = Killed::new();
            let mut installation_done_at = started_at;
            if let (Some(client), Some(kill)) = (installation, kill.as_ref()) {
                let tokens = if interrupted {
                    InstallationReport::planned(kill.installation_tokens())
                } else {
                    let tokens =
                        revoke_installations(client, kill, journal.as_deref_mut(), &mut signal)
                            .await;
                    installation_done_at = SystemTime::now();
                    interrupted |= report_stopped(&tokens.stopped);
                    killed = killed_by(kill, &tokens);
                    tokens
                };
                installation_report = Some(InstallationReport {
                    already_done: kill.installation_already_done(),
                    ..tokens
                });
            }

            // Verify, before resolving: an alert whose credential still works stays open.
            let mut live: HashSet<String> = HashSet::new();
            if let Some(client) = verify
                && !interrupted
            {
                let mut items = to_verify(&plan, &accepted, kill.as_ref(), &killed, &entries);
                items.extend(reverify);
                let fingerprints: Vec<Fingerprint> =
                    items.iter().map(ToVerify::fingerprint).collect();
                let (checked, stopped) = verify_revoked(client, items, &mut signal).await;
                interrupted |= stopped;
                if let Err(message) =
                    reverify::record_dead(journal.as_deref_mut(), &fingerprints, &checked)
                {
                    report.stopped = Some(Stop::Halted { message });
                }
                live.extend(
                    checked
                        .credentials
                        .iter()
                        .filter(|c| c.status == Liveness::Live)
                        .map(|c| c.fingerprint.clone()),
                );
                verified = Some(checked);
            }
            if interrupted && report.stopped.is_none() && !report_stopped(&revoked.stopped) {
                report.stopped = Some(Stop::Interrupted {
                    abandoned_batch: None,
                });
            }

            // Resolve: every other alert first, then those of the caller's own token (it
            // authenticates every `PATCH`), which is revoked last.
            let mut resolving = options.resolve && report.stopped.is_none();
            let order: Vec<usize> = (0..entries.len())
                .filter(|&i| !entries[i].own)
                .chain((0..entries.len()).filter(|&i| entries[i].own))
                .collect();
            for index in order {
                let entry = &mut entries[index];
                if entry.item.outcome != AlertOutcome::Pending {
                    continue;
                }
                let Some(fp) = entry.fingerprint else {
                    continue;
                };
                let accepted_now = accepted.get(&fp).copied();
                let killed_now = killed.get(&fp);
                if entry.own {
                    // Not revoked yet: it is revoked after this pass.
                } else if entry.installation {
                    match killed_now {
                        Some(Err(error)) => {
                            entry.item.outcome = AlertOutcome::Failed;
                            entry.item.message = Some(format!(
                                "revoking the installation token failed: {error}; the \
                                     alert is left open"
                            ));
                            observer(&AlertsEvent::Resolved(&entry.item));
                            continue;
                        }
                        None if !done.contains(&fp) => {
                            entry.item.outcome = AlertOutcome::NotRevoked;
                            entry.item.message = Some(
                                "its installation token was not revoked (the run stopped \
                                     first); the alert is left open"
                                    .into(),
                            );
                            observer(&AlertsEvent::Resolved(&entry.item));
                            continue;
                        }
                        _ => {}
                    }
                } else if accepted_now.is_none() && !done.contains(&fp) {
                    entry.item.outcome = AlertOutcome::NotRevoked;
                    entry.item.message = Some(
                        "its credential was not accepted for revocation (see the batches); \
                         the alert is left open"
                            .into(),
                    );
                    observer(&AlertsEvent::Resolved(&entry.item));
                    continue;
                }
                if live.contains(&fp.to_string()) {
                    entry.item.outcome = AlertOutcome::StillLive;
                    entry.item.message = Some(format!(
                        "its credential still authenticated when --verify gave up ({} s); \
                             the alert is left open: check it by hand{}",
                        verified.as_ref().map_or(0, |v| v.timeout_secs),
                        entry
                            .item
                            .html_url
                            .as_deref()
                            .map(|url| format!(" at {url}"))
                            .unwrap_or_default()
                    ));
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
                if !resolving || interrupted {
                    entry.item.message = Some(if options.resolve {
                        "not resolved: the run stopped first".into()
                    } else {
                        "credential revoked; not resolved (--no-resolve)".into()
                    });
                    continue;
                }
                let Some((owner, repo)) = entry.path.clone() else {
                    entry.item.outcome = AlertOutcome::Unresolvable;
                    entry.item.message = Some(format!(
                        "its credential was revoked, but GitHub named no repository and \
                         number to resolve the alert with; close it by hand{}",
                        entry
                            .item
                            .html_url
                            .as_deref()
                            .map(|url| format!(" at {url}"))
                            .unwrap_or_default()
                    ));
                    observer(&AlertsEvent::Resolved(&entry.item));
                    continue;
                };
                let comment = options.comment.clone().unwrap_or_else(|| {
                    if entry.own {
                        return OWN_COMMENT.to_owned();
                    }
                    let killed_at = killed_now.map(|_| installation_done_at);
                    default_comment(entry.installation, accepted_now, killed_at, killed_now)
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
                        &mut calls,
                        &mut signal,
                        &mut observer,
                    )
                    .await
                {
                    Ok(resolution) => {
                        let outcome = resolution.outcome;
                        entry.item.outcome = outcome;
                        entry.item.message = resolution.message;
                        if let Some(stop) = resolution.stop {
                            report.stopped = Some(stop);
                            resolving = false;
                        }
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
                        if matches!(stop, Stop::Interrupted { .. }) {
                            interrupted = true;
                        }
                        report.stopped = Some(stop);
                        resolving = false;
                    }
                }
            }

            // The caller's own token, last: nothing authenticated by it is sent after this.
            let mut revoked = revoked;
            if own.found {
                let mut own_dead = done.contains(&own.fingerprint);
                if !own.plan.is_empty() {
                    let own_revoked = if interrupted {
                        RevokeReport::planned(&own.plan, false)
                    } else {
                        let journal = journal.as_deref_mut();
                        revoke_own(revoke, &own.plan, journal, &mut signal, &mut observer).await
                    };
                    interrupted |= report_stopped(&own_revoked.stopped);
                    own_dead |= own_revoked
                        .batches
                        .iter()
                        .any(|b| b.status == BatchStatus::Accepted);
                    append_revoke(&mut revoked, own_revoked);
                }
                if let (Some(client), Some(own_kill)) = (installation, own.kill.as_ref())
                    && !own_kill.installation_tokens().is_empty()
                {
                    let tokens = if interrupted {
                        InstallationReport::planned(own_kill.installation_tokens())
                    } else {
                        revoke_installations(client, own_kill, journal, &mut signal).await
                    };
                    interrupted |= report_stopped(&tokens.stopped);
                    own_dead |= matches!(
                        killed_by(own_kill, &tokens).get(&own.fingerprint),
                        Some(Ok(_))
                    );
                    installation_report = Some(match installation_report.take() {
                        Some(mut first) => {
                            append_installation(&mut first, tokens);
                            first
                        }
                        None => tokens,
                    });
                }
                if !own_dead {
                    for entry in entries.iter_mut().filter(|e| e.own) {
                        let resolved = matches!(
                            entry.item.outcome,
                            AlertOutcome::Resolved | AlertOutcome::AlreadyResolved
                        );
                        entry.item.outcome = AlertOutcome::NotRevoked;
                        entry.item.message = Some(if resolved {
                            reopen(client, entry, &mut calls, &mut signal, &mut observer).await
                        } else {
                            OWN_NOT_REVOKED.to_owned()
                        });
                        observer(&AlertsEvent::Resolved(&entry.item));
                    }
                }
            }
            if interrupted && report.stopped.is_none() && !report_stopped(&revoked.stopped) {
                report.stopped = Some(Stop::Interrupted {
                    abandoned_batch: None,
                });
            }
            revoked
        };
        if options.dry_run {
            if own.found {
                append_revoke(&mut credentials, RevokeReport::planned(&own.plan, true));
            }
            if let Some(kill) = kill.as_ref() {
                let mut planned = InstallationReport::planned(kill.installation_tokens());
                planned.already_done = kill.installation_already_done();
                if let Some(own_kill) = own.kill.as_ref() {
                    append_installation(
                        &mut planned,
                        InstallationReport::planned(own_kill.installation_tokens()),
                    );
                }
                installation_report = Some(planned);
            }
            for entry in &mut entries {
                if entry.item.outcome == AlertOutcome::Pending {
                    entry.item.message = Some("dry run: nothing sent".into());
                }
            }
        }
        credentials.started_at = humantime::format_rfc3339_seconds(started_at).to_string();
        report.items = entries.into_iter().map(|e| e.item).collect();
        report.tally();
        report.requests = calls.requests();
        let mut report = AlertsRunReport {
            credentials,
            installation_tokens: installation_report,
            verified,
            alerts: report,
            error: None,
        };
        report.raise_stop();
        Ok(report)
    }
}

/// Whether the revocation stopped in a way that must stop resolving too (an interruption).
pub(super) fn report_stopped(stop: &Option<Stop>) -> bool {
    matches!(stop, Some(Stop::Interrupted { .. }))
}

/// What became of each installation token this run sent: dead (revoked, or already dead), or
/// GitHub's refusal. Tokens not sent are absent.
type Killed = HashMap<Fingerprint, Result<InstallationStatus, String>>;

/// Revoke every installation token of `kill`, each by itself, recording each in `journal`;
/// an interruption fires `signal` (the rest are reported pending).
async fn revoke_installations(
    client: &InstallationClient,
    kill: &KillList,
    journal: Option<&mut Journal>,
    signal: &mut Interrupt<'_>,
) -> InstallationReport {
    let mut call = client.revoke(kill.installation_tokens());
    if let Some(journal) = journal {
        call = call.journal(journal);
    }
    if let Some(future) = signal.lend() {
        call = call.interrupt_on(future);
    }
    let report = call.await;
    if report_stopped(&report.stopped) {
        // The signal has completed: it must not be polled again.
        signal.fire();
    }
    report
}

/// Each token of `kill` the report says is dead, or failed.
fn killed_by(kill: &KillList, report: &InstallationReport) -> Killed {
    let mut killed = Killed::new();
    for (token, entry) in kill.installation_tokens().iter().zip(&report.tokens) {
        let fp = token.credential().fingerprint();
        match entry.status {
            InstallationStatus::Revoked | InstallationStatus::AlreadyDead => {
                killed.insert(fp, Ok(entry.status));
            }
            InstallationStatus::Failed => {
                killed.insert(fp, Err(entry.error.clone().unwrap_or_default()));
            }
            _ => {}
        }
    }
    killed
}

/// Check `items`; also whether `signal` interrupted the checks (then it has fired).
async fn verify_revoked(
    client: &VerifyClient,
    items: Vec<ToVerify>,
    signal: &mut Interrupt<'_>,
) -> (VerifyReport, bool) {
    // The report does not say it was interrupted: note it when the signal completes.
    let fired = AtomicBool::new(false);
    let mut call = client.verify(items);
    if let Some(future) = signal.lend() {
        let fired = &fired;
        call = call.interrupt_on(async move {
            future.await;
            fired.store(true, Ordering::Relaxed);
        });
    }
    let report = call.await;
    let interrupted = fired.load(Ordering::Relaxed);
    if interrupted {
        // The signal has completed: it must not be polled again.
        signal.fire();
    }
    (report, interrupted)
}

/// The default resolution comment: what killed the credential, and when.
fn default_comment(
    installation: bool,
    accepted_at: Option<SystemTime>,
    killed_at: Option<SystemTime>,
    killed: Option<&Result<InstallationStatus, String>>,
) -> String {
    if installation {
        return match killed {
            Some(Ok(InstallationStatus::AlreadyDead)) => {
                "Revoked with gh-revoke: the installation token no longer authenticated \
                 (DELETE /installation/token answered 401)"
                    .to_owned()
            }
            Some(Ok(_)) => format!(
                "Revoked with gh-revoke: the installation token revoked itself \
                 (DELETE /installation/token answered 204) by {}",
                humantime::format_rfc3339_seconds(killed_at.unwrap_or_else(SystemTime::now))
            ),
            _ => "Revoked with gh-revoke: the installation token revoked itself \
                  (DELETE /installation/token) in an earlier run"
                .to_owned(),
        };
    }
    match accepted_at {
        Some(at) => format!(
            "Revoked with gh-revoke: submitted to GitHub's credential revocation API, accepted \
             at {}",
            humantime::format_rfc3339_seconds(at)
        ),
        None => "Revoked with gh-revoke: submitted to GitHub's credential revocation API, \
                 accepted in an earlier run"
            .to_owned(),
    }
}

/// What verification checks: every credential of this run's accepted batches, and every
/// installation token that revoked itself now (204), each located at its first alert.
fn to_verify(
    plan: &Plan,
    accepted: &HashMap<Fingerprint, SystemTime>,
    kill: Option<&KillList>,
    killed: &Killed,
    entries: &[Entry],
) -> Vec<ToVerify> {
    let mut located: HashMap<Fingerprint, Location> = HashMap::new();
    for entry in entries {
        if let Some(fp) = entry.fingerprint {
            located
                .entry(fp)
                .or_insert_with(|| alert_location(&entry.item));
        }
    }
    let mut items = Vec::new();
    for batch in plan.batches() {
        for credential in batch.credentials() {
            let fp = credential.fingerprint();
            if accepted.contains_key(&fp) {
                items.push(ToVerify::planned(credential, located.get(&fp).cloned()));
            }
        }
    }
    for token in kill.map(KillList::installation_tokens).unwrap_or_default() {
        let fp = token.credential().fingerprint();
        if matches!(killed.get(&fp), Some(Ok(InstallationStatus::Revoked))) {
            items.push(ToVerify::new(
                token.credential().clone(),
                located.get(&fp).cloned(),
            ));
        }
    }
    items
}
