"""The DOCX in build/ is protected: a file an editor saved over it is moved to
build/edited/, never overwritten (issue 8, deliverable 4)."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from publisher.pipeline.build import build
from publisher.pipeline.project import Project
from publisher.pipeline.scaffold import init_project

# Whole builds beside an editor's DOCX.
pytestmark = pytest.mark.slow

CASE = (
    "---\nid: demo\ntitle: 示例案例\nauthors:\n  - name: 张三\ndate: '2020-06-11'\n"
    "source: 示例来源\n---\n\n# 一、标题\n\n**一是示例。**正文内容。\n"
)
NAME = "测试汇编.docx"


@pytest.fixture
def project(tmp_path) -> Project:
    init_project(tmp_path, "测试汇编")
    settings = tmp_path / "content" / "compendium.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "docx_toc_pages = false\n", encoding="utf-8"
    )
    (tmp_path / "content" / "cases" / "demo.md").write_text(CASE, encoding="utf-8")
    return Project(tmp_path)


def edit(path: Path) -> bytes:
    document = docx.Document(str(path))
    next(p for p in document.paragraphs if "正文内容" in p.text).add_run("编辑加的话。")
    document.save(str(path))
    return path.read_bytes()


def test_an_edited_docx_is_moved_aside_not_overwritten(project):
    build(project, ("docx",))
    out = project.build / NAME
    first = out.read_bytes()
    edited = edit(out)
    result = build(project, ("docx",))
    kept = project.build / "edited" / NAME
    assert kept.read_bytes() == edited  # the editor's file, intact
    assert out.read_bytes() == first  # a fresh build in its place
    warning = next(d for d in result.diagnostics if "edited" in d.message)
    assert "build/edited/" in warning.message and "publisher absorb" in warning.message
    report = json.loads((project.build / "report.json").read_text(encoding="utf-8"))
    assert [k["file"] for k in report["kept"]] == [f"build/edited/{NAME}"]
    assert f"build/edited/{NAME}" in (project.build / "report.md").read_text(encoding="utf-8")
    # a second edit does not overwrite the first one kept aside
    second = edit(out)
    build(project, ("docx",))
    assert kept.read_bytes() == edited
    assert (project.build / "edited" / "测试汇编-2.docx").read_bytes() == second


def test_own_outputs_are_replaced_quietly(project):
    build(project, ("docx",))
    (project.cases / "demo.md").write_text(CASE + "\n新的一段。\n", encoding="utf-8")
    build(project, ("pdf",))  # a PDF-only build in between
    (project.cases / "demo.md").write_text(CASE + "\n又一段。\n", encoding="utf-8")
    result = build(project, ("docx",))
    assert not (project.build / "edited").exists()
    assert not [d for d in result.diagnostics if "edited" in d.message]


def test_the_docx_written_beside_the_pdf_keeps_the_editors_file_and_content(project):
    """With both outputs and two jobs the DOCX is written in a worker process of its own;
    still only the build's own process puts it in place: an editor's DOCX is moved aside,
    and nothing under content/ changes."""

    def content() -> dict[Path, bytes]:
        return {p: p.read_bytes() for p in project.content.rglob("*") if p.is_file()}

    build(project, ("pdf", "docx"), jobs=2)
    before = content()
    edited = edit(project.build / NAME)
    build(project, ("pdf", "docx"), jobs=2, force=True)
    assert (project.build / "edited" / NAME).read_bytes() == edited
    assert (project.build / NAME).read_bytes() != edited
    assert content() == before
