//! [`Journal`]: a durable record of what GitHub accepted, so an interrupted run can resume.
//!
//! Format (text, append-only): a header line `# gh-revoke journal v1`, a line
//! `# api-url URL` naming the API the records were sent to (added on first use; journals
//! written before it have none and are taken for any URL), then one credential
//! [`Fingerprint`] (SHA-256, 64 hex digits) per line. Never a credential.
//!
//! Resolved secret-scanning alerts (`gh-revoke alerts`) are recorded as lines
//! `alert OWNER/REPO#NUMBER`. A journal that holds one announces it in its header, which the
//! first such record rewrites in place to `# gh-revoke journal v2` (the same length): a reader
//! that knows only v1 then refuses the file as "not a journal" rather than misreading it, and
//! journals without alert records stay v1, readable by every version.
//!
//! Credentials that `--verify` proved dead (401 after revocation) are recorded as lines
//! `dead FINGERPRINT`. A credential the journal holds without such a line was accepted but
//! never proven dead (still live when verification gave up, or never checked: no `--verify`,
//! or interrupted), so a resumed run with verification checks it again before resolving its
//! alert. An older reader refuses a journal with such lines ("not a fingerprint").
//!
//! One run at a time: [`Journal::open`] takes an exclusive lock on the file (released when the
//! journal is dropped or the process ends), so a second run on the same journal fails at once
//! with [`JournalError::InUse`]. [`Journal::open_read_only`] (a dry run) takes no lock and never
//! creates, truncates or repairs the file.
//!
//! Each accepted batch is appended in one write and flushed to disk (`fsync`) before the client
//! sends anything else, so a run killed at any moment loses at most the batch in flight, which a
//! rerun sends again (revoking is idempotent). A last line cut short by a crash (no final
//! newline) is ignored on reading and cut off, so the next write starts on a fresh line.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::credential::Fingerprint;
use crate::http::ApiBase;

/// The first line of every journal.
pub const JOURNAL_HEADER: &str = "# gh-revoke journal v1";

/// The header of a journal that holds alert records (same length as [`JOURNAL_HEADER`]).
const JOURNAL_HEADER_V2: &str = "# gh-revoke journal v2";
const _: () = assert!(JOURNAL_HEADER.len() == JOURNAL_HEADER_V2.len());

/// The start of a resolved alert's line.
const ALERT_PREFIX: &str = "alert ";

/// The start of a line recording a credential `--verify` proved dead (`GET /rate_limit`
/// answered 401 after it was revoked).
const DEAD_PREFIX: &str = "dead ";

/// The start of the line that names the API base URL.
const API_URL_PREFIX: &str = "# api-url ";

/// Why a journal could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// Another run holds the journal's lock.
    #[error(
        "journal {path} is in use by another gh-revoke run; wait for it to finish \
         (two runs on one journal would send and record the same batches twice)"
    )]
    InUse {
        /// The journal's path.
        path: PathBuf,
    },
    /// The journal records a run against another API.
    #[error(
        "journal {path} was made against {recorded}, not {requested}: its records do not \
         apply to this API; use another journal, or the same API URL"
    )]
    OtherApi {
        /// The journal's path.
        path: PathBuf,
        /// The API URL it records.
        recorded: String,
        /// The API URL of this run.
        requested: String,
    },
    /// The journal was opened read-only (a dry run).
    #[error("journal {path} is open read-only (dry run); nothing is recorded")]
    ReadOnly {
        /// The journal's path.
        path: PathBuf,
    },
    /// Opening, reading or writing failed.
    #[error("journal {path}: {source}")]
    Io {
        /// The journal's path.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The file is not a gh-revoke journal (another file was named by mistake?). Nothing in
    /// it was changed.
    #[error(
        "{path} is not a gh-revoke journal (line {line} {why}); refusing to use it, the file is \
         left unchanged"
    )]
    NotAJournal {
        /// The path.
        path: PathBuf,
        /// The first line that is not part of a journal.
        line: u64,
        /// What is wrong with that line.
        why: NotAJournalWhy,
    },
}

