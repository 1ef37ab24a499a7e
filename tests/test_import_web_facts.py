"""Saved web pages: the facts of an article (date, authors, title) read by general rules
(issue 21), each on a small page written here (not a copy of a real one)."""

from __future__ import annotations

import pytest

from publisher.readers import import_source

BODY = "".join(
    f"<p>今年以来，该县第{n}小组坚持以党建引领乡村振兴，推动各项工作落实落细，群众满意度持续提高。</p>"
    for n in "一二三四五六"
)

# paragraphs of article length (60 characters and more): the text a headline stands over
LONG = "".join(
    f"<p>今年以来，该县第{n}小组坚持以党建引领乡村振兴，推动各项工作落实落细，"
    "群众满意度持续提高，村集体经济收入稳步增长，农民群众的获得感明显增强。</p>"
    for n in "一二三四五六"
)


def _case(head: str, body: str, path: str = "content/sources/p.html"):
    html = f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    result = import_source(html.encode(), path)
    (case,) = result.cases
    return case, [d.message for d in result.diagnostics]


def _names(case) -> list[tuple[str, str]]:
    return [(a.name, a.role) for a in case.authors]


def test_a_byline_slot_naming_nobody_is_no_author():
    """`作者：未知`, `作者：网络整理`: the slot is filled, by nobody; a staff code is no
    editor (`责任编辑：NF051`) and is cut from a name (`王某_NE0011`)."""
    case, warnings = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<div>作者：未知 责任编辑：王某_NE0011</div>"
        "<div>本文来源：某某日报 责任编辑：NF051</div>",
    )
    assert _names(case) == [("王某", "责任编辑")]
    assert any("no author found" in w for w in warnings)
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><div>时间：2019-09-25 作者：网络整理</div>{BODY}",
    )
    assert _names(case) == [] and case.date == "2019-09-25"


def test_a_text_files_byline_naming_nobody_is_no_author_either():
    text = (
        "某县推进乡村振兴\n\n作者：佚名\n\n"
        + "今年以来，该县坚持以党建引领乡村振兴，推动各项工作落实落细。\n\n" * 3
    )
    result = import_source(text.encode(), "content/sources/p.txt")
    assert [a.name for a in result.cases[0].authors] == []


def test_a_latin_name_is_one_person_a_list_of_them_several():
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<div>作者：张某 责编：Demi Xia</div>",
    )
    assert _names(case) == [("张某", "作者"), ("Demi Xia", "责编")]
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<div>作者：Anna Li、Tom Wu</div>",
    )
    assert _names(case) == [("Anna Li", "作者"), ("Tom Wu", "作者")]


def test_a_name_before_the_date_under_the_headline_is_a_guessed_author():
    """`王某某 2015-06-21 11:39:55 0人参与评论`: a columnist's byline without a key."""
    case, warnings = _case(
        "<title>某县推进乡村振兴_某某网</title>",
        f"<h1>某县推进乡村振兴</h1><div>王某某 2015-06-21 11:39:55 0人参与评论</div>{BODY}",
    )
    assert _names(case) == [("王某某", "")] and case.date == "2015-06-21T11:39:55"
    assert any("“王某某”, the name before the date" in w for w in warnings)


def test_a_handle_that_posted_the_text_is_a_guessed_author():
    case, warnings = _case(
        "<title>某县推进乡村振兴_某某网</title>",
        f"<h1>某县推进乡村振兴</h1><div>abcuser 发表于 2005-9-15 11:46:00</div>{BODY}",
    )
    assert _names(case) == [("abcuser", "")] and case.date == "2005-09-15T11:46:00"
    assert any("“abcuser”, who posted the text" in w for w in warnings)


