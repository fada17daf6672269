//! Killing what `POST /credentials/revoke` cannot, and proving what died: the calls that use a
//! leaked credential **on itself**, through [`gh_revoke_api::LeakedTokenClient`] only.
//!
//! - [`KillList`] keeps, while the input is read, the installation tokens a [`crate::Plan`]
//!   sets aside and where each credential was found;
//! - [`InstallationClient`]: each installation token (`ghs_`) revokes itself
//!   (`DELETE /installation/token`): [`InstallationReport`];
//! - [`VerifyClient`]: each credential is checked with `GET /rate_limit` authenticated by it
//!   alone (401 dead, 200 live): [`VerifyReport`].
//!
//! Neither client can take the caller's token (`GH_TOKEN`): they have no method for one, and
//! build their own transport with no default headers.
//!
//! ```no_run
//! use gh_revoke::{ApiBase, InputMode, InstallationClient, KillList, Plan, PlanOptions};
//! use gh_revoke::{ToVerify, VerifyClient};
//!
//! # async fn run(text: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let mut plan: Plan = Plan::new(PlanOptions::default());
//! let mut kill = KillList::new().keep_installation_tokens(true);
//! gh_revoke::feed(&mut kill.tee(&mut plan), InputMode::Scan, text.as_bytes(), "leak.log")?;
//! let installation = InstallationClient::builder(ApiBase::github_com()).build()?;
//! let report = installation.revoke(kill.installation_tokens()).await;
//! println!("{} revoked, {} already dead", report.revoked, report.already_dead);
//! // Prove it: every token that should be dead, checked.
//! let checks = kill
//!     .installation_tokens()
//!     .iter()
//!     .map(|t| ToVerify::new(t.credential().clone(), Some(t.location().clone())));
//! let verified = VerifyClient::builder(ApiBase::github_com()).build()?.verify(checks).await;
//! assert_eq!(verified.live, 0);
//! # Ok(()) }
//! ```

mod answer;
mod installation;
mod keep;
mod verify;

use gh_revoke_api::LeakedTokenClient;
use gh_revoke_api::hooks::{Operation, Settings};

pub use installation::{
    InstallationClient, InstallationClientBuilder, InstallationReport, InstallationStatus,
    InstallationTokenReport, RevokeInstallations,
};
pub use keep::{InstallationToken, KillList, Tee};
pub use verify::{
    CheckedCredential, DEFAULT_VERIFY_TIMEOUT, Liveness, MAX_CHECKS_IN_FLIGHT, ToVerify, Verify,
    VerifyClient, VerifyClientBuilder, VerifyReport,
};

use crate::http::{ApiBase, ClientError, ClientSettings};

/// What both clients hold: where to send, the HTTP transport, and GitHub's headers.
#[derive(Debug)]
struct Transport {
    base: ApiBase,
    http: reqwest::Client,
    settings: Settings,
}

impl Transport {
    /// The transport for `operation` with `settings` (its API version for `operation` only).
    fn new(
        base: ApiBase,
        settings: &ClientSettings,
        operation: Operation,
    ) -> Result<Self, ClientError> {
        // No caller's token: the only token on a request is the one `LeakedTokenClient`
        // puts there.
        Ok(Self {
            base,
            http: settings.http()?,
            settings: settings.headers(None, &[operation])?,
        })
    }

    /// A client authenticated by `secret` alone. The error never contains it.
    fn leaked(&self, secret: &str) -> Result<LeakedTokenClient, String> {
        LeakedTokenClient::new(
            self.base.as_str(),
            self.http.clone(),
            self.settings.clone(),
            secret,
        )
        .map_err(|_| "the credential cannot be sent as an HTTP header value".to_owned())
    }
}
