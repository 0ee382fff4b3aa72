#!/usr/bin/env bash
# The main job on the bundled corpus: set up, build, extract every notice in corpus/
# (and ../shared/corpus/dev when present) into out/, one NAME.json per notice, a readable
# review file and an HTML review page per notice, all deadlines as one calendar (ics) and
# one table (csv), the relay diffs of the notices that carry their original, the campaigns
# in an SQLite database; then print the accuracy against the gold.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release --quiet
mkdir -p out/json out/review out/html out/diff
inputs=(corpus)
[ -d ../shared/corpus/dev ] && inputs+=(../shared/corpus/dev)
status=0
target/release/gongwen extract "${inputs[@]}" -o out/json/ || status=$?
target/release/gongwen extract "${inputs[@]}" --format review -o out/review/ || true
target/release/gongwen extract "${inputs[@]}" --format html -o out/html/ || true
target/release/gongwen extract "${inputs[@]}" --format ics -o out/deadlines.ics || true
target/release/gongwen extract "${inputs[@]}" --format csv -o out/deadlines.csv || true
for f in corpus/000_*.txt corpus/f05_*.txt corpus/f11_*.txt; do
  stem=$(basename "$f" .txt)
  target/release/gongwen diff "$f" > "out/diff/$stem.txt" || true
  target/release/gongwen diff "$f" -f html -o "out/diff/$stem.html" || true
done
rm -f out/campaigns.db
target/release/gongwen feed "${inputs[@]}" --sink sqlite:out/campaigns.db >/dev/null || true
echo "run-corpus.sh: $(ls out/json | wc -l) notices extracted into out/json (review text in out/review, pages in out/html),"
echo "  deadlines in out/deadlines.ics and out/deadlines.csv, relay diffs in out/diff, campaigns in out/campaigns.db"
cat out/diff/000_6ef2ac40ccdeb165.txt
GOLD=corpus/gold scripts/score.sh | tail -20
[ -d ../shared/gold/dev ] && scripts/score.sh | tail -20
exit $status
