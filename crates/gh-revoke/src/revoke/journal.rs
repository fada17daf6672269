//! [`Journal`]: a durable record of what GitHub accepted, so an interrupted run can resume.
//!
//! Format (text, append-only): a header line `# gh-revoke journal v1`, then one credential
//! [`Fingerprint`] (SHA-256, 64 hex digits) per line. Never a credential.
//!
//! Each accepted batch is appended in one write and flushed to disk (`fsync`) before the client
//! sends anything else, so a run killed at any moment loses at most the batch in flight, which a
//! rerun sends again (revoking is idempotent). A last line cut short by a crash (no final
//! newline) is ignored on reading and cut off, so the next write starts on a fresh line.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::credential::Fingerprint;

/// The first line of every journal.
pub const JOURNAL_HEADER: &str = "# gh-revoke journal v1";

/// Why a journal could not be used.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// Opening, reading or writing failed.
    #[error("journal {path}: {source}")]
    Io {
        /// The journal's path.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The file is not a gh-revoke journal (another file was named by mistake?).
    #[error(
        "{path} is not a gh-revoke journal (line {line} is not a fingerprint); refusing to append to it"
    )]
    NotAJournal {
        /// The path.
        path: PathBuf,
        /// The first line that is not part of a journal.
        line: u64,
    },
}

/// An open journal: what earlier runs recorded, and a handle to append more.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    done: HashSet<Fingerprint>,
    torn_lines: u64,
}

impl Journal {
    /// Open (or create) the journal at `path` and read what it holds.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        let path = path.as_ref().to_path_buf();
        let io_err = |source| JournalError::Io {
            path: path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(io_err)?;
        let mut done = HashSet::new();
        let mut torn_lines = 0;
        let mut complete_len = 0u64;
        let mut empty = true;
        {
            let mut reader = BufReader::new(&mut file);
            let mut line = Vec::new();
            let mut number = 0u64;
            loop {
                line.clear();
                let read = reader.read_until(b'\n', &mut line).map_err(io_err)?;
                if read == 0 {
                    break;
                }
                empty = false;
                number += 1;
                let complete = line.last() == Some(&b'\n');
                if complete {
                    complete_len += read as u64;
                }
                let text = String::from_utf8_lossy(&line);
                let text = text.trim_end_matches(['\n', '\r']);
                if number == 1 && text == JOURNAL_HEADER {
                    continue;
                }
                match text.parse::<Fingerprint>() {
                    Ok(fp) if complete => {
                        done.insert(fp);
                    }
                    // The last line, cut short by a crash: not a record.
                    _ if !complete => torn_lines += 1,
                    _ => {
                        return Err(JournalError::NotAJournal {
                            path: path.clone(),
                            line: number,
                        });
                    }
                }
            }
        }
        let mut journal = Self {
            path,
            file,
            done,
            torn_lines,
        };
        if empty {
            journal.append(format!("{JOURNAL_HEADER}\n").as_bytes())?;
        } else if torn_lines > 0 {
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
            }
        }
        Ok(journal)
    }

    /// Fingerprints recorded by earlier runs (and by this one so far).
    pub fn done(&self) -> &HashSet<Fingerprint> {
        &self.done
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
        let mut text = String::with_capacity(fingerprints.len() * 65);
        for fp in fingerprints {
            text.push_str(&fp.to_string());
            text.push('\n');
        }
        self.append(text.as_bytes())?;
        self.done.extend(fingerprints.iter().copied());
        Ok(())
    }

    fn append(&mut self, bytes: &[u8]) -> Result<(), JournalError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(n: u8) -> Fingerprint {
        Fingerprint::of(&[n])
    }

    #[test]
    fn records_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let mut j = Journal::open(&path).unwrap();
        assert!(j.done().is_empty());
        j.record(&[fp(1), fp(2)]).unwrap();
        drop(j);
        let j = Journal::open(&path).unwrap();
        assert_eq!(j.done().len(), 2);
        assert!(j.done().contains(&fp(1)));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(JOURNAL_HEADER));
    }

    #[test]
    fn a_torn_last_line_is_ignored_and_the_next_write_starts_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let full = fp(1).to_string();
        let torn = &fp(2).to_string()[..30];
        std::fs::write(&path, format!("{JOURNAL_HEADER}\n{full}\n{torn}")).unwrap();
        let mut j = Journal::open(&path).unwrap();
        assert_eq!(j.done().len(), 1);
        assert_eq!(j.torn_lines(), 1);
        j.record(&[fp(3)]).unwrap();
        drop(j);
        let j = Journal::open(&path).unwrap();
        assert_eq!(j.done().len(), 2);
        assert!(j.done().contains(&fp(3)));
    }

    #[test]
    fn a_torn_header_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        std::fs::write(&path, &JOURNAL_HEADER[..5]).unwrap();
        let mut j = Journal::open(&path).unwrap();
        assert_eq!(j.torn_lines(), 1);
        j.record(&[fp(1)]).unwrap();
        drop(j);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, format!("{JOURNAL_HEADER}\n{}\n", fp(1)));
    }

    #[test]
    fn another_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "hello\nworld\n").unwrap();
        let err = Journal::open(&path).unwrap_err();
        assert!(
            matches!(err, JournalError::NotAJournal { line: 1, .. }),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello\nworld\n");
    }
}
