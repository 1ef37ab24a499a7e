"""Saved web pages: the article's text from several readings reconciled (issue 21, item 1):
trafilatura's balanced reading, its end trimmed where the precision reading ends, completed
from the page's densest text block; the safety net. The extractor's readings are given here
(stubs standing in for trafilatura's modes), so each rule is tested on its own, on small
pages written here (not copies of real ones)."""

from __future__ import annotations

import lxml.html

from publisher.model import Case, Paragraph, Run
from publisher.readers.html import _with_safety_net
from publisher.readers.raw import ImportResult
from publisher.readers.webreadings import reconcile

LINES = [
    f"今年以来，该县第{n}小组坚持以党建引领乡村振兴，推动各项工作落实落细，群众满意度持续提高。"
    for n in "一二三四五六"
]


def _xml(*blocks: str) -> str:
    return f"<doc><main>{''.join(blocks)}</main></doc>"


def _p(text: str) -> str:
    return f"<p>{text}</p>"


def _extract(balanced: str, precise: str | None = None, recall: str | None = None):
    def extract(favor_precision: bool = False, favor_recall: bool = False) -> str | None:
        if favor_precision:
            return precise
        if favor_recall:
            return recall
        return balanced

    return extract


def _root(body: str):
    return lxml.html.document_fromstring(f"<html><body>{body}</body></html>")


def _texts(xml: str) -> list[str]:
    doc = lxml.etree.fromstring(xml.encode())
    return ["".join(el.itertext()) for el in doc.find("main")]


ARTICLE = [_p(t) for t in LINES]
ADS = ["<p>招商加盟火爆进行中</p>", "<p>★不再做一分钟男人!</p>", "<p>图片精选</p>"]


def test_the_precision_readings_end_leaves_the_furniture_after_the_text_out():
    """Lines after the article that the balanced reading runs on into and the precision
    reading does not keep are left out, in a guess: warning naming the first."""
    reading = reconcile(
        _extract(_xml(*ARTICLE, *ADS), precise=_xml(*ARTICLE)), _root("".join(ARTICLE))
    )
    assert _texts(reading.xml) == LINES
    assert any("招商加盟" in w and w.startswith("guess:") for w in reading.warnings)


def test_a_page_laid_out_as_one_table_is_trimmed_inside_it():
    """An old portal's page: the article and the advertisements after it are cells of
    one layout table; the cells after the precision reading's end are left out, and the
    photo of a cell in that table (an icon beside a menu) goes with them."""
    cells = "".join(f"<row><cell>{t}</cell></row>" for t in LINES)
    ads = "<row><cell><graphic src='icon.gif'/></cell><cell>招商加盟火爆进行中</cell></row>"
    balanced = _xml(f"<table>{cells}<row><cell>（记者 张三）</cell></row>{ads}</table>")
    reading = reconcile(_extract(balanced, precise=_xml(*ARTICLE)), _root(""))
    assert "招商加盟" not in reading.xml and "icon.gif" not in reading.xml
    assert "（记者 张三）" in reading.xml and all(t in reading.xml for t in LINES)


def test_only_the_end_is_trimmed_and_never_a_byline_a_sentence_or_the_photo_after_them():
    """The precision reading also drops a byline line, a teaser-free sentence and the
    headline over the text: those stay for the page rules, and so does a photo right
    after them; a photo after a line of furniture is furniture."""
    balanced = _xml(
        _p("某县推进乡村振兴"),
        *ARTICLE,
        _p("更多精彩内容"),
        _p("（记者 张三 通讯员 李四）"),
        "<graphic src='a.jpg'/>",
        *ADS,
        "<graphic src='logo-code.jpg'/>",
    )
    reading = reconcile(_extract(balanced, precise=_xml(*ARTICLE[1:])), _root(""))
    texts = _texts(reading.xml)
    assert texts[0] == "某县推进乡村振兴" and "（记者 张三 通讯员 李四）" in texts
    assert '<graphic src="a.jpg"/>' in reading.xml and "logo-code" not in reading.xml
    assert not any(ad in reading.xml for ad in ("招商加盟", "图片精选"))


def test_a_teaser_cut_short_is_no_sentence_that_keeps_a_list():
    balanced = _xml(
        *ARTICLE, _p("当你和朋友到饭店用餐时，你点菜时通常是这样做的：你会怎样选择呢……")
    )
    reading = reconcile(_extract(balanced, precise=_xml(*ARTICLE)), _root(""))
    assert _texts(reading.xml) == LINES


def test_a_paragraph_the_extractor_left_out_inside_the_text_is_put_back_where_it_stands():
    """The densest text block holds a paragraph between two the extractor keeps: it is put
    back between them (an info line says so)."""
    page = "<div class='text'>" + "".join(ARTICLE) + "</div>"
    balanced = _xml(*ARTICLE[:2], *ARTICLE[3:])
    reading = reconcile(_extract(balanced, precise=balanced), _root(page))
    assert _texts(reading.xml) == LINES
    assert any("put back" in n for n in reading.notes)


