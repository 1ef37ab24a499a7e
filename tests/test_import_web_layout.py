"""Saved web pages: what the page's layout says (issue 21, items 6, 8, 9): captions under
photos, headings broken off by <br>, spaces between inline elements. Each on a small page
written here (not a copy of a real one)."""

from __future__ import annotations

from publisher.model import Figure, Heading, Paragraph
from publisher.readers import import_source
from publisher.text.textcheck import MISSING_CAPTION

# distinct sentences: an extractor reads repeated paragraphs as boilerplate
BODY = "".join(
    f"<p>今年以来，该县第{n}小组坚持以党建引领乡村振兴，推动各项工作落实落细，群众满意度持续提高。</p>"
    for n in "一二三四五六"
)


def _import(body: str):
    html = (
        "<html><head><meta charset='utf-8'><title>某县推进乡村振兴</title></head><body>"
        f"<div class='article'><h1>某县推进乡村振兴</h1>{BODY}{body}{BODY}</div></body></html>"
    )
    return import_source(html.encode(), "content/sources/p.html")


def _blocks(body: str):
    (case,) = _import(body).cases
    return [b for b in case.blocks if not (isinstance(b, Paragraph) and "小组" in b.text)]


def test_a_centred_line_under_a_photo_is_its_caption_never_the_file_name():
    blocks = _blocks(
        "<p style='text-align: center'><img src='http://x.cn/IMG_2033.JPG' title='IMG_2033.JPG'>"
        "</p><p style='text-align: center'><strong>县委书记在田间调研</strong></p>"
    )
    assert blocks == [Figure("县委书记在田间调研")]


def test_a_short_line_in_a_caption_element_is_the_caption():
    blocks = _blocks(
        "<div class='pic'><img src='http://x.cn/a.jpg'>"
        "<span class='img_desc'>新建的村部</span></div>"
    )
    assert blocks == [Figure("新建的村部")]


def test_two_stacked_captions_stay_two():
    blocks = _blocks(
        "<p><img src='http://x.cn/a.jpg'></p><p><img src='http://x.cn/b.jpg'></p>"
        "<p align='center'><b>村民在田间劳作</b></p><p align='center'><b>新建的村部</b></p>"
    )
    assert blocks == [Figure("村民在田间劳作"), Figure("新建的村部")]


def test_a_line_under_a_photo_that_is_not_set_as_a_caption_stays_text():
    blocks = _blocks(
        "<p><img src='http://x.cn/a.jpg'></p><p>村民在田间劳作，新建的村部投入使用。</p>"
    )
    assert blocks[0] == Figure(MISSING_CAPTION)
    assert blocks[1].text == "村民在田间劳作，新建的村部投入使用。"


def test_a_photo_dropped_is_named_in_a_warning():
    result = _import(
        "<table><tr><td>村里的新变化<img src='http://x.cn/thumb.jpg'></td></tr></table>"
    )
    assert any(
        "not kept" in d.message and "http://x.cn/thumb.jpg" in d.message for d in result.diagnostics
    )


def test_a_heading_over_a_line_break_is_never_joined_to_the_text():
    blocks = _blocks(
        "<p><strong>一、强化组织领导</strong><br>全县建立三级书记抓乡村振兴责任制，层层压实责任。</p>"
    )
    assert blocks[0] == Heading(1, "一、强化组织领导")
    assert blocks[1].text == "全县建立三级书记抓乡村振兴责任制，层层压实责任。"


def test_a_sentence_the_page_wrapped_with_a_line_break_is_one_paragraph():
    blocks = _blocks(
        "<p>全县建立三级书记抓乡村振兴责任制，层层压实责任，确保党中央各项惠民<br>"
        "政策落到实处，群众得到实实在在的好处。</p>"
    )
    assert [b.text for b in blocks] == [
        "全县建立三级书记抓乡村振兴责任制，层层压实责任，确保党中央各项惠民"
        "政策落到实处，群众得到实实在在的好处。"
    ]


def test_inline_elements_join_without_inventing_spaces_and_keep_real_ones():
    blocks = _blocks(
        "<p>全县<strong>加强</strong>\n<strong>队伍建设</strong>，北京\n天津两地<b>Open</b> Source"
        "社区和<b>中国</b>&nbsp;<b>人民</b>都来参观，效果很好。</p>"
    )
    assert [b.text for b in blocks] == [
        "全县加强队伍建设，北京天津两地Open Source社区和中国 人民都来参观，效果很好。"
    ]


