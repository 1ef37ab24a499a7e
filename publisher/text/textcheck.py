"""Text rules on one line of article text: damaged figures, website chrome, half-width
punctuation, unbalanced pairs. Pure functions; `lint` and the importer both use them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..support.errors import Severity
from .chinese import FULL_WIDTH, HAN, NAVIGATION, SITE_CHROME

_HAN = HAN

# The title an import gives a case whose source has none: `publisher lint` reports it as an
# error, so it never goes to print (a paragraph is never promoted to a title silently).
MISSING_TITLE = "（缺标题）"
# The caption of an imported picture that had none: lint warns until an editor writes one.
MISSING_CAPTION = "（缺图注）"


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding at a 0-based column of one line."""

    col: int
    severity: Severity
    message: str
    rule: str  # figure | chrome | punctuation | pairs


# Figures damaged in the source: a character lost between two numbers.
_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d\d)(\d{1,2})月")  # 20177月 for 2017年7月
# 贫困户4711340人 for 贫困户471户1340人; not 471户1340人 itself (a digit before 户).
_LOST_HU = re.compile(r"(?<!\d)户(\d{4,})人")
_HUGE_COUNT = re.compile(r"(?<![\d.,万亿])(\d{6,})人")  # 4321783人 in a village
_LOST_UNIT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)/(亩|人|户|吨|斤|公斤|平方米|米|公里|天|月|年)")

# What the importer removes as chrome (the same word lists), and visitor counters.
_CHROME = re.compile(
    "|".join(SITE_CHROME + NAVIGATION) + r"|点击次数|点击数[:：]|位访问者|分享到[:：]|首页\s*>"
)

# Half-width punctuation touching a Han character (the importer turns these full-width).
_HALF_WIDTH = re.compile(rf"(?<=[{_HAN}])[,:;?!()]|[,:;?!()](?=[{_HAN}])")
_FULL = FULL_WIDTH

# <州> or <市、区>: ASCII angle brackets in Chinese text (print as 〈州〉).
_ANGLE = re.compile(rf"<[^<>\n]*[{_HAN}][^<>\n]*>")
# A half-width space between two Chinese characters (a source's stray space: 退” 后),
# but not the space before 摄 in a photo credit (孙璞玉 摄).
_CJK_SPACE = re.compile(
    rf"(?<=[{_HAN}\u3000-\u303f\uff01-\uff60“”‘’])[ \t]+"
    rf"(?=[{_HAN}\u3000-\u303f\uff01-\uff60“”‘’])(?!摄)"
)

_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "(": ")", "「": "」"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def check_line(text: str) -> list[Finding]:
    """All text findings on one line of article text."""
    found: list[Finding] = []
    for m in _YEAR_MONTH.finditer(text):
        found.append(
            Finding(
                m.start(),
                "error",
                f"garbled date {m.group()!r}: 年 seems lost ({m.group(1)}年{m.group(2)}月?)",
                "figure",
            )
        )
    for m in _LOST_HU.finditer(text):
        found.append(
            Finding(
                m.start(1),
                "error",
                f"garbled figure {m.group(1) + '人'!r} after 户: a unit seems "
                "lost between two numbers (e.g. 471户1340人)",
                "figure",
            )
        )
    for m in _HUGE_COUNT.finditer(text):
        if not any(f.col == m.start(1) for f in found):
            found.append(
                Finding(
                    m.start(1),
                    "warning",
                    f"implausible count {m.group()!r}: a unit (户) may be lost",
                    "figure",
                )
            )
    for m in _LOST_UNIT.finditer(text):
        found.append(
            Finding(
                m.start(),
                "error",
                f"garbled figure {m.group()!r}: the unit before '/' is lost "
                f"(e.g. {m.group(1)}元/{m.group(2)})",
                "figure",
            )
        )
    for m in _CHROME.finditer(text):
        found.append(
            Finding(m.start(), "error", f"website chrome left in the text: {m.group()!r}", "chrome")
        )
    half = list(_HALF_WIDTH.finditer(text))
    if half:  # one finding per line: a pasted web page has hundreds
        first = half[0].group()
        more = f" (and {len(half) - 1} more on this line)" if len(half) > 1 else ""
        found.append(
            Finding(
                half[0].start(),
                "warning",
                f"half-width {first!r} in Chinese text: use {_FULL[first]!r}{more}",
                "punctuation",
            )
        )
    for m in _ANGLE.finditer(text):
        found.append(
            Finding(
                m.start(),
                "warning",
                f"ASCII angle brackets {m.group()!r} in Chinese text: use '〈{m.group()[1:-1]}〉'",
                "punctuation",
            )
        )
    spaces = list(_CJK_SPACE.finditer(text))
    if spaces:
        more = f" (and {len(spaces) - 1} more on this line)" if len(spaces) > 1 else ""
        found.append(
            Finding(
                spaces[0].start(),
                "warning",
                f"half-width space between Chinese characters prints as a gap: remove it{more}",
                "punctuation",
            )
        )
    found.extend(_unbalanced(text))
    return sorted(found, key=lambda f: f.col)


def _unbalanced(text: str) -> Iterator[Finding]:
    stack: list[tuple[str, int]] = []
    for col, ch in enumerate(text):
        if ch in _PAIRS and not (ch == "(" and _is_list_marker(text, col)):
            stack.append((ch, col))
        elif ch in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[ch]:
                stack.pop()
            elif not (ch == ")" and _is_list_marker(text, col)):
                yield Finding(col, "warning", f"{ch!r} closes nothing", "pairs")
    for ch, col in stack:
        yield Finding(col, "warning", f"{ch!r} is never closed on this line", "pairs")


def _is_list_marker(text: str, col: int) -> bool:
    """`1)` or `a)` at a line start is a list marker, not half a pair."""
    return bool(re.match(r"^\s*[\da-zA-Z]\)", text)) and col <= len(text) - len(text.lstrip()) + 2
