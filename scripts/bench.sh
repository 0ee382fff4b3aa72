#!/usr/bin/env bash
# Throughput in one run on this machine: the criterion benches (benches/extract.rs:
# jieba_cut, normalize, task_facts, extract; Throughput::Bytes) and the Python baseline
# (scripts/bench-python.py: jieba+regex, jieba+regex+jionlp, the gongwen CLI), then MB/s
# and the ratios the issue asks for. Usage: scripts/bench.sh [bench-python.py options]
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench
mkdir -p "$out"
cargo build --release --quiet
echo "== criterion (cargo bench --bench extract)"
cargo bench --bench extract -- --noplot 2>&1 | grep -E "^corpus/|thrpt" | tee "$out/criterion.txt"
echo "== python baseline (scripts/bench-python.py --jionlp $*)"
python3 scripts/bench-python.py --jionlp "$@" | tee "$out/python.txt"
python3 - "$out/python.txt" <<'PY'
import json, re, sys
from pathlib import Path

crit = Path("target/criterion/corpus")
mbs = {}
for name in ["jieba_cut", "normalize", "task_facts", "extract"]:
    est = json.loads((crit / name / "new" / "estimates.json").read_text())
    bench = json.loads((crit / name / "new" / "benchmark.json").read_text())
    nbytes = bench["throughput"]["Bytes"]
    mbs[name] = nbytes / (est["mean"]["point_estimate"] / 1e9) / 1e6

rows = {}
for line in Path(sys.argv[1]).read_text().splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 7 and re.match(r"^[\d.]+$", cells[4]):
        rows[cells[0]] = float(cells[4])  # MB/s wall
py = next(v for k, v in rows.items() if k.startswith("python jieba") and "jionlp" not in k)
jio = next((v for k, v in rows.items() if "jionlp" in k), None)
cli = next(v for k, v in rows.items() if k.startswith("gongwen, 1 process"))

print("\n| what | MB/s | ratio |")
print("| --- | --- | --- |")
for name, v in mbs.items():
    print(f"| criterion {name} (in-process) | {v:.1f} | |")
print(f"| python jieba+regex | {py:.2f} | 1 |")
if jio:
    print(f"| python jieba+regex+jionlp parse_time | {jio:.2f} | |")
print(f"| gongwen extract CLI, one process over the copies (--big-mb) | {cli:.2f} | |")
print()
print(f"gongwen extract (library) / python jieba+regex: {mbs['extract'] / py:.1f}x")
print(f"gongwen extract (CLI, one process) / python jieba+regex: {cli / py:.1f}x  (bar: >= 10x)")
if jio:
    print(f"gongwen extract (CLI) / python jieba+regex+jionlp: {cli / jio:.1f}x")
print(f"task_facts / jieba_cut (both in-process, Rust): {mbs['task_facts'] / mbs['jieba_cut']:.2f}x")
print(f"extract / jieba_cut: {mbs['extract'] / mbs['jieba_cut']:.2f}x")
PY
