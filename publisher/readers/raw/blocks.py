"""Body lines → blocks: re-joined broken paragraphs, headings with levels, lead-in runs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import Diagnostic
from ...model import Block, Figure, Heading, Paragraph, Run
from .text import Line, ends_final, is_han, is_short_line

__all__ = ["Item", "build_blocks"]


@dataclass
class Item:
    """A body line: text (to become a heading or paragraph) or an already-known figure."""

    line: Line
    figure: Figure | None = None


_NUM = "一二三四五六七八九十"
_ENUM_START = re.compile(rf"^(?:[{_NUM}]+是|（[{_NUM}]+）|[{_NUM}]+、|\d{{1,2}}[.．、](?!\d)"
                         rf"|第[{_NUM}]+[，、])")
_LEVEL = ((re.compile(rf"^(?:[{_NUM}百]+、|第[{_NUM}]+(?:部分|章|节))"), 1),
          (re.compile(rf"^（[{_NUM}]+）"), 2),
          (re.compile(r"^\d{1,2}[.．、](?!\d)"), 3))
# `（一）健全工作机制。坚持…` / `一、xxx。…` / `1.xxx。…`: numbered run-in heads.
_RUN_IN = re.compile(rf"^(?:（[{_NUM}]+）|[{_NUM}]+、|\d{{1,2}}[.．、](?!\d))[^。！？]{{1,30}}[。！？]")
# `一是配强班子领导。` at a sentence start, anywhere in a paragraph.
_ENUM_SENTENCE = re.compile(rf"[{_NUM}]+是")
_LEAD_MAX = 40          # an 一是… lead sentence is at most this long
_SIBLING_MAX = 20       # a sibling lead (抓组织建设筑强“桥头堡”。) is at most this long
_STANDALONE_MAX = 30    # a lead standing as its own paragraph


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
            diags.append(Diagnostic(
                path, item.line.no, 0, "warning",
                f"line ends mid-sentence (…{text[-8:]}); joined with line {items[j].line.no}"
                f" ({nxt[:8]}…): check the join"))
            moved.extend(items[i:j])
            text = _join(text, nxt)
            i = j + 1
        out.append(Item(Line(item.line.no, text, item.line.gap)))
        out.extend(moved)
    return out


def _runs(text: str, spans: list[tuple[int, int]]) -> tuple[Run, ...]:
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


def _enum_spans(text: str) -> list[tuple[int, int]]:
    """一是…。 二是…。 at sentence starts: each sentence of at most _LEAD_MAX is strong."""
    spans = []
    for m in _ENUM_SENTENCE.finditer(text):
        a = m.start()
        if a > 0 and text[a - 1] not in "。；！？":
            continue
        window = text[a:a + _LEAD_MAX + 1]
        ends = [k for k in (window.find(c) for c in "。！？；") if k >= 0]
        if ends:
            spans.append((a, a + min(ends) + 1))
    return spans


def _sibling_candidate(text: str) -> tuple[int, bool] | None:
    """End of a possible lead at the start of a paragraph, and whether it is glued.

    Sentence form: a first sentence of 4-_SIBLING_MAX characters with at most one comma
    and no 、：；, followed by more text (`抓组织建设筑强“桥头堡”。强化…`). Glued form: a first
    phrase closing a quotation within _SIBLING_MAX characters directly followed by a Han
    character, no punctuation in between (`抓责任落实建强“指挥部”坚持…`).
    """
    if not text or text[0] in "“‘\"'《（(" or text[0].isdigit() or _ENUM_START.match(text):
        return None
    head = text[:_SIBLING_MAX + 2]
    ends = [k for k in (head.find(c) for c in "。！？") if k >= 0]
    if ends:
        k = min(ends)
        sentence = head[:k]
        if 4 <= k <= _SIBLING_MAX and sentence.count("，") <= 1 and \
                not any(x in sentence for x in "、：；") and len(text) - k - 1 >= 10:
            return k + 1, False
        return None
    k = head.find("”")
    if k >= 4 and k + 1 < len(text) and is_han(text[k + 1]) and "“" in head[:k] \
            and not any(x in head[:k] for x in "，、：；"):
        return k + 1, True
    return None


def _standalone_lead(text: str) -> bool:
    """`建强基层党组织这个“战斗堡垒”。`: one short sentence without commas, standing alone."""
    if not (4 <= len(text) <= _STANDALONE_MAX) or text[-1] not in "。！" or \
            text[0] in "“‘\"'《（(" or text[0].isdigit():
        return False
    body = text[:-1]
    return not any(c in body for c in "。！？，,、；：")


def build_blocks(items: list[Item], path: str,
                 diags: list[Diagnostic]) -> list[Block]:
    """Blocks of one article body (figures already found, chrome already removed).

    Headings: a short line (text.is_short_line) followed by anything is a heading; its
    level is 1 for 一、/ unnumbered lines, 2 for （一）, 3 for 1. (a short line that ends
    the article stays a paragraph). Lead-in runs (strong):
    - numbered run-in heads `（一）健全工作机制。坚持…` → lead `（一）健全工作机制。`;
    - `一是…。` / `二是…。` sentences (≤ 40 chars) at sentence starts anywhere;
    - sibling leads: within a section (between headings), when 2+ paragraphs open with a
      short lead sentence or a glued quoted phrase (see _sibling_candidate) and at least
      one of them contains a “quotation” or all share the first character, those leads are
      strong (a glued one only when another candidate shares its first character);
    - a short single-sentence paragraph without commas (≤ 30 chars) followed by a
      paragraph is kept as its own paragraph, all strong.
    """
    items = _rejoin(items, path, diags)
    kinds: list[str] = []
    for k, item in enumerate(items):
        if item.figure is not None:
            kinds.append("figure")
        elif is_short_line(item.line.text) and k + 1 < len(items):
            kinds.append("heading")
        else:
            kinds.append("paragraph")
    blocks: list[Block] = []
    section: list[tuple[int, str]] = []  # (index into blocks, paragraph text)

    def close_section() -> None:
        _apply_siblings(blocks, section, path, diags)
        section.clear()

    for k, (item, kind) in enumerate(zip(items, kinds)):
        line = item.line
        if kind == "figure":
            blocks.append(item.figure)  # type: ignore[arg-type]
            continue
        text = line.text
        if kind == "heading":
            close_section()
            level = next((lv for rx, lv in _LEVEL if rx.match(text)), 1)
            blocks.append(Heading(level, text, line=line.no))
            continue
        spans = _enum_spans(text)
        m = _RUN_IN.match(text)
        if m and m.end() < len(text):
            spans = [(0, m.end())] + [s for s in spans if s[0] >= m.end()]
        elif _standalone_lead(text) and k + 1 < len(items) and kinds[k + 1] == "paragraph":
            spans = [(0, len(text))]
        blocks.append(Paragraph(_runs(text, spans), line=line.no))
        section.append((len(blocks) - 1, text))
    close_section()
    return blocks


def _apply_siblings(blocks: list[Block], section: list[tuple[int, str]], path: str,
                    diags: list[Diagnostic]) -> None:
    cands: dict[int, tuple[int, bool]] = {}
    section_text = dict(section)
    standalone = 0
    for index, text in section:
        para = blocks[index]
        assert isinstance(para, Paragraph)
        if para.runs[0].strong:
            if para.runs[0].text == text and _standalone_lead(text):
                standalone += 1
            continue
        c = _sibling_candidate(text)
        if c:
            cands[index] = c
    leads = {i: section_text[i][:end] for i, (end, _) in cands.items()}
    firsts = [lead[0] for lead in leads.values()]
    # a glued lead needs a sibling opening with the same character
    cands = {i: c for i, c in cands.items() if not c[1] or firsts.count(leads[i][0]) >= 2}
    if len(cands) + standalone < 2 or not cands:
        return
    quoted = any("“" in leads[i] for i in cands)
    if not quoted and len({leads[i][0] for i in cands}) > 1:
        return
    for i, (end, glued) in cands.items():
        para = blocks[i]
        assert isinstance(para, Paragraph)
        lead = leads[i]
        text = para.text
        spans = [(0, end)] + [(a, b) for a, b in _enum_spans(text) if a >= end]
        blocks[i] = Paragraph(_runs(text, spans), line=para.line)
        if glued:
            diags.append(Diagnostic(path, para.line, 0, "warning",
                                    f"lead-in “{lead}” split from its paragraph (no punctuation"
                                    " after it in the source): check"))
