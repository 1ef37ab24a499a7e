"""Small parsers for metadata facts: dates, personal names and roles, region and place."""

from __future__ import annotations

import re

from .text import is_han

__all__ = [
    "parse_date_prefix",
    "split_names",
    "is_organisation",
    "person_or_none",
    "credit_line",
    "meta_pairs",
    "name_and_note",
    "ROLE_WORDS",
    "find_region",
    "find_place",
    "collapse_spaces",
]

# 2017年11月14日05:32 | 2017-10-09 12:37:38 | 2020-06-11 | 2017/10/9 (anchored, bounded).
_DATE_CN = re.compile(
    r"(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日"
    r"(?: ?(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?"
)
_DATE_ISO = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T]{1,3}(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)


def parse_date_prefix(text: str) -> tuple[str, str] | None:
    """A date (and time) at the start of text → (ISO 8601, rest of text), else None.

    Dates keep the precision the source gives: 2020-06-11, 2017-11-14T05:32,
    2017-10-09T12:37:38 (T between date and time).
    """
    m = _DATE_CN.match(text) or _DATE_ISO.match(text)
    if not m:
        return None
    y, mo, d, hh, mm, ss = m.groups()
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        return None
    iso = f"{y}-{int(mo):02d}-{int(d):02d}"
    if hh is not None:
        if int(hh) > 23 or int(mm) > 59 or (ss is not None and int(ss) > 59):
            return None
        iso += f"T{int(hh):02d}:{mm}" + (f":{ss}" if ss is not None else "")
    return iso, text[m.end() :]


# Role words opening a byline, longest first, and the role recorded for them: the words
# as printed (本报记者 keeps its 本报: no character of the source is lost), except the
# markers 文/ and 图/, which say 作者 and 摄影.
ROLE_WORDS = {
    "本报记者": "本报记者",
    "本刊记者": "本刊记者",
    "本台记者": "本台记者",
    "特约记者": "特约记者",
    "新华社记者": "新华社记者",
    "记者": "记者",
    "本报通讯员": "本报通讯员",
    "特约通讯员": "特约通讯员",
    "通讯员": "通讯员",
    "本报见习记者": "本报见习记者",
    "见习记者": "见习记者",
    "本报实习生": "本报实习生",
    "实习生": "实习生",
    "责任编辑": "责任编辑",
    "责编": "责编",
    "编辑": "编辑",
    "作者": "作者",
    "撰稿": "撰稿",
    "摄影": "摄影",
    "文/": "作者",
    "文／": "作者",
    "图/": "摄影",
    "图／": "摄影",
}
_ROLE_ORDER = sorted(ROLE_WORDS, key=len, reverse=True)


def _is_name(token: str, strict: bool) -> bool:
    if strict:  # a bare byline (□ 龙林智): 2-5 Han characters, or a minority name with ·
        return (
            2 <= len(token) <= 12
            and all(is_han(c) or c in "·•" for c in token)
            and sum(1 for c in token if is_han(c)) <= (10 if "·" in token else 5)
        )
    return 1 <= len(token) <= 20 and not any(c in "。！？，：；" for c in token)


def _join_padded(tokens: list[str]) -> list[str]:
    """Two-character names are printed padded to three (`吴  丹`): two single Han
    characters in a row are one name."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if (
            len(t) == 1
            and is_han(t)
            and i + 1 < len(tokens)
            and len(tokens[i + 1]) == 1
            and is_han(tokens[i + 1])
        ):
            out.append(t + tokens[i + 1])
            i += 2
            continue
        out.append(t)
        i += 1
    return out


# What names an organisation, not a person: a unit's closing word (医技药剂党支部,
# 县委组织部, 药剂科). A personal name is 2-4 Han characters (more only with ·), so a name
# of 4 or more characters is tried, and any of 6 or more without · is a body; a name of 3
# only with a word no given name ends in (宣传部, 党政办, 办公室).
_ORGANISATION_END = re.compile(
    r"(?:党支部|支部|党委|党组|总支|委员会|工委|办公室|办事处|中心|医院|学校|大学|学院|"
    r"公司|集团|协会|学会|联合会|政府|街道|社区|村委会|居委会|研究院|研究所|"
    r"[部科室处局厅委办站所院馆队组社会校团])$"
)

_UNIT_OF_THREE = re.compile(r"(?:部|办|处|局|厅|委|站|馆|中心|办公室|委员会|党支部)$")


def is_organisation(name: str, by_length: bool = True) -> bool:
    """`医技药剂党支部`, `县委组织部`: a body's name given where a person's would stand.
    `by_length`: any name of 6 or more Han characters counts (where only a name can stand,
    as after 作者：); without it only a unit's closing word does."""
    name = name.strip()
    han = sum(1 for c in name if is_han(c))
    if "·" in name or "•" in name or han < 3 or not all(is_han(c) for c in name):
        return False
    if han == 3:
        return bool(_UNIT_OF_THREE.search(name))
    return (by_length and han >= 6) or bool(_ORGANISATION_END.search(name))


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z.'’-]*")


