"""The content model: a compendium of cases, typed, immutable and validated. No I/O.

Readers build it (`publisher.readers`), writers only read it (`publisher.writers`).
Every value is plain text; nothing in the model is markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from itertools import pairwise
from typing import Literal

from .text import chinese

__all__ = [
    "CASE_METADATA",
    "ModelError",
    "Run",
    "Heading",
    "Paragraph",
    "Figure",
    "Note",
    "Block",
    "Author",
    "Correction",
    "Case",
    "Part",
    "Compendium",
    "NumberedFigure",
]

Script = Literal["simplified", "traditional"]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# A date as precise as the source gives it: year, month, day, optionally a time.
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?)?)?$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# OpenCC configurations the importer chooses from, by the original's variant.
OPENCC_CONFIGS = ("", "t2s", "hk2s", "tw2s")
EDITOR_ROLES = chinese.EDITOR_ROLES  # 责编 are listed as editors, not writers
CREDIT_ROLES = chinese.CREDIT_ROLES  # 供稿, 摄影…: credited, not writers


class ModelError(ValueError):
    """A value the model cannot hold (empty title, bad date, duplicate id, ...)."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ModelError(message)


# Line breaks and control characters have no place in a value: a paragraph is one line.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _check_text(value: str, what: str, *, empty_ok: bool = True, inner: bool = False) -> None:
    """One-line text; `inner` text (a run) may start or end with a space, values may not."""
    _require(isinstance(value, str), f"{what} must be text, not {type(value).__name__}")
    _require(empty_ok or value.strip() != "", f"{what} is empty")
    bad = _CONTROL.search(value)
    _require(
        bad is None,
        f"{what} holds a line break or control character U+{ord(bad.group()):04X}" if bad else "",
    )
    _require(inner or value == value.strip(), f"{what} starts or ends with spaces: {value!r}")


def date_problem(value: str) -> str:
    """Why `value` is not a date as precise as the source gives it ("" if it is one):
    the pattern, then the calendar (2017-13 and 2017-02-30 match the pattern only)."""
    if value == "":
        return ""
    if not _DATE.match(value):
        return f"{value!r} is not a date like 2017-11-14 (or 2017-11, 2017)"
    year, month, day = (int(p) for p in (value[:10].split("-") + ["1", "1"])[:3])
    try:
        dt.date(year, month, day)
        if len(value) > 10:
            dt.time.fromisoformat(value[11:])
    except ValueError:
        return f"{value!r} is not a date in the calendar (month 1-12, a day the month has)"
    return ""


def _check_date(value: str, what: str) -> None:
    problem = date_problem(value)
    _require(not problem, f"{what} {problem}")


# --- inline ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of paragraph text; `strong` marks a lead-in such as 一是配强班子领导。"""

    text: str
    strong: bool = False

    def __post_init__(self) -> None:
        _check_text(self.text, "run text", inner=True)
        _require(self.text != "", "run text is empty")


# --- blocks ---------------------------------------------------------------------------
# `line` is where the block stands in its content file, for messages; it is not content,
# so it takes no part in equality.


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading inside a case: level 1 (一、), 2 (（一）) or 3."""

    level: int
    text: str
    line: int = field(default=0, compare=False)

    type = "heading"

    def __post_init__(self) -> None:
        _require(self.level in (1, 2, 3), f"heading level must be 1, 2 or 3, not {self.level!r}")
        _check_text(self.text, "heading", empty_ok=False)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Body text as runs; a leading strong run is the paragraph's lead-in."""

    runs: tuple[Run, ...]
    line: int = field(default=0, compare=False)

    type = "paragraph"

    def __post_init__(self) -> None:
        _require(len(self.runs) > 0, "paragraph is empty")
        _require(all(isinstance(r, Run) for r in self.runs), "paragraph runs must be Run")
        _require(
            all(a.strong != b.strong for a, b in pairwise(self.runs)),
            "adjacent runs of the same weight must be merged",
        )
        _require(self.text.strip() != "", "paragraph is blank")
        _check_text(self.text, "paragraph")

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def lead(self) -> str:
        """The lead-in sentence (一是…。) when the paragraph opens with one."""
        return self.runs[0].text if self.runs[0].strong else ""

    @classmethod
    def of(cls, text: str, lead: str = "", line: int = 0) -> Paragraph:
        runs = ((Run(lead, strong=True),) if lead else ()) + ((Run(text),) if text else ())
        return cls(runs, line=line)


