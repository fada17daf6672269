//! Resuming with `--verify`: the credentials of open alerts that an earlier run revoked
//! (the journal holds them) but no run proved dead (no `dead` record), so they are checked
//! again before their alerts are resolved. Without this, a credential `--verify` found still
//! live (or never got to check, interrupted) was resolved by the rerun with no check.

use std::collections::HashSet;
use std::sync::Arc;

use crate::credential::{Classified, Fingerprint, UnsupportedReason, classify};
use crate::input::Location;
use crate::kill::{ToVerify, VerifyReport};
use crate::revoke::Journal;

use super::list::Alert;
use super::planning::alert_key;

/// The credentials of `alerts` (open ones, each once) that `done` holds and `dead` does not;
/// installation tokens too when `installation` (they revoke themselves).
pub(super) fn unproven(
    alerts: &[Alert],
    done: &HashSet<Fingerprint>,
    dead: &HashSet<Fingerprint>,
    installation: bool,
) -> Vec<ToVerify> {
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for alert in alerts {
        if alert.state.as_deref() == Some("resolved") {
            continue;
        }
        let Some(secret) = alert.secret.as_ref() else {
            continue;
        };
        let credential = match classify(secret.expose().as_bytes()) {
            Classified::Valid(credential) => credential,
            Classified::Unsupported {
                reason: UnsupportedReason::InstallationToken,
                credential,
            } if installation => credential,
            _ => continue,
        };
        let fp = credential.fingerprint();
        if !done.contains(&fp) || dead.contains(&fp) || !seen.insert(fp) {
            continue;
        }
        let source = alert
            .html_url
            .clone()
            .unwrap_or_else(|| alert_key(&alert.repository, alert.number));
        let location = Location {
            source: Arc::from(source),
            line: 0,
            column: 0,
            offset: 0,
            encoding: None,
        };
        items.push(ToVerify::new(credential, Some(location)));
    }
    items
}

/// Record in `journal` every credential of `checked` (their fingerprints, in the order sent
/// to verification) that `report` found dead; `Err` with the reason when the journal could
/// not be written (then no alert may be resolved on the strength of it).
pub(super) fn record_dead(
    journal: Option<&mut Journal>,
    checked: &[Fingerprint],
    report: &VerifyReport,
) -> Result<(), String> {
    let Some(journal) = journal else {
        return Ok(());
    };
    let not_dead: HashSet<&str> = report
        .credentials
        .iter()
        .map(|c| c.fingerprint.as_str())
        .collect();
    let dead: Vec<Fingerprint> = checked
        .iter()
        .filter(|fp| !not_dead.contains(fp.to_string().as_str()))
        .copied()
        .collect();
    journal
        .record_proven_dead(&dead)
        .map_err(|err| format!("could not write the journal: {err}"))
}
