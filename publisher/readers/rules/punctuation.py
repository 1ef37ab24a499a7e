"""Half-width , : ; ? ! ( ) → full-width where Chinese text surrounds them; ASCII angle
brackets around Chinese text (<州>) → 〈州〉, as recorded corrections."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ...model import Correction
from ...support.errors import Diagnostic
from ...text.chinese import FULL_WIDTH, HAN
from .text import is_cjk

__all__ = ["normalize_punctuation", "angle_brackets", "widened"]

_ANGLE = re.compile(rf"<([^<>\n]*[{HAN}][^<>\n]*)>")


def angle_brackets(line: str, no: int) -> tuple[str, list[Correction]]:
    """<州> → 〈州〉 (text, not markup, in a Chinese source); each change is a correction."""
    fixes = [
        Correction(m.group(), f"〈{m.group(1)}〉", "ASCII 尖括号改为中文尖括号〈〉", no)
        for m in _ANGLE.finditer(line)
    ]
    return (_ANGLE.sub(r"〈\1〉", line), fixes) if fixes else (line, [])


_FULL = FULL_WIDTH
# Small-form variants (﹔ in People's Daily text) are always made full-width.
_SMALL = str.maketrans(
    {"﹔": "；", "﹐": "，", "﹑": "、", "﹕": "：", "﹖": "？", "﹗": "！", "﹙": "（", "﹚": "）"}
)


def widened(before: Iterable[str], after: Iterable[str]) -> str:
    """What normalize_punctuation changed, for the import's report ("" if nothing):
    `3 × ( → （, 12 × , → ，`. Not a correction each: a Chinese article has hundreds."""
    was = Counter(c for text in before for c in text if c in _FULL)
    now = Counter(c for text in after for c in text if c in _FULL)
    changed = {m: was[m] - now[m] for m in _FULL if was[m] > now[m]}
    if changed.get("(") and changed.get("(") == changed.get(")"):
        changed["(…)"] = changed.pop("(")
        del changed[")"]
    full = {**_FULL, "(…)": "（…）"}
    return ", ".join(f"{n} × {m} → {full[m]}" for m, n in changed.items())


def widened_note(path: str, before: Iterable[str], after: Iterable[str]) -> list[Diagnostic]:
    changed = widened(before, after)
    if not changed:
        return []
    return [
        Diagnostic(
            path,
            0,
            0,
            "info",
            f"half-width punctuation made full-width where Chinese text surrounds it: {changed}",
        )
    ]


def _neighbour(chars: list[str], i: int, step: int) -> str:
    """The nearest character that is not a plain space, looking from i in direction step."""
    j = i + step
    while 0 <= j < len(chars) and chars[j] == " ":
        j += step
    return chars[j] if 0 <= j < len(chars) else ""


def normalize_punctuation(line: str) -> str:
    """Rules (linear time, no regex):

    - `,` `:` between two ASCII digits stay (1,000  8:2  05:32);
    - otherwise a mark becomes full-width when the nearest non-space character before or
      after it is Chinese (Han, full-width punctuation, “”, …); Latin text, URLs stay;
    - a pair ( ) is converted as a whole when either mark qualifies;
    - plain spaces touching a converted mark are dropped (the full-width mark has its own).
    """
    line = line.translate(_SMALL)
    if not any(c in _FULL for c in line):
        return line
    chars = list(line)
    convert = [False] * len(chars)
    opened: list[int] = []
    pairs: dict[int, int] = {}
    for i, c in enumerate(chars):
        if c == "(":
            opened.append(i)
        elif c == ")" and opened:
            pairs[opened.pop()] = i
    for i, c in enumerate(chars):
        if c not in _FULL:
            continue
        before, after = _neighbour(chars, i, -1), _neighbour(chars, i, 1)
        if (
            c in ",:"
            and before.isascii()
            and before.isdigit()
            and after.isascii()
            and after.isdigit()
        ):
            continue
        if (before and is_cjk(before)) or (after and is_cjk(after)):
            convert[i] = True
    for opening, closing in pairs.items():
        if convert[opening] or convert[closing]:
            convert[opening] = convert[closing] = True
    out: list[str] = []
    after_mark = False
    for i, c in enumerate(chars):
        if convert[i]:
            while out and out[-1] == " ":
                out.pop()
            out.append(_FULL[c])
            after_mark = True
        elif c == " " and after_mark:
            continue
        else:
            out.append(c)
            after_mark = False
    return "".join(out)
