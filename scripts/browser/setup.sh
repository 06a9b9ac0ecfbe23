#!/usr/bin/env bash
# Prepares the browser test harness: Debian's chromium and a venv at .venv/ (repo root).
# Idempotent; safe to run repeatedly. Never downloads a browser build of its own.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ ! -x /usr/bin/chromium ]; then
    echo "setup: installing Debian's chromium" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        as_root apt-get update -q
    fi
    as_root apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >&2
fi

venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
    echo "setup: creating $venv" >&2
    python3 -m venv "$venv"
fi

stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt" >&2
    echo "$want" > "$stamp"
fi

echo "setup: ready ($("$venv/bin/python" -c 'import playwright, pytest; print("pytest", pytest.__version__)'), $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium ?'))" >&2
