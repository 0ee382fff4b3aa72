#!/usr/bin/env bash
# The whole test suite: format and lint, unit/integration/snapshot/property tests, then the
# scorer's accuracy bars on the hand-checked gold (../shared/gold/dev and corpus/gold).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --quiet
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --all-targets
cargo build --release --quiet
# Header fields of the foundation issue: every one must keep F1 >= 0.95.
header_bars=()
# Task fields of the tasks issue: deadlines, their annex links, ratios and periods too.
for f in doc_number issuer title doc_type issue_date disclosure addressees relays references contact_names phones emails annexes \
         deadlines deadline_annexes ratios periods; do
  header_bars+=(--min-f1 "$f=0.95")
done
echo "== accuracy on our fixtures (corpus/gold)"
GOLD=corpus/gold scripts/score.sh "${header_bars[@]}"
if [ -d ../shared/gold/dev ]; then
  echo "== accuracy on ../shared/gold/dev"
  scripts/score.sh "${header_bars[@]}"
elif [ "${CI:-}" = true ]; then
  echo "test.sh: ../shared/gold/dev is missing" >&2
  exit 1
fi
echo "test.sh: all tests and accuracy bars passed"
