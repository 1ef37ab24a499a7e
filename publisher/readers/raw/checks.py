"""Warnings about source defects an editor must review; nothing here changes the text."""

from __future__ import annotations

from collections.abc import Iterable

from ...model import Author
from ...support.errors import Diagnostic
from ...text.textcheck import check_line
from .text import Line

__all__ = ["check_credits", "check_numbers"]


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
