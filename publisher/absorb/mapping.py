"""One case: what the DOCX shows now, against what the build wrote, back into the Case.

`expected` is the reading of a DOCX written from the case as it is (the same writer, the
same reader), so anything equal there is unchanged and keeps its exact model value;
only what differs is mapped back: blocks (added, deleted, changed), title, subtitle,
kicker and series, figure captions, credits and new pictures. Bylines, datelines and
source notes are made from metadata; an edit there is reported, not guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any

from ..model import Block, Case, Correction, Figure, Heading, ModelError, Note, Paragraph
from .corrections import corrections_between, removal
from .reader import Finding, Item, Picture

_META = ("kicker", "title", "subtitle", "series")
_DERIVED = {
    "byline": "the byline (edit 'authors' in the case file)",
    "source": "the dateline (edit 'publication', 'source' or 'date')",
    "source_note": "the source note (edit 'publication', 'page', 'source' or 'authors')",
}
_BLOCKS = ("heading", "para", "figure", "note")
_DASHES = ("—", "－", "-")

SavePicture = Callable[[Picture, Case, int], str]  # → image path relative to content/


@dataclass
class Merge:
    case: Case
    changes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class ReaderMismatch(Exception):
    """The reader does not see the writer's own output as the case: a bug, not input."""


def merge_case(
    case: Case, expected: list[Item], actual: list[Item], save_picture: SavePicture
) -> Merge:
    merge = Merge(case)
    corrections: list[Correction] = []
    actual = _unexpected_as_body(expected, actual, merge)
    meta = _merge_meta(case, expected, actual, merge, corrections)
    blocks = _merge_blocks(
        case,
        [i for i in expected if i.kind in _BLOCKS],
        [i for i in actual if i.kind in _BLOCKS],
        merge,
        corrections,
        save_picture,
    )
    for kind, what in _DERIVED.items():
        after = _text(actual, kind)
        if _text(expected, kind) != after:
            where = next((i.where for i in actual if i.kind == kind), "")
            now = f" to “{after}”" if after else " (deleted)"
            merge.findings.append(
                Finding(
                    where,
                    f"{what} was changed in the DOCX{now}; it is "
                    "made from the case's metadata, so it is not "
                    "absorbed",
                )
            )
    known = {(c.original, c.corrected) for c in case.corrections}
    new = tuple(c for c in corrections if (c.original, c.corrected) not in known)
    merge.case = replace(case, **meta, blocks=tuple(blocks), corrections=case.corrections + new)
    return merge


def _unexpected_as_body(expected: list[Item], actual: list[Item], merge: Merge) -> list[Item]:
    """A byline, dateline or source note where the case has none (its metadata makes
    none) is a paragraph the editor styled so: body text, with a finding."""
    have = {i.kind for i in expected}
    out = []
    for item in actual:
        if item.kind in _DERIVED and item.kind not in have and item.as_para:
            text = "".join(r.text for r in item.as_para)
            merge.findings.append(
                Finding(
                    f"in “{text[:12]}…”" if len(text) > 12 else f"in “{text}”",
                    f"its style “{item.style}” has no place there in this case (it has no "
                    f"{_DERIVED[item.kind].split(' (')[0].removeprefix('the ')}): "
                    "absorbed as body text",
                )
            )
            item = Item("para", text, runs=item.as_para, where=item.where)
        out.append(item)
    return out


def _text(items: list[Item], kind: str) -> str:
    return next((i.text for i in items if i.kind == kind), "")


# --- title block ----------------------------------------------------------------------


