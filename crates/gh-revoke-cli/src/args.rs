//! The command line, as clap sees it. `--help` is the user's manual: keep it in step with README.
// Doc comments here are `--help` text, where URLs are plain text.
#![allow(rustdoc::bare_urls)]

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod app;
pub use app::{AppCommand, AppCreateArgs};

const EXIT_CODES: &str = "\
Exit codes:
  0    nothing failed (skipped invalid or unsupported input is reported, not a failure)
  1    a batch or the enterprise or organization call failed (or its outcome is unknown), or
       --max-wait was reached; an installation token could not be revoked, or --verify found a
       credential still live; or the --json report could not be written (the work itself was
       done, and journaled with --journal)
  2    usage error, unreadable input, bad URL or host, journal in use or made against another
       API URL, missing token or confirmation: nothing was sent
  130  interrupted (Ctrl-C or SIGTERM): the report says what was sent; a second signal exits at once

With --json a report is printed whatever the outcome; when the call or run ended in an error,
its `error` is an object (kind, status, GitHub's message, what was done) and, for runs, the
top-level `stopped` says why. A failed write to stderr (a closed pipe) never stops the work.";

const ENVIRONMENT: &str = "\
Environment:
  GITHUB_API_URL  API base URL (as --api-url, for github.com, *.ghe.com or loopback only)
  GH_HOST         host name (as --hostname)
                  Flags beat the environment: --hostname on the command line wins over
                  GITHUB_API_URL (which GitHub Actions always sets).
  GH_TOKEN, GITHUB_TOKEN  token for `enterprise`, `org`, `alerts` and `serve` (secret-scanning
                  calls only); `credentials` never reads them
  GH_REVOKE_WEBHOOK_SECRET  the webhook secret of `serve` (or --webhook-secret-file)
  GH_REVOKE_APP_ID, GH_REVOKE_APP_PRIVATE_KEY_FILE  `serve` as a GitHub App (as --app-id and
                  --app-private-key); GH_TOKEN and GITHUB_TOKEN are then not used
  RUST_LOG        log filter (tracing), e.g. RUST_LOG=gh_revoke=debug
  NO_COLOR        no colour in logs";

/// Revoke leaked GitHub credentials, and run an enterprise's emergency revoke-all.
#[derive(Debug, Parser)]
#[command(
    name = "gh-revoke",
    version,
    about,
    after_help = format!("{EXIT_CODES}\n\n{ENVIRONMENT}"),
    propagate_version = true
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Revoke exposed credentials (POST /credentials/revoke, unauthenticated).
    #[command(
        long_about = "Revoke exposed credentials (POST /credentials/revoke).\n\n\
            Reads each FILE ('-' is standard input; with no FILE, standard input). By default each \
            line holds one credential (blank lines and '#' comments are skipped); with --scan, \
            credentials are found anywhere in the input (logs, JSON, source, binary).\n\n\
            Credentials are checked offline (prefix, shape, and the checksum of 40-character \
            tokens), deduplicated, and sent in batches of at most 1000, paced to GitHub's limit \
            of 60 requests an hour.\n\n\
            This command never authenticates: GitHub answers 403 to any authenticated call to this \
            endpoint, so GH_TOKEN and GITHUB_TOKEN are ignored. GitHub notifies the owners of the \
            credentials; it cannot reactivate a revoked credential.\n\n\
            Installation tokens (ghs_) are not accepted there: with --revoke-installation-tokens \
            each one is used once, to revoke itself (DELETE /installation/token). With --verify, \
            each accepted credential is then checked with GET /rate_limit, authenticated by \
            itself alone, until it fails (dead) or --verify-timeout passes (still live: exit 1).",
        after_help = format!("Examples:\n  gh-revoke credentials --scan --dry-run build.log\n  \
            gh-revoke credentials --journal revoke.journal tokens.txt\n  \
            gh-revoke credentials --scan --revoke-installation-tokens --verify build.log\n  \
            cat leak.json | gh-revoke credentials --scan --json > report.json\n\n{EXIT_CODES}\n\n{ENVIRONMENT}")
    )]
    Credentials(CredentialsArgs),

    /// Revoke the tokens of open secret-scanning alerts, then resolve the alerts.
    #[command(
        long_about = "Revoke the GitHub tokens of open secret-scanning alerts, then resolve \
            each alert as revoked.\n\n\
            Lists the open alerts of GitHub's token types (every page; a page that brings no \
            alert not listed already ends the listing, with a line saying so), checks each alert's \
            secret offline, revokes the revocable ones through POST /credentials/revoke \
            (anonymous, deduplicated across alerts, batched and paced as `credentials`), then \
            resolves each alert whose credential was accepted (PATCH, one at a time, at least \
            1 s apart). Malformed strings are reported, not sent; so are installation tokens \
            (ghs_), unless --revoke-installation-tokens: then each one is used once, to revoke \
            itself (DELETE /installation/token, authenticated by that token alone), and its \
            alert is resolved when it answers 204 (revoked) or 401 (already dead).\n\n\
            With --verify, every credential the run revoked is checked with GET /rate_limit, \
            authenticated by itself alone, before any alert is resolved: an alert whose \
            credential still works when --verify-timeout passes is left open (still_live, \
            exit 1). With --journal, each credential proven dead is recorded, and a rerun \
            with --verify checks again every credential not yet proven dead (an earlier run \
            found it still live, or was interrupted) before resolving its alert.\n\n\
            The token comes from GH_TOKEN, then GITHUB_TOKEN, and is used for the \
            secret-scanning API only: classic tokens need the repo or security_events scope; \
            fine-grained tokens and GitHub Apps need the \"Secret scanning alerts\" repository \
            permission (read and write); the enterprise listing accepts classic tokens only. \
            A 403 that is not GitHub's delegated-dismissal answer means the token may not \
            resolve alerts: resolving stops at the first one (exit 1). If the token is itself \
            one of the leaked secrets, every other alert is resolved first, then its own, and \
            it is revoked last.",
        after_help = format!("Examples:\n  gh-revoke alerts --repo octo-org/app --dry-run\n  \
            gh-revoke alerts --org octo-org --journal alerts.journal --json > report.json\n  \
            gh-revoke alerts --repo octo-org/app --revoke-installation-tokens --verify\n\n\
            Exit codes (alerts):\n  \
            0    every revocable credential was accepted and each of its alerts resolved (or \
            already was); with --dry-run or --no-resolve, the revocation part succeeded (the \
            alerts stay pending by request)\n  \
            1    something failed or needs review (delegated dismissal), or the run stopped \
            early with alerts pending; an installation token could not be revoked; --verify \
            found a credential still live; the listing failed otherwise (422, rate limit past \
            --max-wait, 5xx); the --json report could not be written; an alert is \
            unresolvable; resolving stopped (e.g. a token that may not resolve alerts)\n  \
            2    usage error, no token, a token GitHub refused (401/403), or 404 (secret \
            scanning disabled, or a public repository): nothing was revoked\n  \
            130  interrupted, in any phase (listing too): the report says what was done\n\n\
            With --json a report is printed whatever the outcome: a listing that failed gives \
            one with `error` (kind, status, GitHub's message, what was done) and `stopped`; \
            `stopped` is set whatever phase stopped the run. A failed write to stderr never \
            stops the work.\n\n{ENVIRONMENT}")
    )]
    Alerts(AlertsArgs),

    /// Receive secret_scanning_alert webhooks: revoke each new alert's token within seconds.
    #[command(
        long_about = "Receive GitHub's secret_scanning_alert webhooks and revoke each new \
            alert's token within seconds, durably.\n\n\
            POST /webhook takes signed deliveries (X-Hub-Signature-256 with the webhook secret, \
            checked before anything is read). An alert created, reopened, publicly leaked or \
            validated is committed to the state (--state, SQLite) before the answer 202; the \
            same delivery again is handled once. The worker fetches each queued alert \
            (GET /repos/OWNER/REPO/secret-scanning/alerts/N on the configured API, never a URL \
            from the payload), and handles the open ones of GitHub's token types as `alerts` \
            does: revoked through POST /credentials/revoke (anonymous, tokens waiting at the \
            same time in one request, paced to GitHub's limit across requests), optionally \
            verified, then resolved. A failed step is retried with backoff, then recorded \
            failed. The state never holds a secret; after a crash or restart the queue \
            resumes.\n\n\
            GET /healthz answers 200 while the state is open and the worker runs; GET /metrics \
            answers Prometheus text (gh_revoke_*).\n\n\
            The token (GH_TOKEN, then GITHUB_TOKEN) reads and resolves alerts: classic tokens \
            need the repo or security_events scope; fine-grained tokens the \"Secret scanning \
            alerts\" repository permission (read and write).\n\n\
            As a GitHub App (--app-id and --app-private-key, or GH_REVOKE_APP_ID and \
            GH_REVOKE_APP_PRIVATE_KEY_FILE) GH_TOKEN and GITHUB_TOKEN are not used: each alert is \
            read and resolved with the installation token of its delivery's installation.id \
            (cached per installation, renewed 5 minutes before it expires, and once on a 401); \
            a delivery without installation.id is answered 400 and not stored. --sweep \
            installations sweeps every installation of the app with its own token.\n\n\
            SIGTERM or SIGINT: stop accepting, abandon the call in flight (its alerts stay \
            queued), exit 0.",
        after_help = format!("Examples:\n  \
            GH_REVOKE_WEBHOOK_SECRET=... gh-revoke serve --listen 127.0.0.1:8787\n  \
            gh-revoke serve --webhook-secret-file /etc/gh-revoke/secret --state /var/lib/gh-revoke/state.db \
            --sweep org:octo-org\n  \
            gh-revoke serve --app-id Iv23li... --app-private-key gh-revoke-app/private-key.pem \
            --webhook-secret-file gh-revoke-app/webhook-secret --sweep installations\n\n\
            Exit codes (serve):\n  \
            0    stopped by SIGTERM or SIGINT\n  \
            1    the state could not be written while running\n  \
            2    configuration error: no or empty webhook secret, no token, state in use, \
            address in use, an unreadable or invalid app key or only one of --app-id and \
            --app-private-key, bad flags\n\n\
            {ENVIRONMENT}")
    )]
    Serve(ServeArgs),

    /// Enterprise-wide emergency actions (GitHub Enterprise Cloud).
    #[command(subcommand)]
    Enterprise(EnterpriseCommand),

    /// Organization-wide emergency actions (GitHub Enterprise Cloud).
    #[command(subcommand)]
    Org(OrgCommand),

    /// The GitHub App that `serve` runs as: create it in one step.
    #[command(subcommand)]
    App(AppCommand),

    /// Print the JSON Schema of the reports printed with --json.
    Schema,

    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `gh-revoke enterprise ...`.
