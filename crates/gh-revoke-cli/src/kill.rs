//! `credentials --revoke-installation-tokens` and `--verify`: the calls that use a leaked
//! credential on itself (the `gh_revoke` library's `KillList`, `InstallationClient` and
//! `VerifyClient`), and their part of the report.

use std::io::Write;
use std::time::Duration;

use gh_revoke::{
    ApiBase, BatchStatus, InstallationClient, InstallationReport, InstallationStatus, Journal,
    KillList, Kind, Liveness, Location, Plan, RevokeReport, ToVerify, UnsupportedReason,
    VerifyClient, VerifyReport,
};
use schemars::JsonSchema;
use serde::Serialize;

use crate::exit::Failure;

/// What `credentials --json` prints: the revocation report, plus `installation_tokens`
/// (with `--revoke-installation-tokens`) and `verified` (with `--verify`).
#[derive(Debug, Serialize, JsonSchema)]
pub struct CredentialsReport {
    /// The `POST /credentials/revoke` run.
    #[serde(flatten)]
    pub run: RevokeReport,
    /// The kill calls' reports.
    #[serde(flatten)]
    pub kill: KillReports,
}

/// The reports of the calls that use a leaked credential on itself.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct KillReports {
    /// Installation tokens (`ghs_`), each revoked with `DELETE /installation/token`
    /// authenticated by itself (`--revoke-installation-tokens`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installation_tokens: Option<InstallationReport>,
    /// What `GET /rate_limit`, authenticated by each credential, said after the run
    /// (`--verify`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<VerifyReport>,
}

impl KillReports {
    /// Whether nothing here failed: every installation token dead, no credential live.
    pub fn is_complete(&self) -> bool {
        self.installation_tokens
            .as_ref()
            .is_none_or(InstallationReport::is_complete)
            && self.verified.as_ref().is_none_or(VerifyReport::none_live)
    }
}

/// What the kill calls need to be told.
pub struct KillOptions {
    /// `--revoke-installation-tokens`.
    pub installation_tokens: bool,
    /// `--verify`.
    pub verify: bool,
    /// `--verify-timeout`.
    pub verify_timeout: Duration,
    /// `--timeout`.
    pub timeout: Duration,
    /// `--max-wait`.
    pub max_wait: Option<Duration>,
}

/// A list that keeps what the options need, minus installation tokens a journal says were
/// revoked before.
pub fn kill_list(options: &KillOptions, journal: Option<&Journal>) -> KillList {
    journal
        .map_or_else(KillList::new, |journal| KillList::resuming(journal.done()))
        .keep_installation_tokens(options.installation_tokens)
        .keep_locations(options.verify)
}

/// With `--revoke-installation-tokens`, installation tokens are listed in
/// `installation_tokens`, not among the skipped items.
pub fn unskip_installation_tokens(report: &mut RevokeReport, options: &KillOptions) {
    if options.installation_tokens {
        let unsupported = UnsupportedReason::InstallationToken.to_string();
        report
            .skipped
            .retain(|s| !(s.kind == Some(Kind::Installation) && s.reason == unsupported));
    }
}

/// The dry run's part: every installation token planned, nothing checked.
pub fn dry_run(options: &KillOptions, kill: &KillList) -> KillReports {
    let mut installation = options
        .installation_tokens
        .then(|| InstallationReport::planned(kill.installation_tokens()));
    if let Some(report) = installation.as_mut() {
        report.already_done = kill.installation_already_done();
    }
    KillReports {
        installation_tokens: installation,
        verified: None,
    }
}

