"""The theme as DOCX styles: one named style per model element, East-Asian fonts on each.

The style names are the contract with a later DOCX reader (an edited file read back into
the content): `STYLE` maps each model element to the style that carries it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from ...look.styletable import StyleTable, grid_line_height, page_geometry
from ...look.theme import Theme
from . import oxml

# Model element → style name (as written in styles.xml; Word shows "toc 1" as "TOC 1").
STYLE = {
    "title": "Title",  # compendium title, cover
    "subtitle": "Subtitle",  # compendium subtitle, cover
    "compiler": "Compiler",  # cover: compiled by
    "cover_date": "Cover Date",
    "matter_title": "Matter Title",  # 前言, 编后记
    "toc_heading": "TOC Heading",  # 目录
    "toc1": "toc 1",
    "toc2": "toc 2",
    "toc3": "toc 3",
    "part": "Part Title",
    "case_title": "heading 1",  # Heading 1: one per case
    "kicker": "Kicker",  # 引题, above the case title
    "case_subtitle": "Case Subtitle",
    "series": "Series",
    "byline": "Byline",  # the writers
    "source": "Source",  # publication, page, date, 来源
    "heading1": "heading 2",
    "heading2": "heading 3",
    "heading3": "heading 4",
    "body": "Body Text",
    "lead_paragraph": "Lead Paragraph",  # a paragraph that is all lead-in: keeps with next
    "lead": "Lead-in",  # character style: 一是…。
    "lead1": "Lead-in 1",  # a run-in lead numbered 一、 (theme run_in_levels)
    "lead2": "Lead-in 2",  # （一）
    "lead3": "Lead-in 3",  # 1.
    "figure": "Figure",  # the paragraph holding a picture
    "placeholder": "Figure Placeholder",
    "caption": "caption",
    "credit": "Credit",  # character style: 孙璞玉 摄
    "note": "Note",
    "source_note": "Source Note",  # （原载…；来源：…；责任编辑：…）at the case end
    "header": "header",
    "footer": "footer",
    "header_left": "Header Left",  # the book title over left-hand pages
    "header_right": "Header Right",  # the case title over right-hand pages
    "folio_right": "Folio Right",  # a folio on the outer side of a right-hand page (公文)
    "folio_left": "Folio Left",  # and of a left-hand page
}

# The hidden paragraph style of the case number after each title (document.py).
CASE_NUMBER = "Case Number"

# Styles Word knows by these names (its built-in, latent styles): marked built-in, not
# user-defined, so Word and WPS list them under their localised names (标题 1, 正文文本…).
BUILT_IN = frozenset(
    {
        "Normal",
        "Default Paragraph Font",
        "Title",
        "Subtitle",
        "TOC Heading",
        "toc 1",
        "toc 2",
        "toc 3",
        "heading 1",
        "heading 2",
        "heading 3",
        "heading 4",
        "Body Text",
        "caption",
        "header",
        "footer",
    }
)

# The Chinese Windows faces under both their names: the fontTable gives the other one as
# `w:altName`, so Word, WPS and LibreOffice find the face by either.
CHINESE_NAMES = {
    "SimSun": "宋体",
    "SimHei": "黑体",
    "KaiTi": "楷体",
    "FangSong": "仿宋",
    "Microsoft YaHei": "微软雅黑",
    "NSimSun": "新宋体",
    "FangSong_GB2312": "仿宋_GB2312",
    "KaiTi_GB2312": "楷体_GB2312",
}
# Faces a recipient may lack, with the face Word and WPS fall back to (`w:altName`): the
# 公文 faces of the GB2312 era and 方正小标宋 (a 宋 of heavy weight).
FALLBACK_NAMES = {
    "仿宋_GB2312": "仿宋",
    "FangSong_GB2312": "FangSong",
    "楷体_GB2312": "楷体",
    "KaiTi_GB2312": "KaiTi",
    "方正小标宋简体": "宋体",
}
_ALT_NAMES = {**CHINESE_NAMES, **{v: k for k, v in CHINESE_NAMES.items()}, **FALLBACK_NAMES}


def alt_name(name: str) -> str:
    return _ALT_NAMES.get(name, "")


@dataclass(frozen=True, slots=True)
class Fonts:
    body: str
    heading: str
    caption: str
    latin: str
    title: str = ""  # empty: the heading's
    folio: str = ""  # empty: the body's

    @classmethod
    def resolve(cls, theme: Theme) -> Fonts:
        """The theme's DOCX font names (`[docx]`): what the file's readers have, not what
        the build machine has."""
        d = theme.docx
        return cls(
            body=d.body_font,
            heading=d.heading_font,
            caption=d.caption_font,
            latin=d.latin_font,
            title=d.title_font,
            folio=d.folio_font,
        )


@dataclass(frozen=True, slots=True)
class _Spec:
    name: str
    kind: str = "paragraph"  # paragraph | character
    based_on: str = "Normal"
    next: str = ""
    face: str = "body"  # body | heading | caption | title | folio
    size: float | None = None
    bold: bool = False
    color: str = ""
    jc: str = ""
    before: float = 0
    after: float = 0
    line: float | None = None  # pt (atLeast); None keeps the inherited
    line_single: bool = False  # auto, single: pictures must not be clipped
    first_line: float | None = None  # characters
    left: float = 0  # characters
    right: float = 0
    keep_next: bool = False
    keep_lines: bool = False
    outline: int | None = None
    border: tuple[str, ...] = ()
    toc_tab: bool = False
    ui_priority: int | None = None


# What Word needs beyond the look, per element: style links, outline levels, TOC tabs,
# frames, and the cover and part pages' vertical placement (the PDF places those with page
# geometry). The look itself (faces, sizes, leading, colours, alignment, indents, spacing)
# comes from the style table that the PDF's CSS is rendered from too.
_WORD: dict[str, dict[str, Any]] = {
    "body": dict(ui_priority=1),
    "lead_paragraph": dict(next="body"),
    "title": dict(before=120, after=24, next="subtitle", ui_priority=10),
    "subtitle": dict(after=120, next="compiler", ui_priority=11),
    "compiler": dict(after=12),
    "cover_date": dict(),
    "matter_title": dict(outline=0, next="body"),
    "toc_heading": dict(next="toc1"),
    "toc1": dict(toc_tab=True, ui_priority=39),
    "toc2": dict(toc_tab=True, ui_priority=39),
    "toc3": dict(toc_tab=True, ui_priority=39),
    "part": dict(before=150, outline=0),
    "case_title": dict(outline=0, next="body", ui_priority=9),
    "kicker": dict(),
    "case_subtitle": dict(),
    "series": dict(),
    "byline": dict(),
    "source": dict(),
    "heading1": dict(outline=1, next="body", ui_priority=9),
    "heading2": dict(outline=2, next="body", ui_priority=9),
    "heading3": dict(outline=3, next="body", ui_priority=9),
    "figure": dict(line_single=True),
    "placeholder": dict(border=("top", "left", "bottom", "right")),
    "caption": dict(next="body", ui_priority=35),
    "note": dict(),
    "source_note": dict(),
    "header": dict(ui_priority=99),
    "header_left": dict(),
    "header_right": dict(),
    "footer": dict(ui_priority=99),
    "folio_right": dict(),
    "folio_left": dict(),
    "lead": dict(kind="character", based_on=""),
    "lead1": dict(kind="character", based_on=""),
    "lead2": dict(kind="character", based_on=""),
    "lead3": dict(kind="character", based_on=""),
    "credit": dict(kind="character", based_on=""),
}

_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def _specs(table: StyleTable) -> list[_Spec]:
    specs = []
    for key, word in _WORD.items():
        look = table[key]
        fields: dict[str, Any] = dict(
            face=look.face,
            size=look.size,
            bold=look.bold,
            color=look.color,
            jc=_JC[look.align],
            before=look.before,
            after=look.after,
            line=look.line_pt,
            first_line=look.indent,
            left=look.left,
            right=look.right,
            keep_next=look.keep_next,
            keep_lines=look.keep_lines,
        )
        if word.get("kind") == "character":  # a run's look: no paragraph properties
            fields = dict(face=look.face, bold=look.bold, color=look.color)
        fields.update(word)
        if "next" in fields:
            fields["next"] = STYLE[fields["next"]]
        specs.append(_Spec(STYLE[key], **fields))
    return specs


def _style_id(name: str) -> str:
    known = {
        "heading 1": "Heading1",
        "heading 2": "Heading2",
        "heading 3": "Heading3",
        "heading 4": "Heading4",
        "caption": "Caption",
        "header": "Header",
        "footer": "Footer",
        "toc 1": "TOC1",
        "toc 2": "TOC2",
        "toc 3": "TOC3",
    }
    return known.get(name, name.title().replace(" ", "").replace("-", ""))


CASE_NUMBER_ID = _style_id(CASE_NUMBER)


def style_id(key: str) -> str:
    """The styleId of a model element's style (`style_id("body")` → "BodyText")."""
    return _style_id(STYLE[key])