@dataclass(frozen=True, slots=True)
class Figure:
    """A photo, or two side by side: caption, photographer credit (孙璞玉 摄) and, once
    supplied, the image files.

    `image` is a path relative to the project's content folder; empty while only the
    caption is known (as in every seed article). A `pair` prints two photos side by side
    (图为……（左）……（右）): `image` on the left, `second_image` on the right.
    """

    caption: str
    credit: str = ""
    image: str = ""
    line: int = field(default=0, compare=False)
    pair: bool = False
    second_image: str = ""

    type = "figure"

    def __post_init__(self) -> None:
        _check_text(self.caption, "figure caption", empty_ok=False)
        _check_text(self.credit, "figure credit")
        _require(isinstance(self.pair, bool), "figure pair must be true or false")
        _require(self.pair or not self.second_image, "only a pair has a second image")
        for image in (self.image, self.second_image):
            _check_text(image, "figure image")
            _require(
                not image.startswith(("/", "\\")) and ".." not in image.split("/"),
                f"figure image {image!r} must be a path inside the content folder",
            )

    @property
    def images(self) -> tuple[str, ...]:
        """The image paths as placed, left to right ("" where none is given yet)."""
        return (self.image, self.second_image) if self.pair else (self.image,)


@dataclass(frozen=True, slots=True)
class Note:
    """A note set apart from the body: author's note, editor's note, source note."""

    text: str
    line: int = field(default=0, compare=False)

    type = "note"

    def __post_init__(self) -> None:
        _check_text(self.text, "note", empty_ok=False)


Block = Heading | Paragraph | Figure | Note


# --- case -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Author:
    """A person credited on a case; `role` as the source words it (记者, 作者, 责编, 摄影)."""

    name: str
    role: str = ""
    note: str = ""  # e.g. 永嘉乡党委书记

    def __post_init__(self) -> None:
        _check_text(self.name, "author name", empty_ok=False)
        _check_text(self.role, "author role")
        _check_text(self.note, "author note")


@dataclass(frozen=True, slots=True)
class Correction:
    """An explicit, recorded edit of source text: never a silent fix."""

    original: str
    corrected: str
    reason: str
    line: int = 0  # line in the source file, 0 when unknown

    def __post_init__(self) -> None:
        _check_text(self.original, "correction original", empty_ok=False)
        _check_text(self.corrected, "correction corrected")
        _check_text(self.reason, "correction reason", empty_ok=False)
        _require(self.original != self.corrected, "a correction must change something")
        _require(isinstance(self.line, int) and self.line >= 0, "correction line must be >= 0")


@dataclass(frozen=True, slots=True)
class Case:
    """One case study: an article, its metadata and its blocks."""

    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    subtitle: str = ""
    kicker: str = ""  # line above the title (引题)
    series: str = ""  # series note, e.g. 深度关注·贯彻十九大精神 切实提升组织力②
    authors: tuple[Author, ...] = ()
    publication: str = ""  # 人民日报, 《大安》2017年第9期
    page: str = ""  # print page, e.g. 18版
    source: str = ""  # 来源 as given
    date: str = ""  # ISO 8601, as precise as the source
    region: str = ""  # province, used for grouping, e.g. 广西
    place: str = ""  # county or city, e.g. 融水苗族自治县
    source_file: str = ""  # raw article it was imported from, relative to content/
    source_sha256: str = ""
    script: Script = "simplified"  # script of the original article
    # the OpenCC configuration that converted a Traditional original (hk2s for Hong Kong
    # forms, tw2s for Taiwan's, t2s otherwise); "" when the text was not converted
    opencc: str = ""
    corrections: tuple[Correction, ...] = ()

    def __post_init__(self) -> None:
        _require(
            isinstance(self.id, str) and bool(_ID.match(self.id)),
            f"case id {self.id!r} must be lower-case letters, digits, '-' or '_'",
        )
        _check_text(self.title, "case title", empty_ok=False)
        for name in (
            "subtitle",
            "kicker",
            "series",
            "publication",
            "page",
            "source",
            "region",
            "place",
            "source_file",
        ):
            _check_text(getattr(self, name), name)
        _check_date(self.date, "date")
        _require(
            self.source_sha256 == "" or bool(_SHA256.match(self.source_sha256)),
            "source_sha256 must be 64 lower-case hex digits",
        )
        _require(
            self.script in ("simplified", "traditional"),
            f"script must be simplified or traditional, not {self.script!r}",
        )
        _require(
            self.opencc in OPENCC_CONFIGS,
            f"opencc must be one of {', '.join(c for c in OPENCC_CONFIGS if c)} or empty,"
            f" not {self.opencc!r}",
        )
        _require(
            not self.opencc or self.script == "traditional",
            f"opencc {self.opencc} converts a Traditional original: script must be traditional",
        )
        _require(
            all(isinstance(b, (Heading, Paragraph, Figure, Note)) for b in self.blocks),
            "case blocks must be Heading, Paragraph, Figure or Note",
        )
        _require(all(isinstance(a, Author) for a in self.authors), "authors must be Author")
        _require(
            all(isinstance(c, Correction) for c in self.corrections),
            "corrections must be Correction",
        )

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Figure))

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Heading))

    @property
    def writers(self) -> tuple[Author, ...]:
        """Who wrote it: everyone credited except the desk editors and other credits."""
        return tuple(
            a for a in self.authors if a.role not in EDITOR_ROLES and a.role not in CREDIT_ROLES
        )

    @property
    def credits(self) -> tuple[Author, ...]:
        """Other contributions credited (供稿, 摄影, 作者单位…), in the source's order."""
        return tuple(a for a in self.authors if a.role in CREDIT_ROLES)

    def texts(self) -> list[str]:
        """Every piece of text the case holds, its facts and its blocks, in order: what an
        import took from the source (for counting what it kept)."""
        out = [self.title, self.subtitle, self.kicker, self.series, self.source]
        out += [self.publication, self.page]
        out += [a.name + a.role + a.note for a in self.authors]
        for b in self.blocks:
            out.append(b.caption + b.credit if isinstance(b, Figure) else b.text)
        return out

    @property
    def editors(self) -> tuple[Author, ...]:
        """Desk editors (责编) named at the foot of the article."""
        return tuple(a for a in self.authors if a.role in EDITOR_ROLES)


