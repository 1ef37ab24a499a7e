"""Saved web pages (HTML) → cases: trafilatura finds the article, its structure is kept.

- The main content comes from trafilatura (XML output with headings, bold, pictures and
  table cells); page metadata (title, date, author, site) from its metadata extractor.
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
from pathlib import Path, PurePosixPath
from typing import Any

from ..imaging.decode import MAX_FILE_MB
from ..model import Author
from ..support.errors import ContentError, Diagnostic
from ..support.fileio import FileRefused, read_limited
from .raw.assemble import case_id
from .raw.chrome import classify
from .raw.decode import decode
from .structured import SourceBlock, SourcePage, build_page, parse_date

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


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0\ufeff]+", "", text or "")


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


def _runs(el) -> list[tuple[str, bool]]:
    """Text runs of a trafilatura <p>/<head>/<cell>, with <hi rend="#b"> as bold."""
    runs: list[tuple[str, bool]] = []

    def walk(node, bold: bool) -> None:
        if node.text:
            runs.append((node.text, bold))
        for child in node:
            if child.tag in ("graphic", "p", "list", "table"):
                pass
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
    data = read_limited(file, src, limit=MAX_FILE_MB * 2**20, within=(origin.parent,))
    name = f"images/{base}-{n}{'.jpg' if suffix == '.jpeg' else suffix}"
    images[name] = data
    return name


def _unwrap_figures(html: bytes) -> bytes:
    """<figure><img><figcaption>图为…</figcaption></figure> as a picture and its caption
    line: trafilatura drops <figure> elements whole, captions and all."""
    if b"<figure" not in html.lower():
        return html
    import lxml.html
    from lxml import etree

    try:
        root: Any = lxml.html.document_fromstring(html, parser=_utf8_parser())
    except (ValueError, etree.ParserError):
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


def _is_link_list(html: bytes) -> bool:
    """A page of links (a news index, a site map) with under 60 Chinese characters of its
    own: no article, whatever an extractor makes of it."""
    import lxml.html

    try:
        root: Any = lxml.html.document_fromstring(html, parser=_utf8_parser())
    except (ValueError, lxml.etree.ParserError):
        return False
    for bad in root.xpath("//script|//style|//noscript|//head"):
        bad.drop_tree()
    anchors = list(root.iter("a"))
    whole = len(_HAN.findall(root.text_content()))
    links = sum(len(_HAN.findall(a.text_content())) for a in anchors)
    return len(anchors) >= 10 and whole - links < 60 and links > whole / 2


def import_html(data: bytes, path: str, origin: Path | None = None):
    """Import one saved web page. `origin` is the file on disk, to find saved pictures."""
    import trafilatura

    text, _encoding, decode_diags = decode(bytes(data), path)
    diags = list(decode_diags)
    html = text.encode("utf-8")
    from lxml import etree

    try:
        xml = trafilatura.extract(
            _unwrap_figures(html),
            output_format="xml",
            include_images=True,
            include_formatting=True,
            include_tables=True,
            include_comments=False,
            with_metadata=True,
        )
    except (etree.LxmlError, ValueError) as exc:  # its own output it cannot parse back
        reason = " ".join(str(exc).split())
        raise ContentError(
            f"this web page is too damaged to find its article ({reason}): save it again"
            " from the browser, or copy its text into a .txt file",
            path=path,
        ) from None
    if not xml:
        raise ContentError("no article found in this web page", path=path)
    if _is_link_list(html):
        raise ContentError(
            "no article found in this web page: it is a list of links (an index page?)",
            path=path,
        )

    doc = etree.fromstring(xml.encode("utf-8"))
    meta_title = doc.get("title") or ""
    title, facts = _title_and_facts(html, meta_title)
    blocks: list[SourceBlock] = []
    images: dict[str, bytes] = {}
    base = case_id(path)
    remote: list[str] = []

    icons = _icon_sources(html)

    def add(el, chrome_row: bool = False) -> None:
        for child in el:
            tag = child.tag
            if tag == "graphic":
                src = child.get("src") or ""
                if (
                    chrome_row
                    or src.strip() in icons
                    or _FURNITURE_IMG.search(src)
                    or (
                        el.tag == "cell"
                        and (el.text or "").strip()
                        or len(el) > 1
                        and el.tag == "cell"
                    )
                ):
                    # a logo, an icon the page sizes small, or one beside a table cell's
                    # text or in a row of page furniture
                    continue
                try:
                    image = _picture(src, origin, base, len(images) + 1, images)
                except FileRefused as refused:  # a link out of the page's folder, a FIFO
                    diags.append(
                        Diagnostic(
                            path,
                            0,
                            0,
                            "warning",
                            f"picture {' '.join(src.split())} {refused.message}",
                        )
                    )
                    image, src = "", ""
                if src and not image:
                    remote.append(" ".join(src.split()))  # one line in the warning
                caption = child.get("title") or ""
                blocks.append(SourceBlock("figure", image=image, caption=caption))
            elif tag == "head":
                level = int((child.get("rend") or "h2").lstrip("h") or 2)
                blocks.append(SourceBlock("heading", _runs(child), level=level))
            elif tag in ("p", "quote", "item"):
                runs = _runs(child)
                if "".join(t for t, _ in runs).strip():
                    blocks.append(SourceBlock("paragraph", _tidy(runs)))
                add(child)
            elif tag in ("list", "table", "row", "cell", "main", "div"):
                if tag == "cell" and child.text and child.text.strip():
                    runs = _runs_until_block(child)
                    if "".join(t for t, _ in runs).strip():
                        blocks.append(SourceBlock("paragraph", _tidy(runs)))
                add(child, chrome_row or (tag == "row" and _row_is_chrome(child)))
            elif tag == "hi" and child.getparent().tag == "cell":
                continue  # taken with its cell's text

    main = doc.find("main")
    add(main if main is not None else doc)
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
    date = next((c.date for c in facts if c.date), "")
    source = min((c.source for c in facts if c.source), key=len, default="")
    authors: list[Author] = next((list(c.authors) for c in facts if c.authors), [])
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
    if not date and parse_date(doc.get("date") or ""):
        date = parse_date(doc.get("date") or "")
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"guess: date {date} found in the page's code, not in a metadata line: check",
            )
        )
    page = SourcePage(
        blocks,
        title=title,
        date=date,
        authors=authors,
        source=source,
        images=images,
        diagnostics=diags,
    )
    return build_page(page, data, path, "web page")


def _runs_until_block(cell) -> list[tuple[str, bool]]:
    """The inline text of a table cell, without its block children (<p>, pictures)."""
    runs: list[tuple[str, bool]] = [(cell.text or "", False)]
    for child in cell:
        if child.tag in ("p", "graphic", "list", "table", "head"):
            break
        runs.append((child.text or "", child.tag == "hi"))
        runs.append((child.tail or "", False))
    return [r for r in runs if r[0]]


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
