"""A book for the screen editions' tests: the seed, a photo for one figure, a case made for
search (a word the case file wraps across two lines, Simplified words to find with
Traditional input) and an article holding markup. Built once per test module."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT
from imagefactory import photo
from publisher.pipeline.build import build
from publisher.pipeline.project import Project

PHOTO_CASE = "000_b1767db4946b0b0f"  # its figure 图 1-1 gets a photo by the naming rule
SEARCH_CASE = "zz-search"
XSS_CASE = "zz-xss"

SEARCH_ARTICLE = """\
---
id: zz-search
title: 蓝莓园里的新日子
authors:
  - name: 李四
date: '2021-05-01'
source: 测试来源
region: 贵州
---

# 一、蓝莓园的来历

村民对蓝莓园的满意度很高。蓝莓园由村党支部领办，发展壮大村级集体
经济，带动群众增收。

**一是选好带头人。**蓝莓园的带头人是驻村第一书记，他把蓝莓苗分到各家各户。
"""

XSS_ARTICLE = """\
---
id: zz-xss
title: 标题<script>alert(1)</script>
authors:
  - name: 张三
date: '2020-06-11'
source: 示例来源
region: 四川
---

# 一、{{ 7*7 }}的做法

**一是<b>加粗</b>。**正文<img src=x onerror=alert(2)>内容，也种蓝莓。
"""


AFTERWORD = "本书的编写得到各地组织部门的支持，谨致谢忱。\n"


def make_book(root: Path) -> Project:
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "styles", root / "styles", ignore=shutil.ignore_patterns("*.png"))
    cases = root / "content" / "cases"
    (cases / f"{SEARCH_CASE}.md").write_text(SEARCH_ARTICLE, encoding="utf-8")
    (cases / f"{XSS_CASE}.md").write_text(XSS_ARTICLE, encoding="utf-8")
    settings = root / "content" / "compendium.toml"
    text = settings.read_text(encoding="utf-8")
    if "afterword" not in text:  # the seed has none: the edition's afterword page
        text = text.replace(
            'preface = "preface.md"\n', 'preface = "preface.md"\nafterword = "afterword.md"\n'
        )
        settings.write_text(text, encoding="utf-8")
        (root / "content" / "afterword.md").write_text(AFTERWORD, encoding="utf-8")
    images = root / "content" / "images" / PHOTO_CASE
    images.mkdir(parents=True)
    photo(1600, 1000).save(images / "1.jpg", quality=90)
    return Project(root)


def build_book(project: Project, formats: tuple[str, ...] = ("html",)):
    return build(project, formats, force=True, jobs=1)
