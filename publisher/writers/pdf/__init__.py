"""The PDF writer: the content model typeset by WeasyPrint from `styles/` templates and CSS.

`write_pdf(compendium, theme, options, preflight)` renders the book's HTML (`writers.html`)
with the pre-flight's fonts, photos and numbers, cuts it into pieces (front matter, each
part page, case and afterword: `pieces`), lays each piece out as its own WeasyPrint
document (in worker processes with `resources.jobs` > 1; from `resources.cache_dir` when
nothing it depends on changed) and assembles the book (`assemble`). Returns the PDF bytes
with what a build report needs.
Pure: no clock, no network, no file outside the project's content/ and styles/ folders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...look.fonts import FACE_ROLES
from ...look.theme import Theme
from ...model import Compendium
from ...support.options import NO_RESOURCES, WriterOptions, WriterResources
from ..html import figure_views, render_css, render_html
from ..preflight import Preflight
from .assemble import Assembled, Assembler, plan_pages
from .layout import WORKER_PRELOAD, Layout, font_identity
from .pieces import PieceJob, PieceResult, piece_css, split_pieces
from .weasy import FetchRefused, ProjectFetcher

__all__ = ["PdfOutput", "write_pdf", "ProjectFetcher", "FetchRefused", "WORKER_PRELOAD"]


@dataclass(frozen=True)
class PdfOutput:
    """A typeset compendium and what the build report says about it."""

    data: bytes
    pages: int
    case_pages: dict[str, int]  # case id -> physical 1-based page of its title
    missing_images: tuple[str, ...]  # "图 2-1 (case-2)" for figures without an image
    part_pages: tuple[int, ...] = ()  # physical pages of the part title pages
    body_start: int = 0  # physical page that is printed as page 1
    tagged: bool = False
    warnings: tuple[str, ...] = ()  # for the build's warnings (e.g. ragged lines)
    pieces_laid_out: int = 0  # pieces WeasyPrint laid out in this build
    pieces_cached: int = 0  # pieces taken from the cache as they were
    fonts_merged: int = 0  # faces the pieces embedded separately, now one font each


def write_pdf(
    compendium: Compendium,
    theme: Theme,
    options: WriterOptions,
    pre: Preflight,
    *,
    resources: WriterResources = NO_RESOURCES,
) -> PdfOutput:
    """Typeset the compendium (the pre-flight has checked, naming the case files, all that
    could stop it).

    The book is laid out in pieces (`pieces`): the body's parts, cases and afterword
    first, in `resources.jobs` worker processes, each piece from `resources.cache_dir` when
    nothing it depends on changed; then the front matter, whose table of contents now
    knows every page number; then the pieces are assembled (`assemble`)."""
    views = figure_views(compendium, pre.images, pre.figures)
    jobs = _JobMaker.of(compendium, theme, options, pre)
    count = _PageCount(resources.on_page)
    # Each piece is copied into the book as soon as it is there, in book order, so the
    # copying overlaps the layout of the pieces after it (and the front last: the same
    # order every build, hence the same bytes).
    assembler = Assembler()
    with Layout(resources.jobs, resources.cache_dir, font_identity(pre.fonts)) as layout:
        html_text = render_html(compendium, theme, options, pre, figures=views)
        pieces = _lay_out(layout, jobs, html_text, assembler, count)
    book = assembler.finish(pieces, front_start=_front_start(pieces), glyphs=layout.glyphs)
    count(book.pages - count.reported)
    return _output(compendium, options, pre, pieces, book, layout.stats)


# (place in book order, kind, result) of every piece: what the assembly takes.
Placed = tuple[Any, str, PieceResult]


@dataclass(frozen=True)
class _JobMaker:
    """The layout jobs of a book's pieces: what every job shares (the book's stylesheet,
    its folders, the theme's folio) with each piece's HTML."""

    title: str
    css_text: str
    theme: Theme
    options: WriterOptions
    roots: tuple[str, ...]

    @classmethod
    def of(
        cls, compendium: Compendium, theme: Theme, options: WriterOptions, pre: Preflight
    ) -> _JobMaker:
        families = {role: pre.fonts.families(role) for role in FACE_ROLES}
        folders = (options.content_dir, options.styles_dir, pre.images.cache_dir)
        return cls(
            title=compendium.title,
            css_text=render_css(theme, options, pre.styles, families),
            theme=theme,
            options=options,
            roots=tuple(str(r) for r in folders),
        )

    def __call__(
        self, html_text: str, toc_pages: dict[str, str] | None, front: bool
    ) -> list[tuple[str, PieceJob]]:
        """(kind, job) of the front's pieces (`front`) or the body's, in book order."""
        return [
            (piece.kind, self.job(piece.name, piece.html, front))
            for piece in split_pieces(html_text, toc_pages, front_only=front)
            if (piece.kind == "front") == front
        ]

    def job(self, name: str, html: str, front: bool) -> PieceJob:
        page = self.theme.page
        return PieceJob(
            name=name,
            html=html,
            css=(
                self.css_text,
                piece_css(self.title, body=not front, folio=page.folio, dashes=page.folio_dashes),
            ),
            content_url=_dir_url(self.options.content_dir),
            styles_url=_dir_url(self.options.styles_dir),
            roots=self.roots,
            tagged=self.options.tagged_pdf,
            ragged_lines=self.theme.typography.ragged_lines,
            body=not front,
            folio=page.folio,
        )


class _PageCount:
    """Tells `on_page` of every page laid out so far, once each, in order."""

    def __init__(self, on_page: Callable[[int], None] | None) -> None:
        self.on_page = on_page
        self.reported = 0

    def __call__(self, pages: int) -> None:
        if self.on_page is not None:
            for number in range(self.reported + 1, self.reported + pages + 1):
                self.on_page(number)
        self.reported += pages


def _lay_out(
    layout: Layout, jobs: _JobMaker, html_text: str, assembler: Assembler, count: _PageCount
) -> list[Placed]:
    """The body's pieces, then the front's (whose table of contents needs the body's page
    numbers), each handed to `assembler` as it is laid out; all of them in book order."""
    body_jobs = jobs(html_text, None, front=False)
    kinds = [kind for kind, _ in body_jobs]
    body = layout.run(
        [job for _, job in body_jobs], count, lambda i, r: assembler.take(("body", i), r)
    )
    front = layout.run(
        [job for _, job in jobs(html_text, _toc_pages(kinds, body), front=True)],
        count,
        lambda i, r: assembler.take(("front", i), r, front=i == 0),
    )
    pieces: list[Placed] = [(("front", i), "front", r) for i, r in enumerate(front)]
    pieces += [(("body", i), kind, r) for i, (kind, r) in enumerate(zip(kinds, body, strict=True))]
    return pieces


def _toc_pages(kinds: list[str], body: list[PieceResult]) -> dict[str, str]:
    """The printed page number of each anchor a table of contents links to: body page 1
    is the first body piece's first page; every piece opens on a right page."""
    starts, _ = plan_pages(list(zip(kinds, body, strict=True)))
    return {
        anchor: str(starts[r.name])
        for r in body
        for anchor in {r.name, *(r.anchors[0] if r.anchors else [])}
    }


