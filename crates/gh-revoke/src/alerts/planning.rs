//! Planning the alerts: classify each alert's secret, feed the revocable ones to the plan, and
//! keep where each alert stands.

use std::sync::Arc;

use super::list::Alert;
use super::report::{AlertCounts, AlertItem, AlertOutcome};
use super::target::valid_name;
use crate::credential::{Classified, Fingerprint, UnsupportedReason, classify};
use crate::input::{Found, Location, scrub};
use crate::kill::KillList;
use crate::plan::Plan;

/// Where one alert stands during the run.
pub(super) struct Entry {
    pub(super) item: AlertItem,
    /// Owner and repository, for the `PATCH`.
    pub(super) path: Option<(String, String)>,
    pub(super) fingerprint: Option<Fingerprint>,
    /// Its credential is an installation token, revoked by itself (not in the plan).
    pub(super) installation: bool,
    /// Its credential is the caller's own token: revoked last, after every alert (its own
    /// too) is resolved, since every `PATCH` needs it.
    pub(super) own: bool,
}

/// The caller's own token, when it is one of the leaked secrets: kept out of the run's plan
/// and installation-token list, to be revoked after resolving.
pub(super) struct Own {
    /// The fingerprint of the caller's token.
    pub(super) fingerprint: Fingerprint,
    /// It, when an alert holds it as a credential `POST /credentials/revoke` takes.
    pub(super) plan: Plan,
    /// It, when an alert holds it as an installation token revoked by itself.
    pub(super) kill: Option<KillList>,
    /// An alert holds it.
    pub(super) found: bool,
}

/// Where an alert's credential was found, for the kill calls' reports: the alert's page, else
/// `OWNER/REPO#NUMBER` (line and column 0: there is no file).
pub(super) fn alert_location(item: &AlertItem) -> Location {
    let source = item
        .html_url
        .clone()
        .unwrap_or_else(|| alert_key(&item.repository, item.number));
    Location {
        source: Arc::from(source),
        line: 0,
        column: 0,
        offset: 0,
        encoding: None,
    }
}

/// The journal key of an alert: `OWNER/REPO#NUMBER` (the journal is bound to one API URL).
pub(super) fn alert_key(repository: &str, number: i64) -> String {
    format!("{repository}#{number}")
}

/// Classify one alert and feed what can be revoked to the plan, or, an installation token, to
/// `installation` (when given: installation tokens are revoked by themselves).
///
/// The caller's own token goes to `own` instead (see [`Own`]). An alert whose repository or
/// number cannot be one still has its credential revoked: revoking needs no coordinates
/// (the run then reports the alert as [`AlertOutcome::Unresolvable`]).
pub(super) fn plan_alert(
    alert: Alert,
    plan: &mut Plan,
    installation: Option<&mut KillList>,
    own: &mut Own,
    counts: &mut AlertCounts,
) -> Entry {
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
        installation: false,
        own: false,
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
    let path = path.filter(|_| alert.number > 0);
    let entry = |item: AlertItem, fingerprint| Entry {
        item,
        path: path.clone(),
        fingerprint,
        installation: false,
        own: false,
    };
    match &classified {
        Classified::Valid(credential) => {
            counts.revocable += 1;
            let fingerprint = credential.fingerprint();
            let is_own = fingerprint == own.fingerprint;
            let plan = if is_own {
                own.found = true;
                &mut own.plan
            } else {
                plan
            };
            plan.add(Found {
                location: Location {
                    source: Arc::from(alert_key(&item.repository, alert.number)),
                    line: 0,
                    column: 0,
                    offset: 0,
                    encoding: None,
                },
                item: classified.clone(),
            });
            Entry {
                own: is_own,
                ..entry(item, Some(fingerprint))
            }
        }
        Classified::Unsupported {
            reason: UnsupportedReason::InstallationToken,
            credential,
        } if installation.is_some() => {
            counts.revocable += 1;
            let fingerprint = credential.fingerprint();
            let is_own = fingerprint == own.fingerprint;
            let kill = if is_own {
                own.found = true;
                own.kill.as_mut()
            } else {
                installation
            };
            if let Some(kill) = kill {
                // The list dedupes across alerts and skips what a journal says was revoked.
                kill.observe(&Found {
                    location: alert_location(&item),
                    item: classified.clone(),
                });
            }
            Entry {
                installation: true,
                own: is_own,
                ..entry(item, Some(fingerprint))
            }
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
