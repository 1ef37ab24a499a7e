"""Benchmark: the raw-article importer on large inputs, as ratios measured in one run.

    .venv/bin/python benchmarks/import_speed.py

Prints the time to import a 200 kB and a 2 MB article built from a seed's paragraphs, and
their ratio (10× the text should cost about 10× the time: a higher ratio means a step grows
faster than the text), then the pathological single paragraphs the tests feed the importer.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.readers.raw import import_raw  # noqa: E402

PATH = "content/sources/x.txt"
PARAGRAPHS = {
    "clauses": "这是一个很长的段落，" * 20_000,
    "han": "党" * 200_000,
    "digits": "1" * 200_000,
    "quotes": "“" * 100_000 + "”" * 100_000,
    "parens": "(" * 200_000,
    "enum": "一是" * 100_000,
    "commas": " ," * 100_000,
    "dates": "2017年" * 40_000,
}


def article(size: int) -> bytes:
    seed = next((ROOT / "content" / "sources").glob("000_*.txt")).read_text(encoding="utf-8")
    body = "\n\n".join(p for p in seed.split("\n\n") if len(p) > 100)
    copies = size // len(body.encode()) + 1
    return ("标题\n\n□ 张三\n\n" + "\n\n".join([body] * copies)).encode()


def seconds(data: bytes, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        import_raw(data, PATH)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    small, large = seconds(article(200_000)), seconds(article(2_000_000))
    print(
        f"article 200 kB: {small:.2f} s   2 MB: {large:.2f} s   "
        f"ratio {large / small:.1f} for 10x the text"
    )
    for name, paragraph in PARAGRAPHS.items():
        t = seconds(("标题\n\n" + paragraph + "\n").encode(), runs=1)
        print(f"one {len(paragraph):,}-character paragraph ({name}): {t:.2f} s")


if __name__ == "__main__":
    main()
