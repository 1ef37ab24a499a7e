"""Version-guarded fixes for steps of WeasyPrint's PDF output that grow faster than the book.

pydyf's `PDF.page_references` is a property that rebuilds the tuple of every page's
reference on each call. WeasyPrint's tagging (`pdf/tags.py`) and link anchors
(`pdf/anchors.py`) read it once per tagged element and per link, so a tagged book of P
pages pays O(P) per element: quadratic in the book (benchmarks/NOTES.md has the figures).
`cached_page_references()` replaces the property, for the duration of one `write_pdf`,
with one that extends a cached tuple as pages are added and returns the same values.

The fix relies on pydyf internals (`pages['Kids']` as a flat [number, 0, 'R', …] list,
appended to by `add_page`), checked by `patch_state()`; outside the tested pydyf releases
the build uses pydyf unpatched, which is correct, only slower, and says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

# The pydyf releases this is checked against (WeasyPrint 68–70 require pydyf >= 0.11).
TESTED_PYDYF = ("0.11", "0.12", "0.13")


def _cached(pdf) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    refs, seen_kids = pdf.__dict__.get("_page_refs", ((), None))
    if seen_kids is not kids or len(refs) * 3 > len(kids):
        refs = ()  # a new or shortened page list: start again
    if len(refs) * 3 < len(kids):
        refs += tuple(f"{number} 0 R".encode("ascii") for number in kids[len(refs) * 3 :: 3])
        pdf.__dict__["_page_refs"] = (refs, kids)
    return refs


def patch_state() -> str:
    """'ok', or why the page-reference cache is not used with this pydyf."""
    try:
        import pydyf
    except ImportError as exc:  # pragma: no cover - WeasyPrint needs pydyf
        return f"pydyf cannot be imported ({exc})"
    version = ".".join(getattr(pydyf, "__version__", "0").split(".")[:2])
    if version not in TESTED_PYDYF:
        return f"pydyf {pydyf.__version__} is not a tested release ({', '.join(TESTED_PYDYF)})"
    if not isinstance(getattr(pydyf.PDF, "page_references", None), property):
        return "pydyf.PDF.page_references is no longer a property"
    return "ok"


@contextmanager
def cached_page_references() -> Iterator[bool]:
    """While active, pydyf's page references are computed once per page, not per call."""
    if patch_state() != "ok":
        yield False
        return
    import pydyf

    original = pydyf.PDF.page_references
    pydyf.PDF.page_references = property(_cached)
    try:
        yield True
    finally:
        pydyf.PDF.page_references = original
