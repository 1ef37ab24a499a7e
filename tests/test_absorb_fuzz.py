"""Property (issue 22): whatever an editor does to the paragraphs of a case in the DOCX
(restyle, delete, insert, split, type into a field), `absorb` either succeeds or refuses
in one line, and every paragraph text an edit put inside a case is in the case files
afterwards. Generated edits on a DOCX the project wrote; bounded (a few seconds)."""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.absorb import absorb
from publisher.pipeline.build import build
from publisher.pipeline.project import Project
from publisher.pipeline.scaffold import init_project
from publisher.support.errors import PublisherError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAME = "测试汇编.docx"
CASES = {
    "one": (
        "---\nid: one\ntitle: 第一个案例\nauthors:\n  - name: 张三\ndate: '2020-06-11'\n"
        "source: 示例来源\n---\n\n# 一、抓班子\n\n**一是示例。**第一段正文内容。\n\n"
        "第二段正文，说明做法。\n\n![村里的合作社。]()\n\n第三段正文，讲成效。\n"
    ),
    "two": (
        "---\nid: two\ntitle: 第二个案例\nkicker: 引题文字\ndate: '2019-03-01'\n---\n\n"
        "第一段，写背景。\n\n## 小标题\n\n第二段，写经验。\n\n> 注：这是一条注文。\n\n"
        "第三段，写下一步。\n"
    ),
}
# Every paragraph style the writer uses, and one of Word's own.
STYLES = [
    "Body Text",
    "Lead Paragraph",
    "Title",
    "Subtitle",
    "Matter Title",
    "TOC Heading",
    "toc 1",
    "Part Title",
    "heading 1",
    "heading 2",
    "heading 3",
    "Kicker",
    "Case Subtitle",
    "Series",
    "Byline",
    "Source",
    "Figure",
    "Figure Placeholder",
    "caption",
    "Note",
    "Source Note",
    "header",
    "Normal",
]
# What an editor types: Han characters, digits and Chinese punctuation (no Markdown).
typed = st.text(
    st.sampled_from(list("党建扶贫乡村合作社年月日0123456789，。、“”")), min_size=2, max_size=12
)
edits = st.lists(
    st.one_of(
        st.tuples(st.just("restyle"), st.integers(0, 99), st.sampled_from(STYLES)),
        st.tuples(st.just("delete"), st.integers(0, 99)),
        st.tuples(st.just("insert"), st.integers(0, 99), st.sampled_from(STYLES), typed),
        st.tuples(st.just("split"), st.integers(0, 99), st.integers(1, 50)),
        st.tuples(
            st.just("field"), st.integers(0, 99), st.sampled_from(["complex", "simple"]), typed
        ),
    ),
    min_size=1,
    max_size=5,
)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    init_project(root, "测试汇编")
    toml = root / "content" / "compendium.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "docx_toc_pages = false\n", encoding="utf-8")
    for name, text in CASES.items():
        (root / "content" / "cases" / f"{name}.md").write_text(text, encoding="utf-8")
    build(Project(root), ("docx",))
    return root


def _case_paragraphs(document) -> list:
    """The paragraphs inside the case markers, in body order."""
    inside, found = None, []
    for el in document.element.body.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:p")):
        if el.tag == qn("w:bookmarkStart") and el.get(qn("w:name")).startswith("_Case_"):
            inside = el.get(qn("w:id"))
        elif el.tag == qn("w:bookmarkEnd") and el.get(qn("w:id")) == inside:
            inside = None
        elif el.tag == qn("w:p") and inside is not None:
            found.append(el)
    return found


def _style_ids(document) -> dict[str, str]:
    return {
        s.find(qn("w:name")).get(qn("w:val")).lower(): s.get(qn("w:styleId"))
        for s in document.styles.element.findall(qn("w:style"))
        if s.find(qn("w:name")) is not None
    }


