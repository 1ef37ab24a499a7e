"""A piece's tag tree without its empty Span elements.

WeasyPrint tags each text box (each run of text on each line) as a Span element holding
one marked-content id, and each HTML `<span>` as another Span around those. Our spans are
presentation only (punctuation widths, Han–Latin spacing, a paragraph's last two
characters kept together): such a Span says nothing a reader or screen reader could use,
yet they were 115,000 of the 142,000 objects of a 300-case book, and every one of them is
parsed, copied and written again when the book is assembled.

`flatten_spans` moves the marked content of every Span element that carries nothing else
(no language, alternate or actual text, attributes or ID) up into its parent, in the same
reading order, and points the parent tree at that parent. What remains is the book's
structure: parts, articles, headings, paragraphs, figures with captions, lists, links.
"""

from __future__ import annotations

from typing import Any

# A Span with only these keys carries nothing but its content.
_PLAIN_KEYS = frozenset(("/Type", "/S", "/K", "/Pg", "/P"))


def flatten_spans(pdf) -> int:
    """Flatten the plain Span elements of `pdf`'s structure tree in place (pikepdf);
    returns how many were removed."""
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return 0
    flattener = _Flattener()
    top = root.get("/K")
    for element in list(top) if isinstance(top, pikepdf.Array) else [top] if top else []:
        flattener.visit(element)
    if flattener.moved and "/ParentTree" in root:
        _repoint_parent_tree(pdf, root, flattener.moved)
    return flattener.removed


def _span_content(span) -> list | None:
    """The span's content as items its parent can hold, or None to keep the span."""
    import pikepdf

    if span.get("/S") != "/Span" or not set(span.keys()) <= _PLAIN_KEYS:
        return None
    kids = span.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    if not all(isinstance(k, int) for k in items) or "/Pg" not in span:
        return None  # nested elements or marked-content references stay
    return items


class _Flattener:
    """The structure tree walked in post-order: a wrapper span whose spans went is plain
    by the time it is looked at."""

    def __init__(self) -> None:
        self.moved: dict[tuple[tuple[int, int], int], Any] = {}  # (page, MCID) -> new owner
        self.removed = 0

    def visit(self, element) -> None:
        import pikepdf

        kids = element.get("/K")
        if not isinstance(kids, pikepdf.Array):
            if isinstance(kids, pikepdf.Dictionary) and kids.get("/Type") == "/StructElem":
                kids = pikepdf.Array([kids])
                element.K = kids
            else:
                return
        changed = False
        result: list = []
        for kid in kids:
            items = self._flattened(kid)
            if items is None:
                result.append(kid)
                continue
            page = kid.Pg
            same_page = "/Pg" in element and element.Pg.objgen == page.objgen
            for mcid in items:
                self.moved[(page.objgen, int(mcid))] = element
                result.append(
                    mcid
                    if same_page
                    else pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=int(mcid))
                )
            self.removed += 1
            changed = True
        if changed:
            element.K = pikepdf.Array(result)

    def _flattened(self, kid) -> list | None:
        """A structure element kid visited; its content when it is a plain span to drop."""
        import pikepdf

        if not (
            isinstance(kid, pikepdf.Dictionary)
            and "/S" in kid
            and kid.get("/Type") in (None, "/StructElem")
        ):
            return None
        self.visit(kid)
        return _span_content(kid)


def _repoint_parent_tree(pdf, root, moved: dict) -> None:
    """Each moved marked-content id's parent-tree entry now names its new owner."""
    import pikepdf

    tree = pikepdf.NumberTree(root.ParentTree)
    for page in pdf.pages:
        if "/StructParents" not in page.obj:
            continue
        owners = tree.get(int(page.obj.StructParents))
        if not isinstance(owners, pikepdf.Array):
            continue
        for mcid in range(len(owners)):
            owner = moved.get((page.obj.objgen, mcid))
            if owner is not None:
                owners[mcid] = owner
