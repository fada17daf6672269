//! Removing anything credential-like from text before it reaches a message, log or report.
//!
//! Used on text that did not come from a [`crate::Credential`]: server error messages, user
//! input echoed in errors. Any run of token characters (`[A-Za-z0-9_]`) of 20 or more is replaced
//! by its redacted form (a known prefix plus 4 characters, then `…`), so a token GitHub might echo
//! back, or one pasted where a URL was expected, never appears in full. A snake_case identifier
//! (`github_personal_access_token`, `SECRET_SCANNING_ALERTS`) is kept whole: see
//! [`is_identifier`].
//!
//! [`scrub_credentials`] is the narrower form for text where long words are normal (file
//! names): only what scan mode recognises as a credential is redacted.

/// Runs of token characters at least this long are redacted.
pub const SCRUB_MIN_RUN: usize = 20;

/// `text` with every long run of token characters redacted.
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run_start = None;
    for (i, c) in text.char_indices() {
        let token_char = c.is_ascii_alphanumeric() || c == '_';
        match (token_char, run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(start)) => {
                push_run(&mut out, &text[start..i]);
                run_start = None;
                out.push(c);
            }
            (false, None) => out.push(c),
            (true, Some(_)) => {}
        }
    }
    if let Some(start) = run_start {
        push_run(&mut out, &text[start..]);
    }
    out
}

/// The longest word of an identifier kept by [`scrub`]. Every GitHub token carries a random
/// part far longer (30 or more base62 characters; `github_pat_`: 22 and 59), so no token's run
/// passes for an identifier.
const IDENTIFIER_WORD_MAX: usize = 16;

/// Whether `run` (token characters only) is a snake_case identifier, not a token: words of
/// 1 to [`IDENTIFIER_WORD_MAX`] characters joined by `_`, all lowercase (or all uppercase)
/// letters and digits. A secret type such as `github_personal_access_token` shares the
/// `github_` prefix with fine-grained tokens (`github_pat_`) but is no token.
fn is_identifier(run: &str) -> bool {
    let lower = run.bytes().all(|b| !b.is_ascii_uppercase());
    let upper = run.bytes().all(|b| !b.is_ascii_lowercase());
    run.contains('_')
        && (lower || upper)
        && run
            .split('_')
            .all(|word| (1..=IDENTIFIER_WORD_MAX).contains(&word.len()))
}

fn push_run(out: &mut String, run: &str) {
    if run.len() < SCRUB_MIN_RUN || is_identifier(run) {
        out.push_str(run);
    } else {
        out.push_str(&crate::credential::redact(run.as_bytes()));
    }
}

/// `text` with every credential-shaped substring (as scan mode finds them) in redacted form,
/// and everything else as it was: for text where long words are normal, such as file names.
pub fn scrub_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    super::Scanner::new().scan_bytes(text.as_bytes(), "", |found| {
        let len = match &found.item {
            crate::credential::Classified::Valid(credential)
            | crate::credential::Classified::Unsupported { credential, .. } => {
                credential.expose_secret().len()
            }
            crate::credential::Classified::Invalid { candidate, .. } => candidate.len(),
        };
        let start = usize::try_from(found.location.offset).unwrap_or(usize::MAX);
        if let (Some(before), Some(_)) = (text.get(copied..start), text.get(start..start + len)) {
            out.push_str(before);
            out.push_str(&found.item.redacted());
            copied = start + len;
        }
    });
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_runs_are_redacted_short_words_kept() {
        let token = crate::fixtures::classic_from(
            crate::credential::Kind::ClassicPat,
            b"abcdefghijABCDEFGHIJ0123456789",
        )
        .unwrap();
        let text = format!("Bad credential {token}, see https://docs.github.com/rest.");
        let clean = scrub(&text);
        assert!(!clean.contains(&token[8..24]), "{clean}");
        assert!(clean.starts_with("Bad credential ghp_"), "{clean}");
        assert!(
            clean.ends_with(", see https://docs.github.com/rest."),
            "{clean}"
        );
        assert_eq!(scrub("Validation Failed"), "Validation Failed");
    }

    #[test]
    fn identifiers_are_kept_tokens_sharing_their_prefix_are_not() {
        for name in [
            "github_personal_access_token",
            "github_app_installation_access_token",
            "github_oauth_access_token",
            "SECRET_SCANNING_ALERTS_WRITE",
        ] {
            assert_eq!(scrub(name), name);
            assert_eq!(scrub(&format!("type {name}.")), format!("type {name}."));
        }
        let classic = crate::fixtures::classic_from(
            crate::credential::Kind::ClassicPat,
            b"abcdefghijabcdefghij0123456789",
        )
        .unwrap();
        let fine = format!("github_pat_{}_{}", "a".repeat(22), "b".repeat(59));
        let hex = "0123456789abcdef0123456789abcdef01234567";
        let lower = format!("ghp_{}", "abcdefghij".repeat(4));
        for token in [classic.as_str(), fine.as_str(), hex, lower.as_str()] {
            let clean = scrub(&format!("leaked {token} here"));
            assert!(!clean.contains(token), "{clean}");
            assert!(clean.contains('…'), "{clean}");
        }
    }

    #[test]
    fn names_keep_everything_but_credentials() {
        for plain in [
            "tokens.txt",
            "/srv/incident/my_very_long_snake_case_file_name_here.txt",
            "ghp_notes.txt",
            "dir with spaces/ü.log",
        ] {
            assert_eq!(scrub_credentials(plain), plain);
        }
        let token = crate::fixtures::classic_from(
            crate::credential::Kind::ClassicPat,
            b"abcdefghijABCDEFGHIJ0123456789",
        )
        .unwrap();
        let shown = scrub_credentials(&format!("/no/such/{token}.txt"));
        assert!(shown.starts_with("/no/such/ghp_abcd…"), "{shown}");
        assert!(shown.ends_with(".txt"), "{shown}");
        assert!(!shown.contains(&token[8..24]), "{shown}");
        let shown = scrub_credentials(&token);
        assert!(!shown.contains(&token[8..24]), "{shown}");
    }
}
