"""A case as an HTML page for screens, in the book's look: the workbench and the HTML edition.

`render_case(loaded, case_id)` gives one case as an `<article>` (title block, byline,
headings, run-in heads, figures 图 n-m with captions and credits, notes, source note);
`render_css(loaded)` gives its stylesheet, rendered from the one style table
(`look/styletable.py`) as the print stylesheet is. Both come from the Jinja2 templates in
`styles/templates/screen/` (a project made before they existed uses the package's own).

Autoescape is on and undefined names are errors: article text reaches the page only as
escaped text, so `<script>` or `{{ 7*7 }}` in an article shows literally. `marks` (lint
findings, import guesses) are shown at the block of the case file's line they name; a
reader's edition passes none.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import jinja2
from markupsafe import Markup

from ..imaging import PlacedImage, ResolvedImages
from ..look.html_cjk import typeset
from ..look.presentation import (
    PLACEHOLDER,
    byline,
    dateline,
    format_date,
    series,
    source_note,
    subtitle,
    title_lines,
)
from ..look.styletable import StyleTable, css_declarations, resolve_styles
from ..look.templates import css_families, css_string, render_template_checked
from ..look.theme import Theme, TypographyTheme
from ..model import Case, Compendium, Figure

__all__ = [
    "Mark",
    "ScreenFigure",
    "render_case",
    "render_css",
    "render_article",
    "render_stylesheet",
    "render_template",
    "screen_families",
    "CASE_TEMPLATE",
    "CSS_TEMPLATE",
]

CASE_TEMPLATE = "screen/case.html.j2"
CSS_TEMPLATE = "screen/screen.css.j2"
DEFAULT_TEMPLATES = Path(__file__).resolve().parents[1] / "_styles" / "templates"
# What a browser falls back to after the theme's faces, by font role.
GENERIC = {"body": "serif", "heading": "sans-serif", "caption": "serif"}


class _Settings(Protocol):
    @property
    def missing_images(self) -> str: ...


class LoadedBook(Protocol):
    """What the page renderer reads of a loaded project (`pipeline.project.Loaded`, a
    layer above, which it therefore names only by what it reads)."""

    @property
    def compendium(self) -> Compendium: ...

    @property
    def theme(self) -> Theme: ...

    @property
    def settings(self) -> _Settings: ...

    @property
    def content_dir(self) -> Path: ...


@dataclass(frozen=True, slots=True)
class Mark:
    """A lint finding or an import guess, shown at the block of its case-file line
    (`line` 0 or in the front matter: at the title block)."""

    line: int
    severity: str  # error, warning, info, guess
    message: str
    where: str  # file:line as the CLI prints it


@dataclass(frozen=True, slots=True)
class ScreenFigure:
    """A figure as the screen shows it: its number, and its photos' addresses if any."""

    label: str  # 图 2-1
    anchor: str  # fig-2-1
    figure: Figure
    images: tuple[str, ...]  # URLs of the processed photos, left to right; () if missing


def render_case(
    loaded: LoadedBook,
    case_id: str,
    *,
    marks: Iterable[Mark] = (),
    images: ResolvedImages | None = None,
    image_url: Callable[[Path], str] = lambda path: path.as_uri(),
    styles_dir: Path | None = None,
) -> str:
    """Case `case_id` of the loaded project as an `<article>` element.

    `images`: the image stage's photos (a build's pre-flight has them); without them every
    figure shows as missing its photo. `image_url` turns a processed photo's path into the
    address the page uses. `styles_dir`: the project's styles/ (default: beside content/)."""
    return render_article(
        loaded.compendium,
        loaded.theme,
        case_id,
        missing_images=loaded.settings.missing_images,
        styles_dir=styles_dir or loaded.content_dir.parent / "styles",
        marks=marks,
        images=images,
        image_url=image_url,
    )


def render_article(
    compendium: Compendium,
    theme: Theme,
    case_id: str,
    *,
    missing_images: str,
    styles_dir: Path,
    marks: Iterable[Mark] = (),
    images: ResolvedImages | None = None,
    image_url: Callable[[Path], str] = lambda path: path.as_uri(),
    photos: Callable[[tuple[PlacedImage, ...], Figure], Markup] | None = None,
) -> str:
    """`render_case` from the model and the theme alone, as a writer has them (the HTML
    edition and the EPUB). `photos`, when given, writes a figure's `<img>` elements itself
    (sizes for phones and wide screens) from the image stage's photos."""
    case = _case(compendium, case_id)
    number = compendium.case_number(case)
    figures = {}
    for index, nf in compendium.numbered_figures(case).items():
        placed = images.get(case.id, index) if images is not None else None
        shown = placed.images if placed is not None and not placed.missing else ()
        urls = tuple(image_url(img.path) for img in shown)
        view = ScreenFigure(nf.label, f"fig-{number}-{nf.number}", nf.figure, urls)
        figures[index] = (view, photos(shown, nf.figure) if photos and shown else None)
    env = _cached_environment(styles_dir.resolve(), theme.typography)
    return _render(
        env,
        CASE_TEMPLATE,
        case=case,
        number=number,
        figures={i: view for i, (view, _) in figures.items()},
        photo_markup={i: markup for i, (_, markup) in figures.items() if markup is not None},
        marks=_place_marks(case, marks),
        missing_images=missing_images,
        placeholder=PLACEHOLDER,
        byline=byline,
        dateline=dateline,
        source_note=source_note,
        subtitle=subtitle,
        series=series,
        title_lines=lambda title: title_lines(title, theme),
    )


