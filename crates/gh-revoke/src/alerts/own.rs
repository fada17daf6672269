//! The caller's own token among the leaked secrets: it authenticates every `PATCH`, so it is
//! revoked last, after every alert (its own too) is resolved; its revocation report follows
//! the run's.

use gh_revoke_api::types::{SecretScanningAlertState, SecretScanningUpdateAlertBody};

use super::call::Calls;
use super::client::AlertsClient;
use super::event::{AlertsEvent, Observer};
use super::planning::Entry;
use super::report::AlertOutcome;
use super::resolve::Resolution;
use super::run::report_stopped;
use crate::http::interrupt::Interrupt;
use crate::kill::InstallationReport;
use crate::plan::Plan;
use crate::revoke::{Event, Journal, RevokeClient, RevokeReport, Stop};

/// The default resolution comment of an alert whose credential is the caller's own token.
pub(super) const OWN_COMMENT: &str = "Revoked with gh-revoke: this token resolved its own alerts, then was \
submitted to GitHub's credential revocation API (or, an installation token, revoked itself)";

/// The message of an alert of the caller's own token when the token was not revoked and the
/// alert not resolved.
pub(super) const OWN_NOT_REVOKED: &str = "the caller's own token was not revoked (see the batches); the \
alert is left open";

/// Revoke the caller's own token (`plan` holds it alone), after every `PATCH`.
pub(super) async fn revoke_own(
    revoke: &RevokeClient,
    plan: &Plan,
    journal: Option<&mut Journal>,
    signal: &mut Interrupt<'_>,
    observer: &mut Observer<'_>,
) -> RevokeReport {
    let forward = |event: &Event<'_>| observer(&AlertsEvent::Revoke(event));
    let mut call = revoke.revoke(plan).on_event(forward);
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

/// Add the report of a second revocation (the caller's own token) to the run's: its batches
/// follow, numbered on; its counts add up.
pub(super) fn append_revoke(into: &mut RevokeReport, other: RevokeReport) {
    let offset = into.batches.len();
    into.read += other.read;
    into.duplicates += other.duplicates;
    into.invalid += other.invalid;
    into.unsupported += other.unsupported;
    into.already_done += other.already_done;
    into.accepted += other.accepted;
    into.failed += other.failed;
    into.pending += other.pending;
    into.requests += other.requests;
    into.batches
        .extend(other.batches.into_iter().map(|mut batch| {
            batch.index += offset;
            batch
        }));
    into.skipped.extend(other.skipped);
    into.skipped_not_listed += other.skipped_not_listed;
    if into.stopped.is_none() {
        into.stopped = other.stopped;
    }
    if !into.dry_run {
        into.finished_at = other.finished_at;
    }
}

/// Add the report of a second installation-token revocation (the caller's own token).
pub(super) fn append_installation(into: &mut InstallationReport, other: InstallationReport) {
    into.revoked += other.revoked;
    into.already_dead += other.already_dead;
    into.failed += other.failed;
    into.pending += other.pending;
    into.already_done += other.already_done;
    into.requests += other.requests;
    into.tokens.extend(other.tokens);
    if into.stopped.is_none() {
        into.stopped = other.stopped;
    }
}

/// An alert of the caller's own token was resolved, but the token's revocation was not
/// accepted: reopen the alert (the token still works), and say what happened.
pub(super) async fn reopen(
    client: &AlertsClient,
    entry: &Entry,
    calls: &mut Calls,
    signal: &mut Interrupt<'_>,
    observer: &mut Observer<'_>,
) -> String {
    let said = "the alert was resolved before revoking the caller's own token (it \
                authenticates every PATCH), but GitHub did not accept its revocation (see the \
                batches)";
    let Some((owner, repo)) = entry.path.as_ref() else {
        return format!("{said}; revoke it by hand");
    };
    let body = SecretScanningUpdateAlertBody {
        state: Some(SecretScanningAlertState::Open),
        ..SecretScanningUpdateAlertBody::default()
    };
    match client
        .resolve_one(
            owner,
            repo,
            entry.item.number,
            &body,
            calls,
            signal,
            observer,
        )
        .await
    {
        Ok(Resolution {
            outcome: AlertOutcome::Resolved,
            ..
        }) => format!("{said}: the alert was reopened; revoke the token by hand"),
        Ok(Resolution { message, .. }) => format!(
            "{said}, and reopening the alert failed ({}): reopen it and revoke the token by hand",
            message.unwrap_or_default()
        ),
        Err(stop) => {
            let why = match stop {
                Stop::Fatal { message } | Stop::Halted { message } => message,
                Stop::Interrupted { .. } => "interrupted".to_owned(),
                Stop::MaxWait { wait_secs, .. } => {
                    format!("a rate-limit wait of {wait_secs} s, longer than allowed")
                }
            };
            format!(
                "{said}, and reopening the alert stopped ({why}): reopen it and revoke the token \
                 by hand"
            )
        }
    }
}
