//! `gh-revoke alerts`: the library's alerts flow, with a token from the environment, a journal,
//! Ctrl-C, and a report.

use std::io::Write;
use std::time::{Duration, SystemTime};

use gh_revoke::{
    ALERTS_TOKEN_SCOPES, AlertOutcome, AlertTarget, AlertsClient, AlertsError, AlertsEvent,
    AlertsOptions, AlertsRunReport, ApiBase, Event, InstallationClient, Journal, RevokeClient,
    Stop, VerifyClient,
};
use secrecy::SecretString;

use crate::args::{AlertHandlingArgs, AlertsArgs};
use crate::exit::{Failure, Outcome, usage};
use crate::output::say;
use crate::{host, logging};

/// Run the command.
pub fn run(args: AlertsArgs) -> Result<Outcome, Failure> {
    logging::init(&args.verbosity);
    let base = host::resolve(&args.host)?;
    let target = target(&args)?;
    let token = token()?;
    if args
        .handling
        .comment
        .as_deref()
        .is_some_and(|c| c.trim().is_empty())
    {
        return Err(usage("--comment is empty"));
    }
    let mut journal = open_journal(&args, &base)?;
    let alerts = AlertsClient::builder(base.clone(), token)
        .timeout(args.host.timeout)
        .max_wait(args.max_wait)
        .build()
        .map_err(usage)?;
    // The anonymous client: it has no way to take the token.
    let revoke = RevokeClient::builder(base.clone())
        .timeout(args.host.timeout)
        .max_wait(args.max_wait)
        .build()
        .map_err(usage)?;
    // The clients that use each leaked credential on itself: they cannot take the token
    // either.
    let (installation, verify) =
        kill_clients(&args.handling, &base, args.host.timeout, args.max_wait)?;
    let options = AlertsOptions::default()
        .dry_run(args.dry_run)
        .resolve(!args.handling.no_resolve)
        .comment(args.handling.comment.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Failure::Request(format!("could not start the async runtime: {err}")))?;
    let quiet = args.verbosity.quiet;
    let started_at = SystemTime::now();
    let mut listing = crate::listing::ListingProgress::default();
    let result = runtime.block_on(async {
        let interrupted = crate::signals::first_signal()?;
        let mut run = alerts
            .run(&revoke, &target, options)
            .interrupt_on(interrupted)
            .on_event(move |event| {
                if !quiet {
                    progress_line(event);
                    listing.event(event);
                }
            });
        if let Some(journal) = journal.as_mut() {
            run = run.journal(journal);
        }
        if let Some(client) = installation.as_ref() {
            run = run.revoke_installation_tokens(client);
        }
        if let Some(client) = verify.as_ref() {
            run = run.verify(client);
        }
        Ok::<_, Failure>(run.run().await)
    })?;
    let report = match result {
        Ok(report) => report,
        Err(err) => return not_listed(&err, &args, &base, started_at),
    };
    let written = print(&report, &args);
    let interrupted = matches!(report.stop(), Some(Stop::Interrupted { .. }));
    let outcome = if interrupted {
        Outcome::Interrupted
    } else if report.is_complete() {
        Outcome::Success
    } else {
        Outcome::Failed
    };
    Ok(crate::output::settle(outcome, written))
}

/// The listing failed or was stopped: nothing was revoked or resolved. With `--json` the report
/// says so (`error`, `stopped`); the exit code is 130 after Ctrl-C, 2 for what the caller must
/// fix (target, token, 404), else 1.
fn not_listed(
    err: &AlertsError,
    args: &AlertsArgs,
    base: &ApiBase,
    started_at: SystemTime,
) -> Result<Outcome, Failure> {
    let written = if args.json {
        crate::output::write_json(&AlertsRunReport::not_listed(
            base,
            args.dry_run,
            started_at,
            err,
        ))
    } else {
        Ok(())
    };
    if let Err(message) = &written {
        say!("gh-revoke: {message}");
    }
    match err {
        AlertsError::Stopped(Stop::Interrupted { .. }) => {
            if !args.verbosity.quiet {
                say!("stopped: interrupted while listing the alerts; nothing was revoked");
            }
            Ok(Outcome::Interrupted)
        }
        err if err.is_usage() => Err(usage(format!("{err}; nothing was revoked"))),
        err => Err(Failure::Request(format!("{err}; nothing was revoked"))),
    }
}

/// The token that reads and resolves alerts: `GH_TOKEN`, then `GITHUB_TOKEN`; none is a
/// usage error (exit 2). Shared with `serve`.
pub(crate) fn token() -> Result<SecretString, Failure> {
    crate::enterprise::token_from_env(&format!(
        "a token that can read and resolve secret-scanning alerts: {ALERTS_TOKEN_SCOPES}"
    ))
}

