//! [`AlertsOptions`]: what an alerts run does beyond listing.

use crate::plan::PlanOptions;

/// What an alerts run does beyond listing.
#[derive(Debug, Clone)]
pub struct AlertsOptions {
    pub(super) plan: PlanOptions,
    pub(super) dry_run: bool,
    pub(super) resolve: bool,
    pub(super) comment: Option<String>,
}

impl Default for AlertsOptions {
    /// Revoke and resolve, the default comment, batches of 1000.
    fn default() -> Self {
        Self {
            plan: PlanOptions::default(),
            dry_run: false,
            resolve: true,
            comment: None,
        }
    }
}

impl AlertsOptions {
    /// List and plan only: no revocation, no `PATCH`.
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = dry_run;
        self
    }

    /// Resolve the alerts of accepted credentials (default `true`).
    pub fn resolve(mut self, resolve: bool) -> Self {
        self.resolve = resolve;
        self
    }

    /// The resolution comment (default: "Revoked with gh-revoke: submitted to GitHub's
    /// credential revocation API, accepted at TIME").
    pub fn comment(mut self, comment: Option<String>) -> Self {
        self.comment = comment;
        self
    }

    /// How credentials are batched.
    pub fn plan_options(mut self, plan: PlanOptions) -> Self {
        self.plan = plan;
        self
    }
}
