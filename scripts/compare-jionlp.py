#!/usr/bin/env python3
"""Compare jionlp's time parsing with gongwen on the dated phrasings of tests/data/phrases.toml.

Usage:
    scripts/compare-jionlp.py            # failures table + summary (also target/jionlp-comparison.md)
    scripts/compare-jionlp.py --all      # also a table of every dated phrasing
    scripts/compare-jionlp.py --ret-future   # jionlp with ret_future=True (default: False)

On first run it creates the virtualenv target/pyenv and installs jionlp and jieba there
(quietly; later runs reuse it), then re-runs itself inside it.

For every phrase with expected `deadlines` or `periods`, jionlp is given the phrase with
time_base = the phrase's issue date, else 1 January of its `year`, else 1 January of the
first four-digit year in the text. A phrasing counts as right if either call gets it:
  - jionlp.parse_time (one expression per call; exact): a deadline phrase must have one
    expected date, equal to the end date of the returned span; a period phrase must have
    one expected period, equal to the span's start and end dates;
  - jionlp.ner.extract_time (every expression in the text; lenient): each expected deadline
    is the end date of some extracted expression, each expected period is the start and end
    of some extracted expression; extra expressions are not held against it.
gongwen is not run here: tests/phrases.rs (`cargo test --test phrases`) requires every
phrase of the table to give exactly its listed values, so its column is ✓ for all.
"""

import argparse
import contextlib
import datetime as dt
import io
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pyenv import ensure_venv  # noqa: E402
PINS = ["jionlp==1.5.31", "jieba==0.42.1"]
GONGWEN = "✓ (tests/phrases.rs)"


def time_base(p):
    if "issue" in p:
        return dt.datetime.fromisoformat(p["issue"])
    year = p.get("year") or int(re.search(r"\d{4}", p["text"]).group())
    return dt.datetime(year, 1, 1)


def span(result):
    """(start, end) ISO dates of a jionlp result with a [start, end] time, else None."""
    t = result.get("time")
    if isinstance(t, list) and len(t) == 2 and all(isinstance(x, str) for x in t):
        return t[0][:10], t[1][:10]
    return None


def show(result):
    s = span(result)
    return f"{s[0]}…{s[1]}" if s else f"{result.get('type')} {result.get('time')}"


def right(spans, p, exact):
    """Do these (start, end) spans give the phrase's expected deadlines and periods?"""
    if exact and len(p.get("deadlines", [])) + len(p.get("periods", [])) != len(spans):
        return False
    ends = {e for _, e in spans}
    return all(d in ends for d in p.get("deadlines", [])) and all(
        tuple(pr) in spans for pr in p.get("periods", []))


def run_jionlp(jio, p, future):
    """(via, parse_time shown, extract_time shown): via is the call that got it right, or None."""
    base = time_base(p)
    try:
        r = jio.parse_time(p["text"], time_base=base, ret_future=future)
        pt_spans, pt_show = [s for s in [span(r)] if s], show(r)
    except Exception as e:  # jionlp raises on inputs it cannot parse
        pt_spans, pt_show = [], f"{type(e).__name__}: {e}"
    try:
        ents = jio.ner.extract_time(p["text"], time_base=base, ret_future=future)
        ex_spans = [s for s in (span(e["detail"]) for e in ents) if s]
        ex_show = "; ".join(f"「{e['text']}」 {show(e['detail'])}" for e in ents) or "nothing"
    except Exception as e:
        ex_spans, ex_show = [], f"{type(e).__name__}: {e}"
    via = "parse_time" if right(pt_spans, p, exact=True) else (
        "extract_time" if right(ex_spans, p, exact=False) else None)
    return via, pt_show, ex_show


def expected(p):
    parts = list(p.get("deadlines", [])) + [f"{s}…{e}" for s, e in p.get("periods", [])]
    return ", ".join(parts)


def cell(s):
    return s.replace("|", "\\|").replace("\n", " ")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n", 2)[2])
    ap.add_argument("--all", action="store_true", help="also print a table of every dated phrasing")
    ap.add_argument("--ret-future", action="store_true",
                    help="pass ret_future=True to jionlp (resolve bare dates into the future)")
    ap.add_argument("-o", "--output", default=str(ROOT / "target" / "jionlp-comparison.md"),
                    help="markdown file to write (default: target/jionlp-comparison.md)")
    args = ap.parse_args()
    ensure_venv(PINS, __file__)

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp as jio  # prints a banner on import
    table = tomllib.loads((ROOT / "tests" / "data" / "phrases.toml").read_text())["phrase"]
    dated = [p for p in table if p.get("deadlines") or p.get("periods")]
    rows = [(p, *run_jionlp(jio, p, args.ret_future)) for p in dated]

    out = ["| phrase | expected | jionlp gave | gongwen |", "| --- | --- | --- | --- |"]
    for p, via, pt, ex in rows:
        if via is None:
            out.append(f"| {cell(p['text'])} | {expected(p)} | parse_time: {cell(pt)}<br>"
                       f"extract_time: {cell(ex)} | {GONGWEN} |")
    n, m = sum(via is not None for _, via, _, _ in rows), len(rows)
    by_pt = sum(via == "parse_time" for _, via, _, _ in rows)
    out += ["", f"jionlp {jio.__version__} gets {n} of {m} dated phrasings right; "
            f"gongwen gets {m} of {m} (tests/phrases.rs)", "",
            f"(jionlp: {by_pt} by parse_time, {n - by_pt} more only by extract_time; time_base = "
            f"the phrase's issue date, else 1 January of its year; ret_future={args.ret_future}. gongwen's column is the phrase "
            "table test `cargo test --test phrases`, which requires every listed value.)"]
    if args.all:
        out += ["", "| phrase | expected | jionlp | gongwen |", "| --- | --- | --- | --- |"]
        out += [f"| {cell(p['text'])} | {expected(p)} | {'✓ ' + via if via else '✗'} | {GONGWEN} |"
                for p, via, _, _ in rows]
    md = "\n".join(out) + "\n"
    print(md, end="")
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(md)


if __name__ == "__main__":
    main()
