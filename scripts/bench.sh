#!/usr/bin/env bash
# Side-by-side benchmarks of the release build against public tools; figures for BENCHMARKS.md.
#
#   scripts/bench.sh              # everything (about 5 minutes after the builds)
#   RUNS=5 SCAN_MIB=256 scripts/bench.sh
#   SKIP_PACING=1 scripts/bench.sh
#
# Corpora are generated under bench-data/ (git-ignored; about 1.1 GB) by
# `cargo run --release -p gh-revoke --example make-corpus`. Tools: wc, hyperfine, rg
# (ripgrep), /usr/bin/time (GNU time), strace, python3; a missing one is installed with
# apt-get when possible (as root), otherwise its comparison is skipped with a note.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
SCAN_MIB=${SCAN_MIB:-1024}
DATA=${BENCH_DATA:-bench-data}
TARGET=${CARGO_TARGET_DIR:-target}
BIN="$TARGET/release/gh-revoke"
mkdir -p "$DATA"

note() { printf '> note: %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

ensure() { # ensure COMMAND APT-PACKAGE
    have "$1" && return 0
    if have apt-get && [ "$(id -u)" = 0 ]; then
        { apt-get update -qq && apt-get install -y -qq "$2"; } >/dev/null 2>&1 || true
    fi
    have "$1"
}

ensure hyperfine hyperfine || note "hyperfine missing: timings fall back to single /usr/bin/time runs"
ensure rg ripgrep || note "ripgrep (rg) missing: the ripgrep comparison is skipped (cargo install ripgrep)"
[ -x /usr/bin/time ] || ensure /usr/bin/time time || note "GNU time missing: peak RSS is not measured"
ensure strace strace || note "strace missing: start-up syscalls are not counted"
ensure python3 python3 || { echo "python3 is needed to summarise hyperfine's JSON" >&2; exit 2; }

echo "## Machine"
echo
echo "- nproc: $(nproc)"
echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $(rustc --version); $(have rg && rg --version 2>/dev/null | sed -n 1p); $(have hyperfine && hyperfine --version)"
echo

echo "Building (release)..." >&2
# Two commands: `--example` alone would restrict the first to the example (no binary).
cargo build --release -q -p gh-revoke-cli
cargo build --release -q -p gh-revoke --example make-corpus
GEN="$TARGET/release/examples/make-corpus"

SCAN="$DATA/scan-${SCAN_MIB}m.log"
[ -s "$SCAN" ] || "$GEN" scan "$SCAN" "$SCAN_MIB" >&2
for n in 100000 500000 1000000; do
    [ -s "$DATA/tokens-$n.txt" ] || "$GEN" lines "$DATA/tokens-$n.txt" "$n" >&2
done

# hyperfine → "median_s stddev_s" per command, in order.
medians() {
    python3 - "$1" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["median"]:.4f} {r["stddev"]:.4f} {min(r["times"]):.4f} {max(r["times"]):.4f}')
EOF
}

# The token patterns, as a regex (what `rg -o` looks for; gh-revoke also checks the CRC32
# checksum and the boundary rules, which a regex cannot).
PATTERN='gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}'

echo "## Scan throughput: $SCAN_MIB MiB of synthetic CI logs"
echo
cat "$SCAN" >/dev/null # warm the page cache: every tool reads from memory
if have hyperfine; then
    cmds=("wc -l $SCAN" "$BIN credentials --scan --dry-run -q $SCAN")
    names=("wc -l" "gh-revoke --scan --dry-run")
    if have rg; then
        cmds+=("rg -o -n -e $PATTERN $SCAN")
        names+=("rg -o -n (token regex)")
    fi
    hyperfine -N --style none --warmup 2 --runs "$RUNS" --export-json "$DATA/scan.json" \
        "${cmds[@]}" >/dev/null 2>&1
    mapfile -t rows < <(medians "$DATA/scan.json")
    read -r wc_med _ <<<"${rows[0]}"
    echo "| command | median | σ | min | max | MiB/s (median) | ÷ wc -l |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for i in "${!rows[@]}"; do
        read -r med sd lo hi <<<"${rows[$i]}"
        python3 -c "m=$med; print(f'| {\"${names[$i]}\"} | {m*1000:.0f} ms | {$sd*1000:.0f} ms | {$lo*1000:.0f} ms | {$hi*1000:.0f} ms | {$SCAN_MIB/m:.0f} | {m/$wc_med:.2f}× |')"
    done
    read -r ghr_med _ <<<"${rows[1]}"
    echo
    echo "- gh-revoke ÷ wc -l (median): $(python3 -c "print(f'{$ghr_med/$wc_med:.2f}')") (target ≤ 1.5)"
    if have rg; then
        read -r rg_med _ <<<"${rows[2]}"
        echo "- gh-revoke ÷ rg (median): $(python3 -c "print(f'{$ghr_med/$rg_med:.2f}')") (target ≤ 0.5)"
    fi