#[derive(Debug, Subcommand)]
pub enum EnterpriseCommand {
    /// Revoke every credential authorization in an enterprise.
    #[command(
        name = "revoke-all",
        long_about = "Revoke every credential authorization in an enterprise \
            (POST /enterprises/{enterprise}/credential-authorizations/revoke-all).\n\n\
            High impact: every credential authorization of every organization in the enterprise \
            is revoked, including guests, outside and repository collaborators. With \
            --revoke-credentials (Enterprise Managed Users enterprises only), members' personal \
            access tokens (classic and fine-grained) and SSH keys are destroyed too. The token \
            used for the call may itself be revoked. GitHub queues the work; there is no status \
            to poll and no undo.\n\n\
            The token comes from GH_TOKEN, then GITHUB_TOKEN: an enterprise owner's (or one with \
            write_enterprise_credentials); classic PATs and OAuth tokens need admin:enterprise.\n\n\
            On a terminal you are asked to type the enterprise slug; elsewhere --yes is required.",
        after_help = format!("Examples:\n  gh-revoke enterprise revoke-all acme-corp\n  \
            GH_TOKEN=... gh-revoke enterprise revoke-all acme-corp --revoke-credentials --yes --json\n\n{EXIT_CODES}\n\n{ENVIRONMENT}")
    )]
    RevokeAll(RevokeAllArgs),

    /// Revoke one credential type's, one user's, or all credential authorizations in an
    /// enterprise.
    #[command(
        long_about = "Revoke credential authorizations in an enterprise: of one credential type \
            (--type), of one user (--user), or both; with neither, every one (as revoke-all).\n\n\
            Calls POST /enterprises/{enterprise}/credential-authorizations/revoke-credential-type, \
            .../{username}/revoke, .../{username}/revoke-credential-type or .../revoke-all. With \
            --revoke-credentials (Enterprise Managed Users enterprises only) the credentials \
            themselves are destroyed too; oauth_app_token credentials cannot be destroyed, so \
            --revoke-credentials with --type oauth_app_token is refused (exit 2). The token used \
            for the call may itself be revoked. GitHub queues the work; there is no status to \
            poll and no undo.\n\n\
            The token comes from GH_TOKEN, then GITHUB_TOKEN: an enterprise owner's (or one with \
            write_enterprise_credentials); classic PATs and OAuth tokens need admin:enterprise.\n\n\
            On a terminal it says exactly what goes and asks you to type the enterprise slug; \
            elsewhere --yes is required.",
        after_help = format!("Examples:\n  gh-revoke enterprise revoke acme-corp --type classic_pat\n  \
            gh-revoke enterprise revoke acme-corp --user octocat_acme --revoke-credentials\n  \
            GH_TOKEN=... gh-revoke enterprise revoke acme-corp --user octocat --type ssh_key --yes --json\n\n{EXIT_CODES}\n\n{ENVIRONMENT}")
    )]
    Revoke(EnterpriseRevokeArgs),
}

