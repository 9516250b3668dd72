#!/usr/bin/env bash
# Installs everything `make demo` and `make test` need, idempotently: each step checks
# first and is skipped (quickly) when its tool is already there at the pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."

BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=…"` pin in Cargo.toml

log() { printf '[setup] %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $BINDGEN_VERSION (about 2 minutes)"
  # no --locked: with it the install fails on these machines (measured)
  cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION" --force
fi

# npm packages (binaryen's wasm-opt, esbuild, typescript, playwright-core, the official
# SDK as the peer client in tests). `npm ci` only when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund
fi

if [ "${SETUP_BROWSER:-1}" = 1 ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  log "installing Debian chromium + chromium-driver (browser tests)"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
log "ok"
