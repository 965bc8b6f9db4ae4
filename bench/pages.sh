#!/usr/bin/env bash
# Page-serving benchmark (issue 3): in one run on this machine, measures with wrk
#   1. an article page from eduportal's page cache,
#   2. the very same bytes served as a static file by nginx,
#   3. the article page with the page cache disabled: every request runs the
#      handler and renders the template (data memoised per content version),
#   4. the same with the data memo disabled too: every request also reads the
#      database (SQLite).
# Installs wrk and nginx from Debian when missing; builds the release binary.
# Usage: bash bench/pages.sh [seconds per run, default 10] [connections, default 64]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
CONNECTIONS="${2:-64}"
THREADS=2

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_tools
bench_build

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_nginx
  rm -rf "$work"
}
trap cleanup EXIT

start_portal() { # $1 = port, $2 = page cache (true/false), $3 = data memo (true/false)
  # exec: the pid kept below is the server itself, so the cleanup stops it.
  ( cd "$work" && EDUPORTAL_CACHE__ENABLED="$2" EDUPORTAL_CACHE__DATA="${3:-true}" EDUPORTAL_LOG=warn exec \
      "$BIN" serve --listen "127.0.0.1:$1" >"$work/portal-$1.log" 2>&1 ) &
  pids+=($!)
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "portal did not start:"; cat "$work/portal-$1.log"; exit 1
}

PORT=$(free_port)
start_portal "$PORT" true
ARTICLE=$(curl -fs "http://127.0.0.1:$PORT/tin-tuc/tin-giao-duc" | grep -o 'class="card-title"><a href="[^"]*"' | head -1 | sed 's/.*href="//; s/"$//')
URL="http://127.0.0.1:$PORT$ARTICLE"
mkdir -p "$work/www"
curl -fs "$URL" -o "$work/www/article.html"
BYTES=$(stat -c %s "$work/www/article.html")

NPORT=$(free_port)
start_nginx "$NPORT" "$work/www"
# Both must answer 200 with the same bytes, or the comparison means nothing.
got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$NPORT/article.html")
[ "$got" = "200 $BYTES" ] || { echo "nginx answered '$got', not '200 $BYTES'"; exit 1; }
got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$URL")
[ "$got" = "200 $BYTES" ] || { echo "eduportal answered '$got', not '200 $BYTES'"; exit 1; }

echo "eduportal page benchmark: ${DURATION}s per run, $CONNECTIONS connections, $THREADS wrk threads, $(nproc) cores"
echo "article: $ARTICLE ($BYTES bytes, no compression asked)"
curl -fs "$URL" >/dev/null   # warm the cache
# The two are run in turns, three rounds, and the medians compared: one run of
# either swings by 20 % or more on this machine.
for round in 1 2 3; do
  run_wrk "eduportal, page cache #$round" "$URL"
  run_wrk "nginx, same bytes as static file #$round" "http://127.0.0.1:$NPORT/article.html"
done
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true

UPORT=$(free_port)
start_portal "$UPORT" false true
run_wrk "eduportal, page cache off" "http://127.0.0.1:$UPORT$ARTICLE"
kill "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true

DPORT=$(free_port)
start_portal "$DPORT" false false
run_wrk "eduportal, page cache and memo off" "http://127.0.0.1:$DPORT$ARTICLE"

cached=$(median_rps "eduportal, page cache #")
nginx=$(median_rps "nginx, same bytes as static file #")
echo "medians: page cache $cached req/s, nginx $nginx req/s"
python3 -c "import sys; print(f'cached / nginx = {int(sys.argv[1]) / int(sys.argv[2]):.2f} (goal 0.90 or better)')" "$cached" "$nginx"
