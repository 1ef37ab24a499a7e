"""Themes as presets, and the 公文 theme measured as GB/T 9704-2012 gives it: from the
glyph positions of the PDF, the DOCX's XML and LibreOffice's rendering of the DOCX."""

from __future__ import annotations

import io
import re
import statistics
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT, libreoffice_convert, output_of
from publisher.look.fonts import font_stacks
from publisher.look.styletable import page_geometry
from publisher.look.theme import PRESETS, FontFallback, load_theme
from publisher.model import Case, Compendium, Heading, Paragraph, Part
from publisher.pipeline.project import Project, load_project
from publisher.pipeline.scaffold import init_project
from publisher.support.errors import ContentError
from publisher.support.options import WriterOptions
from publisher.testing.pdf_typography import pdf_lines
from publisher.writers.docx import write_docx
from publisher.writers.pdf import write_pdf

MM = 72 / 25.4
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
HAN = re.compile(r"[\u4e00-\u9fff]")

# Pure Han text: a line of it shows the grid's characters per line without punctuation
# compression or Latin letters changing the count.
HAN_TEXT = "基层党组织引领群众脱贫致富建设美丽乡村振兴产业发展壮大集体经济" * 8


def gongwen_book() -> Compendium:
    blocks: list = [Heading(1, "一、坚持组织引领凝聚力量")]
    blocks += [Paragraph.of(HAN_TEXT) for _ in range(6)]
    blocks += [Heading(2, "（一）健全工作机制"), Paragraph.of(HAN_TEXT)]
    blocks += [Heading(3, "1.压实责任"), Paragraph.of(HAN_TEXT)]
    blocks += [Paragraph.of("坚持将党建工作深度融入脱贫攻坚。", lead="（二）健全帮扶机制。")]
    blocks += [Paragraph.of("选好配强村党组织书记。", lead="一是配强班子。")]
    blocks += [Paragraph.of(HAN_TEXT) for _ in range(4)]
    case = Case(id="gw", title="党建引领乡村振兴", blocks=tuple(blocks), date="2020-06-30")
    return Compendium(title="公文测试", parts=(Part("", (case,)),), date="2026-11-01")


@pytest.fixture(scope="module")
def gongwen():
    return load_theme(None, preset="gongwen")


@pytest.fixture(scope="module")
def gongwen_pdf(gongwen, tmp_path_factory) -> bytes:
    options = WriterOptions(
        content_dir=tmp_path_factory.mktemp("gw"), styles_dir=ROOT / "styles", tagged_pdf=False
    )
    return output_of(write_pdf, gongwen_book(), gongwen, options).data


@pytest.fixture(scope="module")
def gongwen_docx(gongwen, tmp_path_factory) -> Path:
    options = WriterOptions(
        content_dir=tmp_path_factory.mktemp("gwd"),
        styles_dir=ROOT / "styles",
        date="2026-11-01",
        docx_toc_pages=False,
    )
    path = tmp_path_factory.mktemp("gwdocx") / "gongwen.docx"
    path.write_bytes(output_of(write_docx, gongwen_book(), gongwen, options).data)
    return path


def _body_pages(lines, size: float = 16.0) -> dict[int, list]:
    """Lines in the body size by page (the folio is 14 pt, titles 22 pt)."""
    pages: dict[int, list] = {}
    for line in lines:
        if abs(line.size - size) < 0.3 and not line.text.startswith("—"):
            pages.setdefault(line.page, []).append(line)
    return pages


# --- presets ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads(name):
    assert load_theme(None, preset=name).name == name


def test_a_projects_theme_file_changes_only_what_it_sets(tmp_path):
    mine = tmp_path / "theme.toml"
    mine.write_text("[sizes]\nbody = 15\n", encoding="utf-8")
    theme = load_theme(mine, preset="gongwen")
    assert theme.sizes.body == 15 and theme.page.lines_per_page == 22


def test_a_full_copy_of_another_preset_is_an_error_naming_its_line(tmp_path):
    copy = tmp_path / "theme.toml"
    copy.write_text('# the old book theme\nname = "book"\n', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_theme(copy, "styles/theme.toml", preset="gongwen")
    assert caught.value.line == 2 and "gongwen" in caught.value.message


def _project(tmp_path: Path, theme: str) -> Project:
    init_project(tmp_path, "测试")
    settings = tmp_path / "content" / "compendium.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^theme = .*$", f"theme = {theme}", text), encoding="utf-8")
    return Project(tmp_path)


