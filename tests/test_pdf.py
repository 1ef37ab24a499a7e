"""The PDF writer, checked the way a reader would check the book: with pypdf on the PDF."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace

import pytest
from pypdf import PdfReader

from conftest import ROOT, output_of, require_tool
from publisher.model import Case, Compendium, Figure, Heading, Note, Paragraph, Part
from publisher.support.errors import ContentError
from publisher.support.options import WriterOptions
from publisher.writers.html import render_html
from publisher.writers.pdf import FetchRefused, ProjectFetcher, write_pdf
from publisher.writers.pdf import weasy as pdf_weasy
from publisher.writers.preflight import run_preflight

STYLES = ROOT / "styles"


# --- one render of the sample compendium for the whole module --------------------------


@pytest.fixture(scope="module")
def options(tmp_path_factory) -> WriterOptions:
    content = tmp_path_factory.mktemp("content")
    return WriterOptions(content_dir=content, styles_dir=STYLES, date="2026-11-01")


@pytest.fixture(scope="module")
def built(sample_compendium, theme, options):
    return output_of(write_pdf, sample_compendium, theme, options)


@pytest.fixture(scope="module")
def reader(built) -> PdfReader:
    return PdfReader(io.BytesIO(built.data))


@pytest.fixture(scope="module")
def page_texts(reader) -> list[str]:
    return [p.extract_text() or "" for p in reader.pages]


def lines_with_y(page) -> list[tuple[float, str]]:
    """Text pieces of a page with their height on the page (points from the bottom)."""
    pieces: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            pieces.append((cm[5] + tm[5] * cm[3], text.strip()))

    page.extract_text(visitor_text=visit)
    return pieces


def folio(page) -> str:
    """The page number printed at the foot of the page ('' when none)."""
    pieces = [p for p in lines_with_y(page) if p[0] < 60]
    return pieces[0][1] if pieces else ""


def outline_entries(reader) -> list[tuple[int, str, int]]:
    entries = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return entries


# --- structure ------------------------------------------------------------------------


def test_case_pages_are_right_hand_pages_where_the_title_stands(
    sample_compendium, built, page_texts
):
    assert set(built.case_pages) == {c.id for c in sample_compendium.cases}
    for case in sample_compendium.cases:
        page = built.case_pages[case.id]
        assert page % 2 == 1, f"{case.id} opens on a left page ({page})"
        assert page_texts[page - 1].splitlines()[0 if not case.kicker else 1] == case.title


def test_one_outline_entry_per_case_pointing_at_its_page(sample_compendium, built, reader):
    entries = outline_entries(reader)
    for case in sample_compendium.cases:
        found = [e for e in entries if e[1] == case.title]
        assert len(found) == 1, (case.title, entries)
        assert found[0][2] == built.case_pages[case.id]
    titles = [e[1] for e in entries]
    assert titles[:2] == ["前言", "目录"]
    assert [e for e in entries if e[1] == "广西"][0][0] == 0  # parts at the top level
    assert [e for e in entries if e[1] == sample_compendium.cases[0].title][0][0] == 1
    assert ("建队伍，聚力精准扶贫" in titles) and ("（一）健全工作机制" in titles)
    assert all(t == t.strip() and "\n" not in t for t in titles)  # clean labels


def test_toc_page_numbers_are_the_pages_where_the_cases_start(
    sample_compendium, built, reader, page_texts
):
    toc_page = next(i for i, t in enumerate(page_texts) if t.startswith("目录"))
    toc = page_texts[toc_page]
    for case in sample_compendium.cases:
        match = re.search(re.escape(case.title) + r"\s*[.·…\s]+\s*(\d+)\s*$", toc, re.M)
        assert match, f"no TOC line for {case.title!r} in\n{toc}"
        printed = match.group(1)
        page = reader.pages[built.case_pages[case.id] - 1]
        assert folio(page) == printed, case.title
    # The body is numbered from 1, the front matter on its own in roman numerals.
    assert folio(reader.pages[built.body_start - 1]) in ("", "1")
    assert folio(reader.pages[built.case_pages[sample_compendium.cases[0].id] - 1]) == str(
        built.case_pages[sample_compendium.cases[0].id] - built.body_start + 1
    )
    assert folio(reader.pages[toc_page]) in ("i", "ii", "iii", "iv", "v")
    assert re.search(r"前言\s*[.\s]+\s*i\s*$", toc, re.M)


def test_toc_entries_link_to_the_cases(built, reader):
    toc_page = next(p for p in reader.pages if (p.extract_text() or "").startswith("目录"))
    links = [a.get_object() for a in toc_page.get("/Annots", [])]
    assert len([a for a in links if a["/Subtype"] == "/Link"]) >= len(built.case_pages)


def test_running_heads(sample_compendium, built, reader):
    title = sample_compendium.title
    for case in sample_compendium.cases:
        opening = built.case_pages[case.id]
        top = [t for y, t in lines_with_y(reader.pages[opening - 1]) if y > 770]
        assert top == [], f"running head on the opening page of {case.id}: {top}"
        following = reader.pages[opening]  # a left page: the compendium title
        assert [t for y, t in lines_with_y(following) if y > 770] == [title]
    blank = [i for i, p in enumerate(reader.pages) if not (p.extract_text() or "").strip()]
    assert blank, "expected blank versos before right-hand openings"


def test_titles_and_captions_print_in_simplified_characters(sample_compendium, page_texts):
    text = "\n".join(page_texts)
    flat = re.sub(r"\s", "", text)  # Han–Latin spacing reads as spaces in the text layer
    for case in sample_compendium.cases:
        assert case.title in text
        for block in case.blocks:
            if isinstance(block, Figure):
                assert re.sub(r"\s", "", block.caption) in flat
                if block.credit:
                    assert re.sub(r"\s", "", block.credit) in flat
    assert "图1-1" in flat and "图3-2" in flat
    assert "強" not in text and "黨" not in text
    assert "\ufffd" not in text


def test_source_note_and_title_block(page_texts, built):
    taiyuan = page_texts[built.case_pages["case-2"] - 1]
    assert "抓好党建促脱贫" in taiyuan and "深度关注" in taiyuan
    assert "记者 刘鑫焱" in taiyuan and "2017年11月14日" in re.sub(r"\s", "", taiyuan)
    byline = taiyuan.split("太原：强堡垒富百姓")[1].split("\n")[1]
    assert "冯粒" not in byline  # the editor is not in the byline
    whole = re.sub(r"\s", "", "".join(page_texts))
    assert (
        "（原载《人民日报》，2017年11月14日，第18版；来源：人民网-人民日报；责任编辑：冯粒）"
    ) in whole


# --- fonts and metadata -------------------------------------------------------------------


def test_cjk_fonts_embedded_as_subsets_without_notdef(reader):
    fonts = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name in fonts), list(fonts)
    names = " ".join(fonts)
    assert "Noto-Serif-CJK-SC" in names and "Noto-Sans-CJK-SC" in names
    assert "JP" not in names
    for name, font in fonts.items():
        descendant = font["/DescendantFonts"][0].get_object()
        assert (
            "/FontFile3" in descendant["/FontDescriptor"]
            or "/FontFile2" in descendant["/FontDescriptor"]
        ), f"{name} not embedded"
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        # glyph 0 is .notdef: the tofu box. It must never be drawn.
        mappings = "".join(re.findall(r"beginbf(?:char|range)(.*?)endbf(?:char|range)", cmap, re.S))
        assert mappings and not re.search(r"^\s*<0000>", mappings, re.M), f"{name} uses .notdef"


def test_metadata(sample_compendium, reader):
    info = reader.metadata
    assert info["/Title"] == sample_compendium.title
    assert info["/Author"] == sample_compendium.compiler
    assert info["/CreationDate"].startswith("D:20261101")
    assert str(reader.trailer["/Root"]["/Lang"]) == "zh-CN"


def test_tagged_by_default(built, reader):
    assert built.tagged
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_missing_images_are_listed_and_placeholders_printed(built, page_texts):
    assert built.missing_images == (
        "图 1-1 (case-1)",
        "图 1-2 (case-1)",
        "图 2-1 (case-2)",
        "图 2-2 (case-2)",
        "图 3-1 (case-3)",
        "图 3-2 (case-3)",
    )
    assert sum(t.count("图片待补") for t in page_texts) == 6


# --- justification -----------------------------------------------------------------------


def test_body_lines_end_flush(built, tmp_path, options, theme):
    """Chinese lines that fill the measure end exactly at the right margin (no ragged
    edge a character short), including lines with Latin words and digits."""
    pdftotext = require_tool("pdftotext")
    target = tmp_path / "x.pdf"
    target.write_bytes(built.data)
    html = subprocess.run(
        [pdftotext, "-bbox-layout", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    body_pt = theme.sizes.body
    checked = 0
    for page in re.findall(r"<page .*?</page>", html, re.S):
        lines = [
            (float(a), float(b))
            for a, b in re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', page)
        ]
        if not lines:
            continue
        right = max(x for _, x in lines)
        for _, x_max in lines:
            short = right - x_max
            # Flush within WeasyPrint's drawing precision (it truncates each glyph's
            # spacing to 1/1000 em), or short by a character or more: a last line.
            assert short < 0.6 or short > body_pt * 0.9, (
                f"line ends {short:.2f}pt short of the margin"
            )
            checked += short < 0.6
    assert checked > 10


def test_line_breaking_keeps_punctuation_in_place(built, tmp_path):
    """。，、；：？！ and closing quotes never start a line; opening ones never end one."""
    pdftotext = require_tool("pdftotext")
    target = tmp_path / "x.pdf"
    target.write_bytes(built.data)
    text = subprocess.run(
        [pdftotext, str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = [row.strip() for row in text.splitlines() if row.strip()]
    assert not [row for row in lines if row[0] in "。，、；：？！”’）》」』"]
    assert not [row for row in lines if row[-1] in "“‘（《「『"]


# --- security ------------------------------------------------------------------------------

HOSTILE = (
    "<script>alert(1)</script>",
    '<img src="file:///etc/passwd">',
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "<style>@import url(http://example.com/x.css)</style>",
)


@pytest.fixture(scope="module")
def hostile_book() -> Compendium:
    case = Case(
        id="evil",
        title="标题<b>不加粗</b>{{ 7*7 }}",
        subtitle='"><script>x</script>',
        blocks=(
            Paragraph.of("正文开头。" + "".join(HOSTILE) + "正文结尾。", line=5),
            Heading(1, "<h1>{{ config }}</h1>", line=7),
            Figure(
                caption='<img src="http://example.com/x.png">图注',
                credit="{{ 7*7 }} 摄",
                image="",
                line=9,
            ),
            Note("</p><p>注</p>", line=11),
        ),
    )
    return Compendium(
        title="<title>汇编</title>", compiler="<i>编者</i>", parts=(Part("", (case,)),)
    )


def test_article_text_is_never_markup(hostile_book, theme, tmp_path, monkeypatch):
    fetched: list[str] = []
    original = pdf_weasy._fetcher_class

    def recording():
        cls = original()

        class Recording(cls):
            def fetch(self, url, headers=None):
                fetched.append(url)
                return super().fetch(url, headers)

        return Recording

    monkeypatch.setattr(pdf_weasy, "_fetcher_class", recording)
    options = WriterOptions(content_dir=tmp_path, styles_dir=STYLES, tagged_pdf=False)
    html = render_html(hostile_book, theme, options, run_preflight(hostile_book, theme, options))
    # The typographic finish wraps words in spans (html_cjk); the text is escaped inside.
    html = re.sub(r'<span class="[a-z -]+">|</span>', "", html)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html
    out = output_of(write_pdf, hostile_book, theme, options)
    text = "".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(out.data)).pages)
    flat = re.sub(r"\s", "", text)  # lines may break at the spaces inside the pieces
    for piece in HOSTILE + (
        "{{ 7*7 }} 摄",
        "标题<b>不加粗</b>{{ 7*7 }}",
        '"><script>x</script>',
        "<h1>{{ config }}</h1>",
        "</p><p>注</p>",
        "<title>汇编</title>",
        '<img src="http://example.com/x.png">图注',
    ):
        assert re.sub(r"\s", "", piece) in flat, piece
    assert "49" not in flat
    assert not any("passwd" in u or "example.com" in u for u in fetched), fetched
    assert all(u.startswith("file://") for u in fetched)


def test_fetcher_serves_only_project_files(tmp_path):
    content, styles, outside = tmp_path / "content", tmp_path / "styles", tmp_path / "secret"
    for d in (content, styles, outside):
        d.mkdir()
    (content / "a.txt").write_text("ok")
    (outside / "b.txt").write_text("secret")
    (content / "link.txt").symlink_to(outside / "b.txt")
    fetcher = ProjectFetcher(content, styles)
    assert fetcher.fetch((content / "a.txt").as_uri()).read() == b"ok"
    for url in (
        "http://example.com/x.png",
        "https://example.com/x.css",
        "ftp://h/x",
        "data:text/plain,hi",
        "file:///etc/passwd",
        (outside / "b.txt").as_uri(),
        content.as_uri() + "/../secret/b.txt",
        (content / "link.txt").as_uri(),
        "file://evil.example.com" + str(content / "a.txt"),
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


# --- images ---------------------------------------------------------------------------


def _one_figure_book(image: str) -> Compendium:
    case = Case(
        id="pic",
        title="有图的案例",
        blocks=(
            Paragraph.of("正文。"),
            Figure(caption="一张照片。", credit="某某 摄", image=image, line=4),
            Paragraph.of("又一段。"),
        ),
    )
    return Compendium(title="图片测试", parts=(Part("", (case,)),))


def test_image_printed_and_downscaled(theme, tmp_path):
    from PIL import Image

    (tmp_path / "images").mkdir()
    Image.new("RGB", (4000, 3000), (120, 160, 200)).save(
        tmp_path / "images" / "big.jpg", quality=95
    )
    options = WriterOptions(content_dir=tmp_path, styles_dir=STYLES, tagged_pdf=False)
    out = output_of(write_pdf, _one_figure_book("images/big.jpg"), theme, options)
    assert out.missing_images == ()
    reader = PdfReader(io.BytesIO(out.data))
    images = list({img.name: img for page in reader.pages for img in page.images}.values())
    assert len(images) == 1  # pages share one resource dictionary
    width = images[0].image.width
    text_width_in = (210 - theme.page.margin_inside - theme.page.margin_outside) / 25.4
    assert width <= text_width_in * theme.images.max_dpi * 1.05  # ~200 dpi at print size
    assert width >= 500


def test_missing_image_modes(theme, tmp_path):
    book = _one_figure_book("images/none.jpg")
    base = WriterOptions(content_dir=tmp_path, styles_dir=STYLES, tagged_pdf=False)
    with pytest.raises(ContentError) as err:
        output_of(
            write_pdf,
            book,
            theme,
            replace(base, missing_images="error"),
            files={"pic": "content/cases/pic.md"},
        )
    assert err.value.path == "content/cases/pic.md" and err.value.line == 4
    assert "图 1-1" in str(err.value) and "images/none.jpg" in str(err.value)
    caption_only = output_of(write_pdf, book, theme, replace(base, missing_images="caption-only"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(caption_only.data)).pages)
    assert "图片待补" not in text and "一张照片。" in text
    assert caption_only.missing_images == ("图 1-1 (pic)",)


def test_missing_glyph_stops_the_build_before_typesetting(theme, tmp_path):
    case = Case(id="odd", title="怪字", blocks=(Paragraph.of("有一个\U0010fffd字。", line=12),))
    book = Compendium(title="测试", parts=(Part("", (case,)),))
    options = WriterOptions(content_dir=tmp_path, styles_dir=STYLES)
    with pytest.raises(ContentError) as err:
        output_of(write_pdf, book, theme, options, files={"odd": "content/cases/odd.md"})
    assert "U+10FFFD" in str(err.value) and "'odd'" in str(err.value)
    assert str(err.value).startswith("content/cases/odd.md:12:")


# --- reproducible -------------------------------------------------------------------------


def test_same_model_gives_identical_bytes(hostile_book, theme, tmp_path):
    options = WriterOptions(content_dir=tmp_path, styles_dir=STYLES, date="2026-01-02")
    first = output_of(write_pdf, hostile_book, theme, options).data
    second = output_of(write_pdf, hostile_book, theme, options).data
    assert first == second
    assert PdfReader(io.BytesIO(first)).metadata["/CreationDate"].startswith("D:20260102")


def test_front_matter_is_numbered_in_one_roman_sequence(built, reader, page_texts):
    """Preface i, its blank back ii, 目录 iii: the numbering must not restart at the TOC."""
    preface = next(i for i, t in enumerate(page_texts) if t.lstrip().startswith("前言"))
    toc = next(i for i, t in enumerate(page_texts) if t.lstrip().startswith("目录"))
    assert folio(reader.pages[preface]) == "i"
    roman = ["i", "ii", "iii", "iv", "v", "vi"]
    assert folio(reader.pages[toc]) == roman[toc - preface]
