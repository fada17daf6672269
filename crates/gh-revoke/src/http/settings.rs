//! [`ClientSettings`]: what every client's builder holds (user agent, API version, timeouts,
//! retry policy, maximum wait), its defaults in one place, and the one build of a client's
//! transport and headers from it. The builders' setters are written once, by
//! [`client_settings_setters!`](crate::client_settings_setters).

use std::time::Duration;

use gh_revoke_api::hooks::{Operation, Settings};
use secrecy::{ExposeSecret, SecretString};

use super::ClientError;
use crate::revoke::RetryPolicy;

/// The default for [`ClientSettings::timeout`]: 30 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default for [`ClientSettings::connect_timeout`]: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest single wait when the caller set no [`ClientSettings::max_wait`]: a week.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(7 * 24 * 3600);

/// How a client talks to GitHub, the same for every client: each builder holds one and sets
/// it through the same setters (`user_agent`, `api_version`, `timeout`, `connect_timeout`,
/// `retry_policy`, `max_wait`, as far as the client uses them). What is particular to a client
/// (the token it carries, a resolve interval, a verification timeout) stays in that client's
/// builder: this type has no place for a token.
///
/// ```
/// use std::time::Duration;
/// use gh_revoke::ClientSettings;
///
/// let mut settings = ClientSettings::default();
/// settings.timeout = Duration::from_secs(5);
/// assert_eq!(settings.connect_timeout, Duration::from_secs(10));
/// ```
///
/// The settings have no place for a token, so the anonymous revoke client's builder, which
/// holds only settings and a base URL, cannot be given one:
///
/// ```compile_fail
/// let mut settings = gh_revoke::ClientSettings::default();
/// settings.token = Some("ghp_x".to_owned());
/// ```
///
/// ```compile_fail
/// let builder = gh_revoke::RevokeClient::builder(gh_revoke::ApiBase::github_com());
/// let _ = builder.token("ghp_x");
/// ```
///
/// ```
/// // (the same without the token compiles)
/// let builder = gh_revoke::RevokeClient::builder(gh_revoke::ApiBase::github_com());
/// let _ = builder.user_agent("agent/1").build();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientSettings {
    /// The `User-Agent` sent; `None` sends `gh-revoke/VERSION`.
    pub user_agent: Option<String>,
    /// The `X-GitHub-Api-Version` sent with the client's operations; `None` sends each
    /// operation's default (`2022-11-28`).
    pub api_version: Option<String>,
    /// Give up on one request after this long ([`DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
    /// Give up connecting after this long ([`DEFAULT_CONNECT_TIMEOUT`]).
    pub connect_timeout: Duration,
    /// Retry and pacing bounds.
    pub retry_policy: RetryPolicy,
    /// Stop instead of waiting longer than this at once; `None` waits up to
    /// [`DEFAULT_MAX_WAIT`] (a longer wait, which only absurd headers can ask for, stops the run).
    pub max_wait: Option<Duration>,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self {
            user_agent: None,
            api_version: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry_policy: RetryPolicy::default(),
            max_wait: None,
        }
    }
}

impl ClientSettings {
    /// The longest single wait: [`ClientSettings::max_wait`], else [`DEFAULT_MAX_WAIT`].
    pub fn max_wait_or_default(&self) -> Duration {
        self.max_wait.unwrap_or(DEFAULT_MAX_WAIT)
    }

    /// The HTTP client every gh-revoke client runs on: the generated crate's transport (rustls,
    /// no redirects, no default headers) with these timeouts.
    pub fn http(&self) -> Result<reqwest::Client, ClientError> {
        gh_revoke_api::transport::client_builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .build()
            .map_err(ClientError::transport)
    }

    /// The generated client's header settings: `token` (the caller's, never for an anonymous
    /// or leaked-token client: those pass `None`), the `User-Agent`, and the API version for
    /// each of `operations`. Errors name the setting, never its value.
    pub fn headers(
        &self,
        token: Option<&SecretString>,
        operations: &[Operation],
    ) -> Result<Settings, ClientError> {
        let mut settings = Settings::default();
        if let Some(token) = token {
            settings = settings
                .with_bearer_token(token.expose_secret())
                .map_err(ClientError::header("the token"))?;
        }
        if let Some(agent) = &self.user_agent {
            settings = settings
                .with_user_agent(agent)
                .map_err(ClientError::header("the User-Agent"))?;
        }
        if let Some(version) = &self.api_version {
            for &operation in operations {
                settings = settings
                    .with_api_version(operation, version)
                    .map_err(ClientError::header("the API version"))?;
            }
        }
        Ok(settings)
    }
}

