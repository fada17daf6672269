//! [`Interrupt`]: the caller's stop signal (e.g. Ctrl-C), checked before each request and raced
//! against each request and wait, the same way for every client.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A future that ends a run early when it completes.
pub(crate) type Signal<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// The caller's interruption: once it has completed it is never polled again.
pub(crate) struct Interrupt<'a> {
    /// The signal, until it completes.
    signal: Option<Signal<'a>>,
    fired: bool,
}

impl<'a> Interrupt<'a> {
    /// No interruption.
    pub(crate) fn never() -> Self {
        Self {
            signal: None,
            fired: false,
        }
    }

    /// Interrupted when `signal` completes.
    pub(crate) fn on(signal: impl Future<Output = ()> + Send + 'a) -> Self {
        Self::from(Some(Box::pin(signal) as Signal<'a>))
    }

    /// Interrupted when `signal` (if any) completes.
    pub(crate) fn from(signal: Option<Signal<'a>>) -> Self {
        Self {
            signal,
            fired: false,
        }
    }

    /// The signal, lent to a client this run drives (its `interrupt_on`); `None` when there
    /// is none or it has fired. When that client reports it was interrupted, call
    /// [`Interrupt::fire`]: a completed signal must not be polled again.
    pub(crate) fn lend(&mut self) -> Option<Pin<&mut (dyn Future<Output = ()> + Send + 'a)>> {
        self.signal.as_mut().map(|signal| signal.as_mut())
    }

    /// It has completed (seen elsewhere): never poll it again.
    pub(crate) fn fire(&mut self) {
        self.fired = true;
        self.signal = None;
    }

    /// Whether it has fired (checked without waiting).
    pub(crate) fn fired(&mut self) -> bool {
        if !self.fired
            && let Some(signal) = self.signal.as_mut()
        {
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            if signal.as_mut().poll(&mut cx).is_ready() {
                self.fire();
            }
        }
        self.fired
    }

    /// Run `work` unless the interruption fires first (then `None`, and `work` is dropped).
    pub(crate) async fn or<T>(&mut self, work: impl Future<Output = T>) -> Option<T> {
        if self.fired() {
            return None;
        }
        let Some(signal) = self.signal.as_mut() else {
            return Some(work.await);
        };
        tokio::select! {
            biased;
            () = signal.as_mut() => {
                self.fire();
                None
            }
            value = work => Some(value),
        }
    }

    /// Sleep, unless interrupted (`Err`).
    pub(crate) async fn sleep(&mut self, wait: Duration) -> Result<(), ()> {
        self.or(tokio::time::sleep(wait)).await.ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_fired_signal_stops_work_and_sleeps_and_is_not_polled_again() {
        let mut never = Interrupt::never();
        assert!(!never.fired());
        assert_eq!(never.or(async { 7 }).await, Some(7));

        let mut ready = Interrupt::on(async {});
        assert!(ready.fired());
        assert_eq!(ready.or(async { 7 }).await, None);
        assert!(ready.lend().is_none());

        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let mut later = Interrupt::on(async move {
            let _ = rx.await;
        });
        assert!(!later.fired());
        drop(tx);
        assert!(later.sleep(Duration::from_secs(3600)).await.is_err());
        assert!(later.fired());
    }
}
