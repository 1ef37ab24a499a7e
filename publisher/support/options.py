"""Writer options: one record handed to every writer, never globals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..imaging import ResolvedImages

MissingImages = Literal["placeholder", "caption-only", "error"]


@dataclass(frozen=True, slots=True)
class WriterOptions:
    content_dir: Path  # figure images resolve inside it, and nowhere else
    styles_dir: Path  # templates, CSS and the theme live here
    missing_images: MissingImages = "placeholder"
    date: str = ""  # ISO date for document metadata: from content, git or
    # SOURCE_DATE_EPOCH (never the clock), so builds reproduce
    tagged_pdf: bool = True  # PDF/UA-1 structure tags
    docx_toc_pages: bool = True  # fill DOCX TOC page numbers with LibreOffice when present
    office: Path | None = None  # a LibreOffice the build started early for that (warm_office)
    on_page: Callable[[int], None] | None = None  # told each page the PDF has laid out
    jobs: int = 1  # PDF pieces laid out at once (1: in this process, no workers)
    cache_dir: Path | None = None  # where laid-out PDF pieces are kept between builds
    images: ResolvedImages | None = None  # the image stage's processed photos; a writer
    # called without them runs the stage itself