/// `gh-revoke org ...`.
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Revoke one credential type's, one user's, or all credential authorizations in an
    /// organization.
    #[command(
        long_about = "Revoke the SAML SSO credential authorizations of an organization: of one \
            credential type (--type), of one user (--user), or both; with neither, every one.\n\n\
            Calls POST /orgs/{org}/credential-authorizations/revoke-all, .../revoke-credential-type, \
            .../{username}/revoke or .../{username}/revoke-credential-type. Members must authorize \
            their credentials for the organization again; the credentials themselves stay. The \
            token used for the call may lose its own authorization. GitHub queues the work; \
            there is no status to poll and no undo.\n\n\
            The token comes from GH_TOKEN, then GITHUB_TOKEN: an organization owner's; classic \
            PATs and OAuth tokens need admin:org.\n\n\
            On a terminal it says exactly what goes and asks you to type the organization name; \
            elsewhere --yes is required.",
        after_help = format!("Examples:\n  gh-revoke org revoke acme --type classic_pat\n  \
            gh-revoke org revoke acme --user octocat\n  \
            GH_TOKEN=... gh-revoke org revoke acme --yes --json\n\n{EXIT_CODES}\n\n{ENVIRONMENT}")
    )]
    Revoke(OrgRevokeArgs),
}

/// Where the API is. The environment (GITHUB_API_URL, GH_HOST) is read in `host.rs`, so
/// that a flag always beats it.
#[derive(Debug, Args)]
pub struct HostArgs {
    /// API base URL, any host (even GitHub Enterprise Server); plain http only to loopback
    /// [default: https://api.github.com]
    #[arg(long, value_name = "URL", conflicts_with = "hostname")]
    pub api_url: Option<String>,