def test_a_hard_wrapped_essay_with_its_end_mark_and_cited_issue():
    """An old page's essay wrapped with <br> at 36 characters: its title, byline and
    ——subtitle over the text are found, a closing note and end mark end the last sentence
    (the text is kept whole), and the line citing the periodical's issue dates it and names
    the publication."""
    wrapped = "<br>\n".join(
        [
            "文化革命是一场有着极为广泛的群众参与的政治运动。因此，如何理解这种",
            "广泛的群众参与，就成为理解文革研究的一个重要内容，本文试图从政治心理学的角度",
            "给出解释。",
            "",
            "二、高度政治化的社会",
            "众所周知，当年的社会是一个高度政治化的社会，在人类生活中，政治本来就占有",
            "相当重要的地位。(未完待续)□",
            "——《某某之春》1996年6月号",
        ]
    )
    html = (
        "<html><head><meta charset='utf-8'><title>显示</title></head><body>"
        "<p align='center'><strong>比赛革命的革命</strong></p><hr>"
        f"<p> 林某某<br><br>——对某某问题的分析<br><br>一、理解的一个重要内容<br><br>{wrapped}</p>"
        "</body></html>"
    )
    (case,) = import_source(html.encode(), "content/sources/p.html").cases
    assert case.title == "比赛革命的革命" and case.subtitle == "对某某问题的分析"
    assert [a.name for a in case.authors] == ["林某某"]
    assert (case.date, case.publication) == ("1996-06", "某某之春")
    text = [b.text for b in case.blocks]
    assert text[-1].endswith("相当重要的地位。（未完待续）□")
    assert not any("1996" in t for t in text)


def test_a_sites_buttons_and_its_numbered_notice_are_no_text():
    blocks = _blocks(
        "<p>【打印本稿】</p><p>【关闭】</p><p><b>某某网版权与免责声明：</b></p>"
        "<p>① 凡本网注明“来源：某某网”的所有作品，版权均属于某某网，未经本网授权不得转载。</p>"
        "<p>③ 如因作品内容、版权和其它问题需要同本网联系的，请在30日内进行。</p>"
    )
    assert blocks == []


def test_text_loose_in_a_layout_tables_cell_after_a_paragraph_is_kept():
    """An old page's table cell: a paragraph, then text straight in the cell (the next
    paragraph, typed without its <p>), then another paragraph: all three are text."""
    loose = "，还在香港时，他就为当时的宣传刊物改稿，从此与他熟悉起来，这段经历影响了他的一生。"
    html = (
        "<html><head><meta charset='utf-8'><title>某县推进乡村振兴</title></head><body>"
        "<table><tr><td><h1>某县推进乡村振兴</h1></td></tr><tr><td>"
        f"{BODY}<p>国际新闻局开张伊始，就酝酿创办对外刊物。萧某是这份刊物的元老</p>{loose}"
        f"<p>随着新时代的到来，许多进步文化人纷纷来到京城，投身新的事业之中。</p>{BODY}"
        "</td></tr></table></body></html>"
    )
    (case,) = import_source(html.encode(), "content/sources/p.html").cases
    text = "".join(b.text for b in case.blocks if isinstance(b, Paragraph))
    assert loose in text and "投身新的事业之中" in text


def test_a_section_name_over_the_headline_is_no_heading_of_the_article():
    """A campus CMS page (the common WebPlus layout): the sidebar's section name (`学校要闻`)
    stands over the headline in the extract; the headline is the heading the <title> names,
    the section name is dropped in a guess: warning, and neither is a heading of the text."""
    from publisher.readers import import_source

    side = "".join(
        f"<li><a href='/a{n}'>{t}</a><span>0{n}-2{n}</span></li>"
        for n, t in enumerate(
            ("我校举行新学期工作部署会", "我校获批一流本科课程", "校领导走访慰问"), 1
        )
    )
    text = (
        "<p>3月1日下午，学校2023年党建工作会议在图书馆报告厅召开。校党委书记王某某出席会议并"
        "讲话，校长李某某主持会议。</p><p>王某某指出，过去一年，学校各级党组织深入学习贯彻党的"
        "二十大精神，全面加强党的建设，为学校事业发展提供了坚强保证。</p><p>李某某要求，各单位要"
        "认真抓好会议精神的贯彻落实，以高质量党建引领学校高质量发展。</p>"
    )
    page = (
        "<html><head><meta charset='utf-8'><title>我校召开2023年党建工作会议-某某大学新闻网"
        "</title></head><body><div class='top'><a href='/'>首页</a> <a href='/x'>学校要闻</a>"
        "</div><div class='main'><div class='left'><h3>学校要闻</h3>"
        f"<ul>{side}</ul></div><div class='right'><h1>我校召开2023年党建工作会议</h1>"
        "<p>发布时间：2023-03-02</p><div class='wp_articlecontent'>"
        f"{text}</div><div class='pager'>上一条：<a href='/p'>我校举行新学期工作部署会</a>"
        "</div></div></div><div class='foot'>版权所有：某某大学</div></body></html>"
    )
    result = import_source(page.encode(), "content/sources/campus.html")
    (case,) = result.cases
    assert case.title == "我校召开2023年党建工作会议"
    assert [b for b in case.blocks if type(b).__name__ == "Heading"] == []
    assert any("section name: 学校要闻" in d.message for d in result.diagnostics)


WECHAT_TEXT = "".join(
    f"<section><span>今年以来，某某村党支部第{n}小组坚持党建引领、股份合作、共同富裕的思路，"
    "组织群众以土地、资金入股村集体合作社，走出了一条村强民富的新路子。</span></section>"
    for n in "一二三四"
)


