"""Saved web pages (HTML) → cases: trafilatura finds the article, its structure is kept.

- The main content comes from trafilatura (XML output with headings, bold, pictures and
  table cells), its balanced, precision and recall readings reconciled with the page's
  densest text block (webreadings.py); page metadata (title, date, author, site) from its
  metadata extractor and the page's own declarations (webpage.py).
- The title is the page element whose text opens the page's <title> (a <title> carries the
  site's name after it); a leading 【…】 label becomes the series.
- Metadata and byline lines near the title (来源：… 作者：… 时间：…, 记者 张三) give
  source, authors and date.
- Pictures become figures: a picture saved with the page (a relative path under the page's
  folder) is copied into content/images/; a remote one is never fetched (a warning names
  it). Captions come from <figcaption> or a caption line right after the picture, else the
  figure is titled （缺图注） for the editor. Page furniture pictures are dropped: logos and
  .gif files, pictures the page sizes as icons (≤ 48 px) and those in a row of menu text.
Nothing in the page is ever run or fetched: it is parsed as data.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from ..model import Author
from ..support.errors import ContentError, Diagnostic
from ..support.fileio import MAX_PICTURE_MB, FileRefused, read_limited
from ..text.chinese import looks_like_name
from .raw import ImportResult
from .raw.assemble import case_id
from .raw.blocks import opens_enumeration
from .raw.decode import decode
from .rules.chrome import classify
from .rules.facts import split_names
from .rules.script import convert
from .rules.text import ends_final, is_short_line
from .structured import SourceBlock, SourcePage, build_page, parse_date
from .webfigures import article_photos, caption_lines, is_file_name
from .webpage import (
    Declared,
    NearFacts,
    PageLine,
    credits_after,
    declarations,
    declared_published,
    densest_block,
    densest_element,
    document_record,
    facts_near,
    find_headline,
    headline_over,
    headline_text,
    is_own_line,
    notice_only,
    page_lines,
    pager,
    printed_only_after,
    sole_h1,
    sole_poster,
    squash,
    text_end,
    title_lines,
    trim_headline,
)
from .webreadings import reconcile
from .webspaces import settle_spaces

__all__ = ["import_html"]

_FURNITURE_IMG = re.compile(
    r"logo|icon|banner|button|btn|nav|titleimage|spacer|blank|qrcode"
    r"|erweima|\.gif$|\.svg$",
    re.I,
)
_SPACE_AFTER_PUNCT = re.compile(
    r"(?<=[，。、：；！？”’）》…])[ \u3000]+"
    r"|[ \u3000]+(?=[，。、：；！？“‘（《])"
)
_BLOCK_TAGS = {
    "p",
    "div",
    "td",
    "span",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "font",
    "strong",
    "b",
    "em",
}
_HAN = re.compile(r"[\u4e00-\u9fff]")
_IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp"}


def _utf8_parser():
    """The reader hands lxml the page re-encoded as UTF-8: a <meta charset="gbk"> the page
    still carries must not make lxml decode it again."""
    import lxml.html

    return lxml.html.HTMLParser(encoding="utf-8")


def _parse(html: bytes) -> Any:
    """The page parsed (lxml), or None when lxml cannot parse it."""
    import lxml.html

    try:
        return lxml.html.document_fromstring(html, parser=_utf8_parser())
    except (ValueError, lxml.etree.ParserError):
        return None


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0\ufeff]+", "", text or "")


def _read_page(data: bytes, first_text: str) -> tuple[Declared, str, NearFacts, str]:
    """(what the page declares, its headline as printed, the facts printed near it, whether
    where the headline was found when no line repeats the page's titles: "the line over the
    text", "its only <h1>"; "" when one does)."""
    import lxml.html

    try:
        root: Any = lxml.html.document_fromstring(data, parser=_utf8_parser())
    except (ValueError, lxml.etree.ParserError):
        return Declared(), "", NearFacts(), ""
    declared = declarations(root)
    lines = page_lines(root)
    at = find_headline(lines, declared)
    over = ""
    if at is None and not declared.page_title:
        at, over = sole_h1(lines), "its only <h1>"
    if at is None:
        at, over = headline_over(lines, first_text), "the line over the text"
    if at is None:
        return declared, "", NearFacts(), ""
    title, taken = (lines[at].text, 1) if over else headline_text(lines, at, declared)
    title = trim_headline(title)
    near = facts_near(lines, at + taken - 1)
    near.kicker, near.subtitle = title_lines(lines, at, at + taken, declared.page_title)
    near.pager = pager(lines)
    document_record(lines, near)
    # a reposted article keeps its own title block: the headline printed again under the
    # site's date line, with the article's own date under it, which dates the article
    again = next(
        (
            i
            for i in range(at + taken, min(len(lines), at + taken + 4 + len(near.lines)))
            if squash(lines[i].text) == squash(title)
        ),
        None,
    )
    if again is not None:
        own = facts_near(lines, again)
        if own.date and own.date[:10] != near.date[:10]:
            near.date = own.date
            near.lines += own.lines
            near.authors = near.authors or own.authors
    return declared, title, near, over


def _title_and_facts(data: bytes, meta_title: str) -> tuple[str, list]:
    """(the page's own title element's text, metadata lines found after it)."""
    import lxml.html

    root: Any
    try:
        root = lxml.html.fromstring(data, parser=_utf8_parser())
    except (ValueError, lxml.etree.ParserError):
        return "", []
    for bad in root.xpath("//script|//style|//noscript|//title|//head"):
        bad.drop_tree()
    target = _squash(meta_title)
    best, best_el = "", None
    if target:
        for el in root.iter():
            if not isinstance(el.tag, str) or el.tag not in _BLOCK_TAGS:
                continue
            text = _squash(el.text_content())
            if (
                len(text) >= max(6, len(best) + 1)
                and target.startswith(text)
                and len(text) >= len(target) // 2
            ):
                best, best_el = el.text_content(), el
    facts = []
    if best_el is not None:
        seen_title, looked = False, 0
        for el in root.iter():
            if el is best_el:
                seen_title = True
                continue
            if not seen_title or not isinstance(el.tag, str) or el.tag not in _BLOCK_TAGS:
                continue
            looked += 1
            if looked > 60:  # metadata stands right under the title
                break
            text = re.sub(r"\s+", " ", el.text_content()).strip()
            if not text or len(text) > 160:
                continue
            chrome = classify(text)
            if chrome is not None and chrome.kind in ("meta", "byline"):
                facts.append(chrome)
    return " ".join(best.split()), facts


# A size the page gives a picture: width="14", style="width:14px" (px or bare number).
_SIZE_ATTR = re.compile(r"^\s*(\d+)\s*(?:px)?\s*$")
_SIZE_STYLE = re.compile(r"(?:^|;)\s*(?:width|height)\s*:\s*(\d+)\s*px", re.I)
_ICON_MAX = 48  # px: a picture the page shows this small is an icon, not a photo


def _icon_sources(data: bytes) -> set[str]:
    """Sources of the pictures the page itself sizes as icons (a breadcrumb's house)."""
    import lxml.html

    try:
        root: Any = lxml.html.fromstring(data, parser=_utf8_parser())
    except (ValueError, lxml.etree.ParserError):
        return set()
    icons = set()
    for img in root.iter("img"):
        sizes = [int(m.group(1)) for m in _SIZE_STYLE.finditer(img.get("style") or "")]
        for attr in ("width", "height"):
            m = _SIZE_ATTR.match(img.get(attr) or "")
            if m:
                sizes.append(int(m.group(1)))
        if sizes and min(sizes) <= _ICON_MAX and img.get("src"):
            icons.add(img.get("src").strip())
    return icons


def _row_is_chrome(row) -> bool:
    """A table row whose text is page furniture (位置：首页 > 新闻动态): its pictures too."""
    text = re.sub(r"\s+", " ", "".join(row.itertext())).strip()
    return bool(text) and classify(text) is not None


_BREAK = "\x00"  # a line break (<br>) among a paragraph's runs


def _lines(runs: list[tuple[str, bool]]) -> list[list[tuple[str, bool]]]:
    """A paragraph's runs as the lines its <br>s break it into, each its own paragraph;
    a line that stops mid-sentence runs on into the next (the page wrapped a sentence),
    unless it reads as a heading (short, without closing punctuation): a heading is never
    joined to the text under it."""
    lines: list[list[tuple[str, bool]]] = [[]]
    for run in runs:
        if run[0] == _BREAK:
            lines.append([])
        else:
            lines[-1].append(run)
    out: list[list[tuple[str, bool]]] = []
    for line in lines:
        text = "".join(t for t, _ in line).strip()
        if not text:
            continue
        if out:
            last = "".join(t for t, _ in out[-1]).strip()
            if not (
                ends_final(last)
                or is_short_line(last)
                or is_short_line(text)
                or opens_enumeration(text)
            ):
                out[-1] = out[-1] + line
                continue
        out.append(line)
    return out


def _runs(el) -> list[tuple[str, bool]]:
    """Text runs of a trafilatura <p>/<head>/<cell>, with <hi rend="#b"> as bold."""
    runs: list[tuple[str, bool]] = []

    def walk(node, bold: bool) -> None:
        if node.text:
            runs.append((node.text, bold))
        for child in node:
            if child.tag in ("graphic", "p", "list", "table"):
                pass
            elif child.tag == "lb":
                runs.append((_BREAK, False))
            else:
                walk(child, bold or (child.tag == "hi" and "b" in (child.get("rend") or "")))
            if child.tail:
                runs.append((child.tail, bold))

    walk(el, False)
    return runs


def _picture(src: str, origin: Path | None, base: str, n: int, images: dict[str, bytes]) -> str:
    """The content path of a picture saved with the page, copied into images/; else ""."""
    if origin is None or not src or re.match(r"^[a-z]+:|^//", src, re.I):
        return ""
    rel = PurePosixPath(src.split("?")[0].split("#")[0])
    if rel.is_absolute() or ".." in rel.parts:
        return ""
    file = origin.parent / Path(*rel.parts)
    suffix = file.suffix.lower()
    if suffix not in _IMAGE_TYPES or not file.is_file():
        return ""
    # the page's own folder only: a `_files` folder linked elsewhere is not copied in
    data = read_limited(file, src, limit=MAX_PICTURE_MB * 2**20, within=(origin.parent,))
    name = f"images/{base}-{n}{'.jpg' if suffix == '.jpeg' else suffix}"
    images[name] = data
    return name


# Where pages that load their pictures lazily keep the address until a script moves it
# to src: WeChat (data-src), jQuery lazyload (data-original), Zhihu (data-actualsrc),
# Discuz (file, zoomfile), lazysizes and others
_LAZY_SRC = ("data-src", "data-original", "data-actualsrc", "data-lazy-src", "data-echo", "file")
_PLACEHOLDER_SRC = re.compile(
    r"^(?:data:|about:)|(?:blank|loading|lazy|placeholder|grey|spacer)[^/]*$", re.I
)


def _lazy_sources(html: bytes) -> bytes:
    """Pictures a script would have loaded: a lazy address (`data-src`…) as src where src
    is missing or only a placeholder (a data: pixel, blank.gif), as the browser shows them."""
    lowered = html.lower()
    if not any(name.encode() + b"=" in lowered for name in _LAZY_SRC):
        return html
    import lxml.html

    root = _parse(html)
    if root is None:
        return html
    changed = False
    for img in root.iter("img"):
        src = (img.get("src") or "").strip()
        lazy = next((v.strip() for a in _LAZY_SRC if (v := img.get(a)) and v.strip()), "")
        if lazy and (not src or _PLACEHOLDER_SRC.search(src)):
            img.set("src", lazy)
            changed = True
    return lxml.html.tostring(root, encoding="utf-8") if changed else html


# trafilatura keeps a picture only when its address ends in an image file's extension;
# WeChat's (…/640?wx_fmt=jpeg) and a saved page's (640, 640(1)) often have none. The
# extractor is given them with this mark, taken off where the extract names them.
_EXTENSION_MARK = "#picture.jpg"
_IMAGE_EXTENSION = re.compile(r"\.(?:avif|bmp|gif|hei[cf]|jpe?g|png|webp)(?:\b|$)", re.I)


def _marked_for_extractor(html: bytes) -> bytes:
    """The page with every picture address that has no image extension marked (see
    `_EXTENSION_MARK`), for trafilatura's eyes only."""
    if b"<img" not in html.lower():
        return html
    import lxml.html
    from lxml import etree

    root = _parse(html)
    if root is None:
        return html
    changed = False
    for img in list(root.iter("img")):
        src = (img.get("src") or "").strip()
        if src and not src.startswith("data:") and not _IMAGE_EXTENSION.search(src):
            img.set("src", src + _EXTENSION_MARK)
            changed = True
        parent = img.getparent()
        if parent is not None and parent.tag in ("section", "div") and not _has_text(parent):
            # a picture alone in a <section> (WeChat's editor) or a <div>: trafilatura
            # keeps pictures in paragraphs only
            box = etree.Element("p")
            parent.replace(img, box)
            box.append(img)  # with its tail
            changed = True
    return lxml.html.tostring(root, encoding="utf-8") if changed else html


def _has_text(el: Any) -> bool:
    return bool("".join(el.itertext()).strip())


def _unmarked(src: str) -> str:
    return src.removesuffix(_EXTENSION_MARK)


def _unwrap_figures(html: bytes) -> bytes:
    """<figure><img><figcaption>图为…</figcaption></figure> as a picture and its caption
    line: trafilatura drops <figure> elements whole, captions and all."""
    if b"<figure" not in html.lower():
        return html
    import lxml.html

    root = _parse(html)
    if root is None:
        return html
    try:
        _unwrap(root)
    except ValueError:  # a name lxml's tree refuses, kept by its HTML parser: leave as is
        return html
    return lxml.html.tostring(root, encoding="utf-8")


def _unwrap(root) -> None:
    from lxml import etree

    for fig in list(root.iter("figure")):
        box = etree.Element("div")
        caption = " ".join(
            " ".join(cap.text_content().split()) for cap in fig.iter("figcaption")
        ).strip()
        imgs = list(fig.iter("img"))
        for img in imgs:
            attrs = dict(img.attrib)
            if caption and len(imgs) == 1:
                attrs["title"] = caption  # the reader's caption of a picture
            copy = etree.SubElement(etree.SubElement(box, "p"), "img")
            for name, value in attrs.items():
                try:
                    copy.set(name, value)
                except ValueError:  # a name a broken page made up (src"tool): not kept
                    continue
        if caption and len(imgs) != 1:
            etree.SubElement(box, "p").text = caption
        box.tail = fig.tail
        fig.getparent().replace(fig, box)


_SECTION_BLOCKS = frozenset(
    ["section", "p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"]
)
_HIDDEN = re.compile(r"(?:visibility\s*:\s*hidden|display\s*:\s*none)\s*;?", re.I)


def _unhide_text(html: bytes) -> bytes:
    """The page's text as its reader sees it. A page that hides its text until a script
    shows it (WeChat's `js_content` is `visibility: hidden`): the hidden element holding
    most of the page's text is shown; menus and pop-ups hidden the same way stay hidden.
    A <section> holding only inline text (WeChat's editor) is a paragraph."""
    if b"hidden" not in html and b"none" not in html and b"<section" not in html:
        return html
    import lxml.html

    root = _parse(html)
    if root is None:
        return html
    body = root.find("body")
    whole = len(_HAN.findall(body.text_content())) if body is not None else 0
    changed = False
    # WeChat's editor writes each paragraph as a <section> of <span>s: one paragraph each
    for section in root.iter("section"):
        if section.text_content().strip() and not any(
            isinstance(c.tag, str) and c.tag in _SECTION_BLOCKS for c in section.iterdescendants()
        ):
            section.tag = "p"
            changed = True
    for el in root.xpath("//body//*[@style]"):
        style = el.get("style") or ""
        if _HIDDEN.search(style) and len(_HAN.findall(el.text_content())) > max(200, whole / 2):
            el.set("style", _HIDDEN.sub("", style))
            changed = True
    return lxml.html.tostring(root, encoding="utf-8") if changed else html


def _settle_spaces(html: bytes) -> bytes:
    """The page with its spaces as a Chinese reader sees them (webspaces.py)."""
    import lxml.html

    root = _parse(html)
    if root is None:
        return html
    return lxml.html.tostring(root, encoding="utf-8") if settle_spaces(root) else html


def _text_by_script(html: bytes) -> bool:
    """A page whose whole visible text, its menus included, is under 200 Chinese characters
    while it holds scripts: an article a script fetches and draws, not saved with it (an
    index page of links has hundreds of characters of headlines)."""

    root = _parse(html)
    if root is None:
        return False
    scripts = len(root.xpath("//script"))
    for bad in root.xpath("//script|//style|//noscript|//head"):
        bad.drop_tree()
    return scripts > 0 and len(_HAN.findall(root.text_content())) < 200


def _is_link_list(html: bytes) -> bool:
    """A page of links (a news index, a site map) with under 60 Chinese characters of its
    own: no article, whatever an extractor makes of it."""

    root = _parse(html)
    if root is None:
        return False
    for bad in root.xpath("//script|//style|//noscript|//head"):
        bad.drop_tree()
    anchors = list(root.iter("a"))
    whole = len(_HAN.findall(root.text_content()))
    links = sum(len(_HAN.findall(a.text_content())) for a in anchors)
    return len(anchors) >= 10 and whole - links < 60 and links > whole / 2


# C901 and PLR0915 allowed here for now: the saved page's extraction (trafilatura, then our
# cleaning) in one pass, a fallback at each step; the largest function left to split.
def import_html(data: bytes, path: str, origin: Path | None = None):  # noqa: C901, PLR0915
    """Import one saved web page. `origin` is the file on disk, to find saved pictures."""
    import trafilatura

    text, decode_diags = _decode_page(bytes(data), path)
    diags = list(decode_diags)
    html = _lazy_sources(_settle_spaces(_unhide_text(text.encode("utf-8"))))
    notice, densest = _notice_and_densest(html)
    if notice:
        raise ContentError(
            f"no article in this web page: it is only a notice (“{notice}”): a login wall"
            " or a deleted article; save the page the article is on",
            path=path,
        )
    from lxml import etree

    unwrapped = _unwrap_figures(_marked_for_extractor(html))
    captions, photos = _photo_facts(html)

    def extract(favor_precision: bool = False, favor_recall: bool = False) -> str | None:
        return trafilatura.extract(
            unwrapped,
            output_format="xml",
            include_images=True,
            include_formatting=True,
            include_tables=True,
            include_comments=False,
            with_metadata=True,
            favor_precision=favor_precision,
            favor_recall=favor_recall,
        )

    try:
        reading = reconcile(extract, _parse(html), frozenset(captions))
        xml = reading.xml
    except (etree.LxmlError, ValueError) as exc:  # its own output it cannot parse back
        reason = " ".join(str(exc).split())
        raise ContentError(
            f"this web page is too damaged to find its article ({reason}): save it again"
            " from the browser, or copy its text into a .txt file",
            path=path,
        ) from None
    if xml and _is_whole_page(xml, html):
        # trafilatura's last resort when no reading finds an article (a short one, under
        # its 250 characters): the whole page in one paragraph, menus and lists included;
        # the text-density reading finds the article's block in it
        block = _densest_as_xml(html, min_han=_SENTENCE_HAN)
        if block:
            xml = block
            diags.append(
                Diagnostic(
                    path,
                    0,
                    0,
                    "warning",
                    "guess: the article extractor kept the whole page (its menus and lists"
                    " too); the text is the page's densest text block: check",
                )
            )
    if not xml:
        # trafilatura found nothing: the text-density reading is the other extractor
        xml = _densest_as_xml(html)
        if xml:
            diags.append(
                Diagnostic(
                    path,
                    0,
                    0,
                    "warning",
                    "guess: the article extractor found no text; the text is the page's"
                    " densest text block (its page furniture may be left): check",
                )
            )
    if not xml:
        raise ContentError("no article found in this web page", path=path)
    diags += [Diagnostic(path, 0, 0, "info", note) for note in reading.notes]
    diags += [Diagnostic(path, 0, 0, "warning", note) for note in reading.warnings]
    if _is_link_list(html):
        if _text_by_script(html):
            raise ContentError(
                "no article text in this saved page: a script fills it in when the page is"
                " shown; save it from the browser again (Save Page As…, Web Page, complete),"
                " or copy its text into a .txt file",
                path=path,
            )
        raise ContentError(
            "no article found in this web page: it is a list of links (an index page?)",
            path=path,
        )

    doc = etree.fromstring(xml.encode("utf-8"))
    paragraphs = ("".join(t for t, _ in line) for p in doc.iter("p") for line in _lines(_runs(p)))
    # the article's first sentence: where to look for a headline no line repeats
    first_text = next((t for t in paragraphs if len(t) >= 30 and classify(t.strip()) is None), "")
    declared, headline, near, over = _read_page(html, first_text)
    meta_title = doc.get("title") or ""
    title, facts = _title_and_facts(html, headline or meta_title)
    if headline:
        title = headline
    if headline and over:
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                (
                    f"guess: no line of the page repeats its <title> “{declared.page_title}”:"
                    if declared.page_title
                    else "guess: the page has no <title>:"
                )
                + f" the title is {over}, “{headline}”: check",
            )
        )
    if near.named_alone:
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"guess: the name alone under the headline, “{near.named_alone}”, taken as"
                " the author: check",
            )
        )
    blocks: list[SourceBlock] = []
    images: dict[str, bytes] = {}
    base = case_id(path)
    remote: list[str] = []

    icons = _icon_sources(html)
    seen: set[str] = set()  # pictures the extractor kept, furniture or not
    dropped: list[str] = []  # photos set aside beside a table cell's text

    def add(el, chrome_row: bool = False) -> None:
        # text loose in the extractor's <div> (a caption after a photo) or table cell (a
        # layout table's text after a paragraph): a paragraph of its own up to the next block
        box = el.tag in ("div", "cell")
        loose: list[tuple[str, bool]] = [(el.text, False)] if box and el.text else []

        def flush() -> None:
            if "".join(t for t, _ in loose).strip():
                blocks.append(SourceBlock("paragraph", _tidy(list(loose))))
            loose.clear()

        for child in el:
            if box and child.tag in ("hi", "ref", "del", "span"):
                bold = child.tag == "hi" and "b" in (child.get("rend") or "")
                loose.extend((t, b or bold) for t, b in _runs(child) if t != _BREAK)
            else:
                flush()
                add_child(el, child, chrome_row)
            if box and child.tail:
                loose.append((child.tail, False))
        flush()

    def add_child(el, child, chrome_row: bool) -> None:
        tag = child.tag
        if tag == "graphic":
            src = _unmarked(child.get("src") or "")
            seen.add(_src_key(src))
            if chrome_row or src.strip() in icons or _FURNITURE_IMG.search(src):
                return  # a logo, an icon the page sizes small, a row of page furniture
            if el.tag == "cell" and ((el.text or "").strip() or len(el) > 1):
                dropped.append(src)  # beside a table cell's text: a thumbnail, mostly
                return
            try:
                image = _picture(src, origin, base, len(images) + 1, images)
            except FileRefused as refused:  # a link out of the page's folder, a FIFO
                diags.append(
                    Diagnostic(
                        path, 0, 0, "warning", f"picture {' '.join(src.split())} {refused.message}"
                    )
                )
                image, src = "", ""
            if src and not image:
                remote.append(" ".join(src.split()))  # one line in the warning
            caption = child.get("title") or ""
            if is_file_name(caption):
                caption = ""
            blocks.append(SourceBlock("figure", image=image, caption=caption))
        elif tag == "head":
            level = int((child.get("rend") or "h2").lstrip("h") or 2)
            blocks.append(SourceBlock("heading", _runs(child), level=level))
        elif tag in ("p", "quote", "item"):
            # a photo opening the paragraph stands over its text (a caption under it)
            photo_first = (
                len(child) and child[0].tag == "graphic" and not (child.text or "").strip()
            )
            if photo_first:
                add(child)
            for runs in _lines(_runs(child)):
                if "".join(t for t, _ in runs).strip():
                    blocks.append(SourceBlock("paragraph", _tidy(runs)))
            if not photo_first:
                add(child)
        elif tag in ("list", "table", "row", "cell", "main", "div"):
            add(child, chrome_row or (tag == "row" and _row_is_chrome(child)))

    main = doc.find("main")
    add(main if main is not None else doc)
    blocks = _captions_under_photos(blocks, captions)
    dropped += [
        src
        for src in photos
        if _src_key(src) not in seen and src not in icons and not _FURNITURE_IMG.search(src)
    ]
    if dropped:
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"{len(dropped)} photos of the article not kept ({', '.join(dropped[:3])}"
                f"{'…' if len(dropped) > 3 else ''}): check whether the article needs them",
            )
        )
    # the date and byline lines read under the headline are facts, not text
    read = {_squash(line) for line in near.lines}
    facts_lines = [b for b in blocks if b.kind == "paragraph" and _squash(b.text) in read]
    if facts_lines:
        blocks = [b for b in blocks if all(b is not f for f in facts_lines)]
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "info",
                f"{len(facts_lines)} date or byline lines under the headline taken out of the"
                f" text (their facts kept): {facts_lines[0].text.strip()[:30]}",
            )
        )
    blocks = _without_title_lines(blocks, near)  # the case builder names them in a guess
    videos = _videos_in_text(html)
    if videos:
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"{len(videos)} videos in the article's text not kept (a printed book cannot"
                f" show them: {', '.join(videos[:2])}{'…' if len(videos) > 2 else ''}): add a"
                " still or a line about them to the case file if the text needs it",
            )
        )
    if near.pager:
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"the page is one of several (its pager: “{near.pager}”, 下一页): the article"
                " may go on on the next page, which is not in this file; save each page and"
                " import them, or copy the rest into the case file",
            )
        )
    if remote:
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"{len(remote)} pictures are on the web"
                f" ({remote[0]}…): not fetched; put the files in"
                " content/images/ and name them in the case file",
            )
        )
    # the title element may head a paragraph (<b>title</b> 来源于：…): take it out
    if title:
        key = _squash(title)
        for b in blocks:
            if b.kind == "paragraph" and _squash(b.text).startswith(key):
                rest, cut = [], len(key)
                for t, bold in b.runs:
                    n = len(_squash(t))
                    if cut >= n:
                        cut -= n
                        continue
                    rest.append((t if not cut else t[len(t) - len(t.lstrip()) + cut :], bold))
                    cut = 0
                b.runs = rest
                break
    # nested elements repeat a line: the shortest source is the one without counters
    # (来源：新华网 inside 来源：新华网 57人参与)
    date = near.date or next((c.date for c in facts if c.date), "")
    printed = date  # the date printed near the headline, before any later rule
    source = near.source or min((c.source for c in facts if c.source), key=len, default="")
    authors: list[Author] = near.authors or next((list(c.authors) for c in facts if c.authors), [])
    if near.issued_by and not authors:
        authors = [Author(near.issued_by, "")]  # the body a government document is issued by
    if near.written and near.written[:10] != date[:10]:
        if date:
            diags.append(
                Diagnostic(
                    path,
                    0,
                    0,
                    "info",
                    f"the document's own date (成文日期) {near.written} taken, not the page's"
                    f" publishing date {date}",
                )
            )
        date = near.written
    named = list(
        dict.fromkeys(
            n for d in declared.authors for n, _ in (split_names(d) or []) if looks_like_name(n)
        )
    )
    # a name guessed from the lines near the headline that the page's code declares too is
    # no guess
    diags += [
        Diagnostic(path, 0, 0, "warning", guess)
        for name, guess in near.guesses
        if name not in named
    ]
    if not authors and named:
        authors = [Author(n, "") for n in named]
        shown = squash(" ".join(near.lines))
        if not all(squash(n) in shown for n in named):  # the line under the headline has it
            diags.append(
                Diagnostic(
                    path,
                    0,
                    0,
                    "warning",
                    f"guess: author {'、'.join(named)} declared in the page's code, not printed"
                    " near the headline: check",
                )
            )
    if not title and declared.titles:
        title = declared.titles[0]
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"guess: no line of the page repeats its declared title: the title is “{title}”"
                " (its og:title or JSON-LD headline): check",
            )
        )
    if not title and meta_title:
        title = _strip_site(meta_title, doc.get("sitename"))
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"guess: no element of the page repeats its <title>: the title is “{title}”"
                " (the <title> less the site's name): check",
            )
        )
    published = declared_published(declared)
    if date and date == printed and published and published[:10] != date[:10]:
        # the page's own two statements disagree: the line the reader sees is taken
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"the page prints the date {date} near the headline, its code declares"
                f" {published} ({declared.date_key}): the printed date taken; check",
            )
        )
    if not date and declared.date:
        date = declared.date
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"guess: date {date} declared in the page's code, not printed near the"
                " headline: check",
            )
        )
    closing = _closing_date(blocks)
    publication = ""
    if not date and closing:
        date = closing
        # a line of its own that only cites where the article appeared (——《某刊》1998年3月号)
        # is a fact, not text: out, the publication kept
        last = [b for b in blocks if b.kind == "paragraph"][-3:]
        for b in last:
            m = _CITED_ISSUE.match(b.text.strip())
            if m:
                publication = m.group(1)
                blocks = [x for x in blocks if x is not b]
                break
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"guess: date {date} from the line closing the article (no date under the"
                " headline): check",
            )
        )
    lines, end = _page_and_text_end(html, blocks)
    poster = "" if authors else sole_poster(lines)
    if poster:
        authors = [Author(poster, "")]
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"guess: “{poster}”, who posted the text (the page's only “… 发表于 …” line,"
                " away from the headline), taken as the author: check",
            )
        )
    coded = parse_date(doc.get("date") or "")
    if not date and coded and printed_only_after(lines, end, coded):
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "info",
                f"date {coded} not taken: the page prints it only after the article, in a list"
                " of other articles",
            )
        )
    elif not date and coded:
        date = coded
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"guess: date {date} found in the page's code, not in a metadata line: check",
            )
        )
    credited = {a.name for a in authors}
    authors += [a for a in credits_after(lines, end) if a.name not in credited]
    page = SourcePage(
        blocks,
        title=title,
        kicker=near.kicker,
        subtitle=near.subtitle,
        date=date,
        authors=authors,
        source=source,
        publication=publication,
        images=images,
        diagnostics=diags,
    )
    result = build_page(page, data, path, "web page")
    return _with_safety_net(result, densest, path)


