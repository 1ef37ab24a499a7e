"""The theme resolved once into typed styles, one per element of the book, for both writers.

`resolve_styles(theme)` turns `styles/theme.toml` into a `StyleTable`: the page geometry
and, for every element (body text, headings, captions, TOC lines, running heads, …), its
font role, size, leading, weight, colour, alignment, indents and spacing. The PDF's
stylesheet renders it to CSS (`css_declarations`, used by `compendium.css.j2`) and the
DOCX writer to Word styles (`writers/docx/styles.py`), so the two cannot drift apart; a
test reads both outputs back and compares them element by element. Like Pandoc's
skylighting, which renders one Style both to CSS and to OpenXML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from .theme import Theme

PT_PER_MM = 72 / 25.4

Face = Literal["body", "heading", "caption", "title", "folio"]
Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """The text block sized to a whole number of body characters, so that lines of Han
    characters fill it exactly (the 版心 of Chinese books); the remainder goes outside."""

    width_mm: float
    height_mm: float
    top: float
    bottom: float
    inside: float
    outside: float
    chars_per_line: int
    # A fixed grid (公文): the body's characters spaced to fill the line exactly
    # (CSS letter-spacing, pt; 0 without a fixed grid) and the lines per page.
    letter_spacing: float = 0.0
    lines_per_page: int = 0

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.inside - self.outside

    @property
    def text_height_mm(self) -> float:
        return self.height_mm - self.top - self.bottom


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How one element of the book is set. Sizes and spacing in pt, indents in characters
    (em of the element's own size)."""

    face: Face = "body"
    size: float = 12.0
    leading: float | None = None  # line height as a multiple of size; None: single
    bold: bool = False
    color: str = "#000000"
    align: Align = "justify"
    indent: float = 0.0  # first line
    left: float = 0.0
    right: float = 0.0  # characters, from the right edge
    before: float = 0.0
    after: float = 0.0
    keep_next: bool = False  # never the last thing on a page
    keep_lines: bool = False  # never split across pages

    @property
    def line_pt(self) -> float | None:
        return None if self.leading is None else round(self.size * self.leading, 2)


@dataclass(frozen=True, slots=True)
class StyleTable:
    page: PageGeometry
    styles: dict[str, TextStyle]

    def __getitem__(self, key: str) -> TextStyle:
        return self.styles[key]

    def __getattr__(self, key: str) -> TextStyle:  # `table.caption` in templates
        try:
            return self.styles[key]
        except KeyError:
            raise AttributeError(key) from None


def page_geometry(theme: Theme) -> PageGeometry:
    page = theme.page
    body_mm = theme.sizes.body / PT_PER_MM
    text_mm = page.width_mm - page.margin_inside - page.margin_outside
    if page.chars_per_line:
        # The text block is the grid's: each character advances width/chars, rounded down
        # to a twentieth of a point (the DOCX's unit of character spacing: the same figure
        # in both; 公文: -0.25 pt). WeasyPrint needs that slack: at -0.207 pt, the exact
        # figure, its line breaker finds 28 characters a hair too wide; the justification
        # spreads the slack.
        pitch = text_mm * PT_PER_MM / page.chars_per_line
        spacing = math.floor((pitch - theme.sizes.body) * 20) / 20
        return PageGeometry(
            page.width_mm,
            page.height_mm,
            page.margin_top,
            page.margin_bottom,
            page.margin_inside,
            page.margin_outside,
            page.chars_per_line,
            spacing,
            page.lines_per_page,
        )
    chars = max(1, math.floor(text_mm / body_mm + 1e-6))
    spare = text_mm - chars * body_mm
    return PageGeometry(
        page.width_mm,
        page.height_mm,
        page.margin_top,
        page.margin_bottom,
        page.margin_inside,
        round(page.margin_outside + spare, 3),
        chars,
    )


def grid_line_height(theme: Theme) -> float:
    """The body's line height as a multiple of its size: the theme's, or on a fixed grid
    the text block's height divided by its lines, rounded down to a twentieth of a point
    (a twip, the DOCX's unit: 225 mm / 22 → 28.95 pt, the 公文 templates' figure) so that
    the page's last line still fits in both."""
    page = theme.page
    if not page.lines_per_page:
        return theme.sizes.line_height
    text_pt = (page.height_mm - page.margin_top - page.margin_bottom) * PT_PER_MM
    pitch = math.floor(text_pt / page.lines_per_page * 20) / 20
    return pitch / theme.sizes.body


