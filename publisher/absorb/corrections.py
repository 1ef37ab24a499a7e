"""Corrections from DOCX edits: each changed stretch of wording, with a little context,
recorded as the importer records its own (original → corrected, with a reason)."""

from __future__ import annotations

from contextlib import suppress
from difflib import SequenceMatcher

from ..model import Correction, ModelError

REASON = "edited in the DOCX"
_CONTEXT = 3  # characters kept on each side, so the change can be found in the text
_GAP = 4  # changes closer than this are one correction


def corrections_between(old: str, new: str, reason: str = REASON) -> list[Correction]:
    """The changes that turn `old` into `new`, as few small corrections."""
    if old == new:
        return []
    spans: list[list[int]] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if spans and i1 - spans[-1][1] < _GAP:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    out = []
    for i1, i2, j1, j2 in spans:
        left = min(_CONTEXT, i1, j1)
        right = min(_CONTEXT, len(old) - i2, len(new) - j2)
        original = old[i1 - left : i2 + right].strip()
        corrected = new[j1 - left : j2 + right].strip()
        try:
            out.append(Correction(original, corrected, reason))
        except ModelError:  # e.g. only spaces changed: the whole text says what changed
            with suppress(ModelError):
                out.append(Correction(old.strip(), new.strip(), reason))
    return out


def removal(old: str, reason: str = REASON) -> list[Correction]:
    """A deleted paragraph, heading or note: its text, corrected to nothing."""
    try:
        return [Correction(old.strip(), "", reason)]
    except ModelError:
        return []
