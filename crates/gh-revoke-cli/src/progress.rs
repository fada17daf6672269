//! The progress bar on stderr (only on a terminal, never with --quiet).

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use gh_revoke::Event;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// Draws batches sent, credentials accepted, and a countdown while waiting.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    accepted: usize,
    credentials: usize,
    waiting_until: Arc<Mutex<Option<SystemTime>>>,
}

impl Progress {
    /// A bar for `batches` batches holding `credentials`; hidden unless `visible`.
    pub fn new(visible: bool, batches: usize, credentials: usize) -> Self {
        let waiting_until = Arc::new(Mutex::new(None::<SystemTime>));
        let bar = visible.then(|| {
            let until = Arc::clone(&waiting_until);
            let style =
                ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} batches {msg}{wait}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .with_key(
                        "wait",
                        move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                            let until = until.lock().ok().and_then(|u| *u);
                            if let Some(until) = until {
                                let left = until
                                    .duration_since(SystemTime::now())
                                    .unwrap_or_default()
                                    .as_secs();
                                let _ = write!(
                                    w,
                                    " (waiting for the rate limit: {}m{:02}s)",
                                    left / 60,
                                    left % 60
                                );
                            }
                        },
                    )
                    .progress_chars("=> ");
            let bar =
                ProgressBar::with_draw_target(Some(batches as u64), ProgressDrawTarget::stderr());
            bar.set_style(style);
            bar.set_prefix("revoking");
            bar.enable_steady_tick(Duration::from_millis(500));
            bar
        });
        let mut progress = Self {
            bar,
            accepted: 0,
            credentials,
            waiting_until,
        };
        progress.update_message();
        progress
    }

    /// React to a client event.
    pub fn on_event(&mut self, event: &Event<'_>) {
        if let Ok(mut until) = self.waiting_until.lock() {
            *until = match event {
                Event::Waiting { until, .. } => Some(*until),
                _ => None,
            };
        }
        match event {
            Event::Accepted { fingerprints, .. } => {
                self.accepted += fingerprints.len();
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
            }
            Event::Failed { .. } => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
            }
            _ => {}
        }
        self.update_message();
    }

    fn update_message(&mut self) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{}/{} accepted", self.accepted, self.credentials));
        }
    }

    /// Remove the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
