//! [`AlertsEvent`]: the progress of an alerts run, and the observer that hears it.

use std::time::Duration;

use super::report::AlertItem;
use crate::revoke::{Event, WaitReason};

/// Progress of an alerts run, in order. Never carries a secret.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AlertsEvent<'a> {
    /// A page of alerts was listed.
    Listed {
        /// The page's number, from 1.
        page: u32,
        /// Alerts on it.
        alerts: usize,
    },
    /// The listing stopped following `Link: rel="next"` early, because page `page` brought no
    /// alert not listed already (empty, or the same alerts again: a listing whose next links
    /// would go on forever). The run goes on with the `listed` alerts it has.
    ListingCut {
        /// The page that brought nothing new, from 1.
        page: u32,
        /// Alerts listed in all (each page's, as listed).
        listed: usize,
    },
    /// The revocation part reported this.
    Revoke(&'a Event<'a>),
    /// An alert is about to be resolved.
    Resolving {
        /// `OWNER/REPO`.
        repository: &'a str,
        /// The alert number.
        number: i64,
    },
    /// An alert's outcome is final.
    Resolved(&'a AlertItem),
    /// The client waits before its next authenticated call.
    Waiting {
        /// How long.
        wait: Duration,
        /// Why.
        reason: WaitReason,
    },
}

/// What the run tells its caller about: [`AlertsEvent`]s, in order.
pub(super) type Observer<'a> = Box<dyn FnMut(&AlertsEvent<'_>) + Send + 'a>;
