//! Listing open alerts, page after page, by following `Link: rel="next"`.
//!
//! GitHub pages the repository and organization listings by `page` number or by
//! `before`/`after` cursors, and the enterprise listing by cursor only; either way the next
//! page's address is in the `Link` header (GitHub REST docs, "Using pagination in the REST
//! API": "the link header will include a URL for the next page … `rel="next"`"; RFC 8288 for
//! the header's syntax). Only the `page` or `after` value of that URL is taken: the request for
//! the next page is built by the typed client against the configured base URL, so a `Link` that
//! names another host can never receive the token.

use reqwest::header::HeaderMap;

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum NextPage {
    /// `page=N`.
    Number(i64),
    /// `after=CURSOR`.
    After(String),
}

/// Error text when a `rel="next"` link names neither a page nor a cursor.
pub(crate) const UNFOLLOWABLE: &str =
    "the Link header's next page names neither `page` nor `after`; cannot follow it";

/// The next page named by the `Link` headers, if any: `Ok(None)` on the last page,
/// `Err` when a `next` link is there but cannot be followed.
pub(crate) fn next_page(headers: &HeaderMap) -> Result<Option<NextPage>, &'static str> {
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
