"""One look: the PDF's stylesheet and the DOCX's styles, read back, agree element by element."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest
import tinycss2
from lxml import etree

from conftest import output_of
from publisher.look.styletable import css_declarations, page_geometry, resolve_styles
from publisher.look.theme import PRESETS, load_theme
from publisher.writers.docx import STYLE, write_docx
from publisher.writers.docx.styles import Fonts, style_id
from publisher.writers.html import render_css

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

# The element each rule of compendium.css.j2 sets, by its selector.
SELECTORS = {
    "html": "body",
    ".book-title": "title",
    ".book-subtitle": "subtitle",
    ".cover-foot p": "compiler",
    ".front-title": "matter_title",
    ".toc li.toc-part": "toc1",
    ".toc li": "toc2",
    ".toc li.toc-case.in-part": "toc3",
    ".part-title": "part",
    ".kicker": "kicker",
    ".case-title": "case_title",
    ".case-subtitle": "case_subtitle",
    ".series": "series",
    ".byline": "byline",
    ".dateline": "source",
    "h2.h1": "heading1",
    "h3.h2": "heading2",
    "h4.h3": "heading3",
    ".note": "note",
    ".source-note": "source_note",
    "figcaption": "caption",
    ".placeholder": "placeholder",
    "p.lead-only": "lead_paragraph",
}
# Set differently on purpose, each for a reason a reader would give:
REFINED = {
    # PDF: a long caption is justified with its last line centred; Word has no last-line
    # alignment, so the DOCX centres it (a one-line caption reads the same in both).
    ("caption", "align"),
}


def _rules(css: str) -> dict[str, dict[str, str]]:
    """selector → its declarations (the last of each property wins, as in CSS)."""
    rules: dict[str, dict[str, str]] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type != "qualified-rule":
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        declared = rules.setdefault(selector, {})
        for d in tinycss2.parse_declaration_list(
            rule.content, skip_whitespace=True, skip_comments=True
        ):
            if d.type == "declaration":
                declared[d.lower_name] = tinycss2.serialize(d.value).strip()
    return rules


def _pt(value: str) -> float:
    assert value.endswith("pt"), value
    return float(value[:-2])


@pytest.fixture(scope="module", params=PRESETS)
def preset(request):
    """Each preset theme, as a project that changes nothing gets it."""
    return load_theme(None, preset=request.param)


@pytest.fixture(scope="module")
def both(sample_compendium, preset, tmp_path_factory):
    from publisher.support.options import WriterOptions
    from publisher.writers.preflight import run_preflight
    from tests.conftest import ROOT

    theme = preset
    options = WriterOptions(
        content_dir=tmp_path_factory.mktemp("c"),
        styles_dir=ROOT / "styles",
        date="2026-11-01",
        docx_toc_pages=False,
    )
    families = {"body": ("Body Face",), "heading": ("Heading Face",), "caption": ("Caption Face",)}
    # As the font stacks give them: a theme without title or folio faces uses the
    # heading's and the body's.
    families["title"] = ("Title Face",) if theme.fonts.title else families["heading"]
    families["folio"] = ("Folio Face",) if theme.fonts.folio else families["body"]
    pre = run_preflight(sample_compendium, theme, options)  # one style table for both
    css = _rules(render_css(theme, options, pre.styles, families))
    docx = write_docx(sample_compendium, theme, options, pre)
    styles = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx.data)).read("word/styles.xml"))
    return css, styles, docx.fonts


def _docx_style(styles, key: str):
    (style,) = styles.xpath(f"w:style[@w:styleId='{style_id(key)}']", namespaces=NS)
    return style


def _get(style, path: str, attr: str):
    found = style.xpath(path, namespaces=NS)
    return found[0].get(f"{{{W}}}{attr}") if found else None


def _docx_look(style, fonts: Fonts) -> dict:
    roles = {fonts.body: "body", fonts.heading: "heading", fonts.caption: "caption"}
    if fonts.title:
        roles[fonts.title] = "title"
    if fonts.folio:
        roles[fonts.folio] = "folio"
    size = _get(style, "w:rPr/w:sz", "val")
    bold = style.xpath("w:rPr/w:b", namespaces=NS)
    line = _get(style, "w:pPr/w:spacing", "line")
    jc = _get(style, "w:pPr/w:jc", "val")
    return {
        "face": roles.get(_get(style, "w:rPr/w:rFonts", "eastAsia")),
        "size": float(size) / 2 if size else None,
        "bold": bool(bold) and bold[0].get(f"{{{W}}}val") not in ("0", "false"),
        "color": "#" + (_get(style, "w:rPr/w:color", "val") or "000000").lower(),
        "line": float(line) / 20 if line else None,
        "align": {"both": "justify"}.get(jc, jc),
        "indent": int(_get(style, "w:pPr/w:ind", "firstLineChars") or 0) / 100,
        "before": int(_get(style, "w:pPr/w:spacing", "before") or 0) / 20,
        "after": int(_get(style, "w:pPr/w:spacing", "after") or 0) / 20,
    }


def _css_look(declared: dict[str, str]) -> dict:
    first_family = re.match(r'"([^"]+)"', declared.get("font-family", '""')).group(1)
    look = {
        "face": {
            "Body Face": "body",
            "Heading Face": "heading",
            "Caption Face": "caption",
            "Title Face": "title",
            "Folio Face": "folio",
        }.get(first_family),
        "size": _pt(declared["font-size"]),
        "bold": declared.get("font-weight") == "bold",
        "color": declared["color"].lower(),
    }
    if "line-height" in declared:
        look["line"] = _pt(declared["line-height"])
    if "text-align" in declared:
        look["align"] = declared["text-align"]
    if "text-indent" in declared:
        look["indent"] = float(declared["text-indent"].removesuffix("em"))
    for prop, name in (("margin-top", "before"), ("margin-bottom", "after")):
        if declared.get(prop, "").endswith("pt"):  # mm: placed on the page, not spacing
            look[name] = _pt(declared[prop])
    return look


@pytest.mark.parametrize("selector", sorted(SELECTORS))
def test_pdf_and_docx_set_each_element_alike(both, selector):
    css, styles, fonts = both
    key = SELECTORS[selector]
    pdf = _css_look(css[selector])
    docx = _docx_look(_docx_style(styles, key), fonts)
    compared = {
        prop: (value, docx[prop]) for prop, value in pdf.items() if (key, prop) not in REFINED
    }
    assert {p: pair for p, pair in compared.items() if not _same(*pair)} == {}


def _same(pdf, docx) -> bool:
    """Equal, lengths to the DOCX's unit (a twip, 1/20 pt: 43.43 pt is 43.45 there)."""
    if isinstance(pdf, float) and isinstance(docx, float):
        return abs(pdf - docx) <= 0.05 + 1e-9
    return pdf == docx


