//! [`AlertsClient`]: from GitHub's open secret-scanning alerts to revoked credentials and
//! resolved alerts.
//!
//! The flow, [`AlertsClient::run`]: list the open alerts of GitHub's token types (every page,
//! by `Link: rel="next"`), classify each alert's `secret`, plan the revocable ones (deduped
//! across alerts: one token in five repositories is revoked once), revoke them with the
//! anonymous [`RevokeClient`], then resolve each alert whose credential was accepted, one
//! `PATCH` at a time, at least a second apart. The caller's token authenticates only the
//! secret-scanning calls: the two clients never share a transport or settings, and
//! `POST /credentials/revoke` stays anonymous.
//!
//! Optionally ([`AlertsRun::revoke_installation_tokens`]), installation tokens revoke
//! themselves through a [`crate::InstallationClient`] and their alerts are resolved too; and
//! ([`AlertsRun::verify`]) every credential revoked is checked through a
//! [`crate::VerifyClient`] **before** resolving, so that an alert whose credential still works
//! stays open ([`AlertOutcome::StillLive`]). Both use each leaked credential alone, never the
//! caller's token.

mod call;
mod client;
mod error;
mod event;
mod get;
mod list;
mod options;
mod own;
mod planning;
mod report;
mod resolve;
mod retry;
mod reverify;
mod run;
mod target;

use std::time::Duration;

pub use client::{AlertsClient, AlertsClientBuilder};
pub use error::AlertsError;
pub use event::AlertsEvent;
pub use list::Alert;
pub use options::AlertsOptions;
pub use report::{AlertCounts, AlertItem, AlertOutcome, AlertsReport, AlertsRunReport};
pub use run::AlertsRun;
pub use target::AlertTarget;

/// The `secret_type` filter of the listing: GitHub's token types (GitHub docs, "Supported
/// secret scanning patterns"; the same four in the REST reference's examples). SSH keys
/// (`github_ssh_private_key`) cannot be revoked by value and are left out.
pub const ALERT_SECRET_TYPES: &str = "github_personal_access_token,github_oauth_access_token,\
github_refresh_token,github_app_installation_access_token";

/// Which tokens can list and resolve alerts (GitHub REST docs, "REST API endpoints for secret
/// scanning", fine-grained access tokens and OAuth scopes of each operation; confirmed by the
/// operation's description in github/rest-api-description as vendored by the jinxapi-github
/// crate: "`repo` scope or `security_events` scope", apps "`secret_scanning_alerts` write").
pub const ALERTS_TOKEN_SCOPES: &str = "classic tokens need the `repo` or `security_events` \
scope; fine-grained tokens and GitHub Apps need the \"Secret scanning alerts\" repository \
permission (read to list, write to resolve); the enterprise listing accepts classic tokens only";

/// The least time between two `PATCH`es by default (GitHub: mutating requests at least a
/// second apart).
pub const DEFAULT_RESOLVE_INTERVAL: Duration = Duration::from_secs(1);
