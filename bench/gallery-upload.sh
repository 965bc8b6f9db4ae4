#!/usr/bin/env bash
# Album upload benchmark (issue 15): uploads COUNT camera-sized photos (default 50 of
# 4000 × 3000 px, about 2,7 MB each, made by crates/media/examples/photo-gen.rs) to an
# album the way the editor's page does: one request per photo, two at a time. Prints
# the time until all are ready (each answer comes once its sizes and WebP sibling
# are written; WebP siblings are kept only when smaller) and the server's memory: VmRSS sampled every 0,1 s and VmHWM (the
# peak) from /proc/PID/status, after a first batch of 10 and after the batch of
# COUNT, so that a peak that grew with the batch shows (the last line compares the
# two). Also the no-script way (all photos in one request) for 3 photos: that
# request may weigh 50 photos at the image limit plus 1 MB; the server reads one
# file at a time and names a file over the image limit with its size.
# Usage: bash bench/gallery-upload.sh [count, default 50]
#        EDUPORTAL_BIN=path/to/eduportal uses that binary instead of building a release.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-50}"
DATA="bench/out/gallery"
# shellcheck source=bench/lib.sh
source bench/lib.sh

if [ -n "${EDUPORTAL_BIN:-}" ]; then
  BIN="$EDUPORTAL_BIN"
else
  bench_build
fi
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
if [ "$(cat "$DATA/count" 2>/dev/null)" != "$COUNT" ]; then
  nice -n 15 cargo build --release --locked -p media --example photo-gen
  rm -rf "$DATA" && mkdir -p "$DATA"
  "$target/release/examples/photo-gen" "$DATA/anh" "$COUNT"
  echo "$COUNT" >"$DATA/count"
fi
PHOTOS="$PWD/$DATA/anh"

work=$(mktemp -d)
pid=""
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

PORT=$(free_port)
( cd "$work" && exec "$BIN" serve --no-demo --listen "127.0.0.1:$PORT" >"$work/portal.log" 2>&1 ) &
pid=$!
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
PASSWORD=$(grep -o 'mật khẩu: [^ ]*' "$work/portal.log" | head -1 | sed 's/.*: //')
BASE="http://127.0.0.1:$PORT"

# Signs in as the super-administrator printed at the first start.
jar="$work/cookies"
CSRF=$(curl -fs -c "$jar" "$BASE/quan-tri/dang-nhap" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
got=$(curl -s -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' --data-urlencode username=quantri \
  --data-urlencode "password=$PASSWORD" --data-urlencode "csrf=$CSRF" "$BASE/quan-tri/dang-nhap")
[ "$got" = 303 ] || { echo "login answered $got"; cat "$work/portal.log"; exit 1; }
CSRF=$(curl -fs -b "$jar" "$BASE/quan-tri/thu-vien-anh" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')

new_album() { # $1 = title; prints the album's editor path
  curl -s -b "$jar" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf=$CSRF" \
    --data-urlencode "title=$1" --data-urlencode "held_on=20/11/2026" "$BASE/quan-tri/thu-vien-anh" |
    sed 's|^http://[^/]*||; s|?.*||'
}
status_of() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$pid/status"; }
photos_in() { curl -fs -b "$jar" "$BASE$1" | { grep -o 'data-media="' || true; } | wc -l; }

# The resident size every 0,1 s, for the whole run.
( while kill -0 "$pid" 2>/dev/null; do status_of VmRSS >>"$work/rss"; sleep 0.1; done ) &
sampler=$!

upload() { # $1 = album path, $2 = how many photos; one request per photo, two at a time
  ls "$PHOTOS" | head -n "$2" | xargs -P 2 -I{} curl -s -b "$jar" -o "$work/answer-{}.json" \
    -w '%{http_code}\n' -H 'Accept: application/json' -F "csrf=$CSRF" -F "tep=@$PHOTOS/{};type=image/jpeg" \
    "$BASE$1/anh" >>"$work/codes"
}

echo "eduportal: $BIN"
echo "photos: $COUNT of $(python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(); i=2
while True:
    m=d[i+1]; n=struct.unpack('>H',d[i+2:i+4])[0]
    if m in (0xC0,0xC2): print('%d x %d px' % struct.unpack('>HH',d[i+5:i+9])[::-1]); break
    i+=2+n" "$PHOTOS/anh-01.jpg"), $(du -sh "$PHOTOS" | cut -f1) in all"
echo "VmHWM at start: $(status_of VmHWM)"

small=$(new_album "Mười ảnh")
t0=$(date +%s.%N)
upload "$small" 10
t1=$(date +%s.%N)
hwm10=$(status_of VmHWM)
echo "10 photos (2 at a time): $(python3 -c "print(round($t1-$t0,1))") s; in the album: $(photos_in "$small"); VmHWM after: $hwm10"

big=$(new_album "Năm mươi ảnh")
t0=$(date +%s.%N)
upload "$big" "$COUNT"
t1=$(date +%s.%N)
ready=$(photos_in "$big")
echo "$COUNT photos (2 at a time): $(python3 -c "print(round($t1-$t0,1))") s until all ready, $(python3 -c "print(round(($t1-$t0)/$COUNT,2))") s a photo; in the album: $ready; VmHWM after: $(status_of VmHWM)"
hwmn=$(status_of VmHWM)
echo "peak RSS: $((hwm10 / 1024)) MB after 10 photos, $((hwmn / 1024)) MB after $COUNT more ($(python3 -c "print('%+.1f' % (($hwmn - $hwm10) * 100 / $hwm10))") %)"
[ "$ready" = "$COUNT" ] || { echo "not every photo went in:"; sort "$work/codes" | uniq -c; exit 1; }

# Without the page's script: every photo in one request.
one=$(new_album "Một lần gửi")
args=()
for f in anh-01.jpg anh-02.jpg anh-03.jpg; do args+=(-F "tep=@$PHOTOS/$f;type=image/jpeg"); done
t0=$(date +%s.%N)
curl -s -b "$jar" -o /dev/null -w 'HTTP %{http_code}\n' -F "csrf=$CSRF" "${args[@]}" "$BASE$one/anh"
t1=$(date +%s.%N)
echo "3 photos in one request (no script): $(python3 -c "print(round($t1-$t0,1))") s; in the album: $(photos_in "$one"); VmHWM after: $(status_of VmHWM)"
echo "VmRSS sampled: max $(sort -n "$work/rss" | tail -1) kB over $(wc -l <"$work/rss") samples"
echo "media written: $(du -sh "$work/data/media" | cut -f1)"
