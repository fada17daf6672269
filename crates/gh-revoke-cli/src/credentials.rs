//! `gh-revoke credentials`.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use std::time::{Duration, SystemTime};

use gh_revoke::{
    ApiBase, Event, InputMode, Journal, Plan, PlanOptions, PlanTally, RevokeClient, RevokeReport,
    Stop,
};

use crate::args::CredentialsArgs;
use crate::exit::{Failure, Outcome, usage};
use crate::progress::Progress;
use crate::{host, kill, logging};

/// Run the command.
pub fn run(args: CredentialsArgs) -> Result<Outcome, Failure> {
    logging::init(&args.verbosity);
    let started_at = SystemTime::now();
    // Everything that can be wrong with the command line is found before any input is read.
    let base = host::resolve(&args.host)?;
    let options = PlanOptions::new(usize::from(args.batch_size))
        .map_err(usage)?
        .with_allow_unverified(args.allow_unverified);
    let inputs = open_inputs(&args.files)?;
    let mut journal = open_journal(args.journal.as_deref(), args.dry_run, &base)?;

    let mode = if args.scan {
        InputMode::Scan
    } else {
        InputMode::Lines
    };
    let done = journal
        .as_ref()
        .map(|j| j.done().iter())
        .into_iter()
        .flatten();
    let kill_options = kill_options(&args);
    let mut kill = kill::kill_list(&kill_options, journal.as_ref());
    let (report, kills) = if args.dry_run {
        // A dry run sends nothing, so it keeps no secrets: only a 128-bit key per
        // credential (see `PlanTally`).
        let mut tally = PlanTally::resuming(options, done);
        feed_all(&mut kill.tee(&mut tally), mode, inputs)?;
        // The skipped details (up to 100,000 of them) move into the report rather than
        // being copied, so they are held once.
        let skipped = tally.take_skipped();
        let mut report = RevokeReport::dry_run(&tally).with_api_url(base.as_str());
        report.skipped = skipped;
        (report, kill::dry_run(&kill_options, &kill))
    } else {
        let mut plan = Plan::resuming(options, done);
        feed_all(&mut kill.tee(&mut plan), mode, inputs)?;
        let skipped = plan.take_skipped();
        let mut report = send(&args, base.clone(), &plan, journal.as_mut())?;
        report.skipped = skipped;
        let interrupted = matches!(report.stopped, Some(Stop::Interrupted { .. }));
        let kills = if interrupted {
            kill::KillReports::default()
        } else {
            kill::run(
                &kill_options,
                &base,
                &plan,
                &report,
                &kill,
                journal.as_mut(),
            )?
        };
        (report, kills)
    };
    let mut report = report;
    report.started_at = humantime::format_rfc3339_seconds(started_at).to_string();
    // A run that stopped early says so at the top, whatever phase stopped it.
    if report.stopped.is_none() {
        report.stopped = kills
            .installation_tokens
            .as_ref()
            .and_then(|r| r.stopped.clone());
    }
    kill::unskip_installation_tokens(&mut report, &kill_options);
    let report = kill::CredentialsReport {
        run: report,
        kill: kills,
    };
    let written = print(&report, &args);
    let interrupted = |stop: Option<&Stop>| matches!(stop, Some(Stop::Interrupted { .. }));
    let killed = &report.kill;
    let outcome = if interrupted(report.run.stopped.as_ref())
        || interrupted(
            killed
                .installation_tokens
                .as_ref()
                .and_then(|r| r.stopped.as_ref()),
        ) {
        Outcome::Interrupted
    } else if report.run.is_complete() && (report.run.dry_run || killed.is_complete()) {
        Outcome::Success
    } else {
        Outcome::Failed
    };
    Ok(crate::output::settle(outcome, written))
}

/// An input's name, and what to read it from.
type Input = (String, Source);

/// Standard input, or a file (read at positions by two threads in scan mode).
enum Source {
    Stdin(std::io::Stdin),
    File(File),
}

fn kill_options(args: &CredentialsArgs) -> kill::KillOptions {
    kill::KillOptions {
        installation_tokens: args.revoke_installation_tokens,
        verify: args.verify,
        verify_timeout: args.verify_timeout,
        timeout: args.host.timeout,
        max_wait: args.max_wait,
    }
}

