"""The article's text from several readings of the page, reconciled by rules that say why.

Three extractors read a saved page, each able to fail in its own way:
- trafilatura's balanced reading (its defaults) is the base.
- trafilatura's precision reading ends the article earlier where the balanced one runs on
  into the page's furniture (advertisement lines, teasers, link rows after the text). The
  base's blocks after the precision reading's last line are left out (a guess: warning),
  but never one holding a sentence (no teaser), a byline, source or date line, a photo or
  a caption line: the precision reading also drops those, and the page rules read them.
  Only the end: over the article it drops the headline and the date line the page rules
  need.
- the page's densest text block (`webpage.densest_element`, a text-density reading of the
  kind GeneralNewsExtractor and cx-extractor use): an article's paragraphs stand together.
  When the base is that block's article (it holds at least `SAME_ARTICLE` of the block's
  characters), the block's own lines (not those of a menu or comment list nested in it)
  that the base lacks are put back where they stand:
  - between two lines the base keeps (trafilatura drops a paragraph inside the text: one
    holding a link, one in another element), when that gap holds a sentence;
  - at its edges (a first paragraph or a closing note dropped): sentences only, and only
    those trafilatura's recall reading keeps too (two extractors agree).
What a rule changed is reported; the safety net (an import keeping markedly less than the
densest block says so) stays in html.py, after the page rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..text.chinese import looks_like_name
from .rules.chrome import classify
from .rules.text import ends_final
from .webpage import densest_block, densest_element, is_own_line, page_lines, squash

__all__ = ["Reading", "reconcile"]

SAME_ARTICLE = 0.5  # of the densest block's characters a reading holds: the same article
DENSE_MIN = 200  # Chinese characters: a densest block smaller than this decides nothing
SENTENCE_MIN = 20  # Chinese characters of a line that is article text, ending a sentence

_HAN = re.compile(r"[\u4e00-\u9fff]")
_TEXT_TAGS = ("p", "head", "item", "quote")
_LEAF_TAGS = (*_TEXT_TAGS, "graphic")


@dataclass
class Reading:
    """The reconciled extract (trafilatura's XML) and what was decided, for the report."""

    xml: str
    notes: list[str] = field(default_factory=list)  # info lines
    warnings: list[str] = field(default_factory=list)


def _han(text: str) -> int:
    return len(_HAN.findall(text))


# a web font's icons: private-use characters the extractor drops from its text
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _key(text: str) -> str:
    """A line's text as the readings are compared: no spaces, no private-use characters."""
    return _PRIVATE_USE.sub("", squash(text))


_ANCHOR_MIN = 20  # characters of a line found in the extract that moves the search on
CLAUSES_MIN = 60  # Chinese characters of a line of clauses that is text however it ends


def _is_clauses(text: str) -> bool:
    return _han(text) >= CLAUSES_MIN and "，" in text


def _xml(text: str) -> Any:
    from lxml import etree

    return etree.fromstring(text.encode("utf-8"))


def _text(el: Any) -> str:
    return "".join(el.itertext())


def _is_sentence(text: str) -> bool:
    return _han(text) >= SENTENCE_MIN and ends_final(text.strip())


_NESTED = frozenset([*_TEXT_TAGS, "cell", "row", "table", "list"])
# `……` `...` closing a line: a teaser cut short in a list of other articles
_TEASER = re.compile(r"(?:\.{2,}|…+)\s*$")


def _own_text(el: Any) -> str:
    """An extract element's text outside its nested text elements (a cell's own words,
    not its paragraphs')."""
    parts = [el.text or ""]
    for child in el:
        if child.tag not in _NESTED:
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _holds_text_or_facts(el: Any) -> bool:
    """Whether an extract element holds a line of the article: a sentence that is no
    teaser, or a line the page rules read facts from (a byline, a source, a date)."""
    for e in el.iter(*_TEXT_TAGS, "cell"):
        text = " ".join(_own_text(e).split())
        if _is_sentence(text) and not _TEASER.search(text):
            return True
        chrome = classify(text) if text else None
        if chrome is not None and (
            chrome.authors or chrome.date or chrome.source or chrome.publication
        ):
            return True
    return False


Extract = Callable[..., "str | None"]


def reconcile(extract: Extract, root: Any, captions: frozenset[str] = frozenset()) -> Reading:
    """The article's extract: trafilatura's balanced reading, its end trimmed by the
    precision reading, completed from the densest text block (see the module).
    `extract(**modes)` runs trafilatura on the page; `root` is the page parsed (for the
    densest block), `captions` the lines it prints as photo captions (squashed)."""
    from lxml import etree

    balanced = extract()
    reading = Reading(balanced or "")
    if not balanced:
        return reading
    try:
        _reconcile(reading, extract, root, captions)
    except (etree.LxmlError, ValueError):  # a reading lxml cannot take: the base stands
        reading.xml, reading.notes, reading.warnings = balanced, [], []
    return reading


def _reconcile(reading: Reading, extract: Extract, root: Any, captions: frozenset[str]) -> None:
    balanced = reading.xml
    trimmed, cut = _trim_end(balanced, extract(favor_precision=True), captions)
    if cut:
        reading.xml = trimmed
        # lines the page rules know as furniture are no guess
        unknown = [line for line in cut if classify(line) is None]
        if unknown:
            reading.warnings.append(
                f"guess: {len(cut)} blocks after the article's last sentence left out, where"
                f" the extractor's precision reading ends the article ({unknown[0][:30]}…):"
                " check"
            )
        else:
            reading.notes.append(
                f"{len(cut)} lines of page furniture after the article's last sentence left"
                f" out ({cut[0][:30]}…)"
            )
    _fill_from_densest(reading, root, lambda: extract(favor_recall=True))


def _text_nodes(main: Any) -> tuple[str, list[tuple[int, Any, bool]]]:
    """(the extract's text as compared, joined; each text node's (start in it, element,
    whether it is that element's tail))."""
    parts: list[str] = []
    nodes: list[tuple[int, Any, bool]] = []
    pos = 0
    for node in main.xpath(".//text()"):
        key = _key(str(node))
        if key:
            nodes.append((pos, node.getparent(), bool(node.is_tail)))
            parts.append(key)
            pos += len(key)
    return "".join(parts), nodes


def _block_of(el: Any) -> Any:
    """The extract's block (paragraph, heading, item, quote, cell) holding an element, or
    None."""
    for node in (el, *el.iterancestors()):
        if node.tag in (*_TEXT_TAGS, "cell"):
            return node
    return None


def _put(node: tuple[int, Any, bool], new: Any, before: bool) -> None:
    """Puts `new` right after (or before) the block holding a text node; a tail loose in
    a cell or in <main> is its own block."""
    _start, el, is_tail = node
    block = _block_of(el.getparent() if is_tail else el)
    if block is None or (is_tail and block is el.getparent() and block.tag == "cell"):
        block = el if is_tail else None  # text loose after `el`: the new line goes by it
        if block is None:
            return
        if before:  # before the loose text: between `el` and its tail
            new.tail, el.tail = el.tail, None
        el.addnext(new)
        return
    if before:
        block.addprevious(new)
    else:
        new.tail, block.tail = block.tail, None
        block.addnext(new)


def _leaves(main: Any) -> list[Any]:
    """The extract's smallest blocks in reading order: paragraphs, headings, list items,
    quotes, photos, and table cells holding none of those (a layout table's cell of text).
    A trim works on these, so a page laid out as one table is trimmed inside it."""
    out = []
    for el in main.iter():
        if not isinstance(el.tag, str) or any(a.tag in _LEAF_TAGS for a in el.iterancestors()):
            continue
        if el.tag in _LEAF_TAGS or (
            el.tag == "cell"
            and not any(d.tag in (*_LEAF_TAGS, "cell") for d in el.iterdescendants())
        ):
            out.append(el)
    return out


def _trim_end(
    balanced: str, precise: str | None, captions: frozenset[str]
) -> tuple[str, list[str]]:
    """(the balanced reading without the blocks after the precision reading's last line
    and after the last block holding a sentence, a byline, a photo or a caption line, the
    lines of the blocks left out). Only the end: the lines over the article that the
    precision reading drops (the headline, the date line) are for the page rules to read."""
    from lxml import etree

    if not precise:
        return balanced, []
    doc = _xml(balanced)
    main = doc.find("main")
    last = next(
        (
            t
            for el in reversed(list(_xml(precise).iter(*_TEXT_TAGS)))
            if len(t := _key(_text(el))) >= 8
        ),
        "",
    )
    if main is None or not last:
        return balanced, []
    leaves = _leaves(main)
    texts = [_key(_text(el) + (el.tail or "")) for el in leaves]
    starts = [sum(len(t) for t in texts[:i]) for i in range(len(texts))]
    found = "".join(texts).rfind(last)
    if found < 0:
        return balanced, []
    end = max(i for i, s in enumerate(starts) if s <= found + len(last) - 1)
    # a block holding a sentence or a byline is never furniture: the cut starts after it
    end = max([end, *_article_blocks(leaves, captions)])
    cut = leaves[end + 1 :]
    lines = [t for el in cut if (t := " ".join((_text(el) + (el.tail or "")).split()))]
    for el in cut:
        el.getparent().remove(el)  # with its tail: text loose after it
    if not cut:
        return balanced, []
    return etree.tostring(doc, encoding="unicode"), lines or ["…"]


def _in_cell(el: Any) -> bool:
    return any(a.tag == "cell" for a in el.iterancestors())


def _is_signature(text: str) -> bool:
    """A name alone on its line (three characters or four: two are as often a word), the
    writer signing under the text: the case builder reads it as a guessed author."""
    text = text.strip()
    return len(text) >= 3 and looks_like_name(text)


def _article_blocks(leaves: list[Any], captions: frozenset[str]) -> list[int]:
    """Indexes of the extract's blocks that are the article's whatever a reading says:
    those holding a sentence or a fact line (or text after them does), a caption line, and
    photos right after such a block in the text's flow (a photo after a line of furniture
    is furniture, a logo, a code; one in a layout table's cell is the table's)."""
    out: list[int] = []
    for i, el in enumerate(leaves):
        tail = " ".join((el.tail or "").split())
        if (
            _holds_text_or_facts(el)
            or (_is_sentence(tail) and not _TEASER.search(tail))
            or squash(_text(el)) in captions
            or (el.tag == "graphic" and out and out[-1] == i - 1 and not _in_cell(el))
            or (out and out[-1] == i - 1 and _is_signature(_text(el)))
        ):
            out.append(i)
    return out


def _fill_from_densest(reading: Reading, root: Any, recall: Callable[[], str | None]) -> None:
    from lxml import etree

    el = densest_element(root) if root is not None else None
    if el is None or _han(densest_block(root)) < DENSE_MIN:
        return
    doc = etree.fromstring(reading.xml.encode("utf-8"))
    main = doc.find("main")
    if main is None:
        return
    joined, nodes = _text_nodes(main)
    every = page_lines(root, el)
    lines = [line.text for line in every]
    # where each line of the block stands in the extract, in order (None: not in it)
    at: list[int | None] = []
    pos = 0
    for text in lines:
        key = _key(text)
        found = joined.find(key, pos) if key else -1
        # a short line found far ahead is a chance match, not the same line
        if found >= 0 and (len(key) >= 8 or found - pos <= 2 * len(key) + 20):
            at.append(found)
            # a short line (a subheading the extract left out, repeating words of the
            # paragraph under it) may be found inside the next line: the search goes on
            # from where it began
            pos = found + len(key) if len(key) >= _ANCHOR_MIN else pos
        else:
            at.append(None)
    held = sum(_han(t) for t, a in zip(lines, at, strict=True) if a is not None)
    if held < SAME_ARTICLE * sum(_han(t) for t in lines):
        return
    kept = [i for i, a in enumerate(at) if a is not None]
    mine = [is_own_line(line, el) for line in every]
    inner = [i for i in _inner_gaps(lines, at, kept) if mine[i]]
    edges = [i for i in _edge_sentences(lines, kept) if mine[i]]
    if edges:
        agreed = _key("".join(_xml(x).itertext())) if (x := recall()) else ""
        edges = [i for i in edges if _key(lines[i]) in agreed]
    added = sorted(set(inner) | set(edges))
    if not added:
        return

    def node_at(offset: int) -> tuple[int, Any, bool]:
        return max((n for n in nodes if n[0] <= offset), key=lambda n: n[0])

    # each line goes right after the block holding the last kept line before it (inside a
    # layout table's cell too), or before the block holding the first kept line
    for i in [i for i in added if i < kept[0]]:
        _put(node_at(at[kept[0]] or 0), _line(lines[i]), before=True)
    for i in reversed([i for i in added if i > kept[0]]):
        k = max(k for k in kept if k < i)
        _put(node_at((at[k] or 0) + len(_key(lines[k])) - 1), _line(lines[i]), before=False)
    reading.xml = etree.tostring(doc, encoding="unicode")
    reading.notes.append(
        f"{len(added)} lines of the page's densest text block the extractor left out put back"
        f" where they stand: {lines[added[0]][:24]}…"
    )


# characters XML cannot hold (a page's stray control characters): never put into the extract
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _line(text: str) -> Any:
    from lxml import etree

    new = etree.Element("p")
    new.text = _NOT_XML.sub("", text)
    return new


def _inner_gaps(lines: list[str], at: list[int | None], kept: list[int]) -> list[int]:
    """Lines missing between two kept lines, in gaps holding a sentence or a long line
    of clauses (a biography's list of posts) (no furniture)."""
    out: list[int] = []
    for a, b in zip(kept, kept[1:], strict=False):
        gap = [i for i in range(a + 1, b) if at[i] is None]
        if any(_is_sentence(lines[i]) or _is_clauses(lines[i]) for i in gap):
            out += [i for i in gap if classify(lines[i]) is None]
    return out


def _edge_sentences(lines: list[str], kept: list[int]) -> list[int]:
    """Sentences right before the first kept line and right after the last, outward while
    each line is one (a page's furniture stops the run)."""
    if not kept:
        return []
    out: list[int] = []
    i = kept[0] - 1
    while i >= 0 and _is_sentence(lines[i]) and classify(lines[i]) is None:
        out.append(i)
        i -= 1
    i = kept[-1] + 1
    while i < len(lines) and _is_sentence(lines[i]) and classify(lines[i]) is None:
        out.append(i)
        i += 1
    return out
