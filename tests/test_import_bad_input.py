"""Awkward and broken input: encodings, line ends, binary, empty, huge, and edge layouts."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from publisher.model import Figure, Heading, Note, Paragraph
from publisher.readers.raw import import_raw
from publisher.readers.raw.assemble import case_id, source_file
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
