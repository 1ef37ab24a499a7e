"""The page-reference cache gives pydyf's values, computed once per page, and the same PDF."""

from __future__ import annotations

import pydyf
import pytest

from conftest import output_of
from publisher.patches.pydyf import cached_page_references, patch_state


def _pdf_with_pages(pdf: pydyf.PDF, count: int) -> None:
    for _ in range(count):
        page = pydyf.Dictionary({"Type": "/Page"})
        pdf.add_object(page)
        pdf.add_page(page)


def test_cached_references_equal_pydyfs_and_are_not_rebuilt():
    assert patch_state() == "ok"
    plain = pydyf.PDF()
    _pdf_with_pages(plain, 5)
    expected = plain.page_references
    with cached_page_references() as active:
        assert active
        pdf = pydyf.PDF()
        _pdf_with_pages(pdf, 3)
        first = pdf.page_references
        assert first is pdf.page_references  # cached: no new tuple per call
        _pdf_with_pages(pdf, 2)  # pages added later are picked up
        assert pdf.page_references == expected
    assert pydyf.PDF.page_references.fget.__module__ == "pydyf"  # restored afterwards


@pytest.mark.slow
def test_tagged_pdf_is_the_same_with_the_cache(
    sample_compendium, theme, writer_options, monkeypatch
):
    from publisher.writers.pdf import pieces as pdf_pieces
    from publisher.writers.pdf import write_pdf

    with_cache = output_of(write_pdf, sample_compendium, theme, writer_options).data
    monkeypatch.setattr(pdf_pieces, "cached_page_references", _unpatched)
    without = output_of(write_pdf, sample_compendium, theme, writer_options).data
    assert with_cache == without


class _unpatched:
    def __enter__(self):
        return False

    def __exit__(self, *exc):
        return False
