"""Page structure: title block (kicker, title, subtitle, series) and splitting into articles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model import Figure
from ...support.errors import ContentError
from ...text.textcheck import MISSING_TITLE
from ..rules.chrome import Chrome
from ..rules.facts import collapse_spaces, find_place
from ..rules.text import Line, ends_final, is_short_line

__all__ = [
    "Entry",
    "Article",
    "split_articles",
    "parse_title_block",
    "head_layout",
    "positional_title_block",
]


@dataclass
class Entry:
    """A non-blank line with what it turned out to be: chrome, a figure, or text."""

    line: Line
    chrome: Chrome | None = None
    figure: Figure | None = None
    why: str = ""  # why an unmarked line was taken as a figure (for the warning)

    @property
    def is_text(self) -> bool:
        return self.chrome is None and self.figure is None


@dataclass
class Article:
    """One article of the page: its title lines and the entries of its body."""

    title_lines: list[Line]
    body: list[Entry]  # text and figures (chrome excluded)
    chrome: list[tuple[int, Entry]] = field(default_factory=list)  # (position, entry)
    start: int = 0  # index of its first entry in the page
    end: int = 0  # index after its last entry
    page_lines: list[Line] = field(default_factory=list)  # page title above (003)
    first: int = 0  # index of the first entry after the title block


_DASH = re.compile(r"^(?:——|──|--|—|―|－－)\s*")
_SERIES = re.compile(r"（([^（）]{2,60})）$")
# An article (as opposed to a section) opens with a time phrase: 近年来，今年以来，…
_OPENING = re.compile(r"^(?:近年来|近些年来|近几年来|多年来|[^，。！？]{0,8}以来)，")


def _titleish(text: str) -> bool:
    """A line that reads as a main title: a series note in parentheses, or `太原：…`."""
    if _SERIES.search(text):
        return True
    head, sep, _ = text.partition("：")
    return bool(sep) and 2 <= len(head) <= 6


def positional_title_block(lines: list[str]) -> tuple[str, str, str, str]:
    """(kicker, title, subtitle, series) of a newspaper export that prints kicker (引题),
    title and subtitle on lines 1-3, keeping a blank line for an empty one."""
    kicker, title, subtitle = (collapse_spaces(t) for t in lines)
    if not title or _DASH.match(title):  # 标题 / ——副题: not this layout
        return parse_title_block([t for t in lines if t.strip()])
    series = ""
    m = _SERIES.search(title)
    if m and m.start() > 0:
        series, title = collapse_spaces(m.group(1)), title[: m.start()].rstrip()
    return kicker, title, _DASH.sub("", subtitle), series


def head_layout(raw_lines: list[str]) -> list[str] | None:
    """Lines 1-3 when the file has that newspaper layout: three unindented lines, at
    least one of them blank and one not, then the body indented (full-width spaces)."""
    if len(raw_lines) < 4 or not raw_lines[3].startswith(("\u3000", "  ")):
        return None
    head = raw_lines[:3]
    if any(t.startswith(("\u3000", " ")) for t in head if t.strip()):
        return None
    blank = [not t.strip() for t in head]
    if all(blank) or not any(blank):
        return None
    return [t.strip() for t in head]


def _couplet_half(text: str) -> bool:
    """Half of a title printed over two lines: at most 8 characters, no punctuation."""
    return len(text) <= 8 and not any(c in "，。、；：！？“”（）" for c in text)


def parse_title_block(lines: list[str]) -> tuple[str, str, str, str]:
    """(kicker, title, subtitle, series) from the title lines of an article.

    - a line opening with a dash (——…纪实) is the subtitle, the line before it the title,
      any line before that the kicker;
    - two lines: the second is the title (the first its kicker) when it reads as a main
      title (_titleish: `太原：…（series）`); else the first is the title, the second its
      subtitle (党建领航　脱贫奔康 / 助力永嘉…);
    - three lines: kicker, title, subtitle;
    - a trailing parenthesised note on the title is the series (深度关注·…②).
    Spaces inside these lines collapse to one full-width space 　 (one ASCII space next to
    Latin letters or digits).
    """
    lines = [collapse_spaces(t) for t in lines if t.strip()]
    kicker = subtitle = ""
    if not lines:
        return "", MISSING_TITLE, "", ""
    dash = next((i for i, t in enumerate(lines) if i > 0 and _DASH.match(t)), None)
    if dash is not None:
        title = lines[dash - 1]
        kicker = "\u3000".join(lines[: dash - 1])
        subtitle = "\u3000".join(_DASH.sub("", t) for t in lines[dash:] if _DASH.sub("", t))
    elif len(lines) == 1:
        title = lines[0]
    elif (
        len(lines) == 3 and all(_couplet_half(t) for t in lines[1:]) and not _couplet_half(lines[0])
    ):
        # a kicker over a title printed on two short lines (测天绘地 / 勇攀高峰)
        kicker, title = lines[0], lines[1] + "\u3000" + lines[2]
    elif len(lines) == 2:
        if _titleish(lines[1]) and not _titleish(lines[0]):
            kicker, title = lines
        else:
            title, subtitle = lines
    else:
        kicker, title, subtitle = "\u3000".join(lines[:-2]), lines[-2], lines[-1]
    series = ""
    m = _SERIES.search(title)
    if m and m.start() > 0:
        series, title = collapse_spaces(m.group(1)), title[: m.start()].rstrip()
    return kicker, title, subtitle, series


# `——编  者`: the sign-off closing an editor's note.
_SIGN_OFF = re.compile(r"^(?:——|──|—)\s*编\s*者\s*$")
_TITLE_LINE_MAX = 3  # kicker and a title printed over two lines, at most


def closes(text: str) -> bool:
    """The line ends what came before: a sentence end or an editor's sign-off."""
    return ends_final(text) or bool(_SIGN_OFF.match(text))


