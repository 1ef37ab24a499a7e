"""The library API that `publisher` and `publisher serve` share: saving a case file as the
build reads it, and the book's order written into compendium.toml with its comments."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from publisher import api
from publisher.pipeline.buildlock import BuildRunning, build_lock
from publisher.pipeline.project import Project
from publisher.support.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path) -> Project:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    return Project(tmp_path)


def _first_case_file(project: Project) -> Path:
    return project.case_files()[0]


def test_a_file_that_does_not_parse_is_refused_with_its_line_and_nothing_written(project):
    path = _first_case_file(project)
    before = path.read_bytes()
    broken = before.decode().replace("title:", "title: [unclosed", 1)
    with pytest.raises(ContentError) as refused:
        api.save_case_file(project, path, broken, expected=api.digest(before))
    assert refused.value.path == project.display(path) and refused.value.line > 1
    assert path.read_bytes() == before


def test_a_file_changed_on_disk_since_it_was_opened_is_never_overwritten(project):
    path = _first_case_file(project)
    opened = path.read_bytes()
    theirs = opened.decode().replace("融水", "融水县", 1)
    path.write_text(theirs, encoding="utf-8")  # a text editor saved meanwhile
    mine = opened.decode() + "\n新的一段。\n"
    with pytest.raises(api.SaveConflict) as refused:
        api.save_case_file(project, path, mine, expected=api.digest(opened))
    assert refused.value.on_disk == theirs
    assert path.read_text(encoding="utf-8") == theirs


def test_a_save_is_linted_as_the_build_lints(project):
    path = _first_case_file(project)
    opened = path.read_bytes()
    text = opened.decode().replace("date: ''", "date: ''", 1) + "\n正文,有半角逗号。\n"
    check = api.save_case_file(project, path, text, expected=api.digest(opened))
    assert path.read_text(encoding="utf-8") == text
    assert check.case is not None
    from publisher.pipeline.lint import lint_project

    wanted = {str(d) for d in lint_project(project) if d.path == project.display(path)}
    assert {str(d) for d in check.findings} == wanted


def test_case_files_are_named_only_inside_content_cases(project):
    for bad in ("../compendium.toml", "..", "x/../../a.md", ".hidden.md", "a.txt", ""):
        with pytest.raises(ContentError):
            api.case_file(project, bad)
    assert api.case_file(project, "a.md") == (project.cases / "a.md").resolve()


def test_reorder_moves_a_case_to_another_part_keeping_the_comments(project):
    settings = project.settings_file
    before = settings.read_text(encoding="utf-8")
    groups = api.book_order(api.load(project))
    moved = groups[3].cases[0]
    groups[3] = api.Group(groups[3].title, groups[3].cases[1:])
    groups[0] = api.Group(groups[0].title, (*groups[0].cases, moved))
    api.reorder(project, groups, expected=api.digest(settings.read_bytes()))
    after = settings.read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if line.startswith("#")]
    assert comments == [line for line in after.splitlines() if line.startswith("#")]
    table = tomllib.loads(after)
    assert table["parts"][0]["cases"][-1] == moved
    assert moved not in table["parts"][3]["cases"]
    assert [g.cases for g in api.book_order(api.load(project))] == [g.cases for g in groups]


def test_reorder_is_refused_when_the_settings_changed_or_name_an_unknown_case(project):
    settings = project.settings_file
    groups = api.book_order(api.load(project))
    with pytest.raises(ContentError, match="changed on disk"):
        api.reorder(project, groups, expected="0" * 64)
    before = settings.read_bytes()
    groups[0] = api.Group(groups[0].title, (*groups[0].cases, "no-such-case"))
    with pytest.raises(ContentError, match="no-such-case"):
        api.reorder(project, groups, expected=api.digest(before))
    assert settings.read_bytes() == before


def test_import_guesses_stand_until_the_case_file_is_edited(project, tmp_path):
    article = tmp_path / "yongjia-copy.txt"
    article.write_bytes((ROOT / "content" / "sources" / "004_72b8bfec9142b5c8.txt").read_bytes())
    outcome = api.import_files(project, (article,))
    (case,) = outcome.cases
    found = api.guesses(project, api.load(project))[case.id]
    assert found and all("guess:" in d.message for d in found)
    assert all(d.path == "content/sources/yongjia-copy.txt" for d in found)
    path = project.cases / f"{case.id}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("陈永刚", "陈永刚 ", 1), "utf-8")
    assert case.id not in api.guesses(project, api.load(project))  # reviewed


def test_a_case_proof_is_kept_while_the_build_lock_is_held(project):
    """What stores a proof in build/ does it under the build lock: a build waiting for the
    lock sweeps half-written files away when it starts."""
    loaded = api.load(project)
    case = loaded.compendium.cases[0]
    kept = []

    def keep(proof) -> None:
        with pytest.raises(BuildRunning), build_lock(project.build, wait=False):
            pass
        kept.append(proof)

    proof = api.proof_case(project, loaded, case.id, 7, keep=keep)
    assert proof is not None and kept == [proof]
    assert proof.pages >= 1 and proof.data.startswith(b"%PDF")
