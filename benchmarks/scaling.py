"""Benchmark: how a writer's time grows with the book (the scaling exponent).

    .venv/bin/python benchmarks/scaling.py pdf                    # 50 and 200 cases
    .venv/bin/python benchmarks/scaling.py docx --sizes 100 1000  # the issue's range
    .venv/bin/python benchmarks/scaling.py pdf --no-speedups      # dependencies unpatched

Each size is written in a fresh process from synthetic cases: the PDF tagged (PDF/UA-1)
from the tests' sample case; the DOCX without the LibreOffice TOC pass, from
benchmarks/docx_build.py's cases. Prints the exponent k in time ∝ cases^k between the
smallest and the largest size: 1.0 is linear; above 1 a step grows faster than the book
(benchmarks/NOTES.md lists the ones found and fixed).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from publisher.patches.guard import UNPATCHED  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

SETUP = r"""
import contextlib, json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
from publisher.model import Compendium, Part
from publisher.support.options import WriterOptions
from publisher.writers.preflight import run_preflight
from publisher.look.theme import load_theme
root = Path({root!r})
theme = load_theme(root / "styles" / "theme.toml")
options = WriterOptions(content_dir=root / "content", styles_dir=root / "styles",
                        date="2026-01-01", tagged_pdf=True, docx_toc_pages=False)
"""

WRITE = {
    "pdf": r"""
from publisher.testing.books import case as _case
from publisher.writers import pdf as writer
cases = tuple(_case(n, f"第{{n}}个案例：党建引领助推精准脱贫") for n in range(1, {n} + 1))
book = Compendium(title="合成案例汇编", parts=(Part("", cases),), date="2026-01-01")
start = time.perf_counter()
out = writer.write_pdf(book, theme, options, run_preflight(book, theme, options))
""",
    "docx": r"""
from docx_build import synthetic
from publisher.writers.docx import write_docx
book = synthetic({n})
start = time.perf_counter()
out = write_docx(book, theme, options, run_preflight(book, theme, options))
""",
}

REPORT = r"""
print(json.dumps({{"seconds": time.perf_counter() - start, "bytes": len(out.data),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run(writer: str, n: int, speedups: bool) -> dict:
    code = (SETUP + WRITE[writer] + REPORT).format(
        root=str(ROOT),
        bench=str(ROOT / "benchmarks"),
        n=n,
    )
    # Without the speed-ups: the patches' guard leaves the dependencies as released.
    env = {k: v for k, v in os.environ.items() if k != UNPATCHED}
    if not speedups:
        env[UNPATCHED] = "1"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("writer", choices=sorted(WRITE))
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument(
        "--no-speedups",
        action="store_true",
        help="without the dependency fixes of benchmarks/NOTES.md",
    )
    args = parser.parse_args()
    results = {n: run(args.writer, n, not args.no_speedups) for n in sorted(args.sizes)}
    for n, r in results.items():
        print(
            f"{args.writer} {n:5d} cases  {r['seconds']:7.2f} s  "
            f"{r['bytes'] / 1e6:7.2f} MB  peak {r['peak_mb']:5.0f} MB"
        )
    (a, ra), (b, rb) = list(results.items())[0], list(results.items())[-1]
    if a != b:
        k = math.log(rb["seconds"] / ra["seconds"]) / math.log(b / a)
        print(f"scaling exponent {a}→{b} cases: {k:.2f} (1.00 = linear)")


if __name__ == "__main__":
    main()