def _src_key(src: str) -> str:
    """A picture's address without its scheme (the extractor writes //x as http://x)."""
    return re.sub(r"^(?:https?:)?//", "", src.strip())


def _photo_facts(html: bytes) -> tuple[set[str], list[str]]:
    """(the lines the page prints as photo captions, the photos of the article's element)."""

    root = _parse(html)
    if root is None:
        return set(), []
    return caption_lines(root), article_photos(root)


def _videos_in_text(html: bytes) -> list[str]:
    """The addresses of the videos in the page's densest text block (the article's)."""
    if b"<video" not in html.lower():
        return []

    root = _parse(html)
    if root is None:
        return []
    el = densest_element(root)
    if el is None:
        return []
    out = []
    for video in el.iter("video"):
        source = video.find(".//source")
        src = video.get("src") or (source.get("src") if source is not None else "") or ""
        out.append(" ".join(src.split()) or "(no address)")
    return out


def _without_title_lines(blocks: list[SourceBlock], near: NearFacts) -> list[SourceBlock]:
    """The blocks without the kicker and the subtitle where the extract opens with them
    (they are the case's, beside its title)."""
    lines = {_squash(t).lstrip("—─-－") for t in (near.kicker, near.subtitle) if t}
    out = list(blocks)
    while (
        out
        and out[0].kind in ("paragraph", "heading")
        and (_squash(out[0].text).lstrip("—─-－") in lines)
    ):
        out.pop(0)
    return out


