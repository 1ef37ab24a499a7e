"""Benchmark: the Chinese typographic finish of the PDF, measured from its glyph positions.

    .venv/bin/python benchmarks/typography.py         # the seed compendium and the stress document
    .venv/bin/python benchmarks/typography.py --json     # the same as JSON
    .venv/bin/python benchmarks/typography.py --pdf x.pdf  # any PDF (body size from the theme)

Prints, for each document: flush % (body lines that are not a paragraph's last line, at
the right edge within 0.05 em) and the worst shortfall, adjacent full-width mark pairs and
the % compressed (1.5 em for two), Han–Latin gaps (count, median in em), 孤字 (last lines
of a single character) and kinsoku violations (a closing mark starting a line, an opening
one ending it). The measuring code is publisher/testing/pdf_typography.py, shared with the tests.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.look.theme import load_theme  # noqa: E402
from publisher.support.options import WriterOptions  # noqa: E402
from publisher.testing.pdf_typography import measure, stress_compendium  # noqa: E402
from publisher.writers.pdf import write_pdf  # noqa: E402
from publisher.writers.preflight import run_preflight  # noqa: E402


def seed_pdf() -> tuple[bytes, float]:
    from publisher.pipeline.project import Project, load_project

    loaded = load_project(Project(ROOT))
    options = WriterOptions(
        content_dir=ROOT / "content",
        styles_dir=ROOT / "styles",
        date="2026-01-01",
        tagged_pdf=False,
        missing_images=loaded.settings.missing_images,
    )
    pre = run_preflight(loaded.compendium, loaded.theme, options, files=loaded.files)
    return write_pdf(loaded.compendium, loaded.theme, options, pre).data, loaded.theme.sizes.body


def stress_pdf() -> tuple[bytes, float]:
    theme = load_theme(ROOT / "styles" / "theme.toml")
    options = WriterOptions(
        content_dir=ROOT / "content",
        styles_dir=ROOT / "styles",
        date="2026-01-01",
        tagged_pdf=False,
    )
    book = stress_compendium()
    return write_pdf(
        book, theme, options, run_preflight(book, theme, options)
    ).data, theme.sizes.body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pdf", type=Path, help="measure this PDF instead")
    args = parser.parse_args()
    if args.pdf:
        body = load_theme(ROOT / "styles" / "theme.toml").sizes.body
        jobs = {args.pdf.name: lambda: (args.pdf.read_bytes(), body)}
    else:
        jobs = {"seed compendium": seed_pdf, "stress document": stress_pdf}
    results = {}
    for name, job in jobs.items():
        start = time.perf_counter()
        data, body = job()
        figures = measure(data, body)
        results[name] = dict(
            figures.summary(),
            seconds=round(time.perf_counter() - start, 1),
            examples={
                "uncompressed": figures.uncompressed_examples,
                "孤字": figures.orphans,
                "kinsoku": figures.kinsoku,
            },
        )
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    keys = [k for k in next(iter(results.values())) if k not in ("examples", "seconds")]
    names = list(results)
    print(f"{'':28}" + "".join(f"{n:>18}" for n in names))
    for key in keys:
        print(f"{key:28}" + "".join(f"{results[n][key]!s:>18}" for n in names))
    for name in names:
        for what, found in results[name]["examples"].items():
            if found:
                print(f"{name}: {what}: {', '.join(found[:8])}")


if __name__ == "__main__":
    main()
