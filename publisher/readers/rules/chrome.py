"""Website chrome and metadata lines: recognised, removed from the text, their facts kept."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import Author
from ...text.chinese import NAVIGATION, SITE_CHROME, looks_like_name
from .facts import ROLE_WORDS, is_organisation, parse_date_prefix, split_names
from .text import ends_final

__all__ = ["Chrome", "classify", "closing_byline", "is_disclaimer"]


@dataclass(frozen=True)
class Chrome:
    """A removed line and what it says.

    kind: site (counter, 设为主页, 站内搜索, …), nav (上一篇/下一篇), breadcrumb, meta
    (date/来源/作者 line), byline, printref (《人民日报》（… 18 版）), editors ((责编：…)),
    authornote ((作者：永嘉乡党委书记)), account (trailing 公众号 name), credits (供稿,
    摄影/…, 编辑/… of a web page: kept in the report, not as authors).
    """

    kind: str
    date: str = ""
    source: str = ""
    publication: str = ""
    page: str = ""
    authors: tuple[Author, ...] = ()
    note: str = ""


_MAX = 160  # chrome and metadata lines are short; longer lines are always text

_SITE = re.compile(
    "|".join(SITE_CHROME)
    + r"|字号[：:]|字体[：:]|分享到|【纠错】|扫一扫(?:在手机|分享|关注)|手机扫一扫"
    r"|在手机上?(?:打开|浏览)"
)
_COUNTER = re.compile(r"访问者|访客|访问量|位访问")
# `0 人参与`, `1234人评论`: a page's counters
_TALLY = re.compile(r"^\d+\s*(?:人|条)\s*(?:参与|评论|跟贴|跟帖|阅读|浏览|点赞|收藏)$")
# `【免责声明】…`, `声明：…`, `网友评论仅供其表达个人看法，并不表明网易立场。`: a site's
# disclaimers, whole lines of boilerplate however they end
_DISCLAIMER = re.compile(
    r"^[【\[]?免责声明|^(?:特别)?声明[：:]|仅供其?表达个人看法|仅代表(?:作者|个人)(?:本人)?(?:观点|看法)"
    r"|不代表本(?:网|站|报|刊|平台|公众号)(?:的)?(?:观点|立场)|并不(?:表明|代表)\S{0,8}(?:观点|立场)"
    r"|转载请注明(?:出处|来源)|如有(?:版权|侵权)(?:争议|问题)|(?:禁止|不得|严禁|擅自)(?:任何形式的?)?转载"
    # a site's `某某网版权与免责声明：` heading over its numbered clauses
    r"|^.{0,12}(?:版权与免责|版权|免责)声明[：:]?$"
    # `反侵权公告：` over its clauses, `版权声明：…`
    r"|^[【\[]?(?:反侵权|侵权|版权)(?:公告|声明)[】\]]?[：:]?"
)
_NAV = re.compile(r"^[\[【]?(?:" + "|".join(NAVIGATION) + "|上一页|下一页)")
# `第1页/共3页 << 上一页 | 下一页 >>`: a pager
_PAGER = re.compile(r"第\s*\d+\s*页\s*[/／]\s*共\s*\d+\s*页")
# `首页 | 时事 | 生活 | 财经`: a menu row, four short items or more between bars
_MENU_BAR = re.compile(r"\s*[|｜]\s*")
_MENU_ITEM_MAX = 8
# `企业服务首页 > 产经资讯 > 正文`, `网易首页--> 主频道--> 电力`, `您的位置：主页>研究>…`:
# a breadcrumb of short parts, its own label or a home page first or the text's place last
_ARROW = re.compile(r"\s*(?:-{1,2}>|>{1,2}|＞|›|»|→)\s*")
_POSITION = re.compile(r"^(?:当前位置|您的位置|您现在的位置|所在位置|现在位置|位置)\s*[：:]\s*")
_CRUMB_MAX = 16
# a blog's trackback line, a widget's prompt, a follow-us line under a post
_WIDGET = re.compile(
    r"引用(?:该篇|本篇|这篇|此)文章|引用通告|[Tt]rackback|跳转到登录"
    r"|^(?:扫描|长按|扫码|扫一扫)\S{0,10}二维码"
    r"|^(?:微信)?扫一扫(?:\s*关注\S{0,8})?$|^关注(?:该|本|我们的)?(?:公众号|微信号|账号)$"
    r"|^(?:已收藏|收藏|点赞|已赞|分享|举报|打赏)$"
)
_BREADCRUMB = re.compile(
    r"^(?:当前位置|您的位置|您现在的位置|所在位置|现在位置|位置)?"
    r"[：:]?\s*首页\s*(?:>|＞|›|»|→)"
)
# Site footers: copyright and registration numbers.
_COPYRIGHT = re.compile(
    r"版权所有(?![者人方])|Copyright\s*©|©\s*\d{4}|ICP备|公网安备|网备号"
    r"|All [Rr]ights [Rr]eserved"
)
# `医院地址：… 24小时急救电话：…`: contact lines of a site footer.
_CONTACT = re.compile(r"^\S{0,8}(?:地址|电话|传真|邮箱|邮编|热线)\s*[：:]")
# `医技药剂党支部、药剂科供稿  摄影/张艳  编辑/苏芳`: a line of credits only.
_CREDIT_PART = re.compile(
    r"^(?:[^\s/／:：]{2,20}供稿"
    r"|(?:摄影|摄像|图片|编辑|责编|校对|审核|审校|文字|执笔|文|图)"
    r"\s*[/／:：]\s*[\u4e00-\u9fff·]{2,10})$"
)
_PUBLICATION = re.compile(r"《[^》]{1,30}》[^>＞›»→]{0,20}")
_BYLINE_MARK = re.compile(r"^(?:[□■]|文[/／]|文｜)\s*")
# `■记者 张三 报道`, `本报记者 邓剑洋 陶相安摄影报道`: the closing verb is no part of a name
_REPORTED = re.compile(r"\s*(?:摄影报道|摄影|报道)$")
# Print and page furniture: cross-references, column mailboxes, layout credits.
_FURNITURE = re.compile(
    r"^[（(]相关报道见[^）)]{1,20}[）)]$"
    r"|^[（(【\[]\s*完\s*[）)】\]]$"  # （完）: the wire's end mark
    r"|^[（(]?[^：:]{0,8}(?:投稿邮箱|邮箱|信箱)[：:]\s*\S+@\S+$"
    r"|^(?:版式设计|美术编辑|图表制作|制图|视觉设计)[：:]"
    # a page's buttons: 【打印本稿】 【关闭】 [打印本页] 关闭窗口
    r"|^[【\[]?(?:打印本[稿页文]|打印|关闭(?:窗口|本页)?|收藏本[页文]|返回顶部)[】\]]?$"
)
# `周珊珊  本报评论员`: a name, then the role (the participants of a 对话 column).
_NAME_THEN_ROLE = re.compile(
    r"^([\u4e00-\u9fff·]{2,8})[ \u3000]+([\u4e00-\u9fff]{0,10}?"
    r"(?:评论员|记者|通讯员|特约撰稿人|撰稿人|主持人))$"
)
# `（作者为本报云南分社记者）`: who the writer is, without a name.
_AUTHOR_IS = re.compile(r"^[（(]作者(?:系|为|是)([^（）()]{2,40})[）)]$")
# `（徐安童参与采写）`, `（记者 张三 参与采写）`: a contributor.
_CONTRIBUTOR = re.compile(r"^[（(]([^（）()]{2,30}?)\s*(参与采写|对本文亦有贡献)[）)]$")
# `（新华社北京7月5日电）`: a closing source line.
_CLOSING_SOURCE = re.compile(
    r"^[（(](新华社|中新社|本报)([^（）()]{0,8}?)"
    r"(\d{1,2}月\d{1,2}日)?电[）)]$"
)
_KEYS = (
    "发布时间",
    "发表时间",
    "发布日期",
    "更新时间",
    "时间",
    "日期",
    "作者",
    "来源于",
    "来源",
    "稿源",
    "出处",
    "点击次数",
    "点击数",
    "点击量",
    "点击",
    "浏览次数",
    "浏览量",
    "阅读量",
    "阅读数",
    "阅读",
    "浏览",
    "责任编辑",
    "责编",
    "编辑",
    "通讯员",
    "记者",
    "摄影",
    "供稿",
    "执笔人",
    "执笔",
)
_KEY = re.compile("(" + "|".join(sorted(_KEYS, key=len, reverse=True)) + r") ?[：:]")
_PRINTREF = re.compile(
    r"《 ?([^》]{1,30}?) ?》 ?（ ?((?:\d{4}年\d{1,2}月\d{1,2}日)?) ?"
    r"((?:第 ?)?\d{1,3} ?版)? ?）"
)
# `光明日报记者 王建宏 张文攀`: the publication printed before the role word
_PUBLICATION_BYLINE = re.compile(
    r"^([\u4e00-\u9fff]{2,10}?(?:日报|晚报|早报|报|通讯社|社|网|电视台|台|杂志|刊|频道|客户端))"
    r"[ \u3000]*(特约记者|记者|通讯员)[ \u3000]*(\S.*)$"
)
_PLACE_REPORTED = re.compile(r"[ \u3000]+([\u4e00-\u9fff]{2,8})报道$")


def _filed_from(names: str) -> str:
    """The names of `彭冲 山东冠县报道` without the place it was filed from and 报道."""
    m = _PLACE_REPORTED.search(names)
    if m and not looks_like_name(m.group(1)):
        return names[: m.start()]
    return _REPORTED.sub("", names)


_ACCOUNT = re.compile(r"公众号|微信|微博|客户端|头条号|抖音号")
_NAME_ROLES = {
    "作者": "作者",
    "责任编辑": "责任编辑",
    "责编": "责编",
    "编辑": "编辑",
    "通讯员": "通讯员",
    "记者": "记者",
    "摄影": "摄影",
    "执笔人": "执笔",
    "执笔": "执笔",
}


def _meta(text: str) -> Chrome | None:
    """`[date] key：value key：value …` where the whole line is consumed."""
    date = ""
    parsed = parse_date_prefix(text)
    if parsed:
        date, text = parsed
        text = text.strip()
    matches = list(_KEY.finditer(text))
    if not matches and not (date and not text):
        return None
    if matches and text[: matches[0].start()].strip():
        return None
    source = ""
    authors: list[Author] = []
    for m, nxt in zip(matches, [*matches[1:], None], strict=False):  # [] when date only
        key = m.group(1)
        value = text[m.end() : nxt.start() if nxt else len(text)].strip()
        if not value or len(value) > 60:
            if key in ("点击次数", "点击数", "点击", "阅读", "浏览", "浏览次数") and not value:
                continue
            return None
        if key in _NAME_ROLES:
            names = split_names(value, _NAME_ROLES[key], strict=False)
            if names is None:
                return None
            # 作者：医技药剂党支部 names the unit that sent it: credited, not a writer
            authors.extend(
                Author(n, "作者单位" if r == "作者" and is_organisation(n) else r) for n, r in names
            )
        elif key in ("来源", "来源于", "稿源", "出处", "供稿"):
            source = value
        elif key.endswith(("时间", "日期")):
            parsed = parse_date_prefix(value)
            if not parsed:
                return None
            date = date or parsed[0]
    return Chrome("meta", date=date, source=source, authors=tuple(authors))


# Brackets around a metadata line: （责编：…）, (来源：…), 【编辑：…】, [责任编辑:…].
_BRACKETS = {"（": "）", "(": ")", "【": "】", "[": "]"}


def _parenthesised(text: str) -> Chrome | None:
    """`（责编：冯粒、袁勃）`, `（作者：永嘉乡党委书记）`, `（来源：…）`, `【编辑：张三】`;
    `（本报记者 张三）`, a closing byline in brackets."""
    if len(text) < 3 or _BRACKETS.get(text[0]) != text[-1]:
        return None
    inner = text[1:-1].strip()
    dated = parse_date_prefix(inner)
    if dated and not dated[1].strip():  # （2021年6月10日）: the article's date
        return Chrome("meta", date=dated[0])
    m = _KEY.match(inner)
    if not m:
        # the role word apart from the names (（记者节特别报道） is a title, not a byline)
        if re.match("(?:" + "|".join(ROLE_WORDS) + r")[ \u3000]+\S", inner):
            names = split_names(_REPORTED.sub("", inner))
            if names and all(r for _, r in names):
                return Chrome("byline", authors=tuple(Author(n, r) for n, r in names))
        return None
    key, value = m.group(1), inner[m.end() :].strip()
    if not value:
        return None
    if key == "作者":
        return Chrome("authornote", note=value)
    found = _meta(inner)
    if found is None:
        return None
    return Chrome(
        "editors" if found.authors else "meta",
        date=found.date,
        source=found.source,
        authors=found.authors,
    )


# C901 allowed here: a table of the kinds of page chrome, tried in order; each branch is one kind.
def is_disclaimer(text: str) -> bool:
    """A site's notice: 免责声明, 版权声明：…, 反侵权公告：, 转载请注明出处."""
    return len(text) <= _MAX and bool(_DISCLAIMER.search(text))


