#!/usr/bin/env bash
# Search benchmark: indexes a generated corpus of Vietnamese articles (200,000 unless
# given) and times a fixed list of queries. See crates/search/examples/bench.rs.
#   bash bench/search.sh [articles]
# BENCH_THREADS sets the indexing threads (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release -p search --example bench -- "${1:-200000}"
