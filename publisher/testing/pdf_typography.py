"""Typographic figures of a PDF, measured from its glyph positions (pdfminer.six).

Used by the tests and by `benchmarks/typography.py`. What a Chinese book typesetter
checks on the page:

- flush: body lines that are not a paragraph's last line end at the text block's right
  edge (within 0.05 em);
- compressed pairs: two adjacent full-width marks on a line take at most 1.5 em (plus
  the justification spacing), not 2 em;
- Han–Latin gaps: the blank between a Han character and a Latin letter or digit;
- 孤字: a paragraph's last line with a single character (punctuation aside);
- kinsoku: a line that starts with a closing mark or ends with an opening one, or a
  —— or …… split between two lines.

Body lines are recognised by their size (the body size) and face (the body face); a
paragraph's last line by the next body line being indented, or by the body text ending
there (a heading, figure or the case's end follows).
"""

from __future__ import annotations

import io
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar

MARKS = frozenset("“‘（《〈【「『〔［｛”’）》〉】」』〕］｝。，、；：？！．")
NO_START = frozenset("。，、；：？！”’）》〉】」』〕］｝．…")
NO_END = frozenset("“‘（《〈【「『〔［｛")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z0-9]")


@dataclass
class Glyph:
    text: str
    x0: float
    x1: float
    size: float
    font: str
    after_space: bool = False  # a space (drawn or not) stands between it and the glyph before


@dataclass
class Line:
    page: int  # 1-based physical page
    y: float  # baseline, from the bottom of the page
    glyphs: list[Glyph]
    body: bool = False  # body paragraph text
    last: bool = False  # a paragraph's last line (body lines only)

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)

    @property
    def left(self) -> float:
        return self.glyphs[0].x0

    @property
    def right(self) -> float:
        return self.glyphs[-1].x1

    @property
    def size(self) -> float:
        return statistics.median(g.size for g in self.glyphs)

    def spacing(self) -> float:
        """The line's justification spacing: extra advance between Han characters."""
        gaps = [
            b.x0 - a.x0 - a.size
            for a, b in pairwise(self.glyphs)
            if _HAN.match(a.text) and _HAN.match(b.text) and abs(a.x1 - a.x0 - a.size) < 0.01
        ]
        return max(0.0, statistics.median(gaps)) if gaps else 0.0


@dataclass
class Figures:
    body_lines: int = 0
    flush_lines: int = 0  # non-last body lines within 0.05 em of the right edge
    full_lines: int = 0  # non-last body lines
    worst_short_em: float = 0.0  # the largest shortfall of a non-last body line
    pairs: int = 0  # adjacent full-width marks on one line
    compressed: int = 0
    uncompressed_examples: list[str] = field(default_factory=list)
    han_latin_gaps: list[float] = field(default_factory=list)  # em
    orphans: list[str] = field(default_factory=list)  # 孤字 lines: "p12: 度。"
    kinsoku: list[str] = field(default_factory=list)
    grid_lines: int = 0  # body lines checked against the line grid
    on_grid: int = 0  # of them, on the grid of the text block's first line
    off_grid_examples: list[str] = field(default_factory=list)
    spreads: int = 0  # facing pages both full of body text to the foot
    spreads_aligned: int = 0  # of them, ending on the same line

    @property
    def on_grid_percent(self) -> float:
        return 100.0 * self.on_grid / self.grid_lines if self.grid_lines else 100.0

    @property
    def flush_percent(self) -> float:
        return 100.0 * self.flush_lines / self.full_lines if self.full_lines else 100.0

    @property
    def compressed_percent(self) -> float:
        return 100.0 * self.compressed / self.pairs if self.pairs else 100.0

    @property
    def han_latin_median_em(self) -> float:
        return statistics.median(self.han_latin_gaps) if self.han_latin_gaps else 0.0

    def summary(self) -> dict:
        return {
            "body lines": self.body_lines,
            "flush %": round(self.flush_percent, 1),
            "worst short (em)": round(self.worst_short_em, 3),
            "adjacent mark pairs": self.pairs,
            "compressed %": round(self.compressed_percent, 1),
            "Han-Latin gaps": len(self.han_latin_gaps),
            "Han-Latin median gap (em)": round(self.han_latin_median_em, 3),
            "孤字": len(self.orphans),
            "kinsoku violations": len(self.kinsoku),
            "on line grid %": round(self.on_grid_percent, 1),
            "spreads ending level": f"{self.spreads_aligned}/{self.spreads}",
        }


