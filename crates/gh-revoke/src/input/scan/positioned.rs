//! A regular file read at positions: both threads read and scan windows of their own.
//!
//! Window `k` of a scan is always the buffer-sized stretch of input at `k` times
//! [`carry_of`] the buffer size (the carried tail of one window is the head of the next),
//! so a file can be read at that position directly, by any thread, without a carried copy.
//! Each thread takes the next window number, reads it (the kernel's copy then runs on both
//! cores, and the bytes are still in that core's cache when it scans them) and scans it
//! from its assumed entry; this thread places the windows in order, as in
//! [`super::overlapped`]. A regular file only: it must not change under the scan (a file
//! that grows is read up to where it ended when its last window was read).

use std::collections::BTreeMap;
use std::fs::File;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};

use zeroize::Zeroizing;

use super::window::{Entry, ScanState, WindowScan, carry_of, utf16_be_of};
use super::{Found, ScanStats, Scanner};
use crate::input::InputError;

/// Buffers in flight: one read or scanned by each thread, the rest scanned and waiting for
/// the window before them to be placed.
const BUFFERS: usize = 6;

/// Reads `buf.len()` bytes at `offset`, fewer only at the end of the file.
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    let mut len = 0;
    while len < buf.len() {
        let rest = buf.get_mut(len..).unwrap_or_default();
        #[cfg(unix)]
        let read = std::os::unix::fs::FileExt::read_at(file, rest, offset + len as u64);
        // Elsewhere `scan_file` never comes here (Windows' `seek_read` moves the position).
        #[cfg(not(unix))]
        let read = Err::<usize, _>(std::io::Error::from(std::io::ErrorKind::Unsupported));
        match read {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(len)
}

/// What both threads share: the file, the next window number, free buffers, the first
/// window at the end of the input.
struct Shared<'f> {
    file: &'f File,
    /// Where the scan starts in the file.
    start: u64,
    next: AtomicU64,
    /// Windows after this one are past the end of the input (or an error) and dropped.
    last: AtomicU64,
    free: Mutex<Vec<Zeroizing<Vec<u8>>>>,
    freed: Condvar,
    utf16_be: bool,
}

/// A window read and scanned (with its buffer), or the error reading it.
type Scanned = Result<(Zeroizing<Vec<u8>>, Window), std::io::Error>;

/// A window's number and what became of it.
type Done = (u64, Scanned);

/// No buffer was free.
struct NoBuffer;

/// A window's length, end and entry, and its scan.
struct Window {
    len: usize,
    eof: bool,
    entry: Entry,
    scan: WindowScan,
}