def test_a_paper_or_a_place_beside_the_date_is_no_author():
    """`2005年03月31日03:18 某某晚报`: the paper is the source; a province or a city before
    the date is where the report comes from, a word or a label no name."""
    case, warnings = _case(
        "<title>某县推进乡村振兴_某某网</title>",
        "<h1>某县推进乡村振兴</h1>"
        f"<div>http://news.example.com 2005年03月31日03:18 某某晚报</div>{BODY}",
    )
    assert _names(case) == [] and case.source == "某某晚报"
    for place in ("江苏", "南京", "周口市", "时间", "updated", "admin"):
        case, warnings = _case(
            "<title>某县推进乡村振兴_某某网</title>",
            f"<h1>某县推进乡村振兴</h1><div>{place} 2015-06-21</div>{BODY}",
        )
        assert _names(case) == [], place
        assert not any(f"“{place}”" in w for w in warnings), place


def test_a_headline_that_asks_stands_over_the_text_without_a_title():
    """No <title>: the heading over the text is the headline, though it ends with ？, and
    the dashes a blog prints after every headline are no part of it."""
    case, warnings = _case(
        "",
        "<h2>谁来为无序拆房“埋单”？- -</h2><p>拆房屡出命案 管理形同虚设</p>"
        "<p>谁来为无序拆房“埋单”？</p>"
        f"<p>本报记者 王某某</p><p>2003-7-24 某某晚报</p>{BODY}",
    )
    assert case.title == "谁来为无序拆房“埋单”？"
    assert any(
        "the page has no <title>: the title is the line over the text" in w for w in warnings
    )
    assert case.date == "2003-07-24" and _names(case) == [("王某某", "本报记者")]


def test_a_short_headline_in_a_heading_element_is_the_title_not_the_sites_tagline():
    case, _ = _case(
        "<title>金某某 - 某某百科，自由的百科全书</title>",
        f"<h1>金某某</h1><div>某某百科，自由的百科全书</div>{LONG}",
    )
    assert case.title == "金某某"


def test_a_date_printed_in_english_over_the_headline():
    """A blog's `Saturday, September 10th, 2005 10:56 am` right over the headline dates the
    post, not the site's clock further up."""
    case, _ = _case(
        "<title>某某博客 » 某县推进乡村振兴</title>",
        "<div>2006年12月27日（北京时间）</div><p>Saturday, September 10th, 2005 10:56 am</p>"
        f"<div>某县推进乡村振兴</div>{BODY}",
    )
    assert case.date == "2005-09-10T10:56"


@pytest.mark.parametrize(
    "line, credited",
    [
        ("（作者单位：某某大学马克思主义学院）", [("某某大学马克思主义学院", "作者单位")]),
        ("作者单位：某某县委党校", [("某某县委党校", "作者单位")]),
        ("文 | 张某某", [("张某某", "文")]),
        ("文/图 ｜ 张某 李某", [("张某", "文/图"), ("李某", "文/图")]),
        ("撰稿：张某某", [("张某某", "撰稿")]),
        ("（张某某 李某）", [("张某某", ""), ("李某", "")]),
    ],
)
def test_a_credit_line_of_its_own_is_a_fact_at_either_end_of_the_text(line, credited):
    for body in (
        f"<h1>某县推进乡村振兴</h1><p>{line}</p>{BODY}",
        f"<h1>某县推进乡村振兴</h1>{BODY}<p>{line}</p>",
    ):
        case, _ = _case("<title>某县推进乡村振兴</title>", body)
        assert _names(case) == credited
        assert line not in [b.text for b in case.blocks if hasattr(b, "runs")]


def test_a_name_alone_closing_the_text_is_a_guessed_writer():
    case, warnings = _case(
        "<title>某县推进乡村振兴</title>", f"<h1>某县推进乡村振兴</h1>{BODY}<p>张某某</p>"
    )
    assert _names(case) == [("张某某", "")]
    assert any("the name alone closing the text, “张某某”" in w for w in warnings)
    assert "张某某" not in [b.text for b in case.blocks if hasattr(b, "runs")]
    for closing in ("全文完", "谢谢", "未完待续", "曲目"):
        case, _ = _case(
            "<title>某县推进乡村振兴</title>", f"<h1>某县推进乡村振兴</h1>{BODY}<p>{closing}</p>"
        )
        assert _names(case) == [], closing


