//! When each credential is checked: at most `in_flight` requests at once, and every
//! credential on its own schedule. A credential that is still live gives its slot back while
//! it waits for its recheck, so the others are never held up behind it.
//!
//! The order a free slot is given: first a recheck that is due (the earliest first), so that a
//! live credential is checked again on time (5 s, then 10 s, 20 s, … after its last check);
//! else the next credential not checked yet, in input order.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::future::Future;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use super::{Liveness, Outcome};
use crate::http::interrupt::Interrupt;
use crate::http::retry::Retries;
use crate::kill::answer::Answer;
use crate::revoke::RetryPolicy;

/// The timing rules of one verification.
#[derive(Debug, Clone)]
pub(super) struct Timing {
    /// No wait ends after this: a credential whose next check would come later keeps the
    /// status of its last check.
    pub deadline: Instant,
    /// The first wait after a live answer; doubled after each, up to `max_recheck`.
    pub recheck: Duration,
    /// The longest wait between two checks of a live credential.
    pub max_recheck: Duration,
    /// Retry bounds for rate-limit answers and transient failures.
    pub policy: RetryPolicy,
}

/// One credential's checks so far.
#[derive(Debug)]
struct Progress {
    checks: u32,
    retries: Retries,
    live_wait: Duration,
    /// What the last answer said (live, or why it decided nothing), while waiting to recheck.
    last: Option<(Liveness, Option<String>)>,
}

impl Progress {
    fn new(timing: &Timing) -> Self {
        Self {
            checks: 0,
            retries: Retries::default(),
            live_wait: timing.recheck,
            last: None,
        }
    }

    /// Take one answer: decided, or check again at the instant returned.
    fn answer(
        &mut self,
        answer: Answer,
        now: Instant,
        timing: &Timing,
    ) -> Result<Instant, Outcome> {
        let decided = |status, detail, checks| Outcome {
            status,
            checks,
            detail,
        };
        let (status, detail, wait) = match answer {
            Answer::Unauthorized => return Err(decided(Liveness::Dead, None, self.checks)),
            Answer::Refused { message } => {
                return Err(decided(Liveness::Unknown, Some(message), self.checks));
            }
            Answer::Success => {
                let wait = self.live_wait;
                self.live_wait = self.live_wait.saturating_mul(2).min(timing.max_recheck);
                (Liveness::Live, None, wait)
            }
            // The one retry rule, bounded by the deadline instead of a number of answers.
            Answer::Transient { message } => {
                let wait = self.retries.transient_wait(&timing.policy);
                (Liveness::Unknown, Some(message), wait)
            }
            Answer::RateLimited { wait, message } => {
                let wait = self.retries.rate_limit_wait(&timing.policy, wait);
                (Liveness::Unknown, Some(message), wait)
            }
        };
        match now.checked_add(wait) {
            Some(then) if then <= timing.deadline => {
                self.last = Some((status, detail));
                Ok(then)
            }
            _ => Err(decided(status, detail, self.checks)),
        }
    }

    /// What is known when the run is interrupted before this credential was decided.
    fn interrupted(self) -> Outcome {
        let detail = match (&self.last, self.checks) {
            (_, 0) => "not checked: the run was interrupted".to_owned(),
            (Some((Liveness::Live, _)), n) => {
                format!("interrupted: still live at the last of {n} checks")
            }
            (_, n) => format!("interrupted after {n} checks that decided nothing"),
        };
        Outcome {
            status: Liveness::Unknown,
            checks: self.checks,
            detail: Some(detail),
        }
    }
}

/// Check every credential whose outcome `known` does not hold yet (`None`)
/// with `probe(index)`, one request each call, at most `in_flight` at once. Returns every
/// outcome, in input order.
pub(super) async fn run<F, Fut>(
    mut known: Vec<Option<Outcome>>,
    timing: &Timing,
    in_flight: usize,
    interrupt: &mut Interrupt<'_>,
    mut probe: F,
) -> Vec<Outcome>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Answer> + Send + 'static,
{
    let in_flight = in_flight.max(1);
    let mut progress: Vec<Option<Progress>> = known
        .iter()
        .map(|k| k.is_none().then(|| Progress::new(timing)))
        .collect();
    let mut fresh: VecDeque<usize> = (0..known.len()).filter(|&i| known[i].is_none()).collect();
    let mut due: BinaryHeap<Reverse<(Instant, usize)>> = BinaryHeap::new();
    let mut tasks = JoinSet::new();
    let mut interrupted = false;
    loop {
        let now = Instant::now();
        while tasks.len() < in_flight {
            let next = match due.peek() {
                Some(Reverse((at, _))) if *at <= now => due.pop().map(|Reverse((_, i))| i),
                _ => fresh.pop_front(),
            };
            let Some(index) = next else { break };
            if let Some(p) = progress[index].as_mut() {
                p.checks += 1;
            }
            let request = probe(index);
            tasks.spawn(async move { (index, request.await) });
        }
        if tasks.is_empty() && due.is_empty() {
            break;
        }
        // Wake for the next recheck only when a slot is free to send it.
        let wake = due
            .peek()
            .map(|Reverse((at, _))| *at)
            .filter(|_| tasks.len() < in_flight);
        let event = interrupt
            .or(async {
                tokio::select! {
                    joined = tasks.join_next(), if !tasks.is_empty() => joined,
                    () = sleep_until(wake), if wake.is_some() => None,
                }
            })
            .await;
        match event {
            None => {
                interrupted = true;
                tasks.abort_all();
                break;
            }
            Some(Some(Ok((index, answer)))) => {
                let Some(p) = progress[index].as_mut() else {
                    continue;
                };
                match p.answer(answer, Instant::now(), timing) {
                    Ok(at) => due.push(Reverse((at, index))),
                    Err(outcome) => {
                        progress[index] = None;
                        known[index] = Some(outcome);
                    }
                }
            }
            // A task that panicked or was cancelled decided nothing; its credential stays
            // undecided (reported below).
            Some(Some(Err(_))) | Some(None) => {}
        }
    }
    known
        .into_iter()
        .zip(progress)
        .map(|(known, progress)| match (known, progress) {
            (Some(outcome), _) => outcome,
            (None, Some(p)) if interrupted => p.interrupted(),
            (None, Some(p)) => Outcome {
                status: Liveness::Unknown,
                checks: p.checks,
                detail: Some("the check failed without an answer".to_owned()),
            },
            (None, None) => Outcome {
                status: Liveness::Unknown,
                checks: 0,
                detail: Some("not checked".to_owned()),
            },
        })
        .collect()
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests;
