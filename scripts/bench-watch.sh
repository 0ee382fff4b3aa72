#!/usr/bin/env bash
# Latency from a notice landing in a watched folder to its campaign in SQLite: runs
# `gongwen watch` (release build) on a fresh folder, writes N files one after another
# (distinct copies of corpus/ seeds) and prints p50/p99 of landing → row.
#   scripts/bench-watch.sh [N=50] ["--debounce-ms 200 --settle-ms 200"]
set -euo pipefail
cd "$(dirname "$0")/.."
export GONGWEN_BENCH_FILES="${1:-50}"
export GONGWEN_BENCH_ARGS="${2:-}"
cargo test -j 1 --release --quiet --test watch watch_latency -- --nocapture 2>&1 | grep -E "latency|test result|panicked"
