"""The book assembled from its separately laid-out pieces (pikepdf, a binding of qpdf).

In book order, each piece's pages are appended, with a blank verso where a piece would
otherwise open on a left-hand page. Then what spans pieces is made whole:
- folios: each body page gets its number drawn where the template's folio stood
  (`pieces.FolioMark`), in the same face, size and colour, centred on the same point;
- fonts: one embedded font per face (`fonts.merge_fonts`);
- tagging: the pieces' structure trees under one Document element, their parent-tree
  keys renumbered; the folios are pagination artifacts;
- named destinations merged into one tree; table-of-contents links (laid out to the private
  `BOOK_LINK` scheme, since their targets are in other pieces) made GoTo links;
- the outline rebuilt from every piece's bookmarks with their levels; /PageLabels;
- the front piece's metadata (XMP, /Info, /Lang); a document ID computed from the content.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from .fonts import FaceShare, merge_fonts
from .pages import page_label_ranges
from .pieces import BOOK_LINK, FolioMark, PieceResult

__all__ = ["Assembler", "Assembled", "BOOK_LINK"]


@dataclass
class Assembled:
    data: bytes
    pages: int
    starts: dict[str, int]  # piece name -> physical 1-based first page
    anchors: dict[str, int] = field(default_factory=dict)  # id -> first physical page
    front_start: int = 0
    body_start: int = 0
    fonts_merged: int = 0


def plan_pages(results: list[tuple[str, PieceResult]]) -> tuple[dict[str, int], int]:
    """Each piece's first physical page: every piece opens on a right-hand (odd) page."""
    starts: dict[str, int] = {}
    page = 0
    for _kind, result in results:
        if page % 2 == 1:
            page += 1  # a blank verso
        starts[result.name] = page + 1
        page += result.pages
    return starts, page


@dataclass
class _Taken:
    """One piece copied into the book, not yet in its page tree: its pages, and what of
    its structure, destinations and bookmarks the book takes, with page numbers still the
    piece's own."""

    pages: list  # the copied page objects
    struct_kids: list
    parent_tree: dict[int, Any]  # the piece's own keys
    next_key: int
    dests: dict[str, Any]
    catalog: dict[str, Any]  # the front's: the book's /Lang, metadata, /Info, version