def document_grid(theme: Theme) -> tuple[int, int] | None:
    """The DOCX's document grid (`w:docGrid` linesAndChars) for a theme with a fixed grid:
    the line pitch in twips (the PDF's, 28.95 pt for 公文) and the character spacing in
    4096ths of a point added to the body size (rounded down: the line's last character
    must fit), so Word and WPS show the same lines × characters."""
    page = page_geometry(theme)
    if not (theme.docx.document_grid and page.lines_per_page and page.chars_per_line):
        return None
    pitch = oxml.twips(theme.sizes.body * grid_line_height(theme))
    spacing = page.text_width_mm * 72 / 25.4 / page.chars_per_line - theme.sizes.body
    return pitch, math.floor(spacing * 4096)


def footer_distance_mm(theme: Theme) -> float:
    """From the page's foot to the folio's line: half the bottom margin, or where the
    theme puts the folio (`folio_below` mm under the text block to the middle of its line,
    where the dashes of — 1 — are: the line is taken as 1.3 times the folio's size)."""
    page = theme.page
    if not page.folio_below:
        return page.margin_bottom * 0.5
    size_mm = (theme.sizes.folio or theme.sizes.header) * 25.4 / 72
    return round(page.margin_bottom - page.folio_below - size_mm * 1.3 / 2, 2)