def test_who_the_writer_is_is_a_note_and_link_text_is_no_writer():
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><p>作者：张某某（某某大学教授）</p>{BODY}",
    )
    assert [(a.name, a.role, a.note) for a in case.authors] == [("张某某", "作者", "某某大学教授")]
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><p>作者：<a href='#'>查看更多</a></p>{BODY}",
    )
    assert _names(case) == []


def test_a_text_files_credit_line_is_a_fact_too():
    text = (
        "某县推进乡村振兴\n\n"
        + "今年以来，该县坚持以党建引领乡村振兴，推动各项工作落实落细。\n\n" * 3
        + "（作者单位：某某县委党校）\n"
    )
    (case,) = import_source(text.encode(), "content/sources/p.txt").cases
    assert [(a.name, a.role) for a in case.authors] == [("某某县委党校", "作者单位")]
    assert "作者单位" not in "".join(b.text for b in case.blocks if hasattr(b, "runs"))


def test_without_a_title_the_only_h1_is_the_headline_and_its_poster_the_writer():
    """A forum page without a <title>: the first post's `主题:` heading and its poster."""
    case, warnings = _case(
        "",
        "<div>当前您在- 某某论坛 - 下载专区 点击数：39</div><h1>主题: 某县推进乡村振兴纪实</h1>"
        "<div>楼层： 第 1 楼 时间：2005-08-28 20:56:20</div><div>作者： 放飞&amp;心情</div>"
        f"<div>梁某某(港)</div>{LONG}",
    )
    assert case.title == "某县推进乡村振兴纪实"
    assert case.date == "2005-08-28T20:56:20" and _names(case) == [("放飞&心情", "作者")]
    assert any("the page has no <title>: the title is its only <h1>" in w for w in warnings)
    # an <h1> that is only a link is the site's name over every page, no headline
    case, _ = _case(
        "",
        "<h1><a href='/'>某某的网络日志首页</a></h1>"
        f"<h2>某县推进乡村振兴纪实</h2><div>梁某某(港)</div>{LONG}",
    )
    assert case.title == "某县推进乡村振兴纪实"
    # two <h1>: neither is the page's own; the heading over the text is, as a guess
    _, warnings = _case(
        "",
        "<h1>某某网络社区论坛首页</h1><h1>主题: 某县推进乡村振兴纪实</h1>"
        f"<div>梁某某(港)</div>{LONG}",
    )
    assert not any("its only <h1>" in w for w in warnings)


def test_a_printed_date_the_pages_code_contradicts_is_said():
    """The date under the headline is taken; a publishing date the page's code declares for
    another day is named beside it for the editor; a modification date is not."""
    head = "<title>某县推进乡村振兴</title><meta property='article:published_time' content='{}'>"
    body = f"<h1>某县推进乡村振兴</h1><div>2022-02-11 09:52</div>{BODY}"
    case, warnings = _case(head.format("2022-02-13T08:00:00+08:00"), body)
    assert case.date == "2022-02-11T09:52"
    assert any(
        "its code declares 2022-02-13T08:00:00 (article:published_time)" in w for w in warnings
    )
    _, warnings = _case(head.format("2022-02-11T10:00:00+08:00"), body)
    assert not any("its code declares" in w for w in warnings)
    # also when the writer is the one the code declares
    writer = "<meta name='author' content='张某某'>"
    _, warnings = _case(head.format("2022-02-13T08:00:00+08:00") + writer, body)
    assert any("its code declares 2022-02-13T08:00:00" in w for w in warnings)
    modified = "<title>某县推进乡村振兴</title><meta name='date' content='2022-03-01'>"
    _, warnings = _case(modified, body)
    assert not any("its code declares" in w for w in warnings)


