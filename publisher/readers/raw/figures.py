"""Photo captions → Figure: marked lines, 图为…, credited (孙璞玉 摄) and wide-gap captions."""

from __future__ import annotations

import re
from collections import Counter

from ...model import Figure
from ..rules.text import Line, ends_final

__all__ = ["MARKERS", "split_credit", "marked_figure", "caption_runs", "CAPTION_MAX"]

MARKERS = "▲▶■►▼◀"
CAPTION_MAX = 200  # an unmarked caption is never longer than this

# `…热销。孙璞玉 摄`, `（新华社记者 张三 摄）`, `张三/摄`: searched in the last 40 characters.
_CREDIT = re.compile(r"[（(]?((?:[\u4e00-\u9fff·]{2,6}[ 、/／]?){1,3}) ?[/／]? ?摄(?:影)?[)）]?$")
_CREDIT_BOUNDARY = "。！？”’）) .!?"


def split_credit(text: str) -> tuple[str, str] | None:
    """(caption, credit) when the text ends with a photographer credit, else None."""
    offset = max(0, len(text) - 40)
    m = _CREDIT.search(text, offset)
    if not m:
        return None
    start = m.start()
    if start > 0 and text[start - 1] not in _CREDIT_BOUNDARY:
        return None
    name = re.sub(r"[ /／]+$", "", m.group(1)).strip()
    caption = text[:start].rstrip()
    if not caption:
        return None
    return caption, f"{name} 摄"


def marked_figure(line: Line) -> Figure | None:
    """A caption by its form: a marker (▲ ▶ ■ ►) or `图为…`."""
    text = line.text
    if text[0] in MARKERS:
        caption = text.lstrip(MARKERS + " \u3000")
    elif text.startswith(("图为", "图：", "图片：")):
        caption = text
    else:
        return None
    if not caption:
        return None
    credited = split_credit(caption)
    if credited:
        return Figure(credited[0], credited[1], line=line.no)
    return Figure(caption, line=line.no)


def caption_runs(lines: list[Line]) -> dict[int, tuple[Figure, str]]:
    """Unmarked captions among text lines (index → (Figure, why)), by two signals.

    1. A line of at most CAPTION_MAX characters ending in a photographer credit (`孙璞玉 摄`).
    2. Layout: the source sets captions apart with more blank lines than paragraphs get.
       With g the usual gap between lines, a run of 2+ consecutive lines each preceded by
       at least g+2 blank lines, each short (≤ CAPTION_MAX) and ending a sentence, is a
       block of captions when at least one line in it is credited or marked.
    `lines` are the text lines in order, including marked captions (their indexes are not
    returned: callers know them) so that they count as members of a run.
    """
    found: dict[int, tuple[Figure, str]] = {}
    gaps = Counter(line.gap for line in lines[1:])
    usual = gaps.most_common(1)[0][0] if gaps else 0
    wide = usual + 2

    def credited(i: int) -> tuple[str, str] | None:
        text = lines[i].text
        return split_credit(text) if len(text) <= CAPTION_MAX else None

    for i, line in enumerate(lines):
        c = credited(i)
        if c and marked_figure(line) is None:
            found[i] = (Figure(c[0], c[1], line=line.no), "it ends with a photographer credit")
    i = 1
    while i < len(lines):
        j = i
        while (
            j < len(lines)
            and lines[j].gap >= wide
            and len(lines[j].text) <= CAPTION_MAX
            and (ends_final(lines[j].text) or credited(j) or marked_figure(lines[j]))
        ):
            j += 1
        run = range(i, j)
        if len(run) >= 2 and any(credited(k) or marked_figure(lines[k]) for k in run):
            for k in run:
                if k not in found and marked_figure(lines[k]) is None:
                    found[k] = (
                        Figure(lines[k].text, line=lines[k].no),
                        f"it stands with other captions, set apart by {lines[k].gap} blank lines",
                    )
        i = max(j, i + 1)
    return found