impl Scanner {
    /// [`Scanner::scan`] for a file, from its current position: on Unix, a regular file is
    /// read at positions, by both threads, each scanning what it read (faster than
    /// [`Scanner::scan`], where one thread does all the reading; the file's position is left
    /// where it was). The hits, their order and their locations are those of
    /// [`Scanner::scan`]. Another kind of file (a pipe, a terminal), another system, a
    /// machine with one core or a scanner made
    /// [`with_parallel(false)`](Scanner::with_parallel) is scanned by [`Scanner::scan`]. A
    /// regular file must not be rewritten during the scan; one that grows is read up to
    /// where it ended when its last window was read.
    pub fn scan_file<F: FnMut(Found)>(
        &self,
        file: &File,
        source: impl Into<Arc<str>>,
        mut on_found: F,
    ) -> Result<ScanStats, InputError> {
        let source: Arc<str> = source.into();
        let regular = file.metadata().is_ok_and(|m| m.is_file());
        if !(cfg!(unix) && regular && self.parallel && super::more_than_one_core()) {
            return self.scan(file, source, on_found);
        }
        let size = self.buffer_size;
        let io = |error| InputError::Io {
            input: source.clone(),
            error,
        };
        // From the current position, like a read; the position is left as it was.
        let start = std::io::Seek::stream_position(&mut &*file).map_err(io)?;
        // The first window on this thread: it tells the byte order for the others.
        let mut state = ScanState::new(source.clone());
        let mut first = Zeroizing::new(vec![0u8; size]);
        let len = read_at(file, &mut first, start).map_err(io)?;
        let window = first.get(..len).unwrap_or_default();
        let eof = len < size;
        let scan = self.scan_window(state.entry(), window, eof);
        state.place(scan, &mut on_found);
        if eof {
            return Ok(state.stats());
        }
        let utf16_be = utf16_be_of(window);
        let shared = Shared {
            file,
            start,
            next: AtomicU64::new(1),
            last: AtomicU64::new(u64::MAX),
            free: Mutex::new(
                std::iter::once(first)
                    .chain((1..BUFFERS).map(|_| Zeroizing::new(vec![0u8; size])))
                    .collect(),
            ),
            freed: Condvar::new(),
            utf16_be,
        };
        std::thread::scope(|scope| {
            let (done_tx, done_rx) = mpsc::channel::<Done>();
            let shared = &shared;
            let helper = scope.spawn(move || {
                while let Ok(Some(done)) = self.next_window(shared, true) {
                    if done_tx.send(done).is_err() {
                        break;
                    }
                }
            });
            let mut pending: BTreeMap<u64, Scanned> = BTreeMap::new();
            let mut placing = 1u64;
            let mut failure = None;
            let mut reading = true;
            loop {
                while let Ok((number, done)) = done_rx.try_recv() {
                    pending.insert(number, done);
                }
                // Place what is next in order.
                while let Some(done) = pending.remove(&placing) {
                    match done {
                        Ok((buf, window)) => {
                            let bytes = (buf.get(..window.len).unwrap_or_default(), window.eof);
                            let (entry, scan) = (window.entry, window.scan);
                            self.place_checked(&mut state, &entry, bytes, scan, &mut on_found);
                            shared.give_back(buf);
                        }
                        Err(error) => failure = Some(io(error)),
                    }
                    placing += 1;
                }
                if placing > shared.last.load(Ordering::Acquire) {
                    break;
                }
                // Read and scan a window here while there is one and a buffer for it, else
                // wait for the helper.
                if reading {
                    match self.next_window(shared, false) {
                        Ok(Some((number, done))) => {
                            pending.insert(number, done);
                            continue;
                        }
                        Ok(None) => reading = false,
                        Err(NoBuffer) => {}
                    }
                }
                match done_rx.recv() {
                    Ok((number, done)) => {
                        pending.insert(number, done);
                    }
                    Err(_) => break, // the helper is done, and what it sent is placed
                }
            }
            // Windows past the end, read ahead by either thread, are dropped with their
            // buffers (zeroized).
            shared.last.store(0, Ordering::Release);
            shared.freed.notify_all();
            drop(done_rx);
            super::two_thread_result(helper.join().is_err(), failure, &state)
        })
    }

    /// Takes a free buffer (waiting for one if `wait`, else failing with [`NoBuffer`]),
    /// then the next window number, and reads and scans that window; `None` once the input
    /// is read.
    fn next_window(&self, shared: &Shared<'_>, wait: bool) -> Result<Option<Done>, NoBuffer> {
        // A buffer first, then a number: every number taken is read and scanned, so the
        // windows before one waiting to be placed always arrive.
        let mut buf = {
            let Ok(mut free) = shared.free.lock() else {
                return Ok(None);
            };
            loop {
                if shared.next.load(Ordering::Acquire) > shared.last.load(Ordering::Acquire) {
                    return Ok(None);
                }
                if let Some(buf) = free.pop() {
                    break buf;
                }
                if !wait {
                    return Err(NoBuffer);
                }
                let Ok(woken) = shared.freed.wait(free) else {
                    return Ok(None);
                };
                free = woken;
            }
        };
        let number = shared.next.fetch_add(1, Ordering::AcqRel);
        if number > shared.last.load(Ordering::Acquire) {
            shared.give_back(buf);
            return Ok(None);
        }
        let size = self.buffer_size;
        let step = carry_of(size) as u64;
        let offset = number * step;
        let len = match read_at(shared.file, &mut buf, shared.start + offset) {
            Ok(len) => len,
            Err(error) => {
                shared.last.fetch_min(number, Ordering::AcqRel);
                shared.give_back(buf);
                return Ok(Some((number, Err(error))));
            }
        };
        let eof = len < size;
        if eof {
            shared.last.fetch_min(number, Ordering::AcqRel);
        }
        let entry = Entry::assumed(offset - step, size, shared.utf16_be);
        let scan = self.scan_window(entry, buf.get(..len).unwrap_or_default(), eof);
        Ok(Some((
            number,
            Ok((
                buf,
                Window {
                    len,
                    eof,
                    entry,
                    scan,
                },
            )),
        )))
    }
}

impl Shared<'_> {
    /// Returns a buffer to the free ones, waking a thread that waits for one.
    fn give_back(&self, buf: Zeroizing<Vec<u8>>) {
        if let Ok(mut free) = self.free.lock() {
            free.push(buf);
        }
        self.freed.notify_one();
    }
}