def test_a_line_of_facts_between_bars_keys_without_colons():
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        "<h1>某县推进乡村振兴</h1>"
        "<div>发表于2014-08-24 21:30| 1164次阅读| 来源某某网| 0 条评论| 作者魏某</div>"
        f"{BODY}",
    )
    assert case.date == "2014-08-24T21:30" and case.source == "某某网"
    assert _names(case) == [("魏某", "作者")]
    assert "1164次阅读" not in "".join(b.text for b in case.blocks if hasattr(b, "runs"))


@pytest.mark.parametrize(
    "after, credited",
    [
        ("<div class='edit'>(责编：张某、李某某)</div>", [("张某", "责编"), ("李某某", "责编")]),
        ("<div>【我要纠错】 责任编辑：王某某</div>", [("王某某", "责任编辑")]),
    ],
)
def test_the_editors_after_the_text_are_credited_though_the_extractor_cut_them(after, credited):
    case, _ = _case(
        "<title>某县推进乡村振兴纪实--地方--某某网</title>",
        "<div class='text_title'><h1>某县推进乡村振兴纪实</h1>"
        "<div class='box01'><div class='fl'>2022年02月13日07:48 | 来源：某某日报</div></div></div>"
        f"<div class='rm_txt_con'>{LONG}{after}</div>",
    )
    assert _names(case) == credited


def test_a_unit_and_its_writer_in_brackets_closing_the_text():
    case, warnings = _case(
        "<title>某县推进乡村振兴纪实</title>",
        f"<h1>某县推进乡村振兴纪实</h1>{LONG}<p>（某县融媒体中心 张某某）</p>",
    )
    assert _names(case) == [("某县融媒体中心", "供稿"), ("张某某", "")]
    assert any("guess: 张某某, named in “（某县融媒体中心 张某某）”" in w for w in warnings)
    # the unit's role word is the name's role: the site's editor is no writer
    case, _ = _case(
        "<title>某县推进乡村振兴纪实</title>",
        f"<h1>某县推进乡村振兴纪实</h1><p>本报记者 王某某</p>{LONG}<p>（某某江网编辑 孙某某）</p>",
    )
    assert _names(case) == [("王某某", "本报记者"), ("孙某某", "编辑")]


def test_a_date_in_boxes_and_a_source_printed_over_the_headline():
    """`2022` `02/13` `07:48:12` in separate boxes and `来源：某某网` over the <h1>."""
    case, warnings = _case(
        "<title>某县推进乡村振兴纪实-某某网</title>",
        "<div><span><em> 2022</em></span><span><em> 02</em>/<em>13</em></span>"
        "<span> 07:48:12</span></div><div>来源：某某网</div>"
        f"<h1><span>某县推进乡村振兴纪实</span></h1>{LONG}",
    )
    assert case.date == "2022-02-13T07:48:12" and case.source == "某某网"
    assert not any("date" in w and "guess" in w for w in warnings)


def test_a_declared_writer_printed_under_the_headline_is_no_guess():
    """A WeChat article: `原创 张某某 某县发布 2022-02-13 10:00` under the headline and
    <meta name="author" content="张某某">."""
    head = "<title>某县推进乡村振兴纪实</title><meta name='author' content='张某某'>"
    meta = (
        "<div><span>原创</span> <span>张某某</span> <span><a href='#'>某县发布</a></span>"
        " <em>2022-02-13 10:00</em></div>"
    )
    case, warnings = _case(head, f"<h1>某县推进乡村振兴纪实</h1>{meta}{LONG}")
    assert _names(case) == [("张某某", "")] and case.date == "2022-02-13T10:00"
    assert not any("张某某" in w and "guess" in w for w in warnings)
    case, warnings = _case(head, f"<h1>某县推进乡村振兴纪实</h1><div>2022-02-13 10:00</div>{LONG}")
    assert _names(case) == [("张某某", "")]
    assert any("declared in the page's code, not printed" in w for w in warnings)
    # the name before the date, declared too: no guess
    case, warnings = _case(
        "<title>某县推进乡村振兴纪实</title><meta name='author' content='王某某'>",
        f"<h1>某县推进乡村振兴纪实</h1><div>王某某 2015-06-21 11:39:55</div>{LONG}",
    )
    assert _names(case) == [("王某某", "")]
    assert not any("guess" in w and "王某某" in w for w in warnings)


