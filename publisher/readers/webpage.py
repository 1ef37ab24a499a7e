"""What a saved web page says about its article, read the way a person reads the page.

- `declarations`: the page's own metadata: JSON-LD (NewsArticle, Article…: headline,
  datePublished, author), <meta property="og:title">, article:published_time, <meta
  name="publishdate"|"pubdate"|"author"…>, and <title>.
- `page_lines`: the page's visible text as lines, the way a browser breaks them (a block
  element opens a line), with the element that holds each line.
- `find_headline`: the line that is the article's headline: one that repeats a declared
  title or the <title> (whose site name after a separator is cut off), nearest above the
  page's long text.
- `facts_near`: date, source and bylines from the short lines right under the headline
  (and, failing those, right over it): `2022-02-11 09:52`, `来源：… 作者：…`, a key on one
  line and its value on the next (`发布日期：` / `2022年01月28日`).
Nothing is fetched or run: the page is parsed as data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Author
from ..text.chinese import looks_like_name
from .rules.chrome import classify
from .rules.facts import (
    credit_line,
    find_region,
    is_organisation,
    meta_pairs,
    parse_date_prefix,
    person_or_none,
    split_names,
)
from .rules.text import ends_final

__all__ = [
    "Declared",
    "NearFacts",
    "PageLine",
    "credits_after",
    "printed_only_after",
    "text_end",
    "declarations",
    "declared_published",
    "densest_block",
    "densest_element",
    "document_record",
    "facts_near",
    "find_headline",
    "headline_over",
    "headline_text",
    "notice_only",
    "is_own_line",
    "page_lines",
    "sole_h1",
    "sole_poster",
    "trim_headline",
]

_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
# Never text a reader sees as the page's: code, and a <textarea>'s content (a gallery's
# HTML template kept in one, a form's field)
_SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "head",
        "title",
        "template",
        "iframe",
        "select",
        "option",
        "textarea",
    ]
)
_SQUASH = re.compile(r"[\s\u3000\xa0\ufeff]+")
# `标题_站名`, `标题 - 站名 - 频道`, `标题|站名`: what separates a <title>'s parts
_TITLE_SEPARATORS = re.compile(r"\s*(?:_{1,2}|\|{1,2}|｜|\s[-–—]\s|--|－|»|::)\s*")
_DATE_KEYS = ("datePublished", "dateCreated", "dateModified")
_META_DATE = (
    "article:published_time",
    "og:release_date",
    "publishdate",
    "pubdate",
    "publish_date",
    "publishtime",
    "pubtime",
    "date",
    "dc.date",
    "dc.date.issued",
    "firstpublishedtime",
    "releasedate",
)
# Where pages declare their writers: a site's CMS often fills `author` with the site or the
# publisher, so every one is read and the reader keeps those that are names.
_META_AUTHOR = (
    "author",
    "article:author",
    "dc.creator",
    "byline",
    "citation_author",
    "citation_authors",
)
_ARTICLE_TYPES = re.compile(r"Article$|^Report$|^BlogPosting$|^WebPage$")


def squash(text: str) -> str:
    return _SQUASH.sub("", text or "")


@dataclass
class Declared:
    """Metadata the page declares about itself (empty strings where it declares none)."""

    titles: list[str] = field(default_factory=list)  # og:title, JSON-LD headline
    page_title: str = ""  # <title>
    date: str = ""  # ISO, from JSON-LD or a <meta>
    date_key: str = ""  # where it was declared (datePublished, article:published_time…)
    authors: list[str] = field(default_factory=list)
    site: str = ""


def _json_ld(root: Any) -> list[dict]:
    out: list[dict] = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                    out.append(item)
    return out


def _names_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names_of(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names_of(v)]
    return []


def declarations(root: Any) -> Declared:
    """The page's declared metadata (`root` parsed with its <head> and scripts)."""
    found = Declared()
    found.page_title = " ".join((root.findtext(".//title") or "").split())
    for item in _json_ld(root):
        headline = item.get("headline") or item.get("name")
        if isinstance(headline, str) and headline.strip():
            found.titles.append(" ".join(headline.split()))
        for k in _DATE_KEYS:
            if not found.date and isinstance(item.get(k), str):
                found.date, found.date_key = _iso(item[k]), k
        found.authors += [n.strip() for n in _names_of(item.get("author")) if n.strip()]
    metas: dict[str, str] = {}
    declared_authors: list[str] = []
    for meta in root.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = (meta.get("content") or "").strip()
        if name and content and name not in metas:
            metas[name] = content
        if name in _META_AUTHOR and content and content not in declared_authors:
            declared_authors.append(content)  # citation_author: one meta a writer
    if metas.get("og:title"):
        found.titles.append(" ".join(metas["og:title"].split()))
    for k in _META_DATE:
        if not found.date and metas.get(k):
            found.date, found.date_key = _iso(metas[k]), k
    if not found.authors:
        found.authors = declared_authors
    found.site = metas.get("og:site_name", "")
    return found


