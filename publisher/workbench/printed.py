"""A case's printed pages as images: its pages of the last built PDF, with their folios,
rendered by pdftoppm (poppler-utils, installed by ./run) into the build folder's cache.

After an edit, the case's proof (`api.proof_case`: its piece alone, with the folios it
carries in the last built book) stands in for them until the PDF is built again."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..pipeline.project import Project
from ..support.fileio import atomic_write

CACHE = Path(".cache") / "workbench" / "pages"
PROOFS = Path(".cache") / "workbench" / "proofs"  # one case's pages after an edit
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
    quick: bool = False  # the case's proof, laid out alone after an edit (the book's follow)


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
    cases = tuple(c for c in report.get("cases", []) if isinstance(c, dict))
    return BuiltPdf(pdf, pdf_key(pdf), int(report.get("pages") or 0), cases)


def pdf_key(pdf: Path) -> str:
    """A PDF's images' address: changes with the file."""
    stat = pdf.stat()
    key = hashlib.sha256(f"{pdf.name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return key.hexdigest()[:16]


def first_folio(book: BuiltPdf, case_id: str) -> int | None:
    """The folio case `case_id` opens on in the built book, or None."""
    entry = next((c for c in book.cases if c.get("id") == case_id), None)
    folio = str(entry.get("printed_page") or "") if entry else ""
    return int(folio) if folio.isdigit() else None


def _proof_path(project: Project, case_id: str) -> Path:
    return project.build / PROOFS / hashlib.sha256(case_id.encode()).hexdigest()[:16]


def save_proof(
    project: Project, case_id: str, data: bytes, book_key: str, folio: int, source: str
) -> None:
    """Keep case `case_id`'s proof, made while `book_key` was the last built PDF, of the
    case file whose digest is `source`."""
    stem = _proof_path(project, case_id)
    stem.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(stem.with_suffix(".pdf"), data)
    facts = {"case": case_id, "book": book_key, "folio": folio, "source": source}
    atomic_write(stem.with_suffix(".json"), json.dumps(facts))


def _proof(project: Project, book: BuiltPdf, case_id: str) -> tuple[BuiltPdf, int, str] | None:
    """Case `case_id`'s proof, its first folio and its case file's digest, if made since
    `book` was built."""
    stem = _proof_path(project, case_id)
    try:
        facts = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        pdf = stem.with_suffix(".pdf")
        if facts.get("case") != case_id or facts.get("book") != book.key:
            return None  # the book was built since: its pages are the newer
        pages = pdf_pages(pdf)
        return BuiltPdf(pdf, pdf_key(pdf), pages, ()), int(facts["folio"]), str(facts["source"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def has_proof(project: Project, book: BuiltPdf, case_id: str, source: str) -> bool:
    """Whether case `case_id`'s proof of the case file whose digest is `source` was made
    since `book` was built."""
    found = _proof(project, book, case_id)
    return found is not None and found[2] == source


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()  # as api.digest


def pdf_pages(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as opened:
        return len(opened.pages)


def pdf_by_key(project: Project, key: str) -> BuiltPdf | None:
    """The last built PDF or a case's proof whose images are addressed by `key`. A proof
    made before the last build still counts: a page showing it may still be fetching its
    images when the book's pages are built (they replace it as the build ends)."""
    book = last_pdf(project)
    if book is None or book.key == key:
        return book
    for pdf in (project.build / PROOFS).glob("*.pdf"):
        try:
            if pdf_key(pdf) == key:
                return BuiltPdf(pdf, key, pdf_pages(pdf), ())
        except (OSError, ValueError):
            continue
    return None


def printed_case(project: Project, case_id: str, case_file: Path) -> PrintedCase | None:
    """Case `case_id`'s pages in the last built PDF, or None."""
    book = last_pdf(project)
    if book is None:
        return None
    proof = _proof(project, book, case_id)
    if proof is not None:
        pdf, opening, source = proof
        pages = tuple(PrintedPage(i, str(opening + i - 1)) for i in range(1, pdf.pages + 1))
        # Stale when it is not of the file as it is now (a proof of an earlier save).
        stale = case_file.is_file() and _digest(case_file) != source
        return PrintedCase(pdf, pages, stale, quick=True)
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
        if old.name != book.key and pdf_by_key(project, old.name) is None:
            shutil.rmtree(old, ignore_errors=True)
    return target
