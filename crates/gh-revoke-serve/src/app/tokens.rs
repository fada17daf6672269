//! [`InstallationTokens`]: one installation token per installation, created once for every
//! concurrent caller, reused until less than [`TOKEN_RENEW_MARGIN`] remains of its `expires_at`.
//!
//! Facts (the vendored description `openapi/github-credentials.json`,
//! `apps/create-installation-access-token`, and docs@02d420b3:data/reusables/apps/
//! generate-installation-access-token.md): `POST /app/installations/{installation_id}/access_tokens`
//! with the app's JWT answers 201 with `token` and `expires_at`; "Installation tokens expire one
//! hour from the time you create them. Using an expired token produces a status code of
//! `401 - Unauthorized`"; the body's `permissions` narrows what the token may do ("cannot be
//! granted permissions that the app was not granted"). New tokens may be `ghs_APPID_JWT`
//! (stateless, any length): nothing here checks a token's length or shape.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use gh_revoke_api::types;
use secrecy::{ExposeSecret, SecretString};

use super::client::Api;
use super::error::AppError;

/// A cached installation token is replaced when less than this remains before its
/// `expires_at`: with GitHub's one-hour tokens, one creation per installation every ~55 minutes.
pub const TOKEN_RENEW_MARGIN: Duration = Duration::from_secs(5 * 60);

/// The one permission an installation token is asked for: `secret_scanning_alerts: write`
/// (read an alert with its secret, resolve it). Source: `components/schemas/app-permissions`
/// in the vendored description (`secret_scanning_alerts`: `read` | `write`).
pub const INSTALLATION_TOKEN_PERMISSION: (&str, &str) = ("secret_scanning_alerts", "write");

/// GitHub's documented lifetime of an installation token, used when `expires_at` cannot be
/// read (and as the cap when it says more).
const TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);

const CREATE: &str = "apps/create-installation-access-token";

struct Cached {
    token: SecretString,
    expires: SystemTime,
}

type Slot = Arc<tokio::sync::Mutex<Option<Cached>>>;

/// Installation tokens, cached per installation. Cheap to clone: clones share the cache.
///
/// - [`InstallationTokens::token`] hands out the cached token while at least
///   [`TOKEN_RENEW_MARGIN`] remains, else creates one asking for
///   [`INSTALLATION_TOKEN_PERMISSION`] only. Concurrent callers for one installation wait for
///   the same creation (a tokio mutex per installation), so steady load creates at most one
///   token per installation per ~55 minutes.
/// - [`InstallationTokens::invalidate`]: a caller that got 401 with a token drops it, so the
///   next call creates one; callers that got 401 with the same token drop it only once.
///
/// Tokens are [`SecretString`]s: never logged, never stored, sent only to the API base.
#[derive(Clone)]
pub struct InstallationTokens {
    api: Arc<Api>,
    slots: Arc<Mutex<HashMap<u64, Slot>>>,
    created: Arc<AtomicU64>,
}

impl std::fmt::Debug for InstallationTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let installations: Vec<u64> = self
            .slots
            .lock()
            .map(|slots| slots.keys().copied().collect())
            .unwrap_or_default();
        f.debug_struct("InstallationTokens")
            .field("installations", &installations)
            .field("created", &self.created())
            .finish_non_exhaustive()
    }
}

impl InstallationTokens {
    pub(super) fn new(api: Arc<Api>) -> Self {
        Self {
            api,
            slots: Arc::default(),
            created: Arc::default(),
        }
    }

    /// How many tokens this cache has created so far (for metrics).
    pub fn created(&self) -> u64 {
        self.created.load(Ordering::Relaxed)
    }

    fn slot(&self, installation: u64) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(slots.entry(installation).or_default())
    }

    /// A token for `installation`: the cached one while at least [`TOKEN_RENEW_MARGIN`]
    /// remains of it, else a new one (`POST /app/installations/{id}/access_tokens` with the
    /// app's JWT). A failed creation leaves nothing cached; the next call tries again.
    pub async fn token(&self, installation: u64) -> Result<SecretString, AppError> {
        let slot = self.slot(installation);
        let mut cached = slot.lock().await;
        if let Some(current) = cached.as_ref()
            && current
                .expires
                .duration_since(SystemTime::now())
                .is_ok_and(|left| left >= TOKEN_RENEW_MARGIN)
        {
            return Ok(current.token.clone());
        }
        *cached = None;
        let fresh = self.create(installation).await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Drop `installation`'s cached token if it is still `stale` (the token a request was
    /// refused with, 401): the next [`InstallationTokens::token`] creates a new one. A token
    /// already replaced is left alone, so callers refused with the same token renew it once.
    pub async fn invalidate(&self, installation: u64, stale: &SecretString) {
        let slot = self.slot(installation);
        let mut cached = slot.lock().await;
        if cached
            .as_ref()
            .is_some_and(|c| c.token.expose_secret() == stale.expose_secret())
        {
            tracing::debug!(
                installation,
                "installation token refused: dropped from the cache"
            );
            *cached = None;
        }
    }

    async fn create(&self, installation: u64) -> Result<Cached, AppError> {
        let id = i64::try_from(installation).map_err(|_| AppError::Transport {
            operation: CREATE,
            reason: format!("installation id {installation} is out of range"),
        })?;
        let body = types::AppsCreateInstallationAccessTokenBody {
            permissions: Some(types::AppPermissions {
                secret_scanning_alerts: Some(types::AppPermissionsSecretScanningAlerts::Write),
                ..Default::default()
            }),
            repositories: Vec::new(),
            repository_ids: Vec::new(),
        };
        let asked = SystemTime::now();
        // Creating a token twice is harmless (the first expires unused), so a 5xx or a lost
        // connection is retried like any other call.
        let app = self.api.as_app(CREATE)?;
        let answer = self
            .api
            .caller
            .call(|| app.apps_create_installation_access_token(id, &body))
            .await
            .map_err(|error| AppError::from_call(CREATE, error))?
            .into_inner();
        self.created.fetch_add(1, Ordering::Relaxed);
        // Only the two fields needed leave the generated type (whose Debug would show the
        // token); the rest of it is dropped here.
        let expires_at = answer.expires_at;
        let token = answer
            .token
            .filter(|t| !t.is_empty())
            .ok_or(AppError::BadAnswer {
                operation: CREATE,
                what: "token",
            })?;
        let latest = asked + TOKEN_LIFETIME;
        let expires = expires_at
            .as_deref()
            .and_then(|text| humantime::parse_rfc3339_weak(text).ok())
            .map_or(latest, |at| at.min(latest));
        tracing::debug!(installation, "installation token created");
        Ok(Cached {
            token: SecretString::from(token),
            expires,
        })
    }
}