def is_sign_off(text: str) -> bool:
    return bool(_SIGN_OFF.match(text))


def _title_run(entries: list[Entry], i: int) -> int | None:
    """The first line of the title block ending at the short line i (a byline follows):
    up to two more short lines right above it (a kicker, the first line of a two-line
    title), taken as far up as the line above them closes what came before (a sentence
    end, a sign-off, a figure, chrome). None when no line above closes."""
    top = i
    while (
        i - top < _TITLE_LINE_MAX - 1
        and top - 1 >= 0
        and entries[top - 1].is_text
        and is_short_line(entries[top - 1].line.text)
        and not _DASH.match(entries[top - 1].line.text)
        and not _SIGN_OFF.match(entries[top - 1].line.text)
    ):
        top -= 1
    for k in range(top, i + 1):
        above = k - 1
        while above >= 0 and entries[above].chrome is not None:
            above -= 1
        if above >= 0 and (entries[above].figure is not None or closes(entries[above].line.text)):
            return k
    return None


def _first_body(entries: list[Entry], start: int) -> int:
    for i in range(start, len(entries)):
        if entries[i].is_text and not is_short_line(entries[i].line.text):
            return i
    return -1


def _chrome_kind(entry: Entry) -> str:
    """What kind of page chrome the entry is; "" for article text."""
    return entry.chrome.kind if entry.chrome is not None else ""


def _next_text(entries: list[Entry], i: int) -> int:
    j = i + 1
    while j < len(entries) and entries[j].figure is not None:
        j += 1
    return j


