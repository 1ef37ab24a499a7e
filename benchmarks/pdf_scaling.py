"""Benchmark: how the PDF writer's time grows with the book (the scaling exponent).

    .venv/bin/python benchmarks/pdf_scaling.py                    # 50 and 200 cases
    .venv/bin/python benchmarks/pdf_scaling.py --sizes 100 1000   # the issue's range
    .venv/bin/python benchmarks/pdf_scaling.py --no-speedups      # pydyf unpatched

Each size is typeset in a fresh process (tagged PDF/UA-1, synthetic cases from the tests'
sample case). The exponent k in time ∝ cases^k between the smallest and the largest size
is printed: 1.0 is linear; above 1 some step grows faster than the book.
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
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})
from conftest import _case
from publisher.model import Compendium, Part
from publisher.options import WriterOptions
from publisher.theme import load_theme
from publisher.writers import pdf as pdf_writer
import contextlib
if not {speedups!r}:
    pdf_writer.cached_page_references = contextlib.nullcontext
root = Path({root!r})
cases = tuple(_case(n, f"第{{n}}个案例：党建引领助推精准脱贫") for n in range(1, {n} + 1))
book = Compendium(title="合成案例汇编", parts=(Part("", cases),), date="2026-01-01")
options = WriterOptions(content_dir=root / "content", styles_dir=root / "styles",
                        date="2026-01-01", tagged_pdf=True)
theme = load_theme(root / "styles" / "theme.toml")
start = time.perf_counter()
out = pdf_writer.write_pdf(book, theme, options)
print(json.dumps({{"seconds": time.perf_counter() - start, "pages": out.pages,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run(n: int, speedups: bool) -> dict:
    code = CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"), n=n, speedups=speedups)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--no-speedups", action="store_true",
                        help="without the page-reference cache (benchmarks/NOTES.md)")
    args = parser.parse_args()
    results = {n: run(n, not args.no_speedups) for n in sorted(args.sizes)}
    for n, r in results.items():
        print(f"{n:5d} cases  {r['pages']:5d} pages  {r['seconds']:7.1f} s  "
              f"{r['peak_mb']:5.0f} MB")
    (a, ra), (b, rb) = list(results.items())[0], list(results.items())[-1]
    if a != b:
        k = math.log(rb["seconds"] / ra["seconds"]) / math.log(b / a)
        print(f"scaling exponent {a}→{b} cases: {k:.2f} (1.00 = linear)")


if __name__ == "__main__":
    main()
