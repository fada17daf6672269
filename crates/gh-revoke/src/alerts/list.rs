//! Listing open alerts, page after page, by following `Link: rel="next"`.
//!
//! GitHub pages the repository and organization listings by `page` number or by
//! `before`/`after` cursors, and the enterprise listing by cursor only; either way the next
//! page's address is in the `Link` header (GitHub REST docs, "Using pagination in the REST
//! API": "the link header will include a URL for the next page … `rel="next"`"; RFC 8288 for
//! the header's syntax). Only the `page` or `after` value of that URL is taken: the request for
//! the next page is built by the typed client against the configured base URL, so a `Link` that
//! names another host can never receive the token.
//!
//! A listing ends at the page without a next link, or at the first page that brings no alert
//! (by repository and number) not listed already: an empty page, or the same alerts again,
//! whose next link would otherwise be followed without end.
//!
//! Also here: [`Alert`], what one listed alert is, and [`AlertsClient::list`], which asks for
//! every page with the client's pacing and retries.

use std::collections::HashSet;

use gh_revoke_api::types::SecretScanningAlertState;
use gh_revoke_api::{AlertSecret, AlertsQuery};
use reqwest::header::HeaderMap;

use super::ALERT_SECRET_TYPES;
use super::call::Calls;
use super::client::AlertsClient;
use super::error::AlertsError;
use super::event::{AlertsEvent, Observer};
use super::target::AlertTarget;
use crate::http::interrupt::Interrupt;

/// The most pages a listing follows (100 alerts each): a guard against a `Link` loop.
const MAX_PAGES: u32 = 10_000;

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum NextPage {
    /// `page=N`.
    Number(i64),
    /// `after=CURSOR`.
    After(String),
}

/// Error text when a `rel="next"` link names neither a page nor a cursor.
pub(super) const UNFOLLOWABLE: &str =
    "the Link header's next page names neither `page` nor `after`; cannot follow it";

/// The next page named by the `Link` headers, if any: `Ok(None)` on the last page,
/// `Err` when a `next` link is there but cannot be followed.
pub(super) fn next_page(headers: &HeaderMap) -> Result<Option<NextPage>, &'static str> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(value) = value.to_str() else { continue };
        for link in split_links(value) {
            let Some((target, params)) = parse_link(link) else {
                continue;
            };
            let is_next = params.iter().any(|(name, value)| {
                name.eq_ignore_ascii_case("rel")
                    && value
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            if !is_next {
                continue;
            }
            return page_of(target).map(Some).ok_or(UNFOLLOWABLE);
        }
    }
    Ok(None)
}

/// Split a `Link` value at the commas between links (not those inside `<...>` or quotes).
fn split_links(value: &str) -> Vec<&str> {
    let mut links = Vec::new();
    let (mut start, mut in_uri, mut in_quotes) = (0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            '<' if !in_quotes => in_uri = true,
            '>' if !in_quotes => in_uri = false,
            '"' if !in_uri => in_quotes = !in_quotes,
            ',' if !in_uri && !in_quotes => {
                links.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    links.push(&value[start..]);
    links
}

/// `<target>; name="value"; name=value` → the target and the parameters.
fn parse_link(link: &str) -> Option<(&str, Vec<(&str, String)>)> {
    let link = link.trim();
    let rest = link.strip_prefix('<')?;
    let end = rest.find('>')?;
    let target = &rest[..end];
    let params = rest[end + 1..]
        .split(';')
        .filter_map(|param| {
            let (name, value) = param.split_once('=')?;
            Some((name.trim(), value.trim().trim_matches('"').to_owned()))
        })
        .collect();
    Some((target, params))
}

/// The `after` cursor or `page` number of a next-page URL (absolute or relative).
fn page_of(target: &str) -> Option<NextPage> {
    let query = target.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or_default();
    let mut page = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match &*name {
            "after" if !value.is_empty() => return Some(NextPage::After(value.into_owned())),
            "page" => page = value.parse::<i64>().ok().filter(|n| *n > 0),
            _ => {}
        }
    }
    page.map(NextPage::Number)
}

/// One listed alert. `Debug` never shows the secret ([`AlertSecret`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Alert {
    /// The alert number.
    pub number: i64,
    /// `OWNER/REPO` (empty when GitHub did not say).
    pub repository: String,
    /// The alert's page.
    pub html_url: Option<String>,
    /// GitHub's `secret_type`.
    pub secret_type: Option<String>,
    /// `open` or `resolved`.
    pub state: Option<String>,
    /// The secret, if GitHub returned it.
    pub secret: Option<AlertSecret>,
}

