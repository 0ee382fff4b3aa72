#!/usr/bin/env python3
"""Character error rate of gongwen's OCR text against the notice it was rendered from.

    python3 scripts/ocr-cer.py                       # the scans of tests/fixtures/formats
    python3 scripts/ocr-cer.py DIR                   # NAME.scan.pdf/.png/.jpg files in DIR

For each scan NAME.*, the source is corpus/NAME.txt or ../shared/corpus/dev/NAME.txt; a PNG
or JPEG is page 1 only, so it is compared with the start of the source it matches best.
CER = Levenshtein distance / source length, on both texts with all whitespace removed;
`folded` also applies NFKC (full-width and half-width punctuation count as the same).
"""

import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target/release/gongwen"


def distances(a, b):
    """Levenshtein distance of `a` to every prefix of `b` (index j: to b[:j]);
    O(len(a)·len(b)) time, O(len(b)) memory."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev


def squash(text, fold):
    if fold:
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())


def source_of(name):
    for d in (ROOT / "corpus", ROOT.parent / "shared/corpus/dev"):
        p = d / f"{name}.txt"
        if p.exists():
            raw = p.read_bytes()
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                return raw.decode("gb18030")
    return None


def main():
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/fixtures/formats"
    if not BIN.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    scans = sorted(
        p for p in folder.iterdir() if p.name.endswith((".scan.pdf", ".png", ".jpg"))
    )
    print("| scan | chars | CER | CER folded |")
    print("| --- | --- | --- | --- |")
    for scan in scans:
        name = scan.name.split(".")[0]
        source = source_of(name)
        if source is None:
            continue
        ocr = subprocess.run(
            [str(BIN), "text", str(scan)], capture_output=True, text=True
        ).stdout
        row = []
        for fold in (False, True):
            got, want = squash(ocr, fold), squash(source, fold)
            d = distances(got, want)
            if scan.name.endswith(".scan.pdf"):
                row.append(d[-1] / max(len(want), 1))
            else:
                # one page: against the start of the source it matches best
                j = min(range(1, len(d)), key=lambda k: d[k] / k)
                row.append(d[j] / j)
        print(f"| {scan.name} | {len(squash(source, False))} | {row[0]:.1%} | {row[1]:.1%} |")


if __name__ == "__main__":
    main()
