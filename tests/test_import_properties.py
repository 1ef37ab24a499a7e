"""Properties of import_raw on arbitrary input: only ContentError, valid and deterministic."""

from __future__ import annotations

import codecs

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.model import Case, Compendium, Part
from publisher.readers.raw import ImportResult, import_raw
from publisher.support.errors import ContentError, Diagnostic

PATH = "content/sources/prop.txt"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that reach every stage: markers, chrome, bylines, enumerations, punctuation.
PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        "\n\n\n\n",
        "\r\n",
        "\u3000",
        "\xa0",
        " ",
        "，",
        "。",
        "：",
        ",",
        ":",
        "(",
        ")",
        "（",
        "）",
        "“",
        "”",
        "……",
        "——",
        "▲",
        "▶",
        "■",
        "□ 张三",
        "图为",
        "孙璞玉 摄",
        "一是",
        "二是",
        "（一）",
        "一、",
        "1.",
        "近年来，",
        "今年以来,",
        "荣县",
        "资中县",
        "首页 > ",
        "发布时间:2017-10-09 12:37:38",
        "作者:陈永刚",
        "来源:",
        "点击次数:9",
        "上一篇:",
        "设为主页",
        "本报记者",
        "(责编:冯粒、袁勃)",
        "(作者:书记)",
        "《人民日报》(2017年11月14日 18 版)",
        "公众号",
        "20177月",
        "4711340人",
        "3000/亩",
        "著",
        "黨建",
        "「",
        "」",
        "﹔",
        "党建引领",
        "脱贫攻坚",
        "抓组织建设筑强“桥头堡”。",
        "建强基层党组织这个“战斗堡垒”。",
        "8:2",
        "1,000",
    ]
)
CHINESE_TEXT = st.lists(st.one_of(PIECES, st.text(min_size=1, max_size=5)), max_size=80).map(
    "".join
)


def _check(result: object) -> None:
    assert isinstance(result, ImportResult)
    assert result.cases, "an import without an error yields at least one case"
    for case in result.cases:
        assert isinstance(case, Case)
        assert case.title.strip()
    assert all(isinstance(d, Diagnostic) and d.path == PATH for d in result.diagnostics)
    Compendium("t", (Part("", result.cases),))  # ids unique, everything valid


def _run(data: bytes) -> None:
    try:
        result = import_raw(data, PATH)
    except ContentError as e:
        assert e.path == PATH and str(e)
        return
    _check(result)
    assert import_raw(data, PATH) == result  # deterministic


@SETTINGS
@given(st.text())
def test_any_text(text):
    _run(text.encode("utf-8"))


@SETTINGS
@given(CHINESE_TEXT)
def test_article_like_text(text):
    _run(text.encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes(data):
    _run(data)


@SETTINGS
@given(CHINESE_TEXT, st.sampled_from(["utf-16-le", "utf-16-be", "gb18030"]))
def test_encodings_agree(text, codec):
    """A text that UTF-8 imports imports the same from UTF-16 (with BOM) and GB18030."""
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    try:
        expected = import_raw(text.encode("utf-8"), PATH)
    except ContentError:
        return
    try:
        got = import_raw(bom + text.encode(codec), PATH)
    except ContentError as e:  # GB18030 bytes can happen to be valid UTF-8 too
        assert codec == "gb18030", e
        return
    if codec != "gb18030":
        assert [c.blocks for c in got.cases] == [c.blocks for c in expected.cases]