class Assembler:
    """Copies pieces into the book as they come, in any order (`take`), so the copying of
    cached pieces overlaps the layout of the changed ones; `finish` then puts the pages in
    book order and makes whole what spans pieces. The bytes depend only on the pieces:
    qpdf numbers the objects as it writes them, in book order."""

    def __init__(self) -> None:
        import pikepdf

        self.out = pikepdf.new()
        self.taken: dict[Any, _Taken] = {}
        self.faces = FaceShare()

    def take(self, place: Any, result: PieceResult, *, front: bool = False) -> None:
        """Copy a piece in. `place`: its sort key in book order."""
        import pikepdf

        out = self.out
        source = pikepdf.open(io.BytesIO(result.data))
        catalog: dict[str, Any] = {}
        if front:  # the front: the book's metadata
            catalog["version"] = str(source.pdf_version)
            for entry in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
                if entry in source.Root:
                    catalog[entry] = _copy(out, source, source.Root[entry])
            catalog["/Info"] = _copy(out, source, source.trailer.Info)
        self.faces.before_copy(source)
        pages = [out.copy_foreign(page.obj) for page in source.pages]
        root = source.Root
        struct_kids: list = []
        parent_tree: dict[int, Any] = {}
        next_key = 0
        if "/StructTreeRoot" in root:
            tree = _copy(out, source, root.StructTreeRoot)
            kids = tree.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids else []
            for kid in kids:
                if kid.get("/S") == "/Document":
                    inner = kid.get("/K", pikepdf.Array())
                    struct_kids += list(inner) if isinstance(inner, pikepdf.Array) else [inner]
                else:
                    struct_kids.append(kid)
            numbers = pikepdf.NumberTree(tree.ParentTree) if "/ParentTree" in tree else {}
            highest = -1
            for number, value in numbers.items():
                parent_tree[int(number)] = value
                highest = max(highest, int(number))
            next_key = max(highest + 1, int(tree.get("/ParentTreeNextKey", 0)))
        dests: dict[str, Any] = {}
        names = root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, dest in pikepdf.NameTree(names.Dests).items():
                label = name.decode() if isinstance(name, bytes) else str(name)
                dests.setdefault(label, _copy(out, source, dest))
        _own_streams(pages + ([catalog["/Metadata"]] if "/Metadata" in catalog else []))
        self.faces.after_copy(pages)
        source.close()  # one piece open at a time: memory does not grow with the book
        self.taken[place] = _Taken(pages, struct_kids, parent_tree, next_key, dests, catalog)

    def finish(
        self,
        results: list[tuple[Any, str, PieceResult]],
        *,
        front_start: int,
        glyphs: dict[str, tuple[dict[int, float], dict[int, str]]] | None = None,
        first_folio: int = 1,
    ) -> Assembled:
        """`results`: (place, kind, piece) of every piece taken, in book order; the first
        is the front. `front_start`: the physical page printed i (0 when none). `glyphs`:
        per face, the widths and text of every glyph the pieces use (else read from the
        pieces' fonts). `first_folio`: the number of the first body page (a case shown
        alone, numbered as in the book: `proof`)."""
        out = self.out
        starts, total = plan_pages([(kind, r) for _, kind, r in results])
        body = [starts[r.name] for _, kind, r in results if kind in ("part", "case")]
        body_start = min(body, default=0)
        book = _Spanning()
        for number, (place, _kind, result) in enumerate(results):
            self._append(book, self.taken.pop(place), result, first_piece=number == 0)
        assert len(out.pages) == total
        _book_links(out)
        self.faces.finish()
        fonts_merged = merge_fonts(out, glyphs)
        for index, mark in book.folios:
            _draw_folio(out, out.pages[index], mark, str(index + 1 - body_start + first_folio))
        _catalog(out, book, front_start, body_start)
        return Assembled(
            data=_save(out, book.version),
            pages=total,
            starts=starts,
            anchors=book.anchors,
            front_start=front_start,
            body_start=body_start,
            fonts_merged=fonts_merged,
        )

    def _append(self, book: _Spanning, piece: _Taken, result: PieceResult, first_piece: bool):
        """A piece's pages into the book's page tree (after a blank verso when it would
        open on a left-hand page), with its anchors, folios, bookmarks, structure keys
        (renumbered after the pieces before it) and destinations."""
        import pikepdf

        out = self.out
        if first_piece:
            book.version = piece.catalog.get("version", book.version)
            for entry, value in piece.catalog.items():
                if entry.startswith("/") and entry != "/Info":
                    out.Root[entry] = value
            if "/Info" in piece.catalog:
                out.trailer.Info = piece.catalog["/Info"]
        if len(out.pages) % 2 == 1:
            _blank(out, pikepdf.Page(piece.pages[0]))
        first = len(out.pages)
        for index, page in enumerate(piece.pages):
            out.pages.append(pikepdf.Page(page))
            for anchor in result.anchors[index]:
                book.anchors.setdefault(anchor, first + index + 1)
            mark = result.folios[index] if index < len(result.folios) else None
            if mark is not None:
                book.folios.append((first + index, mark))
        book.bookmarks += [(lv, label, first + p, x, y) for lv, label, p, x, y in result.bookmarks]
        offset = book.next_key
        book.struct_kids += piece.struct_kids
        for key, value in piece.parent_tree.items():
            book.parent_tree[key + offset] = value
        book.next_key = offset + piece.next_key
        if offset:
            _shift_struct_parents(piece.pages, offset)
        for label, dest in piece.dests.items():
            book.dests.setdefault(label, dest)