def _tokens(text: str) -> list[str]:
    """A byline's tokens: split at spaces and list marks, a Latin name's words kept
    together (`Demi Xia` is one person; `Demi、Xia` two)."""
    out: list[str] = []
    for part in re.split(r"[、，,/／]+", text.strip()):
        words = part.split()
        for k, word in enumerate(words):
            if k and _LATIN_WORD.fullmatch(word) and _LATIN_WORD.fullmatch(words[k - 1]):
                out[-1] += f" {word}"
            else:
                out.append(word)
    return out


def split_names(text: str, role: str = "", strict: bool = True) -> list[tuple[str, str]] | None:
    """`本报记者  刘鑫焱`, `胡日查 高敏娜`, `冯粒、袁勃` → [(name, role), ...]; None if not names.

    Role words inside the text switch the role for the names after them.
    """
    tokens = _join_padded(_tokens(text))
    out: list[tuple[str, str]] = []
    for token in tokens:
        for word in _ROLE_ORDER:
            if token.startswith(word):
                role, token = ROLE_WORDS[word], token[len(word) :].lstrip(":：")
                break
        if not token:
            continue
        if not _is_name(token, strict):
            return None
        out.append((token, role))
    return out or None


# What a byline slot holds when it names nobody: `作者：未知`, `作者：网络整理`, `编辑：admin`
_NOBODY = re.compile(
    r"^(?:未知|不详|佚名|匿名|无|暂无|网络|互联网|网络整理|网络转载|来源网络|网友|网友投稿|"
    r"转载|整理|综合|综合整理|原创|本站|本站原创|本站编辑|本网|本网编辑|小编|管理员|编辑部|"
    # a link's or a button's text in the slot (作者：查看更多), a section's label (作者：要闻)
    r"查看更多|更多|更多文章|点击查看|查看全部|进入专栏|进入主页|个人主页|主页|关注|加关注|订阅|"
    r"要闻|时政|国内|国际|社会|财经|体育|娱乐|科技|图片|视频|专题|评论|热点|头条|推荐|资讯|新闻|"
    r"admin|administrator|unknown|anonymous|none|null|more)$",
    re.I,
)
# A CMS's staff code: `NF051`, `L_104485`, and one after a name (`王晓易_NE0011`)
_STAFF_CODE = re.compile(r"^[A-Za-z]{0,4}_?\d{2,}$")
_CODE_AFTER_NAME = re.compile(r"(?<=[\u4e00-\u9fff])_[A-Za-z]{1,4}\d{2,}$")


_MARKUP = re.compile(r"[=<>\"{}]")  # the page's own markup in the slot: size="20"


def person_or_none(name: str) -> str:
    """The person a byline slot names, without a staff code after the name (`王晓易_NE0011`
    → 王晓易); "" when it names nobody (`未知`, `网络整理`, `admin`, `NF051`)."""
    name = _CODE_AFTER_NAME.sub("", name.strip())
    if _NOBODY.match(name) or _STAFF_CODE.match(name) or _MARKUP.search(name):
        return ""
    return name


