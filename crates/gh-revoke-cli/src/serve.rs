//! `gh-revoke serve`: the webhook receiver of `gh-revoke-serve`, with its configuration read
//! from flags and the environment, signals, and the one `listening on` line.

use std::sync::Arc;
use std::time::Duration;

use gh_revoke::{AlertTarget, AlertsClient, ApiBase, RevokeClient};
use gh_revoke_serve::app::{AppClient, AppId, AppKey};
use gh_revoke_serve::{AppState, Store, StoreError, WebhookSecret, Worker};
use tokio_util::sync::CancellationToken;

use crate::args::{LogFormat, ServeArgs};
use crate::exit::{Failure, Outcome, usage};
use crate::{alerts, host, logging};

/// Where the webhook secret is read from when `--webhook-secret-file` is not given.
const SECRET_VAR: &str = "GH_REVOKE_WEBHOOK_SECRET";

/// How long the server and the worker get to stop after SIGTERM or SIGINT (the whole exit
/// stays within 10 s).
const STOP_GRACE: Duration = Duration::from_secs(4);

/// Run the command.
pub fn run(args: ServeArgs) -> Result<Outcome, Failure> {
    logging::init_as(&args.verbosity, args.log_format == LogFormat::Json);
    let base = host::resolve(&args.host)?;
    let secret = webhook_secret(&args)?;
    let app = app_client(&args, &base)?;
    let sweeps = args
        .sweep
        .iter()
        .map(|s| sweep_target(s, app.is_some()))
        .collect::<Result<Vec<_>, _>>()?;
    let (installation, verify) =
        alerts::kill_clients(&args.handling, &base, args.host.timeout, None)?;
    // The anonymous client, one for the process: its pacer remembers the rate-limit window
    // from one batch to the next.
    let revoke = RevokeClient::builder(base.clone())
        .timeout(args.host.timeout)
        .build()
        .map_err(usage)?;
    let store = Store::open(&args.state).map_err(|err| match err {
        StoreError::InUse(_) => usage(format!(
            "--state {}: in use by another gh-revoke serve (one process per state)",
            args.state.display()
        )),
        err => usage(format!("--state: {err}")),
    })?;
    let app_mode = app.is_some();
    let mut worker = match app {
        Some(app) => Worker::for_app(
            Arc::new(store),
            app,
            args.host.timeout,
            revoke,
            !args.handling.no_resolve,
            args.handling.comment.clone(),
        ),
        None => {
            let alerts_client = AlertsClient::builder(base.clone(), alerts::token()?)
                .timeout(args.host.timeout)
                .build()
                .map_err(usage)?;
            Worker::new(
                Arc::new(store),
                alerts_client,
                revoke,
                !args.handling.no_resolve,
                args.handling.comment.clone(),
            )
        }
    };
    if let Some(client) = installation {
        worker = worker.revoke_installation_tokens(client);
    }
    if let Some(client) = verify {
        worker = worker.verify(client);
    }
    let worker = Arc::new(worker);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|err| Failure::Request(format!("could not start the async runtime: {err}")))?;
    let outcome = runtime.block_on(serve(args, secret, worker, sweeps, app_mode));
    runtime.shutdown_timeout(Duration::from_secs(1));
    outcome
}

