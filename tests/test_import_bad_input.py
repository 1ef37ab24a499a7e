"""Awkward and broken input: encodings, line ends, binary, empty, huge, and edge layouts."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from publisher.model import Figure, Heading, Note, Paragraph
from publisher.readers.casebuilder import source_file
from publisher.readers.raw import import_raw
from publisher.readers.raw.assemble import case_id
from publisher.readers.rules.punctuation import normalize_punctuation
from publisher.support.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "content" / "sources").glob("000_*.txt"))
PATH = "content/sources/x.txt"

ARTICLE = (
    "融水:党建引领\n\n□ 龙林智\n\n去年以来,全县以党建为引领。\n\n"
    "建队伍\n\n一是配强班子。二是选好队员。\n"
)


def _shape(result):
    return [(c.title, c.blocks, c.authors, c.date) for c in result.cases]


# --- encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "bom, codec",
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (b"", "gb18030"),
        (b"", "gbk"),
    ],
)
def test_encodings_import_alike(bom, codec):
    text = SEED.read_text(encoding="utf-8")
    if codec == "gbk":
        text = text.replace("▶", "▲")  # GBK has no ▶
    expected = import_raw(text.encode("utf-8"), PATH)
    data = bom + text.encode(codec)
    got = import_raw(data, PATH)
    assert _shape(got) == _shape(expected)
    assert got.cases[0].title == "融水：党建引领助推精准脱贫"
    assert [(d.line, d.message) for d in got.diagnostics] == [
        (d.line, d.message) for d in expected.diagnostics
    ]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_ends(newline):
    text = SEED.read_text(encoding="utf-8")
    expected = import_raw(text.encode("utf-8"), PATH)
    got = import_raw(text.replace("\n", newline).encode("utf-8"), PATH)
    assert _shape(got) == _shape(expected)
    assert [(d.line, d.message) for d in got.diagnostics] == [
        (d.line, d.message) for d in expected.diagnostics
    ]


def test_undecodable_names_file_and_line():
    data = "标题\n\n正文第一段。\n".encode() + b"\xff\x80\xff\x80 bad\n"
    with pytest.raises(ContentError) as e:
        import_raw(data, PATH)
    assert e.value.path == PATH and e.value.line == 4
    assert "UTF-8" in str(e.value) and "damaged" in str(e.value) and "x.txt:4" in str(e.value)


def test_neither_utf8_nor_gb18030():
    data = b"title\n\nbody \x80\x80 more\n"
    with pytest.raises(ContentError) as e:
        import_raw(data, PATH)
    assert e.value.line == 3 and "GB18030" in str(e.value) and "UTF-8" in str(e.value)


def test_bad_utf16_after_bom():
    data = codecs.BOM_UTF16_LE + "标题\n正文。".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    with pytest.raises(ContentError, match="UTF-16"):
        import_raw(data, PATH)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "标题\n正文。".encode("utf-16-le"),  # no byte-order mark: NUL bytes
    ],
    ids=["png", "utf-16-without-bom"],
)
def test_binary_refused(data):
    with pytest.raises(ContentError, match="not a text file"):
        import_raw(data, PATH)


def test_mostly_control_characters_refused():
    with pytest.raises(ContentError, match="control characters"):
        import_raw(bytes(range(1, 9)) * 50 + "标题".encode(), PATH)


def test_few_control_characters_removed_with_warning():
    result = import_raw("标题\n\n正文\x07第一段。\n".encode(), PATH)
    para = result.cases[0].blocks[0]
    assert isinstance(para, Paragraph) and para.text == "正文第一段。"
    assert any("control" in d.message and d.line == 3 for d in result.diagnostics)


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\n\t  \r\n", "\u3000\u3000\n\xa0\n".encode()],
    ids=["empty", "blank", "full-width-blank"],
)
def test_empty_refused(data):
    with pytest.raises(ContentError) as e:
        import_raw(data, PATH)
    assert e.value.path == PATH


def test_title_only_refused():
    with pytest.raises(ContentError, match="no article body"):
        import_raw("只有一个标题\n".encode(), PATH)


def test_chrome_only_refused():
    with pytest.raises(ContentError, match="no article text"):
        import_raw("设为主页 加入收藏\n站内搜索:\n上一篇:某文章\n".encode(), PATH)


# --- text normalisation ---------------------------------------------------------------


def test_traditional_converted():
    text = "標題:看著這本著名的書\n\n「他說」:『好』,我們走著瞧。這是顯著的進步﹔完。\n"
    result = import_raw(text.encode(), PATH)
    case = result.cases[0]
    assert case.script == "traditional"
    assert case.title == "标题：看着这本著名的书"
    assert case.blocks[0].text == "“他说”：‘好’，我们走着瞧。这是显著的进步；完。"


def test_indents_stripped():
    text = "标题\n\n\u3000\u3000第一段。\n\n\xa0\xa0  第二段。\n"
    case = import_raw(text.encode(), PATH).cases[0]
    assert [b.text for b in case.blocks] == ["第一段。", "第二段。"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("比例8:2分红,好", "比例8:2分红，好"),
        ("共1,000元;其中", "共1,000元；其中"),
        ("时间:05:32", "时间：05:32"),
        ("网址:http://a.cn/b?x=1 欢迎", "网址：http://a.cn/b?x=1 欢迎"),
        ("党组(党委)主要领导", "党组（党委）主要领导"),
        ("(1)加强学习", "（1）加强学习"),
        ("真好!真的?", "真好！真的？"),
        ("Hello, world (test): ok", "Hello, world (test): ok"),
        ("增长3.5%,完成", "增长3.5%，完成"),
    ],
)
def test_punctuation(raw, expected):
    assert normalize_punctuation(raw) == expected


# --- structure edge cases ---------------------------------------------------------------


def test_markers_and_picture_captions():
    text = (
        "标题\n\n第一段正文。\n\n■开会现场。\n\n►培训现场。\n\n图为村民在劳动。张三 摄\n\n"
        "第二段正文。\n"
    )
    case = import_raw(text.encode(), PATH).cases[0]
    assert [(f.caption, f.credit) for f in case.figures] == [
        ("开会现场。", ""),
        ("培训现场。", ""),
        ("图为村民在劳动。", "张三 摄"),
    ]
    assert [type(b) for b in case.blocks] == [Paragraph, Figure, Figure, Figure, Paragraph]


def test_author_note_without_author_is_a_note():
    text = "标题\n\n正文。\n\n(作者:永嘉乡党委书记)\n"
    result = import_raw(text.encode(), PATH)
    case = result.cases[0]
    assert case.authors == ()
    assert isinstance(case.blocks[-1], Note) and case.blocks[-1].text == "作者：永嘉乡党委书记"
    assert any("no author" in d.message for d in result.diagnostics)


def test_author_note_naming_a_person_is_the_author():
    case = import_raw("标题\n\n正文。\n\n（作者：张三）\n".encode(), PATH).cases[0]
    assert [(a.name, a.role) for a in case.authors] == [("张三", "作者")]


def test_article_split_by_byline():
    text = (
        "第一篇标题\n\n□ 张三\n\n第一篇正文。\n\n小标题\n\n正文继续。\n\n"
        "第二篇标题\n\n□ 李四\n\n第二篇正文。\n"
    )
    cases = import_raw(text.encode(), "content/sources/page.txt").cases
    assert [c.title for c in cases] == ["第一篇标题", "第二篇标题"]
    assert [c.authors[0].name for c in cases] == ["张三", "李四"]
    assert [c.id for c in cases] == ["page-1", "page-2"]
    assert isinstance(cases[0].blocks[1], Heading)


def test_short_last_line_stays_a_paragraph():
    case = import_raw("标题\n\n正文。\n\n全文完\n".encode(), PATH).cases[0]
    assert [type(b) for b in case.blocks] == [Paragraph, Paragraph]


def test_case_id_and_source_file():
    assert case_id("content/sources/Case Study 01.txt") == "case-study-01"
    assert case_id("融水.txt").startswith("case-")
    assert case_id("C:\\x\\AB_c.txt") == "ab_c"
    assert source_file("content/sources/a.txt") == "sources/a.txt"
    assert source_file("./content/sources/a.txt") == "sources/a.txt"
    assert source_file("elsewhere/a.txt") == "elsewhere/a.txt"


# --- size (speed is measured in benchmarks/import_speed.py, not here) -------------------


def test_two_megabyte_article_imports_whole():
    text = SEED.read_text(encoding="utf-8")
    body = "\n\n".join(p for p in text.split("\n\n") if len(p) > 100)
    data = "标题\n\n□ 张三\n\n" + "\n\n".join([body] * (2_000_000 // len(body.encode()) + 1))
    data_b = data.encode()
    assert len(data_b) >= 2_000_000
    result = import_raw(data_b, PATH)
    assert len(result.cases) == 1 and len(result.cases[0].blocks) > 1000


@pytest.mark.parametrize(
    "paragraph",
    [
        "这是一个很长的段落，" * 20_000,
        "党" * 200_000,
        "1" * 200_000,
        "“" * 100_000 + "”" * 100_000,
        "(" * 200_000,
        "一是" * 100_000,
        " ," * 100_000,
        "2017年" * 40_000,
    ],
    ids=["clauses", "han", "digits", "quotes", "parens", "enum", "commas", "dates"],
)
def test_huge_paragraph_is_imported(paragraph):
    result = import_raw(("标题\n\n" + paragraph + "\n").encode(), PATH)
    assert result.cases


def test_chinese_file_names_give_distinct_ascii_ids():
    from publisher.readers.raw.assemble import case_id

    ids = {
        case_id("content/sources/005_产业链.txt"),
        case_id("content/sources/005_党建.txt"),
        case_id("content/sources/产业链.txt"),
    }
    assert len(ids) == 3
    assert all(i.isascii() and not i.endswith("-") for i in ids)
    assert case_id("content/sources/000_b1767db4946b0b0f.txt") == "000_b1767db4946b0b0f"


# --- hostile Word files (issue 22) ---------------------------------------------------

DOCX_PARA = "去年以来，全县以党建为引领，探索出一条产业发展、群众增收的新路子。"


def _word(build) -> bytes:
    """A Word file: a title, then what `build(document)` adds, then a paragraph."""
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("某县党建纪实", style="Title")
    build(document)
    document.add_paragraph(DOCX_PARA)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _import_docx(data: bytes):
    from publisher.readers import import_source

    return import_source(data, "content/sources/unit.docx")


def test_docx_bold_with_an_undefined_value_is_a_warning_not_a_crash():
    def build(document):
        p = document.add_paragraph()
        run = p.add_run("一是配强班子。")
        run.bold = True
        run._r.rPr.b.set(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "maybe"
        )
        p.add_run(DOCX_PARA)
        p.alignment = 1

    result = _import_docx(_word(build))  # before: InvalidXmlError
    text = [b.text for b in result.cases[0].blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("一是配强班子。") for t in text)
    assert any("'maybe'" in d.message and d.severity == "warning" for d in result.diagnostics)


def test_docx_c1_control_characters_are_taken_out_with_a_warning_naming_the_paragraph():
    def build(document):
        document.add_paragraph("第一段\x85正文\x9f内容，" + DOCX_PARA)

    result = _import_docx(_word(build))  # before: ModelError
    text = "".join(b.text for b in result.cases[0].blocks if isinstance(b, Paragraph))
    assert "第一段正文内容" in text and "\x85" not in text
    warning = next(d for d in result.diagnostics if "control character" in d.message)
    assert warning.path == "content/sources/unit.docx" and warning.line == 2
    assert "paragraph 2" in warning.message and "U+0085" in warning.message


def test_docx_alt_chunk_is_named_in_a_warning_never_dropped_silently():
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    def build(document):
        part = Part(
            PackURI("/word/chunk1.htm"),
            "text/html",
            "<html><body><p>嵌入的正文</p></body></html>".encode(),
            document.part.package,
        )
        rid = document.part.relate_to(part, RT.A_F_CHUNK)
        document.element.body.append(
            parse_xml(
                '<w:altChunk xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships" r:id="{rid}"/>'
            )
        )

    result = _import_docx(_word(build))
    assert any(
        "/word/chunk1.htm" in d.message and "altChunk" in d.message for d in result.diagnostics
    )


def test_docx_text_in_hyperlinks_and_content_controls_is_imported():
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def build(document):
        document.element.body.append(
            parse_xml(
                f"<w:p {w}><w:r><w:t>详见</w:t></w:r><w:hyperlink><w:r><w:t>链接里的文字"
                "</w:t></w:r></w:hyperlink><w:r><w:t>。</w:t></w:r></w:p>"
            )
        )
        document.element.body.append(
            parse_xml(
                f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>控件里的一段话。</w:t></w:r></w:p>"
                "</w:sdtContent></w:sdt>"
            )
        )

    result = _import_docx(_word(build))
    text = "".join(b.text for b in result.cases[0].blocks if isinstance(b, Paragraph))
    assert "详见链接里的文字。" in text and "控件里的一段话。" in text


def _zip_with(data: bytes, name: str, member: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, member)
    return out.getvalue()


def test_docx_member_that_expands_beyond_the_picture_limit_is_refused_before_unpacking():
    from publisher.support.fileio import MAX_PICTURE_MB

    bomb = _zip_with(
        _word(lambda d: None), "word/media/image9.png", bytes((MAX_PICTURE_MB + 10) << 20)
    )
    assert len(bomb) < 1_000_000  # a small file that expands to 90 MB
    with pytest.raises(ContentError) as err:
        _import_docx(bomb)
    message = str(err.value)
    assert message.startswith("content/sources/unit.docx: error: word/media/image9.png")
    assert "expands to 90 MB" in message and "\n" not in message


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height pixels, with no pixel data behind it."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_docx_picture_with_too_many_pixels_is_not_imported_and_named():
    import io

    def build(document):
        document.add_picture(io.BytesIO(_png_header(30_000, 30_000)))

    result = _import_docx(_word(build))  # before: 900 megapixels saved to content/images
    assert result.images == {}
    assert any(
        "megapixels" in d.message and "not imported" in d.message for d in result.diagnostics
    )


def test_docx_half_width_brackets_made_full_width_are_reported():
    def build(document):
        document.add_paragraph("全县开展试点(第一批)，效果良好。" + DOCX_PARA)

    result = _import_docx(_word(build))
    text = "".join(b.text for b in result.cases[0].blocks if isinstance(b, Paragraph))
    assert "试点（第一批）" in text
    note = next(d for d in result.diagnostics if "made full-width" in d.message)
    assert "1 × (…) → （…）" in note.message and note.path == "content/sources/unit.docx"


def test_docx_import_looks_styles_up_once_not_for_each_run(monkeypatch):
    """Issue 22: 5.7 ms a paragraph, python-docx scanning every style for each unstyled
    run (quadratic in a file's styles × runs). Counted, not timed: the import resolves
    styles from one pass over styles.xml, and never asks python-docx per run."""
    from docx.styles.styles import Styles

    lookups = []
    for name in ("default", "get_by_id", "_get_by_id"):
        real = getattr(Styles, name)

        def counted(self, *args, _real=real, **kwargs):
            lookups.append(1)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Styles, name, counted)

    def build(document):
        for _ in range(200):
            p = document.add_paragraph()
            p.add_run("一是配强班子。").bold = True
            p.add_run(DOCX_PARA)

    data = _word(build)
    lookups.clear()
    result = _import_docx(data)
    assert len(result.cases[0].blocks) >= 200
    assert lookups == []  # before: 800 lookups, each a scan of every style
