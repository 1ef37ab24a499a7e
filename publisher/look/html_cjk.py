"""Chinese text as HTML (print and screens): punctuation compression, Han–Latin spacing.

The words never change: the finish is markup around them, which the stylesheet turns
into font features and margins (W3C clreq):

- In a run of adjacent full-width marks (“。”” “”，” “）。” ““《”), every mark but the last
  is in a `<span class="halt">` (one span for them all): the font's `halt` feature sets
  each half-width, so two marks take 1.5 em instead of 2.
- A run of Latin letters or digits is a `la` span (justification spaces Han characters,
  not a word's letters; a long URL-like run is also `url`, which may break anywhere).
  Touching a Han character it gets `hl-b` (space before)
  and/or `hl-a` (space after): a margin of `[typography] han_latin_space` em. Not next to
  punctuation or an existing space; the PDF writer drops the margin at a line's edges.
- With `punct=True` (captions, whose Kai face has narrow proportional quotes and no
  `halt`), every full-width mark is wrapped in `<span class="pm">`, which the stylesheet
  sets in the body's CJK face.

Text is escaped here (autoescape is bypassed by returning Markup), so article text stays
data.
"""

from __future__ import annotations

import re
from itertools import groupby

from markupsafe import Markup, escape

from ..text.chinese import is_han

__all__ = ["typeset", "COMPRESSIBLE", "is_han"]

# Full-width marks whose glyph takes half its em box, the other half being blank: these
# can be set half-width. Not the dash, ellipsis or middle dot, which fill their boxes.
OPENING = "“‘（《〈【「『〔［｛"
CLOSING = "”’）》〉】」』〕］｝"
STOPS = "。，、；：？！．"
COMPRESSIBLE = frozenset(OPENING + CLOSING + STOPS)
ALL_MARKS = COMPRESSIBLE | frozenset("—…·～－")

# A Latin word, number, date part, percentage, URL: starts and ends with a letter or digit
# (or %), so that punctuation around it stays outside.
_LATIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.,:/%+\-_@#&=?~]*[A-Za-z0-9%/])?")


_MARK_RUN = "[" + re.escape("".join(sorted(ALL_MARKS))) + "]+"
_TOKEN = re.compile(_LATIN.pattern + "|" + _MARK_RUN)
# A unit of a paragraph's tail: a Latin run or one character other than a space or mark.
_UNIT = re.compile(_LATIN.pattern + r"|[^\s" + re.escape("".join(sorted(ALL_MARKS))) + "]")
_LATIN_CHAR = re.compile(r"[A-Za-z0-9.,:/%+\-_@#&=?~]")
_URL_LIKE = re.compile(r"[./]")
_SPECIAL = re.compile(r"[&<>\"']")


def _tokens(text: str):
    """Split into (kind, piece): 'latin' runs, 'marks' runs and plain 'text'."""
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            yield "text", text[pos : match.start()]
        piece = match.group()
        yield ("latin" if piece[0].isascii() else "marks"), piece
        pos = match.end()
    if pos < len(text):
        yield "text", text[pos:]


def tail_start(text: str) -> int:
    """Where a paragraph's last two units begin (a Han character or a whole Latin run is
    one unit; marks after them go along): kept on one line, the last line never holds a
    single character (孤字). len(text) when there are fewer than three units."""
    # Only the end is read, from a character no Latin run contains: no match spans it, so
    # the matches after it are those of the whole text.
    for window in (48, 512, len(text)):
        start = max(0, len(text) - window)
        while start > 0 and _LATIN_CHAR.match(text, start - 1):
            start -= 1
        units = [m.start() for m in _UNIT.finditer(text, start)]
        if len(units) >= 3 or start == 0:
            return units[-2] if len(units) >= 3 else len(text)
    return len(text)


def _escape(text: str) -> str:
    return str(escape(text)) if _SPECIAL.search(text) else text


def typeset(
    text: str,
    *,
    space: float = 0.25,
    compress: bool = True,
    punct: bool = False,
    before: str = "",
    after: str = "",
    keep_tail: bool = False,
) -> Markup:
    """`text` as escaped HTML with the spans described above. `before`/`after`: the
    characters just outside this text in the same paragraph (a bold lead-in's
    neighbours), so marks and spacing across the boundary come out right. `keep_tail`:
    the text ends a paragraph; its last two characters are kept together (`tail` span,
    no break inside), so the paragraph's last line is never a lone character."""
    if keep_tail and (cut := tail_start(text)) < len(text):
        head, tail = text[:cut], text[cut:]
        first = typeset(
            head, space=space, compress=compress, punct=punct, before=before, after=tail
        )
        last = typeset(
            tail, space=space, compress=compress, punct=punct, before=head or before, after=after
        )
        return first + Markup('<span class="tail">') + last + Markup("</span>")
    tokens = list(_tokens(text))
    out: list[str] = []
    for i, (kind, piece) in enumerate(tokens):
        prev = tokens[i - 1][1][-1] if i else before[-1:]
        nxt = tokens[i + 1][1][0] if i + 1 < len(tokens) else after[:1]
        if kind == "latin":
            # `la`: the justification keeps a word's letters together; `url`: may break.
            classes = ["la"] + (["url"] if len(piece) > 12 and _URL_LIKE.search(piece) else [])
            if space > 0 and is_han(prev):
                classes.append("hl-b")
            if space > 0 and is_han(nxt):
                classes.append("hl-a")
            body = _escape(piece)
            out.append(f'<span class="{" ".join(classes)}">{body}</span>')
        elif kind == "marks":
            # A mark followed by another mark across the boundary is also compressed.
            chars = piece + (nxt if nxt in COMPRESSIBLE and not tokens[i + 1 :] else "")
            out += _mark_spans(piece, chars, compress, punct)
        else:
            out.append(_escape(piece))
    return Markup("".join(out))


def _mark_spans(piece: str, chars: str, compress: bool, punct: bool) -> list[str]:
    """A run of marks as spans, one span for each stretch of marks with the same classes
    (not one per mark: WeasyPrint's line breaking looks at every inline box of a run it
    cannot break for each box it adds, so a long run of spans costs its square)."""
    out: list[str] = []
    for classes, group in groupby(
        enumerate(piece), key=lambda item: _mark_classes(item, chars, compress, punct)
    ):
        body = _escape("".join(ch for _, ch in group))
        out.append(f'<span class="{classes}">{body}</span>' if classes else body)
    return out


def _mark_classes(item: tuple[int, str], chars: str, compress: bool, punct: bool) -> str:
    """`halt` for a mark followed by another compressible one; `pm` in captions."""
    j, ch = item
    half = compress and ch in COMPRESSIBLE and j + 1 < len(chars) and chars[j + 1] in COMPRESSIBLE
    return " ".join((["halt"] if half else []) + (["pm"] if punct else []))
