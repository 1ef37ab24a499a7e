"""Guess less, warn more: the plain-text importer needs evidence for headings, lead-ins,
region and title, and lists every guess it makes."""

from __future__ import annotations

import pytest

from publisher.model import Figure, Paragraph
from publisher.pipeline.lint import check_case
from publisher.readers.raw import import_raw
from publisher.text.textcheck import MISSING_TITLE

PATH = "content/sources/x.txt"
BODY = "去年以来，全县以党建为引领，推动各项工作落实落细，取得了明显成效，群众满意度持续提高。"


def _one(text: str):
    result = import_raw(text.encode("utf-8"), PATH)
    assert len(result.cases) == 1
    return result.cases[0], "\n".join(str(d) for d in result.diagnostics)


def test_question_ending_in_dash_is_no_heading():
    line = "如何让新型职业农民队伍不断壮大？调研中不少基层干部群众提出了建议——"
    case, _ = _one(f"某县抓党建促振兴\n\n{BODY}\n\n{line}\n\n{BODY}\n")
    assert not case.headings
    assert line in [b.text for b in case.blocks if isinstance(b, Paragraph)]


def test_headings_need_evidence_and_are_listed():
    text = (
        f"某县抓党建促振兴\n\n{BODY}\n\n一、强化组织引领\n\n{BODY}\n\n"
        f"建队伍，聚力精准扶贫\n\n{BODY}\n\n答：重点抓好三个方面：\n\n{BODY}\n"
    )
    case, warnings = _one(text)
    assert [(h.level, h.text) for h in case.headings] == [
        (1, "一、强化组织引领"),
        (1, "建队伍，聚力精准扶贫"),
    ]
    assert "guess: taken as a level-1 heading (short line" in warnings
    assert "一、强化组织引领" not in warnings  # numbering is evidence, no guess


def test_dash_led_sub_headings_under_a_section():
    text = (
        f"某县抓党建促振兴\n\n{BODY}\n\n帮扶不断档，守住底线\n\n——帮扶不断档，投入不减力。\n\n"
        f"{BODY}\n"
    )
    case, _ = _one(text)
    assert [(h.level, h.text) for h in case.headings] == [
        (1, "帮扶不断档，守住底线"),
        (2, "——帮扶不断档，投入不减力。"),
    ]


def test_run_in_heads_need_evidence():
    plain = "抓组织建设筑强“桥头堡”。强化村党组织书记队伍建设，选优配强带头人，效果明显。"
    text = (
        f"某县抓党建促振兴\n\n{BODY}\n\n{plain}\n\n{plain}\n\n"
        "首先是建强队伍。各村选优配强带头人，效果明显。一是配强班子。二是选好队员。\n"
    )
    case, _ = _one(text)
    paras = [b for b in case.blocks if isinstance(b, Paragraph)]
    assert [p.lead for p in paras] == ["", "", "", "首先是建强队伍。"]
    assert [r.text for r in paras[-1].runs if r.strong] == [
        "首先是建强队伍。",
        "一是配强班子。",
    ]  # the closing 二是… leads into nothing


def test_region_only_from_metadata_or_dateline():
    case, _ = _one(f"全国脱贫攻坚取得新进展\n\n{BODY}四川、贵州、云南等地成效明显。\n")
    assert case.region == ""
    assert any("no region" in d.message for d in check_case(case, "c.md"))
    case, _ = _one(f"某县抓党建促振兴\n\n本报北京6月30日电  {BODY}\n")
    assert case.region == "北京"
    case, _ = _one(f"某县抓党建促振兴\n\n来源：四川党建网\n\n{BODY}\n")
    assert case.region == "四川"


def test_missing_title_is_a_lint_error_not_a_promoted_paragraph():
    case, warnings = _one(f"{BODY}\n\n{BODY}\n")
    assert case.title == MISSING_TITLE
    assert len([b for b in case.blocks if isinstance(b, Paragraph)]) == 2
    assert "no title found" in warnings
    errors = [d for d in check_case(case, "c.md") if d.severity == "error"]
    assert [d.message for d in errors] == [
        "no title: the source has none; write the case's title in 'title:'"
    ]


def test_hong_kong_text_uses_hk2s_and_is_recorded():
    text = (
        "衞生院建設成效顯著\n\n■記者 測試 報道\n\n"
        "今年以來，該區衞生院加強黨的建設，推動基層醫療衞生服務不斷改善。\n"
    )
    case, warnings = _one(text)
    assert case.script == "traditional"
    assert case.title == "卫生院建设成效显著"
    assert "衞" not in "".join(b.text for b in case.blocks if isinstance(b, Paragraph))
    assert "OpenCC hk2s" in warnings
    assert not [b for b in case.blocks if isinstance(b, Figure)]
    assert [(a.name, a.role) for a in case.authors] == [("测试", "记者")]


