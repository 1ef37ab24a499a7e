"""The rules over one case file alone (text rules on its lines, case rules on its model)
and the duplicate check across cases: what `publisher lint` and the case cache both run.

They read no file and know no project, so the case cache (`casecache.py`), which the
project loader uses, and lint (`lint.py`), which uses the loader, both import them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Case, Figure, Heading, Paragraph
from ..support.errors import Diagnostic
from ..text.textcheck import MISSING_CAPTION, MISSING_TITLE, check_line

# Front-matter keys whose values are article text; the rest (ids, hashes, and the
# corrections, whose `original` keeps the damaged text on purpose) are not linted.
_TEXT_KEYS = re.compile(
    r"^\s*(?:- )?(title|subtitle|kicker|series|name|role|note|publication"
    r"|page|source|region|place):"
)


def check_text_file(text: str, path: str) -> list[Diagnostic]:
    """Text rules over a whole file: every line of a raw article; of a case file, its body
    and the text values of its front matter."""
    diagnostics = []
    lines = text.splitlines()
    front_end = 0
    if lines and lines[0].strip() == "---":
        front_end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    for number, line in enumerate(lines, 1):
        if front_end and number <= front_end + 1 and not _TEXT_KEYS.match(line):
            continue
        for f in check_line(line):
            diagnostics.append(Diagnostic(path, number, f.col + 1, f.severity, f.message))
    return diagnostics


# --- case rules -----------------------------------------------------------------------

_METADATA = (("date", "date"), ("source", "source or publication"), ("authors", "author"))


def check_case(case: Case, path: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if case.title == MISSING_TITLE:
        out.append(
            Diagnostic(
                path,
                1,
                0,
                "error",
                "no title: the source has none; write the case's title in 'title:'",
            )
        )
    for block in case.blocks:
        if getattr(block, "caption", None) == MISSING_CAPTION:
            out.append(
                Diagnostic(path, block.line, 1, "warning", "picture without a caption: write one")
            )
    if not case.region:
        out.append(
            Diagnostic(
                path,
                1,
                0,
                "warning",
                "no region: add 'region:' (the province) if the case belongs to one",
            )
        )
    if not case.date:
        out.append(
            Diagnostic(path, 1, 0, "warning", "no date: add 'date:' if the source gives one")
        )
    if not case.source and not case.publication:
        out.append(Diagnostic(path, 1, 0, "warning", "no source or publication"))
    if not case.writers:
        out.append(Diagnostic(path, 1, 0, "warning", "no author"))
    if case.script == "traditional":
        how = f"converted with OpenCC {case.opencc}" if case.opencc else "conversion not recorded"
        out.append(
            Diagnostic(
                path,
                1,
                0,
                "info",
                f"the original is in Traditional script ({how}): check names and terms against it",
            )
        )
    if not any(isinstance(b, Paragraph) for b in case.blocks):
        out.append(Diagnostic(path, 1, 0, "error", "the case has no text"))
    for i, block in enumerate(case.blocks):
        if isinstance(block, Heading):
            section = []  # up to the next heading of the same or a higher level
            for b in case.blocks[i + 1 :]:
                if isinstance(b, Heading) and b.level <= block.level:
                    break
                section.append(b)
            if all(isinstance(b, Heading) for b in section):
                out.append(
                    Diagnostic(
                        path,
                        block.line,
                        1,
                        "warning",
                        f"empty section {block.text!r}: no text under it",
                    )
                )
    # Everything a correction can have changed: text blocks, captions, credits, title block.
    body = "\n".join(
        [f"{b.caption}\n{b.credit}" if isinstance(b, Figure) else b.text for b in case.blocks]
        + [case.title, case.subtitle, case.kicker, case.series]
    )
    for c in case.corrections:
        facts = (case.source, case.publication)
        if c.corrected and c.corrected not in body and not any(c.corrected in f for f in facts):
            out.append(
                Diagnostic(
                    path,
                    1,
                    0,
                    "warning",
                    f"correction {c.original!r} → {c.corrected!r} is recorded "
                    "but the corrected text is not in the case",
                )
            )
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
                out.append(
                    Diagnostic(path, 1, 0, "error", f"duplicate case: same {what} as {seen[key]}")
                )
                break
            seen.setdefault(key, path)
    return out


def _squash(text: str) -> str:
    return re.sub(r"[\s　:：,，。“”\"']", "", text)
