//! Listing progress of `gh-revoke alerts` on stderr: a line every [`EVERY`] pages, and a clear
//! line when the listing stopped following a next link that would never end.

use std::io::Write;

use gh_revoke::AlertsEvent;

/// A progress line after every this many pages (a listing of up to 1,000 alerts says nothing).
pub const EVERY: u32 = 10;

/// What the listing has shown so far.
#[derive(Debug, Default)]
pub struct ListingProgress {
    listed: usize,
}

impl ListingProgress {
    /// Take one event; print a line on stderr when it is due. A failed write never stops the
    /// run.
    pub fn event(&mut self, event: &AlertsEvent<'_>) {
        let line = match event {
            AlertsEvent::Listed { page, alerts } => {
                self.listed += alerts;
                (page % EVERY == 0).then(|| {
                    format!(
                        "gh-revoke: listing alerts: page {page}, {} listed so far",
                        self.listed
                    )
                })
            }
            AlertsEvent::ListingCut { page, listed } => Some(format!(
                "gh-revoke: listing alerts: page {page} brought no alert not listed already, yet \
                 names a next page; stopped following the listing there (it would not end) and \
                 went on with the {listed} alerts listed"
            )),
            _ => None,
        };
        if let Some(line) = line {
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    }
}
