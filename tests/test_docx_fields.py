"""The field update of `docx-refresh` (publisher/writers/docx/fields.py), without
LibreOffice: the cached results Word shows before it updates, and WPS shows as they are."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn

from conftest import output_of
from publisher.writers.docx import write_docx
from publisher.writers.docx.fields import (
    complex_fields,
    rebuild_toc,
    update_numbers,
)
from test_docx_libreoffice import move_case_before


@pytest.fixture(scope="module")
def edited(sample_compendium, theme, tmp_path_factory):
    """The build's DOCX after an editor deleted case 2's first figure, retyped every title,
    moved case 2 before case 1 and added a heading of a new case; fields updated."""
    from publisher.support.options import WriterOptions

    tmp = tmp_path_factory.mktemp("fields")
    options = WriterOptions(content_dir=tmp, styles_dir=tmp, date="2026-11-01")
    d = docx.Document(io.BytesIO(output_of(write_docx, sample_compendium, theme, options).data))
    one, two, _three = sample_compendium.cases
    doomed = next(p for p in d.paragraphs if p.text.startswith("图 2-1"))
    for el in (doomed._element.getprevious(), doomed._element):
        el.getparent().remove(el)
    for title in (p for p in d.paragraphs if p.style.name == "Heading 1"):
        title.text = title.text
    move_case_before(d, two.title, one.title)
    d.paragraphs[-1].insert_paragraph_before("编辑新加的案例", style="Heading 1")
    body = d.element.body
    written = update_numbers(body)
    seen = []

    def pages(lines):
        seen.extend(lines)
        return {line.bookmark: str(10 + i) for i, line in enumerate(lines)}

    lines = rebuild_toc(body, d.styles.element, pages)
    return d, written, lines, seen


def test_figure_numbers_follow_the_cases(edited, sample_compendium):
    d, written, _, _ = edited
    labels = [p.text.split("\u3000")[0] for p in d.paragraphs if p.style.name == "Caption"]
    assert labels == ["图 1-1", "图 2-1", "图 2-2", "图 3-1", "图 3-2"]
    assert written == 3 + 5 + 5  # the cases' SEQ, the figures' SEQ, the captions' REF


def test_toc_lists_the_headings_in_their_new_order(edited, sample_compendium):
    d, _, lines, seen = edited
    one, two, three = (c.title for c in sample_compendium.cases)
    assert [line.text for line in lines] == [
        "前言",
        "广西",
        two,
        one,
        "山西",
        "内蒙古",
        three,
        "编辑新加的案例",
    ]
    assert [line.level for line in lines] == [2, 1, 3, 3, 1, 1, 3, 3]
    assert seen == lines  # the pages were asked for exactly these
    toc = [p for p in d.paragraphs if p.style.name.lower() in ("toc 1", "toc 2", "toc 3")]
    assert [p.text for p in toc] == [f"{line.text}\t{10 + i}" for i, line in enumerate(lines)]
    # The new heading got a _Toc bookmark around it, which its TOC line links to.
    new = next(p for p in d.paragraphs if p.text == "编辑新加的案例")
    start = new._element.getprevious()
    assert start.tag == qn("w:bookmarkStart") and start.get(qn("w:name")) == lines[-1].bookmark
    links = [h.get(qn("w:anchor")) for h in d.element.body.iter(qn("w:hyperlink"))]
    assert links == [line.bookmark for line in lines]
    # One TOC field still, its instruction kept, around all its lines.
    tocs = [f for f in complex_fields(d.element.body) if f.instr.startswith("TOC")]
    assert len(tocs) == 1 and "\\t" in tocs[0].instr
    assert tocs[0].begin.getparent() is toc[0]._element
    assert tocs[0].end.getparent() is toc[-1]._element


def test_unknown_fields_are_left_alone():
    d = docx.Document()
    p = d.add_paragraph()
    from publisher.writers.docx import oxml

    for instr in ("SEQ 图 \\s 1", "SEQ 图", "REF x \\n", "REF x", "SEQ 图 \\c", "SEQ 图 \\h"):
        for r in oxml.field_runs(instr, "old"):
            p._p.append(r)
    start, end = oxml.bookmark(1, "x")
    p._p.insert(1, start)
    p._p.append(end)
    update_numbers(d.element.body)
    results = [f.separate.getnext().findtext(qn("w:t")) for f in complex_fields(p._p)]
    assert results[:2] == ["old", "1"]
    assert results[2] == "old"  # \n: a paragraph number, not known here
    assert results[4] == "1" and results[5] is None  # \c repeats, \h hides
