"""Shared pieces of the raw importer: the Line record and character/line predicates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...text.chinese import is_cjk, is_han

__all__ = [
    "Line",
    "is_han",
    "is_cjk",
    "ends_final",
    "is_short_line",
    "SHORT_MAX",
    "SHORT_MAX_PLAIN",
    "FINAL",
    "CLOSERS",
]


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line of the raw file, normalised; `no` is its line in the raw file."""

    no: int
    text: str
    gap: int = 0  # blank lines right before it in the raw file (0 at the start of a file)


FINAL = frozenset("。！？…；.!?")  # a sentence ends here
# may follow the sentence end: 。” counts as final; so does a magazine's end mark (。□)
CLOSERS = frozenset("”’」』）)》】〕□■")

# A "short line" is a heading/title-like line: no sentence-final punctuation and short.
# Up to SHORT_MAX characters anything goes (建队伍，聚力精准扶贫); a line without clause
# punctuation (，、；) may be up to SHORT_MAX_PLAIN long (long titles with spaces).
SHORT_MAX = 30
SHORT_MAX_PLAIN = 60


# An article's closing note after its last sentence: 。（未完待续） 。(完)
_CLOSING_NOTE = re.compile(r"[（(](?:未完待续|未完|待续|完|全文完|续完)[）)]\W*$")


def ends_final(text: str) -> bool:
    """True when the text ends a sentence: 。！？…； possibly followed by closing quotes
    or an article's closing note (（未完待续）)."""
    text = _CLOSING_NOTE.sub("", text)
    i = len(text) - 1
    while i >= 0 and (text[i] in CLOSERS or text[i] == " "):
        i -= 1
    return i >= 0 and text[i] in FINAL


def is_short_line(text: str) -> bool:
    """A title/heading-like line: short and without sentence-final punctuation."""
    if not text or ends_final(text):
        return False
    if len(text) <= SHORT_MAX:
        return True
    return len(text) <= SHORT_MAX_PLAIN and not any(c in "，、；,;" for c in text)
