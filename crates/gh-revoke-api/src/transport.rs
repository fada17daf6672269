//! The HTTP transport the generated client runs on.

use std::sync::Once;

static CRYPTO: Once = Once::new();

/// Make rustls' `ring` provider the process default, once (reqwest is built with
/// `rustls-no-provider`, so that no C crypto library is on the build path).
pub fn install_crypto_provider() {
    CRYPTO.call_once(|| {
        // An error means another provider was installed first; that one is used.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A `reqwest::ClientBuilder` for talking to GitHub: rustls, HTTP/1.1 and 2, **no redirects**
/// (a 3xx comes back as a response: a token must never follow a redirect to another host, and
/// neither revocation endpoint redirects), and no proxy lookup surprises beyond reqwest's
/// defaults.
///
/// Callers add timeouts and default headers as they need; GitHub's own headers are set by
/// [`crate::hooks`].
pub fn client_builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none())
}