/// Read every input, in order, into `sink` (a `Plan` or a `PlanTally`).
fn feed_all(
    sink: &mut impl Extend<gh_revoke::Found>,
    mode: InputMode,
    inputs: Vec<Input>,
) -> Result<(), Failure> {
    for (name, reader) in inputs {
        // A file named like a token is redacted wherever its name appears (locations too).
        let shown = gh_revoke::scrub_credentials(&name);
        match reader {
            Source::Stdin(stdin) => gh_revoke::feed(sink, mode, stdin, &shown),
            Source::File(file) => gh_revoke::feed_file(sink, mode, &file, &shown),
        }
        .map_err(usage)?;
    }
    Ok(())
}

/// Open every input up front, so a missing file is reported before anything is read.
fn open_inputs(files: &[PathBuf]) -> Result<Vec<Input>, Failure> {
    if files.is_empty() {
        return Ok(vec![("-".to_owned(), Source::Stdin(std::io::stdin()))]);
    }
    let mut stdin_used = false;
    files
        .iter()
        .map(|path| {
            if path.as_os_str() == "-" {
                if stdin_used {
                    return Err(usage("standard input ('-') is named more than once"));
                }
                stdin_used = true;
                return Ok(("-".to_owned(), Source::Stdin(std::io::stdin())));
            }
            let name = path.display().to_string();
            // A name that could not be opened may be a credential pasted where a file was
            // expected: never echo it whole.
            let shown = gh_revoke::scrub_credentials(&name);
            if path.is_dir() {
                return Err(usage(format!("{shown}: is a directory, not a file")));
            }
            let file = File::open(path).map_err(|err| match err.kind() {
                std::io::ErrorKind::NotFound => usage(format!("{shown}: no such file")),
                std::io::ErrorKind::PermissionDenied => {
                    usage(format!("{shown}: permission denied"))
                }
                _ => usage(format!("{shown}: cannot open: {err}")),
            })?;
            Ok((name, Source::File(file)))
        })
        .collect()
}

/// The journal, if asked for: locked for this run and checked against the API URL. A dry
/// run only reads an existing one (no lock; never created, truncated or repaired).
fn open_journal(
    path: Option<&Path>,
    dry_run: bool,
    base: &ApiBase,
) -> Result<Option<Journal>, Failure> {
    let Some(path) = path else { return Ok(None) };
    if dry_run && !path.exists() {
        return Ok(None);
    }
    if path.is_dir() {
        return Err(usage(format!(
            "--journal {}: is a directory, not a file",
            path.display()
        )));
    }
    let mut journal = if dry_run {
        Journal::open_read_only(path)
    } else {
        Journal::open(path)
    }
    .map_err(usage)?;
    journal.bind(base).map_err(usage)?;
    Ok(Some(journal))
}

fn send(
    args: &CredentialsArgs,
    base: ApiBase,
    plan: &Plan,
    journal: Option<&mut Journal>,
) -> Result<RevokeReport, Failure> {
    let client = RevokeClient::builder(base)
        .max_wait(args.max_wait)
        .timeout(args.host.timeout)
        .build()
        .map_err(usage)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Failure::Request(format!("could not start the async runtime: {err}")))?;
    let terminal = std::io::stderr().is_terminal();
    let quiet = args.verbosity.quiet;
    let mut progress = Progress::new(!quiet && terminal, plan.batch_count(), plan.len());
    let mut accepted = 0usize;
    let report = runtime.block_on(async {
        let interrupted = crate::signals::first_signal()?;
        let call = client
            .revoke(plan)
            .interrupt_on(interrupted)
            .on_event(|event| {
                progress.on_event(event);
                if let Event::Accepted { fingerprints, .. } = event {
                    accepted += fingerprints.len();
                }
                if !quiet && !terminal {
                    long_wait_line(event, accepted);
                }
            });
        Ok::<_, Failure>(match journal {
            Some(journal) => call.journal(journal).await,
            None => call.await,
        })
    })?;
    progress.finish();
    Ok(report)
}

/// Waits longer than this print a line on stderr when there is no terminal.
const LONG_WAIT: Duration = Duration::from_secs(10);

/// Without a terminal a long wait is never silent: one line on stderr.
fn long_wait_line(event: &Event<'_>, accepted: usize) {
    if let Event::Waiting { until, wait, .. } = event
        && *wait > LONG_WAIT
    {
        crate::output::say!(
            "gh-revoke: waiting {} s for GitHub's rate limit, until {} (UTC); {accepted} \
             credential(s) accepted so far",
            wait.as_secs(),
            humantime::format_rfc3339_seconds(*until),
        );
    }
}

