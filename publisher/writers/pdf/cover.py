"""The printed cover: back, spine and front on one sheet, with bleed and crop marks.

The sheet is two trim widths and the spine wide, the trim high; the spine is as thick as
the book block (`print_ready.spine_width_mm`: a leaf per paper thickness). Backgrounds are
set 3 mm past the sheet's edges, into the bleed that `print_ready.print_ready` adds around
it. The title runs down the spine one character a line, upright (the way Chinese spines
read), when the spine is wide enough for a legible character; the front has the title,
subtitle, compiler and date as the book's own cover page has them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ...look.fonts import FontStacks
from ...look.presentation import format_date
from ...look.templates import css_families
from ...look.theme import Theme
from ...model import Compendium
from .print_ready import BLEED_MM, print_ready, spine_width_mm
from .weasy import ProjectFetcher, load_weasyprint

__all__ = ["Cover", "write_cover", "MIN_SPINE_TEXT_MM"]

MIN_SPINE_TEXT_MM = 5.0  # a narrower spine carries no title: it would not be legible
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True, slots=True)
class Cover:
    data: bytes
    spine_mm: float
    width_mm: float  # the sheet at trim: back + spine + front
    height_mm: float
    warnings: tuple[str, ...] = ()


def write_cover(
    compendium: Compendium,
    theme: Theme,
    fonts: FontStacks,
    *,
    pages: int,
    paper_thickness_mm: float,
    date: str = "",
    dates: tuple[str, str] | None = None,
) -> Cover:
    """The cover PDF for a book block of `pages` pages on paper this thick per leaf;
    `dates`: the book's creation and modification dates (PDF form)."""
    spine = spine_width_mm(pages, paper_thickness_mm)
    width, height = theme.page.width_mm, theme.page.height_mm
    sheet = 2 * width + spine
    warnings = []
    if spine < MIN_SPINE_TEXT_MM:
        warnings.append(
            f"cover: the spine is {spine:g} mm ({pages} pages at {paper_thickness_mm:g} mm a "
            f"leaf), under {MIN_SPINE_TEXT_MM:g} mm: no title on it"
        )
    document = load_weasyprint().HTML(
        string=_html(compendium, theme, fonts, spine, sheet, date),
        url_fetcher=ProjectFetcher(),  # fetches nothing: the cover has no files
    )
    # PDF/X needs creation and modification dates: the book's (`dates`), never the clock.
    data = print_ready(document.write_pdf(pdf_identifier=b"publisher-cover"), dates=dates)
    return Cover(data, spine, sheet, height, tuple(warnings))


def _html(
    c: Compendium, theme: Theme, fonts: FontStacks, spine: float, sheet: float, date: str
) -> str:
    width, height = theme.page.width_mm, theme.page.height_mm
    bleed = BLEED_MM
    title_face = css_families(fonts.families("title"))
    body_face = css_families(fonts.families("body"))
    accent, text = theme.colors.accent, theme.colors.text
    band = min(height * 0.3, 80.0)
    spine_size = min(16.0, spine * 0.6 * PT_PER_MM)
    spine_title = ""
    if spine >= MIN_SPINE_TEXT_MM:
        spine_title = "".join(f"<span>{html.escape(ch)}</span>" for ch in c.title if ch.strip())
    e = html.escape
    lines = [
        f'<p class="title">{e(c.title)}</p>',
        f'<p class="subtitle">{e(c.subtitle)}</p>' if c.subtitle else "",
    ]
    foot = [
        f"<p>{e(c.compiler)}</p>" if c.compiler else "",
        f"<p>{e(format_date(c.date or date))}</p>" if (c.date or date) else "",
    ]
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(c.title)}</title><style>
@page {{ size: {sheet:.3f}mm {height:.3f}mm; margin: 0; }}
html {{ font-family: {body_face}; color: {text}; }}
body {{ margin: 0; }}
/* Backgrounds run {bleed:g} mm past the sheet: into the bleed. */
.band {{ position: absolute; top: -{bleed}mm; left: -{bleed}mm;
  width: {sheet + 2 * bleed:.3f}mm; height: {band + bleed:.3f}mm; background: {accent}; }}
.spine {{ position: absolute; top: -{bleed}mm; left: {width:.3f}mm; width: {spine:.3f}mm;
  height: {height + 2 * bleed:.3f}mm; background: {accent}; }}
.spine-title {{ position: absolute; top: {band + 15:.3f}mm; left: {width:.3f}mm;
  width: {spine:.3f}mm; text-align: center; color: #ffffff; font-family: {title_face};
  font-size: {spine_size:.2f}pt; line-height: 1.15; }}
.spine-title span {{ display: block; }}
.front {{ position: absolute; top: {band + 35:.3f}mm; left: {width + spine:.3f}mm;
  width: {width:.3f}mm; text-align: center; }}
.title {{ font-family: {title_face}; font-size: {theme.sizes.title:g}pt;
  font-weight: {"bold" if theme.fonts.title_bold else "normal"}; margin: 0 15mm; }}
.subtitle {{ font-size: {theme.sizes.case_subtitle:g}pt; margin: 8mm 15mm 0; }}
.foot {{ position: absolute; bottom: 30mm; left: {width + spine:.3f}mm; width: {width:.3f}mm;
  text-align: center; font-size: {theme.sizes.case_subtitle:g}pt; }}
.foot p, .front p {{ margin-bottom: 3mm; }}
</style></head><body>
<div class="band"></div><div class="spine"></div>
<div class="spine-title">{spine_title}</div>
<div class="front">{"".join(lines)}</div>
<div class="foot">{"".join(foot)}</div>
</body></html>"""
