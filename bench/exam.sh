#!/usr/bin/env bash
# Exam results benchmark (issue 6). Generates, once, a results file of N candidates
# (default 1.000.000) with nine subjects as CSV (';', BOM, comma decimals) and XLSX, then
# measures the CSV and XLSX imports (read + map + parse + validate), the memory of the
# loaded session, lookups per second, distributions and the diff of a re-import.
# Usage: bash bench/exam.sh [count, default 1000000]
# The files stay in bench/out/exam (delete it to regenerate); set CARGO_TARGET_DIR to
# share a build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-1000000}"
DATA="bench/out/exam"
TARGET="${CARGO_TARGET_DIR:-target}"

cargo build --release --locked -p exam --example exam-gen --example bench
if [ ! -f "$DATA/ket-qua.xlsx" ] || [ "$(cat "$DATA/count" 2>/dev/null)" != "$COUNT" ]; then
  "$TARGET/release/examples/exam-gen" "$DATA" "$COUNT"
  echo "$COUNT" > "$DATA/count"
fi
"$TARGET/release/examples/bench" "$DATA"