/// Adds the named [`ClientSettings`] setters to a builder that holds its settings in a field
/// `settings`: `client_settings_setters!(MyBuilder: user_agent, timeout, connect_timeout);`.
/// The setters are `user_agent`, `api_version`, `timeout`, `connect_timeout`, `retry_policy` and
/// `max_wait`; a builder names those its client uses, so every builder's setters are the same
/// code with the same documentation.
#[macro_export]
macro_rules! client_settings_setters {
    ($builder:ty: $($setter:ident),+ $(,)?) => {
        impl $builder {
            $( $crate::client_settings_setters!(@setter $setter); )+
        }
    };
    (@setter user_agent) => {
        /// Send `User-Agent: user_agent` (default `gh-revoke/VERSION`).
        pub fn user_agent(mut self, user_agent: impl ::core::convert::Into<::std::string::String>) -> Self {
            self.settings.user_agent = ::core::option::Option::Some(user_agent.into());
            self
        }
    };
    (@setter api_version) => {
        /// Send this `X-GitHub-Api-Version` (default `2022-11-28`).
        pub fn api_version(mut self, version: impl ::core::convert::Into<::std::string::String>) -> Self {
            self.settings.api_version = ::core::option::Option::Some(version.into());
            self
        }
    };
    (@setter timeout) => {
        /// Give up on one request after this long (default 30 s); whether it is then retried
        /// is the client's rule (see its documentation).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.settings.timeout = timeout;
            self
        }
    };
    (@setter connect_timeout) => {
        /// Give up connecting after this long (default 10 s); nothing was sent then.
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.settings.connect_timeout = timeout;
            self
        }
    };
    (@setter retry_policy) => {
        /// Retry and pacing bounds (`gh_revoke::RetryPolicy`).
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.settings.retry_policy = policy;
            self
        }
    };
    (@setter max_wait) => {
        /// Stop instead of waiting longer than `max_wait` at once; `None` waits up to a week
        /// (a longer wait, which only absurd headers can ask for, stops the run).
        pub fn max_wait(mut self, max_wait: ::core::option::Option<::std::time::Duration>) -> Self {
            self.settings.max_wait = max_wait;
            self
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default)]
    struct Builder {
        settings: ClientSettings,
    }

    crate::client_settings_setters!(Builder: user_agent, api_version, timeout, connect_timeout, retry_policy, max_wait);

    #[test]
    fn the_defaults_are_in_one_place() {
        let settings = ClientSettings::default();
        assert_eq!(settings.timeout, Duration::from_secs(30));
        assert_eq!(settings.connect_timeout, Duration::from_secs(10));
        assert_eq!(settings.max_wait_or_default(), Duration::from_secs(604_800));
        assert_eq!(settings.retry_policy, RetryPolicy::default());
        assert_eq!((settings.user_agent, settings.api_version), (None, None));
    }

    #[test]
    fn every_setter_writes_its_field() {
        let policy = RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        };
        let built = Builder::default()
            .user_agent("agent/1")
            .api_version("2026-03-10")
            .timeout(Duration::from_secs(3))
            .connect_timeout(Duration::from_secs(2))
            .retry_policy(policy.clone())
            .max_wait(Some(Duration::from_secs(9)))
            .settings;
        assert_eq!(built.user_agent.as_deref(), Some("agent/1"));
        assert_eq!(built.api_version.as_deref(), Some("2026-03-10"));
        assert_eq!(built.timeout, Duration::from_secs(3));
        assert_eq!(built.connect_timeout, Duration::from_secs(2));
        assert_eq!(built.retry_policy, policy);
        assert_eq!(built.max_wait_or_default(), Duration::from_secs(9));
    }

    #[test]
    fn a_bad_header_is_named_never_shown() {
        let secret = SecretString::from("ghp_not\nreal".to_owned());
        let err = ClientSettings::default()
            .headers(Some(&secret), &[])
            .unwrap_err();
        assert!(!err.to_string().contains("ghp_not"), "{err}");
        assert!(err.to_string().contains("the token"), "{err}");
        let settings = ClientSettings {
            user_agent: Some("bad\nagent".into()),
            ..ClientSettings::default()
        };
        let err = settings.headers(None, &[]).unwrap_err();
        assert!(err.to_string().contains("User-Agent"), "{err}");
    }
}