/// The report on stdout (`--json`) and the summary on stderr; `Err` when the report could not
/// be written (the summary is written anyway).
fn print(report: &kill::CredentialsReport, args: &CredentialsArgs) -> Result<(), String> {
    // Both are written straight to buffered streams: a report listing 100,000 skipped
    // items is never rendered into one string in memory.
    let written = if args.json {
        crate::output::write_json(report)
    } else {
        Ok(())
    };
    if !args.verbosity.quiet {
        let mut stderr = std::io::BufWriter::new(std::io::stderr().lock());
        let _ = write_summary(&mut stderr, &report.run);
        let _ = kill::write_summary(&mut stderr, &report.kill);
        let _ = stderr.flush();
    }
    written
}

/// How many skipped items the human summary lists (`--json` has them all).
const SKIPPED_SHOWN: usize = 20;

/// Writes the human summary (stderr) to `out`, line by line.
pub fn write_summary(out: &mut impl Write, report: &RevokeReport) -> std::io::Result<()> {
    let mut result = Ok(());
    let mut line = |text: String| {
        if result.is_ok() {
            result = writeln!(out, "{text}");
        }
    };
    for skipped in report.skipped.iter().take(SKIPPED_SHOWN) {
        line(format!(
            "skipped {}: {} ({})",
            skipped.location, skipped.credential, skipped.reason
        ));
    }
    let not_shown =
        report.skipped.len().saturating_sub(SKIPPED_SHOWN) as u64 + report.skipped_not_listed;
    if not_shown > 0 {
        line(format!("... and {not_shown} more skipped (see --json)"));
    }
    if let Some(api_url) = &report.api_url {
        line(format!("API: {api_url}"));
    }
    let to_send = report.accepted + report.failed + report.pending;
    line(format!(
        "read {}: {} to send, {} duplicates, {} invalid, {} unsupported, {} already done",
        report.read,
        to_send,
        report.duplicates,
        report.invalid,
        report.unsupported,
        report.already_done
    ));
    if report.dry_run {
        line(format!(
            "dry run: {} batch(es) planned, nothing sent",
            report.batches.len()
        ));
        for batch in &report.batches {
            line(format!(
                "  batch {}: {} credentials",
                batch.index + 1,
                batch.size
            ));
        }
    } else {
        line(format!(
            "accepted {}, failed {}, not sent {} ({} requests)",
            report.accepted, report.failed, report.pending, report.requests
        ));
        for batch in report.batches.iter().filter(|b| b.error.is_some()) {
            line(format!(
                "  batch {} failed after {} attempt(s): {}",
                batch.index + 1,
                batch.attempts,
                batch.error.as_deref().unwrap_or_default()
            ));
        }
    }
    match &report.stopped {
        Some(Stop::MaxWait {
            wait_secs,
            max_wait_secs,
            ..
        }) => line(format!(
            "stopped: the next wait ({wait_secs} s) is longer than --max-wait ({max_wait_secs} s); \
             run again later (with --journal, nothing accepted is resent)"
        )),
        Some(Stop::Fatal { message }) => line(format!("stopped: {message}")),
        Some(Stop::Halted { message }) => line(format!("stopped: {message}")),
        Some(Stop::Interrupted { abandoned_batch }) => line(format!(
            "stopped: interrupted{}; run again to send the rest (with --journal, nothing \
             accepted is resent)",
            abandoned_batch
                .map(|b| format!(
                    " (batch {} was in flight and is counted as not sent)",
                    b + 1
                ))
                .unwrap_or_default()
        )),
        Some(other) => line(format!("stopped: {other}")),
        None => {}
    }
    result
}

#[cfg(test)]
mod tests {
    use gh_revoke::{InputMode, Plan, PlanOptions};

    use super::*;

    #[test]
    fn the_summary_lists_a_bounded_number_of_skipped_items() {
        let input: String = (0..25).map(|i| format!("ghp_bad{i}\n")).collect();
        let mut plan = Plan::new(PlanOptions::default());
        gh_revoke::feed(&mut plan, InputMode::Lines, input.as_bytes(), "-").unwrap();
        let mut text = Vec::new();
        write_summary(&mut text, &RevokeReport::planned(&plan, true)).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert_eq!(
            text.lines().filter(|l| l.starts_with("skipped ")).count(),
            20
        );
        assert!(text.contains("... and 5 more skipped"), "{text}");
        assert!(text.contains("read 25: 0 to send"), "{text}");
    }
}
