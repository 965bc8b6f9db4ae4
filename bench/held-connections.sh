#!/usr/bin/env bash
# Held and slow connections (issue 10, item 6): 5.000 connections from one address
# that send half a request head and drip a byte now and then, while a visitor from
# another loopback address loads the home page; prints the visitor's latencies.
# Runs twice: with the default limits (256 connections per address), and with the
# per-address limit off, where only the time limits keep the server free.
# Builds the release binary. Usage: bash bench/held-connections.sh [held] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
HELD="${1:-5000}"
SECONDS_RUN="${2:-20}"

cargo build --release --locked --bin eduportal
TARGET="${CARGO_TARGET_DIR:-target}"
case "$TARGET" in /*) ;; *) TARGET="$PWD/$TARGET" ;; esac
BIN="$TARGET/release/eduportal"

work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ulimit -n "$(ulimit -Hn)"

run() { # $1 = label, $2 = per-address limit
  local port
  port=$(free_port)
  ( cd "$work" && EDUPORTAL_SERVER__MAX_CONNECTIONS_PER_ADDRESS="$2" EDUPORTAL_LOG=warn exec \
      "$BIN" serve --listen "127.0.0.1:$port" >"$work/portal.log" 2>&1 ) &
  pid=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  curl -fs "http://127.0.0.1:$port/" >/dev/null
  echo "== $1"
  python3 bench/held/attack.py "$port" "$HELD" "$SECONDS_RUN" /
  echo "server: $(grep -c . "$work/portal.log" || true) log lines, RSS $(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

run "default limits (256 connections per address)" 256
run "no per-address limit (time limits only)" 0