/// The clients that use each leaked credential on itself (`--revoke-installation-tokens`,
/// `--verify`): they cannot take the caller's token. Shared with `serve`.
pub(crate) fn kill_clients(
    handling: &AlertHandlingArgs,
    base: &ApiBase,
    timeout: Duration,
    max_wait: Option<Duration>,
) -> Result<(Option<InstallationClient>, Option<VerifyClient>), Failure> {
    if handling
        .comment
        .as_deref()
        .is_some_and(|c| c.trim().is_empty())
    {
        return Err(usage("--comment is empty"));
    }
    let installation = handling
        .revoke_installation_tokens
        .then(|| {
            InstallationClient::builder(base.clone())
                .timeout(timeout)
                .max_wait(max_wait)
                .build()
        })
        .transpose()
        .map_err(usage)?;
    let verify = handling
        .verify
        .then(|| {
            VerifyClient::builder(base.clone())
                .timeout(timeout)
                .verify_timeout(handling.verify_timeout)
                .build()
        })
        .transpose()
        .map_err(usage)?;
    Ok((installation, verify))
}

fn target(args: &AlertsArgs) -> Result<AlertTarget, Failure> {
    let scope = &args.scope;
    match (&scope.repo, &scope.org, &scope.enterprise) {
        (Some(repo), None, None) => AlertTarget::repo(repo),
        (None, Some(org), None) => AlertTarget::org(org),
        (None, None, Some(slug)) => AlertTarget::enterprise(slug),
        _ => return Err(usage("give one of --repo, --org or --enterprise")),
    }
    .map_err(usage)
}

/// The journal, if asked for (a dry run only reads an existing one).
fn open_journal(args: &AlertsArgs, base: &ApiBase) -> Result<Option<Journal>, Failure> {
    let Some(path) = args.journal.as_deref() else {
        return Ok(None);
    };
    if args.dry_run && !path.exists() {
        return Ok(None);
    }
    if path.is_dir() {
        return Err(usage(format!(
            "--journal {}: is a directory, not a file",
            path.display()
        )));
    }
    let mut journal = if args.dry_run {
        Journal::open_read_only(path)
    } else {
        Journal::open(path)
    }
    .map_err(usage)?;
    journal.bind(base).map_err(usage)?;
    Ok(Some(journal))
}

/// Waits longer than this print a line on stderr.
const LONG_WAIT: Duration = Duration::from_secs(10);

fn progress_line(event: &AlertsEvent<'_>) {
    match event {
        AlertsEvent::Waiting { wait, .. } if *wait > LONG_WAIT => {
            say!(
                "gh-revoke: waiting {} s for GitHub's rate limit",
                wait.as_secs()
            );
        }
        AlertsEvent::Revoke(Event::Waiting { wait, .. }) if *wait > LONG_WAIT => {
            say!(
                "gh-revoke: waiting {} s for GitHub's rate limit (revocation)",
                wait.as_secs()
            );
        }
        _ => {}
    }
}

/// The report on stdout (`--json`) and the summary on stderr; `Err` when the report could not
/// be written (the summary is written anyway).
fn print(report: &AlertsRunReport, args: &AlertsArgs) -> Result<(), String> {
    let written = if args.json {
        crate::output::write_json(report)
    } else {
        Ok(())
    };
    if !args.verbosity.quiet {
        let mut stderr = std::io::BufWriter::new(std::io::stderr().lock());
        let _ = write_summary(&mut stderr, report);
        let _ = stderr.flush();
    }
    written
}

/// The human summary: each alert that is not plainly resolved, the credentials summary, and
/// the alert counts.
pub fn write_summary(out: &mut impl Write, report: &AlertsRunReport) -> std::io::Result<()> {
    for item in report
        .alerts
        .items
        .iter()
        .filter(|i| i.outcome != AlertOutcome::Resolved)
    {
        let outcome = serde_json::to_value(item.outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        writeln!(
            out,
            "{}#{} {} {}: {}{}",
            item.repository,
            item.number,
            item.credential,
            outcome,
            item.message.as_deref().unwrap_or(""),
            match (&item.outcome, &item.html_url) {
                (AlertOutcome::NeedsReview, Some(url)) => format!(" ({url})"),
                _ => String::new(),
            }
        )?;
    }
    crate::credentials::write_summary(out, &report.credentials)?;
    crate::kill::write_reports(
        out,
        report.installation_tokens.as_ref(),
        report.verified.as_ref(),
    )?;
    let c = &report.alerts.counts;
    writeln!(
        out,
        "alerts: {} listed, {} revocable, {} unsupported; {} resolved, {} already resolved, \
         {} need review, {} failed, {} not revoked, {} pending, {} still live, {} unresolvable \
         ({} requests)",
        c.listed,
        c.revocable,
        c.unsupported,
        c.resolved,
        c.already_resolved,
        c.needs_review,
        c.failed,
        c.not_revoked,
        c.pending,
        c.still_live,
        c.unresolvable,
        report.alerts.requests
    )?;
    if report.alerts.caller_token_leaked {
        let what = if report.credentials.dry_run {
            "a real run resolves every other alert first, then its alerts, and revokes it last"
        } else {
            "every other alert was resolved first, then its alerts, and it was revoked last; use \
             a new token for any further run"
        };
        writeln!(
            out,
            "your own token (GH_TOKEN or GITHUB_TOKEN) is one of the leaked secrets: {what}"
        )?;
    }
    // The top-level stop is said by the credentials summary; resolving's own, if another.
    if let Some(stop) = &report.alerts.stopped
        && report.credentials.stopped.as_ref() != Some(stop)
    {
        writeln!(out, "resolving stopped: {stop}")?;
    }
    Ok(())
}
