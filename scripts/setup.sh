#!/usr/bin/env bash
# Installs what govkg's build and tests need and is missing on a fresh Debian machine.
# Sourced by main.sh and test.sh; safe to run again (installs only what is missing).
set -euo pipefail

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/govkg-target}"
mkdir -p "$CARGO_TARGET_DIR"

apt_install() {
    # $@: Debian packages; installed only if one of them is missing.
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "setup: installing ${missing[*]}" >&2
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# RocksDB (oxrocksdb-sys) needs libclang for bindgen and a C++ compiler.
apt_install libclang-dev clang

if ! command -v cargo >/dev/null 2>&1; then
    echo "setup: cargo not found; install Rust (rustup) first" >&2
    exit 1
fi
