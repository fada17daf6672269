//! The receiver's durable state, in SQLite: the ONLY module that knows the database, so that a
//! server database can stand behind the same calls later.
//!
//! Two tables: `deliveries` (one row per `X-GitHub-Delivery`, UNIQUE, so a redelivery is
//! handled once) and `alerts` (the queue: alert coordinates, a status (`queued` to revoke,
//! `revoked` to resolve, `done`, `failed`), attempts, the next attempt's time, and the
//! outcome). At most one queued row per alert: a second delivery for an alert already
//! waiting joins it. **The state never holds a secret**: delivery ids, coordinates,
//! fingerprints, outcomes and scrubbed reasons only; the secret is fetched again after a
//! restart.
//!
//! One process per state: the database is opened in `locking_mode=EXCLUSIVE` and written
//! once at open, so SQLite's lock is held until the process ends (a second process gets
//! `SQLITE_BUSY`: [`StoreError::InUse`]). Write-ahead log, `synchronous=FULL`: a commit has
//! reached the disk when it returns.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

use crate::event::AlertDelivery;

/// Why the state could not be opened or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another process holds the state.
    #[error("the state {0} is in use by another process")]
    InUse(String),
    /// SQLite failed.
    #[error("the state {path}: {message}")]
    Sqlite {
        /// The state's path.
        path: String,
        /// SQLite's message.
        message: String,
    },
}

/// What accepting a delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Accepted {
    /// A new delivery, committed; its alert is queued (or joined the queued row).
    New,
    /// This `X-GitHub-Delivery` was accepted before: nothing changed.
    Duplicate,
}

/// One queued alert.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueuedAlert {
    /// The row id.
    pub id: i64,
    /// `OWNER/REPO`.
    pub repository: String,
    /// The alert number.
    pub number: i64,
    /// `installation.id`, if a GitHub App received it.
    pub installation_id: Option<i64>,
    /// Attempts so far.
    pub attempts: u32,
    /// When the first delivery for it arrived (milliseconds since the epoch).
    pub received_ms: i64,
}

/// What became of one queued alert ([`Store::apply`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Update {
    /// Done (`failed = false`) with `outcome`, or given up (`failed = true`).
    Finish {
        /// The row id.
        id: i64,
        /// Given up: recorded `failed`.
        failed: bool,
        /// The outcome's name.
        outcome: String,
        /// Why (scrubbed before it is stored).
        reason: Option<String>,
        /// The credential's fingerprint, if read.
        fingerprint: Option<String>,
        /// When (milliseconds since the epoch).
        at_ms: i64,
    },
    /// Its credential was revoked: resolve it next (status `revoked`, attempts start again).
    Revoked {
        /// The row id.
        id: i64,
        /// The credential's fingerprint (what lets the resolving run skip revoking).
        fingerprint: Option<String>,
    },
    /// A failed attempt: try again at `next_ms`.
    Retry {
        /// The row id.
        id: i64,
        /// Why (scrubbed before it is stored).
        reason: String,
        /// The credential's fingerprint, if read.
        fingerprint: Option<String>,
        /// When to try again (milliseconds since the epoch).
        next_ms: i64,
    },
}

impl Update {
    /// Done with `outcome`, now.
    pub fn done(id: i64, outcome: &str, reason: Option<&str>, fingerprint: Option<&str>) -> Self {
        Self::Finish {
            id,
            failed: false,
            outcome: outcome.to_owned(),
            reason: reason.map(str::to_owned),
            fingerprint: fingerprint.map(str::to_owned),
            at_ms: now_ms(),
        }
    }

    /// Given up, now, with the reason.
    pub fn failed(id: i64, reason: &str, fingerprint: Option<&str>) -> Self {
        Self::Finish {
            id,
            failed: true,
            outcome: "failed".to_owned(),
            reason: Some(reason.to_owned()),
            fingerprint: fingerprint.map(str::to_owned),
            at_ms: now_ms(),
        }
    }

    /// Try again at `next_ms`.
    pub fn retry(id: i64, reason: &str, fingerprint: Option<&str>, next_ms: i64) -> Self {
        Self::Retry {
            id,
            reason: reason.to_owned(),
            fingerprint: fingerprint.map(str::to_owned),
            next_ms,
        }
    }
}

