"""The spaces of a web page's text as a Chinese reader sees them, settled before extraction.

- A line break in the page's source between two Chinese characters is no space: the
  markup wraps a long line (`<strong>加强</strong>⏎<strong>队伍</strong>`, `北京⏎天津`),
  and CSS Text's segment-break rule removes such a break between East Asian wide
  characters. Removed, so inline elements join without inventing a space.
- A space typed between two inline elements (`<b>中国</b> <b>人民</b>`, `&nbsp;`) is a
  real space between two phrases: the extractor trims text that is only whitespace, so
  the space is moved into the next element's text, where it survives.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["settle_spaces"]

_WIDE = "\u2e80-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_BREAK_BETWEEN_WIDE = re.compile(rf"(?<=[{_WIDE}])[ \t\r\f]*\n\s*(?=[{_WIDE}])")
_IS_WIDE = re.compile(rf"[{_WIDE}]")
_INLINE = frozenset(
    ["a", "b", "strong", "em", "i", "u", "span", "font", "small", "big", "sub", "sup", "mark"]
)
_SKIP = frozenset(["script", "style", "noscript", "head", "title", "template"])


def _slots(el: Any, out: list[tuple[Any, str]]) -> None:
    """Every text slot of `el` in reading order: (element, "text" | "tail")."""
    if not isinstance(el.tag, str) or el.tag in _SKIP:
        return
    out.append((el, "text"))
    for child in el:
        _slots(child, out)
        out.append((child, "tail"))


def _get(slot: tuple[Any, str]) -> str:
    return getattr(slot[0], slot[1]) or ""


def settle_spaces(root: Any) -> bool:
    """Settles the spaces of the page's body in place (see the module); True if changed."""
    body = root.find(".//body")
    if body is None:
        return False
    slots: list[tuple[Any, str]] = []
    _slots(body, slots)
    changed = False
    texts = [_get(s) for s in slots]
    # the first visible character after each slot, and the last before it
    after = [""] * len(texts)
    for k in range(len(texts) - 2, -1, -1):
        nxt = texts[k + 1].lstrip()
        after[k] = nxt[:1] if nxt else after[k + 1]
    before = ""
    for k, text in enumerate(texts):
        if text and any(c.isspace() for c in text):
            new = _BREAK_BETWEEN_WIDE.sub("", text)
            lead = new[: len(new) - len(new.lstrip())]
            if "\n" in lead and _IS_WIDE.match(before) and _IS_WIDE.match(new.lstrip() or after[k]):
                new = new[len(lead) :]
            trail = new[len(new.rstrip()) :]
            if "\n" in trail and _IS_WIDE.match(new.rstrip()[-1:]) and _IS_WIDE.match(after[k]):
                new = new.rstrip()
            if new != text:
                setattr(*slots[k], new)
                changed = True
            text = new
        if text.strip():
            before = text.rstrip()[-1]
    # a real space between two inline elements: into the next one's text
    for el in body.iter(*_INLINE):
        space = el.tail or ""
        nxt = el.getnext()
        if (
            space
            and not space.strip()
            and "\n" not in space
            and nxt is not None
            and isinstance(nxt.tag, str)
            and nxt.tag in _INLINE
        ):
            el.tail = None
            nxt.text = " " + (nxt.text or "").lstrip()
            changed = True
    return changed