def _body(document) -> list:
    """The case paragraphs an editor writes in: body text, in the cases."""
    body_text = _style_ids(document)["body text"]
    return [
        p
        for p in _case_paragraphs(document)
        if (s := p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")) is not None
        and s.get(qn("w:val")) == body_text
        and "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
    ]


def _set_style(p, style_id: str) -> None:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = parse_xml(f'<w:pPr xmlns:w="{W_NS}"/>')
        p.insert(0, ppr)
    style = ppr.find(qn("w:pStyle"))
    if style is None:
        style = parse_xml(f'<w:pStyle xmlns:w="{W_NS}"/>')
        ppr.insert(0, style)
    style.set(qn("w:val"), style_id)


def _text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _run(text: str) -> str:
    return f'<w:r xmlns:w="{W_NS}"><w:t xml:space="preserve">{text}</w:t></w:r>'


def _apply(document, edit, typed_by_edit: dict) -> None:
    """One edit; `typed_by_edit` maps each paragraph an edit made or changed to the
    text it must keep."""
    ids = _style_ids(document)
    targets = _body(document)
    if not targets:
        return
    kind, at = edit[0], targets[edit[1] % len(targets)]
    if kind == "restyle":
        _set_style(at, ids[edit[2].lower()])
        typed_by_edit[at] = _text_of(at)
    elif kind == "delete":
        at.getparent().remove(at)
        typed_by_edit.pop(at, None)
    elif kind == "insert":
        new = copy.deepcopy(at)
        for child in [c for c in new if c.tag != qn("w:pPr")]:
            new.remove(child)
        new.append(parse_xml(_run(edit[3])))
        _set_style(new, ids[edit[2].lower()])
        at.addnext(new)
        typed_by_edit[new] = edit[3]
    elif kind == "split":
        text = _text_of(at)
        cut = edit[2] % max(len(text) - 1, 1) + 1
        second = copy.deepcopy(at)
        for p, part in ((at, text[:cut]), (second, text[cut:])):
            for child in [c for c in p if c.tag != qn("w:pPr")]:
                p.remove(child)
            p.append(parse_xml(_run(part)))
            typed_by_edit[p] = part
        at.addnext(second)
    else:  # words typed as a field's result: a hyperlink
        words = edit[3]
        if edit[2] == "complex":
            xml = (
                f'<w:p xmlns:w="{W_NS}"><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                '<w:r><w:instrText> HYPERLINK "https://example.org" </w:instrText></w:r>'
                f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{_run(words)[:-6]}</w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
            )
        else:
            xml = (
                f'<w:p xmlns:w="{W_NS}"><w:fldSimple w:instr=" HYPERLINK &quot;x&quot; ">'
                f"{_run(words)}</w:fldSimple></w:p>"
            )
        for child in list(parse_xml(xml)):
            at.append(child)
        typed_by_edit[at] = _text_of(at)


@pytest.mark.slow  # twelve generated edits, each a DOCX absorbed
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits)
def test_absorb_keeps_every_typed_paragraph_or_refuses_in_one_line(source, edits):
    with tempfile.TemporaryDirectory(prefix="absorb-fuzz-") as folder:
        root = Path(folder)
        shutil.copytree(source, root, dirs_exist_ok=True)
        project = Project(root)
        document = docx.Document(str(project.build / NAME))
        typed_by_edit: dict = {}
        for edit in edits:
            _apply(document, edit, typed_by_edit)
        edited = root / "edited.docx"
        document.save(str(edited))
        try:
            absorb(project, edited)
        except PublisherError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(str(edited)), str(exc)
            return
        written = "".join(
            p.read_text(encoding="utf-8") for p in (project.content / "cases").glob("*.md")
        ).replace("**", "")  # a lead-in's bold marks
        for p, text in typed_by_edit.items():
            if p.getparent() is not None and text.strip(" 　"):
                assert text.strip(" 　") in written, (text, edits)
