"""The case cache (build/.cache/cases/) and the fonts' kept character tables: a build
after an edit reads only the edited case file again, and what comes out (model, lint
findings, errors with file:line, font coverage) is the same with or without a cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publisher.look import fonts
from publisher.pipeline import casecache, caserules
from publisher.pipeline.casecache import FOLDER
from publisher.pipeline.lint import lint_project
from publisher.pipeline.project import Project, load_project
from publisher.pipeline.scaffold import init_project
from publisher.readers import casefile
from publisher.support.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("000_b1767db4946b0b0f", "001_a8e2ffcc3b22423d", "004_72b8bfec9142b5c8")
# A case with findings of every kind: a garbled date (error), no region/date/author.
EXTRA = "---\nid: extra\ntitle: 某村**发展**记\n---\n\n**一是抓班子。**今年20177月，村里修路。\n"


@pytest.fixture
def project(tmp_path) -> Project:
    init_project(tmp_path / "book", "测试汇编")
    project = Project(tmp_path / "book")
    for name in SEEDS:
        shutil.copy(ROOT / "content" / "cases" / f"{name}.md", project.cases)
    (project.cases / "extra.md").write_text(EXTRA, encoding="utf-8")
    return project


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The case files parsed (not taken from a cache), in order."""
    parsed: list[str] = []
    real = casefile.read_case_file

    def counted(text, path):
        parsed.append(path)
        return real(text, path)

    monkeypatch.setattr(casefile, "read_case_file", counted)
    return parsed


def outcome(project: Project):
    """Everything the three stages before typesetting give: the model (repr: every
    field, line numbers too), files, warnings, lint findings, font coverage."""
    loaded = load_project(project, write_cache=True)
    fonts.check_coverage(loaded.compendium, loaded.theme, loaded.files)
    return (
        repr(loaded.compendium),
        loaded.files,
        loaded.diagnostics,
        [str(d) for d in lint_project(project, loaded)],
        [str(d) for d in lint_project(project)],  # `publisher lint`: loads by itself
    )


def fresh(project: Project, where: Path):
    """The outcome for a copy of the project that has never been built (no cache)."""
    copy = Project(where)
    shutil.copytree(project.content, copy.content)
    shutil.copytree(project.styles, copy.styles)
    return outcome(copy)


def entries(project: Project) -> list[Path]:
    return sorted((project.build / FOLDER).glob("*.json"))


def test_the_outcome_is_the_same_with_and_without_the_cache(project, tmp_path, parses):
    first = outcome(project)
    assert len(parses) == 4  # by the first load; lint's own load reads its entries
    assert any(": error: garbled date '20177月'" in d for d in first[3]), first[3]
    assert any("extra.md:1: warning: no region" in d for d in first[3]), first[3]
    assert len(entries(project)) == 4
    parses.clear()
    assert outcome(project) == first  # every case from the cache
    assert parses == []
    assert fresh(project, tmp_path / "a") == first

    case = project.cases / f"{SEEDS[1]}.md"
    case.write_text(
        case.read_text(encoding="utf-8") + "\n新增一段：全村去年20187月通电。\n", encoding="utf-8"
    )
    parses.clear()
    edited = outcome(project)
    assert parses == [f"content/cases/{SEEDS[1]}.md"]  # only the edited case, once
    assert edited == fresh(project, tmp_path / "b")
    assert edited != first
    assert any(f"{SEEDS[1]}.md" in d and "'20187月'" in d for d in edited[3]), edited[3]
    assert len(entries(project)) == 4  # the edited case's old entry is removed


def test_an_unchanged_case_is_not_parsed_linted_or_scanned_again(project, monkeypatch, parses):
    load_project(project, write_cache=True)
    checked: list[str] = []
    scanned: list[str] = []
    real_check, real_chars = caserules.check_text_file, fonts.case_chars
    monkeypatch.setattr(
        caserules, "check_text_file", lambda t, p: checked.append(p) or real_check(t, p)
    )
    monkeypatch.setattr(fonts, "case_chars", lambda c: scanned.append(c.id) or real_chars(c))
    parses.clear()
    loaded = load_project(project, write_cache=True)
    lint_project(project, loaded)
    fonts.check_coverage(loaded.compendium, loaded.theme, loaded.files, chars=loaded.chars)
    assert (parses, checked, scanned) == ([], [], [])


def test_checks_across_cases_run_over_cached_cases_too(project, tmp_path, parses):
    outcome(project)
    seed = (project.cases / f"{SEEDS[0]}.md").read_text(encoding="utf-8")
    (project.cases / "copy.md").write_text(  # the same article under another id
        seed.replace(f"id: {SEEDS[0]}", "id: copy", 1), encoding="utf-8"
    )
    (project.cases / "zz.md").write_text(EXTRA.replace("村", "乡"), encoding="utf-8")
    parses.clear()
    found = [str(d) for d in lint_project(project) if d.severity == "error"]
    assert set(parses) == {"content/cases/copy.md", "content/cases/zz.md"}  # the others cached
    assert any(d.startswith("content/cases/copy.md:1: error: duplicate case") for d in found)
    assert "content/cases/zz.md:1: error: case id 'extra' is also used by" in "".join(found)
    assert found == [str(d) for d in fresh_lint(project, tmp_path / "a") if d.severity == "error"]


def fresh_lint(project: Project, where: Path):
    shutil.copytree(project.content, where / "content")
    shutil.copytree(project.styles, where / "styles")
    return lint_project(Project(where))


