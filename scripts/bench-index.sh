#!/usr/bin/env bash
# Archive scale bench, end to end: generate N synthetic notices, index them with
# `/usr/bin/time -v` (peak RSS), measure the index size, then time the 20 queries of
# scripts/bench/queries.txt in one process (p50/p99 over repeated runs).
#
#   scripts/bench-index.sh [N=20000] [JOBS=all cores]
#
# Everything goes under target/bench-index/ (git-ignored); the corpus is kept between runs
# (regenerated only when N changes), the index is rebuilt every run.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
JOBS=${2:-0}
OUT=target/bench-index
BIN=target/release/gongwen
mkdir -p "$OUT"
cargo build --release --quiet
if [ "$(cat "$OUT/corpus.n" 2>/dev/null)" != "$N" ]; then
  rm -rf "$OUT/corpus"
  echo "== generating $N notices"
  /usr/bin/time -f "generated in %e s" "$BIN" gen-corpus "$N" "$OUT/corpus"
  echo "$N" > "$OUT/corpus.n"
fi
rm -rf "$OUT/index"
# a number that exists in the corpus, for the cites/cited-by/number queries
sed "s/闽市监认证〔2017〕8号/$(python3 -c "import json;print(json.load(open('$OUT/corpus/0000/0000007.facts.json'))['doc_number'])")/g" \
  scripts/bench/queries.txt > "$OUT/queries.txt"
echo "== indexing $N notices (jobs: ${JOBS/#0/all})"
/usr/bin/time -v "$BIN" index "$OUT/corpus" --index "$OUT/index" --quiet -j "$JOBS" 2> "$OUT/time.txt" || true
grep -E "Elapsed|Maximum resident|Exit status" "$OUT/time.txt"
secs=$(awk -F': ' '/Elapsed/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$OUT/time.txt")
rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$OUT/time.txt")
size=$(du -sk --apparent-size "$OUT/index" | cut -f1)
src=$(du -sk --apparent-size --exclude='*.json' "$OUT/corpus" | cut -f1)
echo "== queries (each run 5 times on one open index)"
"$BIN" search --index "$OUT/index" --queries "$OUT/queries.txt" --repeat 5 -n 10 | tee "$OUT/queries.out"
echo "== summary"
python3 - "$N" "$secs" "$rss" "$size" "$src" <<'PY'
import sys
n, secs, rss, size, src = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"notices: {n}")
print(f"index time: {secs:.1f} s  ({n/secs:.0f} docs/s)")
print(f"peak RSS: {rss/1024:.0f} MB")
print(f"index size: {size/1024:.1f} MB for {src/1024:.1f} MB of notice text ({size/src:.2f}x)")
PY
tail -1 "$OUT/queries.out"