else
    /usr/bin/time -f "wc -l: %e s" wc -l "$SCAN" >/dev/null
    /usr/bin/time -f "gh-revoke: %e s" "$BIN" credentials --scan --dry-run -q "$SCAN"
fi
if [ -x /usr/bin/time ]; then
    small="$DATA/scan-64m.log"
    [ -s "$small" ] || "$GEN" scan "$small" 64 >&2
    for f in "$small" "$SCAN"; do
        rss=$(/usr/bin/time -f %M "$BIN" credentials --scan --dry-run -q "$f" 2>&1 >/dev/null | tail -1)
        echo "- peak RSS scanning $(($(stat -c %s "$f") >> 20)) MiB: $((rss / 1024)) MiB"
    done
fi
echo

echo "## Encoded corpora: the same log in base64 (JSON records) and in UTF-16LE, $SCAN_MIB MiB each"
echo
B64="$DATA/base64-${SCAN_MIB}m.log"
U16="$DATA/utf16-${SCAN_MIB}m.log"
[ -s "$B64" ] || "$GEN" base64 "$B64" "$SCAN_MIB" >&2
[ -s "$U16" ] || "$GEN" utf16 "$U16" "$SCAN_MIB" >&2
cat "$SCAN" "$B64" "$U16" >/dev/null
if have hyperfine; then
    hyperfine -N --style none --warmup 1 --runs "$RUNS" --export-json "$DATA/encoded.json" \
        "$BIN credentials --scan --dry-run -q $SCAN" \
        "$BIN credentials --scan --dry-run -q $B64" \
        "$BIN credentials --scan --dry-run -q $U16" >/dev/null 2>&1
    mapfile -t rows < <(medians "$DATA/encoded.json")
    read -r plain_med _ <<<"${rows[0]}"
    echo "| corpus | median | σ | min | max | ÷ plain (target ≤ 3) |"
    echo "|---|---:|---:|---:|---:|---:|"
    names=("plain log" "base64" "UTF-16LE")
    for i in "${!rows[@]}"; do
        read -r med sd lo hi <<<"${rows[$i]}"
        python3 -c "m=$med; print(f'| {\"${names[$i]}\"} | {m*1000:.0f} ms | {$sd*1000:.0f} ms | {$lo*1000:.0f} ms | {$hi*1000:.0f} ms | {m/$plain_med:.2f}× |')"
    done
else
    note "hyperfine missing: encoded corpora skipped"
fi
echo

echo "## Line mode: peak RSS of \`credentials --dry-run\` over unique tokens (one per line)"
echo
if [ -x /usr/bin/time ]; then
    echo "| tokens | input | peak RSS (median of 3) | wall (median of 3) |"
    echo "|---:|---:|---:|---:|"
    for n in 100000 500000 1000000; do
        f="$DATA/tokens-$n.txt"
        samples=()
        for _ in 1 2 3; do
            samples+=("$(/usr/bin/time -f '%M %e' "$BIN" credentials --dry-run -q "$f" 2>&1 >/dev/null | tail -1)")
        done
        printf '%s\n' "${samples[@]}" | python3 -c "
import sys, statistics
rows=[l.split() for l in sys.stdin if l.strip()]
rss=statistics.median(int(r[0]) for r in rows); wall=statistics.median(float(r[1]) for r in rows)
import os
size=os.path.getsize('$f')
print(f'| {$n:,} | {size/1048576:.1f} MiB | {rss/1024:.1f} MiB | {wall:.2f} s |')"
    done
else
    note "GNU time missing: skipped"
fi
echo

echo "## Start-up"
echo
if have hyperfine; then
    hyperfine -N --style none --warmup 5 --runs 50 --export-json "$DATA/startup.json" \
        "$BIN --version" "$BIN --help" >/dev/null 2>&1
    mapfile -t rows < <(medians "$DATA/startup.json")
    read -r v _ <<<"${rows[0]}"
    read -r h _ <<<"${rows[1]}"
    echo "- \`gh-revoke --version\`: median $(python3 -c "print(f'{$v*1000:.1f}')") ms; \`--help\`: median $(python3 -c "print(f'{$h*1000:.1f}')") ms (50 runs each)"
fi
if have strace; then
    threads=$(strace -f -e trace=clone,clone3 "$BIN" --help 2>&1 >/dev/null | grep -c -E '^(clone|clone3)\(' || true)
    sockets=$(strace -f -e trace=socket "$BIN" --help 2>&1 >/dev/null | grep -c '^socket(' || true)
    echo "- \`--help\` makes $threads thread(s) and $sockets socket(s) (strace): no runtime, TLS or HTTP client is built"
fi
echo

if [ -z "${SKIP_PACING:-}" ]; then
    echo "## Pacing against a loopback fake with small windows"
    echo
    cargo run -q -p gh-revoke-tests --bin pacing-bench 3
    echo
fi
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
