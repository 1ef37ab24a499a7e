"""What goes to the print shop (`publisher build --print`, or `print = true`): the book
block as `<output>-print.pdf` (the screen PDF's pages with bleed, crop marks, trim and bleed
boxes, PDF/X-4: `print_ready`), the cover as `<output>-cover.pdf` (`cover`), and the
pre-flight a print shop would run on them, for the build report: fonts embedded, every
photo's resolution at its printed size (a warning under 250 dpi), the spine's width."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...look.theme import Theme
from ...model import Compendium
from ..preflight import Preflight
from .cover import write_cover
from .print_ready import (
    BLEED_MM,
    MIN_PRINT_DPI,
    OUTPUT_CONDITION,
    pdf_dates,
    photo_resolutions,
    print_ready,
    unembedded_fonts,
)

__all__ = ["PrintShop", "write_print_shop", "PRINT_SUFFIX", "COVER_SUFFIX"]

PRINT_SUFFIX = "-print.pdf"
COVER_SUFFIX = "-cover.pdf"


@dataclass
class PrintShop:
    files: dict[str, bytes]  # file name -> bytes
    warnings: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # for the build report


def write_print_shop(
    screen_pdf: bytes,
    pages: int,
    compendium: Compendium,
    theme: Theme,
    preflight: Preflight,
    *,
    base: str,
    paper_thickness_mm: float,
    date: str = "",
) -> PrintShop:
    """The print PDF and the cover for the book whose screen PDF is `screen_pdf`."""
    block = print_ready(screen_pdf)
    cover = write_cover(
        compendium,
        theme,
        preflight.fonts,
        pages=pages,
        paper_thickness_mm=paper_thickness_mm,
        date=date,
        dates=pdf_dates(screen_pdf),
    )
    warnings = list(cover.warnings)
    unembedded = unembedded_fonts(block) + unembedded_fonts(cover.data)
    warnings += [f"print: font {name} is not embedded" for name in unembedded]
    photos = photo_resolutions(preflight.images)
    warnings += [
        f"print: {p.label} ({p.source}) is {p.dpi} dpi at its printed size, under "
        f"{MIN_PRINT_DPI}: supply a larger photo or print it smaller"
        for p in photos
        if p.low
    ]
    names = (base + PRINT_SUFFIX, base + COVER_SUFFIX)
    facts = {
        "files": list(names),
        "trim_mm": [theme.page.width_mm, theme.page.height_mm],
        "bleed_mm": BLEED_MM,
        "pages": pages,
        "paper_thickness_mm": paper_thickness_mm,
        "spine_mm": cover.spine_mm,
        "cover_mm": [round(cover.width_mm, 2), cover.height_mm],
        "output_intent": OUTPUT_CONDITION,
        "fonts_embedded": not unembedded,
        "photos": [{"figure": p.label, "file": p.source, "dpi": p.dpi} for p in photos],
    }
    return PrintShop(dict(zip(names, (block, cover.data), strict=True)), warnings, facts)
