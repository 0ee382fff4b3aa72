#!/usr/bin/env bash
# Score `gongwen extract` against the hand-checked gold of ../shared/gold/dev (and our own
# fixtures' gold in corpus/gold). Extra arguments go to score.py (e.g. --per-file, --min-f1).
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${SHARED:-../shared}"
bin="${GONGWEN:-target/release/gongwen}"
[ -x "$bin" ] || cargo build --release --quiet
gold="${GOLD:-$shared/gold/dev}"
pred=$(mktemp -d)
trap 'rm -rf "$pred"' EXIT
for g in "$gold"/*.gold.json; do
  name=$(basename "$g" .gold.json)
  src=$(ls "$shared"/seeds/"$name".* "$shared"/corpus/dev/"$name".* corpus/"$name".* 2>/dev/null | grep -v -e '\.gold\.json$' -e '\.source\.json$' | head -1 || true)
  [ -n "$src" ] || { echo "score.sh: no source for $name" >&2; continue; }
  "$bin" extract "$src" > "$pred/$name.json" || true
done
python3 "$shared/tools/score.py" --gold "$gold" --pred "$pred" "$@"
