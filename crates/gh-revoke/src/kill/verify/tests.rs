//! Unit tests of [`super::ToVerify`] and the [`super::VerifyClient`] builder.

use super::*;
use crate::credential::{Classified, classify};

#[test]
fn to_verify_debug_is_redacted() {
    let token = crate::fixtures::classic(Kind::ClassicPat, 11);
    let Classified::Valid(credential) = classify(token.as_bytes()) else {
        panic!("valid")
    };
    let item = ToVerify::new(credential, None);
    crate::fixtures::assert_no_leak(&format!("{item:?}"), &token);
}

#[test]
fn the_builder_clamps_checks_in_flight() {
    let builder = VerifyClient::builder(ApiBase::github_com()).in_flight(50);
    assert_eq!(builder.in_flight, MAX_CHECKS_IN_FLIGHT);
    assert_eq!(builder.in_flight(0).in_flight, 1);
}
