//! Unit tests of [`super::Journal`]: durability, torn lines, the lock, the API URL binding.

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
fn a_second_open_is_refused_while_the_first_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let first = Journal::open(&path).unwrap();
    let err = Journal::open(&path).unwrap_err();
    assert!(matches!(err, JournalError::InUse { .. }), "{err}");
    assert!(err.to_string().contains("in use"), "{err}");
    drop(first);
    Journal::open(&path).unwrap();
}

#[test]
fn the_api_url_is_recorded_and_another_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let github = ApiBase::github_com();
    let other = ApiBase::parse("http://127.0.0.1:9").unwrap();
    let mut j = Journal::open(&path).unwrap();
    j.bind(&github).unwrap();
    j.record(&[fp(1)]).unwrap();
    drop(j);
    let mut j = Journal::open(&path).unwrap();
    assert_eq!(j.api_url(), Some(github.as_str()));
    assert_eq!(j.done().len(), 1);
    j.bind(&github).unwrap();
    let err = j.bind(&other).unwrap_err();
    assert!(matches!(err, JournalError::OtherApi { .. }), "{err}");
    assert!(err.to_string().contains("127.0.0.1:9"), "{err}");
}

#[test]
fn read_only_never_creates_repairs_or_writes() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    assert!(Journal::open_read_only(&missing).is_err());
    assert!(!missing.exists());
    let path = dir.path().join("j");
    let torn = format!("{JOURNAL_HEADER}\n{}\n{}", fp(1), &fp(2).to_string()[..9]);
    std::fs::write(&path, &torn).unwrap();
    let mut j = Journal::open_read_only(&path).unwrap();
    assert_eq!(j.done().len(), 1);
    j.bind(&ApiBase::github_com()).unwrap();
    assert!(matches!(
        j.record(&[fp(3)]),
        Err(JournalError::ReadOnly { .. })
    ));
    // A read-only open takes no lock: a run can hold the journal meanwhile.
    drop(Journal::open_read_only(&path).unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), torn);
}

#[test]
fn resolved_alerts_are_recorded_and_announced_by_a_v2_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let mut j = Journal::open(&path).unwrap();
    j.bind(&ApiBase::github_com()).unwrap();
    j.record(&[fp(1)]).unwrap();
    drop(j);
    // Without alert records the journal stays v1.
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with(JOURNAL_HEADER)
    );
    let mut j = Journal::open(&path).unwrap();
    j.record_resolved_alert("octo-org/app#12").unwrap();
    assert!(j.record_resolved_alert("octo org/app#1").is_err());
    j.record(&[fp(2)]).unwrap();
    drop(j);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with(&format!("{JOURNAL_HEADER_V2}\n")),
        "{text}"
    );
    assert!(text.contains("\nalert octo-org/app#12\n"), "{text}");
    let j = Journal::open(&path).unwrap();
    assert_eq!(j.done().len(), 2);
    assert!(j.resolved_alerts().contains("octo-org/app#12"));
    assert_eq!(j.api_url(), Some(ApiBase::github_com().as_str()));
    // A reader that knows only v1 sees line 1 as "not a fingerprint" and refuses the file.
    assert!(text.lines().next().unwrap().parse::<Fingerprint>().is_err());
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

#[test]
fn a_big_file_without_newlines_is_refused_unchanged_and_not_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("disk.img");
    let body = vec![b'x'; 3 * MAX_JOURNAL_LINE];
    std::fs::write(&path, &body).unwrap();
    for read_only in [false, true] {
        let err = if read_only {
            Journal::open_read_only(&path).unwrap_err()
        } else {
            Journal::open(&path).unwrap_err()
        };
        assert!(
            matches!(
                err,
                JournalError::NotAJournal {
                    line: 1,
                    why: NotAJournalWhy::TooLong,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("left unchanged"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), body);
    }
}

#[cfg(unix)]
#[test]
fn dev_zero_is_refused_after_one_bounded_line() {
    // Before the bound this read until memory ran out.
    let err = Journal::open_read_only("/dev/zero").unwrap_err();
    assert!(
        matches!(
            err,
            JournalError::NotAJournal {
                why: NotAJournalWhy::TooLong,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_short_file_without_a_newline_is_not_taken_for_a_torn_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "remember the milk").unwrap();
    let err = Journal::open(&path).unwrap_err();
    assert!(
        matches!(
            err,
            JournalError::NotAJournal {
                line: 1,
                why: NotAJournalWhy::NotATornRecord,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "remember the milk");
}

#[test]
fn credentials_proven_dead_are_recorded_apart_from_accepted_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let mut j = Journal::open(&path).unwrap();
    j.record(&[fp(1), fp(2)]).unwrap();
    j.record_proven_dead(&[fp(1)]).unwrap();
    j.record_proven_dead(&[]).unwrap();
    drop(j);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(&format!("\ndead {}\n", fp(1))), "{text}");
    let j = Journal::open_read_only(&path).unwrap();
    assert_eq!(j.done().len(), 2, "accepted: both");
    assert_eq!(
        j.proven_dead().iter().copied().collect::<Vec<_>>(),
        vec![fp(1)],
        "proven dead: only the one verification saw die"
    );
}