# The keys that name a publishing date (not `date`, `dc.date` or dateModified: when the
# page was made or changed)
_PUBLISHED_KEYS = frozenset(_DATE_KEYS + _META_DATE) - {"dateModified", "date", "dc.date"}


def declared_published(declared: Declared) -> str:
    """The date the page declares the article published, else "" (a page's `date` or
    dateModified may be when it was made or changed)."""
    return declared.date if declared.date_key in _PUBLISHED_KEYS else ""


def _iso(text: str) -> str:
    parsed = parse_date_prefix(text.strip())
    return parsed[0] if parsed else ""


@dataclass
class PageLine:
    text: str
    element: Any  # the block element that opens the line
    heading: bool  # inside <h1>…<h6>


def page_lines(root: Any, within: Any = None) -> list[PageLine]:
    """The visible text as lines (of the element `within`, else the whole body): a block
    element or <br> ends the line before it."""
    lines: list[PageLine] = []
    parts: list[str] = []
    owner: list[Any] = [None, False]

    def flush() -> None:
        text = " ".join("".join(parts).split())
        if text:
            lines.append(PageLine(text, owner[0], bool(owner[1])))
        parts.clear()

    def add(text: str) -> None:
        # numbers in boxes of their own (<em>2023</em><em>08</em>/<em>01</em>): one
        # element's digits never run into the next's
        if parts and parts[-1][-1:].isdigit() and text[:1].isdigit():
            parts.append(" ")
        parts.append(text)

    def walk(el: Any, heading: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP or not tag:
            return
        heading = heading or tag in HEADING_TAGS
        if tag in _BLOCK:
            flush()
        if not parts:
            owner[0], owner[1] = el, heading
        if el.text:
            add(el.text)
        for child in el:
            walk(child, heading)
            if child.tail:
                if not parts:
                    owner[0], owner[1] = el, heading
                add(child.tail)
        if tag in _BLOCK:
            flush()

    body = root.find(".//body") if within is None else within
    walk(body if body is not None else root, False)
    flush()
    return lines


def title_parts(page_title: str) -> list[str]:
    """A <title>'s parts between separators, longest first (`标题_频道_站名`)."""
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(page_title) if p.strip()]
    return sorted(parts, key=len, reverse=True)


_LONG = 60  # characters: a line this long is article text, not furniture
_SENTENCE = 20  # characters: a line this long that ends a sentence is article text
_BARRED_MAX = 120  # characters: a line of facts between bars may be long (来源 | 作者 | …)