    /// GitHub host: github.com, or SUBDOMAIN.ghe.com for https://api.SUBDOMAIN.ghe.com
    /// (Enterprise Server hosts are refused)
    #[arg(long, value_name = "HOST")]
    pub hostname: Option<String>,

    /// Give up on one request after this long (e.g. 30s, 2m)
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_timeout)]
    pub timeout: Duration,
}

/// How much to say on stderr.
#[derive(Debug, Args)]
pub struct Verbosity {
    /// Print nothing but errors (and the --json report).
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// More log detail (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// `gh-revoke credentials`.
#[derive(Debug, Args)]
pub struct CredentialsArgs {
    /// Input files; '-' is standard input (the default).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Find credentials anywhere in the input instead of one per line.
    #[arg(long)]
    pub scan: bool,

    /// Read, validate, dedupe and show the batch plan; send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Also send strings that fail the format or checksum check (default: skip and report them).
    /// They go last, in batches of their own; a batch GitHub refuses (422) is split until only
    /// the refused strings fail.
    #[arg(long)]
    pub allow_unverified: bool,

    /// Print the report as JSON on stdout (and nothing else there).
    #[arg(long)]
    pub json: bool,

    /// Record accepted batches (fingerprints only) in PATH; a rerun skips what it holds. A
    /// file that is not a journal is refused (exit 2) and left unchanged.
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,

