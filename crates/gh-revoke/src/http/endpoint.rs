//! Where requests go: a validated API base URL.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use url::Url;

use crate::input::scrub;

/// The default API base URL (github.com).
pub const GITHUB_API: &str = "https://api.github.com";

/// The host of [`GITHUB_API`].
const GITHUB_HOST: &str = "api.github.com";

/// A validated API base URL, without a trailing slash.
///
/// - `https` anywhere; plain `http` only to a loopback address (`127.0.0.0/8`, `::1`,
///   `localhost`), because the request body holds live credentials;
/// - no user name or password in the URL, no query, no fragment.
///
/// Kept as validated text plus its host rather than a parsed [`Url`], so that
/// [`ApiBase::github_com`] builds the default without parsing (no panic path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase {
    /// The URL, without a trailing slash.
    text: String,
    /// The host part of `text`.
    host: String,
}

/// Why a base URL or host name was refused. Messages never repeat a credential-like input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// Not a URL at all.
    #[error("API URL {input:?} is not a URL ({reason}); expected e.g. https://api.github.com")]
    NotAUrl {
        /// The input, scrubbed of anything credential-like.
        input: String,
        /// What the parser said.
        reason: String,
    },
    /// A scheme other than `https` (or `http` to loopback).
    #[error("API URL scheme {scheme:?} is not supported; use https")]
    UnsupportedScheme {
        /// The scheme given.
        scheme: String,
    },
    /// Plain `http` to a host that is not loopback.
    #[error(
        "refusing plain http to {host}: credentials would cross the network unencrypted; \
         use https (plain http is allowed only to loopback addresses)"
    )]
    PlainHttpToRemote {
        /// The host given.
        host: String,
    },
    /// A user name or password in the URL.
    #[error("API URL must not contain a user name or password")]
    HasCredentials,
    /// A query string or fragment.
    #[error("API URL must not have a query or fragment")]
    HasQuery,
    /// A host name that is not usable.
    #[error("host name {host:?} is not valid; expected github.com or SUBDOMAIN.ghe.com")]
    BadHostname {
        /// The host given, scrubbed.
        host: String,
    },
}

impl ApiBase {
    /// `https://api.github.com`.
    pub fn github_com() -> Self {
        Self {
            text: GITHUB_API.to_owned(),
            host: GITHUB_HOST.to_owned(),
        }
    }

    /// The API base for a host name as the gh CLI takes it (`GH_HOST`):
    /// `github.com` → `https://api.github.com`; `SUBDOMAIN.ghe.com` →
    /// `https://api.SUBDOMAIN.ghe.com` (GHE.com data residency); any other host →
    /// `https://HOST/api/v3` (GitHub Enterprise Server).
    pub fn for_hostname(host: &str) -> Result<Self, EndpointError> {
        let host = host.trim().trim_end_matches('/').to_ascii_lowercase();
        let valid = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':');
        if !valid {
            return Err(EndpointError::BadHostname { host: scrub(&host) });
        }
        let url = match host.as_str() {
            "github.com" | "api.github.com" => GITHUB_API.to_owned(),
            h if h.ends_with(".ghe.com") && !h.starts_with("api.") => format!("https://api.{h}"),
            h if h.ends_with(".ghe.com") => format!("https://{h}"),
            h => format!("https://{h}/api/v3"),
        };
        Self::parse(&url)
    }

    /// Parse and validate a base URL (`--api-url`, `GITHUB_API_URL`).
    pub fn parse(input: &str) -> Result<Self, EndpointError> {
        let url = Url::parse(input.trim()).map_err(|err| EndpointError::NotAUrl {
            input: scrub(input),
            reason: err.to_string(),
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(EndpointError::HasCredentials);
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(EndpointError::HasQuery);
        }
        let host = url.host_str().unwrap_or_default().to_owned();
        match url.scheme() {
            "https" if !host.is_empty() => {}
            "http" if is_loopback(&host) => {}
            "http" => return Err(EndpointError::PlainHttpToRemote { host: scrub(&host) }),
            scheme => {
                return Err(EndpointError::UnsupportedScheme {
                    scheme: scrub(scheme),
                });
            }
        }
        let mut url = url;
        let trimmed = url.path().trim_end_matches('/').to_owned();
        url.set_path(&trimmed);
        Ok(Self {
            text: url.as_str().trim_end_matches('/').to_owned(),
            host,
        })
    }

    /// The base URL as text, without a trailing slash (what the generated client takes).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The host this base points at.
    pub fn host(&self) -> &str {
        &self.host
    }
}

impl Default for ApiBase {
    fn default() -> Self {
        Self::github_com()
    }
}

impl fmt::Display for ApiBase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApiBase {
    type Err = EndpointError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames_map_like_the_gh_cli() {
        assert_eq!(
            ApiBase::for_hostname("github.com").unwrap().as_str(),
            GITHUB_API
        );
        assert_eq!(
            ApiBase::for_hostname("octocorp.ghe.com").unwrap().as_str(),
            "https://api.octocorp.ghe.com"
        );
        assert_eq!(
            ApiBase::for_hostname("GHE.example.org").unwrap().as_str(),
            "https://ghe.example.org/api/v3"
        );
        assert!(ApiBase::for_hostname("bad host").is_err());
        assert!(ApiBase::for_hostname("").is_err());
    }

    #[test]
    fn https_anywhere_http_only_to_loopback() {
        assert_eq!(
            ApiBase::parse("https://api.github.com/").unwrap().as_str(),
            GITHUB_API
        );
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://localhost:1/",
            "http://[::1]:3000/api",
        ] {
            assert!(ApiBase::parse(ok).is_ok(), "{ok}");
        }
        assert!(matches!(
            ApiBase::parse("http://api.github.com"),
            Err(EndpointError::PlainHttpToRemote { .. })
        ));
        assert!(matches!(
            ApiBase::parse("http://10.0.0.1"),
            Err(EndpointError::PlainHttpToRemote { .. })
        ));
        assert!(matches!(
            ApiBase::parse("ftp://x"),
            Err(EndpointError::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            ApiBase::parse("not a url"),
            Err(EndpointError::NotAUrl { .. })
        ));
        assert!(matches!(
            ApiBase::parse("https://h/?q=1"),
            Err(EndpointError::HasQuery)
        ));
    }

    #[test]
    fn credentials_in_urls_are_refused_and_not_echoed() {
        let token = crate::fixtures::classic_from(
            crate::credential::Kind::ClassicPat,
            b"abcdefghijABCDEFGHIJ0123456789",
        )
        .unwrap();
        let err = ApiBase::parse(&format!("https://x:{token}@api.github.com")).unwrap_err();
        assert_eq!(err, EndpointError::HasCredentials);
        let err = ApiBase::parse(&token).unwrap_err().to_string();
        assert!(!err.contains(&token[4..20]), "{err}");
    }

    #[test]
    fn the_default_is_what_parsing_the_constant_gives() {
        let parsed = ApiBase::parse(GITHUB_API).unwrap();
        assert_eq!(ApiBase::github_com(), parsed);
        assert_eq!(ApiBase::github_com().host(), GITHUB_HOST);
        assert_eq!(ApiBase::default().as_str(), GITHUB_API);
    }

    #[test]
    fn keeps_a_path_prefix() {
        assert_eq!(
            ApiBase::parse("https://ghe.example.org/api/v3/")
                .unwrap()
                .as_str(),
            "https://ghe.example.org/api/v3"
        );
    }
}