@dataclass
class _Spanning:
    """What spans the pieces, gathered as they are appended: made whole at the end."""

    struct_kids: list = field(default_factory=list)
    parent_tree: dict[int, Any] = field(default_factory=dict)
    next_key: int = 0
    dests: dict[str, Any] = field(default_factory=dict)
    anchors: dict[str, int] = field(default_factory=dict)
    bookmarks: list[tuple[int, str, int, float, float]] = field(default_factory=list)
    folios: list[tuple[int, FolioMark]] = field(default_factory=list)
    version: str = "1.7"


def _shift_struct_parents(pages: list, offset: int) -> None:
    """A piece's pages' and annotations' parent-tree keys moved after the earlier pieces'."""
    for page in pages:
        if "/StructParents" in page:
            page.StructParents = int(page.StructParents) + offset
        for annot in page.get("/Annots", []):
            if "/StructParent" in annot:
                annot.StructParent = int(annot.StructParent) + offset


def _book_links(out) -> None:
    """Table-of-contents links to other pieces (`BOOK_LINK` URIs): named destinations."""
    import pikepdf

    for page in out.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            if action is None or action.get("/S") != "/URI":
                continue
            uri = bytes(action.URI).decode("utf-8", "replace")
            if uri.startswith(BOOK_LINK):
                del annot["/A"]
                annot.Dest = pikepdf.String(uri[len(BOOK_LINK) :])


def _catalog(out, book: _Spanning, front_start: int, body_start: int) -> None:
    """The book's structure tree, named destinations, outline and page labels."""
    import pikepdf

    catalog = out.Root
    if book.struct_kids:
        _structure(out, book.struct_kids, book.parent_tree, book.next_key)
    if book.dests:
        names_tree = pikepdf.NameTree.new(out)
        for name in sorted(book.dests):
            names_tree[name] = book.dests[name]
        catalog.Names = pikepdf.Dictionary(Dests=names_tree.obj)
    _outline(out, book.bookmarks)
    nums = pikepdf.Array()
    for first_page, style in page_label_ranges(front_start, body_start):
        entry_label = pikepdf.Dictionary()
        if "S" in style:
            entry_label.S = pikepdf.Name("/" + style["S"])
        if "P" in style:
            entry_label.P = pikepdf.String(style["P"])
        nums.append(first_page)
        nums.append(entry_label)
    catalog.PageLabels = pikepdf.Dictionary(Nums=nums)


def _save(out, version: str) -> bytes:
    """The book's bytes: objects numbered as written, an ID computed from the content."""
    import pikepdf

    buffer = io.BytesIO()
    out.save(
        buffer,
        deterministic_id=True,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        min_version=version,
    )
    return buffer.getvalue()


_BACK_LINKS = frozenset(("/Parent", "/P", "/Pg", "/Dest", "/D", "/A", "/StructTreeRoot", "/W"))