/// Revoke the installation tokens, then verify what should be dead.
pub fn run(
    options: &KillOptions,
    base: &ApiBase,
    plan: &Plan,
    run: &RevokeReport,
    kill: &KillList,
    journal: Option<&mut Journal>,
) -> Result<KillReports, Failure> {
    if !options.installation_tokens && !options.verify {
        return Ok(KillReports::default());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Failure::Request(format!("could not start the async runtime: {err}")))?;
    runtime.block_on(async {
        let mut reports = KillReports::default();
        if options.installation_tokens {
            let client = InstallationClient::builder(base.clone())
                .timeout(options.timeout)
                .max_wait(options.max_wait)
                .build()
                .map_err(crate::exit::usage)?;
            let call = client
                .revoke(kill.installation_tokens())
                .interrupt_on(crate::signals::first_signal()?);
            let mut report = match journal {
                Some(journal) => call.journal(journal).await,
                None => call.await,
            };
            report.already_done = kill.installation_already_done();
            reports.installation_tokens = Some(report);
        }
        if options.verify {
            let client = VerifyClient::builder(base.clone())
                .timeout(options.timeout)
                .verify_timeout(options.verify_timeout)
                .build()
                .map_err(crate::exit::usage)?;
            let mut items = Vec::new();
            for (batch, entry) in plan.batches().zip(&run.batches) {
                if entry.status == BatchStatus::Accepted {
                    items.extend(batch.credentials().map(|c| {
                        ToVerify::planned(c, kill.location_of(&c.fingerprint()).cloned())
                    }));
                }
            }
            if let Some(installation) = &reports.installation_tokens {
                for (token, entry) in kill.installation_tokens().iter().zip(&installation.tokens) {
                    if entry.status == InstallationStatus::Revoked {
                        items.push(ToVerify::new(
                            token.credential().clone(),
                            Some(token.location().clone()),
                        ));
                    }
                }
            }
            let report = client
                .verify(items)
                .interrupt_on(crate::signals::first_signal()?)
                .await;
            reports.verified = Some(report);
        }
        Ok(reports)
    })
}

/// The human summary of the kill calls (stderr).
pub fn write_summary(out: &mut impl Write, reports: &KillReports) -> std::io::Result<()> {
    write_reports(
        out,
        reports.installation_tokens.as_ref(),
        reports.verified.as_ref(),
    )
}

/// Where a credential was found, as a person reads it: `FILE:LINE:COLUMN`, or only the source
/// when there is no line (an alert: its page or `OWNER/REPO#NUMBER`).
fn shown(location: &Location) -> String {
    if location.line == 0 {
        location.source.to_string()
    } else {
        location.to_string()
    }
}

/// The human summary of the installation-token and verification reports (stderr).
pub fn write_reports(
    out: &mut impl Write,
    installation: Option<&InstallationReport>,
    verified: Option<&VerifyReport>,
) -> std::io::Result<()> {
    if let Some(report) = installation {
        writeln!(
            out,
            "installation tokens: {} revoked, {} already dead, {} failed, {} not sent, {} already \
             done ({} requests)",
            report.revoked,
            report.already_dead,
            report.failed,
            report.pending,
            report.already_done,
            report.requests
        )?;
        for token in &report.tokens {
            if let Some(error) = &token.error {
                writeln!(
                    out,
                    "  {}: {} failed: {error}",
                    shown(&token.location),
                    token.credential
                )?;
            }
        }
        if let Some(stop) = &report.stopped {
            writeln!(out, "  installation tokens stopped: {stop}")?;
        }
    }
    if let Some(report) = verified {
        writeln!(
            out,
            "verified: {} dead, {} live, {} not checkable, {} unknown ({} requests)",
            report.dead, report.live, report.not_checkable, report.unknown, report.requests
        )?;
        for checked in &report.credentials {
            let location = checked
                .location
                .as_ref()
                .map_or_else(|| "(unknown location)".to_owned(), shown);
            let what = match checked.status {
                Liveness::Live => "STILL LIVE".to_owned(),
                Liveness::NotCheckable => "not checkable".to_owned(),
                _ => "unknown".to_owned(),
            };
            match &checked.detail {
                Some(detail) => {
                    writeln!(out, "  {location}: {} {what}: {detail}", checked.credential)?
                }
                None => writeln!(out, "  {location}: {} {what}", checked.credential)?,
            }
        }
    }
    Ok(())
}
