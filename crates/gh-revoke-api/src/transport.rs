//! The HTTP transport the generated client runs on.

use std::sync::Once;

use reqwest::{NoProxy, Proxy};

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
/// no endpoint used here redirects), and the proxy rule of [`proxy_plan`]:
/// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` work as reqwest's own system proxy
/// does, except that plain-http traffic to a loopback host (127.0.0.0/8, `::1`, `localhost`)
/// never goes through a proxy.
///
/// The environment is read when this is called. Callers add timeouts and default headers as
/// they need; GitHub's own headers are set by [`crate::hooks`].
pub fn client_builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    let builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    proxy_plan(|name| std::env::var(name).ok()).apply(builder)
}

/// What `NO_PROXY` gains for plain-http destinations: loopback, in `NO_PROXY`'s own syntax.
pub const LOOPBACK_NO_PROXY: &str = "127.0.0.0/8,::1,localhost";

/// The proxies [`client_builder`] configures, from an environment.
///
/// reqwest drops its system proxy as soon as one proxy is configured by hand, so the plan
/// restates the system rule (the one `hyper-util`'s matcher applies for reqwest) and adds
/// [`LOOPBACK_NO_PROXY`] to the exclusions of the plain-http proxy only:
/// - each variable is read upper case first, then lower case (`HTTP_PROXY`, `http_proxy`);
/// - `http` destinations use `HTTP_PROXY`, else `ALL_PROXY`; `https` destinations use
///   `HTTPS_PROXY`, else `ALL_PROXY`;
/// - `NO_PROXY` lists hosts, domains (with their subdomains), IP addresses and CIDR ranges
///   that go direct; `*` matches everything;
/// - when `REQUEST_METHOD` is set (a CGI script, where `Proxy:` request headers would become
///   `HTTP_PROXY`: "httpoxy"), no proxy is used at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyPlan {
    /// The proxy for `http` destinations, if any.
    pub http: Option<String>,
    /// The proxy for `https` destinations, if any.
    pub https: Option<String>,
    /// `NO_PROXY` as given (empty when unset).
    pub no_proxy: String,
}

/// The [`ProxyPlan`] for the environment `env` (a variable's value by name).
pub fn proxy_plan(env: impl Fn(&str) -> Option<String>) -> ProxyPlan {
    let first = |names: [&str; 2]| names.iter().find_map(|name| env(name));
    let none = ProxyPlan {
        http: None,
        https: None,
        no_proxy: String::new(),
    };
    if env("REQUEST_METHOD").is_some() {
        return none;
    }
    let set = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let all = set(first(["ALL_PROXY", "all_proxy"]));
    ProxyPlan {
        http: set(first(["HTTP_PROXY", "http_proxy"])).or_else(|| all.clone()),
        https: set(first(["HTTPS_PROXY", "https_proxy"])).or(all),
        no_proxy: first(["NO_PROXY", "no_proxy"]).unwrap_or_default(),
    }
}

impl ProxyPlan {
    /// The exclusions of the plain-http proxy: `NO_PROXY` plus [`LOOPBACK_NO_PROXY`].
    pub fn http_no_proxy(&self) -> String {
        if self.no_proxy.trim().is_empty() {
            LOOPBACK_NO_PROXY.to_owned()
        } else {
            format!("{},{LOOPBACK_NO_PROXY}", self.no_proxy)
        }
    }

    /// Configure `builder` with this plan. A proxy value reqwest cannot parse is ignored, as
    /// reqwest's system proxy ignores it (and, since it may hold a password, never logged).
    pub fn apply(&self, builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        // Without any proxy configured by hand, reqwest would fall back to its system proxy,
        // which knows nothing of the loopback rule: say "none" explicitly.
        let mut builder = builder.no_proxy();
        if let Some(url) = &self.http {
            match Proxy::http(url.as_str()) {
                Ok(proxy) => {
                    builder =
                        builder.proxy(proxy.no_proxy(NoProxy::from_string(&self.http_no_proxy())));
                }
                Err(_) => tracing::warn!("the http proxy setting is not a valid URL; ignored"),
            }
        }
        if let Some(url) = &self.https {
            match Proxy::https(url.as_str()) {
                Ok(proxy) => {
                    builder = builder.proxy(proxy.no_proxy(NoProxy::from_string(&self.no_proxy)));
                }
                Err(_) => tracing::warn!("the https proxy setting is not a valid URL; ignored"),
            }
        }
        builder
    }
}

#[cfg(test)]
mod tests;
