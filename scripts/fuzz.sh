#!/usr/bin/env bash
# Fuzz with cargo-fuzz on a stable toolchain (RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its
# -Z flags; no nightly needed). Seeds each target's corpus in fuzz/corpus/TARGET from the
# repository's notices and fixtures, then runs the targets one after another.
#
#   cargo install cargo-fuzz                 # once
#   scripts/fuzz.sh                          # every target, 600 s each
#   scripts/fuzz.sh 60 text pdf              # 60 s each, these targets
#
# Crashes land in fuzz/artifacts/TARGET/ (libFuzzer prints how to reproduce them:
# `RUSTC_BOOTSTRAP=1 cargo fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-…`).
# After each run the corpus is minimized (`cargo fuzz cmin`); fuzz/corpus/ and
# fuzz/artifacts/ are committed, and tests/fuzz_smoke.rs replays both under `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
all=(pipeline text doc_number dates contacts outline pdf zip_xml html)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
command -v cargo-fuzz >/dev/null || { echo "fuzz.sh: cargo install cargo-fuzz" >&2; exit 2; }

seed() { # seed TARGET FILE...
  local dir=fuzz/corpus/$1
  shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp -n "$f" "$dir/seed-$(basename "$f")"; done
}
seed_lines() { # seed_lines TARGET: each short line of the notices as its own input
  local dir=fuzz/corpus/$1
  mkdir -p "$dir"
  cat corpus/*.txt | awk 'length($0) > 2 && length($0) < 400' | sort -u | head -400 |
    split -l 1 -a 4 - "$dir/seed-line-"
}
fx=tests/fixtures/formats
seed pipeline corpus/0*.txt corpus/f0[1-4]*.txt $fx/*.docx $fx/*.ofd $fx/*.html
seed text corpus/*.txt
for t in doc_number dates contacts outline; do seed_lines $t; done
seed pdf $fx/003_50dae97726b0998a.pdf $fx/f01_zj-cert-fire-ebike-check.pdf
seed zip_xml $fx/*.docx $fx/*.ofd
seed html $fx/*.html

export RUSTC_BOOTSTRAP=1
cd fuzz
for t in "${targets[@]}"; do
  echo "== fuzz $t for ${secs} s"
  cargo fuzz run -s none "$t" "corpus/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=262144 -print_final_stats=1
  # keep the corpus small enough to commit: only inputs that add coverage
  cargo fuzz cmin -s none "$t" "corpus/$t" -- -rss_limit_mb=2048 -timeout=10 >/dev/null 2>&1 || true
  echo "== $t corpus after cmin: $(ls "corpus/$t" | wc -l) inputs, $(du -sh "corpus/$t" | cut -f1)"
done
