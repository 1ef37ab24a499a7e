"""What a viewer shows: page labels as the folios read, blank pages bare, one link per TOC entry."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from conftest import ROOT, output_of
from publisher.support.options import WriterOptions
from publisher.writers.pdf import write_pdf
from publisher.writers.pdf.pages import page_label_ranges


@pytest.fixture(scope="module")
def built(sample_compendium, theme, tmp_path_factory):
    options = WriterOptions(
        content_dir=tmp_path_factory.mktemp("c"), styles_dir=ROOT / "styles", date="2026-11-01"
    )
    return output_of(write_pdf, sample_compendium, theme, options)


@pytest.fixture(scope="module")
def reader(built) -> PdfReader:
    return PdfReader(io.BytesIO(built.data))


def foot(page) -> str:
    """The text printed in the bottom margin (the folio), '' when none."""
    pieces = []
    page.extract_text(
        visitor_text=lambda text, cm, tm, font, size: pieces.append(
            (cm[5] + tm[5] * cm[3], text.strip())
        )
    )
    return "".join(t for y, t in pieces if y < 60 and t)


def test_page_labels_are_the_printed_folios(reader, built):
    labels = reader.page_labels
    assert len(labels) == len(reader.pages)
    assert labels[0] == "封面"
    assert labels[built.body_start - 1] == "1"
    printed = 0
    for page, label in zip(reader.pages, labels, strict=True):
        folio = foot(page)
        if folio:
            assert folio == label
            printed += 1
    assert printed > 5
    roman = [label for label in labels if label in ("i", "ii", "iii", "iv", "v")]
    assert roman[:3] == ["i", "ii", "iii"]


def test_blank_pages_print_no_folio(reader):
    blank = [i for i, p in enumerate(reader.pages) if not (p.extract_text() or "").strip()]
    assert blank  # versos before right-hand openings
    front_blank = [i for i in blank if reader.page_labels[i] in ("ii", "iv")]
    assert front_blank, "expected a blank page in the front matter"


def test_one_link_annotation_per_toc_entry(reader):
    toc = next(p for p in reader.pages if (p.extract_text() or "").lstrip().startswith("目录"))
    annotations = [a.get_object() for a in toc.get("/Annots", [])]
    links = [a for a in annotations if a["/Subtype"] == "/Link"]
    lines = [row for row in toc.extract_text().splitlines() if "." in row]
    assert len(links) == len(lines), (len(links), lines)
    rects = [[float(x) for x in a["/Rect"]] for a in links]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            overlap = (
                min(a[1], a[3]) < max(b[1], b[3]) - 1 and min(b[1], b[3]) < max(a[1], a[3]) - 1
            )
            assert not overlap, (a, b)


def test_label_ranges():
    assert page_label_ranges(3, 7) == [
        (0, {"P": "封面"}),
        (1, {"P": "封二"}),
        (2, {"S": "r"}),
        (6, {"S": "D"}),
    ]
    assert page_label_ranges(2, 4) == [(0, {"P": "封面"}), (1, {"S": "r"}), (3, {"S": "D"})]
