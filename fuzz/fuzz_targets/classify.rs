//! `classify` on arbitrary bytes: never panics, is deterministic, and what it calls valid is
//! exactly the input, of a kind whose prefix the input starts with.
#![no_main]

use gh_revoke::{Classified, classify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let first = classify(data);
    let again = classify(data);
    assert_eq!(first, again, "classify is not deterministic");
    match &first {
        Classified::Valid(credential) | Classified::Unsupported { credential, .. } => {
            assert_eq!(credential.expose_secret().as_bytes(), data);
            assert!(data.starts_with(credential.kind().prefix().as_bytes()));
            assert!(data.len() <= gh_revoke::MAX_TOKEN_LEN);
        }
        Classified::Invalid { candidate, .. } => {
            assert_eq!(candidate.expose_secret_bytes(), data);
        }
    }
    // The redacted form never carries more than the prefix and a few characters.
    let redacted = first.redacted();
    assert!(
        redacted.chars().count() <= "github_pat_".len() + gh_revoke::fixtures::REDACTED_CHARS + 1,
        "redacted form too long: {redacted:?}"
    );
});