def test_a_line_put_back_inside_a_layout_table_stands_where_the_page_prints_it():
    """The extract holds the article in a layout table's cell: the line it left out goes
    between its neighbours inside that cell, not after the table (after the editor's line
    of the row below)."""
    cell = "".join(_p(t) for n, t in enumerate(LINES) if n != 2)
    balanced = _xml(
        f"<table><row><cell>{cell}</cell></row><row><cell>（责任编辑：某某）</cell></row></table>"
    )
    page = "<div class='text'>" + "".join(ARTICLE) + "</div>"
    reading = reconcile(_extract(balanced, precise=balanced), _root(page))
    text = "".join(lxml.etree.fromstring(reading.xml.encode()).itertext())
    assert text.index(LINES[1]) < text.index(LINES[2]) < text.index(LINES[3])
    assert text.index(LINES[5]) < text.index("责任编辑")


def test_a_subheading_repeating_its_paragraphs_words_puts_nothing_back_twice():
    """The page's subheading (从设计到流片只用了一年半) repeats words of the paragraph under
    it and the extract leaves it out: the paragraph, found in the extract, is never put
    back a second time."""
    head = "第三小组坚持以党建引领乡村振兴"
    page = "<div class='text'>" + "".join(ARTICLE[:2]) + f"<h3>{head}</h3>" + "".join(ARTICLE[2:])
    page += "</div>"
    reading = reconcile(_extract(_xml(*ARTICLE), precise=_xml(*ARTICLE)), _root(page))
    assert _texts(reading.xml) == LINES


def test_a_long_line_of_clauses_left_out_inside_the_text_is_put_back():
    """A biography's list of posts, long and in clauses but closing no sentence, left out
    between two paragraphs the extractor keeps: put back."""
    bio = "1956年生人，1978年参加工作，历任某县农机修造厂技术科长、技术厂长、总工程师，" * 2
    bio += "先后荣获省优秀青年企业家、青年科技新星等称号"
    page = f"<div class='text'>{''.join(ARTICLE[:2])}<p>{bio}</p>{''.join(ARTICLE[2:])}</div>"
    reading = reconcile(_extract(_xml(*ARTICLE), precise=_xml(*ARTICLE)), _root(page))
    assert _texts(reading.xml) == [*LINES[:2], bio, *LINES[2:]]


def test_a_control_character_in_a_line_put_back_is_left_out_of_the_extract():
    """A stray control character in the page (XML cannot hold it) never makes the line put
    back fail, nor the page be refused."""
    page = "<div class='text'>" + "".join(ARTICLE).replace("第三小组", "第三\x07小组") + "</div>"
    balanced = _xml(*ARTICLE[:2], *ARTICLE[3:])
    reading = reconcile(_extract(balanced, precise=balanced), _root(page))
    assert _texts(reading.xml) == LINES


def test_a_web_fonts_icons_in_the_page_do_not_hide_its_lines_from_the_extract():
    """Private-use characters (a web font's icons) the extractor drops: the page's lines
    are found in the extract all the same, none put back twice."""
    marked = [t + "\ue004" if n % 2 else t for n, t in enumerate(LINES)]
    page = "<div class='text'>" + "".join(_p(t) for t in marked) + "</div>"
    balanced = _xml(*ARTICLE[:2], *ARTICLE[3:])
    reading = reconcile(_extract(balanced, precise=balanced), _root(page))
    assert _texts(reading.xml) == LINES


def test_lines_of_a_menu_nested_in_the_densest_block_are_never_put_back():
    share = "分享到微博，欢迎转发评论，扫码关注我们的公众号获取更多资讯。"
    menu = f"<div class='share'><p>{share}</p></div>"
    page = "<div class='text'>" + "".join(ARTICLE[:3]) + menu + "".join(ARTICLE[3:]) + "</div>"
    balanced = _xml(*ARTICLE)
    reading = reconcile(_extract(balanced, precise=balanced), _root(page))
    assert _texts(reading.xml) == LINES


def test_a_first_paragraph_left_out_comes_back_only_when_the_recall_reading_agrees():
    page = "<div class='text'>" + "".join(ARTICLE) + "</div>"
    balanced = _xml(*ARTICLE[1:])
    agreed = reconcile(_extract(balanced, balanced, recall=_xml(*ARTICLE)), _root(page))
    assert _texts(agreed.xml) == LINES
    alone = reconcile(_extract(balanced, balanced, recall=balanced), _root(page))
    assert _texts(alone.xml) == LINES[1:]


