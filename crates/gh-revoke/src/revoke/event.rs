//! Progress events a [`crate::RevokeClient`] reports while it works.

use std::time::{Duration, SystemTime};

use crate::credential::Fingerprint;

/// Why the client is waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitReason {
    /// The last response said the rate-limit window is spent; waiting for its reset.
    WindowSpent,
    /// GitHub answered with a rate-limit response (403/429, or 422 "spammed").
    RateLimited,
}

/// Something that happened, in order. Events never carry a secret.
#[derive(Debug, Clone, PartialEq)]
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
    /// GitHub accepted a batch (202). Record `fingerprints` before returning to make a
    /// durable journal: the client sends nothing more until the observer returns.
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

/// Returned by an observer to stop the run (e.g. a journal could not be written).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct Halt {
    /// Why the observer stopped the run.
    pub reason: String,
}

impl Halt {
    /// A halt with a reason.
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }
}
