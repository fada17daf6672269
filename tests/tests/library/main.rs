//! The library and the generated client against loopback fakes: one integration binary (one
//! link), one module per area. The binary's own tests live in `crates/gh-revoke-cli/tests/`.

mod alerts;
mod alerts_outcomes;
mod alerts_resume_verify;
mod endless_listing;
mod enterprise_client;
mod faults;
mod incident;
mod kill;
mod pacing;
mod request_fidelity;
mod revoke_client;
mod siblings;
mod transport;
mod verify_schedule;
