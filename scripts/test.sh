#!/usr/bin/env bash
# Runs every test: Swift unit, contract, HTTP and WebSocket tests (swift test), the web
# client's unit tests (node --test) and the browser tests in headless Chromium.
# Installs what it needs (Debian packages, a Python venv in .venv). Non-zero on failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-system.sh --tests

step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }

step "build (import direction checked: a target may import only what it declares)"
swift build --build-tests --explicit-target-dependency-import-check error

step "PostgreSQL for the store contract suite (throw-away server on loopback)"
export "$(bash scripts/postgres.sh)"
trap 'bash scripts/postgres.sh stop >/dev/null 2>&1 || true' EXIT

step "swift test (store contract on SQLite and PostgreSQL)"
swift test --skip-build

step "web client unit tests (node --test)"
node --test Web/tests/

step "browser tests (headless Chromium, axe-core)"
ROUNDTABLE_BIN="$root/.build/debug/roundtable" bash scripts/browser/run.sh

step "system tests (real peers: SMTP sink with STARTTLS and AUTH)"
ROUNDTABLE_BIN="$root/.build/debug/roundtable" bash scripts/system/run.sh
