"""HTML for WeasyPrint: the content model through the Jinja2 templates in `styles/templates/`.

`render_html` is a pure function of the model, theme, options and pre-flight. Autoescape is
on and undefined names are errors: article text only ever reaches the page as escaped text,
so `<script>`, `<img src=…>` or `{{ 7*7 }}` in an article print literally.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..imaging import FigureImages, ResolvedImages
from ..look.html_cjk import typeset
from ..look.presentation import (
    PLACEHOLDER,
    byline,
    dateline,
    format_date,
    run_in_level,
    running_head,
    series,
    source_note,
    subtitle,
    title_lines,
)
from ..look.styletable import StyleTable, css_declarations, grid_line_height
from ..look.templates import css_families, css_string, render_template_checked
from ..look.theme import Theme
from ..model import Case, Compendium, Figure, NumberedFigure
from ..support.options import WriterOptions
from .preflight import Preflight

__all__ = ["render_html", "render_css", "folio_content", "FigureView", "figure_views"]

HTML_TEMPLATE = "compendium.html.j2"
CSS_TEMPLATE = "compendium.css.j2"


@dataclass(frozen=True, slots=True)
class FigureView:
    """A figure as the page shows it: its number, and its image file if one exists."""

    label: str  # 图 2-1
    anchor: str  # fig-2-1
    figure: Figure
    placed: FigureImages | None  # the image stage's processed photos and printed sizes

    @property
    def missing(self) -> bool:
        return self.placed is None or self.placed.missing

    @property
    def image(self) -> Path | None:
        if self.placed is None or self.placed.missing:
            return None
        return self.placed.images[0].path


def figure_views(
    compendium: Compendium,
    images: ResolvedImages,
    numbered: dict[str, dict[int, NumberedFigure]],
) -> dict[str, dict[int, FigureView]]:
    """case id -> block index -> FigureView, numbered as the pre-flight numbers them
    (图 n-m); photos from the image stage (`images`), never the editor's files."""
    views: dict[str, dict[int, FigureView]] = {}
    for case in compendium.cases:
        per_case = {}
        for index, nf in numbered[case.id].items():
            placed = images.get(case.id, index)
            per_case[index] = FigureView(
                nf.label, f"fig-{nf.case_number}-{nf.number}", nf.figure, placed
            )
        views[case.id] = per_case
    return views


def _render(env: jinja2.Environment, name: str, options: WriterOptions, **context) -> str:
    """Render a template of styles/templates/ (see `render_template_checked`)."""
    return render_template_checked(env, name, f" in {options.styles_dir / 'templates'}", **context)


def _environment(options: WriterOptions) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(options.styles_dir / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.filters["css_families"] = css_families
    env.filters["date"] = format_date
    return env


def render_html(
    compendium: Compendium,
    theme: Theme,
    options: WriterOptions,
    pre: Preflight,
    *,
    figures: dict[str, dict[int, FigureView]] | None = None,
) -> str:
    """The whole book as one HTML document (cover, front matter, TOC, parts, cases).
    `figures`: the pre-flight's figures as `figure_views` gives them, if already made."""
    views = figures if figures is not None else figure_views(compendium, pre.images, pre.figures)
    env = _environment(options)
    finish = theme.typography
    env.filters["cjk"] = lambda text, **kw: typeset(
        text, space=finish.han_latin_space, compress=finish.compress_punctuation, **kw
    )
    env.filters["run_in_level"] = lambda text: run_in_level(theme, text)
    cases = compendium.cases
    numbers = pre.case_numbers
    first_body = (
        ("part", 0)
        if compendium.has_parts and compendium.parts[0].title
        else (("case", 0) if cases else ("none", 0))
    )

    def page_name(case: Case) -> str:
        # Consecutive cases alternate names so each one opens a new page group and
        # `:nth(1 of …)` finds its opening page; the first body section has its own name.
        n = numbers[case.id]
        if first_body[0] == "case" and n == 1:
            return "case-first"
        return "case-a" if n % 2 else "case-b"

    return _render(
        env,
        HTML_TEMPLATE,
        options,
        book=compendium,
        toc=pre.toc,
        cases=cases,
        numbers=numbers,
        figures=views,
        missing_images=options.missing_images,
        date=options.date,
        parts_have_titles=compendium.has_parts,
        first_body=first_body[0],
        page_name=page_name,
        byline=byline,
        dateline=dateline,
        source_note=source_note,
        format_date=format_date,
        subtitle=subtitle,
        series=series,
        placeholder=PLACEHOLDER,
        title_lines=lambda title: title_lines(title, theme),
        running_head=lambda title: running_head(title, theme),
        grid_pad=lambda height_mm: _grid_pad(height_mm, theme),
    )


def _grid_pad(height_mm: float, theme: Theme) -> float:
    """Space (pt) under a block `height_mm` tall that rounds it up to whole body lines, so
    the text after it stays on the line grid; 0 without a grid."""
    if not theme.typography.line_grid:
        return 0.0
    grid = theme.sizes.body * grid_line_height(theme)
    height = height_mm * 72 / 25.4
    return round(math.ceil(height / grid - 1e-6) * grid - height, 3)


def render_css(
    theme: Theme, options: WriterOptions, table: StyleTable, families: dict[str, tuple[str, ...]]
) -> str:
    """The stylesheet, its numbers taken from the theme's resolved style table (the
    pre-flight's) by `styles/templates/compendium.css.j2`."""
    env = _environment(options)
    css_fonts = {role: css_families(stack) for role, stack in families.items()}
    env.filters["css"] = lambda style, *groups: Markup(css_declarations(style, css_fonts, *groups))
    return _render(
        env,
        CSS_TEMPLATE,
        options,
        theme=theme,
        page=table.page,
        styles=table,
        fonts=families,
        folio_content=Markup(folio_content(theme)),
        folio_box=Markup(_folio_box(theme, table.footer.size)),
    )


def folio_content(theme: Theme, number: str = "counter(page)") -> str:
    """The folio's CSS `content`: the page number, between dashes for — 1 — (公文)."""
    if theme.page.folio_dashes:
        return f'"— " {number} " —"'
    return number


def _folio_box(theme: Theme, size_pt: float) -> str:
    """A folio `folio_below` mm under the text block: the middle of its characters' em box
    (where the dashes of — 1 — are) that far down, whatever the bottom margin; no
    letter-spacing of the body's grid. The margin box sets its line 0.72 em above that
    middle (measured: tests/test_themes.py)."""
    below = theme.page.folio_below
    if not below:
        return ""
    top_mm = max(0.0, below - size_pt * 0.72 * 25.4 / 72)
    return (
        f"vertical-align: top; padding-top: {top_mm:.3f}mm; line-height: 1; letter-spacing: normal;"
    )
