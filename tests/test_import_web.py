"""Saved web pages from sites the importer has never seen: the general rules of issue 21,
each on a small page written here (not a copy of a real one)."""

from __future__ import annotations

import pytest

from publisher.model import Figure, Paragraph
from publisher.readers import import_source
from publisher.support.errors import ContentError

PARA = "今年以来，该县坚持以党建引领乡村振兴，推动各项工作落实落细，群众满意度持续提高。"
BODY = "".join(f"<p>{PARA}</p>" for _ in range(4))


def _page(head: str, body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def _import(html: bytes, name: str = "p.html"):
    return import_source(html, f"content/sources/{name}")


def _text(case) -> str:
    return "".join(b.text for b in case.blocks if isinstance(b, Paragraph))


def test_a_sidebar_of_headlines_is_no_digest():
    """A list of other headlines under the article (pictures with <h3> titles) is no evidence
    of a digest: the article before them stays whole, one case."""
    heads = ["某地举行技能大赛", "某市开通新公交线路", "某县召开党建会议"]
    sidebar = "".join(
        f"<div><img src='http://example.com/{n}.jpg' alt='{h}'><h3>{h}</h3></div>"
        for n, h in enumerate(heads)
    )
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<div class='article'><h1>某县推进乡村振兴</h1>{BODY}{sidebar}</div>",
    )
    result = _import(html)
    assert len(result.cases) == 1
    assert _text(result.cases[0]).count(PARA) == 4
    assert not any("digest" in d.message for d in result.diagnostics)


def test_headline_and_date_line_under_it_win_over_the_page_code():
    """The headline is the line repeating the <title> less its site name; the date is the
    one printed under it (a site name before it, a time run on), not the page code's."""
    html = _page(
        "<title>某县推进乡村振兴_新闻中心_某县新闻网</title>"
        "<meta name='publishdate' content='2019-01-01'>",
        "<div class='crumb'>您所在的位置：首页 &gt; 新闻中心</div>"
        "<div><font size='5'>某县推进乡村振兴</font></div>"
        "<div>WWW.EXAMPLE.CN　2021年7月16日08:19 [ 张三 ]  来源：[ 某县日报 ]</div>"
        f"<div class='text'>{BODY}</div>"
        "<ul><li>其他新闻（2018-03-02 10:00）</li></ul>",
    )
    (case,) = _import(html).cases
    assert case.title == "某县推进乡村振兴"
    assert case.date == "2021-07-16T08:19"
    assert [a.name for a in case.authors] == ["张三"] and case.source == "某县日报"


def test_a_key_alone_on_its_line_takes_the_value_on_the_next():
    html = _page(
        "<title>某县推进乡村振兴</title>",
        "<h2>某县推进乡村振兴</h2><table><tr><td>发布日期：</td></tr>"
        "<tr><td>9/17/2004 5:54:13 PM</td></tr></table>"
        f"<div class='text'>{BODY}</div>",
    )
    (case,) = _import(html).cases
    assert case.date == "2004-09-17T17:54:13"


def test_a_title_naming_only_the_site_gives_way_to_the_line_over_the_text():
    result = _import(
        _page(
            "<title>欢迎访问某某研究中心</title>",
            "<div>首页 | 个人专栏</div><p><font size='4'>我是怎样走上研究之路的</font></p>"
            f"<p>林茉莉</p>{BODY}",
        )
    )
    (case,) = result.cases
    assert case.title == "我是怎样走上研究之路的"
    assert [a.name for a in case.authors] == ["林茉莉"]
    messages = [d.message for d in result.diagnostics]
    assert any(m.startswith("guess: no line of the page repeats its <title>") for m in messages)
    assert any(m.startswith("guess: the name alone under the headline") for m in messages)


def test_a_headline_printed_over_two_lines():
    html = _page(
        "<title>凝聚强大智慧和力量——热烈祝贺某会议开幕_某市人民政府</title>",
        "<p>凝聚强大智慧和力量</p><div>——热烈祝贺某会议开幕</div>"
        f"<ul><li>2022-02-11 09:52</li></ul><div>{BODY}</div>",
    )
    (case,) = _import(html).cases
    assert case.title == "凝聚强大智慧和力量" and case.date == "2022-02-11T09:52"


