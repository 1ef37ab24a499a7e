"""How model facts read in print: dates, bylines, source notes. Shared by the PDF and DOCX
writers so both books say the same thing in the same words."""

from __future__ import annotations

import re

from ..model import Case
from .styletable import page_geometry
from .theme import Theme

# Run-in leads numbered as headings of level 1, 2, 3 (GB/T 9704: 一、 （一） 1.).
_RUN_IN_LEVELS = (
    (1, re.compile(r"[一二三四五六七八九十百]+、")),
    (2, re.compile(r"[（(][一二三四五六七八九十百]+[）)]")),
    (3, re.compile(r"[0-9０-９]+[.．、]")),
)


def run_in_level(theme: Theme, lead: str) -> int:
    """The heading level a run-in lead's number gives it (一、 1, （一） 2, 1. 3), where
    the theme sets such leads in their level's face (`run_in_levels`); else 0."""
    if not theme.fonts.run_in_levels:
        return 0
    text = lead.lstrip()
    return next((level for level, number in _RUN_IN_LEVELS if number.match(text)), 0)


# What a figure prints where its photo is still missing (missing_images = "placeholder").
PLACEHOLDER = "图片待补"


def format_date(value: str) -> str:
    """2017-11-14T05:32 → 2017年11月14日; 2017-11 → 2017年11月; 2017 → 2017年."""
    if not value:
        return ""
    parts = value[:10].split("-")
    units = ("年", "月", "日")
    pairs = enumerate(zip(parts, units, strict=False))  # "2017-11" has no day
    return "".join(f"{int(p)}{u}" if i else f"{p}{u}" for i, (p, u) in pairs)


def subtitle(case: Case) -> str:
    """The subtitle as printed under the title, with its leading dash (——…纪实)."""
    if not case.subtitle:
        return ""
    return case.subtitle if case.subtitle.startswith(("—", "－", "-")) else f"——{case.subtitle}"


def series(case: Case) -> str:
    """The series note in full-width parentheses: （深度关注·…②）."""
    return f"（{case.series}）" if case.series else ""


def byline(case: Case) -> str:
    """Who wrote it: 记者 刘鑫焱　…; an author's note in parentheses."""
    names = []
    for author in case.writers:
        text = author.name
        if author.role == "文":  # 文/张三 as printed
            text = f"文／{text}"
        elif author.role and author.role != "作者":
            text = f"{author.role} {text}"
        if author.note:
            text += f"（{author.note}）"
        names.append(text)
    return "　".join(names)


def dateline(case: Case) -> str:
    """Publication and date under the title: 人民日报　2017年11月14日."""
    bits = [case.publication or case.source, format_date(case.date)]
    return "　".join(b for b in bits if b)


def source_note(case: Case) -> str:
    """The source note at the case's end, in one form for every case with source facts,
    or '' when the source gives none:

    （原载《人民日报》，2017年11月14日，第18版；来源：人民网-人民日报；责任编辑：冯粒、袁勃）
    （来源：四川党建微信公众号，2020年6月11日）
    （来源：本站原创，2019年10月31日；供稿：药剂科；摄影：张艳；责任编辑：苏芳）

    Facts of one kind are separated by "，", kinds by "；"."""
    date = format_date(case.date)
    bits = []
    if case.publication:
        pub = case.publication if case.publication.startswith("《") else f"《{case.publication}》"
        page = case.page
        if page and not page.startswith("第"):
            page = f"第{page}"
        bits.append("原载" + "，".join(b for b in (pub, date, page) if b))
    source = case.source if case.source != case.publication else ""
    if source:
        bits.append(
            "来源：" + "，".join(b for b in (source, "" if case.publication else date) if b)
        )
    elif date and not case.publication:
        bits.append(date)
    for role in dict.fromkeys(a.role for a in case.credits):
        bits.append(f"{role}：" + "、".join(a.name for a in case.credits if a.role == role))
    if case.editors:
        bits.append("责任编辑：" + "、".join(a.name for a in case.editors))
    return "（" + "；".join(bits) + "）" if bits else ""


def running_head(title: str, theme: Theme) -> str:
    """A case title as its running head: one line of the head's size across the text
    block; a longer title is cut with ……. (Laying out a 2000-character head cost WeasyPrint
    minutes: its margin boxes are sized by breaking the text at every character.)"""
    capacity = int(page_geometry(theme).chars_per_line * theme.sizes.body / theme.sizes.header)
    return title if len(title) <= capacity else title[: capacity - 2] + "……"


def title_lines(title: str, theme: Theme) -> list[str]:
    """A case title too long for one line of the text block breaks at its full-width space
    nearest the middle (资中县坚持…党建引领 / 决战决胜…集结号), never inside a phrase.
    Both writers break titles here, so the PDF and the DOCX break them alike."""
    chars_per_line = page_geometry(theme).chars_per_line
    capacity = int(chars_per_line * theme.sizes.body / theme.sizes.case_title)
    spaces = [i for i, ch in enumerate(title) if ch == "　"]
    if len(title) <= capacity or not spaces:
        return [title]
    cut = min(spaces, key=lambda i: abs(i - len(title) / 2))
    return [title[:cut], title[cut + 1 :]]
