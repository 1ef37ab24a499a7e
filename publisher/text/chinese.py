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
# (供稿, or an organisation named as 作者: 作者单位), photos, layout, proofreading, and who
# posted it on a site (发布者, 录入).
CREDIT_ROLES = frozenset(
    {"供稿", "作者单位", "摄影", "摄像", "图片", "图", "制图", "校对", "审核", "审校", "审稿"}
    | {"初审", "复审", "终审", "发布者", "发布人", "录入"}
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

# Common Chinese surnames (the single ones of the 百家姓 most in use, and the compound
# ones): a line of 2-4 characters counts as a personal name where nothing else says so
# (a name alone under a headline, （张三 李四） closing a paragraph) only when it opens
# with one, so that 人物画像 or 相关链接 is never taken for an author.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝封储钮鞠於井荆盖"
    "郁楚习蔺伊汝惠匡娜乐廉揭扈富海闻都茅郦鄢帅满冀寿粟"
)
COMPOUND_SURNAMES = frozenset(
    (
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "令狐",
        "夏侯",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "轩辕",
    )
)


# words of links and labels that open with a surname's character (查看评论, 更多)
_NOT_NAME = re.compile(
    r"查看|更多|评论|点击|链接|阅读|文章|相关|推荐|登录|注册|首页|专题|频道|简介|画像"
)


def looks_like_name(text: str) -> bool:
    """2-4 Han characters opening with a common surname (or a compound one)."""
    if not 2 <= len(text) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in text):
        return False
    if _NOT_NAME.search(text):
        return False
    return text[:2] in COMPOUND_SURNAMES or text[0] in SURNAMES
