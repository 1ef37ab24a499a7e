"""Where a figure's photos go on the page: printed size in mm, and the pixels that needs.

One photo fills the text width unless that would make it taller than `max_height` (a
portrait photo then prints narrower, centred). Two photos side by side share one height,
so their tops and bottoms line up. No image prints larger than its pixels allow at
`min_dpi`, and none is given more pixels than `max_dpi` needs.
"""

from __future__ import annotations

import math

from ..look.styletable import page_geometry
from ..look.theme import Theme

MM_PER_INCH = 25.4


def text_block_mm(theme: Theme) -> tuple[float, float]:
    """The text block both writers set: a whole number of body characters wide."""
    page = page_geometry(theme)
    return page.text_width_mm, page.text_height_mm


def printed_sizes(pixels: list[tuple[int, int]], theme: Theme) -> list[tuple[float, float]]:
    """Printed (width, height) in mm of each photo of a figure, left to right."""
    text_width, text_height = text_block_mm(theme)
    images = theme.images
    max_height = min(images.max_height, text_height * 0.55)
    gap = pair_gap_mm(theme) * (len(pixels) - 1)
    aspects = [w / h for w, h in pixels]
    height = min(max_height, (text_width - gap) / sum(aspects))
    height = min([height] + [h / images.min_dpi * MM_PER_INCH for _, h in pixels])
    # Rounded down to 0.01 mm: a pair that fills the text block must not overflow it.
    return [(_floor(height * a), _floor(height)) for a in aspects]


def _floor(mm: float) -> float:
    return math.floor(mm * 100 + 1e-6) / 100


def pair_gap_mm(theme: Theme) -> float:
    """Space between two photos side by side: the theme's, but at least one body
    character, the ideographic space the DOCX puts between them (with a hair to spare)."""
    return round(max(theme.images.pair_gap, theme.sizes.body * 25.4 / 72 + 0.1), 2)


def target_pixels(pixels: tuple[int, int], width_mm: float, theme: Theme) -> tuple[int, int]:
    """Pixels for `width_mm` at `max_dpi`, never more than the photo has."""
    width, height = pixels
    wanted = max(1, round(width_mm / MM_PER_INCH * theme.images.max_dpi))
    if wanted >= width:
        return pixels
    return wanted, max(1, round(height * wanted / width))
