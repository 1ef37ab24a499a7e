"""The one guard of the patches to dependencies: the tested range, the shape of what is
patched, and patches that are put back when the code that needs them is done."""

from __future__ import annotations

import threading
import types

import pytest

from conftest import ROOT
from publisher.patches import PATCHES, guard, python_docx
from publisher.support.errors import EnvironmentProblem


def test_a_release_outside_the_tested_range_is_not_patched():
    tested = guard.Tested("weasyprint", ">=68,<71")
    assert tested.contains("68.0") and tested.contains("70.2")
    assert not tested.contains("67.9") and not tested.contains("71.0")
    assert not tested.contains("")


def test_a_changed_shape_is_named_and_nothing_is_patched(monkeypatch):
    assert guard.state(guard.PYDYF, lambda: None) == "ok"
    state = guard.state(guard.PYDYF, lambda: "PDF.page_references is no longer a property")
    assert state.startswith("pydyf ") and "no longer a property" in state


def test_speedups_can_be_turned_off_but_not_the_justification(monkeypatch):
    monkeypatch.setenv(guard.UNPATCHED, "1")
    assert "turned off" in guard.state(guard.PYDYF, lambda: None)
    assert guard.state(guard.WEASYPRINT, lambda: None, speedup=False) == "ok"


def test_a_patch_is_put_back_when_the_last_user_is_done():
    owner = types.SimpleNamespace(step=lambda: "original")
    original = owner.step
    entered, leave = threading.Event(), threading.Event()

    def other_thread():
        with guard.swapped(owner, step=lambda: "patched"):
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=other_thread)
    thread.start()
    entered.wait(10)
    with guard.swapped(owner, step=lambda: "patched"):
        assert owner.step() == "patched"
    assert owner.step() == "patched"  # the other thread is still inside
    leave.set()
    thread.join()
    assert owner.step is original


def test_every_patch_is_listed_with_what_it_fixes_and_its_upstream():
    for patch in PATCHES:
        assert patch.fixes and patch.upstream and patch.state() == "ok", patch.name
    notes = (ROOT / "benchmarks" / "NOTES.md").read_text(encoding="utf-8")
    assert all(patch.name in notes for patch in PATCHES)


def test_a_changed_part_factory_stops_the_docx_writer(monkeypatch):
    from docx.opc.part import PartFactory

    monkeypatch.setattr(PartFactory, "part_type_for", None)
    with pytest.raises(EnvironmentProblem, match="part_type_for"), python_docx.xml_parts():
        pass


def test_the_xml_parts_are_registered_only_while_the_writer_runs():
    from docx.opc.constants import CONTENT_TYPE
    from docx.opc.part import PartFactory, XmlPart

    assert CONTENT_TYPE.WML_FONT_TABLE not in PartFactory.part_type_for
    with python_docx.xml_parts():
        assert PartFactory.part_type_for[CONTENT_TYPE.WML_FONT_TABLE] is XmlPart
    assert CONTENT_TYPE.WML_FONT_TABLE not in PartFactory.part_type_for