async fn serve(
    args: ServeArgs,
    secret: WebhookSecret,
    worker: Arc<Worker>,
    sweeps: Vec<Sweep>,
    app_mode: bool,
) -> Result<Outcome, Failure> {
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|err| usage(format!("--listen {}: {err}", args.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|err| usage(format!("--listen {}: {err}", args.listen)))?;
    let interrupted = crate::signals::first_signal()?;
    let metrics = gh_revoke_serve::metrics::install();
    let state = AppState::new(
        secret,
        Arc::clone(worker.store()),
        worker.notifier(),
        worker.running(),
        metrics,
    )
    .require_installation(app_mode);
    let cancel = CancellationToken::new();

    let work = {
        let (worker, cancel) = (Arc::clone(&worker), cancel.clone());
        tokio::spawn(async move {
            let result = worker.run(cancel.clone()).await;
            if let Err(err) = &result {
                tracing::error!(error = %err, "the worker stopped");
                cancel.cancel();
            }
            result
        })
    };
    let sweeping = (!sweeps.is_empty()).then(|| {
        let (worker, cancel) = (Arc::clone(&worker), cancel.clone());
        let interval = args.sweep_interval;
        tokio::spawn(async move {
            loop {
                for sweep in &sweeps {
                    let result = async {
                        match sweep {
                            Sweep::Target(target) => worker.sweep(target).await,
                            Sweep::Installations => worker.sweep_installations().await,
                        }
                    };
                    tokio::select! {
                        result = result => match result {
                            Ok(queued) => tracing::info!(?sweep, queued, "sweep"),
                            Err(err) => tracing::warn!(?sweep, error = %err, "sweep failed"),
                        },
                        () = cancel.cancelled() => return,
                    }
                }
                tokio::select! {
                    () = tokio::time::sleep(interval) => {}
                    () = cancel.cancelled() => return,
                }
            }
        })
    });
    let server = tokio::spawn(gh_revoke_serve::serve(
        listener,
        gh_revoke_serve::router(state),
        cancel.clone(),
    ));
    // The one line scripts wait for.
    eprintln!("listening on http://{addr}");

    tokio::select! {
        () = interrupted => {}
        () = cancel.cancelled() => {}
    }
    let stopped_by_signal = !cancel.is_cancelled();
    cancel.cancel();
    // Stop accepting; requests in progress get a moment, idle connections do not hold the
    // exit.
    let _ = tokio::time::timeout(STOP_GRACE, server).await;
    let worker_result = tokio::time::timeout(STOP_GRACE, work).await;
    if let Some(task) = sweeping {
        task.abort();
    }
    match worker_result {
        Ok(Ok(Err(err))) => Err(Failure::Request(format!(
            "the state could not be written: {err}"
        ))),
        _ if stopped_by_signal => Ok(Outcome::Success),
        _ => Err(Failure::Request("the receiver stopped".into())),
    }
}

/// The webhook secret: `--webhook-secret-file`, else `GH_REVOKE_WEBHOOK_SECRET`; none or an
/// empty one is a usage error. Never printed.
fn webhook_secret(args: &ServeArgs) -> Result<WebhookSecret, Failure> {
    let (text, from) = match &args.webhook_secret_file {
        Some(path) => (
            std::fs::read_to_string(path)
                .map_err(|err| usage(format!("--webhook-secret-file {}: {err}", path.display())))?,
            format!("--webhook-secret-file {}", path.display()),
        ),
        None => (
            std::env::var(SECRET_VAR).map_err(|_| {
                usage(format!(
                    "no webhook secret: set {SECRET_VAR} or pass --webhook-secret-file (the \
                     secret configured on the webhook)"
                ))
            })?,
            SECRET_VAR.to_owned(),
        ),
    };
    WebhookSecret::new(text).ok_or_else(|| usage(format!("{from}: the webhook secret is empty")))
}

/// What `--sweep` sweeps.
#[derive(Debug)]
enum Sweep {
    /// One target, with the token (`org:`, `repo:`, `enterprise:`).
    Target(AlertTarget),
    /// Every installation of the app, each with its own token (app mode).
    Installations,
}

/// App mode: `--app-id` and `--app-private-key` (or their variables) both given, the key
/// loaded and able to sign. Only one of the two, a bad id, or an unreadable or invalid key is
/// a usage error (exit 2) naming the file, never showing the key.
fn app_client(args: &ServeArgs, base: &ApiBase) -> Result<Option<AppClient>, Failure> {
    let (id, key) = match (&args.app_id, &args.app_private_key) {
        (None, None) => return Ok(None),
        (Some(id), Some(key)) => (id, key),
        (Some(_), None) => {
            return Err(usage(
                "--app-id needs --app-private-key PATH (or GH_REVOKE_APP_PRIVATE_KEY_FILE): the \
                 app's private key signs its JWT",
            ));
        }
        (None, Some(_)) => {
            return Err(usage(
                "--app-private-key needs --app-id ID (or GH_REVOKE_APP_ID): the app's client ID \
                 or numeric app ID",
            ));
        }
    };
    let id = AppId::parse(id).map_err(|err| usage(format!("--app-id: {err}")))?;
    let key =
        AppKey::from_pem_file(key).map_err(|err| usage(format!("--app-private-key: {err}")))?;
    let app = AppClient::builder(base.clone(), id, key)
        .timeout(args.host.timeout)
        .build()
        .map_err(|err| usage(format!("the GitHub App's client: {err}")))?;
    // Said once; a warning (shown at the default verbosity) when one of them is set, since
    // whoever set it may think it is used.
    let token_set = ["GH_TOKEN", "GITHUB_TOKEN"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
    if token_set {
        tracing::warn!(
            app = %app.app_id(),
            "running as a GitHub App: each alert is read and resolved with its installation's \
             token; GH_TOKEN and GITHUB_TOKEN are not used"
        );
    } else {
        tracing::info!(
            app = %app.app_id(),
            "running as a GitHub App: each alert is read and resolved with its installation's \
             token; GH_TOKEN and GITHUB_TOKEN are not used"
        );
    }
    Ok(Some(app))
}

/// `--sweep`: `org:NAME`, `repo:OWNER/NAME` or `enterprise:SLUG` with a token; `installations`
/// as a GitHub App (`app_mode`).
fn sweep_target(text: &str, app_mode: bool) -> Result<Sweep, Failure> {
    if text == "installations" {
        return if app_mode {
            Ok(Sweep::Installations)
        } else {
            Err(usage(
                "--sweep installations: only as a GitHub App (--app-id and --app-private-key)",
            ))
        };
    }
    if app_mode {
        return Err(usage(format!(
            "--sweep {:?}: as a GitHub App only `--sweep installations` (each installation with \
             its own token)",
            gh_revoke::scrub(text)
        )));
    }
    let bad = || {
        usage(format!(
            "--sweep {:?}: expected org:NAME, repo:OWNER/NAME or enterprise:SLUG",
            gh_revoke::scrub(text)
        ))
    };
    let (kind, name) = text.split_once(':').ok_or_else(bad)?;
    match kind {
        "org" => AlertTarget::org(name),
        "repo" => AlertTarget::repo(name),
        "enterprise" => AlertTarget::enterprise(name),
        _ => return Err(bad()),
    }
    .map(Sweep::Target)
    .map_err(|err| usage(format!("--sweep: {err}")))
}