def test_a_menu_between_bars_over_the_text_is_no_headline():
    case, _ = _case(
        "<title>某某研究<某某在线</title>",
        "<div><a>快讯|世纪论坛|艺术史研究|电影|新媒体艺术</a></div><div>第一编 古代的艺术</div>"
        f"<div>第一章│第二章│第三章│第四章</div>{LONG}",
    )
    assert case.title == "第一编　古代的艺术"


def test_a_link_that_only_opens_the_title_is_no_headline():
    """`<title>Shop-Pubs blog--洞庭一叶</title>` and a sidebar link `Shop-Pubs`: the link
    leads to the shop; the heading over the text is the headline, as a guess."""
    case, warnings = _case(
        "<title>Shop-Pubs blog--洞庭一叶</title>",
        "<div><b>链接</b><br><a href='#'>Shop-Pubs</a></div>"
        + "".join(f"<div><a href='#'>友情链接第{n}个网站</a></div>" for n in range(12))
        + f"<h3>陈某某《警世钟》全文</h3>{LONG}",
    )
    assert case.title == "陈某某《警世钟》全文"
    assert any("the title is the line over the text" in w for w in warnings)


def test_a_name_in_square_brackets_is_a_byline_a_label_in_lenticular_ones_not():
    """`[ 黄某 ]  来源：[ 某某报 ]` under the headline; `【白某词谱】` is a label."""
    case, _ = _case(
        "<title>某县推进乡村振兴_某某网</title>",
        f"<h1>某县推进乡村振兴</h1><div>[ 黄某 ]  来源：[ 某某报 ]</div>{BODY}",
    )
    assert _names(case) == [("黄某", "")]
    case, _ = _case(
        "<title>某县推进乡村振兴_某某网</title>",
        f"<h1>某县推进乡村振兴</h1><div>【白某词谱】</div>{BODY}",
    )
    assert _names(case) == []


def test_the_date_of_another_article_listed_under_the_text_is_not_the_articles():
    related = "".join(
        f"<li><a href='#'>某市召开第{n}次工作会议</a> 2021-0{n}-1{n}</li>" for n in range(1, 6)
    )
    case, warnings = _case(
        "<title>某县推进乡村振兴纪实_某某网</title>",
        f"<h1>某县推进乡村振兴纪实</h1>{LONG}<div>相关新闻</div><ul>{related}</ul>",
    )
    assert case.date == ""
    assert any("no date found" in w for w in warnings)


@pytest.mark.parametrize(
    "line, date, source, credited",
    [
        (
            "发布者：张某某 发布时间：2022-02-13 浏览次数：123",
            "2022-02-13",
            "",
            [("张某某", "发布者")],
        ),
        ("信息来源：某县融媒体中心 发布时间：2022-02-13", "2022-02-13", "某县融媒体中心", []),
        (
            "文章来源：某某日报 作者：张某某 发布时间：2022-02-13",
            "2022-02-13",
            "某某日报",
            [("张某某", "作者")],
        ),
        (
            "来源：某县政府办 | 作者：张某某 | 发布时间：2022-02-13 | 浏览次数：",
            "2022-02-13",
            "某县政府办",
            [("张某某", "作者")],
        ),
        (
            "撰稿人：张某某 审核：李某某 发布时间：2022-02-13",
            "2022-02-13",
            "",
            [("张某某", "撰稿"), ("李某某", "审核")],
        ),
        ('作者： size="20" 发布日期：2022-02-13', "2022-02-13", "", []),
    ],
)
def test_a_sites_metadata_line_in_its_own_keys(line, date, source, credited):
    case, _ = _case(
        "<title>某县推进乡村振兴_某某网</title>",
        f"<h1>某县推进乡村振兴</h1><div>{line}</div>{BODY}",
    )
    assert (case.date, case.source, _names(case)) == (date, source, credited)
    assert not any(line[:6] in b.text for b in case.blocks if hasattr(b, "runs"))
    # who posted it on the site is credited, no writer
    assert all(a.role != "发布者" for a in case.writers)