def find_headline(lines: list[PageLine], declared: Declared) -> int | None:
    """Index of the headline line, or None.

    A line is a candidate when its text is a declared title, the <title>, one of the
    <title>'s parts of six characters or more, or opens the <title> and is at least half
    of it. Of the candidates, the one nearest above a long line of text wins (the headline
    stands over its article; a breadcrumb or a list repeating it does not); a heading
    element breaks ties.
    """
    targets = {squash(t) for t in declared.titles if len(squash(t)) >= 4}
    whole = squash(declared.page_title)
    if whole:
        targets.add(whole)
    parts = {squash(p) for p in title_parts(declared.page_title)}
    named = [p for p in _TITLE_SEPARATORS.split(declared.page_title) if p.strip()]
    site_part = squash(named[-1]) if len(named) > 1 else ""
    targets |= {p for p in parts if len(p) >= 6}
    if not targets and not whole:
        return None
    best: tuple[int, int, int, int] | None = None
    for i, line in enumerate(lines):
        text = squash(line.text)
        # a short headline (金某某, 春) only in a heading element: elsewhere the <title>'s
        # short parts are the site's and the section's names
        if line.heading and 2 <= len(text) < 6 and text in parts:
            pass
        elif len(text) < 4 or len(text) > 80:
            continue
        # a headline printed over two lines (title / ——subtitle) is read as one
        two = text + squash(lines[i + 1].text) if i + 1 < len(lines) else text
        exact = text in targets or (line.heading and text in parts)
        # a link whose text only opens the <title> leads to the site or a section
        if not exact and line.element.tag == "a":
            continue
        if not (
            exact
            or (whole.startswith(text) and len(text) >= max(6, len(whole) // 2))
            or any(t.startswith(text) and len(text) >= max(6, len(t) * 2 // 3) for t in targets)
            or (len(text) >= 6 and any(t == two or t.startswith(two) for t in targets))
        ):
            continue
        distance = next(
            (j - i for j in range(i + 1, min(len(lines), i + 40)) if len(lines[j].text) >= _LONG),
            1000,
        )
        # a line that is only the site's name (the <title>'s last part) is its banner:
        # any line repeating the rest of the <title> is the headline before it
        banner = len(parts) > 1 and text == site_part
        rank = (1 if banner else 0, distance, 0 if line.heading else 1, i)
        if best is None or rank < best:
            best = rank
    return best[3] if best else None


def sole_h1(lines: list[PageLine]) -> int | None:
    """The line of the page's only <h1>, when it reads as a headline (6 to 80 characters,
    not a link): on a page without a <title>, the headline its author marked (`主题: …`
    of a forum)."""
    h1 = [
        i
        for i, line in enumerate(lines)
        if line.heading and _h1_of(line.element) is not None and 6 <= len(squash(line.text)) <= 80
    ]
    # an <h1> whose text is a link's is the site's name on every page (its logo)
    h1 = [i for i in h1 if lines[i].element.tag != "a"]
    heads = {id(_h1_of(lines[i].element)) for i in h1}
    return h1[0] if len(heads) == 1 else None


def _h1_of(el: Any) -> Any:
    while el is not None and el.tag != "h1":
        el = el.getparent()
    return el


# Lines over a text that are no headline: a quotation, a byline, an editor's note label
_NOT_HEADLINE = re.compile(r"^[「『“‘\[【(（]|记者|实习生|通讯员|编者按|^作者|^文[/／]")


# `快讯|论坛|研究|电影`, `第一章│第二章│第三章`: a menu's items between bars, no headline
_MENU = re.compile(r"[|│｜](?:[^|│｜]+[|│｜]){1,}")


# Lines under a headline that are no headline: a ——subtitle, the text's first numbered
# heading (一、 （一） 1.)
_UNDER_HEADLINE = re.compile(
    r"^(?:——|──|--)|^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）|^\d{1,2}[.．、]"
)


def headline_over(lines: list[PageLine], first_text: str) -> int | None:
    """The line standing over the article's first paragraph that reads as its headline
    (a page whose <title> names only the site): of the 8 lines above, skipping metadata
    lines, the nearest of 6 to 50 characters without end punctuation that is no page
    furniture. None when there is none."""
    start = squash(first_text)[:20]
    if len(start) < 8:
        return None
    at = next((i for i, line in enumerate(lines) if start in squash(line.text)), None)
    if at is None:
        return None
    plausible: list[int] = []
    for i in range(at - 1, max(-1, at - 9), -1):
        text = lines[i].text.strip()
        if (
            _facts_of(text, NearFacts())
            or len(squash(text)) < 6
            or _NOT_HEADLINE.search(text)
            or _UNDER_HEADLINE.match(text)
            or _MENU.search(text)
        ):
            continue
        # a headline may ask or exclaim (…谁来“埋单”？), never end a sentence or a clause
        if len(text) > 50 or text[-1] in "。；：:，," or classify(text) is not None:
            break
        plausible.append(i)
    # a heading element among them is the headline; else the nearest line
    return next((i for i in plausible if lines[i].heading), plausible[0] if plausible else None)


# What some sites print after every headline: `谁来“埋单”？- -`, `标题 ——`, `标题 |`
_TRAILING_FILLER = re.compile(r"(?:[\s\u3000]*[-－–—_|｜])+[\s\u3000]*$")


# `主题: …` over a forum's first post: the key is no part of the headline
_KEY_BEFORE = re.compile(r"^(?:主题|标题|题目|帖子主题)\s*[:：]\s*")


# `[独家]标题`: a label in square brackets before the headline, as 【独家】 is
_SQUARE_LABEL = re.compile(r"^[\[［]\s*([^\]］\s]{1,8})\s*[\]］]\s*(?=\S)")


def trim_headline(text: str) -> str:
    """The headline without the dashes or bars a site prints after it, or the key a forum
    prints before it; a label in square brackets before it written 【…】, the way the
    title's label (its series) is recognised."""
    text = _KEY_BEFORE.sub("", _TRAILING_FILLER.sub("", text).strip()) or text
    return _SQUARE_LABEL.sub(lambda m: f"【{m.group(1)}】", text)


def headline_text(lines: list[PageLine], at: int, declared: Declared) -> tuple[str, int]:
    """(the headline found at line `at`, the lines it takes): with the lines after it while
    the page breaks it (the declared title or the <title> runs on into them, at most 4
    lines); a ——subtitle line stays the subtitle."""
    targets = [squash(t) for t in declared.titles] + [squash(declared.page_title)]
    targets += [squash(p) for p in title_parts(declared.page_title)]
    targets = [t for t in targets if t]
    text, taken = lines[at].text, 1
    while at + taken < len(lines) and taken < 4 and squash(text) not in targets:
        nxt = lines[at + taken].text
        whole = squash(text + nxt)
        if nxt.lstrip().startswith(("—", "─", "-")) or not any(
            t.startswith(whole) for t in targets
        ):
            break
        text += f" {nxt}" if text[-1:].isascii() or nxt[:1].isascii() else nxt
        taken += 1
    return text, taken


# A date anywhere in a short line: 2022-02-11 09:52, 2004年7月16日08:19 (the line's
# other words are a site name or a label).
_DATE_IN_LINE = re.compile(
    r"(?<!\d)(\d{4}) ?(?:年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日|[-/.](\d{1,2})[-/.](\d{1,2})(?!\d))"
    r"(?: ?(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?"
)
# `2022 02/13 07:48:12`: the year, then month/day, printed in separate boxes over a headline
_DATE_SPLIT = re.compile(
    r"(?<!\d)(\d{4})\s+()()(\d{1,2})\s*/\s*(\d{1,2})(?!\d)"
    r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
# 9/17/2004 5:54:13 AM: month first, as the servers that print AM/PM write it
_DATE_US = re.compile(
    r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AP]M)\b", re.I
)
# September 10th, 2005 10:56 am; 10 Sep 2005: a date in English, as blog software prints it
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE_EN = re.compile(
    r"\b(?:(?P<m1>[A-Z][a-z]{2,8})\.? (?P<d1>\d{1,2})(?:st|nd|rd|th)?,? (?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)? (?P<m2>[A-Z][a-z]{2,8})\.?,? (?P<y2>\d{4}))\b"
    r"(?:,? (?:at )?(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))? ?(?P<half>[ap]\.?m\.?)?)?",
    re.I,
)
_MONTH_ONLY = re.compile(r"[（(]?(\d{4})\s*年\s*(\d{1,2})\s*月[）)]?")  # a line `2003年5月`
_KEY_ONLY = re.compile(r"^[^\s：:]{1,6}\s*[：:]$")  # `发布日期：` alone, its value on the next line
# [ 黄宇 ]: a name in square brackets (【白某词谱】 is a label or a book's name, no byline)
_BRACKETED_NAME = re.compile(r"^[\[［]\s*([\u4e00-\u9fff·]{2,4})\s*[\]］]")


@dataclass
class NearFacts:
    date: str = ""
    source: str = ""
    authors: list[Author] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the metadata lines read
    named_alone: str = ""  # a name alone on its line, taken as the byline
    # authors taken by a weaker rule than a byline's key (a name beside the date, a poster):
    # what the reader reports as guesses: (the name, the warning's line)
    guesses: list[tuple[str, str]] = field(default_factory=list)
    issued_by: str = ""  # a government document's 发文机关
    written: str = ""  # its 成文日期 (ISO)
    kicker: str = ""  # the 引题 printed over the headline
    subtitle: str = ""  # the ——副题 printed under it
    pager: str = ""  # the page's pager where the article goes on on a page not saved


def date_in_line(text: str) -> str:
    """The ISO date a short line prints (with its time when it prints one), else ""."""
    found = _date_match(text)
    return found[0] if found else ""


def _date_match(text: str) -> tuple[str, int, int] | None:
    """(ISO date, where it starts and ends in the text) of the first date a line prints,
    else None."""
    us = _DATE_US.search(text)
    if us:
        mo_, d_, y_, h_, mi_, s_, half = us.groups()
        hour = int(h_) % 12 + (12 if half.upper() == "PM" else 0)
        if 1 <= int(mo_) <= 12 and 1 <= int(d_) <= 31:
            iso = f"{y_}-{int(mo_):02d}-{int(d_):02d}T{hour:02d}:{mi_}" + (f":{s_}" if s_ else "")
            return iso, us.start(), us.end()
    m = _DATE_IN_LINE.search(text) or _DATE_SPLIT.search(text)
    if not m:
        return _english_date(text)
    y, mo1, d1, mo2, d2, hh, mm, ss = m.groups()
    mo, d = int(mo1 or mo2), int(d1 or d2)
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= int(y) <= 2100):
        return None
    iso = f"{y}-{mo:02d}-{d:02d}"
    if hh is not None and int(hh) <= 23 and int(mm) <= 59:
        iso += f"T{int(hh):02d}:{mm}" + (f":{ss}" if ss is not None else "")
    return iso, m.start(), m.end()


def _english_date(text: str) -> tuple[str, int, int] | None:
    m = _DATE_EN.search(text)
    if not m:
        return None
    month = (m["m1"] or m["m2"])[:3].lower()
    if month not in _MONTHS or (m["m1"] or m["m2"]).lower() not in _month_words(month):
        return None
    y, mo, d = int(m["y1"] or m["y2"]), _MONTHS.index(month) + 1, int(m["d1"] or m["d2"])
    if not (1 <= d <= 31 and 1900 <= y <= 2100):
        return None
    iso = f"{y}-{mo:02d}-{d:02d}"
    if m["h"] and int(m["h"]) <= 23 and int(m["mi"]) <= 59:
        hour = int(m["h"])
        if m["half"] and hour <= 12:
            hour = hour % 12 + (12 if m["half"].lower().startswith("p") else 0)
        iso += f"T{hour:02d}:{m['mi']}" + (f":{m['s']}" if m["s"] else "")
    return iso, m.start(), m.end()


def _month_words(short: str) -> set[str]:
    """`sep`: the ways a month is printed (Sep, Sept, September)."""
    full = {
        "jan": "january",
        "feb": "february",
        "mar": "march",
        "apr": "april",
        "may": "may",
        "jun": "june",
        "jul": "july",
        "aug": "august",
        "sep": "september",
        "oct": "october",
        "nov": "november",
        "dec": "december",
    }[short]
    return {short, full, "sept"} if short == "sep" else {short, full}


def _facts_of(text: str, found: NearFacts) -> bool:
    """Takes what a metadata line says; False when the line is no metadata."""
    # parts between bars first: a line's whole would run a value into the next part
    if _BAR.search(text) and len(text) <= _BARRED_MAX and _segments(text, found):
        return True
    chrome = classify(text)
    if chrome is not None and chrome.kind in ("meta", "byline"):
        found.date = found.date or chrome.date
        source = chrome.source
        # `来源：某市日报 记者 张三`: the source's value runs into the byline after it
        byline = _ROLE_AFTER_SOURCE.search(source)
        if byline:
            source = source[: byline.start()]
            _facts_of(chrome.source[byline.start() :].strip(), found)
        found.source = found.source or source.strip("[]［］【】 ")
        found.authors += [a for a in chrome.authors if a not in found.authors]
        if not found.date:
            found.date = date_in_line(text)
        return True
    pairs = meta_pairs(text)
    if pairs is not None:  # keys the page furniture rules do not know (发布者：, 信息来源：)
        date, source, names = pairs
        found.date = found.date or date
        found.source = found.source or source
        found.authors += [Author(n, r) for n, r in names if Author(n, r) not in found.authors]
        return True
    m = _BRACKETED_NAME.match(text)
    if m and len(text) <= 40 and looks_like_name(m.group(1)):
        bracketed = split_names(m.group(1))
        if bracketed:
            found.authors += [Author(n, r) for n, r in bracketed]
        after = text[m.end() :].strip()
        rest = _facts_of(after, found) if after else True
        return bool(bracketed) or rest
    month = _MONTH_ONLY.fullmatch(text.strip())
    if month and 1 <= int(month.group(2)) <= 12:
        found.date = found.date or f"{month.group(1)}-{int(month.group(2)):02d}"
        return True
    dated = _date_match(text)
    if dated and len(text) <= 80:
        found.date = found.date or dated[0]
        before = text[: dated[1]].strip()
        if before and not _facts_of(before, found):
            _beside_date(before, found, before=True)
        # what follows the date: `[ 黄宇 ]  来源：[ 国际金融报 ]`, `北京娱乐信报`
        after = text[dated[2] :].strip()
        if after and not _facts_of(after, found):
            _beside_date(after, found, before=False)
        return True
    return False


# A paper, an agency or a site named beside a date (`2005年03月31日03:18 北京娱乐信报`)
_MEDIA = re.compile(
    r"^[\u4e00-\u9fff·]{1,12}(?:日报|晚报|早报|商报|时报|报|通讯社|新闻社|社|电视台|广播电台|台"
    r"|杂志|周刊|刊|网|频道|在线|客户端)$"
)
# `ggjjzhzz 发表于`, `由 张某 发布于`: who posted the text, before its date
_POSTER = re.compile(
    r"^(?:由\s*)?(\S{2,20}?)\s*(?:发表于|发布于|发表在|发布在|写于|posted(?: on| at)?)[:：]?$"
)
_HANDLE = re.compile(r"^[a-z][a-z0-9_]{2,19}$")  # a user's handle: lower case, no site's dots
# English labels a page prints before a date: no handle
_DATE_LABEL = re.compile(
    r"^(?:posted|updated?|published|created|modified|date|time|on|at|by|from|source|views?)$"
)
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.I)


def _beside_date(part: str, found: NearFacts, before: bool) -> None:
    """What a date line prints beside its date, when it is one word: a paper or a site
    (the source), a poster (`ggjjzhzz 发表于`), a person's name or handle before the date
    (`王某 2015-06-21 11:39:55`): the names are guesses, said in `guesses`."""
    part = _ADDRESS.sub(" ", part).strip(" |｜/／·•\u3000")
    if not part:
        return
    poster = _POSTER.match(part) if before else None
    word = poster.group(1) if poster else part
    if len(word.split()) != 1:
        return
    if _MEDIA.match(word) and not poster:
        found.source = found.source or word
        return
    # a Han name of three or four characters: two are as often a word (时间, 党建)
    handle = bool(_HANDLE.match(word)) and not _DATE_LABEL.match(word)
    if found.authors or not ((_person(word) and len(word) >= 3) or handle):
        return
    if not person_or_none(word):  # admin, a staff code
        return
    if not poster and not before:
        return  # a word after the date is a place or a tag as often as a name
    found.authors.append(Author(word, ""))
    found.guesses.append(
        (
            word,
            f"guess: “{word}”, "
            + ("who posted the text" if poster else "the name before the date under the headline")
            + ", taken as the author: check",
        )
    )


# `ggjjzhzz 发表于 2005-9-15 11:46:00`: a post's poster and its date on one line
_POSTER_LINE = re.compile(r"^(?:由\s*)?([^\s:：]{2,20}?)\s*(?:发表于|发布于)\s*[:：]?\s*(?=\d{4})")


def sole_poster(lines: list[PageLine]) -> str:
    """The poster of the page's only `X 发表于 <date>` line (a blog's post), else "": with
    several such lines the page is a thread or a list of posts."""
    posters = []
    for line in lines:
        m = _POSTER_LINE.match(line.text.strip())
        if m and date_in_line(line.text) and person_or_none(m.group(1)):
            posters.append(m.group(1))
    return posters[0] if len(posters) == 1 else ""


def _person(word: str) -> bool:
    """A Chinese personal name, a surname first (`康某某` of 4 too), never a body's name."""
    return (
        looks_like_name(word)
        and not is_organisation(word)
        and not find_region(word)
        and word[-1] not in "省市县区镇乡村州盟旗"
        and not _MEDIA.match(word)
        and split_names(word) is not None
    )


_BAR = re.compile(r"\s*[|｜]\s*")
_MENU_ONLY = re.compile(r"^[^:：\d]*$")  # bars between words without a key or a number
# `作者魏星`, `来源CSDN`: a key without its colon, in a line of parts between bars
_BARE_KEY = re.compile(
    r"^(作者|来源|稿源|责任编辑|责编|编辑|记者|通讯员|摄影)\s*([^\s:：]\S{1,19})$"
)
_BARE_ROLES = {"作者": "作者", "责任编辑": "责任编辑", "责编": "责编", "编辑": "编辑"}
_BARE_ROLES |= {"记者": "记者", "通讯员": "通讯员", "摄影": "摄影"}


def _segments(text: str, found: NearFacts) -> bool:
    """A line of facts between bars (`发表于2014-08-24 21:30| 1164次阅读| 来源CSDN| 作者魏星`):
    each part read; False when no part is a fact (a menu: 首页 | 新闻 | 体育)."""
    parts = [p for p in _BAR.split(text) if p]
    if len(parts) < 2 or _MENU_ONLY.match(text):
        return False
    taken = NearFacts()
    facts = 0
    for part in parts:
        if _facts_of(part, taken):
            facts += 1
            continue
        m = _BARE_KEY.match(part)
        if m and m.group(1) in _BARE_ROLES:
            names = split_names(m.group(2), _BARE_ROLES[m.group(1)])
            if names:
                taken.authors += [Author(n, r) for n, r in names]
                facts += 1
        elif m:
            taken.source = taken.source or m.group(2)
            facts += 1
    if not facts or not (taken.date or taken.authors or taken.source):
        return False
    found.date = found.date or taken.date
    found.source = found.source or taken.source
    found.authors += [a for a in taken.authors if a not in found.authors]
    found.guesses += taken.guesses
    return True


_ROLE_AFTER_SOURCE = re.compile(r"\s(?:本报|本台|本刊)?(?:记者|通讯员|作者|责任编辑|编辑)[\s：:]")


def _named_by_headline(text: str, headline: str) -> bool:
    """A name alone that the headline opens with (`茉莉：我是怎样…` over `茉莉`): the
    essay's writer, whatever the surname."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", text)) and headline.startswith(
        (text + "：", text + ":")
    )


def facts_near(lines: list[PageLine], headline: int) -> NearFacts:
    """Facts of the short lines right under the headline (up to the article's first long
    line, at most 8 lines); failing a date there, of the 3 lines right over it. A line of a
    name alone right under the headline or its metadata is the byline (`茉莉`): listed in
    `named_alone` for the reader to report as a guess."""
    found = NearFacts()
    below = _joined(lines[headline + 1 : headline + 9])
    for n, text in enumerate(below):
        barred = bool(_BAR.search(text)) and len(text) <= _BARRED_MAX
        if not barred and (len(text) >= _LONG or (len(text) >= _SENTENCE and ends_final(text))):
            break  # the article's text has begun: a date further on is its own (a signature)
        if _facts_of(text, found):
            found.lines.append(text)
        elif (
            not found.authors
            and n < 4
            and (looks_like_name(text) or _named_by_headline(text, lines[headline].text))
        ):
            found.authors.append(Author(text, ""))
            found.named_alone = text
            found.lines.append(text)
    if not found.date:
        for text in reversed(_joined(lines[max(0, headline - 3) : headline])):
            date = date_in_line(text)
            if date and len(text) <= 40:
                found.date = date
                found.lines.append(text)
                break
    if not found.source:
        # `来源：新华网` printed over the headline, beside its date
        for text in reversed(_joined(lines[max(0, headline - 3) : headline])):
            chrome = classify(text)
            if chrome is not None and chrome.kind == "meta" and chrome.source and len(text) <= 40:
                found.source = chrome.source
                found.lines.append(text)
                break
    return found


# `【纠错】 责任编辑：…`, `【纠错】【责任编辑:…】`: a button before the credit
_BUTTON_BEFORE = re.compile(r"^[【\[][^】\]]{1,8}[】\]](?:\s+(?=\S)|(?=[【\[]))")
_AFTER_REACH = 4  # lines after the article's last paragraph where its credits stand


def text_end(lines: list[PageLine], last_text: str) -> int | None:
    """The line where the article's last paragraph (`last_text`) ends, else None."""
    end = squash(last_text)[-20:]
    if len(end) < 8:
        return None
    return next((i for i in range(len(lines) - 1, -1, -1) if end in squash(lines[i].text)), None)


def printed_only_after(lines: list[PageLine], at: int | None, day: str) -> bool:
    """Whether the day (ISO) is printed on the page only after its line `at`, the article's
    end: the date of another article in a list under it (`某市召开… 2021-01-11`)."""
    if at is None or not day:
        return False
    printed = [i for i, line in enumerate(lines) if date_in_line(line.text)[:10] == day[:10]]
    return bool(printed) and all(i > at for i in printed)


def credits_after(lines: list[PageLine], at: int | None) -> list[Author]:
    """The credits printed on the short lines right after the article's last paragraph
    (line `at`): `(责编：张某、李某)`, `【责任编辑:张某】`, `本报记者 张某`, `（作者单位：…）`,
    up to the first line that is none: an extractor may have cut them with the page's
    furniture."""
    if at is None:
        return []
    found: list[Author] = []
    for line in lines[at + 1 : at + 1 + _AFTER_REACH]:
        # a button before the credit (【我要纠错】 责任编辑：…) is no part of it
        text = _BUTTON_BEFORE.sub("", line.text.strip())
        chrome = classify(text)
        credited = chrome is not None and chrome.kind in ("editors", "byline", "credits", "meta")
        if chrome is not None and credited and (chrome.kind != "meta" or chrome.authors):
            found += [a for a in chrome.authors if a not in found]
        elif credit_line(text):
            found += [Author(n, r) for n, r in credit_line(text) or [] if n]
        else:
            break
    return found


# A government document's record, printed as a table over it (发文机关：… 成文日期：…)
_ISSUER = re.compile(r"^(?:发文机关|发文单位|发布机关)\s*[：:]\s*(\S.{1,30})$")
_WRITTEN = re.compile(r"^成文(?:日期|时间)\s*[：:]\s*(.+)$")


def document_record(lines: list[PageLine], found: NearFacts) -> None:
    """Fills `issued_by` and `written` from the record a government document's page prints
    (发文机关：某省人民政府, 成文日期：2022年01月27日), wherever on the page it stands."""
    for text in _joined(lines):
        m = _ISSUER.match(text.strip())
        if m and not found.issued_by:
            found.issued_by = m.group(1).strip()
        m = _WRITTEN.match(text.strip())
        if m and not found.written:
            found.written = date_in_line(m.group(1))


def _joined(lines: list[PageLine]) -> list[str]:
    """Line texts with a key alone on its line joined to the value on the next."""
    out: list[str] = []
    for line in lines:
        if out and _KEY_ONLY.match(out[-1]):
            out[-1] += line.text
        else:
            out.append(line.text)
    return out


# Containers: a text block's own text stops at them (their text is their own block's).
_CONTAINERS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "div",
        "dl",
        "dt",
        "footer",
        "form",
        "header",
        "li",
        "main",
        "nav",
        "ol",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _own_text(el: Any) -> str:
    """An element's text outside nested containers and links: what it says itself."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in _CONTAINERS and tag != "a" and tag not in _SKIP:
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def densest_block(root: Any) -> str:
    """The text of the page's densest text block, the way text-density extractors find an
    article (GeneralNewsExtractor, cx-extractor): the container whose own text, outside
    links and nested containers, holds the most Chinese characters. The safety net: an
    import that keeps markedly less article text than this says so."""
    el = densest_element(root)
    return _own_text(el) if el is not None else ""


def is_own_line(line: PageLine, el: Any) -> bool:
    """Whether a line of `el` (from `page_lines(root, el)`) stands outside its nested
    containers: the text block's own line (a menu or a comment list nested in it is a
    block of its own)."""
    node = line.element
    while node is not None and node is not el and node.tag not in _CONTAINERS:
        node = node.getparent()
    return node is el


def densest_element(root: Any) -> Any:
    """The element `densest_block` reads, or None."""
    best, best_n = None, 0
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in _CONTAINERS:
            continue
        if any(isinstance(a.tag, str) and a.tag in _SKIP for a in el.iterancestors()):
            continue
        n = len(_HAN_CHAR.findall(_own_text(el)))
        if n > best_n:
            best, best_n = el, n
    return best


# A page that is only a notice: `该内容已被删除`, `请登录后查看`.
_NOTICE = re.compile(
    r"(?:内容|文章|页面|帖子|信息)(?:(?:已被|已经被|已|因)[^，。,]{0,8}?)?(?:删除|撤回|下线|屏蔽|不存在)"
    r"|(?:请|需要|须)(?:先)?登录(?:后)?(?:查看|阅读|访问|浏览)|登录后(?:查看|阅读|可见)"
    r"|此内容因违规无法查看|该公众号已迁移|页面不存在|您访问的页面不存在"
)
NOTICE_MAX = 300  # Chinese characters: a notice page holds little else


def notice_only(root: Any) -> str:
    """The notice a page is only made of (a login wall, `content deleted`), else ""."""
    body = root.find(".//body")
    if body is None:
        return ""
    text = " ".join(line.text for line in page_lines(root))
    if len(_HAN_CHAR.findall(text)) > NOTICE_MAX:
        return ""
    m = _NOTICE.search(text)
    return m.group() if m else ""


# `——贵州台盘村篮球赛见闻`: a subtitle under the headline (a dash, no sentence)
_DASH_LINE = re.compile(r"^(?:——|──|--|－－)\s*[^。！？]{2,40}$")
_KICKER_MIN, _KICKER_MAX = 4, 30  # characters
_KICKER_CLASS = re.compile(
    r"(?:^|[\s_-])(?:pre|yt|yinti|kicker|pretitle|intitle)(?:$|[\s_-])", re.I
)


def title_lines(lines: list[PageLine], at: int, end: int, page_title: str) -> tuple[str, str]:
    """(the kicker, the subtitle) printed round the headline at lines[at:end]: a ——line
    right under it; the kicker as `_is_kicker` reads the line right over it."""
    subtitle = lines[end].text if end < len(lines) and _DASH_LINE.match(lines[end].text) else ""
    kicker = lines[at - 1].text if at > 0 and _is_kicker(lines, at - 1, page_title) else ""
    return kicker, subtitle


def _is_kicker(lines: list[PageLine], at: int, page_title: str) -> bool:
    """Whether lines[at], right over the headline, is its kicker: short, set as a heading or
    named a kicker by its class (`pre`, `yinti`…), printed nowhere else on the page (a
    channel's name is, in the breadcrumb or the menu), no link, date, furniture or sentence,
    and no part of the page's <title>."""
    line = lines[at]
    text, el = line.text, line.element
    if el is None or not _KICKER_MIN <= len(text) <= _KICKER_MAX:
        return False
    named = f"{el.get('class') or ''} {el.get('id') or ''}"
    linked = el.tag == "a" or el.find(".//a") is not None
    linked = linked or any(a.tag == "a" for a in el.iterancestors())
    return (
        (line.heading or bool(_KICKER_CLASS.search(named)))
        and not linked
        and sum(squash(text) in squash(other.text) for other in lines) == 1
        and not date_in_line(text)
        and classify(text) is None
        and not ends_final(text)
        and squash(text) not in {squash(p) for p in title_parts(page_title)}
        and not _DASH_LINE.match(text)
    )


# `第1页/共3页`, `1/2` beside 下一页: a page of an article printed over several
_PAGE_OF = re.compile(
    r"第\s*(\d+)\s*页\s*[/／,，]?\s*共\s*(\d+)\s*页"
    r"|(?<![\d/／.-])(\d{1,3})\s*[/／]\s*(\d{1,3})(?![\d/／.-])"
)


def pager(lines: list[PageLine]) -> str:
    """The pager line of a page that is one of several (`1/2` beside 下一页, `第1页/共3页`)
    when it is not the last, else "": the article may go on on a page not saved."""
    for i, line in enumerate(lines):
        if "下一页" not in line.text:
            continue
        for near in lines[max(0, i - 3) : i + 4]:
            m = _PAGE_OF.search(near.text)
            if m:
                page, total = (int(g) for g in (m.group(1, 2) if m.group(1) else m.group(3, 4)))
                if 1 <= page < total <= 100:
                    return near.text
    return ""