def _own_streams(roots) -> None:
    """Give the streams copied into the book (reachable from `roots`: its new pages) their
    data: qpdf reads a foreign stream's data only when writing, and the piece it came from
    is closed once copied, so that memory does not grow with the book."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    todo = list(roots)
    while todo:
        obj = todo.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            filters: Any = obj.get("/Filter")
            parameters: Any = obj.get("/DecodeParms")
            obj.write(obj.read_raw_bytes(), filter=filters, decode_parms=parameters)
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            todo += [v for k, v in obj.items() if k not in _BACK_LINKS and _container(v)]
        elif isinstance(obj, pikepdf.Array):
            todo += [v for v in obj if _container(v)]


def _container(obj) -> bool:
    import pikepdf

    return isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream))


def _copy(out, source, obj):
    """`obj` of the `source` PDF copied into `out` (its pages map to the pages already
    copied: qpdf keeps one copy per foreign object)."""
    import pikepdf

    if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
        return obj  # names, strings, numbers, booleans: values
    return out.copy_foreign(obj if obj.is_indirect else source.make_indirect(obj))


def _blank(out, like) -> None:
    """An empty page the size of `like` (a verso left blank before a right-hand opening)."""
    import pikepdf

    page = pikepdf.Dictionary(Type=pikepdf.Name.Page)
    for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
        if box in like.obj:
            page[box] = pikepdf.Array([float(x) for x in like.obj[box]])
    page.Resources = pikepdf.Dictionary()
    page.Contents = out.make_stream(b"")
    out.pages.append(pikepdf.Page(page))


def _draw_folio(out, page, mark: FolioMark, number: str) -> None:
    """The page number where the template's folio stood, centred on the same point (or
    flush to the same edge), with the text that stood around it."""
    import pikepdf

    fonts = page.obj.Resources.Font
    name = next((k for k in fonts if str(fonts[k].BaseFont) == mark.font), None)
    if name is None:
        return
    glyphs = [mark.digits[int(d)] for d in number]
    width = sum(mark.widths[int(d)] for d in number) / 1000 * mark.size
    x = mark.centre - width / 2
    fill = {1: "g", 3: "rg", 4: "k"}.get(len(mark.color), "g")
    color = " ".join(f"{c:g}" for c in mark.color) if fill != "g" or mark.color else "0"
    text = "".join(f"{g:04x}" for g in glyphs)
    if mark.before or mark.after:
        shown = _framed_text(mark, text, width)
    else:
        shown = f"1 0 0 1 {x:.4f} {mark.baseline:.4f} Tm <{text}> Tj"
    stream = (
        f"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
        f"q {color} {fill} BT {name} {mark.size:g} Tf {shown} ET Q\nEMC\n"
    ).encode("ascii")
    page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(out, stream), prepend=False)


def _framed_text(mark: FolioMark, digits: str, width: float) -> str:
    """Text operators for a folio with text around its number (— 1 —), kept flush to its
    edge or centred."""
    whole = mark.before_width + width + mark.after_width
    start = {"right": mark.edge - whole, "left": mark.edge}.get(mark.align, mark.centre - whole / 2)
    y = mark.baseline
    parts = [f"1 0 0 1 {start + dx:.4f} {y:.4f} Tm <{int(g):04x}> Tj" for g, dx in mark.before]
    parts.append(f"1 0 0 1 {start + mark.before_width:.4f} {y:.4f} Tm <{digits}> Tj")
    end = start + mark.before_width + width
    parts += [f"1 0 0 1 {end + dx:.4f} {y:.4f} Tm <{int(g):04x}> Tj" for g, dx in mark.after]
    return " ".join(parts)


def _structure(out, kids, parent_tree, next_key) -> None:
    import pikepdf

    document = out.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document)
    )
    root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary):
            kid.P = document
    document.K = pikepdf.Array(kids)
    document.P = root
    root.K = pikepdf.Array([document])
    tree = pikepdf.NumberTree.new(out)
    for key in sorted(parent_tree):
        tree[key] = parent_tree[key]
    root.ParentTree = tree.obj
    root.ParentTreeNextKey = next_key
    out.Root.StructTreeRoot = root


def _outline(out, bookmarks) -> None:
    """The outline from (level, label, page, left, top), nested by level as WeasyPrint
    nests `bookmark-level`."""
    import pikepdf

    with out.open_outline() as outline:
        stack: list[tuple[int, list]] = [(0, outline.root)]
        for level, label, page, left, top in bookmarks:
            item = pikepdf.OutlineItem(
                label,
                page,
                pikepdf.PageLocation.XYZ,
                left=round(left, 4),
                top=round(top, 4),
                zoom=0,
            )
            while stack[-1][0] >= level:
                stack.pop()
            stack[-1][1].append(item)
            stack.append((level, item.children))