def _captions_under_photos(blocks: list[SourceBlock], captions: set[str]) -> list[SourceBlock]:
    """Photos take the caption lines printed under them: a stack of photos followed by as
    many caption lines or fewer pairs them in order from the last photo up (the line under
    a photo is its caption); a photo that has a caption of its own keeps it."""
    out: list[SourceBlock] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind != "figure":
            out.append(b)
            i += 1
            continue
        stack = []
        while i < len(blocks) and blocks[i].kind == "figure":
            stack.append(blocks[i])
            i += 1
        lines: list[SourceBlock] = []
        while (
            i < len(blocks)
            and blocks[i].kind == "paragraph"
            and _squash(blocks[i].text) in captions
            and len(lines) < len(stack)
        ):
            lines.append(blocks[i])
            i += 1
        bare = [f for f in stack if not f.caption]
        n = min(len(bare), len(lines))
        furniture: list[SourceBlock] = []
        text = lines[n:]  # a line no bare photo took stays text
        for figure, line in zip(bare[len(bare) - n :], lines[:n], strict=True):
            if _is_furniture_line(line.text):
                # a code to scan under its prompt (长按识别二维码…), not a photo: the line
                # stays, to go (and be named) with the page's furniture
                furniture.append(figure)
                text.insert(0, line)
            else:
                figure.caption = " ".join(line.text.split())
        out += [f for f in stack if all(f is not g for g in furniture)] + sorted(
            text, key=lambda b: lines.index(b)
        )
    return out


