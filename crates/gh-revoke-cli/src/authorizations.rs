//! `gh-revoke enterprise revoke` and `gh-revoke org revoke`: the siblings of revoke-all, with
//! its safety (typed confirmation, `--yes` off a terminal, host rules, token from the
//! environment), through the library's one answer path ([`EnterpriseClient::revoke`]).

use std::io::Write;

use gh_revoke::{CredentialType, EnterpriseClient, EnterpriseError, RevocationReport, Target};

use crate::args::{EnterpriseRevokeArgs, OrgRevokeArgs, RevokeCommon};
use crate::enterprise::{ENTERPRISE_OWNER, confirm_by_typing, token_from_env};
use crate::exit::{Failure, Outcome, usage};
use crate::output::say;
use crate::{host, logging};

/// Whose token an organization call needs, for the missing-token message.
const ORG_OWNER: &str = "an organization owner's token (classic PATs need the admin:org scope)";

/// Run `enterprise revoke`.
pub fn run_enterprise(args: EnterpriseRevokeArgs) -> Result<Outcome, Failure> {
    let target = narrow(Target::enterprise(&args.enterprise), &args.common)
        .revoke_credentials(args.revoke_credentials);
    run(target, &args.common, ENTERPRISE_OWNER, "enterprise slug")
}

/// Run `org revoke`.
pub fn run_org(args: OrgRevokeArgs) -> Result<Outcome, Failure> {
    let target = narrow(Target::org(&args.org), &args.common);
    run(target, &args.common, ORG_OWNER, "organization name")
}

fn narrow(mut target: Target, common: &RevokeCommon) -> Target {
    if let Some(user) = &common.user {
        target = target.user(user);
    }
    if let Some(kind) = common.credential_type {
        target = target.credential_type(kind.into());
    }
    target
}

fn run(target: Target, common: &RevokeCommon, whose: &str, what: &str) -> Result<Outcome, Failure> {
    logging::init(&common.verbosity);
    // Refuse impossible requests (bad names, destroying OAuth app tokens) before asking anything.
    target.validate().map_err(usage)?;
    let base = host::resolve(&common.host)?;
    let token = token_from_env(whose)?;
    confirm_by_typing(
        common.yes,
        &target.describe(),
        &warning_text(&target),
        &base,
        what,
        target.scope().name(),
    )?;

    let client = EnterpriseClient::builder(base.clone(), token)
        .timeout(common.host.timeout)
        .build()
        .map_err(usage)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Failure::Request(format!("could not start the async runtime: {err}")))?;
    let report = match runtime.block_on(client.revoke(&target)) {
        Ok(report) => report,
        Err(err) => {
            if common.json {
                let failed = RevocationReport::failed(&base, &target, &err);
                if let Err(message) = crate::output::write_json(&failed) {
                    say!("gh-revoke: {message}");
                }
            }
            return Err(match err {
                EnterpriseError::InvalidSlug(_)
                | EnterpriseError::InvalidName { .. }
                | EnterpriseError::CannotDestroy { .. } => usage(err),
                other => Failure::Request(other.to_string()),
            });
        }
    };
    let written = print(&report, common);
    Ok(crate::output::settle(Outcome::Success, written))
}

/// What will happen, in the user's terms.
pub fn warning_text(target: &Target) -> String {
    let mut text = format!(
        "This revokes {}, including this token's if it is one.",
        target.describe()
    );
    if target.login().is_none() && target.kind().is_none() {
        text.push_str(&format!(
            "\nThat is every member's, guest's and collaborator's authorization in the {}.",
            target.scope().kind()
        ));
    }
    if target.destroys_credentials() {
        let whose = match target.login() {
            Some(login) => format!("user {login}'s"),
            None => "members'".to_owned(),
        };
        let what = match target.kind() {
            Some(CredentialType::ClassicPat) => "classic personal access tokens",
            Some(CredentialType::FineGrainedPat) => "fine-grained personal access tokens",
            Some(CredentialType::SshKey) => "SSH keys",
            _ => "personal access tokens (classic and fine-grained) and SSH keys",
        };
        text.push_str(&format!(
            "\nWith --revoke-credentials it also DESTROYS {whose} {what} \
             (Enterprise Managed Users only)."
        ));
    } else if let gh_revoke::Scope::Org { .. } = target.scope() {
        text.push_str(
            "\nThe credentials themselves stay; their owners must authorize them for the \
             organization again.",
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
fn print(report: &RevocationReport, common: &RevokeCommon) -> Result<(), String> {
    let written = if common.json {
        crate::output::write_json(report)
    } else {
        Ok(())
    };
    if !common.verbosity.quiet {
        let mut stderr = std::io::stderr().lock();
        let message = report
            .message
            .as_deref()
            .unwrap_or("GitHub accepted the request");
        let _ = writeln!(
            stderr,
            "{}: {message} ({}; API: {})",
            report.description, report.status, report.api_url
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
