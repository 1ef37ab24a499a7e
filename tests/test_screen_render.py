"""The page renderer for screens (workbench, HTML edition): a case in the book's look, its
text escaped, its marks at their blocks, its stylesheet from the one style table."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from publisher.look.styletable import resolve_styles
from publisher.pipeline.project import Project, load_project
from publisher.pipeline.scaffold import init_project
from publisher.screen.render import Mark, render_case, render_css

ROOT = Path(__file__).resolve().parent.parent

XSS_CASE = """\
---
id: xss
title: 标题<script>alert(1)</script>
authors:
  - name: 张三
date: '2020-06-11'
source: 示例来源
region: 四川
---

# 一、{{ 7*7 }}的做法

**一是<b>加粗</b>。**正文<img src=x onerror=alert(2)>内容。

![村民<i>选举</i>。]() 孙璞玉 摄

> 注：<script>alert(3)</script>
"""


@pytest.fixture
def xss_project(tmp_path) -> Project:
    init_project(tmp_path, "测试汇编")
    (tmp_path / "content" / "cases" / "xss.md").write_text(XSS_CASE, encoding="utf-8")
    return Project(tmp_path)


def _text(node) -> str:
    return node.text_content()


def test_article_text_is_shown_literally_never_as_markup(xss_project):
    found = [Mark(0, "warning", "“<b>粗</b>”不像标题", "content/cases/xss.md:1")]
    page = render_case(load_project(xss_project), "xss", marks=found)
    tree = lxml_html.fragment_fromstring(page)
    assert not tree.xpath("//script | //b | //i | //img"), "article text became markup"
    assert "“<b>粗</b>”不像标题" in _text(tree.xpath("//ul[@class='marks']")[0])
    assert "<script>alert(1)</script>" in _text(tree.xpath("//h1")[0])
    assert "{{ 7*7 }}" in _text(tree.xpath("//h2")[0])
    assert "<img src=x onerror=alert(2)>" in _text(tree.xpath("//p[@data-line]")[0])
    assert "49" not in page


def test_seed_case_reads_as_in_the_book(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    loaded = load_project(Project(tmp_path))
    case = loaded.compendium.cases[2]  # 兴安盟: subtitle, two authors, credited photos
    number = loaded.compendium.case_number(case)
    tree = lxml_html.fragment_fromstring(render_case(loaded, case.id))
    assert _text(tree.xpath("//h1")[0]).replace(" ", "") == case.title.replace(" ", "")
    assert tree.xpath("//p[@class='byline']")
    labels = [_text(x) for x in tree.xpath("//span[@class='fig-label']")]
    assert labels == [f"图 {number}-{m}" for m in range(1, len(case.figures) + 1)]
    credits = [_text(x) for x in tree.xpath("//span[@class='credit']")]
    assert credits == [f.credit for f in case.figures if f.credit]
    headings = [_text(h) for h in tree.xpath("//h2 | //h3 | //h4")]
    assert headings == [h.text for h in case.headings]
    leads = [_text(s) for s in tree.xpath("//strong[@class='lead']")]
    paragraphs = [b for b in case.blocks if b.type == "paragraph"]
    assert leads == [p.lead for p in paragraphs if p.lead]
    # every block knows its case-file line (marks and live updates find it by it)
    lines = [int(x) for x in tree.xpath("//*[@data-line]/@data-line")[1:]]
    assert lines == [b.line for b in case.blocks]


def test_marks_stand_at_the_block_of_their_line(xss_project):
    loaded = load_project(xss_project)
    heading = loaded.compendium.cases[0].blocks[0]
    marks = [
        Mark(heading.line, "warning", "空的小节", f"content/cases/xss.md:{heading.line}"),
        Mark(3, "guess", "guess: title", "content/cases/xss.md:3"),
    ]
    tree = lxml_html.fragment_fromstring(render_case(loaded, "xss", marks=marks))
    h2 = tree.xpath("//h2")[0]
    assert "marked" in h2.get("class")
    listed = h2.getnext()
    assert listed.tag == "ul" and "content/cases/xss.md:" in _text(listed)
    head = tree.xpath("//header")[0]
    assert "guess: title" in _text(head.getnext())


def test_screen_css_comes_from_the_style_table(xss_project):
    loaded = load_project(xss_project)
    css = render_css(loaded)
    table = resolve_styles(loaded.theme)
    body = re.search(r"\.case \{([^}]*)\}", css).group(1)
    assert f"font-size: {table.body.size:g}pt" in body
    assert f'font-family: "{loaded.theme.fonts.body[0]}"' in body
    h1 = re.search(r"\.case h2\.h1 \{([^}]*)\}", css).group(1)
    assert f"font-size: {table.heading1.size:g}pt" in h1
    assert f"text-indent: {table.body.indent:g}em" in css


@pytest.mark.parametrize("preset", ["book", "gongwen", "book-16k"])
def test_every_theme_renders_on_screen_with_its_title_face(tmp_path, preset):
    """The screen's CSS names a face for every role the style table uses (gongwen's titles
    have a face of their own, 小标宋)."""
    init_project(tmp_path, "测试汇编", theme=preset)
    (tmp_path / "content" / "cases" / "xss.md").write_text(XSS_CASE, encoding="utf-8")
    loaded = load_project(Project(tmp_path))
    css = render_css(loaded)
    title = re.search(r"\.case-title \{([^}]*)\}", css).group(1)
    faces = loaded.theme.fonts.title or loaded.theme.fonts.heading
    assert f'font-family: "{faces[0]}"' in title
    assert render_case(loaded, "xss")