def _starts_article(entries: list[Entry], i: int) -> bool:
    """Is the short line at i the title of a further article on the page?

    Yes when (a) the line before it ends a sentence (no broken paragraph) and (b) either a
    byline follows it, or the line names a place (荣县…, 兴安盟…, 太原：…) and the next line
    opens like an article, with a time phrase (近年来，今年以来，…以来，). Section headings
    (建队伍，聚力精准扶贫 / 4300多名后备干部奔赴脱贫一线) are followed by body text that
    continues the article, so they do not split it.
    """
    text = entries[i].line.text
    prev = i - 1
    while prev >= 0 and entries[prev].chrome is not None:
        prev -= 1
    if prev < 0 or (entries[prev].is_text and not closes(entries[prev].line.text)):
        return False
    j = _next_text(entries, i)
    if j >= len(entries):
        return False
    nxt = entries[j]
    if nxt.chrome is not None:
        return nxt.chrome.kind == "byline"
    return bool(find_place(text)) and bool(_OPENING.match(nxt.line.text))


# C901 allowed here: the rules that find where one article ends and the next begins, in the order
# they apply.
def split_articles(entries: list[Entry], path: str) -> list[Article]:  # noqa: C901
    """The articles on a page: a title block, then body entries, possibly several times."""
    texts = [i for i, e in enumerate(entries) if e.is_text]
    if not texts:
        raise ContentError(
            "no article text found (only website chrome or captions)",
            path=path,
            line=entries[0].line.no if entries else 0,
        )
    body_start = _first_body(entries, 0)
    if body_start < 0:
        # only short lines: the first is the title
        if len(texts) < 2 and not any(e.figure for e in entries[texts[0] + 1 :]):
            raise ContentError(
                "no article body found: only a title line",
                path=path,
                line=entries[texts[0]].line.no,
            )
        body_start = texts[0] + 1
    # title lines: the last group of header text lines (groups are separated by chrome);
    # earlier groups are page-level (a page title above the date line, as in 003).
    groups: list[list[Line]] = [[]]
    for e in entries[:body_start]:
        if e.chrome is not None:
            if groups[-1]:
                groups.append([])
        elif e.is_text:
            groups[-1].append(e.line)
    groups = [g for g in groups if g] or [[]]
    # a long first line is never promoted to the title: the case has none (lint error)
    title_lines = groups[-1]
    page_lines = [line for g in groups[:-1] for line in g]
    if len(title_lines) > 3:
        page_lines += title_lines[:-3]
        title_lines = title_lines[-3:]
    starts = [0]
    for i in range(body_start + 1, len(entries)):
        if not (
            entries[i].is_text
            and is_short_line(entries[i].line.text)
            and not _DASH.match(entries[i].line.text)
        ):
            continue
        j = _next_text(entries, i)
        if j < len(entries) and _chrome_kind(entries[j]) == "byline":
            k = _title_run(entries, i)
            if k is not None and k > max(starts[-1], body_start):
                starts.append(k)
        elif _starts_article(entries, i):
            starts.append(i)
    articles: list[Article] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(entries)
        if n == 0:
            first, lines = body_start, title_lines
            header = [e for e in entries[:body_start] if e.figure is not None]
        else:
            lines = [entries[start].line]
            first = start + 1
            run = first  # a title block over several lines ends at a byline
            while (
                run < end
                and run - start < _TITLE_LINE_MAX
                and entries[run].is_text
                and is_short_line(entries[run].line.text)
                and not _DASH.match(entries[run].line.text)
            ):
                run += 1
            if run < end and _chrome_kind(entries[run]) == "byline":
                lines = [entries[x].line for x in range(start, run)]
                first = run
            j = _next_text(entries, first - 1)
            while j < end and entries[j].chrome is not None:
                j += 1
            if j < end and entries[j].is_text and _DASH.match(entries[j].line.text):
                lines.append(entries[j].line)
                first = j + 1
            header = []
        body = header + [
            e for e in entries[first:end] if e.chrome is None and not (n > 0 and e.line in lines)
        ]
        chrome = [(k, entries[k]) for k in range(start, end) if entries[k].chrome is not None]
        articles.append(
            Article(lines, body, chrome, start, end, page_lines if n == 0 else [], first)
        )
    return articles
