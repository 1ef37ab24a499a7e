"""Markdown and HTML sources import to the same content model as plain text."""

from __future__ import annotations

import pytest

from publisher.model import Figure, Heading, Paragraph
from publisher.readers import import_source
from publisher.support.errors import ContentError
from publisher.text.textcheck import MISSING_CAPTION

PARA = "今年以来，该县坚持以党建引领乡村振兴，推动各项工作落实落细，群众满意度持续提高。"

DIGEST = f"""# 每日要闻

**日期**: 2018年10月17日
**爬取时间**: 2025-12-12 11:52:53

---

今日主要内容：

* 某县召开党建工作会议
* 00:01:02
* 乡村振兴取得新进展
* 00:02:00

以下为全文：

### 某县召开党建工作会议

{PARA}

{PARA}

乡村振兴取得新进展

{PARA}

————–

网站：http://example.com/

---

*来源: http://example.com/*
"""


def _md(text: str, name: str = "content/sources/x.md"):
    return import_source(text.encode("utf-8"), name)


def test_markdown_digest_splits_into_items():
    result = _md(DIGEST)
    cases = result.cases
    assert [c.title for c in cases] == ["某县召开党建工作会议", "乡村振兴取得新进展"]
    assert [c.id for c in cases] == ["x-1", "x-2"]
    assert all(c.date == "2018-10-17" for c in cases)  # not the crawl stamp
    assert [len(c.blocks) for c in cases] == [2, 1]
    texts = " ".join(b.text for c in cases for b in c.blocks)
    assert "http" not in texts and "网站" not in texts and "###" not in texts
    warnings = "\n".join(str(d) for d in result.diagnostics)
    assert "a digest of 2 items: split into 2 cases" in warnings
    assert "爬取时间" in warnings  # the dropped crawl stamp is reported


@pytest.mark.parametrize(
    "title, lead, publication",
    [
        ("每日要闻", "20210302今日某县新闻主要内容：", "某县新闻"),  # named by the contents line
        ("某县晚报 2021年3月2日", "今日主要内容：", "某县晚报"),  # by the title, less its date
        ("每日要闻", "今日主要内容：", ""),  # named nowhere: no publication, no guess
        ("每日要闻", "国内新闻", ""),  # a group label does not describe the page
    ],
)
def test_a_digest_publication_is_what_the_page_names(title, lead, publication):
    page = (
        f"# {title}\n\n{lead}\n\n* 某县召开春耕生产动员会\n* 某县开展义务植树活动\n\n"
        "### 某县召开春耕生产动员会\n\n3月1日，某县召开春耕生产动员会，部署全县春耕备耕工作。\n\n"
        "### 某县开展义务植树活动\n\n3月1日，某县干部群众开展义务植树活动，共栽下苗木两千余株。\n"
    )
    result = _md(page)
    assert [c.publication for c in result.cases] == [publication] * 2
    guesses = [d for d in result.diagnostics if "names the publication" in d.message]
    assert len(guesses) == (1 if publication else 0)


def test_markdown_article_front_matter_headings_bold_and_pictures():
    text = (
        "---\ntitle: 某县党建引领乡村振兴\ndate: 2020-06-11\nauthor: 张三\n"
        f"source: 四川党建\n---\n\n{PARA}\n\n"
        f"## 一、强化组织引领\n\n**抓班子带队伍。**{PARA}\n\n"
        "![村民参加培训。](images/train.jpg)\n\n---\n\n" + PARA + "\n"
    )
    (case,) = _md(text).cases
    assert (case.title, case.date, case.source, case.region) == (
        "某县党建引领乡村振兴",
        "2020-06-11",
        "四川党建",
        "四川",
    )
    assert [(a.name, a.role) for a in case.authors] == [("张三", "作者")]
    assert [type(b).__name__ for b in case.blocks] == [
        "Paragraph",
        "Heading",
        "Paragraph",
        "Figure",
        "Paragraph",
    ]
    assert case.blocks[1] == Heading(1, "一、强化组织引领")
    assert case.blocks[2].lead == "抓班子带队伍。"
    assert case.blocks[3] == Figure("村民参加培训。", "", "images/train.jpg")
    assert not case.subtitle  # `---` is a rule, never a dash subtitle


