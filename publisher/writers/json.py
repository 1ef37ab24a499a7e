"""The content model as JSON, for tooling and CI (`publisher model --json`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..model import (
    CASE_METADATA,
    Block,
    Case,
    Compendium,
    Correction,
    Figure,
    Heading,
    Note,
    Paragraph,
)


def block_to_dict(block: Block, label: str = "") -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"type": "heading", "level": block.level, "text": block.text}
    if isinstance(block, Paragraph):
        return {
            "type": "paragraph",
            "text": block.text,
            "lead": block.lead,
            "runs": [{"text": r.text, "strong": r.strong} for r in block.runs],
        }
    if isinstance(block, Figure):
        entry: dict[str, Any] = {
            "type": "figure",
            "caption": block.caption,
            "credit": block.credit,
            "image": block.image,
        }
        if block.pair:  # two photos side by side: image on the left, second_image right
            entry.update(pair=True, second_image=block.second_image)
        return {**entry, "number": label} if label else entry
    if isinstance(block, Note):
        return {"type": "note", "text": block.text}
    raise TypeError(f"not a block: {block!r}")


def correction_to_dict(c: Correction) -> dict[str, Any]:
    return {"original": c.original, "corrected": c.corrected, "reason": c.reason, "line": c.line}


def case_to_dict(case: Case, labels: dict[int, str] | None = None) -> dict[str, Any]:
    labels = labels or {}
    return {
        **{name: getattr(case, name) for name in CASE_METADATA},
        "authors": [a.name for a in case.writers],
        "editors": [a.name for a in case.editors],
        "people": [{"name": a.name, "role": a.role, "note": a.note} for a in case.authors],
        "corrections": [correction_to_dict(c) for c in case.corrections],
        "blocks": [block_to_dict(b, labels.get(i, "")) for i, b in enumerate(case.blocks)],
    }


def compendium_to_dict(compendium: Compendium) -> dict[str, Any]:
    def case_entry(case: Case) -> dict[str, Any]:
        labels = {i: nf.label for i, nf in compendium.numbered_figures(case).items()}
        return {**case_to_dict(case, labels), "number": compendium.case_number(case)}

    return {
        "title": compendium.title,
        "subtitle": compendium.subtitle,
        "compiler": compendium.compiler,
        "date": compendium.date,
        "lang": compendium.lang,
        "parts": [{"title": p.title, "cases": [c.id for c in p.cases]} for p in compendium.parts],
        "preface": [block_to_dict(b) for b in compendium.preface],
        "afterword": [block_to_dict(b) for b in compendium.afterword],
        "cases": [case_entry(c) for c in compendium.cases],
    }


def dumps(data: Any) -> str:
    """Stable JSON: sorted nowhere (order is meaningful), Chinese kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True, slots=True)
class JsonOutput:
    data: bytes
    warnings: tuple[str, ...] = ()


def write_json(compendium: Compendium) -> JsonOutput:
    """The writer interface's JSON writer: the content model, as `publisher model --json`."""
    return JsonOutput(dumps(compendium_to_dict(compendium)).encode())