def test_another_articles_densest_block_adds_nothing():
    """When the extract is not the densest block's article (it holds under half of it),
    the block's lines are not the article's."""
    other = [t.replace("小组", "车间") for t in LINES]
    page = "<div>" + "".join(_p(t) for t in other) + "</div>"
    balanced = _xml(*ARTICLE[:2], _p(other[2]), *ARTICLE[2:])
    recall = _xml(*(_p(t) for t in other))  # even where the recall reading has them
    reading = reconcile(_extract(balanced, balanced, recall), _root(page))
    assert _texts(reading.xml) == [*LINES[:2], other[2], *LINES[2:]]
    assert not reading.notes


# six sentences sharing no ten characters: what the safety net looks for, piece by piece
STORY = [
    "春耕时节，县农业农村局组织技术人员深入田间地头，指导农户科学施肥和病虫害防治工作。",
    "合作社负责人介绍，今年流转土地三千余亩，统一种植优质水稻，预计每亩增收两百元左右。",
    "镇卫生院开展义诊进村活动，为六十五岁以上老人免费测量血压血糖，并建立个人健康档案。",
    "村党支部书记带领党员志愿者清理河道垃圾，修缮破损护栏，还群众一个干净整洁的环境。",
    "职业学校与本地企业签订订单培养协议，首批两百名学生毕业后将直接进入工厂实习就业。",
    "文化站利用农闲时间举办广场舞比赛和书法展览，丰富了留守老人和儿童的精神文化生活。",
]


def _result(text: str) -> ImportResult:
    case = Case(id="p", title="某县推进乡村振兴", blocks=(Paragraph((Run(text),)),))
    return ImportResult((case,), ())


def test_the_safety_net_says_when_the_import_keeps_much_less_than_the_densest_block():
    short = _with_safety_net(_result("".join(STORY[:3])), STORY, "p.html")
    assert any(
        d.message.startswith("guess:") and "densest text block" in d.message
        for d in short.diagnostics
    )
    whole = _with_safety_net(_result("".join(STORY)), STORY, "p.html")
    assert not whole.diagnostics


def test_the_safety_net_counts_the_blocks_own_text_not_the_imports_length():
    """An import as long as the densest block but of other text (another post of a blog's
    archive) has lost the block's text; one missing only a byline cut from a paragraph's
    end has not."""
    lost = _with_safety_net(_result("".join(LINES) * 2), STORY, "p.html")
    assert any("densest text block" in d.message for d in lost.diagnostics)
    signed = [*STORY[:-1], STORY[-1] + "（记者 张三）"]
    assert not _with_safety_net(_result("".join(STORY)), signed, "p.html").diagnostics


def test_an_old_portals_advertisement_table_after_the_text_is_left_out_of_the_import():
    """The whole import: trafilatura's balanced reading keeps the advertisement table in
    the layout table's next row, its precision reading ends at the text."""
    from publisher.readers import import_source

    ads = "".join(
        f"<tr><td>{t}</td></tr>"
        for t in ("风湿、类风湿获重大突破", "★不再做一分钟男人!", "18岁以下勿点击/图文")
    )
    html = (
        "<html><head><meta charset='utf-8'><title>某县推进乡村振兴</title></head><body>"
        "<table><tr><td><h1>某县推进乡村振兴</h1>" + "".join(ARTICLE) + "<p>来源：新华网</p>"
        f"</td></tr><tr><td><table><tr><td>火爆招商信息</td></tr>{ads}</table></td></tr>"
        "</table></body></html>"
    )
    result = import_source(html.encode(), "content/sources/p.html")
    (case,) = result.cases
    assert [b.text for b in case.blocks] == LINES
    assert any("precision reading" in d.message for d in result.diagnostics)


def test_a_short_article_the_extractor_runs_together_with_the_page_is_its_densest_block():
    """An article under trafilatura's 250 characters: it gives the page's whole text as one
    paragraph (menus, pager, side lists), the densest block is the article."""
    from publisher.readers import import_source

    menu = "".join(f"<li><a href='/c{n}'>栏目{n}</a></li>" for n in range(12))
    side = "".join(f"<li><a href='/a{n}'>今日行情分析第{n}期</a></li>" for n in range(10))
    article = (
        "联合国贸发会议发布了年度报告，即使忽略最坏的下行风险，今年全球经济增长率也将明显"
        "下降。一些大型经济体已经陷入衰退，随着全球需求疲软，全球贸易增长也将严重减缓。"
    )
    page = (
        "<html><head><meta charset='utf-8'><title>全球经济增长率下降_某某财经网</title></head>"
        f"<body><ul class='nav'>{menu}</ul><h1>全球经济增长率下降</h1>"
        "<div class='info'>发布时间：2019-09-26 10:09 上一篇：<a href='/x'>行情</a></div>"
        f"<div class='content'>{article}</div><div class='side'><h3>相关新闻</h3>"
        f"<ul>{side}</ul></div></body></html>"
    )
    result = import_source(page.encode(), "content/sources/short.html")
    (case,) = result.cases
    assert [b.text for b in case.blocks] == [article]
    assert case.title == "全球经济增长率下降" and case.date.startswith("2019-09-26")
    assert any("kept the whole page" in d.message for d in result.diagnostics)
