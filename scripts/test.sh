#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and integration tests (with Graphviz and a
# SHACL validator installed for the checks that use them).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
apt_install graphviz
python3 -c "import pyshacl" 2>/dev/null || python3 -m pip install --quiet pyshacl
cargo fmt --check
cargo clippy --release --all-targets --quiet -- -D warnings
cargo test --release
