"""Property: absorb(build(cases)) == cases. The DOCX written from generated cases, read
back and merged into other cases of the same ids, gives the generated cases again: the
reader and the mapping invert the DOCX writer for everything absorb maps."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import output_of
from publisher.absorb.mapping import merge_case
from publisher.absorb.reader import read_document
from publisher.model import Case, Compendium, Figure, Heading, Note, Paragraph, Part, Run
from publisher.support.options import WriterOptions
from publisher.writers.docx import write_docx

ROOT = Path(__file__).resolve().parent.parent

# Article-like text: CJK, Latin, digits, Chinese punctuation; inner spaces allowed.
_chars = st.sampled_from(
    list("党建引领脱贫攻坚乡村振兴合作社图一二三年月日")
    + list("abcXYZ0123456789，。：“”、")
    + [" ", "　"]
)
text = st.text(_chars, min_size=1, max_size=24).map(str.strip).filter(bool)
maybe = st.one_of(st.just(""), text)


@st.composite
def paragraphs(draw):
    pieces = draw(st.lists(text, min_size=1, max_size=4))
    first_strong = draw(st.booleans())
    return Paragraph(
        tuple(Run(t, strong=(i % 2 == 0) == first_strong) for i, t in enumerate(pieces))
    )


blocks = st.one_of(
    st.builds(Heading, level=st.sampled_from([1, 2, 3]), text=text),
    paragraphs(),
    st.builds(Figure, caption=text, credit=maybe),
    st.builds(Note, text=text),
)


@st.composite
def case_pairs(draw):
    """A generated case, and the case of the same id the DOCX is absorbed into."""
    n = draw(st.integers(1, 2))
    generated, bases = [], []
    for i in range(n):
        case_id = f"case-{i}"
        generated.append(
            Case(
                id=case_id,
                title=draw(text),
                kicker=draw(maybe),
                subtitle=draw(maybe),
                series=draw(maybe),
                blocks=tuple(draw(st.lists(blocks, min_size=1, max_size=6))),
            )
        )
        bases.append(
            Case(
                id=case_id,
                title="原标题",
                blocks=(Paragraph.of("原来的正文。"), Figure("原来的图片说明。")),
            )
        )
    return generated, bases


def _reading(cases, theme, tmp):
    compendium = Compendium(title="汇编", parts=(Part("", tuple(cases)),))
    options = WriterOptions(
        content_dir=tmp, styles_dir=ROOT / "styles", date="2026-11-01", docx_toc_pages=False
    )
    data = output_of(write_docx, compendium, theme, options).data
    return read_document(docx.Document(io.BytesIO(data))).cases


@pytest.mark.slow  # generated case pairs, each built to DOCX and absorbed
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case_pairs())
def test_absorb_of_build_gives_the_cases_back(theme, tmp_path, pair):
    generated, bases = pair
    edited = _reading(generated, theme, tmp_path)
    expected = _reading(bases, theme, tmp_path)
    for case, base, actual, before in zip(generated, bases, edited, expected, strict=True):
        merged = merge_case(base, before.items, actual.items, lambda *a: "").case
        for name in ("title", "kicker", "subtitle", "series", "blocks"):
            assert getattr(merged, name) == getattr(case, name), name
