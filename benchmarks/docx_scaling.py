"""Benchmark: how DOCX composition time grows with the book (the scaling exponent).

    .venv/bin/python benchmarks/docx_scaling.py                    # 50 and 200 cases
    .venv/bin/python benchmarks/docx_scaling.py --sizes 100 1000
    .venv/bin/python benchmarks/docx_scaling.py --no-speedups      # python-docx unpatched

Composition only (no LibreOffice TOC pass), each size in a fresh process, synthetic cases
from benchmarks/docx_build.py. Prints the exponent k in time ∝ cases^k between the smallest
and largest size: 1.0 is linear.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
from publisher.writers.docx import speedups
if not {speedups!r}:
    speedups.install = lambda: False
from docx_build import synthetic
from publisher.options import WriterOptions
from publisher.theme import load_theme
from publisher.writers.docx import write_docx
root = Path({root!r})
book = synthetic({n})
options = WriterOptions(content_dir=root / "content", styles_dir=root / "styles",
                        date="2026-11-01", docx_toc_pages=False)
theme = load_theme(root / "styles" / "theme.toml")
start = time.perf_counter()
out = write_docx(book, theme, options)
print(json.dumps({{"seconds": time.perf_counter() - start, "bytes": len(out.data)}}))
"""


def run(n: int, speedups: bool) -> dict:
    code = CHILD.format(root=str(ROOT), bench=str(ROOT / "benchmarks"), n=n, speedups=speedups)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--no-speedups", action="store_true")
    args = parser.parse_args()
    results = {n: run(n, not args.no_speedups) for n in sorted(args.sizes)}
    for n, r in results.items():
        print(f"{n:5d} cases  {r['seconds']:7.2f} s  {r['bytes'] / 1024:8.0f} KiB")
    (a, ra), (b, rb) = list(results.items())[0], list(results.items())[-1]
    if a != b:
        k = math.log(rb["seconds"] / ra["seconds"]) / math.log(b / a)
        print(f"scaling exponent {a}→{b} cases: {k:.2f} (1.00 = linear)")


if __name__ == "__main__":
    main()