@pytest.mark.parametrize("value", ['"/etc/passwd"', '"../theme.toml"', '"gongwen2"'])
def test_a_theme_value_never_reads_outside_the_project(tmp_path, value):
    with pytest.raises(ContentError) as caught:
        load_project(_project(tmp_path, value))
    message = str(caught.value)
    assert "compendium.toml:" in message and "\n" not in message
    assert "passwd" not in message or "not a theme" in message


def test_init_writes_the_theme_and_the_build_uses_it(tmp_path):
    init_project(tmp_path, "测试", theme="book-16k")
    assert 'theme = "book-16k"' in (tmp_path / "content" / "compendium.toml").read_text()
    loaded = load_project(Project(tmp_path))
    assert (loaded.theme.page.width_mm, loaded.theme.page.height_mm) == (185, 260)


def test_a_face_not_installed_is_a_substitution_reported(gongwen):
    theme = replace(
        gongwen,
        fonts=replace(
            gongwen.fonts,
            body=("No Such 仿宋 Face",),
            fallback=FontFallback(body=("Noto Serif CJK SC",)),
        ),
    )
    stacks = font_stacks(theme)
    assert stacks.body[0].family == "Noto Serif CJK SC"
    (note,) = [s for s in stacks.substitutions if s.startswith("body:")]
    assert "No Such 仿宋 Face" in note and "FandolFang" in note  # how to get a free 仿宋


# --- 公文 in the PDF -----------------------------------------------------------------


def test_gongwen_text_block_is_156_by_225_mm(gongwen):
    page = page_geometry(gongwen)
    assert (page.width_mm, page.height_mm) == (210, 297)
    assert page.text_width_mm == pytest.approx(156) and page.text_height_mm == pytest.approx(225)
    assert (page.top, page.inside) == (37, 28)


def test_gongwen_full_page_has_22_lines_of_28_characters(gongwen_pdf):
    lines = pdf_lines(gongwen_pdf)
    pages = _body_pages(lines)
    assert max(len(ls) for ls in pages.values()) == 22
    # A page a line short keeps a paragraph's first two lines together (orphans).
    full = [p for p, ls in pages.items() if len(ls) == 22]
    assert len(full) >= 2, {p: len(ls) for p, ls in pages.items()}
    for page in full:
        body = pages[page]
        # 22 lines fill the text block: 225 mm / 22 = 28.99 pt, set as 28.95 pt (a whole
        # number of twips, the DOCX's line pitch too)
        pitches = [a.y - b.y for a, b in zip(body, body[1:], strict=False)]
        assert statistics.median(pitches) == pytest.approx(28.95, abs=0.1)
        assert 22 * 28.95 <= 225 * MM < 23 * 28.95
        han_lines = [ln for ln in body if all(HAN.match(g.text) for g in ln.glyphs)]
        full_han = [ln for ln in han_lines if ln.right - ln.left > 150 * MM]
        assert len(full_han) >= 15
        for line in full_han:
            assert len(line.glyphs) == 28, line.text
            assert line.right - line.left == pytest.approx(156 * MM, abs=0.6)


def test_gongwen_text_block_stands_where_the_standard_puts_it(gongwen_pdf):
    pages = _body_pages(pdf_lines(gongwen_pdf))
    full = [p for p, ls in pages.items() if len(ls) == 22]
    for page in full:
        body = pages[page]
        left = min(ln.left for ln in body)
        inside = 28 if page % 2 == 1 else 26  # right-hand pages bind on the left
        assert left == pytest.approx(inside * MM, abs=0.5)
        # The first line in the text block's first 28.95 pt cell (37 mm down), the 22nd in
        # its last (262 mm down): where in the cell the baseline sits is the face's own
        # ascent (FandolFang's differs from Noto Serif CJK's by 5 pt), not the standard's.
        first = 297 * MM - max(ln.y for ln in body)
        last = 297 * MM - min(ln.y for ln in body)
        assert 37 * MM < first <= 37 * MM + 28.95
        assert 262 * MM - 28.95 < last <= 262 * MM


