"""The HTML edition's search data: every case's text, and a Traditional → Simplified map.

Chinese has no spaces, so an index of words (mdBook's, Jupyter Book's) cannot find 集体经济
inside 发展壮大村级集体经济. Here the reader's browser scans the text itself for the query as
a string of characters (search.js.j2): any word of any length is found where it stands,
with no segmenter to disagree with the reader about where words end. The text is the
model's (a paragraph is one line there, so a word the case file wraps across two lines is
one word here), a few hundred kilobytes a hundred cases.

The map lets a reader type Traditional characters (滿 finds 满): it is made from OpenCC's
t2s conversion of every CJK character, kept to those whose Simplified form is in the book.
"""

from __future__ import annotations

import functools
import json

import opencc

from ..model import Compendium, Figure, Heading, Note, Paragraph

# CJK Unified Ideographs and Extension A: where OpenCC's Traditional characters are.
_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))


def search_data(compendium: Compendium, url: dict[str, str]) -> dict:
    """The search data as JSON-ready values: for each case its address (as the search
    page links it), title and texts; and the Traditional → Simplified pairs."""
    cases = []
    chars: set[str] = set()
    for case in compendium.cases:
        texts = [t for t in (case.kicker, case.subtitle) if t]
        for block in case.blocks:
            if isinstance(block, (Heading, Paragraph, Note)):
                texts.append(block.text)
            elif isinstance(block, Figure):
                texts.append(f"{block.caption}　{block.credit}".strip("　"))
        cases.append([url[case.id], case.title, texts])
        chars.update(case.title, *texts)
    return {"cases": cases, "t2s": "".join(t + s for t, s in t2s_pairs(frozenset(chars)))}


def search_script(data: dict) -> str:
    """The data as a script: a page opened from the file system cannot fetch a JSON file,
    but it can load a script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # `</script` and U+2028/9 cannot end the script early: text is data, never markup.
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.publisherSearch={text};\n"


def t2s_pairs(chars: frozenset[str]) -> list[tuple[str, str]]:
    """(Traditional, Simplified) for every Traditional character OpenCC simplifies to one
    of `chars`, in code point order."""
    return [(t, s) for t, s in _all_pairs() if s in chars]


@functools.cache
def _all_pairs() -> tuple[tuple[str, str], ...]:
    # One character a line: OpenCC converts phrases, and a character alone is what a
    # reader's query holds when it differs.
    source = [chr(c) for low, high in _RANGES for c in range(low, high + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(source)).split("\n")
    if len(converted) != len(source):  # not expected: then no map rather than a wrong one
        return ()
    return tuple((t, s) for t, s in zip(source, converted, strict=True) if t != s and len(s) == 1)
