"""The writer interface: the build runs every writer alike, on one pre-flight."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from publisher.look import fonts
from publisher.pipeline.build import build
from publisher.pipeline.project import Project
from publisher.pipeline.scaffold import init_project
from publisher.writers import WRITERS, Writer, preflight

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "sources" / "000_b1767db4946b0b0f.txt"


@pytest.fixture
def project(tmp_path) -> Project:
    init_project(tmp_path, "测试汇编")
    (tmp_path / "content" / "sources" / SEED.name).write_bytes(SEED.read_bytes())
    return Project(tmp_path)


@dataclass
class _TextOutput:
    data: bytes
    warnings: tuple[str, ...] = ()


def test_a_new_format_is_one_more_writer(project, monkeypatch):
    seen = {}

    def write_text(compendium, theme, options, preflight, *, resources):
        seen["preflight"] = preflight
        titles = [f"{preflight.case_numbers[c.id]}. {c.title}" for c in compendium.cases]
        return _TextOutput("\n".join(titles).encode())

    monkeypatch.setitem(WRITERS, "txt", Writer("txt", ".txt", lambda: write_text))
    result = build(project, ("txt",))
    (path,) = result.outputs
    assert path.suffix == ".txt"
    assert path.read_text(encoding="utf-8") == "1. 融水：党建引领助推精准脱贫"
    assert seen["preflight"].figures  # numbered figures, from the one pre-flight


@pytest.mark.slow
def test_one_preflight_and_one_coverage_check_per_build(project, monkeypatch):
    calls = {"preflight": 0, "coverage": 0}
    real_preflight, real_coverage = preflight.run_preflight, fonts.check_coverage

    def counted_preflight(*args, **kwargs):
        calls["preflight"] += 1
        return real_preflight(*args, **kwargs)

    def counted_coverage(*args, **kwargs):
        calls["coverage"] += 1
        return real_coverage(*args, **kwargs)

    monkeypatch.setattr(preflight, "run_preflight", counted_preflight)
    monkeypatch.setattr(preflight, "check_coverage", counted_coverage)
    build(project, ("pdf", "docx"))
    assert calls == {"preflight": 1, "coverage": 1}


@pytest.mark.slow
def test_the_same_bytes_with_one_job_and_with_two(project, tmp_path):
    one = build(project, ("pdf", "docx"), out_dir=tmp_path / "one", jobs=1)
    two = build(project, ("pdf", "docx"), out_dir=tmp_path / "two", jobs=2)
    assert [p.name for p in one.outputs] == [p.name for p in two.outputs]
    for a, b in zip(one.outputs, two.outputs, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
