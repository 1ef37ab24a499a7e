"""A PDF's pages read as a reader reads them: each line by its place on the page, and the
page cut into its head band (above the text block), body and foot band (below it).

Renderers store text in any order (LibreOffice 25 writes a page's footer before its body,
7.4 after it), so the tests find folios, running heads and TOC lines by position, never by
the order of the text in the file."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar

from publisher.testing.pdf_typography import _chars

MM = 72 / 25.4


@dataclass(frozen=True)
class PageText:
    number: int  # 1-based physical page
    head: tuple[str, ...]  # lines above the text block, top to bottom
    body: tuple[str, ...]  # lines of the text block, top to bottom
    foot: tuple[str, ...]  # lines below the text block, top to bottom

    @property
    def blank(self) -> bool:
        return not (self.head or self.body or self.foot)

    @property
    def right_hand(self) -> bool:
        return self.number % 2 == 1  # page 1 (the cover) is a right-hand page

    @property
    def folio(self) -> str:
        return "".join(self.foot)

    @property
    def running_head(self) -> str:
        return "".join(self.head)


def read_pages(pdf: Path | bytes, top_mm: float, bottom_mm: float) -> list[PageText]:
    """Every page's lines, spaces removed, sorted by height on the page and, within a line,
    left to right; `top_mm` and `bottom_mm` are the text block's margins."""
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    pages = []
    for number, layout in enumerate(extract_pages(io.BytesIO(data)), 1):
        height = layout.height
        rows = _rows([c for c in _chars(layout) if isinstance(c, LTChar)], height)
        bands: dict[str, list[str]] = {"head": [], "body": [], "foot": []}
        for top, text in rows:
            if top < top_mm * MM * 0.9:
                bands["head"].append(text)
            elif top > height - bottom_mm * MM * 0.9:
                bands["foot"].append(text)
            else:
                bands["body"].append(text)
        pages.append(PageText(number, *(tuple(bands[b]) for b in ("head", "body", "foot"))))
    return pages


def _rows(chars: list[LTChar], height: float) -> list[tuple[float, str]]:
    """Characters grouped into lines by their vertical middle (within half a glyph), each
    line with the distance of its top from the page's top."""
    chars = [c for c in chars if c.get_text().strip()]
    chars.sort(key=lambda c: (-(c.y0 + c.y1) / 2, c.x0))
    rows: list[tuple[float, float, list[LTChar]]] = []  # (middle, top from page top, chars)
    for char in chars:
        middle = (char.y0 + char.y1) / 2
        if rows and abs(rows[-1][0] - middle) < char.size / 2:
            rows[-1][2].append(char)
        else:
            rows.append((middle, height - char.y1, [char]))
    return [
        (top, "".join(c.get_text() for c in sorted(line, key=lambda c: c.x0)))
        for _, top, line in rows
    ]