    /// Stop, rather than wait longer than this for the rate limit (e.g. 90s, 10m, 1h).
    #[arg(long, value_name = "DURATION", value_parser = parse_max_wait)]
    pub max_wait: Option<Duration>,

    /// Also revoke installation tokens (ghs_): each is used once, to revoke itself
    /// (DELETE /installation/token, authenticated by that token alone; never GH_TOKEN).
    #[arg(long)]
    pub revoke_installation_tokens: bool,

    /// After the run, check that each accepted credential (and each revoked installation
    /// token) no longer works: GET /rate_limit authenticated by that credential alone (401
    /// dead; 200 live, checked again until --verify-timeout). Exit 1 if one is still live.
    #[arg(long)]
    pub verify: bool,

    /// How long --verify keeps checking a credential that is still live (e.g. 2m, 90s).
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = parse_verify_timeout)]
    pub verify_timeout: Duration,

    /// Credentials per request (1 to 1000).
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub batch_size: u16,

    /// Where the API is.
    #[command(flatten)]
    pub host: HostArgs,

    /// Output detail.
    #[command(flatten)]
    pub verbosity: Verbosity,
}

/// Whose alerts (exactly one).
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct AlertScopeArgs {
    /// One repository.
    #[arg(long, value_name = "OWNER/REPO")]
    pub repo: Option<String>,

    /// Every repository of an organization.
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,

    /// Every repository of an enterprise (classic tokens only).
    #[arg(long, value_name = "SLUG")]
    pub enterprise: Option<String>,
}

/// `gh-revoke alerts`.
#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// Whose alerts.
    #[command(flatten)]
    pub scope: AlertScopeArgs,

    /// List and plan only: revoke nothing, resolve nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Print the report as JSON on stdout, whatever the outcome (a listing that failed or was
    /// interrupted too: `error` and `stopped` say why).
    #[arg(long)]
    pub json: bool,

    /// Record accepted batches and resolved alerts in PATH; a rerun skips what it holds. A
    /// file that is not a journal is refused (exit 2) and left unchanged.
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,

    /// Stop, rather than wait longer than this for a rate limit (e.g. 90s, 10m, 1h).
    #[arg(long, value_name = "DURATION", value_parser = parse_max_wait)]
    pub max_wait: Option<Duration>,

    /// What to do with each alert (shared with `serve`).
    #[command(flatten)]
    pub handling: AlertHandlingArgs,

    /// Where the API is.
    #[command(flatten)]
    pub host: HostArgs,

    /// Output detail.
    #[command(flatten)]
    pub verbosity: Verbosity,
}

/// What `alerts` and `serve` do with each alert beyond revoking its token.
#[derive(Debug, Args)]
pub struct AlertHandlingArgs {
    /// Revoke only; leave the alerts open.
    #[arg(long)]
    pub no_resolve: bool,

    /// The resolution comment (default: "Revoked with gh-revoke: submitted to GitHub's
    /// credential revocation API, accepted at" and the UTC time of acceptance).
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,

    /// Also revoke the installation tokens (ghs_) of the alerts: each is used once, to revoke
    /// itself (DELETE /installation/token, authenticated by that token alone; never GH_TOKEN),
    /// then its alert is resolved.
    #[arg(long)]
    pub revoke_installation_tokens: bool,

