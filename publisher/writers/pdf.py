"""The PDF writer: the content model typeset by WeasyPrint from `styles/` templates and CSS.

`write_pdf(compendium, theme, options)` checks fonts and images, renders the book's HTML
(`writers.html`), cuts it into pieces (front matter, each part page, case and afterword:
`pdf_pieces`), lays each piece out as its own WeasyPrint document (in worker processes with
`options.jobs` > 1; from `options.cache_dir` when nothing it depends on changed) and
assembles the book (`pdf_assemble`). Returns the PDF bytes with what a build report needs.
Pure: no clock, no network, no file outside the project's content/ and styles/ folders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ..look.fonts import FACE_ROLES
from ..look.theme import Theme
from ..model import Compendium
from ..pipeline.preflight import Preflight, run_preflight
from ..support.errors import EnvironmentProblem
from ..support.fileio import atomic_write
from ..support.options import WriterOptions
from .html import figure_views, render_css, render_html
from .pdf_assemble import Assembler, plan_pages
from .pdf_pieces import (
    PieceJob,
    PieceResult,
    lay_out_piece,
    piece_css,
    piece_key,
    split_pieces,
    warm_up,
)

__all__ = ["PdfOutput", "write_pdf", "ProjectFetcher", "FetchRefused"]


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


class FetchRefused(ValueError):
    """A URL the typesetter may not fetch (network, or a file outside the project)."""


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango/HarfBuzz libraries missing
        raise EnvironmentProblem(
            f"WeasyPrint cannot start ({exc}); install it with its system libraries: "
            "sudo apt-get install libpango-1.0-0 libharfbuzz-subset0"
        ) from None
    return weasyprint


def _fetcher_class():
    weasyprint = _weasyprint()

    class _ProjectFetcher(weasyprint.URLFetcher):
        """Serves files under the allowed folders and nothing else: no network, no
        file:// elsewhere, no `..` escape (paths are resolved, symlinks included)."""

        def __init__(self, roots: tuple[Path, ...]) -> None:
            super().__init__(allowed_protocols=("file",))
            self.roots = tuple(r.resolve() for r in roots)
            self.refused: list[str] = []

        def path_for(self, url: str) -> Path:
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                raise FetchRefused(f"not fetched (only project files are): {url}")
            raw = url2pathname(unquote(parts.path))
            if ".." in Path(raw).parts:
                raise FetchRefused(f"not fetched ('..' in path): {url}")
            path = Path(raw).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise FetchRefused(f"not fetched (outside content/ and styles/): {url}")
            if not path.is_file():
                raise FetchRefused(f"not fetched (no such file): {url}")
            return path

        def fetch(self, url, headers=None):
            try:
                path = self.path_for(url)
            except FetchRefused:
                self.refused.append(url)
                raise
            return weasyprint.urls.URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={}
            )

    return _ProjectFetcher


def ProjectFetcher(*roots: Path):
    """A WeasyPrint URL fetcher limited to files under `roots`."""
    return _fetcher_class()(tuple(roots))


