"""The Chinese text rules shared by the importer, lint and the typesetting: character
classes, the half-width → full-width punctuation map, website chrome words, editor roles.

One definition each, so that what the importer cleans, what lint flags and what the
typesetter spaces or justifies are the same characters.
"""

from __future__ import annotations

import re

# Han ideographs: CJK Unified Ideographs, Extension A, the compatibility block, and the
# supplementary planes' extensions (B and later: 𪚖 and the like in names and places).
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# CJK symbols and punctuation (、。〈〉《》「」【】…), full-width forms (，：；！？（）…)
CJK_PUNCTUATION = r"\u3000-\u303f\uff00-\uffef"
# Han plus its punctuation, quotes “”‘’, ……, —— and ·: text set in a CJK face and
# joined without spaces.
CJK = HAN + CJK_PUNCTUATION + r"\u2e80-\u2fdf\u2018-\u201f\u2026\u2014\u00b7"

HAN_RE = re.compile(f"[{HAN}]")
CJK_RE = re.compile(f"[{CJK}]")


def is_han(ch: str) -> bool:
    """One Han ideograph (not punctuation, not a Latin letter or digit)."""
    return bool(ch) and bool(HAN_RE.fullmatch(ch))


def is_cjk(ch: str) -> bool:
    """One character of Chinese text: Han, or Chinese punctuation, quotes and dashes."""
    return bool(ch) and bool(CJK_RE.fullmatch(ch))


def has_han(text: str) -> bool:
    return HAN_RE.search(text) is not None


# ASCII punctuation that Chinese text sets full width (GB/T 15834), when Han surrounds it.
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}

# Roles that credit a desk editor (责编) rather than a writer of the article.
EDITOR_ROLES = frozenset({"责编", "责任编辑", "编辑"})

# Roles that credit a contribution other than writing: a body that supplied the article
# (供稿, or an organisation named as 作者: 作者单位), photos, layout, proofreading.
CREDIT_ROLES = frozenset(
    {"供稿", "作者单位", "摄影", "摄像", "图片", "图", "制图", "校对", "审核", "审校", "审稿"}
)

# Words of a news site's page furniture: none of them belongs in an article's text. The
# importer removes lines made of them; lint flags any left in a case file.
SITE_CHROME = (
    "设为主页",
    "设为首页",
    "加入收藏",
    "收藏本站",
    "站内搜索",
    "全站搜索",
    "打印本页",
    "关闭窗口",
    "返回顶部",
    "发表评论",
    "我要评论",
    "我来说两句",
    "跟贴热词",
    "关键词阅读",
    "点击排行",
    "登录后",
    "用户名",
)
NAVIGATION = ("上一篇", "下一篇", "上一条", "下一条")
