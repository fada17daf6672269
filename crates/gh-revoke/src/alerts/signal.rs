//! [`Signal`]: the caller's interruption, polled before each request and raced against each wait.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// The caller's stop signal, as [`super::AlertsRun::interrupt_on`] takes it.
pub(super) type Interrupt<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// The caller's interruption, shared by the listing, the revocation and the resolving.
pub(super) struct Signal<'a> {
    pub(super) future: Option<Interrupt<'a>>,
    pub(super) fired: bool,
}

impl<'a> Signal<'a> {
    pub(super) fn none() -> Self {
        Self {
            future: None,
            fired: false,
        }
    }

    fn fired(&mut self) -> bool {
        if !self.fired
            && let Some(future) = self.future.as_mut()
        {
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            if future.as_mut().poll(&mut cx).is_ready() {
                self.fire();
            }
        }
        self.fired
    }

    pub(super) fn fire(&mut self) {
        self.fired = true;
        self.future = None;
    }

    pub(super) async fn or_interrupt<T>(&mut self, work: impl Future<Output = T>) -> Option<T> {
        if self.fired() {
            return None;
        }
        let Some(future) = self.future.as_mut() else {
            return Some(work.await);
        };
        tokio::select! {
            biased;
            () = future.as_mut() => {
                self.fire();
                None
            }
            value = work => Some(value),
        }
    }

    pub(super) async fn sleep(&mut self, wait: Duration) -> Result<(), ()> {
        self.or_interrupt(tokio::time::sleep(wait)).await.ok_or(())
    }
}
