//! Typed client for GitHub's credential revocation endpoints (placeholder until codegen lands).
