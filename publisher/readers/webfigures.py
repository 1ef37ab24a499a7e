"""Photos of a saved web page and the lines the page prints as their captions.

Extractors keep a page's pictures but not how it lays their captions out: a caption is
usually a line of its own under the photo, told apart from the text only by its layout
(centred, or in an element the page calls a caption). Read here from the page itself:
- `caption_lines`: the lines printed as captions: a line right under a photo (or under
  the caption of the photo before it, when several photos stand stacked) that is short
  and either centred (`<center>`, `align="center"`, `text-align: center`) or in a
  `<figcaption>` or an element whose class or id names a caption. Never a heading element.
- `article_photos`: the pictures inside the element holding the article's text, for the
  reader to say which of them it did not keep.
- `is_file_name`: a picture's title that is only its file name (`IMG_2033.JPG`) is no
  caption.
"""

from __future__ import annotations

import re
from typing import Any

from .webpage import HEADING_TAGS, densest_element, squash

__all__ = ["article_photos", "caption_lines", "is_file_name"]

CENTRED_CAPTION_MAX = 60  # characters: a centred line longer than this is text
CAPTION_MAX = 100  # characters, for a line the page marks as a caption
_CAPTION_NAME = re.compile(
    r"caption|figcap|desc|pic-?_?(?:txt|text|title|note|info|intro)|pictext|imgtext"
    r"|img-?_?(?:txt|text|title|note|info|intro)|photo-?_?(?:txt|text|title|note|info)",
    re.I,
)
_CENTRED = re.compile(r"text-align\s*:\s*center", re.I)
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "center",
        "figcaption",
        "figure",
        "td",
        "th",
        "tr",
        "table",
        "li",
        "ul",
        "ol",
        "dd",
        "dt",
        "dl",
        "section",
        "article",
        "blockquote",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
    ]
)
_SKIP = frozenset(["script", "style", "noscript", "head", "title", "template", "iframe"])
_FILE_NAME = re.compile(
    r"^[\w\-.()（）\s]*\.(?:jpe?g|png|gif|webp|bmp|tiff?)$|^(?:IMG|DSC|DSCN|P|W|image)[_\-]?\d+",
    re.I,
)


def is_file_name(text: str) -> bool:
    """A picture's title or caption that is only its file name (IMG_2033.JPG, W0201…)."""
    text = text.strip()
    return bool(text) and (
        bool(_FILE_NAME.match(text)) or not re.search(r"[\u4e00-\u9fff]", text) and "." in text
    )


def _captioned(el: Any, root_body: Any) -> tuple[bool, bool]:
    """(marked as a caption by the page, centred): the line's element or an ancestor that
    holds nothing but this line (up to 3 levels)."""
    text = squash(el.text_content())
    node, marked, centred = el, False, False
    for _ in range(4):
        if node is None or node is root_body or not isinstance(node.tag, str):
            break
        if node is not el and squash(node.text_content()) != text:
            break
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        marked = marked or node.tag == "figcaption" or bool(_CAPTION_NAME.search(names))
        centred = (
            centred
            or node.tag == "center"
            or (node.get("align") or "").lower() == "center"
            or bool(_CENTRED.search(node.get("style") or ""))
        )
        node = node.getparent()
    return marked, centred


def _events(body: Any) -> list[tuple[str, Any, str]]:
    """The page in reading order: ("img", element, "") and ("line", owner element, text)."""
    events: list[tuple[str, Any, str]] = []
    parts: list[str] = []
    owner: list[Any] = [None]

    def flush() -> None:
        text = " ".join("".join(parts).split())
        if text:
            events.append(("line", owner[0], text))
        parts.clear()

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP:
            return
        if tag == "img":
            flush()
            events.append(("img", el, ""))
            return
        if tag in _BLOCKS:
            flush()
        if not parts:
            owner[0] = el
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                if not parts:
                    owner[0] = el
                parts.append(child.tail)
        if tag in _BLOCKS:
            flush()

    walk(body)
    flush()
    return events


def caption_lines(root: Any) -> set[str]:
    """Squashed texts of the lines the page prints as photo captions (see the module)."""
    body = root.find(".//body")
    if body is None:
        return set()
    found: set[str] = set()
    photos = 0  # photos of the current stack still without their caption line
    for kind, el, text in _events(body):
        if kind == "img":
            photos += 1
            continue
        if photos and not any(
            isinstance(a.tag, str) and a.tag in HEADING_TAGS for a in (el, *el.iterancestors())
        ):
            marked, centred = _captioned(el, body)
            size = len(squash(text))
            if size >= 2 and (
                (marked and size <= CAPTION_MAX) or (centred and size <= CENTRED_CAPTION_MAX)
            ):
                found.add(squash(text))
                photos -= 1
                continue
        photos = 0
    return found


def article_photos(root: Any) -> list[str]:
    """The `src` of every picture inside the element holding the article's text (its
    densest text block)."""
    dense = densest_element(root)
    if dense is None:
        return []
    return [img.get("src").strip() for img in dense.iter("img") if (img.get("src") or "").strip()]
