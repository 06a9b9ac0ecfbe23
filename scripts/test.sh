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

step "the README's demo command starts and serves (scripts/demo.sh)"
demo_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
demo_dir=$(mktemp -d)
rm -rf data/demo   # a fresh demo data set, as on a new machine
bash scripts/demo.sh --port "$demo_port" > "$demo_dir/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$demo_port/readyz" >/dev/null 2>&1 && break
    kill -0 "$demo_pid" 2>/dev/null || { cat "$demo_dir/demo.log"; echo "demo.sh exited early" >&2; exit 1; }
    sleep 1
done
curl -fs "http://127.0.0.1:$demo_port/" | grep -q "<html" || { cat "$demo_dir/demo.log"; echo "demo.sh does not serve the web front end" >&2; exit 1; }
curl -fs "http://127.0.0.1:$demo_port/api/v1/policy-fields" | grep -q "Wohnen" || { echo "demo data missing" >&2; exit 1; }
kill "$demo_pid"; wait "$demo_pid" 2>/dev/null || true
echo "demo: served the front end and the demo data on port $demo_port"

# The PostgreSQL server started above is still up (ROUNDTABLE_TEST_POSTGRES_URL), so run.sh uses it.
step "system tests (SMTP sink; PostgreSQL with two instances; nginx failover; backup, restore and copy; deploy/ checks)"
ROUNDTABLE_BIN="$root/.build/debug/roundtable" bash scripts/system/run.sh