# --- compendium -----------------------------------------------------------------------


# A case's metadata, in the order the case file lists it: every field but the blocks.
# The case-file reader and writer and the JSON writer take their fields from here.
CASE_METADATA: tuple[str, ...] = tuple(f.name for f in fields(Case) if f.name != "blocks")


@dataclass(frozen=True, slots=True)
class Part:
    """A group of cases with a part title page (e.g. one province); untitled = no part page."""

    title: str
    cases: tuple[Case, ...]

    def __post_init__(self) -> None:
        _check_text(self.title, "part title")
        _require(all(isinstance(c, Case) for c in self.cases), "part cases must be Case")


@dataclass(frozen=True, slots=True)
class NumberedFigure:
    """A figure with its number in the compendium: 图 3-2 is case 3's second figure."""

    case_number: int
    number: int
    figure: Figure

    @property
    def label(self) -> str:
        return f"图 {self.case_number}-{self.number}"


@dataclass(frozen=True, slots=True)
class Compendium:
    """The whole book: front matter, parts of cases, back matter."""

    title: str
    parts: tuple[Part, ...]
    subtitle: str = ""
    compiler: str = ""
    date: str = ""
    preface: tuple[Block, ...] = ()
    preface_title: str = "前言"
    afterword: tuple[Block, ...] = ()
    afterword_title: str = "编后记"
    lang: str = "zh-CN"
    # Derived once (the book is immutable): a lookup per case made the image stage and
    # the figure numbering quadratic in cases.
    _cases: tuple[Case, ...] = field(init=False, repr=False, compare=False)
    _numbers: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_text(self.title, "compendium title", empty_ok=False)
        for name in ("subtitle", "compiler", "preface_title", "afterword_title", "lang"):
            _check_text(getattr(self, name), name)
        _check_date(self.date, "compendium date")
        _require(all(isinstance(p, Part) for p in self.parts), "parts must be Part")
        cases = tuple(c for p in self.parts for c in p.cases)
        numbers: dict[str, int] = {}
        for n, case in enumerate(cases, 1):
            _require(case.id not in numbers, f"case id {case.id!r} is used twice")
            numbers[case.id] = n
        object.__setattr__(self, "_cases", cases)
        object.__setattr__(self, "_numbers", numbers)

    @property
    def cases(self) -> tuple[Case, ...]:
        return self._cases

    @property
    def has_parts(self) -> bool:
        return any(p.title for p in self.parts)

    def case_number(self, case: Case) -> int:
        """1-based position of the case in the book: chapter and figure numbers use it."""
        n = self._numbers.get(case.id)
        if n is None:
            raise ModelError(f"case {case.id!r} is not in this compendium")
        return n

    def numbered_figures(self, case: Case) -> dict[int, NumberedFigure]:
        """Figures of a case keyed by block index, numbered 图 n-1, n-2, ... in order."""
        n = self.case_number(case)
        numbered: dict[int, NumberedFigure] = {}
        for i, block in enumerate(case.blocks):
            if isinstance(block, Figure):
                numbered[i] = NumberedFigure(n, len(numbered) + 1, block)
        return numbered

    def iter_figures(self) -> Iterator[tuple[Case, NumberedFigure]]:
        for case in self.cases:
            for nf in self.numbered_figures(case).values():
                yield case, nf
