"""Benchmark: wall time and peak memory of a cold PDF build (fresh process, imports included).

    .venv/bin/python benchmarks/pdf_seed.py                 # the project's content/, if any
    .venv/bin/python benchmarks/pdf_seed.py --synthetic 6   # 6 synthetic cases
    .venv/bin/python benchmarks/pdf_seed.py --untagged      # without PDF/UA tags

Each run is a new Python process, so the figures include importing WeasyPrint and reading
fonts, as `publisher build` pays them. Peak RSS is that child's ru_maxrss.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
start = time.perf_counter()
from publisher.support.options import WriterOptions
from publisher.writers.pdf import write_pdf
from publisher.writers.preflight import run_preflight
root = Path({root!r})
synthetic, tagged = {synthetic!r}, {tagged!r}
if synthetic:
    from publisher.testing.books import case as _case
    from publisher.model import Compendium, Part
    from publisher.look.theme import load_theme
    cases = tuple(_case(n, f"第{{n}}个案例：党建引领助推精准脱贫") for n in range(1, synthetic + 1))
    book = Compendium(title="合成案例汇编", parts=(Part("", cases),), date="2026-01-01")
    theme, files, content = load_theme(root / "styles" / "theme.toml"), {{}}, root / "content"
else:
    from publisher.pipeline.project import Project, load_project
    loaded = load_project(Project(root))
    book, theme, files, content = loaded.compendium, loaded.theme, loaded.files, root / "content"
options = WriterOptions(content_dir=content, styles_dir=root / "styles", date="2026-01-01",
                        tagged_pdf=tagged)
out = write_pdf(book, theme, options, run_preflight(book, theme, options, files=files))
print(json.dumps({{"pages": out.pages, "cases": len(out.case_pages), "bytes": len(out.data),
                  "seconds_in_process": time.perf_counter() - start}}))
"""


def run_once(synthetic: int, tagged: bool) -> dict:
    code = CHILD.format(root=str(ROOT), synthetic=synthetic, tagged=tagged)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode:
        sys.exit(done.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # ru_maxrss of children is the largest child so far: report it only when it grew.
    result.update(wall=wall, peak_mb=max(peak, before) / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--synthetic",
        type=int,
        default=0,
        metavar="N",
        help="typeset N synthetic cases instead of content/",
    )
    parser.add_argument("--untagged", action="store_true", help="no PDF/UA structure tags")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.synthetic and not (ROOT / "content" / "compendium.toml").is_file():
        args.synthetic = 6
    runs = [run_once(args.synthetic, not args.untagged) for _ in range(args.repeat)]
    first = runs[0]
    what = f"{args.synthetic} synthetic cases" if args.synthetic else "content/"
    print(
        f"{what}, {'untagged' if args.untagged else 'tagged (PDF/UA-1)'}: "
        f"{first['pages']} pages, {first['cases']} cases, {first['bytes'] / 1e6:.2f} MB"
    )
    print(
        f"cold build wall: median {statistics.median(r['wall'] for r in runs):.2f} s "
        "(runs: " + ", ".join(f"{r['wall']:.2f}" for r in runs) + ")"
    )
    print(f"peak RSS: {max(r['peak_mb'] for r in runs):.0f} MB")


if __name__ == "__main__":
    main()