/// Whether `items` holds an alert (by repository and number) not in `listed`; adds them.
fn brings_new(listed: &mut HashSet<(String, i64)>, items: &[Alert]) -> bool {
    let mut new = false;
    for alert in items {
        new |= listed.insert((alert.repository.clone(), alert.number));
    }
    new
}

impl AlertsClient {
    /// List every open alert of GitHub's token types at `target`. A page that brings no alert
    /// not listed already ends the listing even if its `Link` names a next page
    /// ([`AlertsEvent::ListingCut`]).
    pub async fn list(&self, target: &AlertTarget) -> Result<Vec<Alert>, AlertsError> {
        let mut signal = Interrupt::never();
        let mut observer: Observer<'_> = Box::new(|_: &AlertsEvent<'_>| {});
        self.list_with(target, &mut Calls::of(self), &mut signal, &mut observer)
            .await
    }

    pub(super) async fn list_with(
        &self,
        target: &AlertTarget,
        calls: &mut Calls,
        signal: &mut Interrupt<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<Vec<Alert>, AlertsError> {
        let mut alerts = Vec::new();
        let mut next: Option<NextPage> = None;
        let mut seen = HashSet::new();
        let mut listed_keys: HashSet<(String, i64)> = HashSet::new();
        for page in 1..=MAX_PAGES {
            let listed = self
                .list_page(target, next.as_ref(), calls, signal, observer)
                .await?;
            let (items, following) = listed;
            observer(&AlertsEvent::Listed {
                page,
                alerts: items.len(),
            });
            let brought_new = brings_new(&mut listed_keys, &items);
            alerts.extend(items);
            match following {
                None => return Ok(alerts),
                // A page with nothing new whose next link goes on: GitHub's listing ends with
                // a page without one, so this is a listing that would never end (new page
                // numbers, empty pages or the same alerts again). Stop following it.
                Some(_) if !brought_new => {
                    tracing::warn!(
                        page,
                        listed = alerts.len(),
                        "a page of the listing brought no new alert; stopped following its next link"
                    );
                    observer(&AlertsEvent::ListingCut {
                        page,
                        listed: alerts.len(),
                    });
                    return Ok(alerts);
                }
                Some(following) => {
                    if !seen.insert(following.clone()) {
                        return Err(AlertsError::Failed {
                            message: "the Link header's next page repeats an earlier one; \
                                      stopped following it"
                                .into(),
                        });
                    }
                    next = Some(following);
                }
            }
        }
        Err(AlertsError::Failed {
            message: format!("more than {MAX_PAGES} pages; stopped following the Link header"),
        })
    }

    /// One page, with retries; its alerts and the next page.
    async fn list_page(
        &self,
        target: &AlertTarget,
        next: Option<&NextPage>,
        calls: &mut Calls,
        signal: &mut Interrupt<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<(Vec<Alert>, Option<NextPage>), AlertsError> {
        let (page, after) = match next {
            Some(NextPage::Number(n)) => (Some(*n), None),
            Some(NextPage::After(cursor)) => (None, Some(cursor.as_str())),
            None => (None, None),
        };
        let query = AlertsQuery {
            state: Some(SecretScanningAlertState::Open),
            secret_type: Some(ALERT_SECRET_TYPES),
            hide_secret: Some(false),
            per_page: Some(100),
            page,
            after,
            ..AlertsQuery::default()
        };
        let what = target.to_string();
        let (headers, items) = match target {
            AlertTarget::Repo { owner, repo } => {
                let answer = self
                    .read_with_retry(&what, calls, signal, observer, || {
                        self.api.list_repo_alerts(owner, repo, &query)
                    })
                    .await?;
                let full = format!("{owner}/{repo}");
                let headers = answer.headers().clone();
                let items = answer
                    .into_inner()
                    .into_iter()
                    .map(|a| Alert {
                        number: a.number.unwrap_or_default(),
                        repository: full.clone(),
                        html_url: a.html_url,
                        secret_type: a.secret_type,
                        state: a.state,
                        secret: a.secret,
                    })
                    .collect();
                (headers, items)
            }
            AlertTarget::Org(org) => org_alerts(
                self.read_with_retry(&what, calls, signal, observer, || {
                    self.api.list_org_alerts(org, &query)
                })
                .await?,
            ),
            AlertTarget::Enterprise(slug) => org_alerts(
                self.read_with_retry(&what, calls, signal, observer, || {
                    self.api.list_enterprise_alerts(slug, &query)
                })
                .await?,
            ),
        };
        let next = next_page(&headers).map_err(|message| AlertsError::Failed {
            message: message.to_owned(),
        })?;
        Ok((items, next))
    }
}

fn org_alerts(
    rv: gh_revoke_api::ResponseValue<Vec<gh_revoke_api::types::OrganizationSecretScanningAlert>>,
) -> (reqwest::header::HeaderMap, Vec<Alert>) {
    let headers = rv.headers().clone();
    let items = rv
        .into_inner()
        .into_iter()
        .map(|a| {
            let repository = a
                .repository
                .as_ref()
                .and_then(|r| {
                    r.full_name.clone().or_else(|| {
                        let owner = r.owner.as_ref()?.login.as_deref()?;
                        Some(format!("{owner}/{}", r.name.as_deref()?))
                    })
                })
                .unwrap_or_default();
            Alert {
                number: a.number.unwrap_or_default(),
                repository,
                html_url: a.html_url,
                secret_type: a.secret_type,
                state: a.state,
                secret: a.secret,
            }
        })
        .collect();
    (headers, items)
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn link(value: &str) -> Result<Option<NextPage>, &'static str> {
        let mut headers = HeaderMap::new();
        headers.insert("link", HeaderValue::from_str(value).unwrap());
        next_page(&headers)
    }

    #[test]
    fn page_numbers_and_cursors_are_followed() {
        assert_eq!(
            link(
                r#"<https://api.github.com/repositories/1/secret-scanning/alerts?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/secret-scanning/alerts?per_page=100&page=5>; rel="last""#
            ),
            Ok(Some(NextPage::Number(2)))
        );
        assert_eq!(
            link(
                r#"<https://api.github.com/enterprises/e/secret-scanning/alerts?per_page=100&after=Y3Vyc29yOjE%3D>; rel="next""#
            ),
            Ok(Some(NextPage::After("Y3Vyc29yOjE=".into())))
        );
        // rel first, several rel values, unquoted.
        assert_eq!(
            link(r#"<https://x/a?page=1>; rel="prev first", <https://x/a?page=3>; rel=next"#),
            Ok(Some(NextPage::Number(3)))
        );
    }

    #[test]
    fn the_last_page_has_no_next_and_odd_links_are_refused() {
        assert_eq!(link(r#"<https://x/a?page=1>; rel="prev""#), Ok(None));
        assert_eq!(next_page(&HeaderMap::new()), Ok(None));
        assert_eq!(
            link(r#"<https://x/a?per_page=100>; rel="next""#),
            Err(UNFOLLOWABLE)
        );
        assert_eq!(link("garbage"), Ok(None));
    }
}
