"""What the HTML edition and the EPUB share: the book's pages in reading order, the table of
contents by parts, each case's photos for screens, and front and back matter.

The pages' addresses: `index.html` (title facts, preface, contents), `cases/<case id>.html`
(permanent: the case id never changes when cases are reordered), `afterword.html`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..imaging import ResolvedImages
from ..look.presentation import format_date
from ..look.theme import Theme
from ..model import Compendium, Figure
from ..support.options import WriterOptions
from .photos import ScreenPhoto, img_tags, screen_photo
from .render import render_article

SCREEN_CACHE = "screen"  # beside the build's other caches: build/.cache/screen/


@dataclass(frozen=True, slots=True)
class TocCase:
    id: str
    number: int
    title: str
    href: str  # from the site's root: cases/<id>.html


@dataclass(frozen=True, slots=True)
class TocPart:
    number: int
    title: str  # "" for an untitled part: its cases are listed without a heading
    cases: tuple[TocCase, ...]


@dataclass(frozen=True)
class Edition:
    """The book as the screen editions show it."""

    compendium: Compendium
    theme: Theme
    options: WriterOptions
    images: ResolvedImages
    parts: tuple[TocPart, ...]
    cases: tuple[TocCase, ...]  # reading order
    photos: dict[str, ScreenPhoto]  # processed photo's path -> its screen copies

    @property
    def date(self) -> str:
        """The date printed on the title page: the book's, else the build's."""
        return format_date(self.compendium.date or self.options.date)

    def article(self, case_id: str, prefix: str, *, xhtml: bool = False) -> str:
        """Case `case_id` as its `<article>`, photos addressed from `prefix` (the page's
        way to the site's root)."""

        def photos(shown, figure: Figure) -> Markup:
            copies = tuple(self.photos[str(p.path)] for p in shown)
            return img_tags(copies, figure.caption, prefix + "images/", srcset=not xhtml)

        return render_article(
            self.compendium,
            self.theme,
            case_id,
            missing_images=self.options.missing_images,
            styles_dir=self.options.styles_dir,
            images=self.images,
            # a project's own case template from before `photo_markup` shows one copy
            image_url=lambda path: f"{prefix}images/{self.photos[str(path)].largest[0]}",
            photos=photos,
        )

    def neighbours(self, index: int) -> tuple[TocCase | None, TocCase | None]:
        before = self.cases[index - 1] if index > 0 else None
        after = self.cases[index + 1] if index + 1 < len(self.cases) else None
        return before, after


def edition(
    compendium: Compendium,
    theme: Theme,
    options: WriterOptions,
    images: ResolvedImages,
    *,
    cache_dir: Path | None,
    page: Callable[[str], str] = lambda case_id: f"cases/{case_id}.html",
) -> Edition:
    """The book for a screen writer, with the image stage's photos (the pre-flight's);
    the screen copies are kept beside `cache_dir` (the build's PDF piece cache)."""
    parts = []
    cases: list[TocCase] = []
    for number, part in enumerate(compendium.parts, 1):
        listed = tuple(
            TocCase(c.id, compendium.case_number(c), c.title, page(c.id)) for c in part.cases
        )
        parts.append(TocPart(number, part.title, listed))
        cases += listed
    cache = (
        cache_dir.parent / SCREEN_CACHE
        if cache_dir is not None
        else Path(tempfile.gettempdir()) / "publisher-screen"
    )
    cache.mkdir(parents=True, exist_ok=True)
    photos = {
        str(placed.path): screen_photo(placed, cache)
        for figure in images.figures.values()
        for placed in figure.images
    }
    return Edition(compendium, theme, options, images, tuple(parts), tuple(cases), photos)
