//! [`EnterpriseClient`]: `POST /enterprises/{enterprise}/credential-authorizations/revoke-all`,
//! and its seven siblings ([`EnterpriseClient::revoke`] with a [`Target`]): one credential type,
//! one user, or both, in an enterprise or an organization.
//!
//! High impact: revoke-all revokes every credential authorization in the enterprise and, with
//! `revoke_credentials` on an Enterprise Managed Users (EMU) enterprise, destroys members'
//! personal access tokens and SSH keys. The token making the call may be revoked too.
//!
//! All eight calls share one answer path ([`EnterpriseClient::revoke`]): any 2xx is success, an
//! unreadable success body is a note, a timeout or 5xx after sending is an unknown outcome.

mod answer;
mod call;
mod client;
mod error;
mod report;
mod target;
#[cfg(test)]
mod tests;

pub use client::{EnterpriseClient, EnterpriseClientBuilder, OrgClient, OrgClientBuilder};
pub use error::EnterpriseError;
pub use report::{RevocationReport, RevokeAllReport};
pub use target::{CredentialType, Scope, Target};
