#!/usr/bin/env bash
# Benchmark of `govkg build`: the bundled reports replicated to at least $MB megabytes
# (default 20), built into a fresh store. Prints MB/s and peak memory (RSS).
# Usage: bash benches/build.sh [MB]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
apt_install time
target_mb="${1:-20}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/govkg"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/reports"
bytes=0
copy=0
while [ "$bytes" -lt $((target_mb * 1024 * 1024)) ]; do
    copy=$((copy + 1))
    for f in reports/*.txt; do
        cp "$f" "$work/reports/c${copy}_$(basename "$f")"
        bytes=$((bytes + $(stat -c %s "$f")))
    done
done
files=$(ls "$work/reports" | wc -l)
echo "input: $files files, $(awk "BEGIN{printf \"%.1f\", $bytes/1048576}") MB"
for phase in extract build; do
    if [ "$phase" = extract ]; then
        cmd=("$bin" extract "$work/reports")
    else
        cmd=("$bin" build "$work/reports" --store "$work/store")
    fi
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/rss" "${cmd[@]}" >"$work/out" 2>"$work/err" || { cat "$work/err"; exit 1; }
    end=$(date +%s.%N)
    secs=$(awk "BEGIN{print $end-$start}")
    rss=$(tail -1 "$work/rss")
    awk -v p="$phase" -v b="$bytes" -v s="$secs" -v r="$rss" \
        'BEGIN{printf "%-8s %6.2f s  %6.2f MB/s  peak RSS %.0f MB\n", p, s, b/1048576/s, r/1024}'
done
grep -E "^(entities|triples|seconds)" "$work/out" || true
