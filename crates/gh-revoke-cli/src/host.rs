//! `--api-url` / `--hostname` (and their environment variables) to an API base.

use gh_revoke::ApiBase;

use crate::args::HostArgs;
use crate::exit::{Failure, usage};

/// `--api-url` wins over `--hostname`; neither means github.com.
pub fn resolve(host: &HostArgs) -> Result<ApiBase, Failure> {
    match (&host.api_url, &host.hostname) {
        (Some(url), _) => ApiBase::parse(url).map_err(usage),
        (None, Some(name)) => ApiBase::for_hostname(name).map_err(usage),
        (None, None) => Ok(ApiBase::github_com()),
    }
}
