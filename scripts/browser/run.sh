#!/usr/bin/env bash
# Runs the browser tests: setup (chromium, .venv), then pytest. Non-zero on failure.
# ROUNDTABLE_BIN selects the hub binary (default .build/debug/roundtable); extra
# arguments go to pytest (e.g. scripts/browser/run.sh -k live).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bash "$here/setup.sh"
mkdir -p "$root/test-artifacts"
cd "$root"
exec "$root/.venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir "$here" -c /dev/null "$here" "$@"
