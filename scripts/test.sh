#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and integration tests (with Graphviz and a
# SHACL validator installed for the checks that use them).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
apt_install graphviz
python3 -c "import pyshacl" 2>/dev/null || python3 -m pip install --quiet pyshacl
# govkg serve: a third-party SPARQL client, and headless Chromium (with CJK fonts) driven by
# playwright-core for the explorer (tests/serve.rs).
python3 -c "import SPARQLWrapper" 2>/dev/null || python3 -m pip install --quiet SPARQLWrapper
apt_install chromium fonts-noto-cjk nodejs
command -v npm >/dev/null 2>&1 || apt_install npm
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
cargo fmt --check
cargo clippy --release --all-targets --quiet -- -D warnings
cargo test --release