def test_entries_made_by_other_code_are_not_used(project, monkeypatch, parses):
    load_project(project, write_cache=True)
    monkeypatch.setattr(casecache, "code_fingerprint", lambda: "another version")
    parses.clear()
    load_project(project, write_cache=True)
    assert len(parses) == 4
    assert len(entries(project)) == 4  # the other version's entries removed


def test_a_damaged_entry_is_made_again(project, tmp_path, parses):
    first = outcome(project)
    damaged = entries(project)
    assert len(damaged) == 4
    damaged[0].write_bytes(damaged[0].read_bytes()[:200])  # cut short
    data = damaged[1].read_bytes()  # still JSON, one value changed
    damaged[1].write_bytes(data.replace(b'"strong": false', b'"strong": true ', 1))
    damaged[2].write_bytes(b"\x00\xff garbage")
    head, payload = damaged[3].read_bytes().split(b"\n", 1)  # from another version
    damaged[3].write_bytes(head + b"\n" + payload.replace(b'"case"', b'"kase"'))
    parses.clear()
    assert outcome(project) == first
    assert len(parses) == 4  # each damaged one read from its case file again ...
    parses.clear()
    assert outcome(project) == first
    assert parses == []  # ... and stored again
    assert fresh(project, tmp_path / "a") == first


def test_a_case_file_that_does_not_parse_is_never_stored(project, parses):
    broken = project.cases / "broken.md"
    broken.write_text("---\nid: broken\ntitle: 标题\n\n正文。\n", encoding="utf-8")
    for run in range(2):
        parses.clear()
        with pytest.raises(ContentError) as caught:
            load_project(project, write_cache=True)
        assert (caught.value.path, caught.value.line) == ("content/cases/broken.md", 1)
        assert "front matter is not closed" in caught.value.message
        assert len(parses) == 5 if run == 0 else parses == ["content/cases/broken.md"]
        found = [str(d) for d in lint_project(project) if d.severity == "error"]
        assert "content/cases/broken.md:1: error: front matter is not closed" in found[0]
    assert len(entries(project)) == 4  # the four good ones only


def test_lint_reads_the_cache_and_writes_nothing(project, parses):
    shutil.rmtree(project.build)
    lint_project(project)
    load_project(project)  # as `publisher model`, `absorb` and `doctor` load it
    assert not project.build.exists()  # no cache made but by the build
    load_project(project, write_cache=True)  # the build's load makes it
    (project.cases / f"{SEEDS[0]}.md").unlink()  # lint neither prunes ...
    (project.cases / "extra.md").write_text(EXTRA + "\n再加一句。\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}
    parses.clear()
    lint_project(project)
    after = {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}
    assert after == before  # ... nor stores
    assert parses == ["content/cases/extra.md"]  # the others from the cache


def test_no_cache_when_the_build_folder_cannot_be_written(project, tmp_path):
    shutil.rmtree(project.build)
    project.build.write_text("not a folder\n", encoding="utf-8")
    assert outcome(project) == fresh(project, tmp_path / "a")
    assert project.build.read_text(encoding="utf-8") == "not a folder\n"


def test_the_fonts_character_tables_are_kept_and_remade_when_damaged(
    project, tmp_path, monkeypatch
):
    loaded = load_project(project, write_cache=True)
    read: list[str] = []
    real = fonts._cmap.__wrapped__
    monkeypatch.setattr(fonts, "_cmap", lambda f, i: read.append(f) or real(f, i))
    monkeypatch.setattr(fonts, "_KEPT", {})
    folder = tmp_path / "fonts"
    stacks = fonts.check_coverage(loaded.compendium, loaded.theme, cache=folder)
    faces = {(f.file, f.index) for role in fonts.ROLES for f in getattr(stacks, role)}
    assert len(read) == len(faces) and len(list(folder.glob("*.json"))) == len(faces)
    tables = sorted(folder.glob("*.json"))
    tables[0].write_bytes(tables[0].read_bytes()[:100])
    tables[-1].write_text(tables[-1].read_text().replace('"ranges": [', '"ranges": [[1, 1], '))
    (folder / "stale.json").write_text("{}")
    for damaged in (2, 0):  # the damaged two read from their fonts again, then kept
        read.clear()
        monkeypatch.setattr(fonts, "_KEPT", {})
        assert fonts.check_coverage(loaded.compendium, loaded.theme, cache=folder) == stacks
        assert len(read) == damaged
    assert {p.name for p in folder.glob("*.json")} == {p.name for p in tables}
    for face in faces:  # a kept table is the font's cmap exactly
        monkeypatch.setattr(fonts, "_KEPT", {})
        kept = fonts._codes(fonts.Face("x", *face), folder, set())
        assert [list(r) for r in zip(kept.firsts, kept.lasts, strict=True)] == fonts._ranges(
            real(*face)
        )
        assert all(code in kept for code in real(*face))


def test_a_character_no_font_has_is_found_in_a_cached_case(project, tmp_path, monkeypatch):
    (project.cases / "extra.md").write_text(EXTRA + "\n第二段有\U0010fffd字。\n", encoding="utf-8")
    load_project(project, write_cache=True)
    monkeypatch.setattr(fonts, "_KEPT", {})
    loaded = load_project(project, write_cache=True)  # from the cache: its characters too
    with pytest.raises(ContentError) as cached:
        fonts.check_coverage(
            loaded.compendium, loaded.theme, loaded.files, cache=tmp_path, chars=loaded.chars
        )
    with pytest.raises(ContentError) as uncached:
        fonts.check_coverage(loaded.compendium, loaded.theme, loaded.files)
    assert str(cached.value) == str(uncached.value)
    assert (cached.value.path, cached.value.line) == ("content/cases/extra.md", 8)
    assert "U+10FFFD" in cached.value.message
