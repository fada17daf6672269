#!/usr/bin/env sh
# The --verify schedule benchmark (BENCHMARKS.md, "Verify schedule"): 1,000 accepted
# credentials against a loopback stand-in (50 ms latency), 10 of which stay live and the rest
# die 3 s after the 202; default --verify-timeout (2 min), so a run takes a little over 2 min.
# Usage: scripts/verify-bench.sh [N] [LIVE]
set -eu
cd "$(dirname "$0")/.."
exec cargo run -q --release -p gh-revoke-tests --bin verify-bench -- "$@"
