//! Ctrl-C and SIGTERM while sending: the first stops the run cleanly (the report is printed,
//! exit 130); a second exits at once.

use std::future::Future;

use crate::exit::{Failure, INTERRUPTED};

/// Start listening for SIGINT and SIGTERM (inside a tokio runtime). The returned future
/// completes on the first signal; a second signal exits the process at once with 130.
pub fn first_signal() -> Result<impl Future<Output = ()> + Send + 'static, Failure> {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let mut signals = Signals::new()?;
    tokio::spawn(async move {
        signals.next().await;
        crate::output::say!(
            "gh-revoke: interrupted: finishing up (no new request is sent); press Ctrl-C again \
             to exit at once"
        );
        let _ = tx.send(());
        signals.next().await;
        std::process::exit(i32::from(INTERRUPTED));
    });
    Ok(async move {
        // The sender lives as long as the listener; an error means it is gone, and then
        // no signal can come.
        if rx.await.is_err() {
            std::future::pending::<()>().await;
        }
    })
}

#[cfg(unix)]
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    fn new() -> Result<Self, Failure> {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind| {
            signal(kind)
                .map_err(|err| Failure::Request(format!("could not listen for signals: {err}")))
        };
        Ok(Self {
            interrupt: listen(SignalKind::interrupt())?,
            terminate: listen(SignalKind::terminate())?,
        })
    }

    async fn next(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn new() -> Result<Self, Failure> {
        Ok(Self)
    }

    async fn next(&mut self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}
