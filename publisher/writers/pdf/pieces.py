"""The book in pieces: one WeasyPrint document per case, part page, afterword and the front
matter, each laid out on its own (in a worker process when the build has several).

Every piece opens on a right-hand page, so its layout does not depend on where it lands in
the book, except for the folio digits: those are drawn at assembly (`assemble`). A body
piece is laid out with a placeholder folio, "0123456789", set where the template's folio
goes; the worker finds what WeasyPrint drew for it (font, size, colour, baseline, centre and
each digit's glyph) and takes it out of the page, and the assembly writes the real number
there. So a case is laid out again only when its own HTML, the stylesheet, the fonts, its
images or this code change, never because an earlier case grew (`piece_key`).

`split_pieces` cuts the one-book HTML rendered from the templates at the body's top-level
sections; `lay_out_piece` is the worker (picklable job in, PDF bytes and page facts out).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from ...patches.pydyf import cached_page_references
from .weasy import ProjectFetcher, load_weasyprint

__all__ = [
    "Piece",
    "PieceJob",
    "PieceResult",
    "FolioMark",
    "split_pieces",
    "piece_css",
    "piece_key",
    "lay_out_piece",
    "FOLIO_PLACEHOLDER",
    "BOOK_LINK",
    "warm_up",
]

BOOK_LINK = "book-anchor:"  # href of a link to another piece's anchor (assemble)
FOLIO_PLACEHOLDER = "0123456789"  # every digit once: its glyphs and widths, in order
BODY_CLASSES = ("part", "case", "back")  # top-level classes that open a body piece


@dataclass(frozen=True)
class Piece:
    """One separately laid-out part of the book: `kind` is front, part, case or back."""

    kind: str
    name: str  # front, part-1, case-<id>, afterword: unique in the book
    html: str


@dataclass(frozen=True)
class PieceJob:
    """What a worker needs to lay out one piece (plain data: it crosses processes)."""

    name: str
    html: str
    css: tuple[str, ...]
    content_url: str
    styles_url: str
    roots: tuple[str, ...]  # the folders the fetcher may read
    tagged: bool
    ragged_lines: bool
    body: bool  # draw no folio: record where it goes (assembly writes it)
    folio: str = "center"  # where the folio stands: center, or outside (公文)


@dataclass
class FolioMark:
    """Where and how the template prints a page's folio (PDF points, from the bottom)."""

    font: str  # BaseFont of the face the folio is set in
    size: float
    color: list[float]  # fill colour operands (gray, rgb or cmyk)
    centre: float
    baseline: float
    digits: list[int]  # glyph id of 0…9
    widths: list[float]  # their advances in 1/1000 em
    # A folio set flush to one side (公文: right on odd pages, left on even) keeps that
    # edge (`edge`, PDF points) whatever its width; text around the number (— 1 —) is
    # drawn again as it stood: (glyph, x from the start of its run) before and after it,
    # and each run's width.
    align: str = "center"
    edge: float = 0.0
    before: list[list[float]] = field(default_factory=list)
    after: list[list[float]] = field(default_factory=list)
    before_width: float = 0.0
    after_width: float = 0.0


