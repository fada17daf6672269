//! Reading and scanning overlapped on two threads, with results in input order.

use std::io::Read;

use zeroize::Zeroizing;

use super::window::{ScanState, carry_of};
use super::{Found, LOOKAHEAD, ScanStats, Scanner, fill};
use crate::input::InputError;

impl Scanner {
    /// The rest of [`Scanner::scan`] once `buf[..len]` holds a first full buffer: this
    /// thread reads, a scoped helper thread scans, buffers go round between them.
    pub(super) fn scan_overlapped<R: Read, F: FnMut(Found)>(
        &self,
        mut reader: R,
        state: ScanState,
        buf: Zeroizing<Vec<u8>>,
        len: usize,
        mut on_found: F,
    ) -> Result<ScanStats, InputError> {
        use std::sync::mpsc;
        /// Buffers in flight: one being read, one being scanned, one queued.
        const BUFFERS: usize = 3;
        let source = state.source.clone();
        std::thread::scope(|scope| {
            let (chunk_tx, chunk_rx) = mpsc::sync_channel::<(Zeroizing<Vec<u8>>, usize, bool)>(1);
            let (free_tx, free_rx) = mpsc::sync_channel::<Zeroizing<Vec<u8>>>(BUFFERS);
            let (found_tx, found_rx) = mpsc::channel::<Vec<Found>>();
            let worker = scope.spawn(move || {
                let mut state = state;
                for (buf, len, eof) in chunk_rx {
                    let mut hits = Vec::new();
                    let window = buf.get(..len).unwrap_or_default();
                    self.scan_window(&mut state, window, eof, &mut |found| hits.push(found));
                    if !hits.is_empty() && found_tx.send(hits).is_err() {
                        break;
                    }
                    // The reader may be gone (a read error); the buffer is then dropped,
                    // and zeroized.
                    let _ = free_tx.send(buf);
                }
                state
            });

            let mut spare: Vec<Zeroizing<Vec<u8>>> = (1..BUFFERS)
                .map(|_| Zeroizing::new(vec![0u8; self.buffer_size]))
                .collect();
            let mut carry = Zeroizing::new(Vec::with_capacity(LOOKAHEAD + super::encoded::BEHIND));
            let (mut buf, mut len, mut eof) = (buf, len, false);
            let mut failure = None;
            loop {
                carry.clear();
                if !eof {
                    carry.extend_from_slice(buf.get(carry_of(len)..len).unwrap_or_default());
                }
                if chunk_tx.send((buf, len, eof)).is_err() {
                    break; // the scanner stopped; its join below says why
                }
                found_rx.try_iter().flatten().for_each(&mut on_found);
                if eof {
                    break;
                }
                let next = match spare.pop() {
                    Some(next) => Some(next),
                    None => free_rx.recv().ok(),
                };
                let Some(next) = next else { break };
                buf = next;
                if let Some(front) = buf.get_mut(..carry.len()) {
                    front.copy_from_slice(&carry);
                }
                match fill(&mut reader, &mut buf, carry.len(), &source) {
                    Ok((n, at_end)) => (len, eof) = (n, at_end),
                    Err(error) => {
                        failure = Some(error);
                        break;
                    }
                }
            }
            drop(chunk_tx);
            let state = worker.join();
            // Everything scanned before an error or the end is still delivered, in order.
            found_rx.try_iter().flatten().for_each(&mut on_found);
            if let Some(error) = failure {
                return Err(error);
            }
            state
                .map(|state| state.stats())
                .map_err(|_| InputError::Io {
                    input: source.clone(),
                    error: std::io::Error::other("the scanning thread failed"),
                })
        })
    }
}
