"""The DOCX writer: the compendium as an editor's Word file (styles, fields, sections).

`write_docx(compendium, theme, options, preflight)` returns the file's bytes; it is a pure
function of its arguments (no clock, no globals). Where LibreOffice is installed and
`options.docx_toc_pages` is on, the TOC's cached page numbers are filled in from a
headless LibreOffice layout of the same file; otherwise the TOC lists every entry without
numbers. Either way the file asks Word and WPS to update its fields on opening
(`w:updateFields`): they paginate differently. LibreOffice 7.4 ignores that setting and
shows the pre-filled numbers (measured: a TOC pre-filled with 99s renders 99s), so the
pre-filled numbers are what LibreOffice users see and what Word shows until it updates.

Fonts are named (theme `[docx]`), not embedded: Word embeds TrueType fonts only on
Windows, LibreOffice and WPS do not read embedded CJK fonts reliably, and a CJK face is
10–20 MB. Known LibreOffice 7.4 quirk: with an odd-page break and a different first page,
the left-hand page right after a case's opening page shows no running head (LibreOffice
follows its right-only copy of the first-page style with the first-page style again);
Word and WPS show it. The LibreOffice page pass mends that chain of page styles before
it lays the pages out (`lo_pages.right_hand_openings`), so its page numbers are those of a
book with that head, as in Word.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

from ... import __version__
from ...look.theme import Theme
from ...model import Compendium
from ...patches import python_docx
from ...support.options import NO_RESOURCES, WriterOptions, WriterResources
from ..preflight import Preflight
from . import oxml
from .document import Composer, MissingImage, TocEntry, bookmark_name, toc_entries
from .package import reproducible_zip
from .styles import STYLE, Fonts

__all__ = [
    "write_docx",
    "DocxOutput",
    "MissingImage",
    "TocEntry",
    "STYLE",
    "toc_entries",
    "bookmark_name",
]


@dataclass(frozen=True, slots=True)
class DocxOutput:
    data: bytes
    toc_pages: dict[str, int] | None  # case id → page, when LibreOffice filled them
    missing_images: tuple[MissingImage, ...]
    warnings: tuple[str, ...] = ()
    fonts: Fonts | None = None


def _date(value: str) -> datetime | None:
    if not value:
        return None
    parts = [int(p) for p in value[:10].split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2], tzinfo=UTC)


def _build(
    compendium: Compendium,
    theme: Theme,
    options: WriterOptions,
    fonts: Fonts,
    pre: Preflight,
    pages: dict[str, str] | None,
) -> tuple[bytes, tuple[MissingImage, ...]]:
    # Linear-time python-docx steps (benchmarks/NOTES.md), the template's XML parts.
    with python_docx.xml_parts(), python_docx.linear_steps():
        composer = Composer(compendium, theme, options, fonts, pages, pre)
        composer.compose()
        doc = composer.doc
        _properties(doc, compendium, options)
        buffer = io.BytesIO()
        doc.save(buffer)
        app = oxml.app_properties(f"publisher {__version__}")
        return (
            reproducible_zip(buffer.getvalue(), {"docProps/app.xml": app}),
            tuple(composer.missing),
        )


def _properties(doc, compendium: Compendium, options: WriterOptions) -> None:
    """The document's core properties: title, author, language, dates (none when the
    build has no date: never the clock)."""
    props = doc.core_properties
    props.title = compendium.title
    props.subject = compendium.subtitle
    props.author = compendium.compiler
    props.last_modified_by = compendium.compiler
    props.language = compendium.lang
    props.keywords = "案例汇编"
    props.comments = ""
    props.category = ""
    props.revision = 1
    when = _date(options.date) or _date(compendium.date)
    if when is not None:
        props.created = when
        props.modified = when
    else:
        core = next(
            part for part in doc.part.package.iter_parts() if part.partname == "/docProps/core.xml"
        )
        oxml.remove_core_dates(core.element)


def write_docx(
    compendium: Compendium,
    theme: Theme,
    options: WriterOptions,
    pre: Preflight,
    *,
    fonts: Fonts | None = None,
    resources: WriterResources = NO_RESOURCES,
) -> DocxOutput:
    """The compendium as DOCX bytes, with TOC page numbers where LibreOffice can lay it out
    (`resources.office`: one the build started early)."""
    fonts = fonts or Fonts.resolve(theme)
    data, missing = _build(compendium, theme, options, fonts, pre, None)
    if not options.docx_toc_pages:
        return DocxOutput(data, None, missing, (), fonts)
    from .toc_pages import page_numbers  # imported late: it runs a subprocess

    entries = toc_entries(compendium, pre)
    result = page_numbers(data, entries, office=resources.office)
    if result.pages is None:
        return DocxOutput(data, None, missing, result.warnings, fonts)
    data, missing = _build(compendium, theme, options, fonts, pre, result.pages)
    by_case = {
        e.case_id: int(result.pages[e.bookmark])
        for e in entries
        if e.case_id and result.pages.get(e.bookmark, "").isdigit()
    }
    return DocxOutput(data, by_case, missing, result.warnings, fonts)