def pdf_lines(data: bytes) -> list[Line]:
    """Every text line of the PDF, glyphs left to right (spaces dropped)."""
    lines: list[Line] = []
    for number, page in enumerate(extract_pages(io.BytesIO(data)), 1):
        rows: dict[float, list[tuple[int, Glyph]]] = {}
        spaced = False
        for order, char in enumerate(_chars(page)):
            text = char.get_text()
            if text.strip():
                rows.setdefault(round(char.y0, 1), []).append(
                    (
                        order,
                        Glyph(text, char.x0, char.x1, round(char.size, 2), char.fontname, spaced),
                    )
                )
            spaced = not text.strip()
        # Glyphs of one line may differ in y0 by rounding: merge rows closer than 1 pt.
        merged: list[tuple[float, list[tuple[int, Glyph]]]] = []
        for y in sorted(rows, reverse=True):
            if merged and abs(merged[-1][0] - y) < 1.0:
                merged[-1][1].extend(rows[y])
            else:
                merged.append((y, list(rows[y])))
        for y, glyphs in merged:
            # Drawing order is reading order; x0 is not (a half-width opening mark is
            # drawn shifted left over the mark before it).
            lines.append(Line(number, y, [g for _, g in sorted(glyphs, key=lambda t: t[0])]))
    return lines


def _chars(obj) -> Iterator[LTChar]:
    """The characters of a page's layout tree, in drawing order."""
    if isinstance(obj, LTChar):
        yield obj
    elif hasattr(obj, "__iter__"):
        for child in obj:
            yield from _chars(child)


def _is_body(line: Line, body_size: float, body_face: str) -> bool:
    fonts = [g.font for g in line.glyphs]
    in_face = sum(body_face in f for f in fonts) > len(fonts) / 2
    return (
        in_face
        and abs(line.size - body_size) < 0.05
        and ".." not in line.text
        and "…." not in line.text
    )


def classify(lines: list[Line], body_size: float, body_face: str = "Serif-CJK") -> None:
    """Mark body lines and which of them end a paragraph."""
    for line in lines:
        line.body = _is_body(line, body_size, body_face)
    body = [ln for ln in lines if ln.body]
    if not body:
        return
    lefts: dict[int, float] = {}
    for line in body:
        lefts[line.page] = min(lefts.get(line.page, 1e9), line.left)
    indent = 1.5 * body_size
    pitch = None
    gaps = [a.y - b.y for a, b in pairwise(body) if a.page == b.page and a.y > b.y]
    if gaps:
        pitch = statistics.mode(round(g, 1) for g in gaps)
    for i, line in enumerate(body):
        nxt = body[i + 1] if i + 1 < len(body) else None
        if nxt is None:
            line.last = True
            continue
        indented = nxt.left - lefts[nxt.page] > indent * 0.9
        if nxt.page == line.page:
            # Something else (heading, figure, note) between them ends the paragraph.
            between = [
                other
                for other in lines
                if other.page == line.page and nxt.y < other.y < line.y and not other.body
            ]
            line.last = (
                indented or bool(between) or (pitch is not None and line.y - nxt.y > pitch * 1.5)
            )
        else:
            # The paragraph goes on over the page unless the next page starts a new one:
            # an indented line, or other text before the next body line.
            before = [
                other
                for other in lines
                if other.page == nxt.page and other.y > nxt.y and not other.body and other.y < 770
            ]
            line.last = indented or bool(before) or nxt.page > line.page + 1


