"""A case's printed pages as images: its pages of the last built PDF, with their folios,
rendered by pdftoppm (poppler-utils, installed by ./run) into the build folder's cache."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..pipeline.project import Project

CACHE = Path(".cache") / "workbench" / "pages"
RESOLUTION = 60  # dpi: an A4 page 500 px wide, sharp enough to read a folio and a layout


@dataclass(frozen=True)
class PrintedPage:
    index: int  # 1-based page of the PDF
    folio: str  # as printed on it


@dataclass(frozen=True)
class BuiltPdf:
    path: Path
    key: str  # changes with the file: an image's address changes with the PDF
    pages: int
    cases: tuple[dict, ...]  # report.json's cases: id, pdf_page, printed_page


@dataclass(frozen=True)
class PrintedCase:
    pdf: BuiltPdf
    pages: tuple[PrintedPage, ...]
    stale: bool  # the case file changed after the PDF was built


def last_pdf(project: Project) -> BuiltPdf | None:
    """The PDF of the last build and where its cases are (build/report.json)."""
    out = project.build
    try:
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    names = [
        str(o.get("file", ""))
        for o in report.get("outputs", [])
        if isinstance(o, dict) and str(o.get("file", "")).endswith(".pdf")
    ]
    names = [n for n in names if "/" not in n and "\\" not in n]
    pdf = out / names[0] if names else None
    if pdf is None or not pdf.is_file():
        return None
    stat = pdf.stat()
    key = hashlib.sha256(f"{pdf.name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    cases = tuple(c for c in report.get("cases", []) if isinstance(c, dict))
    return BuiltPdf(pdf, key.hexdigest()[:16], int(report.get("pages") or 0), cases)


def printed_case(project: Project, case_id: str, case_file: Path) -> PrintedCase | None:
    """Case `case_id`'s pages in the last built PDF, or None."""
    book = last_pdf(project)
    if book is None:
        return None
    cases = book.cases
    for n, entry in enumerate(cases):
        if entry.get("id") != case_id or not entry.get("pdf_page"):
            continue
        first = int(entry["pdf_page"])
        following = [int(c["pdf_page"]) for c in cases[n + 1 :] if c.get("pdf_page")]
        last = (following[0] - 1) if following else book.pages
        folio = entry.get("printed_page")
        pages = tuple(
            PrintedPage(i, str(int(folio) + i - first) if folio else "")
            for i in range(first, max(first, last) + 1)
        )
        stale = case_file.is_file() and case_file.stat().st_mtime > book.path.stat().st_mtime
        return PrintedCase(book, pages, stale)
    return None


def page_image(project: Project, book: BuiltPdf, index: int) -> Path | None:
    """The PNG of page `index` of the built PDF, made once per PDF."""
    folder = project.build / CACHE / book.key
    target = folder / f"p-{index}.png"
    if target.is_file():
        return target
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"tmp-{index}"
    run = subprocess.run(
        [tool, "-r", str(RESOLUTION), "-png", "-singlefile", "-f", str(index), "-l", str(index)]
        + [str(book.path), str(stem)],
        capture_output=True,
        timeout=60,
    )
    made = stem.with_suffix(".png")
    if run.returncode != 0 or not made.is_file():
        return None
    made.replace(target)
    for old in (project.build / CACHE).iterdir():  # images of older PDFs
        if old.name != book.key:
            shutil.rmtree(old, ignore_errors=True)
    return target
