//! Progress events a [`crate::RevokeClient`] reports while it works.

use std::time::{Duration, SystemTime};

use crate::credential::Fingerprint;

/// Why the client is waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitReason {
    /// The last response said the rate-limit window is spent; waiting for its reset.
    WindowSpent,
    /// GitHub answered with a rate-limit response (403/429, or 422 "spammed").
    RateLimited,
}

/// Something that happened, in order. Events never carry a secret.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A batch is about to be sent (`attempt` counts from 1).
    Sending {
        /// The batch's index in the plan.
        index: usize,
        /// How many credentials it holds.
        size: usize,
        /// Which attempt this is.
        attempt: u32,
    },
    /// GitHub accepted a batch (202). A journal given to [`crate::Revoke::journal`] has
    /// already recorded `fingerprints` durably.
    Accepted {
        /// The batch's index in the plan.
        index: usize,
        /// The fingerprints of its credentials.
        fingerprints: &'a [Fingerprint],
    },
    /// A batch was given up.
    Failed {
        /// The batch's index in the plan.
        index: usize,
        /// How many credentials it holds.
        size: usize,
        /// Why (no secrets).
        error: &'a str,
    },
    /// A transient failure; the batch is retried after `after`.
    Retrying {
        /// The batch's index in the plan.
        index: usize,
        /// The attempt that failed.
        attempt: u32,
        /// The wait before the next attempt.
        after: Duration,
        /// What failed (no secrets).
        reason: &'a str,
    },
    /// The client waits until `until` before sending again.
    Waiting {
        /// When it will send again.
        until: SystemTime,
        /// How long that is from now.
        wait: Duration,
        /// Why.
        reason: WaitReason,
    },
}

/// What a caller plugs into [`crate::Revoke::observer`] to see each [`Event`] as it happens
/// (like ripgrep's `Sink`): returning an error stops the run before anything else is sent,
/// and the report says [`crate::Stop::Halted`] with the error's message. The client sends
/// nothing while `on_event` runs.
pub trait Observer {
    /// The caller's own error type.
    type Error: std::fmt::Display;

    /// One event, in order.
    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Self::Error>;
}

/// No observer.
impl Observer for () {
    type Error = std::convert::Infallible;

    fn on_event(&mut self, _: &Event<'_>) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// A closure that may stop the run: `|event: &Event<'_>| -> Result<(), E> { ... }`.
impl<F, E> Observer for F
where
    F: FnMut(&Event<'_>) -> Result<(), E>,
    E: std::fmt::Display,
{
    type Error = E;

    fn on_event(&mut self, event: &Event<'_>) -> Result<(), Self::Error> {
        self(event)
    }
}
