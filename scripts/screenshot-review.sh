#!/usr/bin/env bash
# Render the HTML review page (`gongwen extract -f html`) and the relay diff page
# (`gongwen diff -f html`) of the seeds in headless Chromium and save screenshots to
# target/screenshots/. Installs Debian's chromium if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei >/dev/null
fi
bin=target/release/gongwen
[ -x "$bin" ] || cargo build --release --quiet
out=target/screenshots
mkdir -p "$out"
"$bin" extract -f html corpus/003_50dae97726b0998a.txt > "$out/review-003.html"
"$bin" diff -f html corpus/000_6ef2ac40ccdeb165.txt > "$out/diff-000.html"
for page in review-003 diff-000; do
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1600,2400 \
    --screenshot="$out/$page.png" "file://$PWD/$out/$page.html" >/dev/null 2>&1
  size=$(stat -c %s "$out/$page.png")
  [ "$size" -gt 20000 ] || { echo "screenshot-review.sh: $page.png is only $size bytes" >&2; exit 1; }
  echo "$out/$page.png ($size bytes)"
done
