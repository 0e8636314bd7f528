#!/usr/bin/env bash
# The main job: build govkg, build the knowledge graph of reports/ into an embedded store,
# and write the Turtle export and the DOT graph to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/govkg"
store="${GOVKG_STORE:-govkg-store}"
mkdir -p out
"$bin" build reports --store "$store"
"$bin" query reports --store "$store"
"$bin" export --format turtle -o out/govkg.ttl --store "$store"
"$bin" dot -o out/govkg.dot --store "$store"
echo "wrote out/govkg.ttl and out/govkg.dot; try: $bin queries"