def test_newspaper_head_layout_by_position():
    text = (
        "河北香河县以党建引领网格化建设\n力量下沉  联动解题\n\n"
        f"\u3000\u3000本报石家庄7月17日电  （记者史自强）{BODY}\n\u3000\u3000{BODY}\n"
    )
    case, _ = _one(text)
    assert (case.kicker, case.title, case.subtitle) == (
        "河北香河县以党建引领网格化建设",
        "力量下沉\u3000联动解题",
        "",
    )
    assert [(a.name, a.role) for a in case.authors] == [("史自强", "记者")]
    assert case.region == "河北"  # the dateline names 石家庄, a city of 河北 (issue 21)


def test_a_date_line_alone_is_metadata():
    from publisher.readers.rules.chrome import classify

    found = classify("2019年09月09日 18:13:22")
    assert found is not None and found.kind == "meta" and found.date == "2019-09-09T18:13:22"
    case, _ = _one(f"某县抓党建促振兴\n\n2019年09月09日 18:13:22\n\n{BODY}\n")
    assert case.date == "2019-09-09T18:13:22"


def test_a_unit_named_as_author_is_credited_not_a_writer():
    from publisher.readers.rules.chrome import classify
    from publisher.readers.rules.facts import is_organisation

    for unit in ("医技药剂党支部", "县委组织部", "某县卫生院", "城关镇人民政府", "药剂科办公室"):
        assert is_organisation(unit), unit
    for person in ("张三", "欧阳振华", "李琴雯", "阿依古丽·买买提", "司马光"):
        assert not is_organisation(person), person
    meta = classify("来源：本站原创 作者：医技药剂党支部 时间：2019年10月31日 23:00")
    assert meta is not None
    assert [(a.name, a.role) for a in meta.authors] == [("医技药剂党支部", "作者单位")]
    meta = classify("来源：本站原创 作者：张三 时间：2019年10月31日 23:00")
    assert meta is not None
    assert [(a.name, a.role) for a in meta.authors] == [("张三", "作者")]


def test_zhu_stays_in_words_simplified_writes_with_it():
    """tw2s turns 顯著 into 显着; 著 stays in 显著, 著名 (and is no stray in Simplified)."""
    from publisher.readers.rules.script import to_simplified

    lines, script, strays, _ = to_simplified(["成绩显著提升，这是著名的经验，看着他们。"])
    assert script == "simplified" and strays == [] and lines[0].startswith("成绩显著")
    lines, script, _, config = to_simplified(["這個臺灣鄉鎮的成績顯著，著名學者看著他們說話。"])
    assert script == "traditional" and config == "tw2s"
    assert "显著" in lines[0] and "著名" in lines[0] and "看着" in lines[0]


@pytest.mark.parametrize(
    "line, kind, people",
    [
        ("（完）", "site", []),
        ("【编辑：张三】", "editors", [("张三", "编辑")]),
        ("[责任编辑:李四]", "editors", [("李四", "责任编辑")]),
        ("（记者 张三 李四）", "byline", [("张三", "记者"), ("李四", "记者")]),
        ("（本报记者 张三）", "byline", [("张三", "本报记者")]),
        ("文/张三", "byline", [("张三", "文")]),
        ("文/张三 图/李四", "credits", [("张三", "文"), ("李四", "图")]),
        ("来源：新华网  作者：宣传部", "meta", [("宣传部", "作者单位")]),
        ("作者：王建国", "meta", [("王建国", "作者")]),
        ("扫一扫在手机打开当前页", "site", []),
        ("【纠错】", "site", []),
        ("周珊珊  本报评论员", "byline", [("周珊珊", "本报评论员")]),
    ],
)
def test_wire_and_site_lines(line, kind, people):
    from publisher.readers.rules.chrome import classify

    found = classify(line)
    assert found is not None and found.kind == kind
    assert [(a.name, a.role) for a in found.authors] == people


@pytest.mark.parametrize("line", ["（记者节特别报道）", "（完成任务）", "二维码让村务更透明"])
def test_text_like_wire_lines_stays_text(line):
    from publisher.readers.rules.chrome import classify

    assert classify(line) is None


def test_place_from_the_title_is_a_short_name():
    from publisher.readers.rules.facts import find_place

    assert find_place("资中县坚持四抓四强") == "资中县"
    assert find_place("融水苗族自治县推进产业扶贫") == "融水苗族自治县"
    assert find_place("以改革创新激发县域发展活力") == ""
    assert find_place("在某县调研时强调") == ""
    # a column, a phrase of five or more characters, a count: no place
    assert find_place("收评：沪指暴跌5.77%") == "" and find_place("午评：三大指数") == ""
    assert find_place("埃某某离职：微软卧底成弃儿？") == ""
    assert find_place("三周两市蒸发21万亿") == ""
    assert find_place("融水：党建引领") == "融水" and find_place("周口市推进") == "周口市"
    assert find_place("融水苗族自治县：党建引领") == "融水苗族自治县"
