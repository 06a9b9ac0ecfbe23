#!/usr/bin/env bash
# Installs and builds the benchmark peers (test fixtures, not the product). Idempotent.
# Usage: bash Benchmarks/peers/setup.sh
set -euo pipefail
PEERS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$PEERS/../.venv"

apt_pkgs=(gcc golang-go golang-github-gorilla-websocket-dev node-ws python3-venv)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r "$PEERS/requirements.txt"

mkdir -p "$PEERS/bin"
( cd "$PEERS" &&
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="${GOCACHE:-$PEERS/bin/.gocache}" \
    go build -o bin/peer-go broadcast.go )
gcc -O2 -Wall -o "$PEERS/bin/floor" "$PEERS/floor.c"
echo "peers ready: $PEERS/bin/peer-go $PEERS/bin/floor, venv $VENV"