def _count_pairs(figures: Figures, line: Line, spacing: float, left: float | None) -> None:
    """Runs of adjacent marks: n marks set as clreq says take (n + 1) / 2 em; each mark
    set full-width where it could be half adds 0.5 em. A run is measured from where the
    glyph before it ends to where the glyph after it starts."""
    glyphs, em = line.glyphs, line.size
    i = 0
    while i < len(glyphs):
        if glyphs[i].text not in MARKS:
            i += 1
            continue
        j = i
        while j + 1 < len(glyphs) and glyphs[j + 1].text in MARKS:
            j += 1
        n = j - i + 1
        if n > 1:
            if i:
                start = glyphs[i - 1].x1 + spacing
            else:  # at the line's start: a half-width opening mark is drawn in the margin
                start = left if left is not None and glyphs[i].x0 < left else glyphs[i].x0
            end = glyphs[j].x1 + spacing  # the last mark of a run is full width
            if j + 1 < len(glyphs):
                end = min(end, glyphs[j + 1].x0)
            width = (end - start) / em - n * spacing / em
            full = max(0, min(n - 1, round((width - (n + 1) / 2) / 0.5)))
            figures.pairs += n - 1
            figures.compressed += n - 1 - full
            if full and len(figures.uncompressed_examples) < 12:
                figures.uncompressed_examples.append(
                    f"p{line.page}: {''.join(g.text for g in glyphs[i : j + 1])}"
                )
        i = j + 1


def _grid(figures: Figures, lines: list[Line], pitch: float) -> None:
    """Body baselines against the grid of the text block (the top body line of a full
    page), and facing pages (even left, odd right) whose text runs to the foot."""
    body = [ln for ln in lines if ln.body]
    tops: dict[int, float] = {}
    bottoms: dict[int, float] = {}
    for line in body:
        tops[line.page] = max(tops.get(line.page, -1e9), line.y)
        bottoms[line.page] = min(bottoms.get(line.page, 1e9), line.y)
    if not tops:
        return
    top = statistics.mode(round(y, 1) for y in tops.values())
    for line in body:
        off = (top - line.y) % pitch
        figures.grid_lines += 1
        if min(off, pitch - off) < 0.5:
            figures.on_grid += 1
        elif len(figures.off_grid_examples) < 12:
            figures.off_grid_examples.append(f"p{line.page}: {off:.1f}pt {line.text[:8]}")
    foot = min(bottoms.values())
    full = {p for p, y in bottoms.items() if y - foot < 3 * pitch}  # text to the foot
    for left in range(2, max(tops) + 1, 2):
        if left in full and left + 1 in full:
            figures.spreads += 1
            figures.spreads_aligned += abs(bottoms[left] - bottoms[left + 1]) < 0.5