def write_pdf(
    compendium: Compendium,
    theme: Theme,
    options: WriterOptions,
    *,
    files: dict[str, str] | None = None,
    preflight: Preflight | None = None,
) -> PdfOutput:
    """Typeset the compendium. `files` (case id -> case file) makes messages name files;
    `preflight` is the build's (computed here when the writer is called on its own).

    The book is laid out in pieces (`pdf_pieces`): the body's parts, cases and afterword
    first, in `options.jobs` worker processes, each piece from `options.cache_dir` when
    nothing it depends on changed; then the front matter, whose table of contents now
    knows every page number; then the pieces are assembled (`pdf_assemble`)."""
    pre = preflight or run_preflight(compendium, theme, options, files=files)
    options = replace(options, images=pre.images)
    views = figure_views(compendium, options, pre.figures)
    missing = tuple(f"{m.label} ({m.case_id})" for m in pre.missing)
    families = {role: pre.fonts.families(role) for role in FACE_ROLES}
    css_text = render_css(theme, options, families)
    roots = tuple(str(r) for r in (options.content_dir, options.styles_dir, pre.images.cache_dir))

    def jobs_for(toc_pages: dict[str, str] | None, front: bool) -> list[tuple[str, PieceJob]]:
        return [
            (
                piece.kind,
                PieceJob(
                    name=piece.name,
                    html=piece.html,
                    css=(
                        css_text,
                        piece_css(
                            compendium.title,
                            body=not front,
                            folio=theme.page.folio,
                            dashes=theme.page.folio_dashes,
                        ),
                    ),
                    content_url=_dir_url(options.content_dir),
                    styles_url=_dir_url(options.styles_dir),
                    roots=roots,
                    tagged=options.tagged_pdf,
                    ragged_lines=theme.typography.ragged_lines,
                    body=not front,
                    folio=theme.page.folio,
                ),
            )
            for piece in split_pieces(html_text, toc_pages, front_only=front)
            if (piece.kind == "front") == front
        ]

    reported = [0]

    def report(pages: int) -> None:
        if options.on_page is not None:
            for number in range(reported[0] + 1, reported[0] + pages + 1):
                options.on_page(number)
        reported[0] += pages

    # Each piece is copied into the book as soon as it is there, in book order, so the
    # copying overlaps the layout of the pieces after it (and the front last: the same
    # order every build, hence the same bytes).
    assembler = Assembler()
    with _Layout(options.jobs, options.cache_dir, _font_identity(pre)) as layout:
        html_text = render_html(compendium, theme, options, figures=views, preflight=pre)
        body_jobs = jobs_for(None, front=False)
        kinds = [kind for kind, _ in body_jobs]
        body = layout.run(
            [job for _, job in body_jobs], report, lambda i, r: assembler.take(("body", i), r)
        )
        # Body page 1 is the first body piece's first page; every piece opens on a right page.
        starts, _ = plan_pages(list(zip(kinds, body, strict=True)))
        toc_pages = {
            anchor: str(starts[r.name])
            for r in body
            for anchor in {r.name, *(r.anchors[0] if r.anchors else [])}
        }
        front = layout.run(
            [job for _, job in jobs_for(toc_pages, front=True)],
            report,
            lambda i, r: assembler.take(("front", i), r, front=i == 0),
        )
    pieces = [(("front", i), "front", r) for i, r in enumerate(front)]
    pieces += [(("body", i), kind, r) for i, (kind, r) in enumerate(zip(kinds, body, strict=True))]
    front_start = next(
        (
            index + 1
            for index, anchors in enumerate(front[0].anchors if front else [])
            if {"preface", "toc"} & set(anchors)
        ),
        0,
    )
    book = assembler.finish(pieces, front_start=front_start, glyphs=layout.glyphs)
    report(book.pages - reported[0])
    case_pages = {
        c.id: book.anchors[f"case-{c.id}"]
        for c in compendium.cases
        if f"case-{c.id}" in book.anchors
    }
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
        case_pages=case_pages,
        missing_images=missing,
        part_pages=tuple(book.starts[r.name] for _, k, r in pieces if k == "part"),
        body_start=book.body_start,
        tagged=options.tagged_pdf,
        warnings=tuple(warnings),
        pieces_laid_out=layout.stats["laid_out"],
        pieces_cached=layout.stats["cached"],
        fonts_merged=book.fonts_merged,
    )


def _font_identity(pre: Preflight) -> tuple[str, ...]:
    """The installed font files a piece may be set in, with their siblings (the bold faces
    sit beside the regular ones): path, size and time."""
    folders = sorted(
        {
            str(Path(face.file).parent)
            for role in ("body", "heading", "caption")
            for face in getattr(pre.fonts, role)
        }
    )
    found = []
    for folder in folders:
        for path in sorted(Path(folder).iterdir()):
            try:
                stat = path.stat()
            except OSError:
                continue
            found.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return tuple(found)


PIECES_PER_WORKER = 40  # then the worker process is replaced


