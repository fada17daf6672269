//! Tests of the generated client on loopback: requests (headers, tokens, the description's
//! schemas), answers (every documented shape, lenient decoding, errors that keep their
//! status), and the alerts listing's parameters.

mod alerts;
mod calls;
mod fidelity;
mod headers;
mod requests;
mod responses;
mod support;