def _is_furniture_line(text: str) -> bool:
    """A line of page furniture that carries no fact (a follow-us prompt, a share bar)."""
    found = classify(" ".join(text.split()))
    return found is not None and not (
        found.authors or found.date or found.source or found.publication
    )


_BAD_BYTES_MAX = 0.001  # share of a page's bytes a browser would show as �: tolerated


def _decode_page(data: bytes, path: str) -> tuple[str, tuple[Diagnostic, ...]]:
    """The page's text. A GBK page with a few bytes of another encoding pasted in (an old
    page edited over the years) is read the way a browser shows it, the stray bytes as �,
    with a warning naming the line; a file mostly undecodable is refused as before."""
    try:
        text, _encoding, diags = decode(data, path)
        return text, diags
    except ContentError as refused:
        if "nor GB18030/GBK" not in str(refused):
            raise
        lossy = data.decode("gb18030", errors="replace")
        bad = lossy.count("\ufffd")
        if bad > max(5, _BAD_BYTES_MAX * len(data)):
            raise
        text, _encoding, diags = decode(lossy.encode("utf-8"), path)
        line = lossy[: lossy.index("\ufffd")].count("\n") + 1
        warning = Diagnostic(
            path,
            line,
            0,
            "warning",
            f"{bad} byte(s) of the page are neither GB18030/GBK nor UTF-8 (the first on this"
            " line): shown as �, as a browser shows them; check the text there",
        )
        return text, (*diags, warning)


