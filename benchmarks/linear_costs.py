"""Benchmark: the PDF layout of long runs of one kind of character grows linearly.

    .venv/bin/python benchmarks/linear_costs.py                 # 500, 2,000, 8,000
    .venv/bin/python benchmarks/linear_costs.py --base 2000     # 2,000 … 32,000

One case whose only paragraph holds a run of N characters, laid out by the PDF writer in
this process (one job, no cache) after a warm-up (imports, fonts), at 1×, 4× and 16× the
base size, for: full-width opening quotes “ (a run no line may break: issue 22 measured
2,000 in 12.5 s, 8,000 in 161 s), alternating quotes “”, full stops 。 and Han characters
(the control: a break between any two). Prints the seconds and the exponent k in
time ∝ N^k between 1× and 16×, on the time above an empty paragraph's: 1.0 is linear,
2.0 quadratic; below 1 the fixed costs still dominate.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.look.theme import load_theme  # noqa: E402
from publisher.model import Case, Compendium, Paragraph, Part  # noqa: E402
from publisher.support.options import WriterOptions  # noqa: E402
from publisher.writers.pdf import write_pdf  # noqa: E402
from publisher.writers.preflight import run_preflight  # noqa: E402

RUNS = {
    "opening quotes “": "“",
    "alternating quotes “”": "“”",
    "full stops 。": "。",
    "Han characters (control)": "党建",
}


def seconds_for(text: str, theme, options: WriterOptions) -> float:
    case = Case(id="run", title="长串", blocks=(Paragraph.of("开头" + text + "结尾。"),))
    book = Compendium(title="线性", parts=(Part("", (case,)),))
    start = time.perf_counter()
    write_pdf(book, theme, options, run_preflight(book, theme, options))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=500, help="characters at 1×")
    args = parser.parse_args()
    theme = load_theme(ROOT / "styles" / "theme.toml")
    with tempfile.TemporaryDirectory() as tmp:
        options = WriterOptions(
            content_dir=Path(tmp), styles_dir=ROOT / "styles", date="2026-01-01"
        )
        seconds_for("", theme, options)  # warm-up
        empty = seconds_for("", theme, options)
        print(f"empty paragraph: {empty:.2f} s")
        print(
            f"{'run':<26}" + "".join(f"{f'{m}× ({args.base * m})':>16}" for m in (1, 4, 16)) + "  k"
        )
        for name, unit in RUNS.items():
            times = [
                seconds_for(unit * (args.base * m // len(unit)), theme, options) for m in (1, 4, 16)
            ]
            above = [max(t - empty, 1e-3) for t in times]
            k = math.log(above[2] / above[0]) / math.log(16)
            print(f"{name:<26}" + "".join(f"{t:>14.2f} s" for t in times) + f"  {k:.2f}")


if __name__ == "__main__":
    main()
