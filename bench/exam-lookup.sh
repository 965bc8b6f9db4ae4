#!/usr/bin/env bash
# Exam lookup benchmark (issue 6), end to end: loads a session of N candidates
# (default 1.000.000, nine subjects; the file of bench/exam.sh's generator) into a
# release server through the CLI (`eduportal exam import`, timed), then measures in one
# run with wrk:
#   1. the JSON lookup /tra-cuu-diem-thi.json with a random candidate number per
#      request (a wrk Lua script), rate limit off ([exams] lookups_per_minute = 0),
#   2. nginx serving a small static file of about the same size as one answer,
# and the server's memory (VmRSS and VmHWM from /proc/PID/status) with the session
# loaded. Installs wrk and nginx from Debian when missing.
# Usage: bash bench/exam-lookup.sh [count, default 1000000] [seconds per run, default 10] [connections, default 64]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-1000000}"
DURATION="${2:-10}"
CONNECTIONS="${3:-64}"
THREADS=2
DATA="bench/out/exam"
TARGET="${CARGO_TARGET_DIR:-target}"
case "$TARGET" in /*) ;; *) TARGET="$PWD/$TARGET" ;; esac

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

cargo build --release --locked -p exam --example exam-gen
cargo build --release --locked --bin eduportal
BIN="$TARGET/release/eduportal"
if [ ! -f "$DATA/ket-qua.csv" ] || [ "$(cat "$DATA/count" 2>/dev/null)" != "$COUNT" ]; then
  "$TARGET/release/examples/exam-gen" "$DATA" "$COUNT"
  echo "$COUNT" > "$DATA/count"
fi
CSV="$PWD/$DATA/ket-qua.csv"

work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cat >"$work/eduportal.toml" <<TOML
[demo]
load = false
[exams]
lookups_per_minute = 0
[log]
filter = "warn,web::exams=info"
TOML

start_portal() { # $1 = port
  ( cd "$work" && exec "$BIN" serve --listen "127.0.0.1:$1" >"$work/portal.log" 2>&1 ) &
  pid=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "portal did not start:"; cat "$work/portal.log"; exit 1
}

# A first start makes the database and the default site; the import runs with no
# server up, as on an office's machine before results day.
PORT=$(free_port)
start_portal "$PORT"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
( cd "$work" && "$BIN" exam create --site mac-dinh --name "Kỳ thi tốt nghiệp THPT (bench)" \
    --school-year 2026-2027 --kind tot-nghiep-thpt --rule sbd --publish-at "01/01/2026 08:00" )
echo "import of $COUNT candidates through the CLI (read, check, write to SQLite):"
start=$(date +%s.%N)
( cd "$work" && "$BIN" exam import "$CSV" --session 1 --yes >"$work/import.log" ) 2> >(tr '\r' '\n' | grep -v '^Đang ghi' >&2)
end=$(date +%s.%N)
tail -n 1 "$work/import.log"
IMPORT_S=$(python3 -c "print(f'{$end - $start:.1f}')")
echo "import took ${IMPORT_S} s in all; database $(du -h "$work/data/eduportal.db" | cut -f1)"

start_portal "$PORT"
grep -h "exam session loaded" "$work/portal.log" | sed 's/.*INFO //' || true
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")

LOOKUP="http://127.0.0.1:$PORT/tra-cuu-diem-thi.json?ky-thi=1&sbd=01000042"
curl -fs "$LOOKUP" -o "$work/answer.json"
BYTES=$(stat -c %s "$work/answer.json")
mkdir -p "$work/www" "$work/tmp"
cp "$work/answer.json" "$work/www/answer.json"
# nginx's workers may run as another user (started as root): let them read the file.
chmod 755 "$work" "$work/www"; chmod 644 "$work/www/answer.json"

cat >"$work/random.lua" <<LUA
-- A random candidate number of the session per request.
math.randomseed(os.time())
request = function()
  local sbd = string.format("%08d", 1000000 + math.random(0, $COUNT - 1))
  return wrk.format("GET", "/tra-cuu-diem-thi.json?ky-thi=1&sbd=" .. sbd)
end
LUA
# The same client work for nginx: the same script, the file's path in front of the
# query (nginx ignores the query).
sed 's|"/tra-cuu-diem-thi.json?|"/answer.json?|' "$work/random.lua" >"$work/random-nginx.lua"

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
  types { application/json json; }
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$NPORT;
    root $work/www;
  }
}
NGINX
"$NGINX" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$NPORT/answer.json" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$NPORT/answer.json" >/dev/null || { echo "nginx does not serve the file:"; cat "$work/nginx-error.log"; exit 1; }

run_wrk() { # $1 = label, $2 = url, $3 = optional Lua script
  local out rps
  if [ -n "${3:-}" ]; then
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$3" "$2")
  else
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2")
  fi
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%-40s %12s req/s   p50 %-8s p99 %-8s%s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:+  non-2xx: $non2xx}"
  printf '%s' "$rps" >"$work/rps-$(printf '%s' "$1" | tr -c 'a-z0-9' '_')"
}

echo "exam lookup benchmark: $COUNT candidates, ${DURATION}s per run, $CONNECTIONS connections, $THREADS wrk threads, $(nproc) cores"
echo "one answer: $BYTES bytes of JSON"
echo "server memory with the session loaded: VmRSS $((rss / 1024)) MB (peak VmHWM $((hwm / 1024)) MB)"
# Turns, three rounds, medians compared: one run of either swings on this machine.
for round in 1 2 3; do
  run_wrk "eduportal, json lookup, random sbd #$round" "http://127.0.0.1:$PORT/" "$work/random.lua"
  run_wrk "nginx, static file of one answer #$round" "http://127.0.0.1:$NPORT/answer.json"
  run_wrk "nginx, same file, same script #$round" "http://127.0.0.1:$NPORT/" "$work/random-nginx.lua"
done
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
echo "server memory after the runs: VmRSS $((rss / 1024)) MB"

python3 - "$work" <<'PY'
import glob, statistics, sys
def median(prefix):
    return statistics.median(float(open(f).read()) for f in glob.glob(f"{sys.argv[1]}/rps-{prefix}__*"))
ours, nginx = median("eduportal__json_lookup__random_sbd"), median("nginx__static_file_of_one_answer")
scripted = median("nginx__same_file__same_script")
print(f"medians: lookup {ours:,.0f} req/s, nginx {nginx:,.0f} req/s, nginx with the lookup's wrk script {scripted:,.0f} req/s")
print(f"lookup / nginx = {ours / nginx:.2f}; with the same client work (script) on both: {ours / scripted:.2f} (goal 0.90 or better)")
PY