    /// Before resolving, check that each credential the run revoked no longer works: GET
    /// /rate_limit authenticated by that credential alone (401 dead; 200 live, checked again
    /// until --verify-timeout). An alert whose credential is still live is left open; exit 1.
    /// With --journal, a rerun checks again every credential not yet proven dead.
    #[arg(long)]
    pub verify: bool,

    /// How long --verify keeps checking a credential that is still live (e.g. 2m, 90s).
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = parse_verify_timeout)]
    pub verify_timeout: Duration,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line (for log shippers).
    Json,
}

/// `gh-revoke serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen (port 0 picks a free one). Plain HTTP: put a TLS reverse proxy in
    /// front for GitHub.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    pub listen: std::net::SocketAddr,

    /// Read the webhook secret from PATH (default: GH_REVOKE_WEBHOOK_SECRET); one trailing
    /// newline is not part of it.
    #[arg(long, value_name = "PATH")]
    pub webhook_secret_file: Option<PathBuf>,

    /// The receiver's state (SQLite): deliveries, the queue and outcomes, never a secret.
    /// One process per state.
    #[arg(long, value_name = "PATH", default_value = "gh-revoke-serve.db")]
    pub state: PathBuf,

    /// At start and every --sweep-interval, queue the open alerts of GitHub's token types at
    /// TARGET that the state does not know yet: org:NAME, repo:OWNER/NAME or
    /// enterprise:SLUG (repeatable). As a GitHub App: `installations` (only), every
    /// installation of the app, each with its own installation token: an organization's alerts
    /// with the organization listing, a user account's repository by repository.
    #[arg(long, value_name = "TARGET")]
    pub sweep: Vec<String>,

    /// Run as a GitHub App (with --app-private-key): its client ID (recommended) or numeric
    /// app ID. Each alert is then read and resolved with the installation token of its
    /// delivery's installation.id; GH_TOKEN and GITHUB_TOKEN are not used.
    #[arg(long, value_name = "ID", env = "GH_REVOKE_APP_ID")]
    pub app_id: Option<String>,

    /// The GitHub App's private key, the PEM file GitHub generated (with --app-id). Never
    /// printed.
    #[arg(long, value_name = "PATH", env = "GH_REVOKE_APP_PRIVATE_KEY_FILE")]
    pub app_private_key: Option<PathBuf>,

    /// How often to sweep (e.g. 15m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_sweep_interval)]
    pub sweep_interval: Duration,

    /// What to do with each alert.
    #[command(flatten)]
    pub handling: AlertHandlingArgs,

    /// Log lines as text or as one JSON object a line.
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Where the API is.
    #[command(flatten)]
    pub host: HostArgs,

    /// Output detail.
    #[command(flatten)]
    pub verbosity: Verbosity,
}

/// `gh-revoke enterprise revoke-all`.
#[derive(Debug, Args)]
pub struct RevokeAllArgs {
    /// The enterprise slug (as in github.com/enterprises/SLUG).
    #[arg(value_name = "ENTERPRISE")]
    pub enterprise: String,

    /// Also destroy members' PATs and SSH keys (Enterprise Managed Users only).
    #[arg(long)]
    pub revoke_credentials: bool,

    /// Do not ask for confirmation (required when not on a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print GitHub's answer as JSON on stdout; when the call did not succeed, the same object
    /// with `error` (kind, status, GitHub's message, what was done).
    #[arg(long)]
    pub json: bool,

    /// Where the API is.
    #[command(flatten)]
    pub host: HostArgs,

    /// Output detail.
    #[command(flatten)]
    pub verbosity: Verbosity,
}

/// A `--type` value: GitHub's `credential_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum CredentialTypeArg {
    /// Personal access tokens (classic)
    ClassicPat,
    /// Fine-grained personal access tokens
    FineGrainedPat,
    /// SSH keys
    SshKey,
    /// OAuth app tokens (de-authorized only: they cannot be destroyed)
    OauthAppToken,
}

