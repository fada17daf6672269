//! `gh-revoke app ...`: the GitHub App that `serve` runs as.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::{Verbosity, parse_timeout};

const APP_CREATE_EXIT_CODES: &str = "\
Exit codes:
  0    the app was created and its files written
  1    GitHub did not send the browser back within an hour, the code could not be exchanged,
       or the files could not be written (the message says which, and where the app is)
  2    usage error: bad URL or organization, or a file in DIR already exists: nothing was created
  130  interrupted (Ctrl-C or SIGTERM) before GitHub sent the browser back";

/// `gh-revoke app ...`.
#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Create gh-revoke's GitHub App in one step (GitHub's app manifest flow).
    #[command(
        long_about = "Create the GitHub App that `gh-revoke serve` runs as, in one step \
            (GitHub's app manifest flow).\n\n\
            Serves a page on 127.0.0.1 and opens it in your browser (--no-browser: prints its \
            address instead). The page posts the app's manifest to GitHub's \"new app\" page \
            ({github-url}/organizations/ORG/settings/apps/new with --org, else \
            {github-url}/settings/apps/new) with a random state: a private app whose webhook \
            (active) goes to --webhook-url, subscribed to secret_scanning_alert, with the \
            permission secret_scanning_alerts: write (and the read-only metadata GitHub adds). \
            You confirm on GitHub; GitHub sends the browser back to the page's callback, where \
            a missing or wrong state is refused. The one-time code is exchanged at \
            POST /app-manifests/{code}/conversions.\n\n\
            Writes DIR/app-id (the client ID), DIR/private-key.pem and DIR/webhook-secret (both \
            mode 0600, never printed); an existing file is never overwritten (checked before \
            anything is sent). Prints the link to install the app and the exact \
            `gh-revoke serve` command to run next.\n\n\
            The API base for the exchange follows --github-url: github.com uses \
            https://api.github.com, SUBDOMAIN.ghe.com https://api.SUBDOMAIN.ghe.com, any other \
            host https://HOST/api/v3.",
        after_help = format!("Examples:\n  \
            gh-revoke app create --org acme --webhook-url https://hooks.acme.example/webhook\n  \
            gh-revoke app create --webhook-url https://hooks.example.com/webhook --no-browser --dir ~/gh-revoke-app\n\n\
            {APP_CREATE_EXIT_CODES}\n\n\
            Environment:\n  \
            GH_REVOKE_API_URL  API base for the code's exchange, instead of the one --github-url implies\n  \
            RUST_LOG        log filter (tracing)")
    )]
    Create(AppCreateArgs),
}

/// `gh-revoke app create`.
#[derive(Debug, Args)]
pub struct AppCreateArgs {
    /// The organization that will own the app [default: your own account]
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,

    /// Where GitHub sends the webhooks: the public https address of `gh-revoke serve`'s
    /// /webhook (behind your TLS proxy)
    #[arg(long, value_name = "URL")]
    pub webhook_url: String,

    /// The app's name, unique on GitHub (you can change it on GitHub's page)
    /// [default: gh-revoke-ORG, or gh-revoke]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Folder for app-id, private-key.pem and webhook-secret (created mode 0700; existing files
    /// are never overwritten)
    #[arg(long, value_name = "DIR", default_value = "gh-revoke-app")]
    pub dir: PathBuf,

    /// GitHub's web address: https://github.com, https://SUBDOMAIN.ghe.com, or a GitHub
    /// Enterprise Server's
    #[arg(long, value_name = "URL", default_value = "https://github.com")]
    pub github_url: String,

    /// Print the page's address instead of opening a browser.
    #[arg(long)]
    pub no_browser: bool,

    /// API base for the code's exchange (rehearsals against a stand-in)
    #[arg(long, value_name = "URL", env = "GH_REVOKE_API_URL", hide = true)]
    pub api_url: Option<String>,

    /// Give up on one request to GitHub after this long (e.g. 30s, 2m)
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_timeout)]
    pub timeout: Duration,

    /// How much to say on stderr.
    #[command(flatten)]
    pub verbosity: Verbosity,
}