def text_width_twips(theme: Theme) -> int:
    return oxml.mm_twips(page_geometry(theme).text_width_mm)


def apply_styles(document, theme: Theme, table: StyleTable, fonts: Fonts, lang: str) -> None:
    """Replace the template's styles with the theme's: doc defaults, Normal, then one
    style per model element from the resolved style table (the pre-flight's). Every style
    names its fonts (no theme fonts) and language."""
    styles_el = document.styles.element
    for old in styles_el.findall(qn("w:style")):
        styles_el.remove(old)
    _doc_defaults(styles_el, theme, fonts, lang)

    faces = {
        "body": (fonts.latin, fonts.body),
        "heading": (fonts.heading, fonts.heading),
        "caption": (fonts.caption, fonts.caption),
        "title": (fonts.title or fonts.heading,) * 2,
        # A folio face of its own sets the digits too (公文: 宋体 half-width digits).
        "folio": (fonts.folio, fonts.folio) if fonts.folio else (fonts.latin, fonts.body),
    }

    # The default character style stays empty by definition ("no formatting").
    dpf = document.styles.add_style("Default Paragraph Font", WD_STYLE_TYPE.CHARACTER, builtin=True)
    dpf.element.set(qn("w:default"), "1")
    dpf.element.set(qn("w:styleId"), "DefaultParagraphFont")
    dpf.priority, dpf.hidden, dpf.unhide_when_used = 1, True, True

    normal = document.styles.add_style("Normal", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    normal.element.set(qn("w:default"), "1")
    normal.element.set(qn("w:styleId"), "Normal")
    normal.quick_style = True
    ppr = normal.element.get_or_add_pPr()
    oxml.set_widow_control(ppr)
    oxml.set_east_asian_layout(ppr, auto_space=theme.typography.han_latin_space > 0)
    oxml.set_spacing(ppr, line_pt=theme.sizes.body * grid_line_height(theme))
    oxml.set_jc(ppr, "both")
    _run_props(
        normal.element.get_or_add_rPr(), faces["body"], theme.sizes.body, theme.colors.text, lang
    )
    if document_grid(theme) is not None:
        # The page's grid (w:docGrid) is what Word's and WPS's page setup shows (22 × 28
        # for 公文); the text itself is set off the grid, on the same numbers: lines of the
        # grid's pitch and characters narrower than 16 pt by what the PDF's letter-spacing
        # takes off (rounded down to twentieths of a point), so 28 fill the line.
        # LibreOffice gives a character wider than its cell two cells (14 a line), and
        # draws characters on the grid even where the run asks not to: off the grid, it
        # keeps the 22 lines. LibreOffice 7.4 (Debian 12) under such a grid wants about
        # 2 pt to spare on a line or breaks it one character early (27 a line): one more
        # twentieth off each character gives it 1.4 pt more; Word, WPS and justification
        # still fill the line with 28 (29 would need 13 pt more).
        spacing = page_geometry(theme).letter_spacing
        oxml.put(ppr, oxml.element("w:snapToGrid", val=0))
        oxml.put(
            normal.element.get_or_add_rPr(),
            oxml.element("w:spacing", val=math.floor(spacing * 20) - 1),
        )

    for spec in _specs(table):
        kind = WD_STYLE_TYPE.CHARACTER if spec.kind == "character" else WD_STYLE_TYPE.PARAGRAPH
        style = document.styles.add_style(spec.name, kind, builtin=spec.name in BUILT_IN)
        style.element.set(qn("w:styleId"), _style_id(spec.name))
        if spec.based_on:
            style.element.get_or_add_basedOn().val = "Normal"
        if spec.next:
            style.element.get_or_add_next().val = _style_id(spec.next)
        if spec.ui_priority is not None:
            style.priority = spec.ui_priority
        style.quick_style = True
        if spec.kind == "paragraph":
            _para_props(style.element.get_or_add_pPr(), spec, theme)
        rpr = style.element.get_or_add_rPr()
        _run_props(rpr, faces[spec.face], spec.size, spec.color, lang, bold=spec.bold)

    # The paragraph after each case title that counts the case (document.py): hidden,
    # mark included, so it takes no room; the captions show its number by a reference.
    # Not in the style table: it has no look.
    number = document.styles.add_style(CASE_NUMBER, WD_STYLE_TYPE.PARAGRAPH)
    number.element.set(qn("w:styleId"), CASE_NUMBER_ID)
    number.element.get_or_add_basedOn().val = "Normal"
    number.hidden = True
    oxml.set_spacing(number.element.get_or_add_pPr(), before=0, after=0)
    oxml.set_keep(number.element.get_or_add_pPr(), next=True, lines=False)  # title, then text
    _run_props(number.element.get_or_add_rPr(), faces["body"], None, "", lang)
    oxml.set_hidden(number.element.get_or_add_rPr())


def _doc_defaults(styles_el, theme: Theme, fonts: Fonts, lang: str) -> None:
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is not None:
        styles_el.remove(defaults)
    defaults = oxml.element("w:docDefaults")
    rpr_default, ppr_default = oxml.element("w:rPrDefault"), oxml.element("w:pPrDefault")
    rpr, ppr = oxml.element("w:rPr"), oxml.element("w:pPr")
    rpr_default.append(rpr)
    ppr_default.append(ppr)
    defaults.extend([rpr_default, ppr_default])
    styles_el.insert(0, defaults)
    _run_props(rpr, (fonts.latin, fonts.body), theme.sizes.body, "", lang)
    oxml.set_spacing(ppr, line_pt=1.0, line_rule="auto")


def _run_props(
    rpr, face: tuple[str, str], size: float | None, color: str, lang: str, bold: bool = False
) -> None:
    oxml.set_fonts(rpr, face[0], face[1])
    if bold:
        oxml.set_bold(rpr)
    if color:
        oxml.set_color(rpr, color)
    if size:
        oxml.set_size(rpr, size)
    oxml.set_lang(rpr, lang)


def _para_props(ppr, spec: _Spec, theme: Theme) -> None:
    oxml.set_keep(ppr, next=spec.keep_next, lines=spec.keep_lines)
    if spec.border:
        oxml.set_border(ppr, spec.border, color=theme.colors.muted)
    if spec.toc_tab:
        oxml.add_tab(ppr, text_width_twips(theme), "right", "dot")
    if spec.line_single:
        oxml.set_spacing(ppr, before=spec.before, after=spec.after, line_pt=1.0, line_rule="auto")
    else:
        oxml.set_spacing(ppr, before=spec.before, after=spec.after, line_pt=spec.line)
    if spec.first_line is not None or spec.left or spec.right:
        oxml.set_indent(
            ppr,
            first_line_chars=spec.first_line or 0,
            font_pt=spec.size or theme.sizes.body,
            left_chars=spec.left,
            right_chars=spec.right,
        )
    if spec.jc:
        oxml.set_jc(ppr, spec.jc)
    if spec.outline is not None:
        oxml.set_outline_level(ppr, spec.outline)


def font_table_entries(fonts: Fonts) -> list[tuple[str, str, str]]:
    """(name, its other name, family) for the fontTable."""
    entries = [
        (fonts.body, alt_name(fonts.body), "roman"),
        (fonts.heading, alt_name(fonts.heading), "swiss"),
        (fonts.caption, alt_name(fonts.caption), "script"),
    ]
    for extra, family in ((fonts.title, "roman"), (fonts.folio, "roman")):
        if extra and extra not in (name for name, _alt, _family in entries):
            entries.append((extra, alt_name(extra), family))
    return entries
