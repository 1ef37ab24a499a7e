"""The five seed articles import to the facts they state (ground truth: content/sources)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publisher.model import Case, Figure, Heading, Note, Paragraph
from publisher.readers.raw import ImportResult, import_raw
from publisher.readers.rules.script import t2s

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "content" / "sources"
ZHU_WORDS = re.compile(
    "著名|著作|显著|著称|昭著|卓著|著述|土著|编著|著者|原著|名著|巨著|论著|专著|译著|遗著|著录|合著"
)
CHROME_WORDS = ("点击次数", "上一篇", "下一篇", "设为主页", "站内搜索", "访问者", "加入收藏")


def _import(stem: str) -> ImportResult:
    path = next(SOURCES.glob(f"{stem}_*.txt"))
    return import_raw(path.read_bytes(), f"content/sources/{path.name}")


@pytest.fixture(scope="module")
def results() -> dict[str, ImportResult]:
    return {stem: _import(stem) for stem in ("000", "001", "002", "003", "004")}


def _one(results: dict[str, ImportResult], stem: str) -> Case:
    cases = results[stem].cases
    assert len(cases) == 1, [c.title for c in cases]
    return cases[0]


def _paragraphs(case: Case) -> list[Paragraph]:
    return [b for b in case.blocks if isinstance(b, Paragraph)]


def _warnings(result: ImportResult) -> str:
    return "\n".join(str(d) for d in result.diagnostics)


def test_six_cases_in_all(results):
    assert sum(len(r.cases) for r in results.values()) == 6
    ids = [c.id for r in results.values() for c in r.cases]
    assert len(set(ids)) == 6


def test_common_fields(results):
    for stem, result in results.items():
        for case in result.cases:
            assert case.source_file.startswith("sources/" + stem + "_")
            assert re.fullmatch(r"[0-9a-f]{64}", case.source_sha256)
            assert case.id.startswith(stem + "_")
            for text in case.texts():
                assert not re.search(r"[\u4e00-\u9fff][,:;?!()]|[,:;?!()][\u4e00-\u9fff]", text), (
                    text
                )
                assert "\xa0" not in text and "\n" not in text


def test_deterministic(results):
    again = _import("002")
    assert again == results["002"]


# --- 000 -------------------------------------------------------------------------------


def test_000_title_author_figures_headings(results):
    case = _one(results, "000")
    assert case.title == "融水：党建引领助推精准脱贫"
    assert [(a.name, a.role) for a in case.authors] == [("龙林智", "")]
    assert case.date == "" and case.script == "simplified"
    assert len(case.figures) == 9
    assert case.figures[0].caption == "广泛征求意见。"
    assert case.figures[-1].caption == "开展技术技能培训。"
    assert all(not f.caption.startswith(("▲", "▶")) for f in case.figures)
    headings = case.headings
    assert [h.text for h in headings] == [
        "建队伍，聚力精准扶贫",
        "抓基层，筑牢脱贫堡垒",
        "结“穷亲”，强化帮扶责任",
        "树标杆，培育致富能手",
    ]
    assert all(h.level == 1 for h in headings)
    # three captions after the byline stand before the first paragraph, six at the end
    kinds = [type(b).__name__ for b in case.blocks]
    assert kinds[:4] == ["Figure"] * 3 + ["Paragraph"]
    assert kinds[-6:] == ["Figure"] * 6


def test_000_broken_paragraphs_rejoined(results):
    case = _one(results, "000")
    paras = [p.text for p in _paragraphs(case)]
    assert len(paras) == 5
    assert sum("开展工作，确保" in p for p in paras) == 1
    assert sum("脱贫成效精准，做到" in p for p in paras) == 1
    joins = [d for d in results["000"].diagnostics if "joined" in d.message]
    assert sorted(d.line for d in joins) == [27, 33]
    assert all(d.severity == "warning" for d in joins)


def test_000_lead_in_runs(results):
    case = _one(results, "000")
    first = _paragraphs(case)[1]
    assert first.lead == "一是配强班子领导。"
    strong = [r.text for r in first.runs if r.strong]
    assert strong == ["一是配强班子领导。", "二是选好工作队员。", "三是完善激励机制。"]
    assert "无日期" not in _warnings(results["000"])
    assert "no date" in _warnings(results["000"])


# --- 001 -------------------------------------------------------------------------------


def test_001_title_block_and_metadata(results):
    case = _one(results, "001")
    assert case.title == "太原：强堡垒富百姓"
    assert case.kicker == "抓好党建促脱贫\u3000脱贫攻坚促党建"
    assert case.series == "深度关注·贯彻十九大精神\u3000切实提升组织力②"
    assert case.script == "traditional"
    assert case.date == "2017-11-14T05:32"
    assert case.source == "人民网-人民日报"
    assert case.publication == "人民日报"
    assert case.page == "18版"
    assert [(a.name, a.role) for a in case.authors] == [
        ("刘鑫焱", "本报记者"),  # the role as printed: no character lost
        ("冯粒", "责编"),
        ("袁勃", "责编"),
    ]
    # no metadata or dateline names a province: the region is left to the editor
    assert case.region == ""


def test_001_body(results):
    case = _one(results, "001")
    assert [h.text for h in case.headings] == [
        "补齐最大短板，打造脱贫攻坚“火车头”",
        "资源下沉一线，提升基层组织战斗力",
        "壮大集体经济，基层组织建设后劲足",
    ]
    paras = _paragraphs(case)
    assert len(paras) == 22
    assert paras[0].text.startswith("“全村除了因残疾无劳动能力")
    texts = [case.source, case.publication, *(p.text for p in paras)]
    assert not any("人民日报 》" in t or "责编" in t for t in texts)
    assert not case.figures


def test_001_no_traditional_left(results):
    case = _one(results, "001")
    for text in case.texts():
        assert t2s(text) == text, text
        assert "﹔" not in text and "「" not in text and "」" not in text
        # 著 survives only in words where it is right (显著)
        assert "著" not in ZHU_WORDS.sub("", text), text
    body = "".join(p.text for p in _paragraphs(case))
    assert "显著" in body and "；" in body


# --- 002 -------------------------------------------------------------------------------


def test_002_title_authors(results):
    case = _one(results, "002")
    assert case.title == "聚焦问题\u3000整合力量\u3000精准发力"
    assert case.subtitle == "兴安盟多措并举推进抓党建促脱贫攻坚纪实"
    assert [a.name for a in case.authors] == ["胡日查", "高敏娜"]
    assert case.region == ""  # the body names 内蒙古, but no metadata does
    assert case.place == "兴安盟"


def test_002_figures_with_credits(results):
    case = _one(results, "002")
    figures = case.figures
    assert len(figures) == 5
    assert [f.credit for f in figures if f.credit] == ["孙璞玉 摄", "时秀霞 摄"]
    assert figures[0].caption.endswith("自制奶食品和工艺品在旅游市场上热销。")
    assert figures[-1].caption.endswith("该旗巴拉格歹乡红色旅游之乡推介活动现场。")
    assert not any("摄" in p.text[-3:] for p in _paragraphs(case))
    # the four captions stand between the second and third section
    kinds = [type(b).__name__ for b in case.blocks]
    i = kinds.index("Figure")
    assert kinds[i : i + 5] == ["Figure"] * 4 + ["Heading"]
    assert kinds[-1] == "Figure"


def test_002_headings_and_joined_paragraph(results):
    case = _one(results, "002")
    assert [h.text for h in case.headings] == [
        "4300多名后备干部奔赴脱贫一线",
        "引领7486户贫困群众创业致富",
        "贫困人口由18.4万人减少到8.1万人",
        "全盟95.1%的嘎查村有了稳定收入",
    ]
    paras = [p.text for p in _paragraphs(case)]
    assert sum("内蒙古自治区第十次党代会关于推进" in p for p in paras) == 1
    standalone = next(p for p in _paragraphs(case) if p.text.startswith("建强基层党组织"))
    assert standalone.text == "建强基层党组织这个“战斗堡垒”。"
    # plain text gives no evidence of bold: ordinary first sentences stay plain
    assert [r.strong for r in standalone.runs] == [False]
    lead = next(p for p in _paragraphs(case) if p.text.startswith("发展集体经济"))
    assert lead.lead == ""


# --- 003 -------------------------------------------------------------------------------


def test_003_two_cases(results):
    cases = results["003"].cases
    assert [c.title for c in cases] == [
        "资中县坚持“四抓四强”吹响党建引领\u3000决战决胜脱贫攻坚集结号",
        "荣县构建四大体系\u3000为脱贫攻坚提供坚强组织保障",
    ]
    assert [c.id for c in cases] == ["003_cb2881a0ddc343a6-1", "003_cb2881a0ddc343a6-2"]
    for case in cases:
        assert case.date == "2020-06-11"
        assert case.source == "相关市〈州〉、县〈市、区〉党委组织部"
        assert case.series == "下足绣花功夫\u3000决战脱贫攻坚"
        assert case.publication == "四川党建微信公众号"
        assert case.region == "四川"
        for text in case.texts()[6:]:
            assert "首页" not in text and "公众号" not in text
    assert cases[0].place == "资中县" and cases[1].place == "荣县"
    assert _paragraphs(cases[0])[0].text.startswith("近年来，资中县")
    assert _paragraphs(cases[1])[0].text.startswith("今年以来，荣县")
    assert len(_paragraphs(cases[0])) == 5 and len(_paragraphs(cases[1])) == 5
    assert not cases[0].headings and not cases[1].headings


def test_003_no_lead_ins_without_evidence(results):
    first, second = results["003"].cases
    assert [p.lead for p in _paragraphs(first)] == [""] * 5
    assert _paragraphs(first)[1].text.startswith("抓责任落实建强“指挥部”坚持")
    assert [p.lead for p in _paragraphs(second)] == [""] * 5


# --- 004 -------------------------------------------------------------------------------


def test_004_metadata_and_chrome(results):
    case = _one(results, "004")
    assert case.title == "党建领航\u3000脱贫奔康"
    assert case.subtitle == "助力永嘉新农村建设取得新成效"
    assert case.date.startswith("2017-10-09")
    assert case.date == "2017-10-09T12:37:38"
    assert [(a.name, a.role, a.note) for a in case.authors] == [
        ("陈永刚", "作者", "永嘉乡党委书记")
    ]
    assert case.source == "永嘉乡"
    assert case.publication == "《大安》2017年第9期"
    assert case.region == "四川"
    for text in case.texts():
        for word in CHROME_WORDS:
            assert word not in text, (word, text)
    assert not any(isinstance(b, Note) for b in case.blocks)


def test_004_heading_levels_and_run_in_heads(results):
    case = _one(results, "004")
    assert [(h.level, h.text[:2]) for h in case.headings] == [(1, "一、"), (1, "二、"), (1, "三、")]
    paras = _paragraphs(case)
    assert len(paras) == 14
    assert paras[2].lead == "（一）健全工作机制。"
    assert paras[2].runs[1].text.startswith("坚持将党建工作深度融入脱贫攻坚")
    assert sum(1 for p in paras if p.lead.startswith("（")) == 12


def test_004_damaged_figures_flagged_not_fixed(results):
    case = _one(results, "004")
    warnings = _warnings(results["004"])
    assert "20177月" in warnings and "4711340人" in warnings and "3000/" in warnings
    body = "".join(p.text for p in _paragraphs(case))
    assert "4711340人" in body and "截止20177月再识别" in body  # untouched
    line12 = [d for d in results["004"].diagnostics if "20177月" in d.message]
    assert [d.line for d in line12] == [12]
    assert all(d.path == "content/sources/004_72b8bfec9142b5c8.txt" for d in line12)
    assert not case.corrections


def test_one_case_each_except_003(results):
    for stem in ("000", "001", "002", "004"):
        assert len(results[stem].cases) == 1


def test_heading_and_block_types(results):
    for result in results.values():
        for case in result.cases:
            for b in case.blocks:
                assert isinstance(b, (Heading, Paragraph, Figure, Note))
                assert b.line > 0