def test_a_credit_line_in_a_sites_own_keys_closing_the_text():
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{LONG}<p>撰稿人：张某某 审核：李某某 信息来源：某县党建办</p>",
    )
    assert _names(case) == [("张某某", "撰稿"), ("李某某", "审核")]
    assert case.source == "某县党建办"
    assert "撰稿人" not in "".join(b.text for b in case.blocks if hasattr(b, "runs"))


def test_a_credit_with_link_text_after_its_bracket_is_no_line_of_credits():
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{LONG}<p>【编辑:刘某】 返回某某网，查看更多</p>",
    )
    assert all(a.name in ("刘某",) for a in case.authors)


def test_the_only_poster_line_of_a_blog_page_is_a_guessed_author():
    sidebar = "".join(f"<div><a href='#'>友情链接第{n}个网站</a></div>" for n in range(12))
    post = "<div><a href='#'>[某某文化]陈某某《警世钟》</a></div>"
    line = "<div><a href='#'>abcuser 发表于 2005-9-15 11:46:00</a></div>"
    case, warnings = _case("<title>某某 blog--洞庭一叶</title>", f"{sidebar}{post}{line}{LONG}")
    assert _names(case) == [("abcuser", "")]
    assert any("“abcuser”, who posted the text" in w for w in warnings)
    # far from the headline: the page's only poster line
    case, warnings = _case(
        "<title>陈某某《警世钟》全文_某某博客</title>",
        f"<h2>陈某某《警世钟》全文</h2>{sidebar}{line}{LONG}",
    )
    assert _names(case) == [("abcuser", "")]
    assert any("the page's only “… 发表于 …” line" in w for w in warnings)
    # two posters: a thread or a list of posts, none the author
    import lxml.html

    from publisher.readers.webpage import page_lines, sole_poster

    comment = "<div>某某网友 发表于 2005-9-16 10:00:00</div><p>写得好。</p>"
    for html, poster in ((f"{line}{LONG}", "abcuser"), (f"{line}{LONG}{comment}", "")):
        lines = page_lines(lxml.html.document_fromstring(f"<html><body>{html}</body></html>"))
        assert sole_poster(lines) == poster


def test_a_label_in_square_brackets_before_the_headline_is_its_series():
    case, _ = _case(
        "<title>[独家]某县推进乡村振兴纪实_某某网</title>",
        f"<h1>[独家]某县推进乡村振兴纪实</h1><div>2022-02-13 10:00</div>{LONG}",
    )
    assert (case.title, case.series) == ("某县推进乡村振兴纪实", "独家")


def test_several_role_marked_credits_on_the_closing_line_are_facts():
    """`（文/张某某 图/刘某 审核/陈某某）` closing a campus news item: each name under its role
    word, the writer a writer, the line out of the text; a bracket of other words is text."""
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<p>（文/张某某 图/刘某 审核/陈某某）</p>",
    )
    assert _names(case) == [("张某某", "文"), ("刘某", "图"), ("陈某某", "审核")]
    assert all("张某某" not in b.text for b in case.blocks if hasattr(b, "runs"))
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<p>文：张某 编辑：王某某</p>",
    )
    assert _names(case) == [("张某", "文"), ("王某某", "编辑")]
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<p>（文中数据 来自统计局）</p>",
    )
    assert _names(case) == []


