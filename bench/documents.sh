#!/usr/bin/env bash
# Documents benchmark (issue 14). On a release server with its page cache off
# (every request renders afresh) over SQLite holding N documents (default 50.000,
# made by bench/documents/gen.py: the site's lists, fields, replacements, one PDF
# each), measures with wrk:
#   1. /van-ban filtered lists (type; type + validity; year + field; words; words
#      + type, answered by the search index alone; words + type + validity, whose
#      validity the database checks on the index's matches; digits of a number;
#      a deep page), p99 of a list rendered afresh (goal: under 10 ms), twice:
#      with the data memo on (the default: a list's count and the site's lists
#      kept per content version, the page of rows read every time) and off
#      ([cache] data = false: every request counts again, the worst case),
#   2. an attachment (a 200 KB PDF) with a Range request, from eduportal's download
#      route and from nginx serving the same file, three rounds each, taken in
#      turns (goal: the medians within 0.9× of nginx).
# The first start indexes the documents for search (the words filter reads the
# index): a minute or so for 50.000.
# Installs wrk and nginx from Debian when missing; builds the release binary.
# Usage: bash bench/documents.sh [count, default 50000] [seconds per run, default 10] [connections, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-50000}"
DURATION="${2:-10}"
CONNECTIONS="${3:-8}"
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

cat >"$work/eduportal.toml" <<TOML
[demo]
load = false
TOML
( cd "$work" && "$BIN" init --name "Sở Giáo dục và Đào tạo tỉnh Bình An" --host 127.0.0.1 >/dev/null )
python3 bench/documents/gen.py "$work/data/eduportal.db" "$work/data/media" "$COUNT"

# serve DATA_MEMO: the server on a fresh port (BASE), its data memo on or off.
serve() {
  PORT=$(free_port)
  ( cd "$work" && EDUPORTAL_CACHE__ENABLED=false EDUPORTAL_CACHE__DATA="$1" EDUPORTAL_LOG=warn exec \
      "$BIN" serve --listen "127.0.0.1:$PORT" >>"$work/portal.log" 2>&1 ) &
  SERVER=$!
  pids+=("$SERVER")
  # Ready when the search index holds every document (the words filter reads it).
  for _ in $(seq 1 1200); do
    curl -fs "http://127.0.0.1:$PORT/healthz" 2>/dev/null | grep -q '"pending":0' && break
    sleep 0.5
  done
  BASE="http://127.0.0.1:$PORT"
  # Warm up (each of the pool's connections prepares its statements once).
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$BASE/van-ban?q=day%20them&loai=3" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$BASE/van-ban?loai=3&tinh-trang=con-hieu-luc" >/dev/null
}

lists() {
  run_wrk "list, no filter" "$BASE/van-ban"
  run_wrk "list, type" "$BASE/van-ban?loai=3"
  run_wrk "list, type + in force" "$BASE/van-ban?loai=3&tinh-trang=con-hieu-luc"
  run_wrk "list, year + field" "$BASE/van-ban?nam=2015&linh-vuc=19"
  run_wrk "list, words" "$BASE/van-ban?q=day%20them"
  run_wrk "list, words + type" "$BASE/van-ban?q=day%20them&loai=3"
  run_wrk "list, words + type + in force" "$BASE/van-ban?q=day%20them&loai=3&tinh-trang=con-hieu-luc"
  run_wrk "list, number digits" "$BASE/van-ban?q=152010"
  run_wrk "list, page 100 by posting" "$BASE/van-ban?sap-xep=ngay-dang&trang=100"
}

serve false
echo "== /van-ban rendered afresh, $COUNT documents, $CONNECTIONS connections, data memo off (counted every time)"
lists
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
serve true
echo "== /van-ban rendered afresh, $COUNT documents, $CONNECTIONS connections, data memo on (the default)"
lists

echo "== attachment with Range (bytes=0-65535)"
SLUG=$(curl -fs "$BASE/van-ban" | grep -o 'href="/van-ban/[^"/?.]*"' | head -1 | sed 's/href="//; s/"$//')
FILE=$(curl -fs "$BASE$SLUG" | grep -o "href=\"$SLUG/tep/[0-9]*\"" | head -1 | sed 's/href="//; s/"$//')
mkdir -p "$work/www"
cp "$work/data/media/tai-len/bench/van-ban.pdf" "$work/www/van-ban.pdf"
NPORT=$(free_port)
start_nginx "$NPORT" "$work/www"
for round in 1 2 3; do
  run_wrk "eduportal download, Range, round $round" "$BASE$FILE" -H "Range: bytes=0-65535"
  run_wrk "nginx, same file, Range, round $round" "http://127.0.0.1:$NPORT/van-ban.pdf" -H "Range: bytes=0-65535"
done
PORTAL=$(median_rps "eduportal download")
NGINX_RPS=$(median_rps "nginx, same file")
python3 -c "print(f'medians: eduportal {$PORTAL} req/s, nginx {$NGINX_RPS} req/s; eduportal / nginx: {$PORTAL / $NGINX_RPS:.2f}×')"