def test_a_byline_with_its_publication_before_the_role():
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><div>{PARA}</div><p>光明日报记者 王某某 张某某</p>{BODY}",
    )
    (case,) = _import(html).cases
    assert [(a.name, a.role) for a in case.authors] == [("王某某", "记者"), ("张某某", "记者")]
    assert "光明日报记者" not in _text(case)


def test_json_ld_declares_title_date_and_author():
    ld = (
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "某县推进乡村振兴",'
        ' "datePublished": "2023-04-05T08:00:00+08:00", "author": {"@type": "Person",'
        ' "name": "李某"}}'
    )
    result = _import(
        _page(
            f"<title>新闻中心</title><script type='application/ld+json'>{ld}</script>",
            f"<div>某县推进乡村振兴</div><div>{BODY}</div>",
        )
    )
    (case,) = result.cases
    assert case.title == "某县推进乡村振兴" and case.date.startswith("2023-04-05")
    assert [a.name for a in case.authors] == ["李某"]
    messages = [d.message for d in result.diagnostics]
    assert any(m.startswith("guess: author 李某 declared in the page's code") for m in messages)


def test_headline_lists_before_and_after_the_text_are_dropped_and_reported():
    others = "".join(f"<p>其他新闻标题第{n}条</p>" for n in "一二三四")
    result = _import(
        _page(
            "<title>某县推进乡村振兴</title>",
            f"<h1>某县推进乡村振兴</h1><div class='article'>{others}{BODY}"
            "<h3>重点推荐</h3><p>证券要闻</p><p>某公司关于某事项的公告 2015/07/04</p>"
            "<p>0 人参与</p><p>网友评论仅供其表达个人看法，并不表明本网立场。</p></div>",
        )
    )
    (case,) = result.cases
    assert _text(case) == PARA * 4
    messages = [d.message for d in result.diagnostics]
    assert any("after the article's last sentence dropped" in m for m in messages), messages
    assert any("short lines before the article's text dropped" in m for m in messages)


def test_a_signature_after_the_last_sentence_is_kept():
    html = _page(
        "<title>致全县党员的一封信</title>",
        f"<h1>致全县党员的一封信</h1><div>{BODY}<p>中共某县委员会</p><p>2021年7月1日</p></div>",
    )
    (case,) = _import(html).cases
    assert "中共某县委员会" in _text(case)


def test_a_digest_needs_items_with_sentences():
    """Two headings, each over a list of dated headlines: no digest, one article."""
    rows = "".join(f"<p>某公司关于某事项的公告第{n}号 2015/07/04</p>" for n in range(3))
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<div><h1>某县推进乡村振兴</h1><p>{PARA * 2}</p><h1>重点推荐</h1>{rows}</div>",
    )
    result = _import(html)
    assert len(result.cases) == 1
    assert not any("digest" in d.message for d in result.diagnostics)


def test_a_byline_closing_the_last_paragraph_is_taken_out():
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><div>{BODY}<p>{PARA}（常某某 马某某 ）</p></div>",
    )
    result = _import(html)
    (case,) = result.cases
    assert [a.name for a in case.authors] == ["常某某", "马某某"]
    assert _text(case) == PARA * 5


def test_link_text_and_labels_are_never_authors():
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><p>人物画像</p><div>{BODY}</div><p>■相关链接</p>"
        f"<p>{PARA}（见下表）</p>",
    )
    (case,) = _import(html).cases
    assert case.authors == ()


def test_a_place_filed_from_is_no_name():
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><p>新京报记者 彭某 山东冠县报道</p><div>{BODY}</div>",
    )
    (case,) = _import(html).cases
    assert [a.name for a in case.authors] == ["彭某"]


def test_wechat_sections_of_spans_hidden_until_a_script_runs():
    """WeChat's editor: each paragraph a <section> of <span>s, the whole text hidden until
    the page's script shows it; the account and date line under the headline are facts."""
    sections = "".join(
        f"<section style='margin:0'><span style='font-size:15px'>{PARA}</span>"
        f"<span style='font-size:15px'>{PARA}</span></section>"
        for _ in range(5)
    )
    html = _page(
        "<title>某县推进乡村振兴</title>",
        "<div id='js_article'><h1 id='activity-name'>某县推进乡村振兴</h1>"
        "<div><span id='js_name'>某县发布</span><em id='publish_time'>2023-04-05 08:00</em>"
        f"</div><div id='js_content' style='visibility: hidden;'>{sections}</div>"
        "<div>微信扫一扫关注该公众号</div></div>",
    )
    (case,) = _import(html).cases
    paras = [b.text for b in case.blocks if isinstance(b, Paragraph)]
    assert paras == [PARA * 2] * 5
    assert case.date == "2023-04-05T08:00"


