#!/usr/bin/env bash
# Scale benchmark: a generated archive of N reports (default 1,000, about 30 MB; see
# benches/gen_archive.py) is built into a fresh store, its N-Quads export is loaded with the
# `oxigraph` CLI (PyPI) for comparison, and `govkg serve` is measured with the result cache
# off: every stored query with the README's parameter values, sequentially (p50, p99), the
# explorer's routes, and near-central-axis under 64 connections with wrk. Loopback only.
# Prints the machine's load before each phase, since figures move with it.
# Usage: bash benches/scale.sh [REPORTS] [REQUESTS_PER_ROUTE] [WRK_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
apt_install time wrk curl
reports="${1:-1000}"
requests="${2:-200}"
seconds="${3:-20}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/govkg"
venv="$CARGO_TARGET_DIR/bench-venv"
[ -x "$venv/bin/oxigraph" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet "oxigraph==0.5.*"; }
work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
load() { echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg))"; }
timed() {
    # $1: label; the rest: the command. Prints wall seconds and peak RSS; keeps stdout in $work/$1.out.
    local label="$1"
    shift
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/$label.rss" "$@" >"$work/$label.out" 2>"$work/$label.err" || { cat "$work/$label.err"; exit 1; }
    end=$(date +%s.%N)
    awk -v l="$label" -v s="$(awk "BEGIN{print $end-$start}")" -v r="$(tail -1 "$work/$label.rss")" \
        'BEGIN{printf "%-16s %8.2f s   peak RSS %6.0f MB\n", l, s, r/1024}' | tee -a "$work/summary"
    awk "BEGIN{print $end-$start}" >"$work/$label.secs"
}

archive="$CARGO_TARGET_DIR/bench-archive-$reports"
if [ ! -f "$archive/.complete" ]; then
    rm -rf "$archive"
    python3 benches/gen_archive.py "$archive" --reports "$reports"
    touch "$archive/.complete"
fi
echo "== archive: $reports reports, $(du -sm --exclude=.complete "$archive" | cut -f1) MB ($archive)"
load
timed extract "$bin" extract "$archive"
load
timed build "$bin" build "$archive" --store "$work/store"
grep -E "^(reports|entities|resolved|triples|seconds)" "$work/build.out"
"$bin" export --format nquads -o "$work/all.nq" --store "$work/store"
echo "n-quads export: $(wc -l <"$work/all.nq") quads, $(du -m "$work/all.nq" | cut -f1) MB"
load
timed oxigraph-load "$venv/bin/oxigraph" load --location "$work/oxigraph" --file "$work/all.nq"
# `oxigraph load` leaves the batches' overlapping files for `oxigraph optimize` ("before a
# read-heavy workload", it says); `govkg build` compacts before it makes a generation live.
timed oxigraph-optimize "$venv/bin/oxigraph" optimize --location "$work/oxigraph"
awk -v b="$(cat "$work/build.secs")" -v o="$(cat "$work/oxigraph-load.secs")" \
    -v p="$(cat "$work/oxigraph-optimize.secs")" \
    'BEGIN{printf "build / oxigraph load = %.2f; build / (oxigraph load + optimize) = %.2f\n", b/o, b/(o+p)}' \
    | tee -a "$work/summary"
rm -rf "$work/oxigraph" "$work/all.nq"

"$bin" serve --store "$work/store" --bind 127.0.0.1:0 --cache-entries 0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 300); do
    grep -q "^listening on " "$work/serve.out" 2>/dev/null && break
    sleep 0.1
done
base="$(sed -n 's/^listening on //p' "$work/serve.out")"
[ -n "$base" ] || { echo "server did not start:"; cat "$work/serve.err"; exit 1; }
case "$base" in http://127.*) ;; *) echo "refusing to benchmark $base (loopback only)"; exit 1 ;; esac
echo "== govkg serve $base, result cache off, $requests sequential requests per route"
load
python3 benches/latency.py "$base" benches/routes.tsv --requests "$requests" | tee -a "$work/summary"
path="/queries/near-central-axis?max_distance=1000"
echo "== wrk: 64 connections, 2 threads, ${seconds}s on $path"
load
wrk -t2 -c64 -d"${seconds}s" --latency --timeout 10s "$base$path" >"$work/wrk"
awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    /requests in/ { total = $1 }
    /Socket errors/ { sock = $0 }
    /Non-2xx or 3xx responses/ { non2xx = $NF }
    END {
        printf "near-central-axis under load: %s requests/s, p50 %s, p99 %s, %s requests, non-2xx %s, %s\n",
            rps, p50, p99, total, (non2xx == "" ? 0 : non2xx), (sock == "" ? "no socket errors" : sock)
    }' "$work/wrk" | tee -a "$work/summary"
echo
echo "== summary ($reports reports)"
cat "$work/summary"
