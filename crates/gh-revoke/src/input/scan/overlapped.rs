//! Reading and scanning on two threads, with results in input order.
//!
//! This thread reads the windows, in order. Each one it has read goes to a helper thread
//! when the helper can take it (one may wait in line), and is scanned here otherwise, so
//! both cores scan while reading goes on. A window after the first is scanned from the
//! entry it would have if nothing of the previous window reached into it
//! ([`Entry::assumed`]); its hits are placed in input order, and only once the window
//! before it is placed, when that assumption is checked ([`ScanState::is_entry`]). In the
//! rare case it fails (a hit or a base64 zone reaching across the limit), the window is
//! scanned again from its true entry. So hits, their order and their locations are exactly
//! those of a scan on one thread.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc;

use zeroize::Zeroizing;

use super::window::{Entry, ScanState, WindowScan, carry_of, utf16_be_of};
use super::{Found, LOOKAHEAD, ScanStats, Scanner, fill};
use crate::input::InputError;

/// Windows waiting for the helper. This thread scans a window itself only when that many
/// are waiting, so the helper has work while this thread scans and reads the next one
/// (with one waiting, the helper sat idle a quarter of the time).
const QUEUED: usize = 2;

/// Buffers in flight: one being read, one scanned by each thread, [`QUEUED`] waiting for
/// the helper, one waiting for the window before it to be placed.
const BUFFERS: usize = 3 + QUEUED + 1;

/// A window read: its buffer, how much of it holds input, whether the input ends there,
/// and the entry it is scanned from.
struct Window {
    buf: Zeroizing<Vec<u8>>,
    len: usize,
    eof: bool,
    entry: Entry,
}

impl Window {
    fn bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

/// Scanned windows waiting to be placed, by their number in the input.
struct Placer {
    pending: BTreeMap<u64, (Window, WindowScan)>,
    next: u64,
}

impl Scanner {
    /// The rest of [`Scanner::scan`] once `buf[..len]` holds a first full buffer.
    pub(super) fn scan_overlapped<R: Read, F: FnMut(Found)>(
        &self,
        mut reader: R,
        mut state: ScanState,
        buf: Zeroizing<Vec<u8>>,
        len: usize,
        mut on_found: F,
    ) -> Result<ScanStats, InputError> {
        let source = state.source.clone();
        let utf16_be = utf16_be_of(buf.get(..len).unwrap_or_default());
        std::thread::scope(|scope| {
            let (work_tx, work_rx) = mpsc::sync_channel::<(u64, Window)>(QUEUED);
            let (done_tx, done_rx) = mpsc::channel::<(u64, Window, WindowScan)>();
            let helper = scope.spawn(move || {
                for (number, window) in work_rx {
                    let scan = self.scan_window(window.entry, window.bytes(), window.eof);
                    if done_tx.send((number, window, scan)).is_err() {
                        break;
                    }
                }
            });

            let mut placer = Placer {
                pending: BTreeMap::new(),
                next: 0,
            };
            let mut spare: Vec<Zeroizing<Vec<u8>>> = (1..BUFFERS)
                .map(|_| Zeroizing::new(vec![0u8; self.buffer_size]))
                .collect();
            let mut carry = Zeroizing::new(Vec::with_capacity(LOOKAHEAD + super::encoded::BEHIND));
            carry.extend_from_slice(buf.get(carry_of(len)..len).unwrap_or_default());
            let first = Window {
                buf,
                len,
                eof: false,
                entry: state.entry(),
            };
            let (mut base, mut last_len) = (first.entry.base(), len);
            let mut read = Some(first);
            let mut numbered = 0u64; // windows handed on so far
            let mut reading = true;
            let mut failure = None;
            let mut helper_gone = false;
            loop {
                // Hand the window just read to the helper, or scan it here if it is busy.
                if let Some(window) = read.take() {
                    let number = numbered;
                    numbered += 1;
                    match work_tx.try_send((number, window)) {
                        Ok(()) => {}
                        Err(mpsc::TrySendError::Full((number, window))) => {
                            let scan = self.scan_window(window.entry, window.bytes(), window.eof);
                            placer.pending.insert(number, (window, scan));
                        }
                        Err(mpsc::TrySendError::Disconnected(_)) => {
                            helper_gone = true;
                            break;
                        }
                    }
                }
                while let Ok((number, window, scan)) = done_rx.try_recv() {
                    placer.pending.insert(number, (window, scan));
                }
                spare.extend(self.place_ready(&mut placer, &mut state, &mut on_found));
                if placer.next == numbered && !reading {
                    break;
                }
                // Wait for the helper when there is nothing to read, or nothing to read into.
                let next = if reading { spare.pop() } else { None };
                let Some(mut next) = next else {
                    match done_rx.recv() {
                        Ok((number, window, scan)) => {
                            placer.pending.insert(number, (window, scan));
                        }
                        Err(_) => {
                            helper_gone = true;
                            break;
                        }
                    }
                    continue;
                };
                if let Some(front) = next.get_mut(..carry.len()) {
                    front.copy_from_slice(&carry);
                }
                match fill(&mut reader, &mut next, carry.len(), &source) {
                    Ok((n, eof)) => {
                        let entry = Entry::assumed(base, last_len, utf16_be);
                        (base, last_len) = (entry.base(), n);
                        carry.clear();
                        if eof {
                            reading = false;
                        } else {
                            carry.extend_from_slice(next.get(carry_of(n)..n).unwrap_or_default());
                        }
                        read = Some(Window {
                            buf: next,
                            len: n,
                            eof,
                            entry,
                        });
                    }
                    Err(error) => {
                        // Everything read before the error is still scanned and reported.
                        failure = Some(error);
                        reading = false;
                    }
                }
            }
            drop(work_tx);
            let helper_failed = helper.join().is_err() || helper_gone;
            super::two_thread_result(helper_failed, failure, &state)
        })
    }

    /// Places the scanned windows that are next in input order, scanning a window again
    /// from its true entry if the one it was scanned from was wrong; returns their buffers.
    fn place_ready<F: FnMut(Found)>(
        &self,
        placer: &mut Placer,
        state: &mut ScanState,
        on_found: &mut F,
    ) -> Vec<Zeroizing<Vec<u8>>> {
        let mut freed = Vec::new();
        while let Some((window, scan)) = placer.pending.remove(&placer.next) {
            let bytes = (window.bytes(), window.eof);
            self.place_checked(state, &window.entry, bytes, scan, on_found);
            freed.push(window.buf);
            placer.next += 1;
        }
        freed
    }
}