def test_the_kicker_over_the_headline_and_the_dash_subtitle_under_it():
    """A paper's web page: the 引题 in a heading over the headline, the ——副题 under it, both
    outside the extract's text; a channel's name over the headline that the breadcrumb
    prints too is no kicker."""
    page = (
        "<div class='crumb'>首页 &gt; <a href='/c'>东区新闻动态</a></div>"
        "<h3 class='pre'>关注乡村体育</h3>"
        "<h1>某县推进乡村振兴</h1><h4>——某某村篮球赛见闻</h4>"
        f"<p>2023年08月01日08:42 来源：人民日报</p><div class='c'>{BODY}</div>"
    )
    case, warnings = _case("<title>某县推进乡村振兴--人民网</title>", page)
    assert (case.kicker, case.subtitle) == ("关注乡村体育", "某某村篮球赛见闻")
    assert any("kicker “关注乡村体育”" in w for w in warnings)
    text = "".join(getattr(b, "text", "") for b in case.blocks)
    assert "关注乡村体育" not in text and "篮球赛见闻" not in text
    channel = page.replace("<h3 class='pre'>关注乡村体育</h3>", "<h3>东区新闻动态</h3>")
    case, _ = _case("<title>某县推进乡村振兴--人民网</title>", channel)
    assert case.kicker == ""


def test_the_papers_page_closing_the_text_is_the_cases_page():
    """`《 人民日报 》（ 2023年08月01日 04 版）` closing a paper's article on its web page: the
    publication, the day and the page (04版), as a plain text's source line gives them."""
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<p>《 人民日报 》（ 2023年08月01日 04 版）</p>",
    )
    assert (case.publication, case.page) == ("人民日报", "04版")


def test_a_date_in_boxes_of_its_own_and_an_editor_after_a_button():
    """A news agency's page: the date over the headline in one box per number, written
    without spaces (<em>2023</em><em>08</em>/<em>01</em>), and the editor after the text
    run into a button (【纠错】【责任编辑:王某某】)."""
    page = (
        "<div class='time'><span><em>2023</em></span><span><em>08</em>/<em>01</em></span>"
        "<span>10:31:28</span></div><div>来源：新华网</div><h1>某县推进乡村振兴</h1>"
        f"<div id='detail'>{BODY}</div><div><span><a>【纠错】</a></span>"
        "<span>【责任编辑:王某某】</span></div><div><h3>新华推荐</h3><ul>"
        "<li><a href='/1'>某某地推进高质量发展纪实一组长标题</a></li>"
        "<li><a href='/2'>某某省召开全面深化改革工作会议长标题</a></li></ul></div>"
    )
    case, _ = _case("<title>某县推进乡村振兴-新华网</title>", page)
    assert case.date.startswith("2023-08-01")
    assert ("王某某", "责任编辑") in _names(case)


def test_a_long_line_of_facts_between_bars_under_the_headline_is_read():
    """A county media centre's page: one bar line of 75 characters under the headline
    (来源 | 作者 | 编辑 | 审核 | 发布时间 | 浏览量) is facts, not the text beginning; a video
    in the text is named in a warning, not dropped silently."""
    info = (
        "<div class='info'>来源：某某县融媒体中心 | 作者：张某某 | 编辑：李某 | 审核：王某某 |"
        " 发布时间：2023-05-06 17:20:33 | 浏览量：1356</div>"
    )
    page = (
        f"<div class='title'>某县推进乡村振兴</div>{info}<div class='content'>"
        + BODY.replace("</p>", "</p><p><video src='/v/0506.mp4' controls></video></p>", 1)
        + "</div>"
    )
    case, warnings = _case("<title>某县推进乡村振兴_某某县融媒体中心</title>", page)
    assert case.date.startswith("2023-05-06") and case.source == "某某县融媒体中心"
    assert _names(case) == [("张某某", "作者"), ("李某", "编辑"), ("王某某", "审核")]
    assert any(
        "videos in the article's text not kept" in w and "/v/0506.mp4" in w for w in warnings
    )