# An import keeping less than this share of the densest text block's characters says so.
_KEPT_SHARE = 0.7
_DENSE_MIN = 200  # Chinese characters: a smaller densest block is no article to compare


# Han characters of one sentence of an article: a block with fewer holds none
_SENTENCE_HAN = 30


def _is_whole_page(xml: str, html: bytes) -> bool:
    """Whether the extract is one paragraph holding most of the page's visible text (seven
    tenths or more: the <title> and hidden menus are not in it), a fifth of it or more the
    text of the page's links (its menus), while the page's densest text block is at most
    half of it: trafilatura's last resort, the page's text run together, not an article in
    it. A page that is only its article has its densest block as its text, an article in
    one paragraph broken by <br> holds no menu, and an extract of several blocks is the
    extractor's reading."""
    from lxml import etree

    try:
        main = etree.fromstring(xml.encode("utf-8")).find("main")
    except (ValueError, etree.LxmlError):
        return False
    if main is None or len(main) != 1:
        return False
    root = _parse(html)
    if root is None:
        return False
    text = squash("".join(str(t) for t in main.itertext()))
    kept = len(text)
    page = len(squash("".join(line.text for line in page_lines(root))))
    block = len(squash(densest_block(root)))
    if not page or kept < 0.7 * page or block > 0.5 * kept:
        return False
    links = (squash(a.text_content()) for a in root.iter("a"))
    return sum(len(t) for t in links if t and t in text) >= 0.2 * kept


