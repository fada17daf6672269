//! Running as a GitHub App: the app's identity and JWT, its installation tokens, its
//! installations, and creating the app in one step (the manifest flow).
//!
//! - [`AppId`] and [`AppKey`]: `--app-id` (the client ID, which GitHub recommends, or the
//!   numeric app ID) and the private key loaded from a PEM file.
//! - [`AppClient`]: signs the app's JWT (RS256, `iat` 60 s in the past, `exp` at most 10 minutes
//!   after `iat`, `iss` the id; cached and renewed when less than 60 s remain), holds the
//!   [`InstallationTokens`] cache, and lists the app's installations and an installation's
//!   repositories.
//! - [`manifest`]: creating the app in one step (GitHub's manifest flow, `gh-revoke app create`).
//! - [`InstallationTokens`]: one installation token per installation, asking for
//!   `secret_scanning_alerts: write` only, renewed when less than 5 minutes remain of its
//!   `expires_at`, created once for all concurrent callers.
//!
//! Every secret here (the private key, the JWT, installation tokens) is held as a
//! [`secrecy::SecretString`] or inside a type whose `Debug` redacts it, and is sent only to the
//! configured API base. Errors never contain one.
//!
//! Facts and their sources (also in each module): GitHub's "Generating a JSON Web Token (JWT)
//! for a GitHub App" (docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/
//! generating-a-json-web-token-jwt-for-a-github-app) and the vendored description
//! `openapi/github-credentials.json` (`apps/create-installation-access-token`,
//! `apps/list-installations`, `apps/list-repos-accessible-to-installation`,
//! `apps/create-from-manifest`).

mod client;
mod error;
mod id;
mod jwt;
mod list;

pub mod manifest;
mod tokens;

pub use client::{AppClient, AppClientBuilder};
pub use error::AppError;
pub use id::{AppId, AppKey};
pub use list::{AccountKind, AppInstallation};
pub use tokens::{INSTALLATION_TOKEN_PERMISSION, InstallationTokens, TOKEN_RENEW_MARGIN};

pub use jwt::{JWT_MAX_LIFETIME, JWT_RENEW_MARGIN};
