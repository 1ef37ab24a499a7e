"""Case files belong to the editors: never re-imported over, ids never collide silently,
and every command reads and checks them the same way (issue 8, deliverables 1–3)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.pipeline import sources as sources_module
from publisher.pipeline.build import build
from publisher.pipeline.importing import import_files
from publisher.pipeline.lint import lint_project
from publisher.pipeline.project import Project
from publisher.pipeline.scaffold import init_project
from publisher.readers.casefile import is_edited
from publisher.support.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
SEED = "004_72b8bfec9142b5c8"
SEED_SOURCE = ROOT / "content" / "sources" / f"{SEED}.txt"
SEED_CASE = ROOT / "content" / "cases" / f"{SEED}.md"


@pytest.fixture
def project(tmp_path) -> Project:
    """A project holding the reviewed seed case 004 (17 corrections) and its raw article."""
    init_project(tmp_path, "测试汇编")
    project = Project(tmp_path)
    (project.sources / SEED_SOURCE.name).write_bytes(SEED_SOURCE.read_bytes())
    (project.cases / SEED_CASE.name).write_bytes(SEED_CASE.read_bytes())
    return project


def cli(project: Project, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "publisher", *args], capture_output=True, text=True, cwd=project.root
    )


def errors_of(exc: pytest.ExceptionInfo) -> list[str]:
    return [str(d) for d in exc.value.diagnostics] or [str(exc.value)]


# --- deliverable 1: a case file that fails to parse is never imported over ----------

BROKEN = {
    "yaml typo": (lambda t: t.replace("title: 党建领航", "title: [党建领航"), ":12:9:"),
    "body syntax": (lambda t: t + "\n**没有关闭的加粗\n", ":"),
    "bad image path": (lambda t: t + "\n![照片](../../etc/passwd)\n", ":"),
}


@pytest.mark.parametrize("how", sorted(BROKEN))
def test_a_case_file_that_fails_to_parse_stops_the_build_and_is_kept(project, how):
    edit, where = BROKEN[how]
    case_file = project.cases / SEED_CASE.name
    broken = edit(case_file.read_text(encoding="utf-8")).encode("utf-8")
    case_file.write_bytes(broken)
    source = project.sources / SEED_SOURCE.name
    source.write_bytes(source.read_bytes() + "\n补充一段。\n".encode())  # the source moves on
    run = cli(project, "build", "--format", "json")
    assert run.returncode == 1, run.stderr
    assert f"content/cases/{SEED}.md{where}" in run.stderr and "error" in run.stderr
    assert "review it" not in run.stdout + run.stderr and "Traceback" not in run.stderr
    assert case_file.read_bytes() == broken
    assert not list(project.cases.glob("*.new"))


def test_a_case_file_resaved_as_gbk_is_an_error_with_line_and_column(project):
    case_file = project.cases / SEED_CASE.name
    gbk = SEED_CASE.read_text(encoding="utf-8").encode("gb18030")
    case_file.write_bytes(gbk)
    with pytest.raises(ContentError) as err:
        build(project, ("json",))
    (line,) = errors_of(err)
    assert line.startswith(f"content/cases/{SEED}.md:2:") and "UTF-8" in line
    assert case_file.read_bytes() == gbk


def test_edited_case_file_keeps_its_corrections_and_gets_a_new_import_beside(project):
    case_file = project.cases / SEED_CASE.name
    before = case_file.read_bytes()
    source = project.sources / SEED_SOURCE.name
    source.write_bytes(source.read_bytes() + "\n补充一段。\n".encode())
    result = build(project, ("json",))
    assert case_file.read_bytes() == before  # all 17 corrections kept
    beside = project.cases / f"{SEED}.md.new"
    assert "补充一段" in beside.read_text(encoding="utf-8")
    warning = next(d for d in result.diagnostics if "has edits" in d.message)
    assert warning.path == f"content/cases/{SEED}.md" and f"{SEED}.md.new" in warning.message
    report = (project.build / "report.md").read_text(encoding="utf-8")
    assert f"content/cases/{SEED}.md.new" in report
    assert result.report.kept == [
        {"file": f"content/cases/{SEED}.md.new", "what": "new import beside an edited case file"}
    ]


def test_edited_is_decided_by_the_case_file_not_by_build(project):
    """A fresh clone (empty build/): the importer's untouched file is refreshed, an
    edited one is kept."""
    plain = ROOT / "content" / "sources" / "000_b1767db4946b0b0f.txt"  # lints clean as imported
    source = project.sources / plain.name
    source.write_bytes(plain.read_bytes())
    build(project, ("json",))
    case_file = project.cases / "000_b1767db4946b0b0f.md"
    assert not is_edited(case_file.read_text(encoding="utf-8"))
    shutil.rmtree(project.build)  # a fresh clone: no build folder, no caches
    source.write_bytes(source.read_bytes() + "\n第一次补充。\n".encode())
    build(project, ("json",))
    assert "第一次补充" in case_file.read_text(encoding="utf-8")  # untouched: refreshed
    # CRLF and a BOM from an editor's tool are not edits ...
    case_file.write_bytes(b"\xef\xbb\xbf" + case_file.read_bytes().replace(b"\n", b"\r\n"))
    assert not is_edited(case_file.read_bytes().decode("utf-8"))
    # ... a changed word is
    edited = case_file.read_text(encoding="utf-8").replace("龙林智", "龙林")
    case_file.write_text(edited, encoding="utf-8")
    shutil.rmtree(project.build)  # a fresh clone: no build folder, no caches
    source.write_bytes(source.read_bytes() + "\n第二次补充。\n".encode())
    build(project, ("json",))
    assert case_file.read_text(encoding="utf-8") == edited
    assert "第二次补充" in (project.cases / "000_b1767db4946b0b0f.md.new").read_text("utf-8")


def test_import_force_replaces_an_edited_case_file_and_keeps_a_backup(project):
    case_file = project.cases / SEED_CASE.name
    before = case_file.read_bytes()
    lines: list[str] = []
    source = project.sources / SEED_SOURCE.name
    import_files(
        project.root,
        (source,),
        as_json=False,
        force=False,
        echo=lambda *a, **k: lines.append(str(a[0]) if a else ""),
    )
    assert case_file.read_bytes() == before and (project.cases / f"{SEED}.md.new").is_file()
    import_files(
        project.root,
        (source,),
        as_json=False,
        force=True,
        echo=lambda *a, **k: lines.append(str(a[0]) if a else ""),
    )
    assert (project.cases / f"{SEED}.md.bak").read_bytes() == before
    assert case_file.read_bytes() != before and not is_edited(case_file.read_text("utf-8"))
    assert not (project.cases / f"{SEED}.md.new").exists()
    assert any(".md.bak" in line for line in lines)


# --- deliverable 2: ids ----------------------------------------------------------------


def _seed_text() -> bytes:
    return SEED_SOURCE.read_bytes()


@pytest.mark.parametrize(
    "first, second",
    [
        ("000_x.txt", "000_x.md"),  # a source stem equal to another source's
        ("Article.txt", "article.txt"),  # names that differ only in letter case
    ],
)
def test_two_sources_giving_one_id_are_an_error_naming_both(project, first, second):
    (project.sources / first).write_bytes(_seed_text())
    (project.sources / second).write_bytes(_seed_text().replace("陈永刚".encode(), "王五".encode()))
    before = {p.name: p.read_bytes() for p in project.cases.iterdir()}
    run = cli(project, "build", "--format", "json")
    assert run.returncode == 1, run.stderr
    message = next(line for line in run.stderr.splitlines() if "same case id" in line)
    assert first in message and second in message
    assert {p.name: p.read_bytes() for p in project.cases.iterdir()} == before


def test_a_source_never_writes_over_another_case_file(project):
    hand = project.cases / "demo.md"
    hand.write_text("---\nid: demo\ntitle: 手写的案例\n---\n\n正文。\n", encoding="utf-8")
    before = hand.read_bytes()
    (project.sources / "demo.txt").write_bytes(_seed_text())
    with pytest.raises(ContentError) as err:
        build(project, ("json",))
    assert "content/sources/demo.txt" in str(err.value)
    assert "content/cases/demo.md" in str(err.value)
    assert hand.read_bytes() == before
    lines: list[str] = []
    with pytest.raises(ContentError):
        import_files(
            project.root,
            (project.sources / "demo.txt",),
            as_json=False,
            force=True,
            echo=lambda *a, **k: lines.append(a[0]),
        )
    assert hand.read_bytes() == before


def test_a_multi_case_source_and_a_source_named_like_one_of_its_cases(project):
    three = ROOT / "content" / "sources" / "003_cb2881a0ddc343a6.txt"
    (project.sources / three.name).write_bytes(three.read_bytes())
    (project.sources / "003_cb2881a0ddc343a6-1.txt").write_bytes(_seed_text())
    with pytest.raises(ContentError) as err:
        build(project, ("json",))
    text = str(err.value)
    assert "003_cb2881a0ddc343a6-1" in text and "003_cb2881a0ddc343a6.txt" in text
    owners = {
        sources_module.read_case_file(p.read_text("utf-8"), p.name).source_file
        for p in project.cases.glob("003*.md")
    }
    assert len(owners) <= 1  # never a mix: one source's files were not replaced by the other's


# --- deliverable 3: one path for checks ------------------------------------------------


def test_bom_and_crlf_case_files_build_and_lint_alike(project):
    case_file = project.cases / SEED_CASE.name
    case_file.write_bytes(b"\xef\xbb\xbf" + SEED_CASE.read_bytes().replace(b"\n", b"\r\n"))
    result = build(project, ("json",))
    assert not [d for d in result.diagnostics if d.severity == "error"]
    run = cli(project, "lint")
    assert run.returncode == 0, run.stdout + run.stderr
    assert " 0 errors" in " " + run.stderr
    build_lint = sorted(str(d) for d in result.diagnostics if "content/cases/" in d.path)
    assert sorted(run.stdout.splitlines()) == build_lint
    one = cli(project, "lint", f"content/cases/{SEED}.md")
    assert one.stdout == run.stdout


def test_lint_and_build_report_the_same_errors(project):
    (project.cases / "a.md").write_text(
        "---\nid: a\ntitle: 甲\n---\n\n上一篇:网页残留\n", encoding="utf-8"
    )
    (project.cases / "b.md").write_text("---\nid: b\ntitel: 乙\n---\n\n正文。\n", encoding="utf-8")
    (project.cases / "c.md").write_bytes("---\nid: c\ntitle: 丙\n---\n\n正文。\n".encode("gbk"))
    lint = cli(project, "lint")
    built = cli(project, "build", "--format", "json")
    assert lint.returncode == built.returncode == 1
    lint_errors = sorted(line for line in lint.stdout.splitlines() if ": error: " in line)
    build_errors = sorted(line for line in built.stderr.splitlines() if ": error: " in line)
    assert lint_errors == build_errors
    assert {e.split(":")[0] for e in lint_errors} == {
        "content/cases/a.md",
        "content/cases/b.md",
        "content/cases/c.md",
    }
    assert lint_project(project) == lint_project(project)


def test_import_and_build_apply_one_size_limit(project, monkeypatch):
    monkeypatch.setattr(sources_module, "MAX_BYTES", 1000)
    big = project.sources / "big.txt"
    big.write_bytes(_seed_text())
    with pytest.raises(ContentError) as from_build:
        build(project, ("json",))
    with pytest.raises(ContentError) as from_import:
        import_files(project.root, (big,), as_json=True, force=False, echo=print)
    found = errors_of(from_build)
    message = str(from_import.value).split(": error: ")[1]
    assert "more than the 1,000" in message
    assert f"content/sources/big.txt: error: {message}" in found
    assert not (project.cases / "big.md").exists()


def test_a_folder_of_mixed_files_imports_what_it_can_and_reports_the_rest(project):
    """Good articles are imported; a page with no article is an error naming it (with
    every other bad file, all at once); files it cannot read get a hint; Word's lock
    files are ignored."""
    (project.sources / "good.txt").write_text(
        "某县推进乡村振兴\n\n某县坚持党建引领，推动乡村振兴各项工作落实落细，成效明显。\n",
        encoding="utf-8",
    )
    (project.sources / "empty.html").write_text(
        "<html><head><title>首页</title></head><body><a href='/'>首页</a></body></html>",
        encoding="utf-8",
    )
    (project.sources / "~$good.docx").write_bytes(b"\x00lock")
    (project.sources / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (project.sources / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.raises(ContentError) as err:
        build(project, ("json",))
    found = errors_of(err)
    assert (project.cases / "good.md").is_file()
    assert [f for f in found if ": error: " in f] == [
        "content/sources/empty.html:1: error: no article text found in this web page file"
    ]
    assert "content/sources/old.doc: warning: not an article it can read: save it as .docx" in (
        "\n".join(found)
    )
    assert any(f.startswith("content/sources/photo.jpg: warning:") for f in found)
    assert not any("~$good.docx" in f for f in found)
    assert "1 file(s) in content/sources/ cannot be imported" in str(err.value)
