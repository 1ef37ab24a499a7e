"""Traditional → Simplified (OpenCC t2s) with 著/着 and 「」→“” fixes; detects the script."""

from __future__ import annotations

import re
from typing import Any

from .text import is_han

__all__ = ["to_simplified", "t2s", "TRADITIONAL_SHARE"]

# A text is Traditional when t2s changes at least this share of its Han characters
# (a Traditional article changes ~40%; a Simplified one 0, or a stray variant like 陞).
TRADITIONAL_SHARE = 0.10

_converter: Any = None


def t2s(text: str) -> str:
    """OpenCC t2s; the converter is created once, on first use."""
    global _converter
    if _converter is None:
        import opencc
        _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


# t2s leaves 著 alone; in Simplified it is 着 except in these words (著 = zhù, "write/notable").
_ZHU_WORDS = ("著名", "著作", "显著", "著称", "昭著", "卓著", "著述", "土著", "编著", "著者",
              "原著", "名著", "巨著", "论著", "专著", "译著", "遗著", "著录", "合著", "撰著",
              "拙著", "彰著")
_ZHU_KEEP = re.compile("|".join(sorted(set(_ZHU_WORDS), key=len, reverse=True)))
_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


def _fix_zhe(text: str) -> str:
    if "著" not in text:
        return text
    keep = {m.start() + m.group().index("著") for m in _ZHU_KEEP.finditer(text)}
    return "".join("着" if c == "著" and i not in keep else c for i, c in enumerate(text))


def _changed(a: str, b: str) -> set[str]:
    if len(a) == len(b):
        return {x for x, y in zip(a, b) if x != y}
    return set(a) - set(b)


def to_simplified(lines: list[str]) -> tuple[list[str], str, list[tuple[int, str]]]:
    """Convert lines when the text is Traditional.

    Returns (lines, script, strays): `script` is "traditional" or "simplified"; for a
    Simplified text left as it is, `strays` lists (line index, characters) that t2s
    would change: stray Traditional forms an editor should look at (often names: 安陞乡).
    """
    converted = [t2s(line) if line else line for line in lines]
    han = changed = 0
    strays: list[tuple[int, str]] = []
    for i, (a, b) in enumerate(zip(lines, converted)):
        if a == b:
            han += sum(1 for c in a if is_han(c))
            continue
        diff = _changed(a, b)
        han += sum(1 for c in a if is_han(c))
        changed += sum(1 for c in a if c in diff)
        strays.append((i, "".join(sorted(diff))))
    if han and changed >= TRADITIONAL_SHARE * han:
        return [_fix_zhe(line).translate(_QUOTES) for line in converted], "traditional", []
    return [line.translate(_QUOTES) for line in lines], "simplified", strays
