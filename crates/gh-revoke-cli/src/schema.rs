//! `gh-revoke schema`: the JSON Schema of both `--json` reports.

use gh_revoke::RevokeAllReport;

use crate::kill::CredentialsReport;

use crate::exit::{Failure, Outcome};

/// Print `{"credentials": <schema>, "enterprise_revoke_all": <schema>}`.
pub fn run() -> Result<Outcome, Failure> {
    let schemas = serde_json::json!({
        "credentials": schemars::schema_for!(CredentialsReport),
        "enterprise_revoke_all": schemars::schema_for!(RevokeAllReport),
    });
    let text = serde_json::to_string_pretty(&schemas)
        .map_err(|err| Failure::Request(format!("could not render the schema: {err}")))?;
    println!("{text}");
    Ok(Outcome::Success)
}
