#!/usr/bin/env bash
# Install what gongwen needs on a fresh Debian machine: a Rust toolchain (cargo) and
# python3 (for the scorer). Idempotent; installs only what is missing.
set -euo pipefail
quiet=${1:-}
need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v cc >/dev/null 2>&1 || need+=(gcc)
command -v curl >/dev/null 2>&1 || need+=(curl ca-certificates)
if [ ${#need[@]} -gt 0 ]; then
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "${need[@]}"
fi
if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "setup.sh: no cargo found; install Rust with rustup (https://rustup.rs) or Debian's cargo package" >&2
    exit 1
  fi
fi
[ "$quiet" = --quiet ] || echo "setup.sh: cargo $(cargo --version | cut -d' ' -f2), python3 $(python3 --version | cut -d' ' -f2) ready"
