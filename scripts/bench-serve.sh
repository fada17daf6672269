#!/usr/bin/env bash
# Benchmark of `gh-revoke serve` against the loopback alerts stand-in; figures for
# BENCHMARKS.md ("The webhook receiver").
#
#   scripts/bench-serve.sh            # about a minute after the builds
#   RUNS=3 scripts/bench-serve.sh     # repeat, to see the spread
#
# Measures: answer latency of 1,000 signed deliveries sent 50 at a time (p50/p99, each
# including the commit before 202); delivery -> revoke request for a lone alert; a burst of
# 5,000 alerts over 50 repositories (revoke requests spent, peak RSS of the receiver through
# GNU time's "Maximum resident set size", when /usr/bin/time exists). Nothing leaves the
# machine: GitHub is the loopback stand-in of tests/src/alerts_server.rs.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-1}
TARGET=${CARGO_TARGET_DIR:-target}

cargo build --quiet --release -p gh-revoke-cli
cargo build --quiet -p gh-revoke-tests --bin serve-bench
[ -x /usr/bin/time ] || echo "> note: GNU time missing (apt-get install time): peak RSS is not measured"

echo "## Machine"
echo
echo "- $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $(rustc --version)"
echo
for run in $(seq 1 "$RUNS"); do
    echo "## Run $run"
    "$TARGET/debug/serve-bench" "$TARGET/release/gh-revoke"
    echo
done
