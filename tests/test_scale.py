"""Content that used to blow up the typesetting time: it stays in proportion."""

from __future__ import annotations

import dataclasses
import io

import pypdf

from conftest import _case, output_of
from publisher.look.presentation import running_head
from publisher.model import Compendium, Part
from publisher.writers.pdf import write_pdf


def test_a_very_long_title_is_cut_in_the_running_head(theme, writer_options):
    title = "党建引领乡村振兴" * 200  # 1600 characters
    head = running_head(title, theme)
    assert head.endswith("……") and len(head) < 60
    case = _case(1, title)
    case = dataclasses.replace(case, blocks=case.blocks * 3)  # long enough for a right page
    book = Compendium(title="长标题", parts=(Part("", (case,)),), date="2026-01-01")
    pdf = pypdf.PdfReader(io.BytesIO(output_of(write_pdf, book, theme, writer_options).data))
    texts = [page.extract_text() for page in pdf.pages]
    assert any(head in text for text in texts)
