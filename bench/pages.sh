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

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

cargo build --release --locked --bin eduportal
TARGET="${CARGO_TARGET_DIR:-target}"
case "$TARGET" in /*) ;; *) TARGET="$PWD/$TARGET" ;; esac
BIN="$TARGET/release/eduportal"

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_portal() { # $1 = port, $2 = page cache (true/false), $3 = data memo (true/false)
  # exec: the pid kept below is the server itself, so the cleanup stops it.
  ( cd "$work" && EDUPORTAL_CACHE__ENABLED="$2" EDUPORTAL_CACHE__DATA="${3:-true}" EDUPORTAL_LOG=warn exec \
      "$BIN" serve --listen "127.0.0.1:$1" >"$work/portal-$1.log" 2>&1 ) &
  pids+=($!)
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "portal did not start:"; cat "$work/portal-$1.log"; exit 1
}

run_wrk() { # $1 = label, $2 = url
  local out rps
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-34s %12s req/s   p50 %-8s p99 %-8s\n' "$1" "$rps" "$p50" "$p99"
  printf '%s' "$rps" >"$work/rps-$(printf '%s' "$1" | tr -c 'a-z0-9' '_')"
}

PORT=$(free_port)
start_portal "$PORT" true
ARTICLE=$(curl -fs "http://127.0.0.1:$PORT/tin-tuc/tin-giao-duc" | grep -o 'class="card-title"><a href="[^"]*"' | head -1 | sed 's/.*href="//; s/"$//')
URL="http://127.0.0.1:$PORT$ARTICLE"
mkdir -p "$work/www"
curl -fs "$URL" -o "$work/www/article.html"
BYTES=$(stat -c %s "$work/www/article.html")
# nginx's workers may run as another user (when started as root): let them read it.
chmod 755 "$work" "$work/www"; chmod 644 "$work/www/article.html"

NPORT=$(free_port)
cat >"$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { text/html html; }
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$NPORT;
    root $work/www;
    etag on;
  }
}
NGINX
mkdir -p "$work/tmp"
"$NGINX" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$NPORT/article.html" >/dev/null && break; sleep 0.1; done
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

python3 - "$work" <<'PY'
import glob, statistics, sys
def median(prefix):
    return statistics.median(float(open(f).read()) for f in glob.glob(f"{sys.argv[1]}/rps-{prefix}__*"))
cached, nginx = median("eduportal__page_cache"), median("nginx__same_bytes_as_static_file")
print(f"medians: page cache {cached:,.0f} req/s, nginx {nginx:,.0f} req/s")
print(f"cached / nginx = {cached / nginx:.2f} (goal 0.90 or better)")
PY