def test_gongwen_folios_outer_side_7mm_below_no_running_heads(gongwen_pdf):
    lines = pdf_lines(gongwen_pdf)
    folios = [ln for ln in lines if re.fullmatch(r"—\d+—", ln.text)]
    assert len(folios) >= 2
    for folio in folios:
        number = int(folio.text.strip("—"))
        assert folio.size == pytest.approx(14, abs=0.1)  # 四号
        if folio.page % 2 == 1:  # right on odd pages, one character in
            assert folio.right == pytest.approx((210 - 26) * MM - 14, abs=0.5), number
        else:
            assert folio.left == pytest.approx(26 * MM + 14, abs=0.5), number
        # the dashes (the middle of the em box), 7 mm under the text block's foot (35 mm
        # from the bottom); a line's y is its em box's foot
        dash_middle = folio.y + 14 / 2
        assert dash_middle == pytest.approx((35 - 7) * MM, abs=0.5 * MM)
    top = 297 * MM - 37 * MM
    case_pages = {ln.page for ln in folios}
    assert not [ln for ln in lines if ln.page in case_pages and ln.y > top + 2]


def test_gongwen_run_in_numbered_leads_take_their_levels_face(gongwen_pdf, gongwen_docx):
    """（二）健全帮扶机制。 run in: 楷体 as a level-2 heading; 一是…。 stays bold 仿宋."""
    glyphs = [g for ln in pdf_lines(gongwen_pdf) for g in ln.glyphs]
    text = "".join(g.text for g in glyphs)
    at = text.index("（二）健全帮扶机制")
    assert "Kai" in glyphs[at + 4].font
    body = glyphs[text.index("坚持将党建工作深度融入")].font
    assert "Kai" not in body and "Bold" not in body
    lead = glyphs[text.index("一是配强班子")].font
    assert "Bold" in lead and "Kai" not in lead
    document = _xml(gongwen_docx, "word/document.xml")
    (run,) = document.xpath("//w:r[w:t='（二）健全帮扶机制。']", namespaces=NS)
    style = run.xpath("w:rPr/w:rStyle/@w:val", namespaces=NS)[0]
    styles = _xml(gongwen_docx, "word/styles.xml")
    (defined,) = styles.xpath(f"w:style[@w:styleId='{style}']", namespaces=NS)
    assert defined.xpath("w:rPr/w:rFonts/@w:eastAsia", namespaces=NS) == ["楷体_GB2312"]


def test_gongwen_headings_in_their_faces(gongwen_pdf):
    lines = pdf_lines(gongwen_pdf)
    by_text = {ln.text: ln for ln in lines}
    body_face = next(ln for ln in lines if ln.text.startswith("基层党组织")).glyphs[0].font
    h1, h2, h3 = (
        by_text["一、坚持组织引领凝聚力量"],
        by_text["（一）健全工作机制"],
        by_text["1.压实责任"],
    )
    assert all(abs(h.size - 16) < 0.1 for h in (h1, h2, h3))  # 三号
    assert "Sans" in h1.glyphs[2].font or "Hei" in h1.glyphs[2].font  # 黑体
    assert "Kai" in h2.glyphs[3].font or "WenKai" in h2.glyphs[3].font  # 楷体
    assert h3.glyphs[2].font.split("+")[-1].startswith(body_face.split("+")[-1].split("-")[0])
    assert "Bold" in h3.glyphs[2].font  # 仿宋 bold
    title = next(ln for ln in lines if ln.text == "党建引领乡村振兴")
    assert title.size == pytest.approx(22, abs=0.1)  # 二号
    assert title.left + title.right == pytest.approx(2 * (28 + 78) * MM, abs=3)  # centred


# --- 公文 in the DOCX ----------------------------------------------------------------


def _xml(docx: Path, part: str):
    return etree.fromstring(zipfile.ZipFile(docx).read(part))


def test_gongwen_docx_document_grid_is_22_by_28(gongwen_docx):
    document = _xml(gongwen_docx, "word/document.xml")
    grids = document.xpath("//w:sectPr/w:docGrid", namespaces=NS)
    assert grids
    for grid in grids:
        assert grid.get(f"{{{W}}}type") == "linesAndChars"
        pitch = int(grid.get(f"{{{W}}}linePitch")) / 20
        assert 22 * pitch <= 225 * MM < 23 * pitch
        chars = 16 + int(grid.get(f"{{{W}}}charSpace")) / 4096
        assert 28 * chars <= 156 * MM < 29 * chars
    margins = document.xpath("//w:sectPr/w:pgMar", namespaces=NS)[0]
    assert int(margins.get(f"{{{W}}}top")) == round(37 * 1440 / 25.4)
    assert int(margins.get(f"{{{W}}}left")) == round(28 * 1440 / 25.4)


