//! The app's JWT: RS256, `iat` 60 s in the past, `exp` at most 10 minutes after `iat`, `iss` the
//! app's id; cached, and signed anew when less than [`JWT_RENEW_MARGIN`] remain.
//!
//! Source: docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/
//! generating-a-json-web-token-jwt-for-a-github-app: "iat ... we recommend that you set this 60
//! seconds in the past", "exp ... no more than 10 minutes into the future", "iss: The client ID
//! or application ID", algorithm RS256; sent as `Authorization: Bearer` (the generated client's
//! hooks, `Settings::with_app_jwt`). Second source: the vendored description
//! `openapi/github-credentials.json` (`apps/create-installation-access-token`: "You must use a
//! JWT to access this endpoint").

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, Header};
use secrecy::SecretString;
use serde::Serialize;

use super::error::AppError;
use super::id::{AppId, AppKey};

/// How far `iat` is set in the past, against clock drift (GitHub's recommendation).
pub const JWT_BACKDATE: Duration = Duration::from_secs(60);
/// The longest a JWT may live, counted from its `iat` (GitHub: `exp` "no more than 10 minutes
/// into the future").
pub const JWT_MAX_LIFETIME: Duration = Duration::from_secs(600);
/// A cached JWT is replaced when less than this remains before its `exp`.
pub const JWT_RENEW_MARGIN: Duration = Duration::from_secs(60);

#[derive(Serialize)]
struct Claims<'a> {
    iat: u64,
    exp: u64,
    iss: Iss<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Iss<'a> {
    Number(u64),
    Text(&'a str),
}

/// Sign a JWT with these claims (seconds since the epoch).
pub(super) fn sign(key: &AppKey, id: &AppId, iat: u64, exp: u64) -> Result<String, AppError> {
    let iss = match id {
        AppId::Numeric(n) => Iss::Number(*n),
        AppId::ClientId(text) => Iss::Text(text),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::RS256),
        &Claims { iat, exp, iss },
        &key.key,
    )
    .map_err(|_| AppError::Jwt)
}

/// A JWT and when it expires.
struct Signed {
    jwt: SecretString,
    exp: SystemTime,
}

/// The app's JWT, signed when needed and reused until less than [`JWT_RENEW_MARGIN`] remains.
pub(super) struct JwtCache {
    id: AppId,
    key: AppKey,
    lifetime: Duration,
    current: Mutex<Option<Signed>>,
}

impl std::fmt::Debug for JwtCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtCache")
            .field("id", &self.id)
            .field("key", &self.key)
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

impl JwtCache {
    /// A cache for `id` signing with `key`; `lifetime` (from `iat`) is capped at
    /// [`JWT_MAX_LIFETIME`] and kept above backdate plus margin so that a JWT is usable at all.
    pub(super) fn new(id: AppId, key: AppKey, lifetime: Duration) -> Self {
        let lifetime = lifetime.clamp(
            JWT_BACKDATE + JWT_RENEW_MARGIN + Duration::from_secs(1),
            JWT_MAX_LIFETIME,
        );
        Self {
            id,
            key,
            lifetime,
            current: Mutex::new(None),
        }
    }

    pub(super) fn id(&self) -> &AppId {
        &self.id
    }

    /// The JWT to send now.
    pub(super) fn jwt(&self) -> Result<SecretString, AppError> {
        self.jwt_at(SystemTime::now())
    }

    /// The JWT to send at `now`: the cached one while at least [`JWT_RENEW_MARGIN`] remains,
    /// else a new one with `iat = now - 60 s` and `exp = iat + lifetime`.
    pub(super) fn jwt_at(&self, now: SystemTime) -> Result<SecretString, AppError> {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(signed) = current.as_ref()
            && signed
                .exp
                .duration_since(now)
                .is_ok_and(|left| left >= JWT_RENEW_MARGIN)
        {
            return Ok(signed.jwt.clone());
        }
        let secs = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| AppError::Jwt)?
            .as_secs();
        let iat = secs.saturating_sub(JWT_BACKDATE.as_secs());
        let exp = iat + self.lifetime.as_secs();
        let jwt = SecretString::from(sign(&self.key, &self.id, iat, exp)?);
        *current = Some(Signed {
            jwt: jwt.clone(),
            exp: UNIX_EPOCH + Duration::from_secs(exp),
        });
        Ok(jwt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    const KEY: &str = include_str!("../../tests/fixtures/test-app-key.pem");
    const PUBLIC: &str = include_str!("../../tests/fixtures/test-app-key.pub.pem");

    fn claims(jwt: &SecretString) -> serde_json::Value {
        let key = jsonwebtoken::DecodingKey::from_rsa_pem(PUBLIC.as_bytes()).unwrap();
        let mut validation = jsonwebtoken::Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        jsonwebtoken::decode::<serde_json::Value>(jwt.expose_secret(), &key, &validation)
            .unwrap()
            .claims
    }

    fn cache(id: AppId) -> JwtCache {
        JwtCache::new(
            id,
            AppKey::from_pem(KEY.as_bytes()).unwrap(),
            JWT_MAX_LIFETIME,
        )
    }

    #[test]
    fn claims_are_backdated_capped_and_name_the_app() {
        let t0 = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let jwt = cache(AppId::ClientId("Iv23liTest".into()))
            .jwt_at(t0)
            .unwrap();
        let c = claims(&jwt);
        assert_eq!(c["iat"], 1_800_000_000 - 60);
        assert_eq!(c["exp"], 1_800_000_000 - 60 + 600);
        assert_eq!(c["iss"], "Iv23liTest");

        let jwt = cache(AppId::Numeric(42)).jwt_at(t0).unwrap();
        assert_eq!(claims(&jwt)["iss"], 42);
        // An asked-for lifetime beyond GitHub's 10 minutes is capped.
        let long = JwtCache::new(
            AppId::Numeric(42),
            AppKey::from_pem(KEY.as_bytes()).unwrap(),
            Duration::from_secs(3600),
        );
        let c = claims(&long.jwt_at(t0).unwrap());
        assert_eq!(c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(), 600);
    }

    #[test]
    fn the_jwt_is_reused_until_less_than_a_minute_remains() {
        let t0 = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let cache = cache(AppId::Numeric(7));
        let first = cache.jwt_at(t0).unwrap();
        // exp = t0 + 540 s: at t0 + 480 s exactly 60 s remain, still reused.
        let later = cache.jwt_at(t0 + Duration::from_secs(480)).unwrap();
        assert_eq!(first.expose_secret(), later.expose_secret());
        // At t0 + 481 s only 59 s remain: a new one, issued then.
        let renewed = cache.jwt_at(t0 + Duration::from_secs(481)).unwrap();
        assert_ne!(first.expose_secret(), renewed.expose_secret());
        assert_eq!(claims(&renewed)["iat"], 1_800_000_000 + 481 - 60);
    }

    #[test]
    fn debug_shows_no_key_or_jwt() {
        let cache = cache(AppId::Numeric(7));
        let jwt = cache.jwt().unwrap();
        let text = format!("{cache:?} {jwt:?}");
        assert!(!text.contains(jwt.expose_secret()), "{text}");
        assert!(!text.contains("PRIVATE KEY"), "{text}");
        let body = KEY.lines().nth(1).unwrap();
        assert!(!text.contains(&body[..20]), "{text}");
    }
}
