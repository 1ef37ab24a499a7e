"""What a writer is told, never through globals: the options (what the book is to be) and,
apart from them, the resources of the process it runs in (what it may use to get there).

Options are the same for every build of the same settings; resources change with the
machine and the run (workers, a LibreOffice already started, a cache folder, a progress
callback), and no output byte depends on them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

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


@dataclass(frozen=True, slots=True)
class WriterResources:
    """The process's resources a writer may use; the defaults use none (one process, no
    cache, LibreOffice started when needed, nobody told of pages)."""

    jobs: int = 1  # PDF pieces laid out at once (1: in this process, no workers)
    cache_dir: Path | None = None  # where laid-out PDF pieces are kept between builds
    office: Path | None = None  # a LibreOffice the build started early (warm_office)
    on_page: Callable[[int], None] | None = None  # told each page the PDF has laid out


NO_RESOURCES = WriterResources()  # a writer called on its own: tests, benchmarks
