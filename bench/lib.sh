# Helpers shared by the benchmarks that measure with wrk and compare with nginx
# (bench/pages.sh, bench/province.sh). Sourced, not run. The caller sets
# DURATION, CONNECTIONS and THREADS (wrk's), and `work`, a scratch folder of
# its own that it removes on exit.

# wrk and nginx from Debian when missing; sets NGINX.
bench_tools() {
  local need=()
  command -v wrk >/dev/null || need+=(wrk)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

# Builds the release binary (at low priority: the build machine is shared); sets BIN.
# EDUPORTAL_BIN=path measures that binary instead, without building.
bench_build() {
  if [ -n "${EDUPORTAL_BIN:-}" ]; then
    BIN="$EDUPORTAL_BIN"
    return
  fi
  nice -n 15 cargo build --release --locked --bin eduportal
  local target="${CARGO_TARGET_DIR:-target}"
  case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
  BIN="$target/release/eduportal"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run_wrk LABEL URL [wrk options…]: one run, one line of results; sets WRK_RPS
# and WRK_P99, and keeps the req/s in $work/rps-LABEL (label made safe) for
# medians. A run in which anything but 2xx answered, or a socket failed, is an
# error: its figures would mean nothing.
run_wrk() {
  local label="$1" url="$2" out p50
  shift 2
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url")
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
    printf '%s: wrk saw errors:\n%s\n' "$label" "$out" >&2
    return 1
  fi
  WRK_RPS=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  WRK_P99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-34s %12s req/s   p50 %-8s p99 %-8s\n' "$label" "$WRK_RPS" "$p50" "$WRK_P99"
  printf '%s' "$WRK_RPS" >"$work/rps-$(printf '%s' "$label" | tr -c 'a-z0-9' '_')"
}

# median_rps PREFIX: the median req/s of the runs whose label starts with PREFIX.
median_rps() {
  python3 - "$work" "$(printf '%s' "$1" | tr -c 'a-z0-9' '_')" <<'PY'
import glob, statistics, sys
print(round(statistics.median(float(open(f).read()) for f in glob.glob(f"{sys.argv[1]}/rps-{sys.argv[2]}*"))))
PY
}

# start_nginx PORT ROOT [directives for the server block]: nginx serving the
# files of ROOT on 127.0.0.1:PORT, config, pid and logs in $work.
start_nginx() {
  local port="$1" root="$2" extra="${3:-}" f
  # Its workers may run as another user (when started as root): let them read ROOT.
  chmod 755 "$work" "$root"
  for f in "$root"/*; do chmod 644 "$f"; done
  mkdir -p "$work/tmp"
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
    listen 127.0.0.1:$port;
    root $root;
    etag on;
    $extra
  }
}
NGINX
  "$NGINX" -c "$work/nginx.conf" -p "$work"
  # Any answer will do (ROOT may have no index): it listens.
  for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
}

stop_nginx() { [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; }