def measure(
    data: bytes, body_size: float, *, body_face: str = "Serif-CJK", line_height: float = 1.7
) -> Figures:
    lines = pdf_lines(data)
    classify(lines, body_size, body_face)
    figures = Figures()
    _grid(figures, lines, body_size * line_height)
    rights: dict[int, float] = {}
    body_lefts: dict[int, list[float]] = {}
    for line in lines:
        if line.body:
            rights[line.page] = max(rights.get(line.page, 0.0), line.right)
            body_lefts.setdefault(line.page, []).append(round(line.left, 1))
    lefts = {page: statistics.mode(xs) for page, xs in body_lefts.items()}
    for prev, nxt in pairwise(lines):  # —— and …… are never split
        if (
            prev.page == nxt.page
            and prev.body
            and nxt.body
            and not prev.last
            and prev.text[-1] == nxt.text[0]
            and prev.text[-1] in "—…"
        ):
            figures.kinsoku.append(f"p{prev.page}: {prev.text[-6:]}|{nxt.text[:6]}")
    for line in lines:
        em = line.size
        spacing = line.spacing()
        text = line.text
        if (text[0] in NO_START or text[-1] in NO_END) and (
            line.body or (len(text) > 3 and line.size > 8)
        ):  # not a folio or leader
            figures.kinsoku.append(f"p{line.page}: {text[:12]}…{text[-6:]}")
        glyphs = line.glyphs
        _count_pairs(figures, line, spacing, lefts.get(line.page))
        for a, b in pairwise(glyphs):
            han_latin = (_HAN.match(a.text) and _LATIN.match(b.text)) or (
                _LATIN.match(a.text) and _HAN.match(b.text)
            )
            # A space or a change of face (caption label, credit) is not Han–Latin spacing.
            if han_latin and not b.after_space and a.font == b.font:
                figures.han_latin_gaps.append((b.x0 - a.x1 - spacing) / em)
        if not line.body:
            continue
        figures.body_lines += 1
        if line.last:
            letters = [g for g in glyphs if g.text not in MARKS and g.text not in "—…·"]
            if len(letters) <= 1 and len(glyphs) <= 3:
                figures.orphans.append(f"p{line.page}: {text}")
            continue
        figures.full_lines += 1
        short = (rights[line.page] - line.right) / em
        if short <= 0.05:
            figures.flush_lines += 1
        figures.worst_short_em = max(figures.worst_short_em, short)
    return figures


# --- a stress document: what the seed articles have little of ------------------------

STRESS_PARAGRAPHS = (
    "他说：“我们要‘抓党建、促脱贫’。”会上，县委书记强调：“《决定》指出，‘基层党组织"
    "是战斗堡垒’。”（见《人民日报》2017年11月14日第18版。）大家纷纷表示：“一定做到！”",
    "2019年10月1日至2020年6月30日，全县共投入资金3.5亿元，其中中央财政1.2亿元、省级0.8亿元，"
    "占比分别为34.3%和22.9%；贫困发生率由12.6%降至0.5%以下，人均纯收入达到8650元。",
    "项目通过APP、微信公众号和抖音（TikTok）直播带货，网址为www.example.gov.cn，"
    "二维码见第3页。“互联网+党建”平台用Python和WeasyPrint生成PDF，每周更新一次。",
    "“一村一策”“一户一法”“一人一岗”——这是驻村工作队的“三个一”工作法；"
    "“党支部+合作社+贫困户”模式（简称“1+1+N”）已在全县推广。",
    "（一）“两不愁三保障”：不愁吃、不愁穿，义务教育、基本医疗、住房安全有保障……"
    "《关于打赢脱贫攻坚战的决定》（中发〔2015〕34号）明确提出：到2020年，“确保我国现行标准下"
    "农村贫困人口实现脱贫”。",
    "据统计，截至2020年底，全国832个贫困县全部摘帽，12.8万个贫困村全部出列，近1亿贫困人口"
    "实现脱贫。记者问：“您怎么看？”他答：“‘实干’二字最要紧。”",
    "培训内容包括：政策解读、技能培训（种植、养殖、电商）、法律知识等；参训人员达"
    "1.2万人次，发放《实用技术手册》3000余册，开通12345热线。",
)


def stress_compendium():
    """A case of dense punctuation, nested quotes, numbers, dates, Latin words and URLs."""
    from publisher.model import Case, Compendium, Figure, Heading, Paragraph, Part

    blocks = [Heading(1, "“三个一”：抓党建、促脱贫（2017—2020年）")]
    for n, text in enumerate(STRESS_PARAGRAPHS * 2):
        blocks.append(Paragraph.of(text))
        if n == 3:
            blocks.append(
                Figure(
                    caption="村民在“党群服务中心”学习“互联网+”知识（2019年）。",
                    credit="某某 摄",
                    image="",
                )
            )
    case = Case(
        id="stress",
        title="标点、数字与西文：排版压力测试",
        blocks=tuple(blocks),
        publication="测试报",
        date="2020-06-30",
        page="3版",
    )
    return Compendium(title="排版压力测试", parts=(Part("", (case,)),), date="2026-11-01")
