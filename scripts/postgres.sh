#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the store contract tests (HubStoreTests).
#
#   scripts/postgres.sh [start]   start it (or find it running) and print
#                                 ROUNDTABLE_TEST_POSTGRES_URL=postgres://roundtable@127.0.0.1:PORT/roundtable
#   scripts/postgres.sh stop      stop it and delete its data
#
# Use:  export "$(scripts/postgres.sh)"; swift test --filter HubStoreTests; scripts/postgres.sh stop
#
# The server runs from Debian's packages (/usr/lib/postgresql/15/bin; `apt-get install -y postgresql`
# when missing) as an unprivileged user (`postgres` when started by root, as CI does; otherwise the
# caller), listens on 127.0.0.1 only, on a free port, with trust authentication on loopback (tests
# only) and fsync on. Its data lives in ROUNDTABLE_PG_DIR (default /tmp/roundtable-postgres-<uid>).
# Running `start` again while the server is up prints the same URL; nothing else is printed to
# standard output, so the line can be exported directly.
set -euo pipefail

BIN=${ROUNDTABLE_PG_BIN:-/usr/lib/postgresql/15/bin}
# One server per checkout, so two clones on one machine do not share (or stop) each other's.
CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd | sha256sum | cut -c1-8)
DIR=${ROUNDTABLE_PG_DIR:-${TMPDIR:-/tmp}/roundtable-postgres-$(id -u)-$CHECKOUT}
DATA="$DIR/data"
ROLE=roundtable
DATABASE=roundtable

log() { echo "postgres.sh: $*" >&2; }

# Who runs the server: never root (PostgreSQL refuses to).
if [ "$(id -u)" = 0 ]; then
    RUN_USER=postgres
    as_user() { runuser -u "$RUN_USER" -- "$@"; }
else
    RUN_USER=$(id -un)
    as_user() { "$@"; }
fi

ensure_installed() {
    [ -x "$BIN/postgres" ] && [ -x "$BIN/initdb" ] && return
    [ "$(id -u)" = 0 ] || { log "PostgreSQL 15 is missing in $BIN and installing it needs root"; exit 1; }
    log "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; }
    [ -x "$BIN/postgres" ] || { log "no PostgreSQL binaries in $BIN after installing"; exit 1; }
}

ensure_user() {
    [ "$(id -u)" = 0 ] || return 0
    id -u "$RUN_USER" >/dev/null 2>&1 && return
    useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_USER"
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    log "no free port found"
    exit 1
}

pg_ctl_says_running() {
    [ -f "$DATA/PG_VERSION" ] && (cd / && as_user "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1)
}

# Up and answering on its port (a server killed hard can still look alive to pg_ctl for a moment).
running() {
    pg_ctl_says_running && [ -f "$DIR/port" ] && "$BIN/pg_isready" -q -h 127.0.0.1 -p "$(cat "$DIR/port")" -t 3
}

psql_admin() {
    (cd / && as_user "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres "$@")
}

print_url() {
    echo "ROUNDTABLE_TEST_POSTGRES_URL=postgres://$ROLE@127.0.0.1:$PORT/$DATABASE"
}

start() {
    ensure_installed
    ensure_user
    if running; then
        PORT=$(cat "$DIR/port")
        print_url
        return
    fi
    if pg_ctl_says_running; then
        log "found a server that does not answer; stopping it"
        (cd / && as_user "$BIN/pg_ctl" -D "$DATA" -m immediate -w -t 10 stop >/dev/null 2>&1) || true
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        rm -rf "$DIR"
        mkdir -p "$DIR"
        chmod 700 "$DIR"
        [ "$(id -u)" = 0 ] && chown "$RUN_USER": "$DIR"
        # C.UTF-8: byte-order collation and Unicode-aware lower(); see Sources/HubStorePostgres.
        (cd / && as_user "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
            --no-instructions >"$DIR/initdb.log" 2>&1) || { cat "$DIR/initdb.log" >&2; exit 1; }
    fi
    PORT=$(free_port)
    echo "$PORT" >"$DIR/port"
    # Loopback TCP only; the Unix socket stays inside the data folder. fsync stays on (the default),
    # so the tests see real durability costs. Enough connections for the suite's parallel stores.
    (cd / && as_user "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 30 start -o \
        "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c fsync=on -c max_connections=400 -c shared_buffers=64MB" \
        >/dev/null) || { tail -n 30 "$DIR/server.log" >&2; exit 1; }
    psql_admin <<SQL
SELECT 'CREATE ROLE $ROLE LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') \gexec
SELECT 'CREATE DATABASE $DATABASE OWNER $ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DATABASE') \gexec
SQL
    log "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, data in $DATA"
    print_url
}

stop() {
    if pg_ctl_says_running; then
        (cd / && as_user "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null)
    fi
    rm -rf "$DIR"
    log "stopped"
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
