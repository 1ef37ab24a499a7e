"""Benchmark: one very long article (1.2 MB of text by default), built as an editor would.

    .venv/bin/python benchmarks/large_article.py [--megabytes 1.2]

The article is the seed cases' paragraphs repeated into a single case, with a section
heading every 40 paragraphs, so it is real text (punctuation, numbers, Latin) at the
size of a long report. Prints wall time, peak memory and pages for the PDF and the DOCX.
The issue's target: a 1.2 MB article builds in at most 60 s.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from build import ROOT, copy_project, measure

HEAD = """---
id: long-report
title: 一篇很长的调研报告
authors:
- name: 测试
date: '2020-06-11'
source: 示例来源
region: 广西
---

"""


def long_article(size: int) -> str:
    paragraphs = []
    for path in sorted((ROOT / "content" / "cases").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        paragraphs += [
            line.strip()
            for line in body.splitlines()
            if len(line.strip()) > 60 and not line.lstrip().startswith(("!", "#", ">", "*"))
        ]
    out, written, i = [], 0, 0
    while written < size:
        out.append(paragraphs[i % len(paragraphs)])
        written += len(out[-1].encode("utf-8")) + 2
        i += 1
        if i % 40 == 0:
            out.append(f"## 第{i // 40}部分")
    return HEAD + "\n\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "long"
        copy_project(project)
        cases = project / "content" / "cases"
        for path in cases.glob("*.md"):
            path.unlink()
        for path in (project / "content" / "sources").glob("*"):
            path.unlink()  # nothing to import
        (cases / "long-report.md").write_text(
            long_article(int(args.megabytes * 1_000_000)), encoding="utf-8"
        )
        settings = project / "content" / "compendium.toml"
        head = settings.read_text(encoding="utf-8").split("[[parts]]")[0]
        settings.write_text(head.replace("preface =", "# preface ="), encoding="utf-8")
        for fmt in ("pdf", "docx"):
            r = measure("build", "--force", "--format", fmt, cwd=project)
            report = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
            pages = f"  {report['pages']} pages" if fmt == "pdf" else ""
            print(
                f"{args.megabytes} MB article, {fmt}: {r['seconds']:7.2f} s  "
                f"{r['peak_mb']:5d} MB{pages}"
            )


if __name__ == "__main__":
    main()
