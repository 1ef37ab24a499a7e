"""The build pipeline: new sources imported, atomic outputs, incremental, reproducible, report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from publisher.pipeline import build as build_module
from publisher.pipeline.build import build
from publisher.pipeline.project import Project
from publisher.pipeline.scaffold import init_project
from publisher.support.errors import ContentError

pytestmark = pytest.mark.slow  # whole builds of a project (PDF and DOCX)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "content" / "sources"

CASE = """\
---
id: demo
title: 示例案例
authors:
  - name: 张三
date: '2020-06-11'
source: 示例来源
script: traditional
opencc: hk2s
---

# 一、标题

**一是示例。**正文内容。
"""


@pytest.fixture
def project(tmp_path) -> Project:
    init_project(tmp_path, "测试汇编")
    (tmp_path / "content" / "cases" / "demo.md").write_text(CASE, encoding="utf-8")
    return Project(tmp_path)


def test_build_writes_outputs_and_report(project):
    result = build(project, ("json",))
    out = project.build / "测试汇编.json"
    assert result.outputs == (out,)
    model = json.loads(out.read_text(encoding="utf-8"))
    assert [c["title"] for c in model["cases"]] == ["示例案例"]
    report = json.loads((project.build / "report.json").read_text(encoding="utf-8"))
    assert report["cases"][0]["id"] == "demo" and "lint" in report["timings"]
    assert "示例案例" in (project.build / "report.md").read_text(encoding="utf-8")
    # the conversion the case's import used is in the report
    assert report["cases"][0]["opencc"] == "hk2s"
    assert "| Traditional, OpenCC hk2s |" in (project.build / "report.md").read_text("utf-8")


def test_report_says_why_the_docx_toc_has_no_page_numbers(project):
    settings = project.content / "compendium.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "\ndocx_toc_pages = false\n", encoding="utf-8"
    )
    build(project, ("docx",))
    report = json.loads((project.build / "report.json").read_text(encoding="utf-8"))
    assert report["docx_toc_pages"] is False
    assert report["docx_toc_skipped"] == "docx_toc_pages = false"
    line = next(
        x
        for x in (project.build / "report.md").read_text(encoding="utf-8").splitlines()
        if x.startswith("- DOCX table of contents")
    )
    assert "not filled in: docx_toc_pages = false" in line and "docx-refresh" in line


def test_unchanged_rebuild_is_skipped(project, monkeypatch):
    build(project, ("json",))
    monkeypatch.setattr(
        build_module,
        "load_project",
        lambda *a: pytest.fail("an unchanged build must not load again"),
    )
    assert build(project, ("json",)).up_to_date
    (project.cases / "demo.md").write_text(CASE.replace("正文内容", "新的正文"), encoding="utf-8")
    monkeypatch.undo()
    assert not build(project, ("json",)).up_to_date


def test_a_failing_build_leaves_the_last_good_outputs(project):
    build(project, ("json",))
    out = project.build / "测试汇编.json"
    before = out.read_bytes()
    (project.cases / "demo.md").write_text(CASE + "\n上一篇:网页残留\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build(project, ("json",))
    assert any("chrome" in d.message for d in err.value.diagnostics)
    assert out.read_bytes() == before
    assert not [p for p in project.build.iterdir() if p.name.endswith(".tmp")]


def test_new_source_is_imported_and_only_a_changed_one_is_reimported(project):
    for name in ("000_b1767db4946b0b0f.txt", "002_7a9b3e6cd7ab33a6.txt"):
        (project.sources / name).write_bytes((SOURCES / name).read_bytes())
    build(project, ("json",))
    first = project.cases / "000_b1767db4946b0b0f.md"
    second = project.cases / "002_7a9b3e6cd7ab33a6.md"
    assert first.is_file() and second.is_file()
    second_before = second.read_bytes()
    source = project.sources / "000_b1767db4946b0b0f.txt"
    source.write_text(
        source.read_text(encoding="utf-8").replace("龙林智", "龙林"), encoding="utf-8"
    )
    build(project, ("json",))
    assert "- name: 龙林\n" in first.read_text(encoding="utf-8")  # not 龙林智: re-imported
    assert second.read_bytes() == second_before


def test_hand_edited_case_file_is_never_overwritten(project):
    src = project.sources / "000_b1767db4946b0b0f.txt"
    src.write_bytes((SOURCES / src.name).read_bytes())
    build(project, ("json",))
    case_file = project.cases / "000_b1767db4946b0b0f.md"
    edited = case_file.read_text(encoding="utf-8").replace("region: ''", "region: 广西")
    case_file.write_text(edited, encoding="utf-8")
    src.write_text(src.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    result = build(project, ("json",))
    assert case_file.read_text(encoding="utf-8") == edited
    assert any("has edits" in d.message for d in result.diagnostics)


def run_cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "publisher", *args], capture_output=True, text=True, cwd=cwd
    )


def test_cli_exit_codes(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("empty")
    assert run_cli("build", cwd=elsewhere).returncode == 2  # no project here
    assert run_cli("build", "--format", "png", cwd=project.root).returncode == 2
    ok = run_cli("build", "--format", "json", cwd=project.root)
    assert ok.returncode == 0, ok.stderr
    assert "\x1b[" not in ok.stderr  # no ANSI when not a TTY
    (project.cases / "demo.md").write_text(CASE + "\n点击次数:5\n", encoding="utf-8")
    bad = run_cli("build", "--format", "json", cwd=project.root)
    assert bad.returncode == 1 and "demo.md:" in bad.stderr and "Traceback" not in bad.stderr


def test_workflow_runs_the_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "compendium.yml").read_text())
    triggers = workflow.get("on") or workflow.get(True)  # YAML 1.1 reads `on` as true
    assert {"push", "pull_request", "schedule", "workflow_dispatch"} <= set(triggers)
    runs = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    for command in ("./run build", "./run test"):
        assert command in readme
        assert any(r.startswith(command) for r in runs), command
    assert any("publisher lint" in r for r in runs)
    uploads = [
        s
        for job in workflow["jobs"].values()
        for s in job["steps"]
        if "upload-artifact" in s.get("uses", "")
    ]
    assert uploads and all(p in uploads[0]["with"]["path"] for p in (".pdf", ".docx", "report"))
    assert (ROOT / ".ci" / "run").read_text().count("./run test") == 1


@pytest.fixture(scope="module")
def typeset_project(tmp_path_factory):
    """A small project built once with both writers (LibreOffice pass included)."""
    root = tmp_path_factory.mktemp("typeset")
    init_project(root, "测试汇编")
    (root / "content" / "cases" / "demo.md").write_text(CASE, encoding="utf-8")
    project = Project(root)
    first = build(project, ("pdf", "docx"))
    return project, {p.name: p.read_bytes() for p in first.outputs}


def test_two_builds_are_byte_identical(typeset_project, monkeypatch):
    project, first = typeset_project
    assert set(first) == {"测试汇编.pdf", "测试汇编.docx"}
    again = build(project, ("pdf", "docx"), force=True)
    assert {p.name: p.read_bytes() for p in again.outputs} == first


def test_dates_come_from_source_date_epoch_not_the_clock(typeset_project, monkeypatch, tmp_path):
    from pypdf import PdfReader

    project, _ = typeset_project
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")  # 2017-07-14
    result = build(project, ("pdf",), out_dir=tmp_path)
    info = PdfReader(result.outputs[0]).metadata
    assert str(info.get("/CreationDate", "")).startswith("D:20170714")
    assert json.loads((tmp_path / "report.json").read_text())["date_source"] == "SOURCE_DATE_EPOCH"


def test_missing_glyph_fails_and_keeps_the_last_good_pdf(typeset_project):
    project, first = typeset_project
    case = project.cases / "demo.md"
    good = case.read_text(encoding="utf-8")
    try:
        case.write_text(good + "\n这个字\ue000没有字形。\n", encoding="utf-8")
        with pytest.raises(ContentError) as err:
            build(project, ("pdf", "docx"))
        assert "U+E000" in str(err.value) and "demo.md" in str(err.value)
        assert (project.build / "测试汇编.pdf").read_bytes() == first["测试汇编.pdf"]
        assert (project.build / "测试汇编.docx").read_bytes() == first["测试汇编.docx"]
    finally:
        case.write_text(good, encoding="utf-8")


def test_a_broken_template_is_a_clear_error_not_a_traceback(project):
    template = project.styles / "templates" / "blocks.html.j2"
    template.write_text(template.read_text(encoding="utf-8") + "{% if %}\n", encoding="utf-8")
    run = run_cli("build", "--format", "pdf", cwd=project.root)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "styles/templates/blocks.html.j2:" in run.stderr and "template syntax" in run.stderr