def _is_menu_row(text: str) -> bool:
    """A row of a site's menu: four items or more between bars, nearly all short (one may
    run on into the next block's words), none a sentence."""
    parts = [p for p in _MENU_BAR.split(text) if p]
    short = sum(len(p) <= _MENU_ITEM_MAX and not ends_final(p) for p in parts)
    return len(parts) >= 4 and short >= len(parts) - 1


def _is_breadcrumb(text: str) -> bool:
    """`当前位置：` alone, or a path of short parts between arrows that opens with its
    label or a home page (首页, 主页) or ends at the text's own place (正文)."""
    label = _POSITION.match(text)
    rest = text[label.end() :] if label else text
    if label and not rest:
        return True
    parts = [p for p in _ARROW.split(rest) if p]
    if len(parts) < (1 if label else 2) or any(len(p) > _CRUMB_MAX or ends_final(p) for p in parts):
        return False
    home = "首页" in parts[0] or "主页" in parts[0]
    return bool(label) or (len(parts) >= 3 and (home or parts[-1] in ("正文", "内容")))


def classify(text: str, last: bool = False) -> Chrome | None:  # noqa: C901
    """What a (normalised, stripped) line is when it is chrome or metadata, else None.

    `last` says the line is the last line of text in the file: only there is a short line
    naming an account (四川党建微信公众号) taken as the publication.
    """
    if len(text) > _MAX:
        return None
    if _NAV.match(text) or _PAGER.search(text) or _is_menu_row(text):
        return Chrome("nav")
    if _BREADCRUMB.match(text) or _is_breadcrumb(text):
        m = _PUBLICATION.search(text)
        pub = m.group().strip() if m else ""
        return Chrome("breadcrumb", publication=pub)
    if ("今天是" in text or "您是第" in text) and _COUNTER.search(text):
        return Chrome("site")
    if _TALLY.match(text) or _DISCLAIMER.search(text) or _WIDGET.search(text):
        return Chrome("site")
    if len(text) <= 40 and _SITE.search(text) and not ends_final(text):
        return Chrome("site")
    m = _PRINTREF.fullmatch(text)
    if m:
        date = parse_date_prefix(m.group(2))
        page = re.sub(r"[ 第]", "", m.group(3) or "")
        return Chrome(
            "printref", publication=m.group(1).strip(), date=date[0] if date else "", page=page
        )
    found = _parenthesised(text)
    if found:
        return found
    if _FURNITURE.search(text) or (
        (_COPYRIGHT.search(text) or _CONTACT.match(text)) and not ends_final(text)
    ):
        return Chrome("site")
    parts = text.split()
    if (len(parts) >= 2 or text.startswith("执笔")) and all(_CREDIT_PART.match(p) for p in parts):
        credited = []
        for part in parts:
            m = re.match(r"^(.+?)\s*[/／:：]\s*(.+)$", part)
            # 摄影/张艳 → (张艳, 摄影); 药剂科供稿 → (药剂科, 供稿)
            credited.append(Author(m.group(2), m.group(1)) if m else Author(part[:-2], "供稿"))
        return Chrome("credits", authors=tuple(credited))
    m = _AUTHOR_IS.match(text)
    if m:
        return Chrome("authornote", note=m.group(1).strip())
    m = _CONTRIBUTOR.match(text)
    if m:
        names = split_names(m.group(1))
        if names:
            return Chrome("byline", authors=tuple(Author(n, m.group(2)) for n, _ in names))
    m = _CLOSING_SOURCE.match(text)
    if m:
        return Chrome("meta", publication=m.group(1) if m.group(1) != "本报" else "")
    m = _NAME_THEN_ROLE.match(text)
    if m and split_names(m.group(1)):
        return Chrome("byline", authors=(Author(m.group(1), m.group(2)),))
    m = _BYLINE_MARK.match(text)
    if m:
        names = split_names(_REPORTED.sub("", text[m.end() :]))
        if names and (m.group().startswith("文") or all(looks_like_name(n) or r for n, r in names)):
            # 文/张三: the role as printed (文), so no character of the byline is lost
            mark = "文" if m.group().startswith("文") else ""
            return Chrome("byline", authors=tuple(Author(n, r or mark) for n, r in names))
    if len(text) <= 40 and not ends_final(text):
        for word in (
            "本报记者",
            "本刊记者",
            "本台记者",
            "特约记者",
            "新华社记者",
            "记者",
            "本报通讯员",
            "特约通讯员",
            "通讯员",
            "本报见习记者",
            "见习记者",
            "本报实习生",
            "实习生",
        ):
            if text.startswith(word):
                names = split_names(_REPORTED.sub("", text))
                if names:
                    return Chrome("byline", authors=tuple(Author(n, r) for n, r in names))
                break
    m = _PUBLICATION_BYLINE.match(text)
    if m and len(text) <= 40 and not ends_final(text):
        # `彭冲 山东冠县报道`: the place the report is filed from is no name
        names = split_names(_filed_from(m.group(3)))
        if names:
            return Chrome(
                "byline",
                publication=m.group(1),
                authors=tuple(Author(n, r or m.group(2)) for n, r in names),
            )
    found = _meta(text)
    if found:
        return found
    if last and len(text) <= 20 and not ends_final(text) and _ACCOUNT.search(text):
        return Chrome("account", publication=text)
    return None


