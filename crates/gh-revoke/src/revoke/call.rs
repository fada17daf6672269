//! [`Revoke`]: one call of [`RevokeClient::revoke`], configured like oxide.rs' generated calls
//! and awaited directly (`IntoFuture`).

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::{Event, Journal, Observer, RevokeClient, RevokeReport};
use crate::credential::Fingerprint;
use crate::http::ApiBase;
use crate::http::interrupt::Interrupt;
use crate::plan::Plan;

/// One revocation run: `client.revoke(&plan)`, optionally `.journal(&mut journal)`,
/// `.on_event(|event| ...)` or `.observer(my_observer)`, `.interrupt_on(signal)`, then
/// `.await` for the [`RevokeReport`]. The future is `Send`.
#[must_use = "a revocation does nothing until it is awaited"]
pub struct Revoke<'a, O = ()> {
    client: &'a RevokeClient,
    plan: &'a Plan,
    journal: Option<&'a mut Journal>,
    observer: O,
    interrupt: Interrupt<'a>,
}

impl fmt::Debug for Revoke<'_, ()> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Revoke")
            .field("api", self.client.api_base())
            .field("batches", &self.plan.batch_count())
            .field("journal", &self.journal.as_ref().map(|j| j.path()))
            .finish_non_exhaustive()
    }
}

impl<'a> Revoke<'a, ()> {
    pub(super) fn new(client: &'a RevokeClient, plan: &'a Plan) -> Self {
        Self {
            client,
            plan,
            journal: None,
            observer: (),
            interrupt: Interrupt::never(),
        }
    }
}

impl<'a, O: Observer> Revoke<'a, O> {
    /// Record each accepted batch in `journal`, durably, before anything else is sent; a
    /// write that fails stops the run ([`crate::Stop::Halted`]). A journal made against
    /// another API URL stops the run before anything is sent.
    pub fn journal(mut self, journal: &'a mut Journal) -> Self {
        self.journal = Some(journal);
        self
    }

    /// Tell `f` about every [`Event`] (progress bars, logs). To stop the run from the
    /// callback, implement [`Observer`] and use [`Revoke::observer`].
    pub fn on_event<F>(self, f: F) -> Revoke<'a, OnEvent<F>>
    where
        F: FnMut(&Event<'_>) + Send,
    {
        self.observer(OnEvent(f))
    }

    /// Tell `observer` about every [`Event`]; its error stops the run.
    pub fn observer<P: Observer>(self, observer: P) -> Revoke<'a, P> {
        Revoke {
            client: self.client,
            plan: self.plan,
            journal: self.journal,
            observer,
            interrupt: self.interrupt,
        }
    }

    /// Stop when `signal` completes: no new request is started, the one in flight is
    /// abandoned (never journaled, reported as not sent), and the report says
    /// [`crate::Stop::Interrupted`].
    pub fn interrupt_on(mut self, signal: impl Future<Output = ()> + Send + 'a) -> Self {
        self.interrupt = Interrupt::on(signal);
        self
    }
}

impl<'a, O> IntoFuture for Revoke<'a, O>
where
    O: Observer + Send + 'a,
{
    type Output = RevokeReport;
    type IntoFuture = Pin<Box<dyn Future<Output = RevokeReport> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let mut observer = self.observer;
            let mut sink = Sink {
                observer: &mut observer,
                journal: self.journal,
                interrupt: self.interrupt,
            };
            self.client.run(self.plan, &mut sink).await
        })
    }
}

/// The observer made by [`Revoke::on_event`].
pub struct OnEvent<F>(F);

impl<F> fmt::Debug for OnEvent<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OnEvent(..)")
    }
}

impl<F: FnMut(&Event<'_>)> Observer for OnEvent<F> {
    type Error = std::convert::Infallible;

    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Self::Error> {
        (self.0)(event);
        Ok(())
    }
}

/// [`Observer`] with its error type erased to a message.
trait DynObserver {
    fn emit(&mut self, event: &Event<'_>) -> Result<(), String>;
}

impl<O: Observer> DynObserver for O {
    fn emit(&mut self, event: &Event<'_>) -> Result<(), String> {
        self.on_event(event).map_err(|err| err.to_string())
    }
}

/// Where the batch loop sends what happens: the journal, the observer, and the interruption.
pub(super) struct Sink<'a> {
    observer: &'a mut (dyn DynObserver + Send),
    journal: Option<&'a mut Journal>,
    interrupt: Interrupt<'a>,
}

impl<'a> Sink<'a> {
    /// Tell the observer; its error stops the run.
    pub(super) fn emit(&mut self, event: &Event<'_>) -> Result<(), String> {
        self.observer.emit(event)
    }

    /// The observer's `emit` and the interruption, for one call through the engine.
    pub(super) fn call_parts(
        &mut self,
    ) -> (
        impl FnMut(&Event<'_>) -> Result<(), String> + Send + '_,
        &mut Interrupt<'a>,
    ) {
        let observer = &mut *self.observer;
        (
            move |event: &Event<'_>| observer.emit(event),
            &mut self.interrupt,
        )
    }

    /// A batch was accepted: journal it (off the async worker), then tell the observer.
    pub(super) async fn accepted(
        &mut self,
        index: usize,
        fingerprints: &[Fingerprint],
    ) -> Result<(), String> {
        if let Some(journal) = self.journal.as_deref_mut() {
            journal
                .record_async(fingerprints)
                .await
                .map_err(|err| format!("could not write the journal: {err}"))?;
        }
        self.emit(&Event::Accepted {
            index,
            fingerprints,
        })
    }

    /// Check that the journal (if any) belongs to `base`, and record `base` in a new one.
    pub(super) fn bind_journal(&mut self, base: &ApiBase) -> Result<(), String> {
        match self.journal.as_deref_mut() {
            Some(journal) => journal.bind(base).map_err(|err| err.to_string()),
            None => Ok(()),
        }
    }
}
