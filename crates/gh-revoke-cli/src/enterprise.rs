//! `gh-revoke enterprise revoke-all`.

use std::io::{BufRead, IsTerminal, Write};

use gh_revoke::{EnterpriseClient, RevokeAllReport};
use secrecy::SecretString;

use crate::args::RevokeAllArgs;
use crate::exit::{Failure, Outcome, usage};
use crate::output::say;
use crate::{host, logging};

/// The environment variables a token is read from, in order (the gh CLI's).
const TOKEN_VARS: [&str; 2] = ["GH_TOKEN", "GITHUB_TOKEN"];

/// Run the command.
pub fn run(args: RevokeAllArgs) -> Result<Outcome, Failure> {
    logging::init(&args.verbosity);
    let base = host::resolve(&args.host)?;
    let token = token_from_env(ENTERPRISE_OWNER)?;
    confirm(&args, &base)?;

    let client = EnterpriseClient::builder(base.clone(), token)
        .timeout(args.host.timeout)
        .build()
        .map_err(usage)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Failure::Request(format!("could not start the async runtime: {err}")))?;
    let report = match runtime
        .block_on(client.revoke_all(&args.enterprise, args.revoke_credentials))
    {
        Ok(report) => report,
        Err(err) => {
            if args.json {
                let failed =
                    RevokeAllReport::failed(&base, &args.enterprise, args.revoke_credentials, &err);
                if let Err(message) = crate::output::write_json(&failed) {
                    say!("gh-revoke: {message}");
                }
            }
            return Err(match err {
                gh_revoke::EnterpriseError::InvalidSlug(_) => usage(err),
                other => Failure::Request(other.to_string()),
            });
        }
    };
    let written = print(&report, &args);
    Ok(crate::output::settle(Outcome::Success, written))
}

/// Whose token an enterprise call needs, for the missing-token message.
pub const ENTERPRISE_OWNER: &str =
    "an enterprise owner's token (classic PATs need the admin:enterprise scope)";

/// The token from `GH_TOKEN`, then `GITHUB_TOKEN`; `whose` says whose token is needed.
pub fn token_from_env(whose: &str) -> Result<SecretString, Failure> {
    TOKEN_VARS
        .iter()
        .find_map(|name| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        })
        .map(SecretString::from)
        .ok_or_else(|| {
            usage(format!(
                "no token: set GH_TOKEN (or GITHUB_TOKEN) to {whose}; nothing was sent"
            ))
        })
}

/// On a terminal, ask for the slug; elsewhere require `--yes`.
fn confirm(args: &RevokeAllArgs, base: &gh_revoke::ApiBase) -> Result<(), Failure> {
    confirm_by_typing(
        args.yes,
        "all credential authorizations",
        &warning_text(args),
        base,
        "enterprise slug",
        &args.enterprise,
    )
}

/// Unless `yes`: on a terminal, show `warning` and ask for `name` (the `what`, e.g. "enterprise
/// slug") to be typed; elsewhere refuse, saying `--yes` is needed to revoke `revoking`.
pub fn confirm_by_typing(
    yes: bool,
    revoking: &str,
    warning: &str,
    base: &gh_revoke::ApiBase,
    what: &str,
    name: &str,
) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() || !std::io::stderr().is_terminal() {
        return Err(usage(format!(
            "refusing to revoke {revoking} without confirmation: \
             not on a terminal, so pass --yes; nothing was sent"
        )));
    }
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{warning}");
    let _ = writeln!(stderr, "API: {base}");
    let _ = write!(stderr, "Type the {what} ({name}) to confirm: ");
    let _ = stderr.flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|err| usage(format!("could not read the confirmation: {err}")))?;
    if answer.trim() == name {
        Ok(())
    } else {
        Err(usage(format!(
            "confirmation did not match the {what}; nothing was sent"
        )))
    }
}

/// What will happen, in the user's terms.
pub fn warning_text(args: &RevokeAllArgs) -> String {
    let mut text = format!(
        "This revokes EVERY credential authorization in enterprise {:?}: every organization, \
         including guests, outside and repository collaborators.",
        args.enterprise
    );
    if args.revoke_credentials {
        text.push_str(
            "\nWith --revoke-credentials it also DESTROYS members' personal access tokens \
             (classic and fine-grained) and SSH keys (Enterprise Managed Users only).",
        );
    }
    text.push_str(
        "\nThe token you are using may itself be revoked. GitHub queues the work; it cannot \
         be undone.",
    );
    text
}

/// The report on stdout (`--json`) and the summary on stderr; `Err` when the report could not
/// be written.
fn print(report: &RevokeAllReport, args: &RevokeAllArgs) -> Result<(), String> {
    let written = if args.json {
        crate::output::write_json(report)
    } else {
        Ok(())
    };
    if !args.verbosity.quiet {
        let mut stderr = std::io::stderr().lock();
        // GitHub's own status (202 as documented; 204 or another 2xx said as it came).
        let message = report
            .message
            .clone()
            .unwrap_or_else(|| format!("GitHub accepted the request ({})", report.status));
        let _ = writeln!(
            stderr,
            "{}: {message} ({}; API: {})",
            report.enterprise, report.status, report.api_url
        );
        if let Some(warning) = &report.warning {
            let _ = writeln!(stderr, "warning: {warning}");
        }
        if let Some(note) = &report.note {
            let _ = writeln!(stderr, "note: {note}");
        }
    }
    written
}