# The keys of a site's metadata line and what each gives: a role (its names credited under
# it), the source, the date, or nothing (counters, font-size buttons).
_META_ROLES = {
    "作者": "作者",
    "文": "文",
    "撰稿": "撰稿",
    "撰稿人": "撰稿",
    "撰文": "撰文",
    "执笔": "执笔",
    "执笔人": "执笔",
    "记者": "记者",
    "通讯员": "通讯员",
    "文字": "文字",
    "摄影": "摄影",
    "图片": "图片",
    "编辑": "编辑",
    "责任编辑": "责任编辑",
    "责编": "责编",
    "审核": "审核",
    "审稿": "审稿",
    "校对": "校对",
    "初审": "初审",
    "复审": "复审",
    "终审": "终审",
    "发布者": "发布者",
    "发布人": "发布人",
    "录入": "录入",
}
_META_SOURCE: tuple[str, ...] = (
    "来源",
    "信息来源",
    "文章来源",
    "稿件来源",
    "新闻来源",
    "来源于",
    "稿源",
    "出处",
)
_META_SOURCE += ("供稿", "供稿单位", "发布单位", "发布部门", "发布机构")
_META_DATE = (
    "发布时间",
    "发表时间",
    "发布日期",
    "发表日期",
    "更新时间",
    "上传时间",
    "时间",
    "日期",
)
_META_IGNORED: tuple[str, ...] = (
    "点击数",
    "点击次数",
    "点击量",
    "点击",
    "浏览次数",
    "浏览量",
    "浏览",
    "阅读量",
)
_META_IGNORED += ("阅读次数", "阅读数", "阅读", "访问量", "访问次数", "字号", "字体", "分享到")
_META_KEY = re.compile(
    "("
    + "|".join(
        sorted([*_META_ROLES, *_META_SOURCE, *_META_DATE, *_META_IGNORED], key=len, reverse=True)
    )
    + r")\s*[：:]\s*"
)


_NOT_A_VALUE = re.compile(r"[【】\[\]（）()，。！？；]")