def test_gongwen_docx_folios_and_fonts(gongwen_docx):
    with zipfile.ZipFile(gongwen_docx) as package:
        footers = [package.read(n).decode() for n in package.namelist() if "footer" in n]
        headers = [package.read(n).decode() for n in package.namelist() if "header" in n]
        fonts = package.read("word/fontTable.xml").decode()
        styles = package.read("word/styles.xml").decode()
    right = [f for f in footers if 'w:val="FolioRight"' in f]
    left = [f for f in footers if 'w:val="FolioLeft"' in f]
    assert right and left
    for footer in right + left:
        assert re.search(r"<w:t[^>]*>— </w:t>.*PAGE.*<w:t[^>]*> —</w:t>", footer)
    assert not [h for h in headers if "<w:t" in h]  # no running heads
    assert 'w:name="仿宋_GB2312"' in fonts and "仿宋" in fonts
    assert 'w:name="方正小标宋简体"' in fonts and 'w:val="宋体"' in fonts  # its fallback
    folio_style = re.search(r'w:styleId="FolioRight".*?</w:style>', styles, re.S).group(0)
    assert 'w:jc w:val="right"' in folio_style and 'w:sz w:val="28"' in folio_style
    assert 'w:ascii="宋体"' in folio_style  # half-width 宋体 digits


@pytest.mark.slow
def test_gongwen_docx_in_libreoffice_has_22_lines_on_a_full_page(gongwen_docx, tmp_path):
    pdf = libreoffice_convert(gongwen_docx, tmp_path)
    pages = _body_pages(pdf_lines(pdf.read_bytes()))
    assert max(len(ls) for ls in pages.values()) == 22
    # A paragraph's inner lines (neither its first, indented, nor its last) hold 28.
    widths = {len(HAN.findall(line.text)) for ls in pages.values() for line in ls}
    assert max(widths) == 28, sorted(widths)


# --- book-16k ----------------------------------------------------------------------------


def test_book_16k_page_and_grid():
    theme = load_theme(None, preset="book-16k")
    page = page_geometry(theme)
    assert (page.width_mm, page.height_mm) == (185, 260)
    assert page.chars_per_line == 39
    assert page.chars_per_line * theme.sizes.body == pytest.approx(
        page.text_width_mm * MM, abs=0.01
    )


def test_the_seed_styles_file_changes_nothing_of_the_book():
    assert load_theme(ROOT / "styles" / "theme.toml") == load_theme(None, preset="book")


def test_gongwen_page_size_in_the_pdf(gongwen_pdf):
    import pikepdf

    with pikepdf.open(io.BytesIO(gongwen_pdf)) as pdf:
        box = [float(x) for x in pdf.pages[0].MediaBox]
    assert box[2] == pytest.approx(210 * MM, abs=0.1) and box[3] == pytest.approx(297 * MM, abs=0.1)


def test_doctor_lists_the_face_of_every_role_and_each_substitution(gongwen):
    from publisher.look.fonts import resolve_family
    from publisher.pipeline.doctor import _face_checks

    theme = replace(
        gongwen,
        fonts=replace(
            gongwen.fonts,
            body=("No Such 仿宋 Face",),
            fallback=FontFallback(body=("Noto Serif CJK SC",)),
        ),
    )
    checks = {c.name: c for c in _face_checks(theme, resolve_family)}
    assert set(checks) == {f"font ({r})" for r in ("body", "heading", "caption", "title", "folio")}
    body = checks["font (body)"]
    assert body.status == "warning" and "Noto Serif CJK SC" in body.detail
    assert "FandolFang" in body.fix and "texlive-lang-chinese" in body.fix


def test_absorb_reads_a_gongwen_docx_lead_back_as_a_lead(gongwen_docx):
    """An editor's gongwen DOCX, absorbed: （二）… is still the paragraph's lead-in."""
    import docx

    from publisher.absorb.reader import read_document

    reading = read_document(docx.Document(str(gongwen_docx)))
    paras = [i for case in reading.cases for i in case.items if i.kind == "para"]
    leads = {r.text for i in paras for r in i.runs if r.strong}
    assert {"（二）健全帮扶机制。", "一是配强班子。"} <= leads
