"""The seed compendium as the editor reviewed it: the seed cases, their facts, the recorded
corrections."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import opencc
import pytest

from publisher.pipeline.lint import lint_project
from publisher.pipeline.project import Project, load_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def loaded():
    return load_project(Project(ROOT))


@pytest.fixture(scope="module")
def cases(loaded):
    return {c.id: c for c in loaded.compendium.cases}


# The reviewed seed cases, in the settings' order. Editors add cases over the weeks: these
# tests check the seeds keep their place and facts, never the total count.
SEED_CASES = {
    "000_b1767db4946b0b0f": "融水：党建引领助推精准脱贫",
    "001_a8e2ffcc3b22423d": "太原：强堡垒富百姓",
    "002_7a9b3e6cd7ab33a6": "聚焦问题　整合力量　精准发力",
    "003_cb2881a0ddc343a6-1": "资中县坚持“四抓四强”吹响党建引领　决战决胜脱贫攻坚集结号",
    "003_cb2881a0ddc343a6-2": "荣县构建四大体系　为脱贫攻坚提供坚强组织保障",
    "004_72b8bfec9142b5c8": "党建领航　脱贫奔康",
}


def test_seed_cases_in_the_settings_order(loaded):
    c = loaded.compendium
    assert c.title == "抓党建促脱贫攻坚典型案例汇编"
    parts = [p.title for p in c.parts]
    assert [t for t in parts if t in ("广西壮族自治区", "山西省", "内蒙古自治区", "四川省")] == [
        "广西壮族自治区",
        "山西省",
        "内蒙古自治区",
        "四川省",
    ]
    seeds = [(case.id, case.title) for case in c.cases if case.id in SEED_CASES]
    assert seeds == list(SEED_CASES.items())


def test_metadata_as_the_articles_give_it(cases):
    rongshui, taiyuan = cases["000_b1767db4946b0b0f"], cases["001_a8e2ffcc3b22423d"]
    xingan, yongjia = cases["002_7a9b3e6cd7ab33a6"], cases["004_72b8bfec9142b5c8"]
    assert [a.name for a in rongshui.writers] == ["龙林智"] and rongshui.date == ""
    assert taiyuan.kicker == "抓好党建促脱贫　脱贫攻坚促党建"
    assert taiyuan.series == "深度关注·贯彻十九大精神　切实提升组织力②"
    assert [(a.name, a.role) for a in taiyuan.writers] == [("刘鑫焱", "记者")]
    assert [a.name for a in taiyuan.editors] == ["冯粒", "袁勃"]
    assert taiyuan.date.startswith("2017-11-14") and taiyuan.source == "人民网-人民日报"
    assert (taiyuan.publication, taiyuan.page, taiyuan.script) == (
        "人民日报",
        "18版",
        "traditional",
    )
    assert xingan.subtitle == "兴安盟多措并举推进抓党建促脱贫攻坚纪实"
    assert [a.name for a in xingan.writers] == ["胡日查", "高敏娜"]
    assert yongjia.subtitle == "助力永嘉新农村建设取得新成效"
    assert yongjia.date.startswith("2017-10-09") and [a.name for a in yongjia.writers] == ["陈永刚"]
    for id_ in ("003_cb2881a0ddc343a6-1", "003_cb2881a0ddc343a6-2"):
        assert cases[id_].date == "2020-06-11" and "〈州〉" in cases[id_].source


def test_figures_and_headings(cases):
    rongshui, xingan = cases["000_b1767db4946b0b0f"], cases["002_7a9b3e6cd7ab33a6"]
    assert len(rongshui.figures) == 9 and len(rongshui.headings) == 4
    assert len(xingan.figures) == 5
    assert sorted(f.credit for f in xingan.figures if f.credit) == ["孙璞玉 摄", "时秀霞 摄"]
    assert len(cases["001_a8e2ffcc3b22423d"].headings) == 3


def test_simplified_text_everywhere(cases):
    t2s = opencc.OpenCC("t2s")
    for case in cases.values():
        for block in case.blocks:
            text = getattr(block, "text", "") or getattr(block, "caption", "")
            # 陲 and other names are Simplified already: t2s must leave every block alone
            assert t2s.convert(text) == text, (case.id, text[:40])


def test_004_keeps_no_chrome_and_records_its_corrections(cases):
    yongjia = cases["004_72b8bfec9142b5c8"]
    body = "".join(getattr(b, "text", "") for b in yongjia.blocks)
    for chrome in ("点击次数", "上一篇", "下一篇", "设为主页", "站内搜索", "访问者"):
        assert chrome not in body
    fixes = {c.original: c for c in yongjia.corrections}
    assert fixes["4711340人"].corrected == "471户1340人" and fixes["4711340人"].line == 12
    assert fixes["20177月"].corrected == "2017年7月"
    assert fixes["3000/亩"].corrected == "3000元/亩"
    assert "471户1340人" in body and "4711340" not in body
    assert all(c.reason for c in yongjia.corrections)


def test_content_lints_without_errors():
    assert [str(d) for d in lint_project(Project(ROOT)) if d.severity == "error"] == []


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "publisher", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_model_json():
    out = run("model", "--json")
    assert out.returncode == 0, out.stderr
    model = json.loads(out.stdout)
    assert model["title"] == "抓党建促脱贫攻坚典型案例汇编"
    cases = {c["id"]: c for c in model["cases"]}
    assert set(SEED_CASES) <= set(cases)  # editors may add more cases
    case = cases["000_b1767db4946b0b0f"]
    assert {
        "id",
        "title",
        "subtitle",
        "authors",
        "date",
        "source",
        "publication",
        "script",
        "blocks",
    } <= set(case)
    figure = next(b for b in case["blocks"] if b["type"] == "figure")
    assert {"caption", "credit", "image"} <= set(figure) and figure["number"] == "图 1-1"
    heading = next(b for b in case["blocks"] if b["type"] == "heading")
    assert {"level", "text"} <= set(heading)


def test_import_json_writes_nothing(tmp_path):
    before = sorted(p.name for p in (ROOT / "content" / "cases").iterdir())
    out = run("import", "--json", str(ROOT / "content" / "sources" / "003_cb2881a0ddc343a6.txt"))
    assert out.returncode == 0, out.stderr
    titles = [c["title"] for c in json.loads(out.stdout)["cases"]]
    assert len(titles) == 2 and titles[0].startswith("资中县") and titles[1].startswith("荣县")
    assert sorted(p.name for p in (ROOT / "content" / "cases").iterdir()) == before
