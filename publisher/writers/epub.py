"""The EPUB: the HTML edition's pages as an EPUB 3 for e-readers (`--format epub`).

The same articles as the site (the page renderer, serialised as XHTML with lxml), a cover
page with the title facts, the preface, the navigation document (also the contents page)
and the afterword; the photos at the wide screen's size; reflowable text; no fonts
embedded. Byte-reproducible: fixed zip times and order, `mimetype` first and stored, the
identifier derived from the title and compiler, the dates from the build's date.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from io import BytesIO

from lxml import etree, html
from markupsafe import Markup

from ..look.theme import Theme
from ..model import Compendium
from ..screen.edition import edition
from ..screen.render import render_stylesheet, render_template
from ..support.options import NO_RESOURCES, WriterOptions, WriterResources
from .preflight import Preflight

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time in the file
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""
MEDIA = {".xhtml": "application/xhtml+xml", ".css": "text/css", ".jpg": "image/jpeg"}
MEDIA[".png"] = "image/png"


@dataclass(frozen=True, slots=True)
class EpubOutput:
    data: bytes
    pages: int  # XHTML documents in the spine
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Item:
    id: str
    href: str
    type: str
    properties: str = ""


def write_epub(
    compendium: Compendium,
    theme: Theme,
    options: WriterOptions,
    pre: Preflight,
    *,
    resources: WriterResources = NO_RESOURCES,
) -> EpubOutput:
    """The writer interface's EPUB writer."""
    book = edition(
        compendium,
        theme,
        options,
        pre.images,
        cache_dir=resources.cache_dir,
        page=lambda case_id: f"cases/{case_id}.xhtml",
    )
    styles = options.styles_dir
    facts = {"book": compendium, "date": book.date, "toc": book.parts}
    docs: dict[str, bytes] = {}  # path in OEBPS/ -> bytes, in reading order

    def page(name: str, title: str, body: str, kind: str) -> None:
        root = "../" if "/" in name else ""
        text = render_template(
            theme,
            styles,
            "screen/epub-page.xhtml.j2",
            book=compendium,
            title=title,
            root=root,
            type=kind,
            body=Markup(_xhtml(body)),
        )
        docs[name] = text.encode()

    cover = (
        '{% import "screen/matter.html.j2" as matter %}'
        '<section class="matter cover">{{ matter.title_facts(book, date) }}</section>'
    )
    page("cover.xhtml", compendium.title, _inline(theme, styles, cover, facts), "cover")
    if compendium.preface:
        preface = (
            '{% import "screen/matter.html.j2" as matter %}<section class="matter preface">'
            '<h1 class="front-title">{{ book.preface_title }}</h1>'
            "{{ matter.blocks(book.preface) }}</section>"
        )
        page(
            "preface.xhtml",
            compendium.preface_title,
            _inline(theme, styles, preface, facts),
            "preface",
        )
    first = book.cases[0] if book.cases else None
    nav = render_template(theme, styles, "screen/epub-nav.xhtml.j2", first=first, **facts)
    docs["nav.xhtml"] = _checked(nav).encode()
    for case in book.cases:
        page(case.href, case.title, book.article(case.id, "../", xhtml=True), "bodymatter")
    if compendium.afterword:
        body = render_template(theme, styles, "screen/afterword.html.j2", book=compendium)
        page("afterword.xhtml", compendium.afterword_title, body, "afterword")

    assets: dict[str, bytes] = {
        "epub.css": (
            render_stylesheet(theme, styles, "screen/epub.css.j2", table=pre.styles) + "\n"
        ).encode()
    }
    for photo in book.photos.values():
        name, _, _ = photo.largest
        assets[f"images/{name}"] = photo.files[name].read_bytes()

    items = [_Item("nav", "nav.xhtml", MEDIA[".xhtml"], "nav")]
    spine = []
    for n, name in enumerate(docs):
        if name == "nav.xhtml":
            spine.append(items[0])
            continue
        item = _Item(f"p{n}", name, MEDIA[".xhtml"])
        items.append(item)
        spine.append(item)
    for n, name in enumerate(sorted(assets)):
        items.append(_Item(f"a{n}", name, MEDIA[name[name.rindex(".") :]]))
    date = options.date or compendium.date[:10]
    opf = render_template(
        theme,
        styles,
        "screen/epub.opf.j2",
        book=compendium,
        identifier=_identifier(compendium),
        date=date,
        modified=f"{date or '2000-01-01'}T00:00:00Z",
        items=items,
        spine=spine,
    )
    content = {"content.opf": _checked(opf).encode(), **docs, **assets}
    return EpubOutput(_zip(content), len(docs), tuple(book.images.warnings))


def _inline(theme: Theme, styles, source: str, facts: dict) -> str:
    """A small page body from template source, with the screen templates' filters."""
    from ..screen.render import _cached_environment

    env = _cached_environment(styles.resolve(), theme.typography)
    return env.from_string(source).render(**facts)


def _xhtml(fragment: str) -> str:
    """HTML (the page renderer's) as XHTML: void elements closed, text escaped as XML."""
    parts = html.fragments_fromstring(fragment)
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(str(Markup.escape(part)))
        else:
            out.append(etree.tostring(part, method="xml", encoding="unicode"))
    return "".join(out)


def _checked(text: str) -> str:
    """A template's XML, parsed once so a broken template fails here, not in a reader."""
    etree.fromstring(text.encode())
    return text


def _identifier(compendium: Compendium) -> str:
    """The same book has the same identifier in every build (title and compiler)."""
    name = f"publisher:{compendium.title}\0{compendium.compiler}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _zip(content: dict[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as epub:
        epub.writestr(_info("mimetype", zipfile.ZIP_STORED), b"application/epub+zip")
        epub.writestr(_info("META-INF/container.xml"), CONTAINER.encode())
        for name, data in content.items():
            epub.writestr(_info(f"OEBPS/{name}"), data)
    return out.getvalue()


def _info(name: str, compress: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info
