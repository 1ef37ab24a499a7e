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

import jinja2
from markupsafe import Markup

from ..imaging import ResolvedImages
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
from ..look.styletable import css_declarations, resolve_styles
from ..look.theme import TypographyTheme
from ..model import Case, Compendium, Figure
from ..pipeline.project import Loaded
from ..support.errors import ContentError
from ..writers.html import css_families, css_string
from ..writers.html_cjk import typeset

__all__ = ["Mark", "ScreenFigure", "render_case", "render_css", "CASE_TEMPLATE", "CSS_TEMPLATE"]

CASE_TEMPLATE = "screen/case.html.j2"
CSS_TEMPLATE = "screen/screen.css.j2"
DEFAULT_TEMPLATES = Path(__file__).resolve().parents[1] / "_styles" / "templates"
# What a browser falls back to after the theme's faces, by font role.
GENERIC = {"body": "serif", "heading": "sans-serif", "caption": "serif"}


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
    loaded: Loaded,
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
    compendium = loaded.compendium
    case = _case(compendium, case_id)
    number = compendium.case_number(case)
    figures = {}
    for index, nf in compendium.numbered_figures(case).items():
        placed = images.get(case.id, index) if images is not None else None
        urls = (
            tuple(image_url(img.path) for img in placed.images)
            if placed is not None and not placed.missing
            else ()
        )
        figures[index] = ScreenFigure(nf.label, f"fig-{number}-{nf.number}", nf.figure, urls)
    env = _environment(styles_dir or loaded.content_dir.parent / "styles", loaded)
    theme = loaded.theme
    return _render(
        env,
        CASE_TEMPLATE,
        case=case,
        number=number,
        figures=figures,
        marks=_place_marks(case, marks),
        missing_images=loaded.settings.missing_images,
        placeholder=PLACEHOLDER,
        byline=byline,
        dateline=dateline,
        source_note=source_note,
        subtitle=subtitle,
        series=series,
        title_lines=lambda title: title_lines(title, theme),
    )


def render_css(loaded: Loaded, *, styles_dir: Path | None = None) -> str:
    """The screen stylesheet, its faces, sizes, indents and colours from the style table."""
    folder = styles_dir or loaded.content_dir.parent / "styles"
    env = _new_environment(folder.resolve(), loaded.theme.typography)  # its own css filter
    theme = loaded.theme
    families = {
        role: css_families((*getattr(theme.fonts, role), *theme.fonts.latin))
        + Markup(f", {GENERIC[role]}")
        for role in GENERIC
    }
    env.filters["css"] = lambda style, *groups: Markup(css_declarations(style, families, *groups))
    table = resolve_styles(theme)
    return _render(env, CSS_TEMPLATE, theme=theme, page=table.page, styles=table, fonts=families)


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


def _environment(styles_dir: Path, loaded: Loaded) -> jinja2.Environment:
    return _cached_environment(styles_dir.resolve(), loaded.theme.typography)


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
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or name
        raise ContentError(
            f"template syntax: {exc.message}",
            path=f"styles/templates/{name}" if not exc.filename else where,
            line=exc.lineno or 0,
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise ContentError(
            f"template {exc.name!r} not found", path=f"styles/templates/{name}"
        ) from None
    except jinja2.UndefinedError as exc:
        raise ContentError(
            f"template uses something undefined: {exc.message}", path=f"styles/templates/{name}"
        ) from None