def test_markdown_code_listing_is_refused_with_one_line():
    with pytest.raises(ContentError) as err:
        _md("# 脚本\n\n```python\nprint(1)\nprint(2)\n```\n")
    assert str(err.value) == (
        "content/sources/x.md: error: this Markdown file is a code listing, not an article"
    )


def test_markdown_program_text_without_fences_is_refused_with_one_line():
    source = "import os\nfrom sys import argv\n\ndef main():\n    x = 1;\n    return x;\n}\n"
    with pytest.raises(ContentError) as err:
        _md(source)
    assert str(err.value) == (
        "content/sources/x.md: error: this Markdown file is a code listing, not an article"
    )


HTML = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>【不忘初心】某县举办党建知识竞赛_某县新闻网</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div>
<div class="crumb">位置：首页 &gt; 新闻动态</div>
<h1>【不忘初心】某县举办党建知识竞赛</h1>
<div class="info">来源：某县新闻网 作者：张三 时间：2019年10月31日 23:00</div>
<div class="content">
<p><b>本站讯</b>（通讯员 李四）{PARA}</p>
<p><img src="photo1.jpg"></p>
<p>图为竞赛现场。王五 摄</p>
<p>{PARA}</p><p>{PARA}</p><p>{PARA}</p>
</div>
<div class="footer">版权所有 某县新闻网 Copyright © 2019 备案号：某ICP备12345678号</div>
</body></html>"""


def test_html_page_title_meta_and_pictures(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    (tmp_path / "photo1.jpg").write_bytes(b"\xff\xd8\xff fake jpeg")
    result = import_source(page.read_bytes(), "content/sources/page.html", page)
    (case,) = result.cases
    assert (case.title, case.series) == ("某县举办党建知识竞赛", "不忘初心")
    assert case.date.startswith("2019-10-31") and case.source == "某县新闻网"
    assert ("李四", "通讯员") in [(a.name, a.role) for a in case.authors]
    figures = case.figures
    assert figures == (Figure("图为竞赛现场。", "王五 摄", "images/page-1.jpg"),)
    assert result.images == {"images/page-1.jpg": b"\xff\xd8\xff fake jpeg"}
    paras = [b for b in case.blocks if isinstance(b, Paragraph)]
    assert len(paras) == 4 and paras[0].lead == ""  # a bold 本站讯 is no lead-in
    body = "".join(p.text for p in paras)
    assert "首页" not in body and "版权所有" not in body


def test_html_remote_picture_without_caption_is_flagged(tmp_path):
    html = HTML.replace('src="photo1.jpg"', 'src="http://example.com/a.jpg"').replace(
        "<p>图为竞赛现场。王五 摄</p>", ""
    )
    result = import_source(html.encode(), "content/sources/page.html")
    (case,) = result.cases
    assert case.figures == (Figure(MISSING_CAPTION),)
    warnings = "\n".join(str(d) for d in result.diagnostics)
    assert "http://example.com/a.jpg" in warnings and "not fetched" in warnings


def test_html_without_an_article_is_refused_with_one_line():
    html = "<html><head><title>首页</title></head><body><a href='/'>首页</a></body></html>"
    with pytest.raises(ContentError) as err:
        import_source(html.encode(), "content/sources/empty.html")
    assert str(err.value).startswith("content/sources/empty.html:1: error: no article")
    assert "\n" not in str(err.value)


def test_html_saved_as_gbk_imports_like_utf8():
    """A page saved in GBK keeps its <meta charset="gbk">: its metadata line is still read
    (the reader hands lxml the decoded page, not bytes it would decode again)."""
    page = HTML.replace("©", "")
    gbk = page.replace('charset="utf-8"', 'charset="gbk"').encode("gbk")
    (want,) = import_source(page.encode("utf-8"), "content/sources/p.html").cases
    (got,) = import_source(gbk, "content/sources/p.html").cases
    assert got.source == want.source == "某县新闻网"
    assert [a.name for a in got.authors] == [a.name for a in want.authors]
    assert got.blocks == want.blocks


def test_html_index_page_of_links_is_refused_with_one_line():
    items = "".join(
        f'<li><a href="/n/{i}.html">某县召开第{i}次党建工作推进会议部署重点工作</a>'
        f" <span>2021-03-{i % 28 + 1:02d}</span></li>"
        for i in range(1, 31)
    )
    html = (
        "<html><head><title>新闻动态_某县人民政府</title></head><body>"
        f"<h2>新闻动态</h2><ul>{items}</ul><div>共30条 第1页</div></body></html>"
    )
    with pytest.raises(ContentError) as err:
        import_source(html.encode(), "content/sources/list.html")
    assert str(err.value) == (
        "content/sources/list.html: error: no article found in this web page:"
        " it is a list of links (an index page?)"
    )


def test_html_page_whose_text_a_script_draws_is_refused_saying_so():
    """A saved page holding only its menus and the scripts that would fetch the article:
    refused in one line that says why and how to save it, not taken for an index page."""
    menu = "".join(f'<a href="/{i}">栏目{i}</a> | ' for i in range(12))
    html = (
        "<html><head><title>某县关于某事的决议_国务院公报_中国政府网</title>"
        "<script src='/js/article.js'></script></head><body>"
        f"<div class='nav'>{menu}</div><div id='UCAP-CONTENT'></div>"
        "<script>loadArticle()</script></body></html>"
    )
    with pytest.raises(ContentError) as err:
        import_source(html.encode(), "content/sources/scripted.html")
    assert "a script fills it in" in str(err.value) and "\n" not in str(err.value)


# --- DOCX --------------------------------------------------------------------------------


def make_docx(path, *, table_only: bool = False) -> bytes:
    """A Word file as a local unit sends one: styles, a bold run-in head, a photo."""
    import io

    import docx
    from PIL import Image

    d = docx.Document()
    if table_only:
        d.add_table(rows=2, cols=2).cell(0, 0).text = "只有表格"
    else:
        d.add_paragraph("党建引领　脱贫奔康", style="Title")
        d.add_paragraph("永嘉乡推进新农村建设纪实", style="Subtitle")
        d.add_paragraph("作者：张三")
        d.add_paragraph(PARA)
        d.add_heading("一、强化组织引领", level=1)
        p = d.add_paragraph()
        p.add_run("健全工作机制。").bold = True
        p.add_run(PARA)
        buf = io.BytesIO()
        Image.new("RGB", (40, 30), "red").save(buf, "JPEG")
        d.add_picture(io.BytesIO(buf.getvalue()))
        d.add_paragraph("村民参加技能培训。", style="Caption")
        d.add_paragraph(PARA)
        d.add_table(rows=2, cols=2).cell(0, 0).text = "项目"
    d.save(path)
    return path.read_bytes()


def test_docx_styles_run_ins_pictures_and_tables_reported(tmp_path):
    data = make_docx(tmp_path / "unit.docx")
    result = import_source(data, "content/sources/unit.docx")
    (case,) = result.cases
    assert (case.title, case.subtitle) == ("党建引领\u3000脱贫奔康", "永嘉乡推进新农村建设纪实")
    assert [(a.name, a.role) for a in case.authors] == [("张三", "作者")]
    assert [type(b).__name__ for b in case.blocks] == [
        "Paragraph",
        "Heading",
        "Paragraph",
        "Figure",
        "Paragraph",
    ]
    assert case.blocks[2].lead == "健全工作机制。"
    assert case.blocks[3] == Figure("村民参加技能培训。", "", "images/unit-1.jpg")
    assert result.images["images/unit-1.jpg"][:3] == b"\xff\xd8\xff"
    assert any("table 1 (2 rows)" in d.message for d in result.diagnostics)


def test_docx_with_only_a_table_is_refused_with_one_line(tmp_path):
    data = make_docx(tmp_path / "t.docx", table_only=True)
    with pytest.raises(ContentError) as err:
        import_source(data, "content/sources/t.docx")
    assert str(err.value) == (
        "content/sources/t.docx: error: this Word file holds only a table: no article to import"
    )


def test_not_a_word_file_is_refused_with_one_line():
    with pytest.raises(ContentError) as err:
        import_source(b"PK\x03\x04 not really a zip", "content/sources/bad.docx")
    assert str(err.value).startswith("content/sources/bad.docx: error: cannot read this Word")


def test_import_command_writes_case_and_picture(tmp_path):
    from publisher.pipeline.importing import import_files
    from publisher.pipeline.scaffold import init_project

    init_project(tmp_path / "p", "测试汇编")
    src = tmp_path / "unit.docx"
    make_docx(src)
    lines: list[str] = []
    import_files(
        tmp_path / "p",
        (src,),
        as_json=False,
        force=False,
        echo=lambda *a, **k: lines.append(a[0] if a else ""),
    )
    case_text = (tmp_path / "p" / "content" / "cases" / "unit.md").read_text(encoding="utf-8")
    assert "![村民参加技能培训。](images/unit-1.jpg)" in case_text
    assert (tmp_path / "p" / "content" / "images" / "unit-1.jpg").read_bytes()[
        :3
    ] == b"\xff\xd8\xff"
    assert (tmp_path / "p" / "content" / "sources" / "unit.docx").is_file()


def test_page_over_the_size_limit_is_refused_with_one_line(tmp_path, monkeypatch):
    from publisher.pipeline import sources

    page = tmp_path / "big.html"
    page.write_text(HTML, encoding="utf-8")
    monkeypatch.setattr(sources, "MAX_BYTES", 100)
    with pytest.raises(ContentError) as err:
        sources.read_source(page, "content/sources/big.html")
    assert str(err.value).startswith("content/sources/big.html: error: file is ")
    assert "\n" not in str(err.value)


def test_html_bold_headings_numbered_and_over_two_lines():
    body = "".join(f"<p>{PARA}</p>" for _ in range(3))
    html = (
        f"<html><head><title>某县纪实</title></head><body><h1>某县纪实</h1>"
        f"<div class='article'>{body}<p><strong>1</strong></p>"
        f"<p><strong>反哺这个时代</strong></p><p><strong>当年的宏志生在回报</strong></p>"
        f"{body}</div></body></html>"
    )
    result = import_source(html.encode(), "content/sources/p.html")
    (case,) = result.cases
    assert [h.text for h in case.headings] == ["反哺这个时代\u3000当年的宏志生在回报"]
    assert not any(isinstance(b, Paragraph) and b.text == "1" for b in case.blocks)
    # nothing is dropped unreported: the lone number and the bold heading are listed
    messages = [d.message for d in result.diagnostics]
    assert any("lone section number “1”" in m for m in messages), messages
    assert any(m.startswith("guess: a bold line") for m in messages), messages


def test_html_title_and_date_from_the_page_code_are_listed_as_guesses():
    body = "".join(f"<p>{PARA}</p>" for _ in range(3))
    html = (
        '<html><head><meta charset="utf-8"><title>某县推进乡村振兴_某县新闻网</title>'
        '<meta name="publishdate" content="2022-03-05"></head>'
        f"<body><div class='content'>{body}</div></body></html>"
    )
    result = import_source(html.encode(), "content/sources/p.html")
    (case,) = result.cases
    assert case.title == "某县推进乡村振兴" and case.date == "2022-03-05"
    messages = [d.message for d in result.diagnostics]
    assert any(m.startswith("guess: no element of the page repeats its <title>") for m in messages)
    assert any(m.startswith("guess: date 2022-03-05 declared in the page's code") for m in messages)
