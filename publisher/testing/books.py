"""Books made in code: a case with every kind of block, and the tests' three-case sample
compendium (the `sample_compendium` fixture, and the benchmarks' synthetic books)."""

from __future__ import annotations

from publisher.model import (
    Author,
    Case,
    Compendium,
    Correction,
    Figure,
    Heading,
    Note,
    Paragraph,
    Part,
    Run,
)


def case(n: int, title: str, **extra) -> Case:
    """Case `n`: photos (without files), headings of three levels, bold runs, a note."""
    blocks = (
        Figure(caption=f"第{n}案开头的照片。", credit="", image=""),
        Paragraph.of(
            "近年来，某县以党建为引领，推进脱贫攻坚，全县6156户、25783人已脱贫。"
            "这是一段足够长的正文，用来检查首行缩进两字、两端对齐和行距。" * 3
        ),
        Heading(1, "建队伍，聚力精准扶贫"),
        Paragraph(
            (
                Run("一是配强班子领导。", strong=True),
                Run("以换届为契机，加强乡镇领导班子建设，配备35岁以下年轻干部。"),
                Run("二是选好工作队员。", strong=True),
                Run("精心选派379名优秀年轻干部，担任第一书记。"),
            )
        ),
        Heading(2, "（一）健全工作机制"),
        Paragraph.of("正文段落，含英文 PDF 与数字 2017 年。" * 4),
        Figure(caption="科右前旗创新党建富民新模式。", credit="孙璞玉 摄", image=""),
        Heading(3, "三级标题"),
        Paragraph.of("最后一段。"),
        Note("（作者：永嘉乡党委书记）"),
    )
    return Case(id=f"case-{n}", title=title, blocks=blocks, **extra)


def sample_compendium() -> Compendium:
    """Three parts of one case each: authors, kicker, series, traditional script, a
    correction."""
    one = case(1, "融水：党建引领助推精准脱贫", authors=(Author("龙林智"),), region="广西")
    two = case(
        2,
        "太原：强堡垒富百姓",
        kicker="抓好党建促脱贫　脱贫攻坚促党建",
        series="深度关注·贯彻十九大精神 切实提升组织力②",
        authors=(Author("刘鑫焱", "记者"), Author("冯粒", "责编")),
        publication="人民日报",
        page="18版",
        source="人民网-人民日报",
        date="2017-11-14T05:32",
        region="山西",
        script="traditional",
    )
    three = case(
        3,
        "聚焦问题 整合力量 精准发力",
        subtitle="兴安盟多措并举推进抓党建促脱贫攻坚纪实",
        authors=(Author("胡日查"), Author("高敏娜")),
        region="内蒙古",
        corrections=(Correction("4711340人", "471户1340人", "源文件丢失“户”字", 12),),
    )
    return Compendium(
        title="抓党建促脱贫攻坚典型案例汇编",
        subtitle="示例",
        compiler="编写组",
        date="2026-11-01",
        preface=(Paragraph.of("这是前言。"),),
        parts=(Part("广西", (one,)), Part("山西", (two,)), Part("内蒙古", (three,))),
    )