/// Why a file was taken for something other than a journal ([`JournalError::NotAJournal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotAJournalWhy {
    /// A complete line that is no journal record.
    NotARecord,
    /// A line longer than any journal record ([`MAX_JOURNAL_LINE`] bytes): a big file without
    /// newlines, or a device such as `/dev/zero`.
    TooLong,
    /// A file that is one line without a newline, and not the start of a journal's header,
    /// so not a journal cut short by a crash.
    NotATornRecord,
}

impl std::fmt::Display for NotAJournalWhy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NotARecord => "is not a fingerprint",
            Self::TooLong => "is longer than any journal line",
            Self::NotATornRecord => "has no newline and is not the start of a journal header",
        })
    }
}

/// The longest line a journal holds, newline included: an `alert OWNER/REPO#NUMBER` or
/// `# api-url URL` record is far shorter. Reading stops at the first longer line, so a file
/// that is not a journal is never read whole.
pub const MAX_JOURNAL_LINE: usize = 4096;

/// An open journal: what earlier runs recorded, and a handle to append more.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    done: HashSet<Fingerprint>,
    torn_lines: u64,
    api_url: Option<String>,
    writable: bool,
    alerts: HashSet<String>,
    dead: HashSet<Fingerprint>,
    /// Line 1 is the v1 header (`None` when it is the v2 header).
    header_v1: Option<bool>,
}

impl Journal {
    /// Open (or create) the journal at `path`, lock it for this run, and read what it holds.
    /// Fails with [`JournalError::InUse`] when another run holds it.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        let path = path.as_ref().to_path_buf();
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(|source| JournalError::Io {
                path: path.clone(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(JournalError::InUse { path }),
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(JournalError::Io { path, source });
            }
        }
        let (mut journal, complete_len, empty) = Self::read(path, file, true)?;
        if empty {
            journal.append(format!("{JOURNAL_HEADER}\n").as_bytes())?;
            journal.header_v1 = Some(true);
        } else if journal.torn_lines > 0 {
            // Cut the torn tail off, so that the next record starts a line of its own.
            let path = journal.path.clone();
            journal
                .file
                .set_len(complete_len)
                .and_then(|()| journal.file.sync_data())
                .map_err(|source| JournalError::Io { path, source })?;
            if complete_len == 0 {
                // The crash tore the header itself: write it again, so the file still says
                // what it is.
                journal.append(format!("{JOURNAL_HEADER}\n").as_bytes())?;
                journal.header_v1 = Some(true);
            }
        }
        Ok(journal)
    }