@dataclass
class PieceResult:
    name: str
    data: bytes
    pages: int
    anchors: list[list[str]]  # per page, the ids that start on it
    bookmarks: list[tuple[int, str, int, float, float]]  # level, label, page, left, top
    folios: list[FolioMark | None]  # per page (body pieces)
    fonts: dict[str, list[dict[int, float] | dict[int, str]]]  # BaseFont -> [widths, text]
    justified: bool = True
    cached: bool = False

    def facts(self) -> str:
        record = asdict(self)
        del record["data"], record["cached"]
        record["sha256"] = hashlib.sha256(self.data).hexdigest()  # the PDF these facts are of
        return json.dumps(record, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_facts(cls, data: bytes, facts: str) -> PieceResult:
        record = json.loads(facts)
        if record.pop("sha256", None) != hashlib.sha256(data).hexdigest():
            raise ValueError("a cached piece that is not the PDF its facts describe")
        record["folios"] = [FolioMark(**f) if f else None for f in record["folios"]]
        record["bookmarks"] = [tuple(b) for b in record["bookmarks"]]
        record["fonts"] = {  # JSON keys are text: glyph ids back to numbers
            base: [{int(g): v for g, v in table.items()} for table in tables]
            for base, tables in record["fonts"].items()
        }
        return cls(data=data, cached=True, **record)


# --- cutting the book into pieces ------------------------------------------------------


def split_pieces(
    html_text: str, toc_pages: dict[str, str] | None = None, *, front_only: bool = False
) -> list[Piece]:
    """The book's HTML as pieces: the front (cover and front matter, everything before the
    first part or case), then one piece per part title, case and back-matter section.

    `toc_pages` (anchor -> printed page) are given once the body is laid out: a link in the
    front to an anchor of another piece then points to `BOOK_LINK`anchor and carries the
    page number in `data-page` (what the table of contents prints, `piece_css`).

    The HTML is parsed as a stream and each section of the body is written out and dropped
    as soon as it is read: the whole book's tree is never held (at 1000 cases it was
    150 MB). `front_only`: the front piece alone, read no further than the first part or
    case."""
    import lxml.etree

    parser = lxml.etree.HTMLPullParser(events=("start", "end"))
    cutter = _Cutter(toc_pages)
    step = 1 << 16
    for start in range(0, len(html_text), step):
        parser.feed(html_text[start : start + step])
        events: Any = parser.read_events()  # (event, element): no comments were asked for
        for event, element in events:
            cutter.take(event, element)
        if front_only and cutter.groups:
            break
    else:
        if parser.close() is None:
            cutter.seen_body = False
    return cutter.pieces(front_only)


def _markup(element) -> str:
    import lxml.html

    return str(lxml.html.tostring(element, encoding="unicode", with_tail=False))


class _Cutter:
    """`split_pieces` as the HTML streams by: the head, the front's sections (kept until
    its links are pointed at pages), then each body section as a group of its own."""

    def __init__(self, toc_pages: dict[str, str] | None) -> None:
        self.toc_pages = toc_pages
        self.head_html = self.body_head = self.opening = ""
        self.groups: list[tuple[str, str, list[str]]] = []  # (kind, name, markup)
        self.front: list = []
        self.body: Any = None
        self.seen_body = False

    def take(self, event: str, element) -> None:
        if not isinstance(element.tag, str):
            return
        if event == "start" and element.tag == "body":
            self.body, self.seen_body = element, True
        elif event == "end" and element.tag == "head":
            self._head(element)
        elif event == "end" and self.body is not None and element.getparent() is self.body:
            self._section(element)

    def _head(self, element) -> None:
        root = element.getparent()
        lang = str(root.get("lang") or "") if root is not None else ""
        self.opening = "<!DOCTYPE html>\n<html" + (f' lang="{_attr(lang)}"' if lang else "")
        self.opening += ">\n"
        self.head_html = _markup(element)
        for meta in element.findall("meta"):  # the book's metadata comes from the
            if meta.get("name"):  # front piece: without it here, a new build date
                element.remove(meta)  # lays out no case again
        self.body_head = _markup(element)

    def _front_done(self) -> None:
        if self.toc_pages is not None:
            _point_to_pages(self.front, self.toc_pages)
        self.groups.insert(0, ("front", "front", [_markup(c) for c in self.front]))
        self.front.clear()

    def _section(self, child) -> None:
        classes = str(child.get("class") or "").split()
        kind = next((k for k in BODY_CLASSES if k in classes), None)
        name = str(child.get("id") or "")
        if kind is not None and name:
            if not self.groups:
                self._front_done()
            self.groups.append((kind, name, [_markup(child)]))
        elif self.groups:
            self.groups[-1][2].append(_markup(child))
        else:
            self.front.append(child)  # kept until the first part or case: _front_done
            return
        child.clear()  # written: dropped, with every section before it
        while child.getprevious() is not None:
            del child.getparent()[0]

    def pieces(self, front_only: bool) -> list[Piece]:
        if not self.seen_body or self.body is None:
            raise ValueError("the book's HTML has no head or body")
        body_attrs = "".join(f' {k!s}="{_attr(str(v))}"' for k, v in self.body.attrib.items())
        if not self.groups:
            self._front_done()
        pieces = []
        for kind, name, children in self.groups[:1] if front_only else self.groups:
            if not children:
                continue
            head = self.head_html if kind == "front" else self.body_head
            pieces.append(
                Piece(
                    kind,
                    name,
                    f"{self.opening}{head}\n<body{body_attrs}>\n"
                    + "\n".join(children)
                    + "\n</body>\n</html>\n",
                )
            )
        return pieces


def _point_to_pages(front: list, toc_pages: dict[str, str]) -> None:
    here = {e.get("id") for child in front for e in child.iter() if e.get("id")}
    for child in front:
        for link in child.iter("a"):
            href = str(link.get("href") or "")
            target = href[1:]
            if href.startswith("#") and target not in here and target in toc_pages:
                link.set("href", BOOK_LINK + target)
                link.set("data-page", toc_pages[target])


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def piece_css(book_title: str, body: bool, folio: str = "center", dashes: bool = False) -> str:
    """The stylesheet a piece adds to the book's: the book title for running heads (set by
    the cover in one book); in body pieces the folio placeholder; in the front, the page
    numbers of the table of contents' links to other pieces (`target-counter()` cannot
    reach into another document)."""
    from ...look.templates import css_string

    css = f"html {{ string-set: booktitle {css_string(book_title)}; }}\n"
    text = f"— {FOLIO_PLACEHOLDER} —" if dashes else FOLIO_PLACEHOLDER
    if body and folio == "outside":
        css += f'@page :left {{ @bottom-left {{ content: "{text}"; }} }}\n'
        css += f'@page :right {{ @bottom-right {{ content: "{text}"; }} }}\n'
    elif body:
        css += f'@page {{ @bottom-center {{ content: "{text}"; }} }}\n'
    else:
        css += 'a[data-page]::after { content: leader(".") attr(data-page); }\n'
    return css


# --- the cache key ---------------------------------------------------------------------

_IMAGE_URL = re.compile(r'src="(file://[^"]+)"')


def _code_version() -> str:
    """The package's code and WeasyPrint's version: a change to either lays out again."""
    from importlib.metadata import version

    from ...support.codeversion import package_digest

    return f"{version('weasyprint')}\0{package_digest()}"


def piece_key(job: PieceJob, fonts: tuple[str, ...]) -> str:
    """A piece's cache key: its HTML and stylesheets, the font files, the image files it
    shows (path, size, time), the options and the code that lays it out."""
    from urllib.parse import unquote, urlsplit
    from urllib.request import url2pathname

    digest = hashlib.sha256(_code_version().encode())
    record = {k: v for k, v in asdict(job).items() if k not in ("roots",)}
    digest.update(json.dumps(record, ensure_ascii=False, sort_keys=True).encode())
    digest.update("\0".join(fonts).encode())
    for url in sorted(set(_IMAGE_URL.findall(job.html))):
        path = Path(url2pathname(unquote(urlsplit(url).path)))
        try:
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{path}\0missing\n".encode())
    return digest.hexdigest()


# --- the worker ------------------------------------------------------------------------


def lay_out_piece(job: PieceJob) -> PieceResult:
    """Lay out one piece with WeasyPrint; its PDF bytes and what the assembly needs."""
    from .fonts import deferred_subsetting
    from .justify import inter_character_justification
    from .pages import merge_links

    weasyprint = load_weasyprint()
    fetcher = ProjectFetcher(*(Path(r) for r in job.roots))
    render_options = dict(
        pdf_tags=job.tagged,
        pdf_variant="pdf/ua-1" if job.tagged else None,
        pdf_identifier=hashlib.sha256(job.html.encode()).hexdigest()[:32].encode(),
        optimize_images=False,  # the image stage has sized and encoded every photo
    )
    font_config = _font_config()
    stylesheets = [_stylesheet(css, job.styles_url, job.roots) for css in job.css]
    html = weasyprint.HTML(string=job.html, base_url=job.content_url, url_fetcher=fetcher)
    with inter_character_justification(ragged_lines=job.ragged_lines) as justified:
        document = html.render(stylesheets=stylesheets, font_config=font_config, **render_options)
    anchors = [sorted(page.anchors) for page in document.pages]
    bookmarks = []
    for number, page in enumerate(document.pages):
        for level, label, (x, y), _state in page.bookmarks:
            bookmarks.append((level, label, number, x * 0.75, (page.height - y) * 0.75))
    merge_links(document.pages)
    with cached_page_references(), deferred_subsetting():
        data = document.write_pdf(**render_options)
    data, folios, fonts = _finish(data, folios=job.body, place=job.folio)
    return PieceResult(
        name=job.name,
        data=data,
        pages=len(document.pages),
        anchors=anchors,
        bookmarks=bookmarks,
        folios=folios,
        fonts=fonts,
        justified=bool(justified),
    )


def warm_up() -> None:
    """A worker's start: WeasyPrint's font configuration made before the first piece."""
    _font_config()


@lru_cache(maxsize=8)
def _stylesheet(css: str, styles_url: str, roots: tuple[str, ...]):
    """A stylesheet parsed once per worker, not once per piece: every piece of a book has
    the same one (parsing it was a tenth of a case's layout)."""

    return load_weasyprint().CSS(
        string=css,
        base_url=styles_url,
        url_fetcher=ProjectFetcher(*(Path(r) for r in roots)),
        font_config=_font_config(),
    )


@cache
def _font_config():
    """One WeasyPrint font configuration per process: fontconfig and the faces are loaded
    once, not once per piece."""

    return load_weasyprint().text.fonts.FontConfiguration()


def _multiply(a, b):
    """The product of two PDF matrices [a b c d e f]: a then b."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _finish(data: bytes, folios: bool, place: str = "center") -> tuple[bytes, list, dict]:
    """The piece made ready for the assembly: in a body piece its folios taken out
    (`_take_out_folios`), its empty Span elements flattened (`tags`), and its fonts
    read (glyph widths and text, for the assembly's one font per face)."""
    import pikepdf

    from .tags import flatten_spans

    fonts: dict[str, list] = {}
    tables = _FontTables()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        marks = _take_out_folios(pdf, tables, place) if folios else [None] * len(pdf.pages)
        flatten_spans(pdf)
        seen = set()
        for page in pdf.pages:
            resources = page.obj.get("/Resources")
            found: Any = resources.get("/Font") if resources is not None else None
            for key in list(found.keys()) if found is not None else ():
                font = found[key]
                if font.objgen in seen or font.get("/Subtype") != "/Type0":
                    continue
                seen.add(font.objgen)
                widths, text = fonts.setdefault(str(font.BaseFont), [{}, {}])
                widths.update(tables.widths_of(font))
                text.update(tables.text_of(font))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue(), marks, fonts


class _FontTables:
    """A piece's fonts' glyph widths and text, each font object read once."""

    def __init__(self) -> None:
        self.widths: dict[tuple[int, int], dict[int, float]] = {}
        self.text: dict[tuple[int, int], dict[int, str]] = {}

    def widths_of(self, font) -> dict[int, float]:
        from .fonts import read_widths

        if font.objgen not in self.widths:
            self.widths[font.objgen] = read_widths(font.DescendantFonts[0])
        return self.widths[font.objgen]

    def text_of(self, font) -> dict[int, str]:
        from .fonts import read_to_unicode

        if font.objgen not in self.text:
            self.text[font.objgen] = read_to_unicode(font)
        return self.text[font.objgen]


def _framed_folio(font, tables, glyphs, adjust, text, size, where, color, side) -> FolioMark:
    """A folio with text around the number (— 0123456789 —): each glyph's place as laid
    out, so that the assembly draws the same text around the real number."""
    widths = tables.widths_of(font)
    x, places = 0.0, []
    for glyph, space in zip(glyphs, adjust, strict=True):
        x += space / 1000 * size
        places.append(x)
        x += widths.get(glyph, 0.0) / 1000 * size
    first = text.index(FOLIO_PLACEHOLDER)
    last = first + len(FOLIO_PLACEHOLDER)
    digits = glyphs[first:last]
    advances = [widths.get(g, 0.0) for g in digits]
    start, end = places[first], places[last - 1] + advances[-1] / 1000 * size
    return FolioMark(
        font=str(font.BaseFont),
        size=round(size, 4),
        color=color,
        centre=round(where[4] + x / 2, 4),
        baseline=round(where[5], 4),
        digits=digits,
        widths=advances,
        align=side,
        edge=round(where[4] + (x if side == "right" else 0.0), 4),
        before=[[g, round(p, 4)] for g, p in zip(glyphs[:first], places[:first], strict=True)],
        after=[[g, round(p - end, 4)] for g, p in zip(glyphs[last:], places[last:], strict=True)],
        before_width=round(start, 4),
        after_width=round(x - end, 4),
    )


def _take_out_folios(pdf, tables: _FontTables, place: str = "center") -> list[FolioMark | None]:
    """Find the placeholder folio on every page, note how it is set, and remove it. With
    `place` outside, a right-hand page's (every other from the first) keeps its right
    edge, a left-hand page's its left edge."""
    import pikepdf

    marks: list[FolioMark | None] = []
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        fonts: Any = resources.get("/Font") if resources is not None else None
        side = "center"
        if place == "outside":
            side = "right" if len(marks) % 2 == 0 else "left"
        finder = _FolioFinder(fonts if fonts is not None else {}, tables, side)
        instructions = pikepdf.parse_content_stream(page)
        for index, instruction in enumerate(instructions):
            finder.step(index, str(instruction.operator), instruction.operands)
        if finder.drop is not None:
            first, last = finder.drop
            kept = instructions[:first] + instructions[last + 1 :]
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        marks.append(finder.mark)
    return marks


class _FolioFinder:
    """One page's content stream, instruction by instruction: the graphics state the folio
    is drawn in (matrix, colour, font) and the text object that holds the placeholder."""

    def __init__(self, fonts: Any, tables: _FontTables, side: str) -> None:
        self.fonts, self.tables, self.side = fonts, tables, side
        self.ctm = [1.0, 0, 0, 1.0, 0, 0]
        self.stack: list = []
        self.color: list[float] = [0.0]
        self.mark: FolioMark | None = None
        self.start: int | None = None  # the open text object's BT
        self.font_name, self.size, self.tm = "", 0.0, [1.0, 0, 0, 1.0, 0, 0]
        self.glyphs: list[int] = []
        self.adjust: list[float] = []  # TJ's space before each glyph, 1/1000 em
        self.drop: tuple[int, int] | None = None  # the folio's BT … ET

    def step(self, index: int, op: str, operands) -> None:
        if op == "q":
            self.stack.append(self.ctm)
        elif op == "Q":
            self.ctm = self.stack.pop() if self.stack else self.ctm
        elif op == "cm":
            self.ctm = _multiply([float(x) for x in operands], self.ctm)
        elif op in ("rg", "g", "k"):
            self.color = [float(x) for x in operands]
        elif op == "BT":
            self.start, self.glyphs, self.adjust = index, [], []
            self.tm = [1.0, 0, 0, 1.0, 0, 0]
        elif op == "Tf":
            self.font_name, self.size = str(operands[0]), float(operands[1])
        elif op == "Tm":
            self.tm = [float(x) for x in operands]
        elif op in ("TJ", "Tj"):
            self._show(operands[0] if op == "TJ" else [operands[0]])
        elif op == "ET" and self.start is not None and self.font_name in self.fonts:
            self._end_text(index)

    def _show(self, strings) -> None:
        import pikepdf

        pending = 0.0
        for item in strings:
            if isinstance(item, pikepdf.String):
                raw = bytes(item)
                for i in range(0, len(raw), 2):
                    self.glyphs.append(int.from_bytes(raw[i : i + 2], "big"))
                    self.adjust.append(pending)
                    pending = 0.0
            else:
                pending -= float(item)

    def _end_text(self, index: int) -> None:
        """The text object ends: the folio, when it is the placeholder (the first only)."""
        start = self.start
        if self.mark is not None or start is None:
            return
        font = self.fonts[self.font_name]
        text = "".join(self.tables.text_of(font).get(g, "\ufffd") for g in self.glyphs)
        where = _multiply(self.tm, self.ctm)
        scale = (where[0] ** 2 + where[1] ** 2) ** 0.5
        if text == FOLIO_PLACEHOLDER:
            self.mark = _plain_folio(
                font, self.tables, self.glyphs, self.size, scale, where, self.color
            )
            self.drop = (start, index)
        elif FOLIO_PLACEHOLDER in text and len(text) == len(self.glyphs):
            self.mark = _framed_folio(
                font, self.tables, self.glyphs, self.adjust, text, self.size * scale, where,
                self.color, self.side,
            )  # fmt: skip
            self.drop = (start, index)
        self.start = None


def _plain_folio(font, tables: _FontTables, glyphs, size, scale, where, color) -> FolioMark:
    """A folio that is the number alone: centred where the placeholder was."""
    widths = tables.widths_of(font)
    advances = [widths.get(g, 0.0) for g in glyphs]
    width = sum(advances) / 1000 * size * scale
    return FolioMark(
        font=str(font.BaseFont),
        size=round(size * scale, 4),
        color=color,
        centre=round(where[4] + width / 2, 4),
        baseline=round(where[5], 4),
        digits=glyphs,
        widths=advances,
    )
