"""`publisher lint`: findings an editor should fix, as `file:line:col: severity: message`.

Text rules run on the lines of a file exactly as written (a case file or a raw article),
so every column points at the offending characters. Case rules (empty sections, missing
metadata, duplicates) run on the content model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import ContentError, Diagnostic, Severity
from .model import Case, Heading, Paragraph
from .project import Project, read_cases

_HAN = r"\u3400-\u9fff\uf900-\ufaff"


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding at a 0-based column of one line."""

    col: int
    severity: Severity
    message: str


# --- text rules -----------------------------------------------------------------------

# Figures damaged in the source: a character lost between two numbers.
_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d\d)(\d{1,2})月")  # 20177月 for 2017年7月
_LOST_HU = re.compile(r"户(\d{4,})人")                           # 户4711340人 for 471户1340人
_HUGE_COUNT = re.compile(r"(?<![\d.,万亿])(\d{6,})人")           # 4321783人 in a village
_LOST_UNIT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)/(亩|人|户|吨|斤|公斤|平方米|米|公里|天|月|年)")

_CHROME = re.compile(r"点击次数|点击数[:：]|上一篇|下一篇|设为主页|加入收藏|站内搜索|位访问者"
                     r"|返回顶部|打印本页|关闭窗口|分享到[:：]|首页\s*>")

# Half-width punctuation touching a Han character (the importer turns these full-width).
_HALF_WIDTH = re.compile(rf"(?<=[{_HAN}])[,:;?!()]|[,:;?!()](?=[{_HAN}])")
_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}

_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "(": ")", "「": "」"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def check_line(text: str) -> list[Finding]:
    """All text findings on one line of article text."""
    found: list[Finding] = []
    for m in _YEAR_MONTH.finditer(text):
        found.append(Finding(m.start(), "error",
                             f"garbled date {m.group()!r}: 年 seems lost "
                             f"({m.group(1)}年{m.group(2)}月?)"))
    for m in _LOST_HU.finditer(text):
        found.append(Finding(m.start(1), "error",
                             f"garbled figure {m.group(1) + '人'!r} after 户: a unit seems "
                             "lost between two numbers (e.g. 471户1340人)"))
    for m in _HUGE_COUNT.finditer(text):
        if not any(f.col == m.start(1) for f in found):
            found.append(Finding(m.start(1), "warning",
                                 f"implausible count {m.group()!r}: a unit (户) may be lost"))
    for m in _LOST_UNIT.finditer(text):
        found.append(Finding(m.start(), "error",
                             f"garbled figure {m.group()!r}: the unit before '/' is lost "
                             f"(e.g. {m.group(1)}元/{m.group(2)})"))
    for m in _CHROME.finditer(text):
        found.append(Finding(m.start(), "error",
                             f"website chrome left in the text: {m.group()!r}"))
    half = list(_HALF_WIDTH.finditer(text))
    if half:  # one finding per line: a pasted web page has hundreds
        first = half[0].group()
        more = f" (and {len(half) - 1} more on this line)" if len(half) > 1 else ""
        found.append(Finding(half[0].start(), "warning",
                             f"half-width {first!r} in Chinese text: use {_FULL[first]!r}{more}"))
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
                yield Finding(col, "warning", f"{ch!r} closes nothing")
    for ch, col in stack:
        yield Finding(col, "warning", f"{ch!r} is never closed on this line")


def _is_list_marker(text: str, col: int) -> bool:
    """`1)` or `a)` at a line start is a list marker, not half a pair."""
    return bool(re.match(r"^\s*[\da-zA-Z]\)", text)) and col <= len(text) - len(text.lstrip()) + 2


def check_text_file(text: str, path: str) -> list[Diagnostic]:
    """Text rules over a whole file; front-matter keys of case files are skipped."""
    diagnostics = []
    in_front = text.startswith("---")
    for number, line in enumerate(text.splitlines(), 1):
        if number > 1 and in_front and line.strip() == "---":
            in_front = False
            continue
        if in_front and (line.lstrip().startswith("#") or number == 1):
            continue  # the case-file header comment documents the format itself
        if in_front and re.match(r"^\s*(source_file|source_sha256|id|original):", line):
            continue  # a correction's `original` keeps the damaged text on purpose
        for f in check_line(line):
            diagnostics.append(Diagnostic(path, number, _display_col(line, f.col) + 1,
                                          f.severity, f.message))
    return diagnostics