def _front_start(pieces: list[Placed]) -> int:
    """The physical page printed i: the front piece's page with the preface or the table
    of contents (0 when there is none)."""
    front = pieces[0][2] if pieces and pieces[0][1] == "front" else None
    return next(
        (
            index + 1
            for index, anchors in enumerate(front.anchors if front else [])
            if {"preface", "toc"} & set(anchors)
        ),
        0,
    )


def _output(
    compendium: Compendium,
    options: WriterOptions,
    pre: Preflight,
    pieces: list[Placed],
    book: Assembled,
    stats: dict[str, int],
) -> PdfOutput:
    """The book with what the build report says about it."""
    warnings = []
    if not all(r.justified for _, _, r in pieces):
        warnings.append(
            "Chinese lines are not justified flush (the justification hook "
            "cannot install in this WeasyPrint; the theme accepts ragged lines); "
            "see `publisher doctor`"
        )
    return PdfOutput(
        data=book.data,
        pages=book.pages,
        case_pages={
            c.id: book.anchors[f"case-{c.id}"]
            for c in compendium.cases
            if f"case-{c.id}" in book.anchors
        },
        missing_images=tuple(f"{m.label} ({m.case_id})" for m in pre.missing),
        part_pages=tuple(book.starts[r.name] for _, k, r in pieces if k == "part"),
        body_start=book.body_start,
        tagged=options.tagged_pdf,
        warnings=tuple(warnings),
        pieces_laid_out=stats["laid_out"],
        pieces_cached=stats["cached"],
        fonts_merged=book.fonts_merged,
    )


def _dir_url(path: Path) -> str:
    return path.resolve().as_uri() + "/"
