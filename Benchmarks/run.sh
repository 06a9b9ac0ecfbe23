#!/usr/bin/env bash
# The benchmark run (issue 9): builds the hub in release mode, the load client (C) and the
# peers (Go gorilla/websocket, Node ws, Python websockets and picows, the C floor), then runs
# the scenarios side by side and prints the summary. Separate from the test command; about
# 18 minutes on 2 cores (--quick: about 4). Results: Benchmarks/results/<timestamp>.jsonl.
# S1, S2 (and floor) run for every server; S5, S6 for the hub; S3 (votes with tallies), S4
# (500 boards x 10 sockets) and S7 (two instances on PostgreSQL: scripts/postgres.sh starts
# a throw-away server and the run stops it) for the first hub server.
#
#   bash Benchmarks/run.sh [--quick] [--servers hub,go-gorilla,node-ws,py-websockets,py-picows (default); also hub-direct, hub-task]
#                          [--scenarios S1,S2,S3,S4,S5,S6,S7,floor] [--profile]
#   ROUNDTABLE_SCRATCH=/path/to/build bash Benchmarks/run.sh ...   (build there instead of .build)
#   BENCH_HUB_LIVE_CONFLATE_MS=40 bash Benchmarks/run.sh ...        (BENCH_HUB_X=v runs the hub with ROUNDTABLE_X=v)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
bash scripts/ensure-system.sh
echo "== release build of the hub ($(date +%T))" >&2
# ROUNDTABLE_SCRATCH: a build folder other than .build (a warm scratch path shared by worktrees).
scratch="${ROUNDTABLE_SCRATCH:-$root/.build}"
swift build -c release --product roundtable --package-path "$root" --scratch-path "$scratch" >&2
export ROUNDTABLE_BENCH_BIN="$scratch/release/roundtable"
echo "== load client and peers ($(date +%T))" >&2
gcc -O2 -Wall -o "$here/loadclient/rtload" "$here/loadclient/rtload.c"
bash "$here/peers/setup.sh" >&2
command -v taskset >/dev/null || { echo "taskset (util-linux) is needed to pin server and client to different cores" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"   # 5,000 sockets on each side need more than the usual 1,024
echo "== run ($(date +%T)): server on CPU 0, load client and publisher on CPU 1" >&2
exec "$here/.venv/bin/python" "$here/run.py" "$@"
