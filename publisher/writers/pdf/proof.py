"""One case's pages as they print, without the book: its piece laid out through the
build's own code and piece cache (`layout`), with the folios the assembly would draw,
numbered from the case's first printed page in the last built book.

The workbench shows these after an edit, seconds before the whole book is built again;
the build then takes the piece from the cache. Later folios may move when the case grew
or shrank: the build's pages replace these when it is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...look.theme import Theme
from ...model import Compendium
from ...support.options import WriterOptions, WriterResources
from ..html import figure_views, render_html
from ..preflight import Preflight
from .assemble import Assembler
from .layout import Layout, font_identity

__all__ = ["CaseProof", "proof_case"]


@dataclass(frozen=True)
class CaseProof:
    data: bytes  # the case's pages, folios drawn
    pages: int
    cached: bool  # the piece came from the cache as it was


def proof_case(
    compendium: Compendium,
    theme: Theme,
    options: WriterOptions,
    preflight: Preflight,
    case_id: str,
    first_folio: int,
    *,
    resources: WriterResources,
) -> CaseProof | None:
    """Case `case_id`'s piece as it prints when its first page is folio `first_folio`;
    None when the book has no such piece. `resources.cache_dir`: the build's piece cache
    (read, and the new piece stored there for the build to take)."""
    from . import _JobMaker

    views = figure_views(compendium, preflight.images, preflight.figures)
    html_text = render_html(compendium, theme, options, preflight, figures=views)
    jobs = _JobMaker.of(compendium, theme, options, preflight)
    found = [job for _, job in jobs(html_text, None, front=False) if job.name == f"case-{case_id}"]
    if not found:
        return None
    # The assembly of a one-piece book: its fonts made whole, its folios drawn.
    assembler = Assembler()
    # No pruning of the cache: this is one piece of a book, not the book.
    fonts = font_identity(preflight.fonts)
    layout = Layout(resources.jobs, resources.cache_dir, fonts, prune=False)
    with layout:
        (piece,) = layout.run(found, lambda _pages: None, lambda i, r: assembler.take(i, r))
    book = assembler.finish(
        [(0, "case", piece)], front_start=0, glyphs=layout.glyphs, first_folio=first_folio
    )
    return CaseProof(book.data, piece.pages, piece.cached)
