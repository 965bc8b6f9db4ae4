#!/usr/bin/env bash
# Lighthouse 12 (performance, accessibility, best practices, SEO) on every public
# page kind of the demo, in Debian's Chromium, against a release build: home,
# category, article, news by date, search, exam lookup, exam result, the score
# distribution, and the province's pages (units' news, directory). Prints a table of scores (0-100) per page. Not run in CI
# (it takes a few minutes); issue 12 asks for its figures in the closing note.
# Search and login carry noindex on purpose: their SEO score is exempt.
# Usage: bash bench/lighthouse.sh [debug|release, default release]
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE="${1:-release}"
bash scripts/install-browser.sh >/dev/null
if [ ! -f bench/lighthouse/node_modules/.bin/lighthouse ]; then
  npm install --prefix bench/lighthouse --no-audit --no-fund --no-save lighthouse@12.2.3 >/dev/null
fi
TARGET="${CARGO_TARGET_DIR:-target}"
case "$TARGET" in /*) ;; *) TARGET="$PWD/$TARGET" ;; esac
if [ "$PROFILE" = release ]; then
  cargo build --release --locked --bin eduportal
else
  cargo build --locked --bin eduportal
fi
BIN="$TARGET/$PROFILE/eduportal"

work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
start_portal() {
  ( cd "$work" && EDUPORTAL_LOG=warn exec "$BIN" serve --listen "127.0.0.1:$PORT" >>"$work/portal.log" 2>&1 ) &
  pid=$!
  for _ in $(seq 1 300); do curl -fs "$BASE/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "portal did not start:"; cat "$work/portal.log"; exit 1
}
# The demo province, with its exam session of 3.000 candidates (session 1; the
# first start prints SBD 010001, born 08/06/2011).
start_portal

article=$(curl -fs "$BASE/tin-tuc/tin-giao-duc" | grep -o 'href="/tin-tuc/tin-giao-duc/[^"]*"' | head -1 | cut -d'"' -f2)
day=$(curl -fs "$BASE$article" | grep -o '"datePublished":"[0-9-]*' | head -1 | cut -d'"' -f4)
pages=(
  "Trang chủ|/"
  "Chuyên mục|/tin-tuc/tin-giao-duc"
  "Bài viết|$article"
  "Tin theo ngày|/tin-theo-ngay/${day:-2026-12-01}"
  "Tìm kiếm|/tim-kiem?q=giao+duc"
  "Tra cứu điểm|/tra-cuu-diem-thi"
  "Kết quả thi|/tra-cuu-diem-thi?ky-thi=1&sbd=010001&ngay-sinh=08062011"
  "Phổ điểm|/tra-cuu-diem-thi/1/pho-diem"
  "Tin các đơn vị|/tin-cac-don-vi"
  "Cổng thành phần|/cong-thanh-phan"
)
LH=bench/lighthouse/node_modules/.bin/lighthouse
printf '%-16s %5s %5s %5s %5s\n' "Trang" "Perf" "A11y" "BP" "SEO"
for entry in "${pages[@]}"; do
  label="${entry%%|*}"; path="${entry#*|}"
  CHROME_PATH=/usr/bin/chromium "$LH" "$BASE$path" --quiet --output=json --output-path="$work/lh.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>"$work/lh.err" \
    || { echo "$label: lighthouse failed"; tail -5 "$work/lh.err"; continue; }
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const s = (k) => Math.round((r.categories[k]?.score ?? 0) * 100);
    const failed = Object.values(r.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary").map((a) => a.id);
    console.log(process.argv[2].padEnd(16), ...["performance","accessibility","best-practices","seo"].map((k) => String(s(k)).padStart(5)), failed.length ? "  failed: " + failed.join(", ") : "");
  ' "$work/lh.json" "$label"
done