def _wechat_page(picture: str) -> bytes:
    return (
        "<html><head><meta charset='utf-8'><title>某某村“红色股份”带富一方</title>"
        "<meta name='author' content='王小明'></head><body>"
        "<h1 class='rich_media_title'>某某村“红色股份”带富一方</h1>"
        "<div id='meta_content'><em id='publish_time'>2023-06-12 08:30</em></div>"
        "<div class='rich_media_content' id='js_content' style='visibility: hidden;'>"
        f"<section style='text-align: center;'>{picture}</section>"
        "<section style='text-align: center;'><span>村民在合作社分红现场领取红利</span></section>"
        f"{WECHAT_TEXT}<section><img data-src='https://mmbiz.qpic.cn/qr/640'></section>"
        "<section style='text-align:center'><span>长按识别二维码关注我们</span></section>"
        "</div><div id='js_pc_qr_code'><p>微信扫一扫<br>关注该公众号</p></div></body></html>"
    ).encode()


def test_a_wechat_article_keeps_its_lazy_extensionless_photo_with_its_caption():
    """WeChat's editor: each picture alone in a <section>, its address in data-src (a
    script moves it to src) with no file extension (…/640?wx_fmt=jpeg), its caption the
    centred line under it; the code to scan at the end and its prompt are furniture."""
    from publisher.readers import import_source

    for picture in (
        "<img data-src='https://mmbiz.qpic.cn/abc/640?wx_fmt=jpeg' data-type='jpeg'>",
        "<img src='data:image/gif;base64,R0lGOD' data-src='https://mmbiz.qpic.cn/abc/640'>",
    ):
        result = import_source(_wechat_page(picture), "content/sources/wechat.html")
        (case,) = result.cases
        kinds = [type(b).__name__ for b in case.blocks]
        assert kinds == ["Figure"] + ["Paragraph"] * 4, kinds
        assert case.blocks[0].caption == "村民在合作社分红现场领取红利"
        text = "".join(getattr(b, "text", "") for b in case.blocks)
        assert "二维码" not in text and "扫一扫" not in text and "公众号" not in text


def test_a_notices_addressees_and_signature_date_stay_its_text():
    """A government notice under its record table: the addressee line (…各部门：) opens the
    text, never part of the table's short lines; the signature's date after the first
    sentence is the notice's text, not a date line under the headline."""
    from publisher.readers import import_source

    record = "".join(
        f"<tr><td>{k}</td><td>{v}</td></tr>"
        for k, v in (("索引号：", "1133/2023-00123"), ("发布机构：", "某某县人民政府办公室"))
        + (("发文字号：", "某政办发〔2023〕12号"), ("成文日期：", "2023-04-14"))
    )
    page = (
        "<html><head><meta charset='utf-8'><title>某某县关于印发乡村振兴工作方案的通知_某某县"
        f"人民政府</title></head><body><table>{record}</table><h1>某某县关于印发乡村振兴工作"
        "方案的通知</h1><div>发布时间：2023-04-18 09:12 来源：县政府办</div><div class='c'>"
        "<p>各乡镇人民政府，县政府各部门：</p><p>《某某县乡村振兴工作方案》已经县政府同意，"
        "现印发给你们，请结合实际认真贯彻落实。</p><p>某某县人民政府办公室</p>"
        "<p>2023年4月14日</p><p>为深入贯彻落实中央和省、市关于全面推进乡村振兴的决策部署，"
        "扎实做好今年全县乡村振兴重点工作，制定本方案，请各单位认真组织实施。</p></div>"
        "</body></html>"
    )
    result = import_source(page.encode(), "content/sources/notice.html")
    (case,) = result.cases
    texts = [b.text for b in case.blocks]
    assert texts[0] == "各乡镇人民政府，县政府各部门："
    assert "2023年4月14日" in texts


def test_a_page_that_is_one_of_several_says_the_article_may_go_on():
    """An article printed over several pages, saved at its first: its pager (`1/2` beside
    下一页, `第1页/共3页`) is named in a warning; its last page, and a date beside
    下一篇, are not."""
    from publisher.readers import import_source

    text = "".join(
        f"<p>今年以来，该县第{n}小组坚持以党建引领乡村振兴，推动各项工作落实落细，"
        "群众满意度持续提高，村集体经济收入稳步增长。</p>"
        for n in "一二三四"
    )

    def warnings(pager: str) -> list[str]:
        page = (
            "<html><head><meta charset='utf-8'><title>某县推进乡村振兴</title></head><body>"
            f"<h1>某县推进乡村振兴</h1><div class='c'>{text}</div><div>{pager}</div></body></html>"
        )
        result = import_source(page.encode(), "content/sources/paged.html")
        return [d.message for d in result.diagnostics if "one of several" in d.message]

    assert warnings("<a>上一页</a> 1/2 <a>下一页</a>")
    assert warnings("第1页/共3页 <a>下一页</a>")
    assert not warnings("<a>上一页</a> 2/2 <a>下一页</a>")
    assert not warnings("2019/09/05 <a>下一页：某县召开工作会</a>")
