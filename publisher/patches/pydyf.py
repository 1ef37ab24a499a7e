"""pydyf (WeasyPrint's PDF writer): page references computed once per page, not per call.

pydyf's `PDF.page_references` is a property that rebuilds the tuple of every page's
reference on each call. WeasyPrint's tagging (`pdf/tags.py`) and link anchors
(`pdf/anchors.py`) read it once per tagged element and per link, so a tagged book of P
pages pays O(P) per element: quadratic in the book (benchmarks/NOTES.md has the figures).
`cached_page_references()` replaces the property, for the duration of one `write_pdf`,
with one that extends a cached tuple as pages are added and returns the same values.

The fix relies on pydyf internals (`pages['Kids']` as a flat [number, 0, 'R', …] list,
appended to by `add_page`), checked by `patch_state()` (`guard`); outside the tested pydyf
releases the build uses pydyf unpatched, which is correct, only slower, and says so.
Upstream: the same cache inside pydyf, `patches/upstream/pydyf-page-references.diff`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from . import guard


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
    return guard.state(guard.PYDYF, _shape)


def _shape() -> str | None:
    import pydyf

    if not isinstance(pydyf.PDF.__dict__.get("page_references"), property):
        return "pydyf.PDF.page_references is no longer a property"
    return None


@contextmanager
def cached_page_references() -> Iterator[bool]:
    """While active, pydyf's page references are computed once per page, not per call."""
    if patch_state() != "ok":
        yield False
        return
    import pydyf

    with guard.swapped(pydyf.PDF, page_references=property(_cached)):
        yield True