impl From<CredentialTypeArg> for gh_revoke::CredentialType {
    fn from(arg: CredentialTypeArg) -> Self {
        match arg {
            CredentialTypeArg::ClassicPat => Self::ClassicPat,
            CredentialTypeArg::FineGrainedPat => Self::FineGrainedPat,
            CredentialTypeArg::SshKey => Self::SshKey,
            CredentialTypeArg::OauthAppToken => Self::OauthAppToken,
        }
    }
}

/// What both `enterprise revoke` and `org revoke` take besides the scope.
#[derive(Debug, Args)]
pub struct RevokeCommon {
    /// Only this credential type's authorizations.
    #[arg(long = "type", value_name = "T")]
    pub credential_type: Option<CredentialTypeArg>,

    /// Only this user's authorizations (their login).
    #[arg(long, value_name = "LOGIN")]
    pub user: Option<String>,

    /// Do not ask for confirmation (required when not on a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print GitHub's answer as JSON on stdout; when the call did not succeed, the same object
    /// with `error` (kind, status, GitHub's message, what was done).
    #[arg(long)]
    pub json: bool,

    /// Where the API is.
    #[command(flatten)]
    pub host: HostArgs,

    /// Output detail.
    #[command(flatten)]
    pub verbosity: Verbosity,
}

/// `gh-revoke enterprise revoke`.
#[derive(Debug, Args)]
pub struct EnterpriseRevokeArgs {
    /// The enterprise slug (as in github.com/enterprises/SLUG).
    #[arg(value_name = "ENTERPRISE")]
    pub enterprise: String,

    /// Also destroy the credentials themselves (Enterprise Managed Users only; not with
    /// --type oauth_app_token).
    #[arg(long)]
    pub revoke_credentials: bool,

    /// Type, user, confirmation, output and host.
    #[command(flatten)]
    pub common: RevokeCommon,
}

/// `gh-revoke org revoke`.
#[derive(Debug, Args)]
pub struct OrgRevokeArgs {
    /// The organization (as in github.com/ORG).
    #[arg(value_name = "ORG")]
    pub org: String,

    /// Type, user, confirmation, output and host.
    #[command(flatten)]
    pub common: RevokeCommon,
}

/// The longest `--max-wait` taken: a week (GitHub's windows are an hour).
const MAX_MAX_WAIT: Duration = Duration::from_secs(7 * 24 * 3600);

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let timeout =
        humantime::parse_duration(text).map_err(|err| format!("{err} (expected e.g. 30s, 2m)"))?;
    if timeout.is_zero() || timeout > Duration::from_secs(3600) {
        return Err(format!("{text}: expected between 1s and 1h"));
    }
    Ok(timeout)
}

fn parse_verify_timeout(text: &str) -> Result<Duration, String> {
    let timeout =
        humantime::parse_duration(text).map_err(|err| format!("{err} (expected e.g. 2m, 90s)"))?;
    if timeout.is_zero() || timeout > Duration::from_secs(3600) {
        return Err(format!("{text}: expected between 1s and 1h"));
    }
    Ok(timeout)
}

fn parse_sweep_interval(text: &str) -> Result<Duration, String> {
    let interval =
        humantime::parse_duration(text).map_err(|err| format!("{err} (expected e.g. 15m, 1h)"))?;
    if interval < Duration::from_secs(1) || interval > Duration::from_secs(7 * 24 * 3600) {
        return Err(format!("{text}: expected between 1s and 7 days"));
    }
    Ok(interval)
}

fn parse_max_wait(text: &str) -> Result<Duration, String> {
    let wait = humantime::parse_duration(text)
        .map_err(|err| format!("{err} (expected e.g. 90s, 10m, 1h)"))?;
    if wait > MAX_MAX_WAIT {
        return Err(format!(
            "{text} is longer than the longest wait allowed (7 days)"
        ));
    }
    Ok(wait)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn max_wait_parses_and_refuses_absurd_values() {
        assert_eq!(parse_max_wait("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_max_wait("1h").unwrap(), Duration::from_secs(3600));
        assert!(parse_max_wait("soon").is_err());
        assert!(parse_max_wait("100000000000000h").is_err());
        assert!(parse_max_wait("30d").is_err());
    }
}