class _Layout:
    """Lays out pieces, in book order: from the cache, in this process (one job), or in
    worker processes forked from a server that has imported WeasyPrint once (even for one
    piece: the build's own process then never holds WeasyPrint's memory)."""

    def __init__(self, jobs: int, cache_dir: Path | None, fonts: tuple[str, ...]) -> None:
        self.jobs = max(1, jobs)
        self.cache_dir = cache_dir
        self.fonts = fonts
        self.pool: Any = None
        self.load = 0  # pieces given to the current workers
        self.stats = {"laid_out": 0, "cached": 0}
        self.used: set[str] = set()
        self.glyphs: dict[str, tuple[dict[int, float], dict[int, str]]] = {}  # per face

    def __enter__(self) -> _Layout:
        if self.jobs > 1:  # the workers start (importing WeasyPrint, loading the fonts)
            pool = self._pool()  # while this process renders the book's HTML
            for _ in range(self.jobs):
                pool.submit(warm_up)
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown()
        if exc_type is None and self.cache_dir is not None and self.cache_dir.is_dir():
            for path in self.cache_dir.iterdir():  # pieces of a book that is no more
                if path.stem not in self.used and path.suffix in (".pdf", ".json"):
                    path.unlink(missing_ok=True)

    def _pool(self):
        if self.pool is None:
            from ..support import workers

            self.pool = workers.pool(self.jobs)
        return self.pool

    def run(
        self,
        jobs: list[PieceJob],
        report: Callable[[int], None],
        take: Callable[[int, PieceResult], None],
    ) -> list[PieceResult]:
        """Lay out (or read from the cache) every piece; `take` gets each result in book
        order as soon as it is there."""
        keys = [piece_key(job, self.fonts) for job in jobs] if self.cache_dir else []
        self.used.update(keys)
        # Pieces not in the cache go to the workers first: they are laid out while this
        # process reads the cached ones. (A cached piece found damaged joins them later.)
        todo = [i for i in range(len(jobs)) if not keys or not self._in_cache(keys[i])]
        futures: dict[int, Any] = {}
        results = []
        for i, job in enumerate(jobs):
            if self.jobs > 1 and todo and not futures:
                self._submit(jobs, todo, futures)
            result = None if i in futures or i in todo or not keys else self._cached(keys[i])
            if result is None:
                if i not in futures and i not in todo and self.jobs > 1:  # damaged in the cache
                    futures[i] = self._pool().submit(lay_out_piece, job)
                    self.load += 1
                result = self._result(futures.pop(i)) if i in futures else lay_out_piece(job)
                self.stats["laid_out"] += 1
                if keys:
                    self._store(keys[i], result)
            else:
                self.stats["cached"] += 1
            for base, (widths, text) in result.fonts.items():  # folded into the book's
                union = self.glyphs.setdefault(base, ({}, {}))  # (not kept per piece:
                union[0].update(widths)  # type: ignore[arg-type]  # it adds up at 300 cases)
                union[1].update(text)  # type: ignore[arg-type]
            result.fonts = {}
            take(i, result)
            result.data = b""  # copied into the book
            results.append(result)
            report(result.pages)
        return results

    def _submit(self, jobs: list[PieceJob], todo: list[int], futures: dict[int, Any]) -> None:
        """The next pieces of `todo` to the workers, as many as they take before they are
        replaced by fresh ones: what WeasyPrint keeps between documents does not pile up,
        so memory stays flat however long the book. Called when every earlier result is
        in: the old workers are idle."""
        if self.pool is not None and self.load >= self.jobs * PIECES_PER_WORKER:
            self.pool.shutdown()
            self.pool, self.load = None, 0
        room = self.jobs * PIECES_PER_WORKER - self.load
        batch, todo[:] = todo[:room], todo[room:]
        futures.update({k: self._pool().submit(lay_out_piece, jobs[k]) for k in batch})
        self.load += len(batch)

    @staticmethod
    def _result(future: Any) -> PieceResult:
        from ..support import workers

        return workers.result(future, "a PDF layout worker process")

    def _in_cache(self, key: str) -> bool:
        assert self.cache_dir is not None
        return (self.cache_dir / f"{key}.pdf").is_file()

    def _cached(self, key: str) -> PieceResult | None:
        assert self.cache_dir is not None
        try:
            data = (self.cache_dir / f"{key}.pdf").read_bytes()
            facts = (self.cache_dir / f"{key}.json").read_text(encoding="utf-8")
            return PieceResult.from_facts(data, facts)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def _store(self, key: str, result: PieceResult) -> None:
        assert self.cache_dir is not None
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(self.cache_dir / f"{key}.json", result.facts())
        atomic_write(self.cache_dir / f"{key}.pdf", result.data)


def _dir_url(path: Path) -> str:
    return path.resolve().as_uri() + "/"
