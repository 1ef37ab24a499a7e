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
    moved: dict[tuple[tuple[int, int], int], Any] = {}  # (page, MCID) -> new owner
    removed = 0

    def content_of(span) -> list | None:
        """The span's content as items its parent can hold, or None to keep the span."""
        if span.get("/S") != "/Span" or not set(span.keys()) <= _PLAIN_KEYS:
            return None
        kids = span.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        if not all(isinstance(k, int) for k in items) or "/Pg" not in span:
            return None  # nested elements or marked-content references stay
        return items

    def visit(element) -> None:
        nonlocal removed
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
            if (
                isinstance(kid, pikepdf.Dictionary)
                and "/S" in kid
                and kid.get("/Type")
                in (
                    None,
                    "/StructElem",
                )
            ):
                visit(kid)  # post-order: a wrapper span whose spans went is plain now
                items = content_of(kid)
                if items is not None:
                    page = kid.Pg
                    same_page = "/Pg" in element and element.Pg.objgen == page.objgen
                    for mcid in items:
                        moved[(page.objgen, int(mcid))] = element
                        result.append(
                            mcid
                            if same_page
                            else pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=int(mcid))
                        )
                    removed += 1
                    changed = True
                    continue
            result.append(kid)
        if changed:
            element.K = pikepdf.Array(result)

    top = root.get("/K")
    for element in list(top) if isinstance(top, pikepdf.Array) else [top] if top else []:
        visit(element)
    if moved and "/ParentTree" in root:
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
    return removed