def test_a_gbk_page_with_a_stray_byte_is_read_as_a_browser_shows_it():
    page = _page("<title>某县推进乡村振兴</title>", f"<h1>某县推进乡村振兴</h1>{BODY}")
    data = page.decode().replace("charset='utf-8'", "charset='gbk'").encode("gbk")
    damaged = data.replace("满意度".encode("gbk"), b"\xff\xff\xff", 1)
    result = _import(damaged)
    (case,) = result.cases
    assert _text(case).count(PARA) == 3
    assert any("shown as �" in d.message for d in result.diagnostics)


def test_a_page_that_is_only_a_notice_is_refused_naming_the_file():
    html = _page("<title>某某公众号</title>", "<div>该内容已被发布者删除</div><a href='/'>首页</a>")
    with pytest.raises(ContentError) as err:
        _import(html, "gone.html")
    message = str(err.value)
    assert message.startswith("content/sources/gone.html") and "only a notice" in message
    assert "\n" not in message


def test_a_login_widget_beside_an_article_is_no_notice():
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<div>请登录后查看评论</div><h1>某县推进乡村振兴</h1>{BODY * 3}",
    )
    assert len(_import(html).cases) == 1


def test_the_densest_text_block_is_the_articles_not_the_link_lists():
    import lxml.html

    from publisher.readers.webpage import densest_block

    links = "".join(f"<li><a href='/{n}'>{PARA}</a></li>" for n in range(8))
    root = lxml.html.document_fromstring(
        f"<html><body><ul>{links}</ul><div><div>{PARA}<br>{PARA}<br>"
        f"<a href='/x'>{PARA}</a></div></div></body></html>"
    )
    assert densest_block(root).replace("\n", "") == PARA * 2


@pytest.mark.parametrize(
    "title, place",
    [
        ("融水：党建引领助推精准脱贫", "融水"),
        ("交通运输部：推进某事", ""),
        ("午间公告：某事", ""),
        ("李某某：培育长期稳定的市场", ""),
        ("资中县坚持党建引领", "资中县"),
    ],
)
def test_a_place_is_never_a_body_a_column_or_a_person(title, place):
    from publisher.readers.rules.facts import find_place

    assert find_place(title) == place


def test_every_reader_warns_of_a_missing_author_and_reads_the_datelines_region():
    """One case builder: the Markdown reader does what the text reader does."""
    text = f"某县推进乡村振兴\n\n本报石家庄7月17日电 {PARA}\n"
    md = f"# 某县推进乡村振兴\n\n本报石家庄7月17日电 {PARA}\n"
    for name, data in (("a.txt", text), ("a.md", md)):
        result = import_source(data.encode(), f"content/sources/{name}")
        (case,) = result.cases
        assert case.region == "河北", name
        assert any(d.message.startswith("no author found") for d in result.diagnostics), name


def test_a_headline_broken_over_lines_is_read_whole():
    html = _page(
        "<title>某省人民政府关于禁止在某工程征地范围内新增建设项目的通告_某省人民政府</title>",
        "<div>某省人民政府关于禁止在</div><div>某工程征地范围内新增建设项目的通告</div>"
        f"<div>2022年01月28日</div><div>{BODY}</div>",
    )
    (case,) = _import(html).cases
    assert case.title == "某省人民政府关于禁止在某工程征地范围内新增建设项目的通告"
    assert case.date == "2022-01-28"


def test_an_essays_closing_date_line_dates_it():
    html = _page(
        "<title>欢迎访问某某中心</title>",
        f"<h2>论某某问题</h2><div>{BODY}<p>——《某某杂志》1998年3月号</p></div>",
    )
    result = _import(html)
    (case,) = result.cases
    assert case.date == "1998-03"
    assert any("from the line closing the article" in d.message for d in result.diagnostics)