def render_css(loaded: LoadedBook, *, styles_dir: Path | None = None) -> str:
    """The screen stylesheet, its faces, sizes, indents and colours from the style table."""
    return render_stylesheet(loaded.theme, styles_dir or loaded.content_dir.parent / "styles")


def render_stylesheet(
    theme: Theme,
    styles_dir: Path,
    template: str = CSS_TEMPLATE,
    *,
    table: StyleTable | None = None,
    fallbacks: dict[str, tuple[str, ...]] | None = None,
    **context: object,
) -> str:
    """`render_css` from the theme alone; `template`: another stylesheet rendered with the
    same filters and table (the HTML edition's site.css.j2); `table`: the theme's resolved
    style table where a writer has it (the pre-flight's), else resolved here; `fallbacks`:
    faces by role tried after the theme's (the names readers' systems give them)."""
    env = _new_environment(styles_dir.resolve(), theme.typography)  # its own css filter
    families = screen_families(theme, fallbacks or {})
    env.filters["css"] = lambda style, *groups: Markup(css_declarations(style, families, *groups))
    table = table if table is not None else resolve_styles(theme)
    return _render(
        env, template, theme=theme, page=table.page, styles=table, fonts=families, **context
    )


def screen_families(
    theme: Theme, fallbacks: dict[str, tuple[str, ...]] | None = None
) -> dict[str, Markup]:
    """The CSS font-family list of each role: the theme's faces, the fallbacks, then a
    generic family."""
    more = fallbacks or {}
    families = {
        role: css_families(
            tuple(
                dict.fromkeys(
                    (*getattr(theme.fonts, role), *more.get(role, ()), *theme.fonts.latin)
                )
            )
        )
        + Markup(f", {GENERIC[role]}")
        for role in GENERIC
    }
    # Titles and folios have faces of their own only where the theme names them (公文's
    # 小标宋); otherwise the heading's and the body's.
    for role, default in (("title", "heading"), ("folio", "body")):
        faces = getattr(theme.fonts, role)
        families[role] = (
            css_families(tuple(dict.fromkeys((*faces, *more.get(role, ()), *theme.fonts.latin))))
            + Markup(f", {GENERIC[default]}")
            if faces
            else families[default]
        )
    return families


def render_template(theme: Theme, styles_dir: Path, name: str, **context: object) -> str:
    """Another screen template (the HTML edition's pages), with the page renderer's
    environment: autoescape, the `cjk` filter, strict undefined names."""
    return _render(_cached_environment(styles_dir.resolve(), theme.typography), name, **context)


def _case(compendium: Compendium, case_id: str) -> Case:
    for case in compendium.cases:
        if case.id == case_id:
            return case
    raise KeyError(case_id)


def _place_marks(case: Case, marks: Iterable[Mark]) -> dict[int, list[Mark]]:
    """Marks by the index of the block they belong to (-1: the title block): a mark at a
    line goes to the last block starting at or before it."""
    starts = [(block.line, i) for i, block in enumerate(case.blocks) if block.line]
    placed: dict[int, list[Mark]] = {}
    for mark in marks:
        index = -1
        for line, i in starts:
            if line <= mark.line:
                index = i
        placed.setdefault(index, []).append(mark)
    return placed


@functools.lru_cache(maxsize=8)
def _cached_environment(styles_dir: Path, finish: TypographyTheme) -> jinja2.Environment:
    """One environment per styles folder and typography for the pages: their templates
    are parsed once, and again when their files change (auto_reload)."""
    return _new_environment(styles_dir, finish)


def _new_environment(styles_dir: Path, finish: TypographyTheme) -> jinja2.Environment:
    # The project's own templates first; a project made before the screen templates
    # existed uses the package's.
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(str(styles_dir / "templates")),
            jinja2.FileSystemLoader(str(DEFAULT_TEMPLATES)),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    env.filters["cjk"] = lambda text, **kw: typeset(
        text, space=finish.han_latin_space, compress=finish.compress_punctuation, **kw
    )
    env.filters["css_string"] = css_string
    env.filters["date"] = format_date
    return env


def _render(env: jinja2.Environment, name: str, **context) -> str:
    """A broken template is a content error naming its file and line, as in the PDF."""
    return render_template_checked(env, name, **context)
