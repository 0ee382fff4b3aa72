#!/usr/bin/env bash
# Score the same notices read from every format against their gold: the fixtures of
# tests/fixtures/formats (made by scripts/make-fixtures.py from corpus/*.txt) and the real
# PDFs of ../shared/corpus/pdf. One line per format: overall F1 and the fields of the
# ingestion bars. Extra arguments go to score.py (e.g. --per-file).
#
#   scripts/score-formats.sh            # table of F1 per format
#   FORMATS="scan.pdf png" scripts/score-formats.sh --per-file
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${SHARED:-../shared}"
bin="${GONGWEN:-target/release/gongwen}"
[ -x "$bin" ] || cargo build --release --quiet
fixtures=${FIXTURES:-tests/fixtures/formats}
formats=${FORMATS:-"txt pdf scan.pdf png jpg docx ofd html"}
fields=doc_number,title,issue_date,phones,emails,deadlines,ratios,annexes,contact_names
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gold_of() { # NAME → its gold file
  ls "$shared"/gold/dev/"$1".gold.json corpus/gold/"$1".gold.json 2>/dev/null | head -1
}

score() { # LABEL FILES… : extract each file as NAME.json and score against the golds
  local label=$1; shift
  local g="$work/gold-$label" p="$work/pred-$label"
  mkdir -p "$g" "$p"
  for f in "$@"; do
    local name; name=$(basename "$f"); name=${name%%.*}
    local gold; gold=$(gold_of "$name") || true
    [ -n "$gold" ] || continue
    cp "$gold" "$g/"
    "$bin" extract "$f" > "$p/$name.json" 2>>"$work/errors" || true
  done
  [ -n "$(ls "$g")" ] || return 0
  local report
  report=$(python3 "$shared/tools/score.py" --gold "$g" --pred "$p" --json "${EXTRA[@]}") || true
  python3 - "$label" "$fields" "$report" <<'EOF'
import json, sys
label, fields, report = sys.argv[1], sys.argv[2].split(","), json.loads(sys.argv[3])
rows = dict(report["fields"], overall=report["overall"])
def f1(name):
    r = rows.get(name)
    return "-" if not r or r.get("f1") is None else f"{r['f1']:.3f}"
print(f"{label:<10} overall {f1('overall')}  " + "  ".join(f"{f} {f1(f)}" for f in fields))
EOF
}

EXTRA=("$@")
for fmt in $formats; do
  files=()
  for f in "$fixtures"/*."$fmt"; do
    [ -e "$f" ] || continue
    case "$fmt" in pdf) [[ "$f" == *.scan.pdf ]] && continue ;; esac
    files+=("$f")
  done
  if [ "$fmt" = txt ]; then
    files=()
    for f in "$fixtures"/*.pdf; do
      n=$(basename "$f"); n=${n%%.*}
      [ -e corpus/"$n".txt ] && files+=(corpus/"$n".txt)
    done
    mapfile -t files < <(printf '%s\n' "${files[@]}" | sort -u)
  fi
  [ ${#files[@]} -gt 0 ] && score "$fmt" "${files[@]}"
done
# the real PDFs and their text versions
real=("$shared"/corpus/pdf/*.pdf)
if [ -e "${real[0]}" ]; then
  score real-pdf "${real[@]}"
  txts=()
  for f in "${real[@]}"; do
    n=$(basename "$f" .pdf)
    [ -e "$shared/corpus/dev/$n.txt" ] && txts+=("$shared/corpus/dev/$n.txt")
  done
  [ ${#txts[@]} -gt 0 ] && score real-txt "${txts[@]}"
fi
if [ -s "$work/errors" ]; then
  echo "errors:" && cat "$work/errors"
fi
