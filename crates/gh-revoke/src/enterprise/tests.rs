//! Unit tests of the answer handling: statuses, headers and messages to errors.

use reqwest::header::HeaderMap;

use super::error::EnterpriseError;
use super::target::{CredentialType, Target};
use crate::http::answer::failure_from;

/// What an answer with `status`, headers `h` and GitHub's `message` means for `target`.
fn by_status(target: &Target, status: u16, h: &HeaderMap, message: String) -> EnterpriseError {
    super::answer::by_status(target, failure_from(status, h.clone(), &message))
}

fn validate_slug(slug: &str) -> Result<(), EnterpriseError> {
    Target::enterprise(slug).validate()
}

#[test]
fn slugs() {
    assert!(validate_slug("acme-corp").is_ok());
    assert!(validate_slug("").is_err());
    assert!(validate_slug("a/b").is_err());
    assert!(validate_slug("a b").is_err());
}

#[test]
fn sso_and_scopes_are_named() {
    let mut h = HeaderMap::new();
    h.insert(
        "x-github-sso",
        "required; url=https://github.com/orgs/acme/sso?authorization_request=abc"
            .parse()
            .unwrap(),
    );
    let sso = by_status(
        &Target::enterprise("acme"),
        403,
        &h,
        "Resource protected by SAML".into(),
    )
    .to_string();
    assert!(
        sso.contains("https://github.com/orgs/acme/sso?authorization_request=abc"),
        "{sso}"
    );
    let mut h = HeaderMap::new();
    h.insert(
        "x-accepted-oauth-scopes",
        "admin:enterprise".parse().unwrap(),
    );
    h.insert("x-oauth-scopes", "repo, read:org".parse().unwrap());
    let scopes = by_status(&Target::enterprise("acme"), 403, &h, String::new()).to_string();
    assert!(
        scopes.contains("accepts scopes: admin:enterprise; the token has: repo, read:org"),
        "{scopes}"
    );
}

#[test]
fn each_documented_422_is_told_apart_by_its_text() {
    let user = Target::enterprise("acme")
        .user("octocat")
        .credential_type(CredentialType::ClassicPat);
    let h = HeaderMap::new();
    // The fragment's example messages.
    let first = by_status(
        &user,
        422,
        &h,
        "The first EMU owner cannot be targeted for credential revocation.".into(),
    );
    assert!(
        matches!(first, EnterpriseError::FirstEmuOwner { .. }),
        "{first:?}"
    );
    let kind = by_status(
        &user,
        422,
        &h,
        "The `credential_type` parameter is required and must be one of: classic_pat, \
         fine_grained_pat, ssh_key, oauth_app_token"
            .into(),
    );
    assert!(
        matches!(kind, EnterpriseError::InvalidCredentialType { .. }),
        "{kind:?}"
    );
    let emu = by_status(
        &user,
        422,
        &h,
        "The `revoke_credentials` option is only available for Enterprise Managed User \
         (EMU) enterprises"
            .into(),
    );
    assert!(matches!(emu, EnterpriseError::NotEmu { .. }), "{emu:?}");
    let other = by_status(&Target::org("acme"), 422, &h, "Something else".into());
    assert!(
        matches!(other, EnterpriseError::Unprocessable { .. }),
        "{other:?}"
    );
}

#[test]
fn organization_answers_name_org_ownership_and_admin_org() {
    let h = HeaderMap::new();
    let forbidden = by_status(&Target::org("acme"), 403, &h, "Must be an owner".into());
    let text = forbidden.to_string();
    assert!(
        text.contains("admin:org") && text.contains("owner of organization \"acme\""),
        "{text}"
    );
    let missing = by_status(&Target::org("acme").user("octocat"), 404, &h, String::new());
    assert!(
        missing
            .to_string()
            .contains("user \"octocat\" in organization \"acme\""),
        "{missing}"
    );
    let unknown = by_status(&Target::org("acme"), 503, &h, String::new());
    assert!(
        unknown.to_string().contains("organization audit log"),
        "{unknown}"
    );
}

#[test]
fn messages_name_the_fix() {
    let forbidden = by_status(
        &Target::enterprise("acme"),
        403,
        &HeaderMap::new(),
        "Must be an owner".into(),
    );
    assert!(forbidden.to_string().contains("admin:enterprise"));
    let not_emu = by_status(
        &Target::enterprise("acme"),
        422,
        &HeaderMap::new(),
        String::new(),
    );
    assert!(not_emu.to_string().contains("EMU"));
    let missing = by_status(
        &Target::enterprise("acme"),
        404,
        &HeaderMap::new(),
        "Not Found".into(),
    );
    assert!(missing.to_string().contains("\"acme\""));
}
