#!/usr/bin/env python3
"""Extract throughput: gongwen against the Python jieba+regex path, same files, same run (issue 9).

Usage:
    scripts/bench-python.py                     # corpus/ and ../shared/corpus/dev/, 20 repetitions
    scripts/bench-python.py --jionlp            # also the jionlp path (parse_time on each deadline)
    scripts/bench-python.py --repeat 5 DIR...   # other notice dirs (every *.txt below them)

On first run it creates the virtualenv target/pyenv and installs jieba (and jionlp for
--jionlp) there, quietly; later runs reuse it. Then it re-runs itself inside it.

Python path, per file: read, decode (UTF-8, else GB18030), jieba.lcut (HMM on), regexes for
the doc number, deadlines, dates, ratios, phones and emails, a dict, json.dumps. Timed over
--repeat passes in one interpreter, excluding start-up and jieba's dictionary load (reported
apart). gongwen: the release binary `gongwen extract -f jsonl DIR...` run --repeat times,
each process timed whole (start-up included), and once on a temp dir holding the same files
copied up to ~--big-mb MB so that start-up is amortized. MB = 10^6 bytes of input files.
Wall and CPU (user+sys) seconds are both shown: on a busy machine CPU time is the steadier.
"""

import argparse
import contextlib
import io
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pyenv import ensure_venv  # noqa: E402
JIEBA, JIONLP = "jieba==0.42.1", "jionlp==1.5.31"

DOC_NO = re.compile(r"[\u4e00-\u9fa5]+[〔\[【（(]\d{4}[〕\]】）)]\d+号")
DEADLINE = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:\d{1,2}[:：]\d{2}|\d{1,2}时)?(?:之前|以前|前|截止)"
    r"|(?:\d{4}年)?\d{1,2}月(?:底|末|[上中下]旬)前|(?:年底|年末)前")
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
RATIO = re.compile(r"\d+(?:\.\d+)?[%％]")
PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}[-－]?\d{7,8}|1[3-9]\d{9})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)


def extract(path, jieba, jio=None):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    tokens = jieba.lcut(text)
    doc_no = DOC_NO.search(text)
    deadlines = [m.group() for m in DEADLINE.finditer(text)]
    spec = {"file": path.name, "tokens": len(tokens), "doc_number": doc_no and doc_no.group(),
            "deadlines": deadlines, "dates": DATE.findall(text), "ratios": RATIO.findall(text),
            "phones": PHONE.findall(text), "emails": EMAIL.findall(text)}
    if jio is not None:
        spec["parsed"] = []
        for d in deadlines:
            try:
                spec["parsed"].append(jio.parse_time(d)["time"])
            except Exception as e:  # jionlp raises on some inputs
                spec["parsed"].append(repr(e))
    return json.dumps(spec, ensure_ascii=False)


def time_python(files, repeat, jieba, jio=None):
    """(wall s, CPU s) of `repeat` passes in this process."""
    t, c = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for f in files:
            extract(f, jieba, jio)
    return time.perf_counter() - t, time.process_time() - c


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_gongwen(gongwen, inputs, repeat, expect_lines):
    """(wall s, CPU s) of `repeat` gongwen processes, each timed whole."""
    t, c = time.perf_counter(), child_cpu()
    for _ in range(repeat):
        out = subprocess.run([str(gongwen), "extract", "-f", "jsonl", *map(str, inputs)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
        n = out.count(b"\n")
        if n != expect_lines:
            sys.exit(f"gongwen wrote {n} lines for {expect_lines} files")
    return time.perf_counter() - t, child_cpu() - c


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n", 2)[2])
    ap.add_argument("dirs", nargs="*", type=Path,
                    default=[ROOT / "corpus", ROOT.parent / "shared" / "corpus" / "dev"],
                    help="notice dirs (default: corpus/ ../shared/corpus/dev/)")
    ap.add_argument("--repeat", type=int, default=20, help="passes over the files (default 20)")
    ap.add_argument("--jionlp", action="store_true", help="also time the jionlp path")
    ap.add_argument("--big-mb", type=float, default=5, help="size of the one-process run (default 5)")
    ap.add_argument("--gongwen", type=Path, default=ROOT / "target" / "release" / "gongwen")
    args = ap.parse_args()
    ensure_venv([JIEBA, JIONLP] if args.jionlp else [JIEBA], __file__)

    files = sorted(f for d in args.dirs for f in d.rglob("*.txt"))
    size = sum(f.stat().st_size for f in files)
    mb = size * args.repeat / 1e6
    print(f"{len(files)} files, {size} bytes, {args.repeat} passes = {mb:.2f} MB\n")

    t = time.perf_counter()
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    init = time.perf_counter() - t
    rows = [(f"python jieba {jieba.__version__} + regex", mb, *time_python(files, args.repeat, jieba))]
    notes = [f"jieba import + dictionary load: {init:.2f} s (not counted)"]
    if args.jionlp:
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            import jionlp as jio  # prints a banner on import
        jio.parse_time("9月10日前")  # loads its rules
        notes.append(f"jionlp import + first parse: {time.perf_counter() - t:.2f} s (not counted)")
        rows.append((f"python jieba + regex + jionlp {jio.__version__} parse_time", mb,
                     *time_python(files, args.repeat, jieba, jio)))

    rows.append((f"gongwen, {args.repeat} process{'es' * (args.repeat != 1)} over the dirs (start-up included)", mb,
                 *time_gongwen(args.gongwen, args.dirs, args.repeat, len(files))))
    copies = max(1, math.ceil(args.big_mb * 1e6 / size))
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(copies):
            for i, f in enumerate(files):
                shutil.copyfile(f, Path(tmp) / f"{k:03}_{i:03}_{f.name}")
        rows.append((f"gongwen, 1 process over {copies} copies of the files", size * copies / 1e6,
                     *time_gongwen(args.gongwen, [tmp], 1, len(files) * copies)))

    base, base_cpu = rows[0][1] / rows[0][2], rows[0][1] / rows[0][3]
    print("| path | MB | wall s | CPU s | MB/s (wall) | × python jieba+regex (wall) | × (CPU) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, m, s, c in rows:
        print(f"| {name} | {m:.2f} | {s:.2f} | {c:.2f} | {m / s:.2f} | {m / s / base:.1f} | "
              f"{m / c / base_cpu:.1f} |")
    print("\n" + "\n".join(notes))


if __name__ == "__main__":
    main()
