"""The flush-justification hook: never silently ragged, reported by doctor, pinned WeasyPrint."""

from __future__ import annotations

import io
import re
import sys
import tomllib
from dataclasses import replace

import pytest
from pypdf import PdfReader

from conftest import ROOT, output_of
from publisher.model import Case, Compendium, Paragraph, Part
from publisher.support.options import WriterOptions
from publisher.writers.pdf import justify as pdf_justify
from publisher.writers.pdf import write_pdf
from publisher.writers.pdf.justify import JustificationUnavailable, hook_state


def _book() -> Compendium:
    text = "近年来，某县以党建为引领，推进脱贫攻坚，全县6156户、25783人已脱贫。" * 3
    case = Case(id="j", title="对齐", blocks=(Paragraph.of(text),))
    return Compendium(title="对齐测试", parts=(Part("", (case,)),))


@pytest.fixture
def broken_hook(monkeypatch):
    """WeasyPrint as a future release might be: text_align() no longer calls justify_line."""
    from weasyprint.layout import inline

    def text_align(context, line, available_width, last):  # calls nothing of ours
        return 0

    monkeypatch.setattr(inline, "text_align", text_align)


def test_hook_installs_in_the_installed_weasyprint():
    state = hook_state()
    assert state.ok, state.detail
    assert state.weasyprint


def test_a_hook_that_cannot_install_stops_the_build(broken_hook, theme, tmp_path):
    assert not hook_state().ok
    options = WriterOptions(content_dir=tmp_path, styles_dir=ROOT / "styles", tagged_pdf=False)
    with pytest.raises(JustificationUnavailable) as err:
        output_of(write_pdf, _book(), theme, options)
    message = str(err.value)
    assert "ragged" in message and "ragged_lines" in message and "\n" not in message
    assert err.value.exit_code == 2


def test_the_theme_may_accept_ragged_lines_and_the_build_says_so(broken_hook, theme, tmp_path):
    ragged = replace(theme, typography=replace(theme.typography, ragged_lines=True))
    options = WriterOptions(content_dir=tmp_path, styles_dir=ROOT / "styles", tagged_pdf=False)
    out = output_of(write_pdf, _book(), ragged, options)
    assert PdfReader(io.BytesIO(out.data)).pages
    assert any("not justified" in w for w in out.warnings)


def test_doctor_reports_the_hook(broken_hook, monkeypatch):
    from publisher.pipeline import doctor

    check = doctor._justification_check()
    assert check.name == "justification" and check.status == "missing"
    assert "text_align" in check.detail and "requirements.lock" in check.fix
    monkeypatch.undo()
    assert doctor._justification_check().status == "ok"


def test_weasyprint_is_pinned_to_the_tested_range_and_locked():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = [d for d in project["project"]["dependencies"] if d.startswith("weasyprint")]
    assert pins == ["weasyprint" + pdf_justify.TESTED_WEASYPRINT]
    lock = (ROOT / "requirements.lock").read_text()
    locked = re.search(r"^weasyprint==(\d+)", lock, re.M | re.I)
    assert locked and 68 <= int(locked.group(1)) < 71
    run = (ROOT / "run").read_text()
    assert "-c requirements.lock" in run and "requirements.lock" in run.split("stamp=")[1]
    assert sys.version_info >= (3, 11)
