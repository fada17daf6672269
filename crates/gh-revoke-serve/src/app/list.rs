//! The app's installations (`GET /app/installations`, with the app's JWT) and an installation's
//! repositories (`GET /installation/repositories`, with its installation token), every page.
//!
//! Paging: `per_page` up to 100 and `page` from 1 (the vendored description's
//! `components/parameters/per-page` and `page`); a page is followed while GitHub's `Link` header
//! names a `rel="next"`, or, without a `Link` header, while a page comes back full (GitHub's
//! "Using pagination in the REST API": "If the response is paginated, the link header will
//! include a link to the next page").

use gh_revoke_api::ResponseValue;
use secrecy::SecretString;

use super::client::AppClient;
use super::error::AppError;

/// Items asked for per page (GitHub's maximum for these listings).
const PER_PAGE: i64 = 100;
/// A listing that has not ended after this many pages is cut (100,000 items).
const MAX_PAGES: i64 = 1000;

const LIST_INSTALLATIONS: &str = "apps/list-installations";
const LIST_REPOS: &str = "apps/list-repos-accessible-to-installation";

/// The kind of account an installation is on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccountKind {
    /// An organization: swept with the organization's alert listing.
    Organization,
    /// A user account: swept repository by repository.
    User,
    /// Anything else GitHub names (`Enterprise`, ...), as GitHub spells it.
    Other(String),
}

impl AccountKind {
    fn from_github(text: &str) -> Self {
        match text {
            "Organization" => AccountKind::Organization,
            "User" => AccountKind::User,
            other => AccountKind::Other(other.to_owned()),
        }
    }
}

/// One installation of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppInstallation {
    /// The installation's id (`installation.id` in webhook deliveries).
    pub id: u64,
    /// The account's login (organization or user name, or the enterprise's slug).
    pub account: String,
    /// What kind of account it is.
    pub kind: AccountKind,
}

/// Whether the `Link` header of `headers` names a next page; `None` without a `Link` header.
fn has_next(headers: &reqwest::header::HeaderMap) -> Option<bool> {
    let mut any = false;
    let mut next = false;
    for value in headers.get_all(reqwest::header::LINK) {
        any = true;
        let Ok(text) = value.to_str() else { continue };
        next |= text.split(',').any(|link| {
            link.split(';')
                .skip(1)
                .any(|param| matches!(param.trim(), "rel=\"next\"" | "rel=next"))
        });
    }
    any.then_some(next)
}

fn more_pages<T>(answer: &ResponseValue<T>, items: usize) -> bool {
    has_next(answer.headers()).unwrap_or(items as i64 >= PER_PAGE)
}

impl AppClient {
    /// Every installation of the app, every page of `GET /app/installations` (with the app's
    /// JWT). Installations without an id or account are skipped.
    pub async fn list_installations(&self) -> Result<Vec<AppInstallation>, AppError> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let app = self.api.as_app(LIST_INSTALLATIONS)?;
            let answer = self
                .api
                .caller
                .call(|| app.apps_list_installations(None, Some(page), Some(PER_PAGE), None))
                .await
                .map_err(|error| AppError::from_call(LIST_INSTALLATIONS, error))?;
            let more = more_pages(&answer, answer.len());
            for installation in answer.into_inner() {
                let Some(id) = installation.id.and_then(|id| u64::try_from(id).ok()) else {
                    continue;
                };
                let Some(account) = installation.account else {
                    continue;
                };
                let Some(login) = account.login.or(account.slug) else {
                    continue;
                };
                let kind = installation
                    .target_type
                    .or(account.type_)
                    .map_or(AccountKind::Other(String::new()), |t| {
                        AccountKind::from_github(&t)
                    });
                out.push(AppInstallation {
                    id,
                    account: login,
                    kind,
                });
            }
            if !more {
                break;
            }
        }
        Ok(out)
    }

    /// The full names (`OWNER/NAME`) of every repository `installation` can access, every page
    /// of `GET /installation/repositories` with that installation's token. A 401 with a cached
    /// token drops it and tries once more with a new one.
    pub async fn list_installation_repositories(
        &self,
        installation: u64,
    ) -> Result<Vec<String>, AppError> {
        let mut out = Vec::new();
        let mut renewed = false;
        let mut page = 1;
        let caller = self.api.installation_caller();
        while page <= MAX_PAGES {
            let token = self.tokens().token(installation).await?;
            match self.repositories_page(&caller, &token, page).await {
                Ok((names, more)) => {
                    out.extend(names);
                    if !more {
                        break;
                    }
                    page += 1;
                }
                Err(error) if error.status() == Some(401) && !renewed => {
                    renewed = true;
                    self.tokens().invalidate(installation, &token).await;
                }
                Err(error) => return Err(error),
            }
        }
        Ok(out)
    }

    async fn repositories_page(
        &self,
        caller: &gh_revoke::Caller,
        token: &SecretString,
        page: i64,
    ) -> Result<(Vec<String>, bool), AppError> {
        let installation = self.api.as_installation(LIST_REPOS, token)?;
        let answer = caller
            .call(|| {
                installation.apps_list_repos_accessible_to_installation(Some(page), Some(PER_PAGE))
            })
            .await
            .map_err(|error| AppError::from_call(LIST_REPOS, error))?;
        let more = more_pages(&answer, answer.repositories.len());
        let names = answer
            .into_inner()
            .repositories
            .into_iter()
            .filter_map(|repo| repo.full_name)
            .collect();
        Ok((names, more))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue, LINK};

    #[test]
    fn the_link_header_decides_whether_a_next_page_exists() {
        let mut headers = HeaderMap::new();
        assert_eq!(has_next(&headers), None);
        headers.insert(
            LINK,
            HeaderValue::from_static(
                "<https://api.github.com/app/installations?page=3>; rel=\"next\", \
                 <https://api.github.com/app/installations?page=5>; rel=\"last\"",
            ),
        );
        assert_eq!(has_next(&headers), Some(true));
        headers.insert(
            LINK,
            HeaderValue::from_static(
                "<https://api.github.com/app/installations?page=1>; rel=\"prev\", \
                 <https://api.github.com/app/installations?page=1>; rel=\"first\"",
            ),
        );
        assert_eq!(has_next(&headers), Some(false));
    }
}
