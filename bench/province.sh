#!/usr/bin/env bash
# Province scale benchmark (issue 13): a province of 1,000 school sites and
# 200,000 articles on SQLite, served by the release binary. Measures
#   1. cold start: `eduportal serve` spawned → first 200 from /healthz, then from
#      the department's home (median of three starts);
#   2. idle RSS (VmRSS) 10 s after start and after the home page was served
#      once, with the most seen meanwhile, and the CPU the idle server used;
#   3. the department's home from the page cache with wrk, against nginx serving
#      the same bytes (same Host and Accept-Encoding; three rounds, medians);
#   4. the same page rendered afresh (a second server with the page cache off);
#   5. the back office's unit list /quan-tri/don-vi?trang=N, every page in turn,
#      p99 latency signed in as the super-administrator;
#   6. `eduportal site add` while the server runs: seconds until the new host
#      answers with the new site.
# and prints one table. The province is built once into bench/out/province/base
# (init, `unit import` of a generated sheet, articles written straight into the
# database by bench/province/gen.py, `reindex`) and copied for every run; it is
# built again when the generator or the migrations change, or with BENCH_FRESH=1.
#
# Usage: bash bench/province.sh [seconds per wrk run, default 10] [connections, default 64]
#   BENCH_ACCEPT_ENCODING  what the page runs ask for (default a browser's "gzip, deflate, br")
#   BENCH_ADMIN_CONNECTIONS  connections of the back-office run (default 8)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
CONNECTIONS="${2:-64}"
THREADS=2
ADMIN_CONNECTIONS="${BENCH_ADMIN_CONNECTIONS:-8}"
ENCODING="${BENCH_ACCEPT_ENCODING:-gzip, deflate, br}"
# A site added from the command line shows within one background round.
FLUSH="${EDUPORTAL_COUNTERS__FLUSH_SECONDS:-5}"
DEPT_NAME="Sở Giáo dục và Đào tạo tỉnh Bench"
DEPT_HOST=so.bench.localhost
NEW_NAME="Trường THPT Hòa Bình Mới"
NEW_HOST=new.bench.localhost
export EDUPORTAL_LOG=warn

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_tools
bench_build
export BIN
GEN="$PWD/bench/province/gen.py"
MEASURE="$PWD/bench/province/measure.py"
OUT="$PWD/bench/out/province"
BASE="$OUT/base"
RUN="$OUT/run"

now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }

