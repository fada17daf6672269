//! `gh-revoke schema`: the JSON Schema of every `--json` report.

use gh_revoke::{AlertsRunReport, RevocationReport, RevokeAllReport};

use crate::kill::CredentialsReport;

use crate::exit::{Failure, Outcome};

/// Print `{"credentials": <schema>, "alerts": <schema>, "enterprise_revoke_all": <schema>,
/// "enterprise_revoke": <schema>, "org_revoke": <schema>}` (the last two are the same report).
/// In the last three, `error` (kind, status, GitHub's message, what was done) is present when
/// the call did not succeed.
pub fn run() -> Result<Outcome, Failure> {
    let schemas = serde_json::json!({
        "credentials": schemars::schema_for!(CredentialsReport),
        "alerts": schemars::schema_for!(AlertsRunReport),
        "enterprise_revoke_all": schemars::schema_for!(RevokeAllReport),
        "enterprise_revoke": schemars::schema_for!(RevocationReport),
        "org_revoke": schemars::schema_for!(RevocationReport),
    });
    crate::output::write_json(&schemas).map_err(Failure::Request)?;
    Ok(Outcome::Success)
}
