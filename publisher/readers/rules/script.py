"""Traditional → Simplified with OpenCC, with 著/着 and 「」→“” fixes; detects the script.

The OpenCC configuration follows the text's variant: hk2s for Hong Kong forms (衞), tw2s
for Taiwan forms, t2s otherwise; `to_simplified` says which one it used.
"""

from __future__ import annotations

import re
from typing import Any

from ...model import Script
from .text import is_han

__all__ = ["to_simplified", "t2s", "convert", "TRADITIONAL_SHARE", "CONFIGS"]

# A text is Traditional when t2s changes at least this share of its Han characters
# (a Traditional article changes ~40%; a Simplified one 0, or a stray variant like 陞).
TRADITIONAL_SHARE = 0.10

CONFIGS = ("t2s", "hk2s", "tw2s")  # t2s first: it wins a tie
_converters: dict[str, Any] = {}


def convert(text: str, config: str) -> str:
    """OpenCC with `config`; each converter is created once, on first use."""
    if config not in _converters:
        import opencc

        _converters[config] = opencc.OpenCC(config)
    return _converters[config].convert(text)


def t2s(text: str) -> str:
    return convert(text, "t2s")


def _variant(text: str) -> str:
    """The configuration that converts the most characters: a Hong Kong text has forms
    (衞) that only hk2s knows, a Taiwan text forms only tw2s knows."""

    def changed(config: str) -> int:
        return sum(a != b for a, b in zip(text, convert(text, config), strict=False))

    return max(CONFIGS, key=lambda c: (changed(c), -CONFIGS.index(c)))


# t2s leaves 著 alone; in Simplified it is 着 except in these words (著 = zhù, "write/notable").
_ZHU_WORDS = (
    "著名",
    "著作",
    "显著",
    "著称",
    "昭著",
    "卓著",
    "著述",
    "土著",
    "编著",
    "著者",
    "原著",
    "名著",
    "巨著",
    "论著",
    "专著",
    "译著",
    "遗著",
    "著录",
    "合著",
    "撰著",
    "拙著",
    "彰著",
)
_ZHU_KEEP = re.compile("|".join(sorted(set(_ZHU_WORDS), key=len, reverse=True)))
_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


def _fix_zhe(text: str) -> str:
    if "著" not in text:
        return text
    keep = {m.start() + m.group().index("著") for m in _ZHU_KEEP.finditer(text)}
    return "".join("着" if c == "著" and i not in keep else c for i, c in enumerate(text))


def _keep_zhu(original: str, converted: str) -> str:
    """tw2s makes 显著 显着: 著 stays 著 in the words where Simplified writes it so."""
    if "著" not in original or len(original) != len(converted):
        return converted
    out = list(converted)
    for m in _ZHU_KEEP.finditer(original):
        out[m.start() + m.group().index("著")] = "著"
    return "".join(out)


def _changed(a: str, b: str) -> set[str]:
    if len(a) == len(b):
        return {x for x, y in zip(a, b, strict=True) if x != y}
    return set(a) - set(b)


def to_simplified(lines: list[str]) -> tuple[list[str], Script, list[tuple[int, str]], str]:
    """Convert lines when the text is Traditional.

    Returns (lines, script, strays, config): `script` is "traditional" or "simplified";
    `config` the OpenCC configuration used ("" when nothing was converted); for a
    Simplified text left as it is, `strays` lists (line index, characters) that t2s
    would change: stray Traditional forms an editor should look at (often names: 安陞乡).
    """
    config = _variant("\n".join(lines))
    converted = [_keep_zhu(line, convert(line, config)) if line else line for line in lines]
    han = changed = 0
    strays: list[tuple[int, str]] = []
    for i, (a, b) in enumerate(zip(lines, converted, strict=True)):
        if a == b:
            han += sum(1 for c in a if is_han(c))
            continue
        diff = _changed(a, b)
        han += sum(1 for c in a if is_han(c))
        changed += sum(1 for c in a if c in diff)
        strays.append((i, "".join(sorted(diff))))
    if han and changed >= TRADITIONAL_SHARE * han:
        return (
            [_fix_zhe(line).translate(_QUOTES) for line in converted],
            "traditional",
            [],
            config,
        )
    return [line.translate(_QUOTES) for line in lines], "simplified", strays, ""