def _display_col(line: str, col: int) -> int:
    """Columns count characters (as editors' status bars do), not bytes."""
    return len(unicodedata.normalize("NFC", line[:col]))


# --- case rules -----------------------------------------------------------------------

_METADATA = (("date", "date"), ("source", "source or publication"), ("authors", "author"))


def check_case(case: Case, path: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if not case.date:
        out.append(Diagnostic(path, 1, 0, "warning", "no date: add 'date:' if the source gives one"))
    if not case.source and not case.publication:
        out.append(Diagnostic(path, 1, 0, "warning", "no source or publication"))
    if not case.writers:
        out.append(Diagnostic(path, 1, 0, "warning", "no author"))
    if not any(isinstance(b, Paragraph) for b in case.blocks):
        out.append(Diagnostic(path, 1, 0, "error", "the case has no text"))
    for i, block in enumerate(case.blocks):
        if isinstance(block, Heading):
            section = []  # up to the next heading of the same or a higher level
            for b in case.blocks[i + 1:]:
                if isinstance(b, Heading) and b.level <= block.level:
                    break
                section.append(b)
            if all(isinstance(b, Heading) for b in section):
                out.append(Diagnostic(path, block.line, 1, "warning",
                                      f"empty section {block.text!r}: no text under it"))
    body = "\n".join(b.text for b in case.blocks if isinstance(b, Paragraph))
    for c in case.corrections:
        if c.corrected and c.corrected not in body and c.corrected not in case.title:
            out.append(Diagnostic(path, 1, 0, "warning",
                                  f"correction {c.original!r} → {c.corrected!r} is recorded "
                                  "but the corrected text is not in the case"))
    return out


def check_duplicates(cases: Iterable[tuple[Case, str]]) -> list[Diagnostic]:
    """The same article twice: same title, or the same opening paragraph."""
    out: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for case, path in cases:
        first = next((b.text for b in case.blocks if isinstance(b, Paragraph)), "")
        for key in (f"title:{_squash(case.title)}", f"text:{_squash(first)[:80]}"):
            if key.endswith(":"):
                continue
            if key in seen and seen[key] != path:
                what = "title" if key.startswith("title") else "opening paragraph"
                out.append(Diagnostic(path, 1, 0, "error",
                                      f"duplicate case: same {what} as {seen[key]}"))
                break
            seen.setdefault(key, path)
    return out


def _squash(text: str) -> str:
    return re.sub(r"[\s　:：,，。“”\"']", "", text)


# --- entry point ----------------------------------------------------------------------

def lint_project(project: Project) -> list[Diagnostic]:
    """Lint every case file (text and case rules) and the settings."""
    from .project import load_project

    diagnostics: list[Diagnostic] = []
    try:
        cases, files = read_cases(project)
    except ContentError as exc:
        return [Diagnostic(exc.path, exc.line, exc.col, "error", exc.message)]
    for case in cases:
        path = files[case.id]
        text = (project.root / path).read_text(encoding="utf-8")
        diagnostics += check_text_file(text, path)
        diagnostics += check_case(case, path)
    diagnostics += check_duplicates((c, files[c.id]) for c in cases)
    try:
        diagnostics += load_project(project).diagnostics
    except ContentError as exc:
        diagnostics.append(Diagnostic(exc.path, exc.line, exc.col, "error", exc.message))
    return sort_diagnostics(diagnostics)


def lint_files(paths: Iterable[Path], display) -> list[Diagnostic]:
    """Lint given files: raw articles (text rules) or case files (text and case rules)."""
    from .readers.casefile import read_case_file
    from .readers.raw.decode import decode

    diagnostics: list[Diagnostic] = []
    cases = []
    for path in paths:
        shown = display(path)
        try:
            text = decode(path.read_bytes(), shown)[0]
        except ContentError as exc:
            diagnostics.append(Diagnostic(shown, exc.line, exc.col, "error", exc.message))
            continue
        diagnostics += check_text_file(text, shown)
        if path.suffix == ".md":
            try:
                case = read_case_file(text, shown)
            except ContentError as exc:
                diagnostics.append(Diagnostic(shown, exc.line, exc.col, "error", exc.message))
                continue
            diagnostics += check_case(case, shown)
            cases.append((case, shown))
    diagnostics += check_duplicates(cases)
    return sort_diagnostics(diagnostics)


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    unique = dict.fromkeys(diagnostics)  # the same finding from two routes once
    return sorted(unique, key=lambda d: (d.path, d.line, d.col, d.message))
