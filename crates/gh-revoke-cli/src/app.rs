//! `gh-revoke app create`: the manifest flow of `gh_revoke_serve::app::manifest`, a browser
//! opened at its page, the app's files written, and what to do next printed. The key, the
//! webhook secret and the one-time code are never printed.

use std::path::Path;

use gh_revoke::ApiBase;
use gh_revoke_serve::app::manifest::{
    self, MANIFEST_FLOW_TIMEOUT, ManifestError, ManifestFlow, ManifestRequest,
};

use crate::args::AppCreateArgs;
use crate::exit::{Failure, Outcome, usage};

/// Run `app create`.
pub fn run(args: AppCreateArgs) -> Result<Outcome, Failure> {
    crate::logging::init(&args.verbosity);
    let api_base = match &args.api_url {
        Some(url) => ApiBase::parse(url).map_err(usage)?,
        None => manifest::api_base_for(&args.github_url).map_err(usage)?,
    };
    // Before anything is sent: GitHub hands the key out once.
    for name in ["app-id", "private-key.pem", "webhook-secret"] {
        let path = args.dir.join(name);
        if path.symlink_metadata().is_ok() {
            return Err(usage(format!(
                "{} already exists: refusing to overwrite it; choose another --dir \
                 (nothing was created)",
                path.display()
            )));
        }
    }
    let name = args.name.clone().unwrap_or_else(|| match &args.org {
        Some(org) => format!("gh-revoke-{org}"),
        None => "gh-revoke".to_owned(),
    });
    let request = ManifestRequest {
        github_url: args.github_url.clone(),
        org: args.org.clone(),
        webhook_url: args.webhook_url.clone(),
        name,
        api_base,
        timeout: args.timeout,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Failure::Request(format!("could not start the async runtime: {err}")))?;
    let created = runtime.block_on(async {
        let flow = ManifestFlow::start(request)
            .await
            .map_err(|err| match err {
                ManifestError::BadInput { .. } => usage(err),
                err => Failure::Request(err.to_string()),
            })?;
        let page = flow.page_url();
        if args.no_browser {
            eprintln!("open this page in a browser: {page}");
        } else {
            eprintln!(
                "opening {page} in your browser: confirm the app on GitHub there (if no \
                 browser opens, open that address yourself)"
            );
            // A text-mode browser can block until it exits: never on the thread that serves
            // the page.
            let url = page.clone();
            tokio::task::spawn_blocking(move || {
                if webbrowser::open(&url).is_err() {
                    eprintln!("no browser could be opened: open this page in a browser: {url}");
                }
            });
        }
        eprintln!(
            "waiting for GitHub to send the browser back (up to {} minutes; Ctrl-C to stop)",
            MANIFEST_FLOW_TIMEOUT.as_secs() / 60
        );
        let interrupted = crate::signals::first_signal()?;
        tokio::select! {
            created = flow.finish(MANIFEST_FLOW_TIMEOUT) => {
                created.map(Some).map_err(|err| Failure::Request(err.to_string()))
            }
            () = interrupted => Ok(None),
        }
    })?;
    let Some(app) = created else {
        eprintln!("gh-revoke: interrupted before GitHub sent the browser back: no app was created");
        return Ok(Outcome::Interrupted);
    };
    let written = app.write_to(&args.dir).map_err(|err| {
        Failure::Request(format!(
            "GitHub created the app{} but its files could not be written: {err}; generate a \
             new private key in the app's settings",
            app.html_url
                .as_deref()
                .map(|u| format!(" ({u})"))
                .unwrap_or_default()
        ))
    })?;
    let app_id = app.app_id();
    println!(
        "Created the GitHub App {} (app ID {}, client ID {}).",
        app.slug.as_deref().unwrap_or("(unnamed)"),
        app.id.map_or_else(|| "?".to_owned(), |id| id.to_string()),
        app.client_id.as_deref().unwrap_or("?"),
    );
    println!(
        "Wrote {}, {} (mode 0600) and {} (mode 0600).",
        written.app_id.display(),
        written.private_key.display(),
        written.webhook_secret.display()
    );
    println!();
    println!("Next:");
    match app.installation_url() {
        Some(url) => println!("  1. Install the app where it should act: {url}"),
        None => println!("  1. Install the app from its page on GitHub (Install App)."),
    }
    println!("  2. Run the receiver as the app:");
    println!(
        "     gh-revoke serve --app-id {} --app-private-key {} --webhook-secret-file {}",
        shell_word(&app_id),
        shell_path(&written.private_key),
        shell_path(&written.webhook_secret)
    );
    Ok(Outcome::Success)
}

fn shell_path(path: &Path) -> String {
    shell_word(&path.display().to_string())
}

/// `word` as one shell word: as it is when it holds only safe characters, else single-quoted.
fn shell_word(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+:=@,".contains(&b));
    if safe {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(
            shell_word("gh-revoke-app/private-key.pem"),
            "gh-revoke-app/private-key.pem"
        );
        assert_eq!(shell_word("my dir/key"), "'my dir/key'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }
}
