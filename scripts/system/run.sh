#!/usr/bin/env bash
# System tests against real peers (SMTP sink with STARTTLS, PostgreSQL, nginx) and checks of deploy/. Uses the repo's .venv.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
stamp="$venv/.system-requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt" >&2
    echo "$want" > "$stamp"
fi
cd "$root"
# The PostgreSQL tests need a server: start a throw-away one unless the caller has.
if [ -z "${ROUNDTABLE_TEST_POSTGRES_URL:-}" ]; then
    export "$(bash "$root/scripts/postgres.sh")"
    trap 'bash "$root/scripts/postgres.sh" stop >/dev/null 2>&1 || true' EXIT
fi
"$venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir "$here" -c /dev/null "$here" "$@"
