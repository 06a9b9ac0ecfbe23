#!/usr/bin/env bash
# Installs the Debian packages the hub needs to build and run, when they are missing.
# Idempotent; used by demo.sh and test.sh (and so by CI on a fresh machine).
set -euo pipefail

missing=()
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
# QR codes for feedback panels (Sources/CQRencode, a system-library target).
[ -f /usr/include/qrencode.h ] || missing+=(libqrencode-dev)
if [ "${1:-}" = "--tests" ]; then
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    python3 -c 'import venv' 2>/dev/null || missing+=(python3-venv)
    # The load balancer of the failover and deploy system tests (scripts/system/test_failover.py).
    [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
    # pdftotext and pdfinfo check the dossier PDF (Tests/HubAppTests/DossierTests.swift, scripts/system/test_dossier.py).
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    # zbarimg decodes the feedback panels' QR codes (scripts/system/test_panel_qr.py).
    command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
    # libfiu's fiu-run/fiu-ctrl inject write and fsync failures (scripts/system/test_faults.py).
    command -v fiu-run >/dev/null 2>&1 || missing+=(fiu-utils)
    # ss shows the hub's listen backlog (scripts/system/test_ws_fuzz.py, reconnect storms).
    command -v ss >/dev/null 2>&1 || missing+=(iproute2)
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "ensure-system: installing ${missing[*]}" >&2
    as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q >&2
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
command -v swift >/dev/null 2>&1 || { echo "ensure-system: swift is not on PATH (expected /opt/swift/usr/bin)" >&2; exit 1; }
