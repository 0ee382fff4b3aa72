#!/usr/bin/env bash
# Install what gongwen needs on a fresh Debian machine: a Rust toolchain (cargo), python3
# (for the scorer and the fixture generator), and the readers' external tools: poppler
# (pdftotext, pdftoppm; poppler-data for Adobe-GB1 fonts) and Tesseract with the chi_sim
# model (OCR), fonts-wqy-zenhei (fixture PDFs). Idempotent: installs only what is missing;
# uses sudo only when not root.
set -euo pipefail
quiet=${1:-}
sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
need=()
command -v python3 >/dev/null 2>&1 || need+=(python3 python3-pip)
command -v cc >/dev/null 2>&1 || need+=(gcc)
command -v curl >/dev/null 2>&1 || need+=(curl ca-certificates)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -d /usr/share/poppler/cMap ] || need+=(poppler-data)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-chi-sim)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
if [ ${#need[@]} -gt 0 ]; then
  [ "$quiet" = --quiet ] || echo "setup.sh: installing ${need[*]}"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Python packages of scripts/make-fixtures.py (only needed to regenerate the fixtures).
if ! python3 -c 'import reportlab, docx, PIL' >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check reportlab python-docx pillow \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages reportlab python-docx pillow
fi
if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "setup.sh: no cargo found; install Rust with rustup (https://rustup.rs) or Debian's cargo package" >&2
    exit 1
  fi
fi
[ "$quiet" = --quiet ] || echo "setup.sh: cargo $(cargo --version | cut -d' ' -f2), python3 $(python3 --version | cut -d' ' -f2), $(tesseract --version 2>&1 | head -1), pdftotext $(pdftotext -v 2>&1 | head -1 | awk '{print $3}') ready"