# ------------------------------------------------------------ the province
stamp=$({ cat bench/province/gen.py; grep -v '^#' bench/search/words.txt; cat crates/store/migrations/sqlite/*.sql; } | sha256sum | cut -c1-16)
if [ "${BENCH_FRESH:-0}" = 1 ] || [ "$(cat "$BASE/ready" 2>/dev/null)" != "$stamp" ]; then
  echo "Building the province in $BASE …"
  rm -rf "$BASE"
  mkdir -p "$BASE"
  (
    cd "$BASE"
    t=$(now)
    "$BIN" init --name "$DEPT_NAME" --host "$DEPT_HOST" >init.txt
    grep -o 'mật khẩu: [^ ]*' init.txt | sed 's/.*: //' >password
    python3 "$GEN" units units.csv
    "$BIN" unit import units.csv
    echo "units=$(since "$t")" >setup
    t=$(now)
    python3 "$GEN" articles data/eduportal.db
    echo "articles=$(since "$t")" >>setup
    # The index must be built before serving: a first start with no index
    # builds it before it listens (web::search::install).
    t=$(now)
    "$BIN" reindex >reindex.log 2>&1 || { tail reindex.log; exit 1; }
    tail -1 reindex.log
    echo "reindex=$(since "$t")" >>setup
  )
  echo "$stamp" >"$BASE/ready"
fi
# shellcheck disable=SC1091
. "$BASE/setup"
PASSWORD=$(cat "$BASE/password")

rm -rf "$RUN"
mkdir -p "$RUN"
cp -a "$BASE/data" "$RUN/"
cd "$RUN"

work=$(mktemp -d)
running=() # servers started and not stopped yet
stop_server() { # they are not this shell's children: wait for the pid to go
  local p left=()
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  for p in "${running[@]}"; do [ "$p" = "$1" ] || left+=("$p"); done
  running=("${left[@]}")
}
cleanup() {
  for p in "${running[@]}"; do stop_server "$p"; done
  stop_nginx
  rm -rf "$work" "$RUN"
}
trap cleanup EXIT
result() { echo "$1=$2" >>"$work/results"; }
# measure ARGS…: runs bench/province/measure.py and sets the variables it prints.
measure() {
  local out
  out=$(python3 "$MEASURE" "$@") || exit 1
  eval "$out"
}
rm -f "$OUT"/serve*.log

python3 - "$RUN/data" <<'PY' >>"$work/results"
import os, sqlite3, sys
d = sys.argv[1]
con = sqlite3.connect(f"file:{d}/eduportal.db?mode=ro", uri=True)
q = lambda sql: con.execute(sql).fetchone()[0]
print(f"sites={q('SELECT COUNT(*) FROM sites')}")
print(f"units={q('SELECT COUNT(*) FROM units')}")
print(f"articles={q('SELECT COUNT(*) FROM articles')}")
size = lambda p: sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(p) for f in fs)
print(f"db_mb={os.path.getsize(d + '/eduportal.db') / 1048576:.0f}")
print(f"index_mb={size(d + '/search') / 1048576:.0f}")
PY
result load_before "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load before: $(uptime)"

# ------------------------------------------------------------ 1. cold start
cold=()
for _ in 1 2 3; do
  P=$(free_port)
  measure start "$OUT/serve-cold.log" "$P" "$DEPT_HOST" --home
  running+=("$pid")
  stop_server "$pid"
  cold+=("$healthz $home")
done
printf '%s\n' "${cold[@]}" >"$work/cold"

# ------------------------------------------------------------ 2. idle RSS
# Ten seconds (two background rounds at the default flush_seconds) after the
# start, then five after one home page.
PORT=$(free_port)
measure start "$OUT/serve.log" "$PORT" "$DEPT_HOST"
running+=("$pid")
SERVER=$pid
measure idle "$SERVER" 10
result rss_start "$rss"
result rss_start_max "$rss_max"
result idle_cpu "$cpu"
HOME_URL="http://127.0.0.1:$PORT/"
H=(-H "Host: $DEPT_HOST" -H "Accept-Encoding: $ENCODING")
curl -fs "${H[@]}" -o /dev/null "$HOME_URL"
measure idle "$SERVER" 5
result rss_home "$rss"
result rss_home_max "$rss_max"

# ------------------------------------------------------------ 3. cache vs nginx
mkdir -p "$work/www"
curl -fs "${H[@]}" -D "$work/home.headers" -o "$work/www/home.html" "$HOME_URL"
CODING=$(awk 'tolower($1) == "content-encoding:" {print $2}' "$work/home.headers" | tr -d '\r')
BYTES=$(stat -c %s "$work/www/home.html")
NPORT=$(free_port)
# The body as eduportal sent it (compressed when it was): nginx sends the file as is.
start_nginx "$NPORT" "$work/www" "${CODING:+add_header Content-Encoding $CODING;}"
NGINX_URL="http://127.0.0.1:$NPORT/home.html"
for url in "$NGINX_URL" "$HOME_URL"; do
  got=$(curl -s "${H[@]}" -o /dev/null -w '%{http_code} %{size_download}' "$url")
  [ "$got" = "200 $BYTES" ] || { echo "$url answered '$got', not '200 $BYTES'"; exit 1; }
done
result home_bytes "$BYTES"
result home_coding "${CODING:-identity}"
echo "wrk: ${DURATION}s per run, $CONNECTIONS connections, $THREADS threads; Accept-Encoding: $ENCODING"
for round in 1 2 3; do
  run_wrk "home, page cache #$round" "$HOME_URL" "${H[@]}"
  run_wrk "nginx, same bytes #$round" "$NGINX_URL" "${H[@]}"
done
stop_nginx
result cached "$(median_rps "home, page cache #")"
result nginx "$(median_rps "nginx, same bytes #")"

# ------------------------------------------------------------ 5. the unit list
LOGIN="http://127.0.0.1:$PORT/quan-tri/dang-nhap"
jar="$work/cookies"
CSRF=$(curl -fs -c "$jar" -H "Host: $DEPT_HOST" "$LOGIN" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
got=$(curl -s -b "$jar" -c "$jar" -H "Host: $DEPT_HOST" -o /dev/null -w '%{http_code}' \
  --data-urlencode username=quantri --data-urlencode "password=$PASSWORD" --data-urlencode "csrf=$CSRF" "$LOGIN")
SESSION=$(awk '$6 == "ep_phien" {print $7}' "$jar")
[ "$got" = 303 ] && [ -n "$SESSION" ] || { echo "login answered $got without a session"; exit 1; }
A=(-H "Host: $DEPT_HOST" -H "Cookie: ep_phien=$SESSION" -H "Accept-Encoding: $ENCODING")
LIST="http://127.0.0.1:$PORT/quan-tri/don-vi"
first=$(curl -fs -H "Host: $DEPT_HOST" -H "Cookie: ep_phien=$SESSION" "$LIST")
grep -q 'Đơn vị và trang' <<<"$first" || { echo "the unit list did not answer as the super-administrator"; exit 1; }
PAGES=$(grep -o 'trang=[0-9]*' <<<"$first" | cut -d= -f2 | sort -n | tail -1)
result unit_pages "${PAGES:=1}"
cat >"$work/units.lua" <<LUA
-- Every page of the list in turn.
local n = 0
request = function()
  n = n % $PAGES + 1
  return wrk.format("GET", "/quan-tri/don-vi?trang=" .. n)
end
LUA
CONNECTIONS=$ADMIN_CONNECTIONS run_wrk "unit list, pages 1–$PAGES" "$LIST" -s "$work/units.lua" "${A[@]}"
result unit_p99 "$WRK_P99"
result unit_rps "$WRK_RPS"

# ------------------------------------------------------------ 6. a new site
measure site-add "$PORT" "$NEW_NAME" "$NEW_HOST"
result site_cli "$cli"
result site_visible "$visible"
stop_server "$SERVER"

# ------------------------------------------------------------ 4. no page cache
UPORT=$(free_port)
EDUPORTAL_CACHE__ENABLED=false measure start "$OUT/serve-nocache.log" "$UPORT" "$DEPT_HOST"
running+=("$pid")
run_wrk "home, rendered afresh" "http://127.0.0.1:$UPORT/" "${H[@]}"
result fresh "$WRK_RPS"
if [ "$ENCODING" != identity ]; then
  run_wrk "home, rendered afresh, identity" "http://127.0.0.1:$UPORT/" -H "Host: $DEPT_HOST"
  result fresh_identity "$WRK_RPS"
fi
stop_server "$pid"
result load_after "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "load after: $(uptime)"

# ------------------------------------------------------------ the table
echo
python3 - "$work/results" "$work/cold" "$FLUSH" "$ADMIN_CONNECTIONS" "$units" "$articles" "$reindex" <<'PY'
import statistics, sys
r = dict(line.rstrip("\n").split("=", 1) for line in open(sys.argv[1]))
cold = [tuple(map(float, l.split())) for l in open(sys.argv[2])]
flush, admin_c = float(sys.argv[3]), sys.argv[4]
setup_units, setup_articles, setup_reindex = sys.argv[5:8]
n = lambda x: f"{x:,.0f}".replace(",", ".")

def ms(s):
    for unit, f in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if s.endswith(unit):
            return float(s[: -len(unit)]) * f

rows = []
def row(what, value, goal, ok):
    rows.append((what, value, goal, "" if ok is None else ("ok" if ok else "MISSED")))

h = statistics.median(c[0] for c in cold)
home = statistics.median(c[1] for c in cold)
row("1 cold start → /healthz 200", f"{h:.2f} s", "≤ 3 s", h <= 3)
row("  cold start → home / 200", f"{home:.2f} s", "≤ 3 s", home <= 3)
row("    (three starts, healthz / home)", " ".join(f"{a:.2f}/{b:.2f}" for a, b in cold), "", None)
for key, what in (("rss_start", "2 idle RSS 10 s after start"), ("rss_home", "  idle RSS after one home page")):
    v, top = float(r[key]), float(r[key + "_max"])
    row(what, f"{v:.0f} MB (at most {top:.0f} MB)", "≤ 150 MB", max(v, top) <= 150)
row("  idle CPU, first 10 s", f"{r['idle_cpu']} % of a core", "", None)
cached, nginx = int(r["cached"]), int(r["nginx"])
row("3 home from the page cache", f"{n(cached)} req/s", "", None)
row("  nginx, the same bytes", f"{n(nginx)} req/s", "", None)
row("  page cache / nginx (medians of 3)", f"{cached / nginx:.2f}", "≥ 0.90", cached / nginx >= 0.9)
fresh = round(float(r["fresh"]))
row("4 home rendered afresh (cache off)", f"{n(fresh)} req/s", "≥ 5.000 req/s", fresh >= 5000)
if "fresh_identity" in r:
    row("  the same, no compression asked", f"{n(float(r['fresh_identity']))} req/s", "", None)
p99 = ms(r["unit_p99"])
row(f"5 /quan-tri/don-vi p99 ({admin_c} conn., {r['unit_pages']} pages)",
    f"{p99:.1f} ms ({n(float(r['unit_rps']))} req/s)", "< 50 ms", p99 < 50)
v = float(r["site_visible"])
row("6 `site add` → new host answers", f"{v:.1f} s (command {float(r['site_cli']):.1f} s)",
    f"≤ {flush:.0f} s", v <= flush)

print(f"Province: {n(int(r['sites']))} sites, {n(int(r['units']))} units, {n(int(r['articles']))} articles; "
      f"SQLite {r['db_mb']} MB, search index {r['index_mb']} MB")
print(f"Built in: units {setup_units} s, articles {setup_articles} s, reindex {setup_reindex} s")
print(f"Home page: {n(int(r['home_bytes']))} bytes ({r['home_coding']}); "
      f"load average before {r['load_before']}, after {r['load_after']}")
w = [max(len(x[i]) for x in rows) for i in range(3)]
for what, value, goal, ok in rows:
    print(f"{what:<{w[0]}}  {value:<{w[1]}}  {goal:<{w[2]}}  {ok}".rstrip())
PY