def _densest_as_xml(html: bytes, min_han: int = 200) -> str:
    """The densest text block as trafilatura's XML (one <p> a line), or "" below `min_han`
    Chinese characters."""
    from lxml import etree

    root = _parse(html)
    if root is None:
        return ""
    el = densest_element(root)
    if el is None or len(_HAN.findall(densest_block(root))) < min_han:
        return ""
    doc = etree.Element("doc")
    main = etree.SubElement(doc, "main")
    for line in page_lines(root, el):
        etree.SubElement(main, "p").text = line.text
    return etree.tostring(doc, encoding="unicode")


def _notice_and_densest(html: bytes) -> tuple[str, list[str]]:
    """(the notice the page only is, or ""; the own lines of its densest text block)."""

    root = _parse(html)
    if root is None:
        return "", []
    el = densest_element(root)
    lines = [] if el is None else page_lines(root, el)
    return notice_only(root), [line.text for line in lines if is_own_line(line, el)]


_CHUNK = 10  # Chinese characters: the densest block is looked for in the import in pieces


def _with_safety_net(result: ImportResult, densest: list[str], path: str) -> ImportResult:
    """The safety net: an import never keeps markedly less article text than the page's
    densest text block without saying so. What counts is the block's own text found in the
    import, piece by piece (a byline cut from a paragraph's end costs only itself), not the
    import's length: an import of other text (another post of a blog's archive, a list)
    as long as the block is still a loss."""
    config = next((c.opencc for c in result.cases if c.opencc), "")
    kept = "".join(_HAN.findall("".join(t for c in result.cases for t in c.texts())))
    total = found = 0
    for line in densest:
        han = "".join(_HAN.findall(convert(line, config) if config else line))
        for i in range(0, len(han), _CHUNK):
            chunk = han[i : i + _CHUNK]
            total += len(chunk)
            found += len(chunk) if chunk in kept else 0
    if total < _DENSE_MIN or found >= _KEPT_SHARE * total:
        return result
    warning = Diagnostic(
        path,
        0,
        0,
        "warning",
        f"guess: the import keeps {found} of the {total} Chinese characters of the page's"
        " densest text block: check that no article text was lost",
    )
    return replace(result, diagnostics=(*result.diagnostics, warning))


