"""The DOCX writer at the XML level: styles, East-Asian fonts, fields, TOC, captions,
sections, package. Built once per module without the LibreOffice pass (fast)."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest
from lxml import etree

from conftest import output_of
from publisher.look import toc
from publisher.model import Compendium, Figure, Part
from publisher.support.errors import ContentError
from publisher.support.options import WriterOptions
from publisher.writers.docx import (
    STYLE,
    _build,  # noqa: PLC2701 (pages written back)
    toc_entries,
    write_docx,
)
from publisher.writers.docx.styles import Fonts
from publisher.writers.docx.toc_pages import match_index, page_numbers
from publisher.writers.preflight import run_preflight

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}
FONTS = Fonts(
    body="Noto Serif CJK SC",
    heading="Noto Sans CJK SC",
    caption="LXGW WenKai",
    latin="Noto Serif CJK SC",
)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    """A content folder with one real image, used by the first case's first figure."""
    from PIL import Image

    root = tmp_path_factory.mktemp("content")
    (root / "images").mkdir()
    Image.new("RGB", (640, 400), (180, 40, 40)).save(root / "images" / "photo.png")
    return root


@pytest.fixture(scope="module")
def compendium(sample_compendium) -> Compendium:
    """The sample with an image on case 1's first figure."""
    part = sample_compendium.parts[0]
    case = part.cases[0]
    blocks = list(case.blocks)
    blocks[0] = dataclasses.replace(blocks[0], image="images/photo.png")
    case = dataclasses.replace(case, blocks=tuple(blocks))
    parts = (Part(part.title, (case,)),) + sample_compendium.parts[1:]
    return dataclasses.replace(sample_compendium, parts=parts)


@pytest.fixture(scope="module")
def options(content, theme) -> WriterOptions:
    from pathlib import Path

    return WriterOptions(
        content_dir=content, styles_dir=Path("styles"), date="2026-11-01", docx_toc_pages=False
    )


@pytest.fixture(scope="module")
def built(compendium, theme, options):
    return output_of(write_docx, compendium, theme, options, fonts=FONTS)


@pytest.fixture(scope="module")
def parts(built) -> dict[str, etree._Element]:
    z = zipfile.ZipFile(io.BytesIO(built.data))
    return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith((".xml", ".rels"))}


@pytest.fixture(scope="module")
def document(parts):
    return parts["word/document.xml"]


@pytest.fixture(scope="module")
def styles(parts):
    return parts["word/styles.xml"]


def style_by_name(styles, name):
    found = styles.xpath(f"w:style[w:name/@w:val='{name}']", namespaces=NS)
    assert found, f"style {name!r} is missing"
    return found[0]


def para_text(p) -> str:
    return "".join(p.xpath(".//w:t/text()", namespaces=NS))


def paragraphs(document, style_id):
    return document.xpath(f"//w:p[w:pPr/w:pStyle/@w:val='{style_id}']", namespaces=NS)


# --- styles ---------------------------------------------------------------------------


def test_every_model_element_has_a_named_style(styles):
    for key, name in STYLE.items():
        style = style_by_name(styles, name)
        kind = "character" if key in ("lead", "lead1", "lead2", "lead3", "credit") else "paragraph"
        assert style.get(w("type")) == kind, name


def test_body_text_indents_two_characters_with_twips_fallback(styles, theme):
    ind = style_by_name(styles, "Body Text").find("w:pPr/w:ind", NS)
    assert ind.get(w("firstLineChars")) == "200"
    assert int(ind.get(w("firstLine"))) == round(2 * theme.sizes.body * 20)


