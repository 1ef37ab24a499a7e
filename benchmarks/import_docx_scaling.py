"""Benchmark: DOCX import cost against the number of paragraphs, and its growth exponent.

    .venv/bin/python benchmarks/import_docx_scaling.py [--base 2000]

Builds Word files of 1×, 4× and 16× `--base` paragraphs (with python-docx: a title, a
heading every 20 paragraphs, a bold lead-in every 5, the rest unstyled runs, as units send
them), imports each in process and prints the seconds, the milliseconds a paragraph and
the exponent k of time ∝ paragraphs^k fitted over the three sizes (1.0: linear). The same
text as .txt is timed beside it for scale. Issue 22 measured 5.7 ms a paragraph before
the styles were read once (32,000 paragraphs: 205 s).
"""

from __future__ import annotations

import argparse
import io
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.readers import import_source  # noqa: E402

PARAGRAPH = "这是一个介绍基层党建经验做法的段落，内容包括组织建设、队伍建设和制度建设。" * 2


def make_docx(paragraphs: int) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("某县党建引领乡村振兴纪实", style="Title")
    for n in range(paragraphs):
        if n % 20 == 0:
            document.add_paragraph(f"第{n // 20 + 1}部分", style="Heading 1")
        p = document.add_paragraph()
        if n % 5 == 0:
            p.add_run("一是配强班子。").bold = True
        p.add_run(PARAGRAPH)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_text(paragraphs: int) -> bytes:
    lines = ["某县党建引领乡村振兴纪实", ""]
    for n in range(paragraphs):
        if n % 20 == 0:
            lines += [f"第{n // 20 + 1}部分", ""]
        lines += [("一是配强班子。" if n % 5 == 0 else "") + PARAGRAPH, ""]
    return "\n".join(lines).encode("utf-8")


def seconds(data: bytes, name: str) -> float:
    start = time.perf_counter()
    result = import_source(data, f"content/sources/{name}")
    elapsed = time.perf_counter() - start
    assert result.cases and result.cases[0].blocks
    return elapsed


def exponent(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) over log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=int, default=2000, help="paragraphs at 1x")
    base = parser.parse_args().base
    sizes = [base, 4 * base, 16 * base]
    docx_times, text_times = [], []
    for size in sizes:
        docx_times.append(seconds(make_docx(size), "unit.docx"))
        text_times.append(seconds(as_text(size), "unit.txt"))
        print(
            f"{size:>7,} paragraphs: docx {docx_times[-1]:6.2f} s"
            f" ({1000 * docx_times[-1] / size:.3f} ms a paragraph),"
            f" same text as .txt {text_times[-1]:6.2f} s",
            flush=True,
        )
    print(
        f"exponent (time ∝ paragraphs^k): docx k = {exponent(sizes, docx_times):.2f},"
        f" txt k = {exponent(sizes, text_times):.2f}"
    )


if __name__ == "__main__":
    main()