def test_private_use_characters_are_no_text():
    html = _page("<title>投身外交(3)_读书</title>", f"<h1>投身外交(3)\ue004</h1>{BODY}")
    (case,) = _import(html).cases
    assert case.title == "投身外交（3）"


@pytest.mark.parametrize(
    "line, names",
    [
        ("执笔/张某某", ["张某某"]),
        ("执笔人：闵某 赵某某", ["闵某", "赵某某"]),
        ("新华网某某频道 记者 伊某 李某某", ["伊某", "李某某"]),
    ],
)
def test_bylines_in_their_printed_forms(line, names):
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><div>{BODY}</div><p>{line}</p>",
    )
    (case,) = _import(html).cases
    assert [a.name for a in case.authors] == names
    assert not case.headings and line not in _text(case)


def test_a_sectioned_article_with_a_table_of_contents_and_a_lead_is_one_case():
    """An encyclopedia entry or a long report: a lead of sentences, a table of contents
    naming its sections, sections with text. The lead says it is one article: no digest."""
    sections = ["早年经历", "主要工作", "社会评价"]
    toc = "".join(f"<li><a href='#s{n}'>{n + 1} {h}</a></li>" for n, h in enumerate(sections))
    parts = "".join(
        f"<h2 id='s{n}'>{h}</h2><p>{PARA.replace('该县', f'该县第{n}组')}</p>"
        f"<p>{PARA.replace('今年', f'第{n}年')}</p>"
        for n, h in enumerate(sections)
    )
    lead = "".join(f"<p>{PARA.replace('该县', unit)}</p>" for unit in ("该中心", "该所", "该室"))
    html = _page(
        "<title>某某研究中心</title>",
        f"<div class='entry'><h1>某某研究中心</h1>{lead}<ul>{toc}</ul>{parts}</div>",
    )
    result = _import(html)
    assert len(result.cases) == 1
    assert not any("digest" in d.message for d in result.diagnostics)


@pytest.mark.parametrize(
    "line",
    [
        "首页 | 时事 | 生活 | 财经 | 法律 | 文体",  # a menu row
        "注册 | 登入 | FAQ | 某某主页 | 大家论坛 Saturday, September 10th",  # one runs on
        "企业服务首页 > 产经资讯 > 商贸 > > 专题 > 正文",  # a breadcrumb without its label
        "某网首页--> 主频道--> 商业·能源--> 电力",
        "您的位置：主页>艺术史研究>工作室",
        "当前位置：",  # the label left when the path is links
        "当前位置：洛阳",
        "第1页/共3页 << 上一页 | 下一页 >>",  # a pager
        "[上一篇] [下一篇]",
        "你可以使用这个链接引用该篇文章 http://blog.example.com/tb?id=1",  # a trackback
        "扫描左侧二维码即可添加某某公众号，更多资讯。",  # a follow-us line
        "是否“确认”跳转到登录页？",
        "已收藏",
        "反侵权公告：",
        "版权声明：本文为本站原创，未经许可不得使用。",
        "本站文章均从网上收集，如有版权争议，请联系站长：someone@example.com",
    ],
)
def test_page_furniture_lines_are_chrome(line):
    from publisher.readers.rules.chrome import classify

    assert classify(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "图说 | 某某学院：剪窗花过新年",  # a headline with a section label
        "收入增长 > 支出增长 > 预期增长",  # a comparison, no home page or label
        "甲 | 乙",
        "分享发展成果，让群众共享改革红利。",
        # a copyright owner quoted, the sentence closing inside the quotation
        "唱片工会表示：“使用其它音乐时，一定要获得版权所有者的许可。”",
        "该公司是这项专利的版权所有方。",
    ],
)
def test_article_lines_like_furniture_are_text(line):
    from publisher.readers.rules.chrome import classify

    assert classify(line) is None


def test_a_sites_notice_set_as_a_heading_goes_with_its_numbered_clauses():
    clauses = "".join(
        f"<p>{n}、任何单位或个人使用本报社的原创内容，必须事先取得书面授权，否则将追究其法律责任。</p>"
        for n in "一二"
    )
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><div>{BODY}<p><b>反侵权公告：</b></p>{clauses}</div>",
    )
    (case,) = _import(html).cases
    assert _text(case) == PARA * 4 and not case.headings


