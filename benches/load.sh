#!/usr/bin/env bash
# Load test of `govkg serve` with wrk: 64 connections for a fixed duration against one stored
# query (near-central-axis if the catalogue has it, else entities-of-type). Loopback only.
# Prints requests/s, p99 latency and errors.
# Usage: bash benches/load.sh [SECONDS] (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
apt_install wrk
seconds="${1:-20}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/govkg"
work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
"$bin" build reports --store "$work/store" >/dev/null
phase() {
    # $1: label; the rest: extra flags of `govkg serve`.
    local label="$1"
    shift
    "$bin" serve --store "$work/store" --bind 127.0.0.1:0 "$@" >"$work/out" 2>"$work/err" &
    server=$!
    for _ in $(seq 100); do
        grep -q "^listening on " "$work/out" 2>/dev/null && break
        sleep 0.1
    done
    local base
    base="$(sed -n 's/^listening on //p' "$work/out")"
    [ -n "$base" ] || { echo "server did not start:"; cat "$work/err"; exit 1; }
    case "$base" in http://127.*) ;; *) echo "refusing to load-test $base (loopback only)"; exit 1 ;; esac
    local status
    status=$(curl -s -o /dev/null -w "%{http_code}" "$base$path")
    [ "$status" = 200 ] || { echo "warm-up request answered $status"; exit 1; }
    echo "== $label: $base$path (64 connections, 2 threads, ${seconds}s)"
    wrk -t2 -c64 -d"${seconds}s" --latency --timeout 10s "$base$path" >"$work/wrk"
    cat "$work/wrk"
    awk -v label="$label" '
        /Requests\/sec/ { rps = $2 }
        /^ +99%/ { p99 = $2 }
        /requests in/ { total = $1 }
        /Socket errors/ { sock = $0 }
        /Non-2xx or 3xx responses/ { non2xx = $NF }
        END {
            printf "summary (%s): %s requests/s, p99 latency %s, %s requests, non-2xx %s, %s\n",
                label, rps, p99, total, (non2xx == "" ? 0 : non2xx), (sock == "" ? "no socket errors" : sock)
        }' "$work/wrk" | tee -a "$work/summary"
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=""
}
if "$bin" queries | grep -q "^near-central-axis$"; then
    path="/queries/near-central-axis?max_distance=1000"
else
    path="/queries/entities-of-type?type=Project"
fi
phase "cached results"
phase "every request evaluated" --cache-entries 0
echo
cat "$work/summary"