def resolve_styles(theme: Theme) -> StyleTable:
    """Every element's style, from the theme's sizes, spacing and colours."""
    s, sp, c, f = theme.sizes, theme.spacing, theme.colors, theme.fonts
    lead, indent = grid_line_height(theme), sp.first_line_indent
    text, heading, muted = c.text, c.heading, c.muted

    def head(size: float, **kw) -> TextStyle:
        return TextStyle(face="heading", size=size, color=heading, **kw)

    def title(size: float, **kw) -> TextStyle:
        return TextStyle(face="title", size=size, color=heading, bold=f.title_bold, **kw)

    def level(n: int, size: float) -> TextStyle:
        """A heading of level n (1–3) in the face, weight and indent the theme gives it."""
        return TextStyle(
            face=f.heading_faces[n - 1],
            size=size,
            color=heading,
            bold=f.heading_bold[n - 1],
            leading=1.5,
            align="left",
            indent=f.heading_indent[n - 1],
            before=sp.heading_before,
            after=sp.heading_after,
            keep_next=True,
            keep_lines=True,
        )

    styles = {
        "body": TextStyle(size=s.body, leading=lead, color=text, indent=indent),
        "lead_paragraph": TextStyle(
            size=s.body,
            leading=lead,
            color=text,
            indent=indent,
            bold=True,
            keep_next=True,
            keep_lines=True,
        ),
        # cover
        "title": title(s.title, leading=1.4, align="center"),
        "subtitle": head(s.case_subtitle, leading=1.5, align="center"),
        "compiler": TextStyle(size=s.case_subtitle, leading=2.0, color=text, align="center"),
        "cover_date": TextStyle(size=s.case_subtitle, leading=2.0, color=text, align="center"),
        # front matter and table of contents
        "matter_title": head(
            s.case_title,
            leading=1.4,
            bold=True,
            align="center",
            before=sp.case_title_before,
            after=sp.case_title_before / 2,
            keep_next=True,
        ),
        "toc_heading": head(
            s.case_title,
            leading=1.4,
            bold=True,
            align="center",
            before=sp.case_title_before,
            after=sp.case_title_before / 2,
            keep_next=True,
        ),
        "toc1": head(
            s.toc, leading=lead, bold=True, align="left", before=sp.heading_before, keep_next=True
        ),  # a part
        "toc2": TextStyle(size=s.toc, leading=lead, color=text, align="left"),  # a case
        "toc3": TextStyle(
            size=s.toc, leading=lead, color=text, align="left", left=indent
        ),  # a case in a part
        # parts and case openings
        "part": head(s.title, leading=1.4, bold=True, align="center"),
        # A case opens with space above its head (on the 引题 if there is one, else on the
        # title) and below it (after the dateline).
        "kicker": TextStyle(
            face="heading",
            size=s.byline,
            leading=lead,
            color=muted,
            align="center",
            before=sp.case_title_before,
            after=s.byline / 2,
            keep_next=True,
        ),
        "case_title": title(
            s.case_title,
            leading=1.4,
            align="center",
            before=sp.case_title_before,
            keep_next=True,
            keep_lines=True,
        ),
        "case_subtitle": TextStyle(
            face="heading",
            size=s.case_subtitle,
            leading=lead,
            color=text,
            align="center",
            before=s.case_subtitle * 0.4,
            keep_next=True,
        ),
        "series": TextStyle(
            size=s.byline,
            leading=lead,
            color=muted,
            align="center",
            before=s.byline * 0.4,
            keep_next=True,
        ),
        "byline": TextStyle(
            size=s.byline,
            leading=lead,
            color=muted,
            align="center",
            before=s.byline * 0.6,
            keep_next=True,
        ),
        "source": TextStyle(
            size=s.byline,
            leading=lead,
            color=muted,
            align="center",
            before=s.byline * 0.2,
            after=sp.case_title_before / 2,
            keep_next=True,
        ),
        # the flow
        "heading1": level(1, s.heading1),
        "heading2": level(2, s.heading2),
        "heading3": level(3, s.heading3),
        "figure": TextStyle(
            size=s.body, color=text, align="center", before=sp.figure_before, keep_next=True
        ),
        "placeholder": TextStyle(
            face="caption",
            size=s.caption,
            leading=1.5,
            color=muted,
            align="center",
            before=sp.figure_before,
            keep_next=True,
        ),
        "caption": TextStyle(
            face="caption",
            size=s.caption,
            leading=1.5,
            color=text,
            align="center",
            after=sp.figure_after,
            keep_lines=True,
        ),
        "note": TextStyle(
            size=s.note,
            leading=lead,
            color=muted,
            indent=indent,
            before=s.note * 0.5,
            after=s.note * 0.5,
        ),
        "source_note": TextStyle(
            size=s.note, leading=lead, color=muted, align="right", before=s.note
        ),
        # running heads and folios
        "header": TextStyle(size=s.header, color=muted, align="center"),
        "header_left": TextStyle(size=s.header, color=muted, align="left"),
        "header_right": TextStyle(size=s.header, color=muted, align="right"),
        "footer": TextStyle(face="folio", size=s.folio or s.header, color=muted, align="center"),
        # folios on the outer side (公文: 单页码居右空一字，双页码居左空一字)
        "folio_right": TextStyle(
            face="folio", size=s.folio or s.header, color=muted, align="right", right=1
        ),
        "folio_left": TextStyle(
            face="folio", size=s.folio or s.header, color=muted, align="left", left=1
        ),
        # character styles
        "lead": TextStyle(size=s.body, bold=True, color=text),
        # run-in leads numbered as headings (`run_in_levels`): that level's face and weight
        **{
            f"lead{n}": TextStyle(
                face=f.heading_faces[n - 1], size=s.body, bold=f.heading_bold[n - 1], color=text
            )
            for n in (1, 2, 3)
        },
        "credit": TextStyle(face="caption", size=s.caption, color=muted),
    }
    if theme.typography.line_grid:
        styles = on_line_grid(styles, s.body * lead, sp.heading_lines)
    return StyleTable(page_geometry(theme), styles)