def meta_pairs(text: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """(date ISO, source, [(name, role)]) of a line made only of `key：value` pairs a site
    prints over or under an article (`发布者：张某 发布时间：2022-02-13 浏览次数：123`,
    `信息来源：某县融媒体中心`); None when anything else is on the line or a name is none."""
    text = text.strip().strip("【】[]")
    keys = list(_META_KEY.finditer(text))
    if not keys or text[: keys[0].start()].strip(" |｜【[("):
        return None
    date, source, names = "", "", []
    for m, nxt in zip(keys, [*keys[1:], None], strict=False):
        key = m.group(1)
        value = text[m.end() : nxt.start() if nxt else len(text)].strip(" |｜【】[]()（）")
        if key in _META_IGNORED or re.search(r"[=<>\"']", value):
            continue  # a counter, or the page's own markup left in the value (size="20")
        if not value:
            if key in _META_DATE:
                continue
            return None
        if _NOT_A_VALUE.search(value):
            return None  # a bracket closing mid-line, a sentence: more than metadata
        if key in _META_ROLES:
            found = split_names(value, _META_ROLES[key], strict=False)
            if found is None or len(value) > 40:
                return None
            names += found
        elif key in _META_SOURCE:
            source = source or value
        else:
            parsed = parse_date_prefix(value)
            if not parsed:
                return None
            date = date or parsed[0]
    if not (date or source or names):
        return None
    return date, source, names


# `张某（某某大学教授）`, `张某，某某大学教授`: a writer and who they are
_NAME_NOTE = re.compile(
    r"^([\u4e00-\u9fff·]{2,5})\s*(?:[（(]([^（）()]{2,40})[）)]|[，,]\s*(\S{2,40}))$"
)


def name_and_note(name: str) -> tuple[str, str]:
    """(the person, the note on who they are) of a byline's name: `张某（某某大学教授）`
    → (张某, 某某大学教授); a name without one → (name, "")."""
    m = _NAME_NOTE.match(name.strip())
    if not m:
        return name, ""
    return m.group(1), (m.group(2) or m.group(3)).strip()


# Bylines and credits printed on a line of their own in forms the page's metadata lines do
# not take: the writer's unit, `文 | 张某`, `撰稿：张某`, names alone in brackets
_UNIT = re.compile(r"^[（(【\[]?\s*作者单位\s*[：:]\s*([^（）()【】\[\]]{2,60}?)\s*[）)】\]]?$")
_MARKED = re.compile(r"^(文[/／]图|文图|文|图)\s*[|｜/／]\s*(\S.{1,40})$")
_KEYED = re.compile(r"^(撰稿|撰文|采写|整理|翻译|译者|口述)\s*[：:]\s*(\S.{1,40})$")
_NAMES_IN_BRACKETS = re.compile(
    r"^[（(]\s*([\u4e00-\u9fff·]{2,4}(?:[ \u3000、，,]+[\u4e00-\u9fff·]{2,4}){0,5})\s*[）)]$"
)


# `（某县融媒体中心 张某某）`: the unit that sent the report (供稿), then its writers
_UNIT_THEN_NAMES = re.compile(
    r"^[（(]\s*([\u4e00-\u9fff]{3,20})[ \u3000]+"
    r"([\u4e00-\u9fff·]{2,4}(?:[ \u3000、，,]+[\u4e00-\u9fff·]{2,4}){0,5})\s*[）)]$"
)
_UNIT_ROLES = ("责任编辑", "责编", "编辑", "记者", "通讯员", "实习生")
_MEDIA_UNIT = re.compile(r"(?:日报|晚报|报社|报|电视台|广播电视台|融媒体中心|新闻中心|网|台|站)$")


# `（文/张某某 图/刘某 审核/陈某某）`, `文：张某 摄影：李某 编辑：王某`: several credits on one
# line, each a role word marked by a slash or a colon (or a space) before its names
_ROLE_MARK = re.compile(
    r"(文[/／]图|文图|文字|文|图片|图|摄影|摄像|摄|视频|供图|撰稿|撰文|采写|责任编辑|责编|编辑"
    r"|审核|审校|审稿|校对|初审|复审|终审)\s*(?:[/／:：|｜]\s*|\s+)"
)


def _role_marked(text: str) -> list[tuple[str, str]] | None:
    """[(name, role), ...] of a line made only of role-marked credits, two of them at least
    or one in brackets (one bare is a metadata line), every name of a person's form; else
    None."""
    from ...text.chinese import looks_like_name

    text = text.strip()
    bracketed = text[:1] in "（(" and text[-1:] in "）)"
    parts = _ROLE_MARK.split(text[1:-1].strip() if bracketed else text)
    if len(parts) < (3 if bracketed else 5) or parts[0].strip():
        return None
    out: list[tuple[str, str]] = []
    for role, names in zip(parts[1::2], parts[2::2], strict=True):
        role = {"文图": "文/图", "文／图": "文/图"}.get(role, role)
        found = split_names(names.strip(), role)
        if not found or not all(looks_like_name(n) for n, _ in found):
            return None
        out += [(n, r or role) for n, r in found]
    return out


def credit_line(text: str) -> list[tuple[str, str]] | None:
    """[(name, role), ...] of a line that is only a byline or a credit in one of these forms
    (`（作者单位：某某大学）` → the unit as 作者单位), else None."""
    from ...text.chinese import looks_like_name

    text = text.strip()
    if len(text) > 80:
        return None
    m = _UNIT.match(text)
    if m:
        return [(m.group(1).strip(), "作者单位")]
    marked = _role_marked(text)
    if marked:
        return marked
    m = _MARKED.match(text) or _KEYED.match(text)
    if m:
        role = {"文图": "文/图", "文／图": "文/图"}.get(m.group(1), m.group(1))
        names = split_names(m.group(2), role)
        return [(n, r or role) for n, r in names] if names else None
    m = _NAMES_IN_BRACKETS.match(text)
    if m:
        names = split_names(m.group(1))
        if names and all(looks_like_name(n) for n, _ in names):
            return names
    m = _UNIT_THEN_NAMES.match(text)
    if m:
        unit, names = m.group(1), split_names(m.group(2))
        if not names or not all(looks_like_name(n) for n, _ in names):
            return None
        # `（某某网编辑 孙某）`: the unit's role word is the names' role
        role = next((w for w in _UNIT_ROLES if unit.endswith(w)), "")
        if role:
            return [(n, role) for n, _ in names]
        if is_organisation(unit) or _MEDIA_UNIT.search(unit):
            return [(unit, "供稿"), *names]
    return None


# The 34 provincial-level divisions: short form, then longer spellings that name it.
_PROVINCES = (
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
)
_PROVINCE_RE = re.compile("|".join(sorted(_PROVINCES, key=len, reverse=True)))


# Provincial capitals and other large cities a dateline names (`本报石家庄7月17日电`):
# the province they are in.
_CITY_PROVINCE = {
    "石家庄": "河北",
    "唐山": "河北",
    "保定": "河北",
    "邯郸": "河北",
    "太原": "山西",
    "大同": "山西",
    "沈阳": "辽宁",
    "大连": "辽宁",
    "长春": "吉林",
    "哈尔滨": "黑龙江",
    "南京": "江苏",
    "苏州": "江苏",
    "无锡": "江苏",
    "杭州": "浙江",
    "宁波": "浙江",
    "温州": "浙江",
    "合肥": "安徽",
    "福州": "福建",
    "厦门": "福建",
    "南昌": "江西",
    "济南": "山东",
    "青岛": "山东",
    "郑州": "河南",
    "洛阳": "河南",
    "武汉": "湖北",
    "长沙": "湖南",
    "广州": "广东",
    "深圳": "广东",
    "海口": "海南",
    "三亚": "海南",
    "成都": "四川",
    "贵阳": "贵州",
    "昆明": "云南",
    "西安": "陕西",
    "兰州": "甘肃",
    "西宁": "青海",
    "呼和浩特": "内蒙古",
    "包头": "内蒙古",
    "南宁": "广西",
    "拉萨": "西藏",
    "银川": "宁夏",
    "乌鲁木齐": "新疆",
    "台北": "台湾",
}
_CITY_RE = re.compile("|".join(sorted(_CITY_PROVINCE, key=len, reverse=True)))


def find_region(*texts: str) -> str:
    """The first province (short form) named in the texts, tried in order; a large city
    (石家庄) names its province."""
    for text in texts:
        m = _PROVINCE_RE.search(text)
        if m:
            return m.group()
        m = _CITY_RE.search(text)
        if m:
            return _CITY_PROVINCE[m.group()]
    return ""


# A county or city name is short (资中县, 兴安盟); autonomous ones longer (融水苗族自治县).
_PLACE_SUFFIX = re.compile(
    r"[\u4e00-\u9fff]{2,8}?(?:自治县|自治州|自治旗)|[\u4e00-\u9fff]{1,4}?(?:县|市|区|旗|盟|州)"
)

_NOT_PLACE = re.compile(
    r"^[全本我该各每以在让把对为从将向]|(?:地区|社区|城区|园区|景区|山区|片区|辖区|城市|"
    r"都市|超市|股市|街区|小区|老区|特区|牧区|灾区|误区|禁区|专区)$"
)


# Words before a title's colon that name no place: a body (交通运输部：), a column
# (午间公告：, 时评：), a person (李克强：).
_NOT_PLACE_HEAD = re.compile(
    r"(?:公告|快讯|新闻|要闻|播报|提示|通知|声明|观察|评论|时评|视点|聚焦|关注|专访|特写|速递|"
    r"图说|图解|解读|回顾|[部委局厅办署院会])$"
    # a market column (收评：, 午评：) or a story's label (独家：, 重磅：)
    r"|^(?:收评|午评|早评|晚评|盘前|盘后|快评|短评|锐评|社评|述评|观点|独家|深度|重磅|最新|突发|实录)$"
)
# A place's name has no count in it: `三周两市蒸发…` is no city
_COUNTED = re.compile(r"[一二三四五六七八九十两几多数]+[周年月日天个家只条次]|两[市县区]")
_PLACE_END = re.compile(r"(?:[县市区镇乡村州旗盟]|自治[县州旗])$")


def find_place(*texts: str) -> str:
    """A place named at the start of a title: `融水：…` → 融水, `资中县坚持…` → 资中县;
    never a body, a column or a person's name before the colon."""
    from ...text.chinese import looks_like_name

    for text in texts:
        head, sep, _ = text.partition("：")
        if sep and 2 <= len(head) <= 6 and all(is_han(c) for c in head):
            if _NOT_PLACE_HEAD.search(head) or is_organisation(head) or looks_like_name(head):
                continue
            # a long head names a place only with its ending (某某自治县): else a phrase
            if len(head) >= 5 and not _PLACE_END.search(head):
                continue
            return head
        m = _PLACE_SUFFIX.match(text)
        if m and not _NOT_PLACE.search(m.group()) and not _COUNTED.search(m.group()):
            return m.group()
    return ""


def collapse_spaces(text: str) -> str:
    """Titles: a run of spaces between Chinese becomes one full-width space 　, else one space."""
    parts = text.split()
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        joint = out[-1].isascii() or part[0].isascii()
        out += (" " if joint else "\u3000") + part
    return out
