"""Time the DOCX build: without and with the LibreOffice TOC page pass.

    .venv/bin/python benchmarks/docx_build.py [--cases N] [--repeat R]

Uses the project's content when present (content/compendium.toml), else a synthetic
compendium of N cases built like the test fixture. Prints one line per configuration:
cases, pages of the DOCX as LibreOffice lays it out (when measured), best and median time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.look.theme import load_theme  # noqa: E402
from publisher.model import Block, Case, Compendium, Figure, Heading, Paragraph, Part, Run  # noqa: E402
from publisher.support.options import WriterOptions  # noqa: E402
from publisher.writers.docx import write_docx  # noqa: E402
from publisher.writers.preflight import run_preflight  # noqa: E402


def synthetic(n: int) -> Compendium:
    text = "近年来，某县以党建为引领，推进脱贫攻坚，全县6156户、25783人已脱贫。" * 6
    cases = []
    for i in range(1, n + 1):
        blocks: list[Block] = [Figure(f"第{i}案的照片。", credit="孙璞玉 摄")]
        for h in range(1, 4):
            blocks.append(Heading(1, f"第{h}部分：建队伍，聚力精准扶贫"))
            blocks += [Paragraph.of(text)] * 3
            blocks.append(Paragraph((Run("一是配强班子领导。", strong=True), Run(text))))
            blocks.append(Figure(f"第{i}案第{h}张照片。"))
        cases.append(
            Case(id=f"case-{i}", title=f"第{i}个案例：党建引领助推精准脱贫", blocks=tuple(blocks))
        )
    return Compendium(
        title="抓党建促脱贫攻坚典型案例汇编",
        parts=(Part("", tuple(cases)),),
        compiler="编写组",
        date="2026-11-01",
    )


def project_compendium():
    try:
        from publisher.pipeline.project import Project, load_project

        loaded = load_project(Project(ROOT))
        return loaded.compendium, loaded.theme
    except Exception as exc:  # no content yet, or content that does not load
        print(f"(project content not used: {exc})", file=sys.stderr)
        return None, None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=0, help="synthetic compendium of N cases")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    theme = load_theme(ROOT / "styles" / "theme.toml")
    if args.cases:
        comp, label = synthetic(args.cases), f"synthetic-{args.cases}"
    else:
        comp, project_theme = project_compendium()
        label = "project content"
        if comp is None:
            comp, label = synthetic(5), "synthetic-5"
        else:
            theme = project_theme or theme
    for toc_pass in (False, True):
        options = WriterOptions(
            content_dir=ROOT / "content",
            styles_dir=ROOT / "styles",
            date="2026-11-01",
            docx_toc_pages=toc_pass,
        )
        times = []
        for _ in range(max(args.repeat, 1)):
            t0 = time.perf_counter()
            out = write_docx(comp, theme, options, run_preflight(comp, theme, options))
            times.append(time.perf_counter() - t0)
        pages = "" if out.toc_pages is None else f", last case on p. {max(out.toc_pages.values())}"
        print(
            f"{label}: {len(comp.cases)} cases, LibreOffice TOC pass "
            f"{'on ' if toc_pass else 'off'}: best {min(times):.2f} s, median "
            f"{statistics.median(times):.2f} s, {len(out.data) / 1024:.0f} KiB{pages}"
            + (f" [warnings: {'; '.join(out.warnings)}]" if out.warnings else "")
        )


if __name__ == "__main__":
    main()
