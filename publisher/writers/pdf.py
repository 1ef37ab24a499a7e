"""The PDF writer: the content model typeset by WeasyPrint from `styles/` templates and CSS.

`write_pdf(compendium, theme, options)` checks fonts and images, renders the HTML
(`writers.html`), lays it out with WeasyPrint's document API (so it can read where each
case landed), and returns the PDF bytes with what a build report needs. Pure: no clock,
no network, no file outside the project's content/ and styles/ folders.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ..look.theme import Theme
from ..model import Compendium
from ..pipeline.preflight import Preflight, run_preflight
from ..support.errors import EnvironmentProblem
from ..support.options import WriterOptions
from .html import figure_views, render_css, render_html
from .pdf_justify import inter_character_justification
from .pdf_pages import merge_links, page_labels_finisher
from .pdf_speedups import cached_page_references

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
    `preflight` is the build's (computed here when the writer is called on its own)."""
    pre = preflight or run_preflight(compendium, theme, options, files=files)
    options = replace(options, images=pre.images)
    views = figure_views(compendium, options, pre.figures)
    missing = tuple(f"{m.label} ({m.case_id})" for m in pre.missing)
    families = {role: pre.fonts.families(role) for role in ("body", "heading", "caption")}

    html_text = render_html(compendium, theme, options, figures=views, preflight=pre)
    css_text = render_css(theme, options, families)

    weasyprint = _weasyprint()
    fetcher = ProjectFetcher(options.content_dir, options.styles_dir, pre.images.cache_dir)
    render_options = dict(
        pdf_tags=options.tagged_pdf,
        pdf_variant="pdf/ua-1" if options.tagged_pdf else None,
        pdf_identifier=hashlib.sha256((html_text + "\0" + css_text).encode("utf-8"))
        .hexdigest()[:32]
        .encode("ascii"),
        optimize_images=False,  # the image stage has sized and encoded every photo:
        # WeasyPrint embeds its JPEGs as they are
    )
    stylesheet = weasyprint.CSS(
        string=css_text, base_url=_dir_url(options.styles_dir), url_fetcher=fetcher
    )
    html = weasyprint.HTML(
        string=html_text, base_url=_dir_url(options.content_dir), url_fetcher=fetcher
    )
    warnings: list[str] = []
    with (
        inter_character_justification(ragged_lines=theme.typography.ragged_lines) as justified,
        _pages_reported(options.on_page),
    ):
        document = html.render(stylesheets=[stylesheet], **render_options)
    if not justified:
        warnings.append(
            "Chinese lines are not justified flush (the justification hook "
            "cannot install in this WeasyPrint; the theme accepts ragged lines); "
            "see `publisher doctor`"
        )

    case_pages: dict[str, int] = {}
    part_pages: list[int] = []
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            if anchor.startswith("case-"):
                case_pages.setdefault(anchor[5:], number)
            elif anchor.startswith("part-"):
                part_pages.append(number)
    first_body = part_pages[:1] + sorted(case_pages.values())[:1]
    body_start = min(first_body, default=0)  # the page printed as 1
    front_start = min(
        (n for n, page in enumerate(document.pages, 1) if {"preface", "toc"} & set(page.anchors)),
        default=0,
    )  # printed i
    merge_links(document.pages)
    with cached_page_references():
        data = document.write_pdf(
            finisher=page_labels_finisher(front_start, body_start), **render_options
        )
    return PdfOutput(
        data=data,
        pages=len(document.pages),
        case_pages={c.id: case_pages[c.id] for c in compendium.cases if c.id in case_pages},
        missing_images=missing,
        part_pages=tuple(part_pages),
        body_start=body_start,
        tagged=options.tagged_pdf,
        warnings=tuple(warnings),
    )


class _PageCounter(logging.Handler):
    """WeasyPrint logs `Step 5 - Creating layout - Page N` to its documented progress
    logger (`weasyprint.progress`) as it lays out each page; a second pass (for the TOC's
    page numbers) starts again at 1 and is not counted again."""

    def __init__(self, on_page: Callable[[int], None]) -> None:
        super().__init__(logging.INFO)
        self.on_page = on_page
        self.pages = 0

    def emit(self, record: logging.LogRecord) -> None:
        if not (
            str(record.msg).startswith("Step 5 - Creating layout - Page")
            and isinstance(record.args, tuple)
            and record.args
        ):
            return
        page = record.args[0]
        if isinstance(page, int) and page > self.pages:
            self.pages = page
            self.on_page(page)


@contextmanager
def _pages_reported(on_page: Callable[[int], None] | None) -> Iterator[None]:
    if on_page is None:
        yield
        return
    logger = logging.getLogger("weasyprint.progress")
    handler, level, propagate = _PageCounter(on_page), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the page lines go to the counter only
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def _dir_url(path: Path) -> str:
    return path.resolve().as_uri() + "/"