def test_every_docx_paragraph_style_comes_from_the_table(preset):
    table = resolve_styles(preset)
    assert set(STYLE) - set(table.styles) == set()


def test_docx_text_block_is_the_pdfs(sample_compendium, preset, writer_options):
    """Both text blocks are a whole number of body characters wide (the PDF's @page
    margins and the DOCX's w:pgMar come from the same page geometry); on a fixed grid
    (公文) the characters are spaced so that exactly that many fit (the justification
    takes up what is left, less than a twentieth of a point a character)."""
    theme = preset
    page = page_geometry(theme)
    pitch = theme.sizes.body + page.letter_spacing
    width = page.text_width_mm * 72 / 25.4
    assert page.chars_per_line * pitch <= width + 0.01 < (page.chars_per_line + 1) * pitch
    assert width - page.chars_per_line * pitch <= page.chars_per_line * 0.05 + 0.01
    docx = output_of(
        write_docx,
        sample_compendium,
        theme,
        dataclasses.replace(writer_options, docx_toc_pages=False),
    )
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx.data)).read("word/document.xml"))
    for margins in body.xpath("//w:sectPr/w:pgMar", namespaces=NS):
        left, right = (int(margins.get(f"{{{W}}}{side}")) for side in ("left", "right"))
        width_pt = float(body.xpath("//w:pgSz/@w:w", namespaces=NS)[0]) / 20
        assert (width_pt - (left + right) / 20) == pytest.approx(width, abs=0.1)


def test_css_groups_are_checked(theme):
    with pytest.raises(ValueError):
        css_declarations(resolve_styles(theme).body, {"body": "x"}, "colour")