# `…的决心。（常书香 马丹阳 ）`, `…。（文/图 张三）`, `…。（记者 李四）`: a byline in brackets
# closing a paragraph's last sentence
_CLOSING_BYLINE = re.compile(
    r"(?<=[。！？”…])\s*[（(]\s*((?:文[/／]图|文图|文|图|(?:本报|本台|本刊)?(?:记者|通讯员)|摄影|摄)?)"
    r"\s*[/／:：]?\s*"
    r"([\u4e00-\u9fff·]{2,4}(?:[ \u3000、，,]+[\u4e00-\u9fff·]{2,4}){0,5})"
    r"(?:[ \u3000]*[\u4e00-\u9fff]{0,6}报道)?\s*[）)]$"
)


def closing_byline(text: str) -> tuple[int, tuple[Author, ...]] | None:
    """(where the byline starts, its authors) when a paragraph ends with one, else None.
    Without a role word every name must look like a personal name (a surname first)."""
    m = _CLOSING_BYLINE.search(text)
    if not m:
        return None
    role = {"文图": "文/图", "摄": "摄影"}.get(m.group(1), m.group(1).replace("／", "/"))
    # `（姚峰 上海报道）`: the place the report is filed from is no name
    names = [n for n in re.split(r"[ \u3000、，,]+", m.group(2)) if n and not n.endswith("报道")]
    if not names:
        return None
    if not role and not all(looks_like_name(n) for n in names):
        return None
    return m.start(), tuple(Author(n, role) for n in names)