    /// Read an existing journal without changing it (a dry run): no lock, never created,
    /// truncated or repaired. [`Journal::record`] fails on it.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        let path = path.as_ref().to_path_buf();
        let file = File::open(&path).map_err(|source| JournalError::Io {
            path: path.clone(),
            source,
        })?;
        Self::read(path, file, false).map(|(journal, _, _)| journal)
    }

    /// Read the records; returns the journal, the length of its complete lines, and whether
    /// the file was empty.
    fn read(
        path: PathBuf,
        mut file: File,
        writable: bool,
    ) -> Result<(Self, u64, bool), JournalError> {
        let io_err = |source| JournalError::Io {
            path: path.clone(),
            source,
        };
        let mut done = HashSet::new();
        let mut torn_lines = 0;
        let mut complete_len = 0u64;
        let mut empty = true;
        let mut api_url = None;
        let mut alerts = HashSet::new();
        let mut dead = HashSet::new();
        let mut header_v1 = Some(false);
        {
            let mut reader = BufReader::new(&mut file);
            let mut line = Vec::new();
            let mut number = 0u64;
            let not_a_journal = |line, why| JournalError::NotAJournal {
                path: path.clone(),
                line,
                why,
            };
            loop {
                line.clear();
                // Bounded: one byte more than the longest line tells "too long" from "fits".
                let read = (&mut reader)
                    .take(MAX_JOURNAL_LINE as u64 + 1)
                    .read_until(b'\n', &mut line)
                    .map_err(io_err)?;
                if read == 0 {
                    break;
                }
                empty = false;
                number += 1;
                let complete = line.last() == Some(&b'\n');
                if line.len() > MAX_JOURNAL_LINE {
                    return Err(not_a_journal(number, NotAJournalWhy::TooLong));
                }
                if complete {
                    complete_len += read as u64;
                }
                let text = String::from_utf8_lossy(&line);
                let text = text.trim_end_matches(['\n', '\r']);
                if number == 1 && text == JOURNAL_HEADER {
                    header_v1 = Some(complete);
                    continue;
                }
                if number == 1 && text == JOURNAL_HEADER_V2 {
                    header_v1 = None;
                    continue;
                }
                if complete && let Some(key) = text.strip_prefix(ALERT_PREFIX) {
                    alerts.insert(key.to_owned());
                    continue;
                }
                if complete
                    && let Some(fp) = text.strip_prefix(DEAD_PREFIX)
                    && let Ok(fp) = fp.parse::<Fingerprint>()
                {
                    dead.insert(fp);
                    continue;
                }
                if complete && let Some(url) = text.strip_prefix(API_URL_PREFIX) {
                    api_url.get_or_insert_with(|| url.trim().to_owned());
                    continue;
                }
                match text.parse::<Fingerprint>() {
                    Ok(fp) if complete => {
                        done.insert(fp);
                    }
                    // The last line, cut short by a crash: not a record. A file that is one
                    // line without a newline is a journal only if that is the start of its
                    // header; anything else is another file, which must not be cut (a
                    // mistyped path would lose it).
                    _ if !complete && is_torn_record(text, number == 1) => torn_lines += 1,
                    _ if !complete => {
                        return Err(not_a_journal(number, NotAJournalWhy::NotATornRecord));
                    }
                    _ => return Err(not_a_journal(number, NotAJournalWhy::NotARecord)),
                }
            }
        }
        let journal = Self {
            path,
            file,
            done,
            torn_lines,
            api_url,
            writable,
            alerts,
            dead,
            header_v1,
        };
        Ok((journal, complete_len, empty))
    }

    /// The API base URL the journal's records were sent to, if it names one.
    pub fn api_url(&self) -> Option<&str> {
        self.api_url.as_deref()
    }

    /// Check that this journal belongs to `base` ([`JournalError::OtherApi`] if it names
    /// another URL); a writable journal that names none records `base` now. A
    /// [`crate::Revoke`] given this journal calls it before sending anything.
    pub fn bind(&mut self, base: &ApiBase) -> Result<(), JournalError> {
        let requested = base.as_str();
        match &self.api_url {
            Some(recorded) if recorded != requested => Err(JournalError::OtherApi {
                path: self.path.clone(),
                recorded: recorded.clone(),
                requested: requested.to_owned(),
            }),
            Some(_) => Ok(()),
            None if !self.writable => Ok(()),
            None => {
                self.append(format!("{API_URL_PREFIX}{requested}\n").as_bytes())?;
                self.api_url = Some(requested.to_owned());
                Ok(())
            }
        }
    }

    /// Fingerprints recorded by earlier runs (and by this one so far).
    pub fn done(&self) -> &HashSet<Fingerprint> {
        &self.done
    }

    /// Secret-scanning alerts resolved by earlier runs (and this one so far), as
    /// `OWNER/REPO#NUMBER`.
    pub fn resolved_alerts(&self) -> &HashSet<String> {
        &self.alerts
    }

    /// Credentials proven dead by `--verify` in earlier runs (and this one so far): a resumed
    /// run with verification checks again every credential the journal holds but not here.
    pub fn proven_dead(&self) -> &HashSet<Fingerprint> {
        &self.dead
    }

    /// Record, durably, that `fingerprints` were proven dead (by `--verify`), in one write.
    pub fn record_proven_dead(&mut self, fingerprints: &[Fingerprint]) -> Result<(), JournalError> {
        if fingerprints.is_empty() {
            return Ok(());
        }
        let mut text = String::with_capacity(fingerprints.len() * (DEAD_PREFIX.len() + 65));
        for fp in fingerprints {
            text.push_str(DEAD_PREFIX);
            text.push_str(&fp.to_string());
            text.push('\n');
        }
        self.append(text.as_bytes())?;
        self.dead.extend(fingerprints.iter().copied());
        Ok(())
    }

    /// Record that the alert `key` (`OWNER/REPO#NUMBER`) is resolved, durably, before
    /// returning. The first such record turns the header into v2 (see the module docs).
    pub fn record_resolved_alert(&mut self, key: &str) -> Result<(), JournalError> {
        self.writable_or_err()?;
        if key.is_empty() || key.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(JournalError::Io {
                path: self.path.clone(),
                source: io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "an alert key holds no spaces or control characters",
                ),
            });
        }
        match self.header_v1 {
            None => {}
            Some(true) => {
                // The file is opened for appending, where a positioned write still lands at
                // the end: rewrite the header through a second handle.
                let path = self.path.clone();
                let io_err = |source| JournalError::Io {
                    path: path.clone(),
                    source,
                };
                let mut file = OpenOptions::new()
                    .write(true)
                    .open(&self.path)
                    .map_err(io_err)?;
                file.write_all(JOURNAL_HEADER_V2.as_bytes())
                    .and_then(|()| file.sync_data())
                    .map_err(io_err)?;
                self.header_v1 = None;
            }
            Some(false) => {
                return Err(JournalError::Io {
                    path: self.path.clone(),
                    source: io::Error::other(
                        "the journal does not start with its v1 header, so it cannot announce                          alert records; use a new journal",
                    ),
                });
            }
        }
        self.append(format!("{ALERT_PREFIX}{key}\n").as_bytes())?;
        self.alerts.insert(key.to_owned());
        Ok(())
    }

    /// Lines ignored because a crash cut them short (0 or 1).
    pub fn torn_lines(&self) -> u64 {
        self.torn_lines
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append `fingerprints` in one write and flush them to disk before returning.
    pub fn record(&mut self, fingerprints: &[Fingerprint]) -> Result<(), JournalError> {
        self.append(Self::lines(fingerprints).as_bytes())?;
        self.done.extend(fingerprints.iter().copied());
        Ok(())
    }

    /// [`Journal::record`] without blocking an async worker: the write and `fsync` run on
    /// tokio's blocking pool.
    pub(crate) async fn record_async(
        &mut self,
        fingerprints: &[Fingerprint],
    ) -> Result<(), JournalError> {
        self.writable_or_err()?;
        let io_err = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        let mut file = self.file.try_clone().map_err(io_err)?;
        let text = Self::lines(fingerprints);
        let written = tokio::task::spawn_blocking(move || {
            file.seek(SeekFrom::End(0))?;
            file.write_all(text.as_bytes())?;
            file.sync_data()
        })
        .await
        .unwrap_or_else(|join| Err(io::Error::other(join.to_string())));
        written.map_err(io_err)?;
        self.done.extend(fingerprints.iter().copied());
        Ok(())
    }

    fn lines(fingerprints: &[Fingerprint]) -> String {
        let mut text = String::with_capacity(fingerprints.len() * 65);
        for fp in fingerprints {
            text.push_str(&fp.to_string());
            text.push('\n');
        }
        text
    }

    fn writable_or_err(&self) -> Result<(), JournalError> {
        if self.writable {
            Ok(())
        } else {
            Err(JournalError::ReadOnly {
                path: self.path.clone(),
            })
        }
    }

    fn append(&mut self, bytes: &[u8]) -> Result<(), JournalError> {
        self.writable_or_err()?;
        let path = &self.path;
        let io_err = |source| JournalError::Io {
            path: path.clone(),
            source,
        };
        self.file.seek(SeekFrom::End(0)).map_err(io_err)?;
        self.file.write_all(bytes).map_err(io_err)?;
        self.file.sync_data().map_err(io_err)
    }
}

/// Whether `text`, a last line without its newline, may be a record cut short by a crash.
/// Line 1 of a journal is always its header, written before anything else, so a torn line 1
/// must be the start of one; after complete journal lines, a torn tail may hold anything a
/// crash leaves (even zero bytes), bounded by [`MAX_JOURNAL_LINE`].
fn is_torn_record(text: &str, first: bool) -> bool {
    !first || JOURNAL_HEADER.starts_with(text) || JOURNAL_HEADER_V2.starts_with(text)
}

#[cfg(test)]
mod tests;
