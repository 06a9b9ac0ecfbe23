#!/usr/bin/env bash
# Runs the hub on the embedded SQLite store with the demo data set at http://127.0.0.1:8080
# (data in ./data/demo; delete that folder to start over). Extra arguments go to
# `roundtable serve`, e.g. --port 9000.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-system.sh
swift build --product roundtable
ROUNDTABLE_LOG_FORMAT="${ROUNDTABLE_LOG_FORMAT:-text}" exec .build/debug/roundtable serve --demo --data-dir data/demo "$@"
