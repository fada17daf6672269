//! [`AlertsRun`]: the whole flow, list → plan → revoke → resolve, with its journal, observer and
//! interruption.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::time::SystemTime;

use gh_revoke_api::types::{SecretScanningAlertResolutionInner, SecretScanningUpdateAlertBody};

use super::call::Pacer;
use super::client::AlertsClient;
use super::error::AlertsError;
use super::event::{AlertsEvent, Observer};
use super::options::AlertsOptions;
use super::planning::{alert_key, plan_alert};
use super::report::{AlertOutcome, AlertsReport, AlertsRunReport};
use super::signal::{Interrupt, Signal};
use super::target::AlertTarget;
use crate::credential::Fingerprint;
use crate::plan::Plan;
use crate::revoke::{BatchStatus, Event, Journal, RevokeClient, RevokeReport, Stop};

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
            target,
            options,
            journal: None,
            observer: Box::new(|_: &AlertsEvent<'_>| {}),
            interrupt: None,
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