def on_line_grid(
    styles: dict[str, TextStyle], grid: float, heading_lines: float = 1.0
) -> dict[str, TextStyle]:
    """Every block of the flow takes whole lines of the body (clreq's 行格): headings two
    lines (one for level 3; the space is all above, as adjoining margins collapse), notes,
    captions and source notes one line per line of text, so body lines sit on one baseline
    grid and facing pages end on the same line. The case head is whole lines too (a title
    line is one and a half: the template pads an odd count)."""

    def lines(
        style: TextStyle, per_line: float = 1.0, before: float = 0.0, after: float = 0.0
    ) -> TextStyle:
        return replace(
            style,
            leading=round(per_line * grid / style.size, 4),
            before=round(before * grid, 2),
            after=round(after * grid, 2),
        )

    out = dict(styles)
    out.update(
        heading1=lines(styles["heading1"], before=heading_lines),  # space above only:
        heading2=lines(styles["heading2"], before=heading_lines),  # margins never collapse
        heading3=lines(styles["heading3"]),
        note=lines(styles["note"]),
        caption=lines(styles["caption"]),
        source_note=lines(styles["source_note"], before=1),
        kicker=lines(styles["kicker"], before=2),
        case_title=lines(styles["case_title"], per_line=1.5, before=2),
        case_subtitle=lines(styles["case_subtitle"]),
        series=lines(styles["series"]),
        byline=lines(styles["byline"]),
        source=lines(styles["source"], after=1),
        matter_title=lines(styles["matter_title"], per_line=1.5, before=2, after=1.5),
        toc_heading=lines(styles["toc_heading"], per_line=1.5, before=2, after=1.5),
    )
    return out


# The groups of CSS properties a template rule may ask for (see `css_declarations`).
CSS_GROUPS = ("font", "align", "indent", "space")


def css_declarations(style: TextStyle, families: Mapping[str, str], *groups: str) -> str:
    """`style` as CSS declarations; `families` maps a font role to its CSS font-family
    list. Groups: font (family, size, leading, weight, colour), align, indent (first line
    and left), space (before and after). Without groups: all of them."""
    wanted = set(groups or CSS_GROUPS)
    unknown = wanted - set(CSS_GROUPS)
    if unknown:
        raise ValueError(f"unknown CSS group(s): {', '.join(sorted(unknown))}")
    out = []
    if "font" in wanted:
        out += [
            f"font-family: {families[style.face]}",
            f"font-size: {style.size:g}pt",
            f"font-weight: {'bold' if style.bold else 'normal'}",
            f"color: {style.color}",
        ]
        if style.line_pt is not None:
            out.append(f"line-height: {style.line_pt:g}pt")
    if "align" in wanted:
        out.append(f"text-align: {style.align}")
    if "indent" in wanted:
        out.append(f"text-indent: {style.indent:g}em")
        if style.left:
            out.append(f"padding-left: {style.left:g}em")
        if style.right:
            out.append(f"padding-right: {style.right:g}em")
    if "space" in wanted:
        out += [f"margin-top: {style.before:g}pt", f"margin-bottom: {style.after:g}pt"]
    if style.keep_next and "space" in wanted:
        out.append("break-after: avoid")
    if style.keep_lines and "space" in wanted:
        out.append("break-inside: avoid")
    return "; ".join(out) + ";"
