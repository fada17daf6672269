//! `--api-url` / `--hostname` and their environment variables to an API base.
//!
//! Precedence: flags beat the environment. `--api-url` and `--hostname` together are a usage
//! error. Without either flag, `GITHUB_API_URL`, then `GH_HOST`, then github.com. GitHub
//! Actions always sets `GITHUB_API_URL`, so a `--hostname` given on the command line must win
//! over it, or an owner's token could go to the wrong host.
//!
//! Only github.com and GHE.com (`*.ghe.com`) hosts are taken from `--hostname`, `GH_HOST` and
//! `GITHUB_API_URL`: GitHub Enterprise Server documents `/credentials/revoke` as authenticated
//! yet leaves it out of its API description (3.17 to 3.21), and revoke-all exists on Enterprise
//! Cloud only (GitHub REST docs, "Credentials" and "Enterprise credential authorizations"; the
//! GHES OpenAPI descriptions in github/rest-api-description). An explicit `--api-url` still
//! reaches any host (and loopback, for rehearsals).

use gh_revoke::ApiBase;

use crate::args::HostArgs;
use crate::exit::{Failure, usage};

/// The API base for this run.
pub fn resolve(host: &HostArgs) -> Result<ApiBase, Failure> {
    let env = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    match (&host.api_url, &host.hostname) {
        (Some(_), Some(_)) => Err(usage(
            "--api-url and --hostname both given: use one (nothing was sent)",
        )),
        (Some(url), None) => ApiBase::parse(url).map_err(usage),
        (None, Some(name)) => hosted(ApiBase::for_hostname(name).map_err(usage)?, "--hostname"),
        (None, None) => match (env("GITHUB_API_URL"), env("GH_HOST")) {
            (Some(url), _) => hosted(ApiBase::parse(&url).map_err(usage)?, "GITHUB_API_URL"),
            (None, Some(name)) => hosted(ApiBase::for_hostname(&name).map_err(usage)?, "GH_HOST"),
            (None, None) => Ok(ApiBase::github_com()),
        },
    }
}

/// Refuse an Enterprise Server host, saying why.
fn hosted(base: ApiBase, from: &str) -> Result<ApiBase, Failure> {
    let host = base.host().to_ascii_lowercase();
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if host == "api.github.com" || host.ends_with(".ghe.com") || loopback {
        return Ok(base);
    }
    Err(usage(format!(
        "{from} points at {host}, which is neither github.com nor a GHE.com host \
         (SUBDOMAIN.ghe.com): GitHub Enterprise Server is not supported: its \
         /credentials/revoke requires authentication and is not in its API description, and \
         enterprise revoke-all exists on Enterprise Cloud only. To use that URL anyway, pass \
         it explicitly with --api-url (nothing was sent)"
    )))
}
