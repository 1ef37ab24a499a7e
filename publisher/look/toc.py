"""The table of contents as a list: what both the PDF and the DOCX list, in order.

One list for both writers, so the two books have the same TOC: the preface, each titled
part, each case (under its part), the afterword. Case sub-headings are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Compendium


@dataclass(frozen=True, slots=True)
class TocEntry:
    kind: Literal["front", "part", "case", "back"]
    text: str
    anchor: str  # the HTML id: preface, part-2, case-<id>, afterword
    in_part: bool = False  # a case listed under a titled part (indented)
    case_id: str = ""
    part_number: int = 0  # 1-based, for parts


def toc_entries(compendium: Compendium) -> list[TocEntry]:
    entries = []
    if compendium.preface:
        entries.append(TocEntry("front", compendium.preface_title, "preface"))
    for number, part in enumerate(compendium.parts, 1):
        if part.title:
            entries.append(TocEntry("part", part.title, f"part-{number}", part_number=number))
        for case in part.cases:
            entries.append(
                TocEntry(
                    "case", case.title, f"case-{case.id}", in_part=bool(part.title), case_id=case.id
                )
            )
    if compendium.afterword:
        entries.append(TocEntry("back", compendium.afterword_title, "afterword"))
    return entries