def test_styles_come_from_the_theme(styles, theme):
    def size(name):
        return int(style_by_name(styles, name).find("w:rPr/w:sz", NS).get(w("val"))) / 2

    assert size("heading 1") == theme.sizes.case_title
    assert size("Body Text") == theme.sizes.body
    assert size("caption") == theme.sizes.caption
    fonts = style_by_name(styles, "caption").find("w:rPr/w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == "LXGW WenKai"
    fonts = style_by_name(styles, "heading 1").find("w:rPr/w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == "Noto Sans CJK SC"


def test_east_asian_fonts_and_language_on_every_style(styles, parts):
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    for rpr in [defaults] + [
        s.find("w:rPr", NS)
        for s in styles.findall("w:style", NS)
        if s.get(w("styleId")) != "DefaultParagraphFont"
    ]:
        assert rpr is not None
        fonts = rpr.find("w:rFonts", NS)
        for attr in ("ascii", "hAnsi", "eastAsia"):
            assert fonts.get(w(attr)), attr
        assert rpr.find("w:lang", NS).get(w("eastAsia")) == "zh-CN"
    xml = etree.tostring(styles).decode()
    assert not re.search(r'w:\w*[Tt]heme="', xml), "a style names a theme font"
    settings = parts["word/settings.xml"]
    assert settings.find("w:themeFontLang", NS).get(w("eastAsia")) == "zh-CN"
    assert settings.find("w:characterSpacingControl", NS).get(w("val")) == "compressPunctuation"
    assert "word/stylesWithEffects.xml" not in parts


def test_font_names_are_what_recipients_have(compendium, theme, options):
    """By default the Chinese Windows/WPS faces, each with its other name in the fontTable;
    the build machine's fonts are not asked for."""
    out = output_of(write_docx, compendium, theme, options)
    z = zipfile.ZipFile(io.BytesIO(out.data))
    styles = etree.fromstring(z.read("word/styles.xml"))
    faces = {f.get(w("eastAsia")) for f in styles.iter(w("rFonts"))}
    assert faces == {"SimSun", "SimHei", "KaiTi"}
    latin = {f.get(w("ascii")) for f in styles.iter(w("rFonts"))}
    assert "Times New Roman" in latin and not any("Noto" in f for f in latin)
    table = etree.fromstring(z.read("word/fontTable.xml"))
    alt = {
        f.get(w("name")): f.find("w:altName", NS).get(w("val"))
        for f in table.findall("w:font", NS)
        if f.find("w:altName", NS) is not None
    }
    assert alt == {"SimSun": "宋体", "SimHei": "黑体", "KaiTi": "楷体"}
    # The theme part too (Word's +标题 / +正文 faces for text an editor types anew).
    a = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    part = etree.fromstring(z.read("word/theme/theme1.xml"))
    for tag, face in (("majorFont", "SimHei"), ("minorFont", "SimSun")):
        fonts = part.find(f".//a:{tag}", a)
        assert fonts.find("a:ea", a).get("typeface") == face
        assert fonts.find("a:font[@script='Hans']", a).get("typeface") == face
        assert fonts.find("a:latin", a).get("typeface") == "Times New Roman"


def test_doctor_says_how_libreoffice_shows_the_docx_fonts(theme):
    from conftest import require_tool
    from publisher.pipeline.doctor import docx_font_checks

    require_tool("fc-match")
    checks = docx_font_checks(theme)
    assert [c.name for c in checks] == ["docx body", "docx heading", "docx caption"]
    assert all(c.status == "ok" for c in checks), checks
    # Simplified Chinese faces (fonts-noto-cjk): SimSun is the serif one.
    assert "Noto Serif CJK SC" in checks[0].detail or "installed" in checks[0].detail


def test_no_direct_formatting_in_the_body(document):
    """Except one: a case title under its 引题 has no space before it (the 引题 has it)."""
    for ppr in document.iter(w("pPr")):
        extra = {etree.QName(c).localname for c in ppr} - {"pStyle", "sectPr"}
        style = ppr.find("w:pStyle", NS)
        if style is not None and style.get(w("val")) == "Caption":
            extra -= {"ind"}  # a caption is indented to its photo's width, which varies
        if extra == {"spacing"}:
            p = ppr.getparent()
            above = p.getprevious()
            while above.tag != w("p"):
                above = above.getprevious()
            assert ppr.find("w:pStyle", NS).get(w("val")) == "Heading1"
            assert above.find("w:pPr/w:pStyle", NS).get(w("val")) == "Kicker"
            assert ppr.find("w:spacing", NS).get(w("before")) == "0"
            continue
        assert not extra, extra
    for rpr in document.iter(w("rPr")):
        assert {etree.QName(c).localname for c in rpr} <= {"rStyle"}


# --- fields, TOC, bookmarks ---------------------------------------------------------------


def fields(root) -> list[str]:
    """Instructions of the complex fields in `root`, asserting begin/separate/end balance."""
    stack, found = [], []
    for el in root.iter(w("fldChar"), w("instrText")):
        if el.tag == w("instrText"):
            assert stack, "instruction outside a field"
            stack[-1] += el.text
            continue
        kind = el.get(w("fldCharType"))
        if kind == "begin":
            stack.append("")
        elif kind == "separate":
            assert stack
        else:
            assert stack, "field end without begin"
            found.append(stack.pop().strip())
    assert not stack, "unterminated field"
    return found


def test_fields_balanced_everywhere(parts):
    for name, root in parts.items():
        if name.startswith("word/"):
            fields(root)


def test_toc_lists_what_the_pdf_lists_with_hyperlinks(document, compendium):
    """Preface, parts and cases, from the same list as the PDF's TOC (`publisher.look.toc`);
    the field collects exactly those styles, so Word's refresh lists the same."""
    instructions = fields(document)
    assert r'TOC \h \z \t "Part Title,1,Matter Title,2,Heading 1,3"' in instructions
    listed = [
        (para_text(p), p.find("w:pPr/w:pStyle", NS).get(w("val")))
        for p in document.xpath("//w:p[starts-with(w:pPr/w:pStyle/@w:val, 'TOC')]", namespaces=NS)
    ]
    shared = toc.toc_entries(compendium)
    assert [t for t, _ in listed if t] == [e.text for e in shared]
    assert [s for t, s in listed][1:] == [
        "TOC1" if e.kind == "part" else "TOC3" if e.in_part else "TOC2" for e in shared
    ][1:]
    assert all(c.title in [t for t, _ in listed] for c in compendium.cases)
    links = document.xpath("//w:hyperlink/@w:anchor", namespaces=NS)
    assert links == [e.bookmark for e in toc_entries(compendium)]
    assert len(links) == len(shared)


def test_every_hyperlink_and_pageref_resolves_to_a_bookmark(document):
    names = document.xpath("//w:bookmarkStart/@w:name", namespaces=NS)
    ids = document.xpath("//w:bookmarkStart/@w:id", namespaces=NS)
    assert len(set(names)) == len(names) and len(set(ids)) == len(ids)
    assert sorted(ids) == sorted(document.xpath("//w:bookmarkEnd/@w:id", namespaces=NS))
    assert all(len(n) <= 40 for n in names)
    for anchor in document.xpath("//w:hyperlink/@w:anchor", namespaces=NS):
        assert anchor in names
    refs = [i.split()[1] for i in fields(document) if i.startswith("PAGEREF")]
    assert refs and all(r in names for r in refs)


def test_toc_without_numbers_asks_for_an_update(parts, document):
    assert parts["word/settings.xml"].find("w:updateFields", NS) is not None
    pagerefs = document.xpath("//w:hyperlink", namespaces=NS)
    assert all(re.fullmatch(r"[^\t]+", para_text(h)) for h in pagerefs)


def test_toc_page_numbers_are_written_back(compendium, theme, options):
    pages = {e.bookmark: str(i + 1) for i, e in enumerate(toc_entries(compendium))}
    data, _ = _build(
        compendium, theme, options, FONTS, run_preflight(compendium, theme, options), pages
    )
    z = zipfile.ZipFile(io.BytesIO(data))
    doc = etree.fromstring(z.read("word/document.xml"))
    for link in doc.xpath("//w:hyperlink", namespaces=NS):
        anchor = link.get(w("anchor"))
        assert para_text(link).endswith(pages[anchor])
    # Word and WPS paginate differently: they are asked to refresh even pre-filled numbers.
    assert etree.fromstring(z.read("word/settings.xml")).find("w:updateFields", NS) is not None


def test_match_index_reads_libreoffice_lines(compendium):
    entries = toc_entries(compendium)
    lines = [f"{e.text}\t{i}" for i, e in enumerate(entries, 1)]
    assert match_index(entries, lines) == {e.bookmark: str(i) for i, e in enumerate(entries, 1)}
    assert match_index(entries, lines[:-1]) is None
    assert match_index(entries, ["其他\t1"] + lines[1:]) is None


def test_no_libreoffice_means_a_warning_not_a_crash(monkeypatch, compendium):
    monkeypatch.setattr("publisher.writers.docx.toc_pages.shutil.which", lambda name: None)
    monkeypatch.delenv("PUBLISHER_SOFFICE", raising=False)
    result = page_numbers(b"not a docx", toc_entries(compendium))
    assert result.pages is None and "LibreOffice" in result.warnings[0]


# --- figures -----------------------------------------------------------------------------


def field_results(p) -> list[tuple[str, str]]:
    """(instruction, cached result) of each complex field in paragraph `p`, in order."""
    found, instr, result, state = [], "", "", ""
    for el in p.iter(w("fldChar"), w("instrText"), w("t")):
        if el.tag == w("fldChar"):
            state = el.get(w("fldCharType"))
            if state == "begin":
                instr, result = "", ""
            elif state == "end":
                found.append((instr.strip(), result))
        elif el.tag == w("instrText"):
            instr += el.text
        elif state == "separate":
            result += el.text
    return found


def test_case_numbers_are_hidden_paragraphs_after_the_titles(document, compendium, styles):
    """Right after each title, a paragraph in the hidden Case Number style (mark
    included: it takes no room) counts the case with a SEQ field inside a bookmark named
    by the case; the captions refer to it. The title itself is only its text."""
    from publisher.writers.docx.document import case_number_bookmark

    style = styles.xpath("w:style[@w:styleId='CaseNumber']", namespaces=NS)[0]
    assert style.get(w("type")) == "paragraph"
    assert style.find("w:rPr/w:vanish", NS) is not None
    assert style.find("w:pPr/w:keepNext", NS) is not None  # the title keeps with its text
    titles = paragraphs(document, "Heading1")
    assert len(titles) == len(compendium.cases)
    for n, (title, case) in enumerate(zip(titles, compendium.cases, strict=True), 1):
        assert field_results(title) == []
        number = title.getnext()
        while number.tag != w("p"):  # the title's TOC bookmark ends between them
            number = number.getnext()
        assert number.find("w:pPr/w:pStyle", NS).get(w("val")) == "CaseNumber"
        assert field_results(number) == [("SEQ 案 \\* ARABIC", str(n))]
        assert number.find("w:pPr/w:rPr", NS) is None and number.find("w:r/w:rPr", NS) is None
        start = number.find("w:bookmarkStart", NS)
        assert start.get(w("name")) == case_number_bookmark(case)
        assert number.index(start) == 1 and number[-1].tag == w("bookmarkEnd")
    names = [case_number_bookmark(c) for c in compendium.cases]
    assert len(set(names)) == len(names) and all(len(n) <= 40 for n in names)


def test_captions_counted_and_numbered(document, compendium):
    """图 n-m: n is a REF to the case's hidden number, m the case's own SEQ (no restart
    switch: LibreOffice drops those on saving)."""
    from publisher.writers.docx.document import case_number_bookmark

    captions = paragraphs(document, "Caption")
    expected = [(case, nf) for case, nf in compendium.iter_figures()]
    assert len(captions) == len(expected)
    for p, (case, nf) in zip(captions, expected, strict=True):
        assert para_text(p).startswith(f"{nf.label}　{nf.figure.caption}")
        if nf.figure.credit:
            assert para_text(p).endswith(nf.figure.credit)
        assert field_results(p) == [
            (f"REF {case_number_bookmark(case)}", str(nf.case_number)),
            (f"SEQ 图{nf.case_number} \\* ARABIC", str(nf.number)),
        ]
        assert p.xpath("w:r/w:t/text()", namespaces=NS)[:4] == [
            "图 ",
            str(nf.case_number),
            "-",
            str(nf.number),
        ]


def test_figure_picture_has_alt_text_and_keeps_with_caption(document, built, styles):
    descr = document.xpath(
        "//wp:inline/wp:docPr[not(@name='publisher-placeholder')]/@descr", namespaces=NS
    )
    assert descr == ["图 1-1　第1案开头的照片。"]
    assert style_by_name(styles, "Figure").find("w:pPr/w:keepNext", NS) is not None
    assert [m.label for m in built.missing_images][0] == "图 1-2"


def test_missing_photo_is_a_picture_content_control(document, built, compendium, theme):
    """Word and WPS: "click to insert a picture", sized as a 4:3 photo would print; the
    structure documented in publisher/writers/docx/document.py (read by absorb)."""
    from publisher.writers.docx.placeholder import placeholder_size_mm

    controls = document.xpath("//w:body/w:sdt", namespaces=NS)
    assert len(controls) == len(built.missing_images) == 5
    width, height = placeholder_size_mm(theme)
    for sdt, missing in zip(controls, built.missing_images, strict=True):
        pr = sdt.find("w:sdtPr", NS)
        assert pr.find("w:picture", NS) is not None
        number = missing.label.split("-")[1]
        assert pr.find("w:tag", NS).get(w("val")) == f"publisher:figure:{missing.case_id}:{number}"
        assert pr.find("w:alias", NS).get(w("val")) == f"{missing.label}　图片待补"
        (p,) = sdt.findall("w:sdtContent/w:p", NS)
        assert p.find("w:pPr/w:pStyle", NS).get(w("val")) == "Figure"  # no frame once filled
        assert p.xpath(".//wp:docPr/@name", namespaces=NS) == ["publisher-placeholder"]
        extent = p.find(".//wp:inline/wp:extent", NS)
        assert int(extent.get("cx")) == round(width * 36000)
        assert int(extent.get("cy")) == round(height * 36000)
        caption = sdt.getnext()
        assert caption.find("w:pPr/w:pStyle", NS).get(w("val")) == "Caption"
        assert para_text(caption).startswith(missing.label)
    ids = document.xpath("//w:sdt/w:sdtPr/w:id/@w:val", namespaces=NS)
    assert len(set(ids)) == len(ids)
    # One placeholder image in the package, however many figures show it.
    media = [
        n for n in zipfile.ZipFile(io.BytesIO(built.data)).namelist() if n.startswith("word/media/")
    ]
    assert len(media) == 2  # the sample's one photo and the placeholder


def test_missing_image_policy(compendium, theme, options):
    out = output_of(
        write_docx,
        compendium,
        theme,
        dataclasses.replace(options, missing_images="caption-only"),
        fonts=FONTS,
    )
    document = zipfile.ZipFile(io.BytesIO(out.data)).read("word/document.xml")
    assert b"<w:sdt>" not in document
    with pytest.raises(ContentError, match="图 1-2"):
        output_of(
            write_docx,
            compendium,
            theme,
            dataclasses.replace(options, missing_images="error"),
            fonts=FONTS,
        )


def test_image_file_not_found_is_a_missing_image_as_in_the_pdf(sample_compendium, theme, options):
    case = sample_compendium.cases[0]
    bad = dataclasses.replace(case, blocks=(Figure("照片", image="nothere/x.png"),))
    comp = dataclasses.replace(sample_compendium, parts=(Part("", (bad,)),))
    out = output_of(
        write_docx, comp, theme, dataclasses.replace(options, docx_toc_pages=False), fonts=FONTS
    )
    assert [m.image for m in out.missing_images] == ["nothere/x.png"]


# --- sections, headers, footers ---------------------------------------------------------


def _running(parts, rels, sect, kind, which="header"):
    ref = sect.xpath(f"w:{which}Reference[@w:type='{kind}']", namespaces=NS)
    if not ref:
        return None
    return parts["word/" + rels[ref[0].get(f"{{{NS['r']}}}id")]]


def test_sections_as_the_pdf_pages(document, parts, compendium):
    """Cover; preface and TOC from right-hand pages in roman; each part and case from a
    right-hand page (odd-page breaks) numbered from 1; no head on opening pages; the book
    title over left pages, the case title over right ones."""
    sects = document.xpath("//w:sectPr", namespaces=NS)
    titled_parts = sum(1 for p in compendium.parts if p.title)
    assert len(sects) == 3 + titled_parts + len(compendium.cases)
    cover, preface, contents, *body = sects
    assert parts["word/settings.xml"].find("w:evenAndOddHeaders", NS) is not None
    rels = {r.get("Id"): r.get("Target") for r in parts["word/_rels/document.xml.rels"]}
    assert cover.find("w:headerReference", NS) is None
    assert cover.find("w:footerReference", NS) is None
    for s in sects[1:]:
        assert s.find("w:type", NS).get(w("val")) == "oddPage"
    assert preface.find("w:pgNumType", NS).get(w("fmt")) == "lowerRoman"
    assert preface.find("w:pgNumType", NS).get(w("start")) == "1"
    assert contents.find("w:pgNumType", NS).get(w("start")) is None
    for s in (preface, contents):
        assert fields(_running(parts, rels, s, "default", "footer")) == ["PAGE"]
        assert para_text(_running(parts, rels, s, "default")) == ""
        assert para_text(_running(parts, rels, s, "even")) == ""
    assert body[0].find("w:pgNumType", NS).get(w("fmt")) == "decimal"
    assert body[0].find("w:pgNumType", NS).get(w("start")) == "1"
    assert all(s.find("w:pgNumType", NS).get(w("start")) is None for s in body[1:])
    for s in sects:
        size = s.find("w:pgSz", NS)
        assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")  # A4
    case_heads = []
    for s in body:
        assert s.find("w:titlePg", NS) is not None
        assert para_text(_running(parts, rels, s, "first")) == ""
        default = _running(parts, rels, s, "default")
        if not fields(default):  # a part page: nothing at all
            assert para_text(default) == para_text(_running(parts, rels, s, "even")) == ""
            assert para_text(_running(parts, rels, s, "default", "footer")) == ""
            continue
        assert fields(default) == ['STYLEREF "heading 1"']
        case_heads.append(para_text(default))
        assert para_text(_running(parts, rels, s, "even")) == compendium.title
        for kind in ("default", "even", "first"):
            assert fields(_running(parts, rels, s, kind, "footer")) == ["PAGE"]
    assert case_heads == [c.title for c in compendium.cases]


def test_kicker_opens_the_page_and_titles_break_as_in_the_pdf(
    document, styles, theme, compendium, options
):
    from publisher.look.styletable import resolve_styles

    opening = resolve_styles(theme).case_title.before  # on the line grid: whole lines
    assert opening >= theme.spacing.case_title_before
    kicker = style_by_name(styles, "Kicker").find("w:pPr/w:spacing", NS)
    assert int(kicker.get(w("before"))) == round(opening * 20)
    title = style_by_name(styles, "heading 1").find("w:pPr/w:spacing", NS)
    assert int(title.get(w("before"))) == round(opening * 20)
    long = "资中县坚持“四抓四强”吹响党建引领　决战决胜脱贫攻坚集结号"
    case = dataclasses.replace(compendium.cases[0], title=long)
    comp = dataclasses.replace(compendium, parts=(Part("", (case,)),))
    doc = etree.fromstring(
        zipfile.ZipFile(
            io.BytesIO(output_of(write_docx, comp, theme, options, fonts=FONTS).data)
        ).read("word/document.xml")
    )
    heading = paragraphs(doc, "Heading1")[0]
    assert heading.xpath("w:r/w:t/text()", namespaces=NS) == [
        "资中县坚持“四抓四强”吹响党建引领",
        "决战决胜脱贫攻坚集结号",
    ]
    assert len(heading.findall("w:r/w:br", NS)) == 1


# --- package -------------------------------------------------------------------------------


def test_core_properties(parts, compendium):
    core = parts["docProps/core.xml"]
    assert core.find("dc:title", NS).text == compendium.title
    assert core.find("dc:creator", NS).text == compendium.compiler
    assert core.find("dc:language", NS).text == "zh-CN"
    assert core.find("dcterms:created", NS).text.startswith("2026-11-01")


def test_word_2013_mode_and_built_in_styles(parts, styles):
    compat = parts["word/settings.xml"].find("w:compat", NS)
    modes = [
        c.get(w("val"))
        for c in compat.findall("w:compatSetting", NS)
        if c.get(w("name")) == "compatibilityMode"
    ]
    assert modes == ["15"]
    # No template claim that spelling and grammar were checked: Word proofreads the text.
    assert parts["word/settings.xml"].find("w:proofState", NS) is None

    def custom(name):
        return style_by_name(styles, name).get(w("customStyle"))

    for name in ("Normal", "heading 1", "heading 2", "Body Text", "caption", "toc 1", "Title"):
        assert custom(name) is None, name
    for name in ("Kicker", "Part Title", "Figure Placeholder"):
        assert custom(name) == "1", name


def test_package_says_only_what_is_true(parts):
    app = parts["docProps/app.xml"]
    ep = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert app.find(ep + "Application").text.startswith("publisher ")
    assert [etree.QName(c).localname for c in app] == ["Application"]  # no Pages, Words…
    assert parts["docProps/core.xml"].find("cp:lastPrinted", NS) is None
    # No list definitions: the template's pointed at list styles that are not in the file.
    assert "word/numbering.xml" not in parts
    rels = parts["word/_rels/document.xml.rels"]
    assert not [r for r in rels if r.get("Type").endswith("/numbering")]


def test_heading_bookmarks_survive_setting_the_text(built):
    import docx

    d = docx.Document(io.BytesIO(built.data))
    edited = [p for p in d.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert len(edited) > 3
    for p in edited:
        p.text = p.text + "（改）"
    out = io.BytesIO()
    d.save(out)
    doc = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    names = set(doc.xpath("//w:bookmarkStart/@w:name", namespaces=NS))
    anchors = doc.xpath("//w:hyperlink/@w:anchor", namespaces=NS)
    assert anchors and set(anchors) <= names


def test_byte_reproducible(built, compendium, theme, options):
    again = output_of(write_docx, compendium, theme, options, fonts=FONTS)
    assert again.data == built.data
    z = zipfile.ZipFile(io.BytesIO(built.data))
    assert z.namelist()[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_openxml_schema_validation(built, tmp_path):
    """Validate against the Open XML SDK's schemas (pure-Python port, `openxml-audit`).
    This is also what checks the child order the writer takes from its table in
    `oxml.SEQUENCES` (Word repairs a file whose children are out of order): the validator
    rejects a `w:pPr` whose `w:jc` comes before its `w:keepNext`."""
    import openxml_audit as audit  # a test dependency: missing it is a failure, not a skip

    path = tmp_path / "x.docx"
    path.write_bytes(built.data)
    result = audit.OpenXmlValidator().validate(str(path))
    assert result.is_valid, [str(e) for e in result.errors][:10]


def test_python_docx_edit_round_trip(built, tmp_path):
    import docx

    d = docx.Document(io.BytesIO(built.data))
    body = [p for p in d.paragraphs if p.style.name == "Body Text"]
    body[0].text = "编辑改过的段落。"
    out = io.BytesIO()
    d.save(out)
    again = docx.Document(io.BytesIO(out.getvalue()))
    assert "编辑改过的段落。" in [p.text for p in again.paragraphs]
    assert again.paragraphs[0].style.name == "Title"
