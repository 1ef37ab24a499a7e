"""Body lines → blocks: re-joined broken paragraphs, headings with levels, lead-in runs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import Block, Figure, Heading, Paragraph, Run
from ...support.errors import Diagnostic
from ..rules.text import SHORT_MAX_PLAIN, Line, ends_final, is_short_line

__all__ = ["Item", "build_blocks", "lead_spans", "heading_evidence", "opens_enumeration"]


@dataclass
class Item:
    """A body line: text (to become a heading or paragraph) or an already-known figure."""

    line: Line
    figure: Figure | None = None


_NUM = "一二三四五六七八九十"
_ENUM_START = re.compile(
    rf"^(?:[{_NUM}]+是|（[{_NUM}]+）|[{_NUM}]+、|\d{{1,2}}[.．、](?!\d)"
    rf"|第[{_NUM}]+[，、])"
)


def opens_enumeration(text: str) -> bool:
    """The line opens an enumerated item (一是, （一）, 一、, 1.): never a continuation."""
    return bool(_ENUM_START.match(text))


_LEVEL = (
    (re.compile(rf"^(?:[{_NUM}百]+、|第[{_NUM}]+(?:部分|章|节))"), 1),
    (re.compile(rf"^（[{_NUM}]+）"), 2),
    (re.compile(r"^\d{1,2}[.．、](?!\d)"), 3),
)
# `（一）健全工作机制。坚持…` / `一、xxx。…` / `1.xxx。…`: numbered run-in heads.
_RUN_IN = re.compile(
    rf"^(?:（[{_NUM}]+）|[{_NUM}]+、|\d{{1,2}}[.．、](?!\d))"
    rf"[^。！？]{{1,30}}[。！？]"
)
# `一是配强班子领导。` at a sentence start, anywhere in a paragraph.
_ENUM_SENTENCE = re.compile(rf"[{_NUM}]+是|首先|其次|再次|最后|第[{_NUM}]+，")
_LEAD_MAX = 40  # an 一是… lead sentence is at most this long
_DASH_HEAD_MAX = 40  # a dash-led heading (——…。) is at most this long


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _rejoin(items: list[Item], path: str, diags: list[Diagnostic]) -> list[Item]:
    """Re-join paragraphs the source broke mid-sentence (page breaks).

    Rule: a LONG line (not a short line, see text.is_short_line) that does not end with
    sentence-final punctuation is continued by the next text line when that line is not a
    short (heading-like) line and does not open an enumeration (一是, （一）, 一、, 1.).
    Figures standing between the halves move after the joined paragraph. Every join is
    reported as a warning on the raw line where the break was.
    """
    out: list[Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        i += 1
        if item.figure is not None:
            out.append(item)
            continue
        text, moved = item.line.text, []
        while not ends_final(text) and not is_short_line(text):
            j = i
            while j < len(items) and items[j].figure is not None:
                j += 1
            if j >= len(items):
                break
            nxt = items[j].line.text
            if is_short_line(nxt) or _ENUM_START.match(nxt):
                break
            diags.append(
                Diagnostic(
                    path,
                    item.line.no,
                    0,
                    "warning",
                    f"line ends mid-sentence (…{text[-8:]}); joined with line {items[j].line.no}"
                    f" ({nxt[:8]}…): check the join",
                )
            )
            moved.extend(items[i:j])
            text = _join(text, nxt)
            i = j + 1
        out.append(Item(Line(item.line.no, text, item.line.gap)))
        out.extend(moved)
    return out


def runs_from_spans(text: str, spans: list[tuple[int, int]]) -> tuple[Run, ...]:
    """`text` as runs, bold over `spans` (overlaps dropped), neighbours of a kind joined."""
    runs: list[Run] = []
    pos = 0
    for a, b in sorted(spans):
        if a < pos:
            continue
        if a > pos:
            runs.append(Run(text[pos:a]))
        runs.append(Run(text[a:b], strong=True))
        pos = b
    if pos < len(text):
        runs.append(Run(text[pos:]))
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].strong == run.strong:
            merged[-1] = Run(merged[-1].text + run.text, run.strong)
        else:
            merged.append(run)
    return tuple(merged)


def lead_spans(text: str) -> list[tuple[int, int]]:
    """Strong spans a paragraph has by evidence: a numbered run-in head opening it
    (（一）健全工作机制。) and 一是…。/ 首先…。 sentences."""
    spans = _enum_spans(text)
    m = _RUN_IN.match(text)
    if m and m.end() < len(text):
        spans = [(0, m.end())] + [s for s in spans if s[0] >= m.end()]
    # a lead-in leads into text: a sentence that ends the paragraph stays plain
    return [(a, b) for a, b in spans if b < len(text.rstrip())]


def _enum_spans(text: str) -> list[tuple[int, int]]:
    """一是…。 二是…。 at sentence starts: each sentence of at most _LEAD_MAX is strong."""
    spans = []
    for m in _ENUM_SENTENCE.finditer(text):
        a = m.start()
        if a > 0 and text[a - 1] not in "。；！？":
            continue
        window = text[a : a + _LEAD_MAX + 1]
        ends = [k for k in (window.find(c) for c in "。！？；") if k >= 0]
        if ends:
            spans.append((a, a + min(ends) + 1))
    return spans


_DASH_LED = re.compile(r"^(?:——|──)(?=\S)")
# A short line is a heading only without these: an unfinished sentence (——, ：, ，) or a
# sentence inside it (…？调研中…): such lines are body text that the source broke.
_NOT_HEADING_END = tuple("——：:，,、")
_INNER_SENTENCE = re.compile(r"[。！？!?；;]")
_NOTE_LINE = re.compile(r"^[（(][^（）()]*[）)]$")


def heading_evidence(text: str, before_paragraph: bool) -> str:
    """Why a body line is a heading ("numbered", "short line", "dash-led"), or "".

    Positive evidence only: numbering (一、 （一） 1. 第一部分), a short line without end
    punctuation, no sentence inside it and not a parenthesised note, or a dash-led single
    sentence (——帮扶不断档，投入不减力。) of at most _DASH_HEAD_MAX characters. The
    line must be followed by more text.
    """
    if not before_paragraph:
        return ""
    if _DASH_LED.match(text):
        inner = text[2:-1] if text.endswith(("。", "！")) else ""
        if inner and len(text) <= _DASH_HEAD_MAX and not _INNER_SENTENCE.search(inner):
            return "dash-led"
        return ""
    if (
        any(rx.match(text) for rx, _ in _LEVEL)
        and len(text) <= SHORT_MAX_PLAIN
        and not ends_final(text)
        and not _INNER_SENTENCE.search(text)
    ):
        return "numbered"
    if (
        not is_short_line(text)
        or text.endswith(_NOT_HEADING_END)
        or _INNER_SENTENCE.search(text)
        or _NOTE_LINE.match(text)
    ):
        return ""
    if any(rx.match(text) for rx, _ in _LEVEL):
        return "numbered"
    return "short line"


def build_blocks(items: list[Item], path: str, diags: list[Diagnostic]) -> list[Block]:
    """Blocks of one article body (figures already found, chrome already removed).

    Headings need positive evidence (heading_evidence); the level is 1 for 一、 and
    unnumbered lines, 2 for （一） and for dash-led lines under an unnumbered heading, 3 for
    1. Every unnumbered heading is reported for review. Lead-in runs (strong) need evidence
    too: numbered run-in heads `（一）健全工作机制。坚持…`, and `一是…。` / `首先…。`
    sentences (≤ 40 chars) at sentence starts. Nothing else is made strong.
    """
    items = _rejoin(items, path, diags)
    kinds: list[str] = []
    for k, item in enumerate(items):
        if item.figure is not None:
            kinds.append("figure")
            continue
        after = next((i for i in items[k + 1 :] if i.figure is None), None)
        why = heading_evidence(item.line.text, after is not None)
        kinds.append(f"heading:{why}" if why else "paragraph")
    blocks: list[Block] = []
    unnumbered = False  # an unnumbered heading came before: dash-led ones go under it
    for item, kind in zip(items, kinds, strict=True):
        line = item.line
        if kind == "figure" and item.figure is not None:
            blocks.append(item.figure)
            continue
        text = line.text
        if kind.startswith("heading"):
            why = kind.split(":", 1)[1]
            if why == "dash-led":
                level = 2 if unnumbered else 1
            else:
                level = next((lv for rx, lv in _LEVEL if rx.match(text)), 1)
                unnumbered = unnumbered or why == "short line"
            if why != "numbered":
                diags.append(
                    Diagnostic(
                        path,
                        line.no,
                        0,
                        "warning",
                        f"guess: taken as a level-{level} heading ({why}"
                        " without end punctuation): check",
                    )
                )
            blocks.append(Heading(level, text, line=line.no))
            continue
        blocks.append(Paragraph(runs_from_spans(text, lead_spans(text)), line=line.no))
    return blocks
