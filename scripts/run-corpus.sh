#!/usr/bin/env bash
# The main job on the bundled corpus: set up, build, extract every notice in corpus/
# (and ../shared/corpus/dev when present) into out/, one NAME.json per notice, plus a
# readable review file per notice, then print the accuracy against the gold.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release --quiet
mkdir -p out/json out/review
inputs=(corpus)
[ -d ../shared/corpus/dev ] && inputs+=(../shared/corpus/dev)
status=0
target/release/gongwen extract "${inputs[@]}" -o out/json/ || status=$?
target/release/gongwen extract "${inputs[@]}" --format review -o out/review/ || true
echo "run-corpus.sh: $(ls out/json | wc -l) notices extracted into out/json (review text in out/review)"
GOLD=corpus/gold scripts/score.sh | tail -20
[ -d ../shared/gold/dev ] && scripts/score.sh | tail -20
exit $status
