"""The pre-flight: the writers' one input beside the model, computed once, before anything
is typeset.

- fonts: the theme's font stacks, with every character of the book checked against them;
- photos: the image stage's, and the missing-image policy applied once;
- case and figure numbers (图 n-m), the table of contents, the resolved style table.

The build runs it once and hands it to each typesetting writer (`publisher.writers.WRITERS`),
which only writes and never runs it again: a writer called on its own, as tests and
benchmarks do, is given one (`run_preflight`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..imaging import ResolvedImages, prepare_images
from ..look.fonts import FontStacks, check_coverage
from ..look.styletable import StyleTable, resolve_styles
from ..look.theme import Theme
from ..look.toc import TocEntry, toc_entries
from ..model import Compendium, Figure, NumberedFigure
from ..support.errors import ContentError
from ..support.options import WriterOptions


@dataclass(frozen=True, slots=True)
class MissingFigure:
    """A figure printed without a photo (a placeholder or its caption only)."""

    case_id: str
    index: int  # block index in the case
    label: str  # 图 2-1
    caption: str
    image: str  # the path the case file names, "" when none


@dataclass(frozen=True, slots=True)
class Preflight:
    """What every typesetting writer reads beside the model, the theme and the options."""

    styles: StyleTable  # the theme's resolved style table: CSS and DOCX styles alike
    fonts: FontStacks
    images: ResolvedImages  # the image stage's photos: the writers embed only these
    case_numbers: dict[str, int]  # case id → 1-based number
    figures: dict[str, dict[int, NumberedFigure]]  # case id → block index → 图 n-m
    toc: tuple[TocEntry, ...]
    missing: tuple[MissingFigure, ...]


def run_preflight(
    compendium: Compendium,
    theme: Theme,
    options: WriterOptions,
    *,
    files: dict[str, str] | None = None,
    cache_dir: Path | None = None,
    prune: bool = False,
    chars: dict[str, dict[str, str]] | None = None,
) -> Preflight:
    """Check and compute everything the writers share; raise ContentError naming the case
    file and line for what cannot be printed (a character no font has, a broken image, a
    missing photo under `missing_images = "error"`). `chars`: each case's characters, as
    the case cache kept them (`Loaded.chars`)."""
    files = files or {}
    # The build's call (`prune`) keeps the fonts' character tables beside its image cache.
    fonts_cache = cache_dir.parent / "fonts" if cache_dir is not None and prune else None
    fonts = check_coverage(compendium, theme, files, cache=fonts_cache, chars=chars)
    case_numbers = {case.id: n for n, case in enumerate(compendium.cases, 1)}
    figures: dict[str, dict[int, NumberedFigure]] = {}
    for case in compendium.cases:
        numbered: dict[int, NumberedFigure] = {}
        for index, block in enumerate(case.blocks):
            if isinstance(block, Figure):
                numbered[index] = NumberedFigure(case_numbers[case.id], len(numbered) + 1, block)
        figures[case.id] = numbered
    images = prepare_images(
        compendium,
        theme,
        options.content_dir,
        cache_dir or Path(tempfile.gettempdir()) / "publisher-images",
        files=files,
        missing_images=options.missing_images,
        prune=prune,
    )
    missing = []
    for case in compendium.cases:
        for index, nf in figures[case.id].items():
            placed = images.get(case.id, index)
            if placed is not None and not placed.missing:
                continue
            fig = nf.figure
            if options.missing_images == "error":
                what = f"{fig.image!r} not found" if fig.image else "no image given"
                raise ContentError(
                    f'{nf.label}: {what} (missing_images = "error")',
                    path=files.get(case.id, case.source_file or case.id),
                    line=fig.line,
                )
            missing.append(MissingFigure(case.id, index, nf.label, fig.caption, fig.image))
    return Preflight(
        resolve_styles(theme),
        fonts,
        images,
        case_numbers,
        figures,
        tuple(toc_entries(compendium)),
        tuple(missing),
    )
