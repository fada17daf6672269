//! Removing anything credential-like from text before it reaches a message, log or report.
//!
//! Used on text that did not come from a [`crate::Credential`]: server error messages, user
//! input echoed in errors. Any run of token characters (`[A-Za-z0-9_]`) of 20 or more is replaced
//! by its redacted form (a known prefix plus 4 characters, then `…`), so a token GitHub might echo
//! back, or one pasted where a URL was expected, never appears in full.

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

fn push_run(out: &mut String, run: &str) {
    if run.len() < SCRUB_MIN_RUN {
        out.push_str(run);
    } else {
        out.push_str(&crate::redact(run.as_bytes()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_runs_are_redacted_short_words_kept() {
        let token = crate::make_classic(crate::Kind::ClassicPat, b"abcdefghijABCDEFGHIJ0123456789")
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
}
