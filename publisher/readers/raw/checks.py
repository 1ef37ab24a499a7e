"""Warnings about source defects an editor must review; nothing here changes the text."""

from __future__ import annotations

from collections.abc import Iterable

from ...model import Author
from ...support.errors import Diagnostic
from ...text.textcheck import check_line
from ..rules.text import Line

__all__ = ["check_credits", "check_numbers", "check_title_block"]


def check_numbers(lines: list[Line], path: str) -> list[Diagnostic]:
    """Flag figures that look damaged in the source (never corrected here): the same
    rules as `publisher lint`, reported at the raw file's line and column."""
    out: list[Diagnostic] = []
    for line in lines:
        if not any(c.isdigit() for c in line.text):
            continue
        for f in check_line(line.text):
            if f.rule == "figure":
                out.append(
                    Diagnostic(
                        path,
                        line.no,
                        f.col + 1,
                        "warning",
                        f"suspect {f.message}: check against the original",
                    )
                )
    return out


def check_credits(authors: Iterable[Author], path: str, line: int) -> list[Diagnostic]:
    """The guess that a 作者 is a unit (作者单位), listed for the editor to review."""
    return [
        Diagnostic(
            path,
            line,
            0,
            "warning",
            f"guess: 作者 “{a.name}” names a unit, not a person: credited as 作者单位"
            " (in the source note, not the byline); check",
        )
        for a in authors
        if a.role == "作者单位"
    ]


def check_title_block(
    path: str, line: int, *, kicker: str, title: str, subtitle: str, series: str, place: str
) -> list[Diagnostic]:
    """The importer's reading of a title block and the place it took from the title:
    guesses, listed for the editor to review (one line each)."""
    out: list[Diagnostic] = []
    parts = [
        f"{name} “{value}”"
        for name, value in (
            ("kicker", kicker),
            ("title", title),
            ("subtitle", subtitle),
            ("series", series),
        )
        if value
    ]
    if len(parts) > 1:
        out.append(
            Diagnostic(
                path, line, 0, "warning", f"guess: title lines read as {', '.join(parts)}: check"
            )
        )
    if place:
        out.append(
            Diagnostic(
                path,
                line,
                0,
                "warning",
                f"guess: place “{place}” read from the title: check 'place:'",
            )
        )
    return out