/// A finished alert, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AlertRecord {
    /// `OWNER/REPO`.
    pub repository: String,
    /// The alert number.
    pub number: i64,
    /// `queued`, `revoked` (to resolve), `done` or `failed`.
    pub status: String,
    /// The outcome (as the `alerts` report names them), once done.
    pub outcome: Option<String>,
    /// Why (scrubbed), if anything needs saying.
    pub reason: Option<String>,
    /// The credential's fingerprint, if it was read.
    pub fingerprint: Option<String>,
    /// Attempts made.
    pub attempts: u32,
}

/// The receiver's state (see the module docs).
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
    path: String,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS deliveries (
    id TEXT PRIMARY KEY,
    received_ms INTEGER NOT NULL,
    action TEXT NOT NULL,
    repository TEXT NOT NULL,
    number INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    repository TEXT NOT NULL,
    number INTEGER NOT NULL,
    installation_id INTEGER,
    source TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    outcome TEXT,
    reason TEXT,
    fingerprint TEXT,
    finished_ms INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS alerts_one_queued ON alerts(repository, number)
    WHERE status = 'queued';
CREATE INDEX IF NOT EXISTS alerts_due ON alerts(status, next_attempt_ms);
CREATE INDEX IF NOT EXISTS alerts_coordinates ON alerts(repository, number);
";

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Store {
    /// Open (or create) the state at `path`, and hold it for this process.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let shown = path.display().to_string();
        let fail = |err: rusqlite::Error| match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::InUse(shown.clone())
            }
            _ => StoreError::Sqlite {
                path: shown.clone(),
                message: err.to_string(),
            },
        };
        let conn = Connection::open(path).map_err(fail)?;
        conn.busy_timeout(std::time::Duration::ZERO).map_err(fail)?;
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
            .map_err(fail)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(fail)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(fail)?;
        // A write takes the exclusive lock; locking_mode=EXCLUSIVE keeps it until close.
        conn.execute_batch(SCHEMA).map_err(fail)?;
        conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")
            .map_err(fail)?;
        Ok(Self {
            conn: Mutex::new(conn),
            path: shown,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn err(&self, err: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            message: err.to_string(),
        }
    }

    /// Record a delivery and queue its alert, in one committed transaction (done before the
    /// receiver answers 202). A delivery id seen before changes nothing.
    pub fn accept(&self, delivery: &AlertDelivery, now_ms: i64) -> Result<Accepted, StoreError> {
        let mut accepted = self.accept_many(std::slice::from_ref(delivery), now_ms)?;
        Ok(accepted.pop().unwrap_or(Accepted::Duplicate))
    }

    /// [`Store::accept`] for several deliveries in ONE committed transaction (a group commit:
    /// one disk sync for every delivery that arrived meanwhile). One result per delivery, in
    /// order; a delivery id repeated within `deliveries` is a duplicate the second time.
    pub fn accept_many(
        &self,
        deliveries: &[AlertDelivery],
        now_ms: i64,
    ) -> Result<Vec<Accepted>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let mut out = Vec::with_capacity(deliveries.len());
        for delivery in deliveries {
            let inserted = tx
                .execute(
                    "INSERT OR IGNORE INTO deliveries (id, received_ms, action, repository, number)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        delivery.delivery_id,
                        now_ms,
                        delivery.action,
                        delivery.repository,
                        delivery.number
                    ],
                )
                .map_err(|e| self.err(e))?;
            if inserted == 0 {
                out.push(Accepted::Duplicate);
                continue;
            }
            queue(
                &tx,
                &delivery.repository,
                delivery.number,
                delivery.installation_id,
                "delivery",
                now_ms,
            )
            .map_err(|e| self.err(e))?;
            out.push(Accepted::New);
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(out)
    }

    /// Queue an alert a sweep found, unless the state already knows it (queued, done or
    /// failed). Returns whether it was queued.
    pub fn queue_swept(
        &self,
        repository: &str,
        number: i64,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        self.queue_swept_in(repository, number, None, now_ms)
    }

    /// [`Store::queue_swept`] with the installation the sweep read it as (app mode), kept so
    /// the worker reads the alert with that installation's token.
    pub fn queue_swept_in(
        &self,
        repository: &str,
        number: i64,
        installation_id: Option<i64>,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let conn = self.conn();
        let known: Option<i64> = conn
            .query_row(
                "SELECT id FROM alerts WHERE repository = ?1 AND number = ?2 LIMIT 1",
                params![repository, number],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if known.is_some() {
            return Ok(false);
        }
        queue(&conn, repository, number, installation_id, "sweep", now_ms)
            .map_err(|e| self.err(e))?;
        Ok(true)
    }

    /// Up to `limit` queued alerts due at `now_ms`, oldest first.
    pub fn due(&self, now_ms: i64, limit: usize) -> Result<Vec<QueuedAlert>, StoreError> {
        self.due_in("queued", now_ms, limit)
    }

    /// Up to `limit` alerts whose credential is revoked and that wait to be resolved, due at
    /// `now_ms`, oldest first.
    pub fn due_to_resolve(
        &self,
        now_ms: i64,
        limit: usize,
    ) -> Result<Vec<QueuedAlert>, StoreError> {
        self.due_in("revoked", now_ms, limit)
    }

    fn due_in(
        &self,
        status: &str,
        now_ms: i64,
        limit: usize,
    ) -> Result<Vec<QueuedAlert>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, repository, number, installation_id, attempts, received_ms
                 FROM alerts WHERE status = ?3 AND next_attempt_ms <= ?1
                 ORDER BY id LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(
                params![now_ms, i64::try_from(limit).unwrap_or(i64::MAX), status],
                |row| {
                    Ok(QueuedAlert {
                        id: row.get(0)?,
                        repository: row.get(1)?,
                        number: row.get(2)?,
                        installation_id: row.get(3)?,
                        attempts: row.get(4)?,
                        received_ms: row.get(5)?,
                    })
                },
            )
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// When the next queued alert is due, if any is queued.
    pub fn next_due_ms(&self) -> Result<Option<i64>, StoreError> {
        self.next_in("queued")
    }

    /// When the next revoked alert is due to be resolved, if any waits.
    pub fn next_resolve_ms(&self) -> Result<Option<i64>, StoreError> {
        self.next_in("revoked")
    }

    fn next_in(&self, status: &str) -> Result<Option<i64>, StoreError> {
        self.conn()
            .query_row(
                "SELECT MIN(next_attempt_ms) FROM alerts WHERE status = ?1",
                params![status],
                |row| row.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Alerts waiting (the queue depth): to revoke, or revoked and to resolve.
    pub fn queued(&self) -> Result<u64, StoreError> {
        self.conn()
            .query_row(
                "SELECT COUNT(*) FROM alerts WHERE status IN ('queued', 'revoked')",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| n.unsigned_abs())
            .map_err(|e| self.err(e))
    }

    /// Record what became of queued alerts, in one committed transaction.
    pub fn apply(&self, updates: &[Update]) -> Result<(), StoreError> {
        if updates.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        for update in updates {
            match update {
                Update::Finish {
                    id,
                    failed,
                    outcome,
                    reason,
                    fingerprint,
                    at_ms,
                } => tx.execute(
                    "UPDATE alerts SET status = ?2, outcome = ?3, reason = ?4,
                         fingerprint = COALESCE(?5, fingerprint), finished_ms = ?6,
                         attempts = attempts + 1
                     WHERE id = ?1",
                    params![
                        id,
                        if *failed { "failed" } else { "done" },
                        outcome,
                        reason.as_deref().map(gh_revoke::scrub),
                        fingerprint,
                        at_ms
                    ],
                ),
                Update::Revoked { id, fingerprint } => tx.execute(
                    "UPDATE alerts SET status = 'revoked', attempts = 0, next_attempt_ms = ?2,
                         reason = NULL, fingerprint = COALESCE(?3, fingerprint)
                     WHERE id = ?1",
                    params![id, now_ms(), fingerprint],
                ),
                Update::Retry {
                    id,
                    reason,
                    fingerprint,
                    next_ms,
                } => tx.execute(
                    "UPDATE alerts SET attempts = attempts + 1, next_attempt_ms = ?2, reason = ?3,
                         fingerprint = COALESCE(?4, fingerprint)
                     WHERE id = ?1",
                    params![id, next_ms, gh_revoke::scrub(reason), fingerprint],
                ),
            }
            .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Every alert row, oldest first (for reports and tests).
    pub fn records(&self) -> Result<Vec<AlertRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT repository, number, status, outcome, reason, fingerprint, attempts
                 FROM alerts ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok(AlertRecord {
                    repository: row.get(0)?,
                    number: row.get(1)?,
                    status: row.get(2)?,
                    outcome: row.get(3)?,
                    reason: row.get(4)?,
                    fingerprint: row.get(5)?,
                    attempts: row.get(6)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Deliveries recorded.
    pub fn deliveries(&self) -> Result<u64, StoreError> {
        self.conn()
            .query_row("SELECT COUNT(*) FROM deliveries", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| n.unsigned_abs())
            .map_err(|e| self.err(e))
    }
}

/// Queue an alert, or leave the row already queued for it (adding the installation id).
fn queue(
    conn: &Connection,
    repository: &str,
    number: i64,
    installation_id: Option<i64>,
    source: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO alerts (repository, number, installation_id, source, received_ms, status,
                             next_attempt_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?5)
         ON CONFLICT (repository, number) WHERE status = 'queued'
         DO UPDATE SET installation_id = COALESCE(excluded.installation_id, installation_id)",
        params![repository, number, installation_id, source, now_ms],
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(id: &str, repo: &str, number: i64) -> AlertDelivery {
        AlertDelivery::new(id, "created", repo, number, None).unwrap()
    }

    #[test]
    fn a_delivery_is_handled_once_and_one_alert_is_queued_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        assert_eq!(
            store.accept(&delivery("d1", "o/r", 1), 10).unwrap(),
            Accepted::New
        );
        assert_eq!(
            store.accept(&delivery("d1", "o/r", 1), 11).unwrap(),
            Accepted::Duplicate
        );
        // Another delivery for the same waiting alert joins its row.
        assert_eq!(
            store.accept(&delivery("d2", "o/r", 1), 12).unwrap(),
            Accepted::New
        );
        assert_eq!(
            store.accept(&delivery("d3", "o/r", 2), 12).unwrap(),
            Accepted::New
        );
        assert_eq!(store.deliveries().unwrap(), 3);
        assert_eq!(store.queued().unwrap(), 2);
        let due = store.due(100, 10).unwrap();
        assert_eq!(due.len(), 2);
        store
            .apply(&[Update::retry(due[0].id, "boom", None, 1000)])
            .unwrap();
        assert_eq!(store.due(100, 10).unwrap().len(), 1);
        assert_eq!(store.next_due_ms().unwrap(), Some(12));
        store
            .apply(&[Update::done(due[1].id, "resolved", None, Some("fp"))])
            .unwrap();
        assert_eq!(store.next_due_ms().unwrap(), Some(1000));
        assert_eq!(
            store
                .accept_many(&[delivery("d9", "o/r", 9), delivery("d9", "o/r", 9)], 20)
                .unwrap(),
            [Accepted::New, Accepted::Duplicate]
        );
        // A sweep does not queue what the state knows.
        assert!(!store.queue_swept("o/r", 2, 300).unwrap());
        assert!(store.queue_swept("o/r", 3, 300).unwrap());
        // After an alert is done, a new delivery (reopened) queues it again.
        assert_eq!(
            store.accept(&delivery("d4", "o/r", 2), 400).unwrap(),
            Accepted::New
        );
        // Alert 1 (waiting to retry), 9, 3 and 2 again.
        assert_eq!(store.queued().unwrap(), 4);
    }

    #[test]
    fn the_state_survives_a_reopen_and_is_held_by_one_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path).unwrap();
        store.accept(&delivery("d1", "o/r", 1), 10).unwrap();
        assert!(matches!(Store::open(&path), Err(StoreError::InUse(_))));
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.queued().unwrap(), 1);
        assert_eq!(
            store.accept(&delivery("d1", "o/r", 1), 11).unwrap(),
            Accepted::Duplicate
        );
    }
}
