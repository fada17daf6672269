//! [`Committer`]: group commit for deliveries. Deliveries that arrive while a commit is on its
//! way to the disk are committed together in the next transaction (one disk sync for all of
//! them), so 50 concurrent deliveries do not queue behind 50 syncs. Each is still committed
//! before its 202 leaves.

use std::sync::Arc;
use std::sync::mpsc;

use tokio::sync::oneshot;

use crate::event::AlertDelivery;
use crate::store::{Accepted, Store, now_ms};

/// The most deliveries in one transaction.
const MAX_GROUP: usize = 512;

type Job = (AlertDelivery, oneshot::Sender<Result<Accepted, String>>);

/// Commits deliveries to a [`Store`] on a thread of its own, in groups. `Clone` shares it.
#[derive(Debug, Clone)]
pub struct Committer {
    jobs: mpsc::Sender<Job>,
}

impl Committer {
    /// Start the committing thread for `store` (it ends when the last clone is dropped).
    pub fn start(store: Arc<Store>) -> Self {
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("gh-revoke-commit".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let mut group = vec![first];
                    while group.len() < MAX_GROUP {
                        match rx.try_recv() {
                            Ok(job) => group.push(job),
                            Err(_) => break,
                        }
                    }
                    let (deliveries, answers): (Vec<_>, Vec<_>) = group.into_iter().unzip();
                    match store.accept_many(&deliveries, now_ms()) {
                        Ok(results) => {
                            for (answer, result) in answers.into_iter().zip(results) {
                                let _ = answer.send(Ok(result));
                            }
                        }
                        Err(err) => {
                            let message = err.to_string();
                            for answer in answers {
                                let _ = answer.send(Err(message.clone()));
                            }
                        }
                    }
                }
            })
            .map(|_| ())
            .unwrap_or_else(|err| tracing::error!(error = %err, "could not start the committer"));
        Self { jobs }
    }

    /// Commit `delivery` (with whatever else is waiting); `Err` carries the store's message.
    pub async fn accept(&self, delivery: AlertDelivery) -> Result<Accepted, String> {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send((delivery, tx))
            .map_err(|_| "the committer has stopped".to_owned())?;
        rx.await
            .map_err(|_| "the committer has stopped".to_owned())?
    }
}