# `——《北京之春》1998年3月号`, `2003年5月`, `（2021年6月10日）`: the date closing an article
_CLOSING_DATE = re.compile(
    r"(?:^|\s)(?:[—─-]{1,2}\s*)?(?:《[^》]{1,20}》)?\s*[（(]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月"
    r"(?:\s*(\d{1,2})\s*日)?\s*(?:号|于\S{1,8})?\s*[）)]?$"
)


# `——《北京之春》1998年3月号`: a line citing the periodical and issue the article is from
_CITED_ISSUE = re.compile(
    r"^[—─-]{1,2}\s*《([^》]{1,20})》\s*\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*(?:号|刊)?$"
)


def _page_and_text_end(html: bytes, blocks: list[SourceBlock]) -> tuple[list[PageLine], int | None]:
    """(the page's lines, the line where the article's last paragraph ends)."""

    last = next((b.text for b in reversed(blocks) if b.kind == "paragraph" and b.text.strip()), "")
    root = _parse(html)
    if root is None:
        return [], None
    lines = page_lines(root)
    return lines, text_end(lines, last)


def _closing_date(blocks: list[SourceBlock]) -> str:
    """The date closing one of the article's last three paragraphs, alone after a space or
    a line break, as precise as printed (1998-03, 2021-06-10), else ""."""
    for b in [b for b in blocks if b.kind == "paragraph"][-3:][::-1]:
        m = _CLOSING_DATE.search(b.text.strip())
        if m and 1 <= int(m.group(2)) <= 12:
            day = f"-{int(m.group(3)):02d}" if m.group(3) else ""
            return f"{m.group(1)}-{int(m.group(2)):02d}{day}"
    return ""


def _tidy(runs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Spaces after Chinese punctuation are line-break residue of the page: removed."""
    return [(_SPACE_AFTER_PUNCT.sub("", t), bold) for t, bold in runs]


def _strip_site(title: str, site: str | None) -> str:
    """A <title> without the site's name after it (`标题_中山网`, `标题 - 站名`)."""
    for sep in ("_", "|", " - ", " — ", "－"):
        if sep in title:
            title = title.split(sep)[0]
    if site and title.endswith(site):
        title = title[: -len(site)]
    return title.strip()