def _merge_meta(
    case: Case,
    expected: list[Item],
    actual: list[Item],
    merge: Merge,
    corrections: list[Correction],
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for kind in _META:
        before, after = _text(expected, kind), _text(actual, kind)
        if before == after:
            continue
        old = getattr(case, kind)
        value = _unprint(kind, after, old)
        if kind == "title" and not value:
            merge.findings.append(
                Finding("", "the case title was deleted in the DOCX; the title is kept")
            )
            continue
        try:
            fields: dict[str, Any] = {kind: value}
            replace(case, **fields)
        except ModelError as exc:
            where = next((i.where for i in actual if i.kind == kind), "")
            merge.findings.append(
                Finding(where, f"the {kind} “{value}” cannot be absorbed ({exc}); kept as it was")
            )
            continue
        values[kind] = value
        merge.changes.append(f"{kind}: “{old}” → “{value}”")
        if kind != "series":
            corrections += (
                corrections_between(old, value) if old and value else removal(old) if old else []
            )
    return values


def _unprint(kind: str, text: str, old: str) -> str:
    """The field's value from its printed form (the writers add ——, （）)."""
    if kind == "subtitle" and text.startswith("——") and not old.startswith(_DASHES):
        return text[2:].strip()
    if kind == "series" and text.startswith("（") and text.endswith("）"):
        return text[1:-1].strip()
    return text


# --- blocks ---------------------------------------------------------------------------


def _merge_blocks(
    case: Case,
    expected: list[Item],
    actual: list[Item],
    merge: Merge,
    corrections: list[Correction],
    save: SavePicture,
) -> list[Block]:
    if len(expected) != len(case.blocks):
        raise ReaderMismatch(
            f"case {case.id}: {len(expected)} items read for {len(case.blocks)} blocks"
        )
    out: list[Block] = []
    figures = sum(isinstance(b, Figure) for b in case.blocks)
    matcher = SequenceMatcher(None, expected, actual, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += case.blocks[i1:i2]
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            old = case.blocks[i1 + k] if i1 + k < i2 else None
            before = expected[i1 + k] if i1 + k < i2 else None
            after = actual[j1 + k] if j1 + k < j2 else None
            if (
                old is not None
                and before is not None
                and after is not None
                and before.kind == after.kind
            ):
                out.append(_changed(case, old, before, after, merge, corrections, save))
                continue
            if old is not None and before is not None:
                merge.changes.append(f"deleted {_describe(before)}")
                corrections += removal(_plain(old))
            if after is not None:
                figures += after.kind == "figure"
                block = _new_block(case, after, figures, merge, save)
                if block is not None:
                    out.append(block)
                    merge.changes.append(f"added {_describe(after)}")
    return out


def _changed(
    case: Case,
    old: Block,
    before: Item,
    after: Item,
    merge: Merge,
    corrections: list[Correction],
    save: SavePicture,
) -> Block:
    try:
        if isinstance(old, Heading):
            block: Block = Heading(after.level, after.text)
        elif isinstance(old, Paragraph):
            block = Paragraph(after.runs)
        elif isinstance(old, Note):
            block = Note(after.text)
        else:  # a figure: a pair stays a pair
            block = replace(
                old,
                caption=after.text,
                credit=after.credit,
                image=_image(case, old, before, after, merge, save),
            )
    except ModelError as exc:
        merge.findings.append(
            Finding(after.where, f"{_describe(after)} cannot be absorbed ({exc}); kept as it was")
        )
        return old
    if block != old:
        merge.changes.append(f"changed {_describe(after)}")
        corrections += corrections_between(_plain(old), _plain(block))
        if isinstance(old, Figure) and old.credit != after.credit:
            corrections += corrections_between(old.credit, after.credit) if old.credit else []
    return block


def _image(
    case: Case, old: Figure, before: Item, after: Item, merge: Merge, save: SavePicture
) -> str:
    had = {p.sha256 for p in before.pictures}
    new = [p for p in after.pictures if p.sha256 not in had]
    if new:
        number = sum(isinstance(b, Figure) for b in case.blocks[: case.blocks.index(old) + 1])
        if len(new) > 1:
            merge.findings.append(
                Finding(
                    after.where,
                    f"{len(new) - 1} more new picture(s) in one figure are not absorbed",
                )
            )
        try:
            path = save(new[0], case, number)
        except ValueError as exc:  # a format the writers cannot print
            merge.findings.append(Finding(after.where, f"{exc}: not absorbed"))
            return old.image
        merge.changes.append(f"picture saved as content/{path}")
        return path
    if had and not after.pictures:
        merge.findings.append(
            Finding(
                after.where,
                f"the picture of “{after.text}” was "
                f"removed in the DOCX; the case still shows "
                f"{old.image or 'it'}",
            )
        )
    return old.image


def _new_block(
    case: Case, item: Item, figure_number: int, merge: Merge, save: SavePicture
) -> Block | None:
    try:
        if item.kind == "heading":
            return Heading(item.level, item.text)
        if item.kind == "para":
            return Paragraph(item.runs)
        if item.kind == "note":
            return Note(item.text)
        image = ""
        if item.pictures:
            try:
                image = save(item.pictures[0], case, figure_number)
                merge.changes.append(f"picture saved as content/{image}")
            except ValueError as exc:
                if isinstance(exc, ModelError):
                    raise
                merge.findings.append(Finding(item.where, f"{exc}: not absorbed"))
        return Figure(item.text, item.credit, image)
    except ModelError as exc:
        merge.findings.append(Finding(item.where, f"{_describe(item)} cannot be absorbed ({exc})"))
        return None


def _plain(block: Block) -> str:
    if isinstance(block, Figure):
        return block.caption
    return block.text


def _describe(item: Item) -> str:
    what = {"heading": "heading", "para": "paragraph", "figure": "figure caption", "note": "note"}[
        item.kind
    ]
    text = item.text if len(item.text) <= 16 else item.text[:15] + "…"
    return f"{what} “{text}”"