def test_a_notices_signature_stays_text_whatever_follows_it():
    """特此通告。, the issuer in bold and the date under it close a notice: text, never a
    heading or a date line taken out, even with a list of other headlines after them."""
    others = "".join(f"<p>其他新闻标题第{n}条</p>" for n in "一二三四")
    html = _page(
        "<title>致全县党员的一封信</title>",
        f"<h1>致全县党员的一封信</h1><div>{BODY.replace(PARA, PARA * 2)}<p>特此通告。</p>"
        "<p><b>中共某县委员会</b></p>"
        f"<p><b>2021年7月1日</b></p><h3>相关新闻</h3>{others}</div>",
    )
    (case,) = _import(html).cases
    assert _text(case).endswith("特此通告。中共某县委员会2021年7月1日")
    assert not case.headings


def test_a_textarea_holding_a_galleries_template_is_no_text_block():
    """A photo gallery keeps its HTML template in a <textarea>: no text a reader sees, so
    never the page's densest block (the safety net compared the import with it)."""
    import lxml.html

    from publisher.readers.webpage import densest_block

    template = "".join(f"&lt;li&gt;{PARA}{n}&lt;/li&gt;" for n in range(8))
    root = lxml.html.document_fromstring(
        f"<html><body><div><textarea>{template}</textarea></div>"
        f"<div><p>{PARA}</p><p>{PARA}</p></div></body></html>"
    )
    assert densest_block(root).replace("\n", "") == PARA * 2


def test_a_comment_section_and_what_follows_it_are_dropped_and_reported():
    teasers = "".join(
        f"<p>{h}</p><p>{h}的故事还在继续，{PARA}</p>" for h in ("某公司告官", "某老人的晚年")
    )
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><table><tr><td>{BODY}<p>最新评论</p>"
        f"<p>更多评论 共 0 条评论</p><p>·点击注册某某部落</p>{teasers}</td></tr></table>",
    )
    result = _import(html)
    (case,) = result.cases
    assert _text(case) == PARA * 4
    assert any("comment section dropped (最新评论" in d.message for d in result.diagnostics)


def test_a_line_introducing_the_photos_under_the_text_stays_with_them():
    """以下为公告： and the photos of the notice after the last sentence are the article's,
    though a list of other headlines follows them."""
    rows = "".join(f"<p>某公司关于某事项的公告第{n}号 评论{n}8条</p>" for n in range(4))
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><div>{BODY.replace(PARA, PARA * 2)}<p>以下为公告：</p>"
        "<p><img src='http://x.cn/notice-1.jpg'></p><p><img src='http://x.cn/notice-2.jpg'></p>"
        f"<p>48小时评论排行</p>{rows}</div>",
    )
    (case,) = _import(html).cases
    assert _text(case).endswith("以下为公告：")
    assert sum(isinstance(b, Figure) for b in case.blocks) == 2


def test_an_apps_promotion_after_the_text_is_no_line_introducing_photos():
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><div>{BODY.replace(PARA, PARA * 2)}<p>会赚钱的客户端：</p>"
        "<p><img src='http://x.cn/app-code.jpg'></p><p>48小时评论排行</p>"
        "<p>某公司关于某事项的公告 评论18条</p><p>某公司关于某事项的公告 评论28条</p></div>",
    )
    (case,) = _import(html).cases
    assert "客户端" not in _text(case)


def test_a_long_paragraph_stopping_mid_sentence_is_still_the_articles_text():
    """The article's last paragraph may stop without closing its sentence (a bracket left
    open by the site): long and in clauses, it is text, and so is all before it."""
    last = (
        "6、团队实际能力可管理的资金规模有多大，目前有多大：团队实际管理能力在三十亿左右"
        "（有客户问：但是产品发行就有三十亿，你们怎么管。他们答：按渠道分别管理"
    )
    rows = "".join(f"<p>其他新闻标题第{n}条</p>" for n in "一二三")
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><div>{BODY.replace(PARA, PARA * 2)}<p>{last}</p>{rows}</div>",
    )
    (case,) = _import(html).cases
    assert _text(case).endswith(last)
