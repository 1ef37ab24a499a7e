"""Shared fixtures: a small hand-built compendium, the project paths, tool checks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from publisher.look.theme import load_theme
from publisher.model import (
    Compendium,
)
from publisher.support.options import WriterOptions
from publisher.testing import books
from publisher.writers.preflight import run_preflight

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def output_of(write, compendium, theme, options, **kwargs):
    """A typesetting writer's output, given the pre-flight the build would give it."""
    pre = run_preflight(compendium, theme, options, files=kwargs.pop("files", None))
    return write(compendium, theme, options, pre, **kwargs)


def require_tool(name: str) -> str:
    """A system tool the test needs: skipped on a laptop without it, a failure in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (run ./run test, which installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def libreoffice_version() -> tuple[int, int]:
    """The installed LibreOffice's (major, minor) version, (0, 0) when none answers."""
    import re

    soffice = shutil.which("soffice")
    if soffice is None:
        return (0, 0)
    try:
        out = subprocess.run(
            [soffice, "--version"], capture_output=True, text=True, timeout=60
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return (0, 0)
    found = re.search(r"LibreOffice (\d+)\.(\d+)", out)
    return (int(found[1]), int(found[2])) if found else (0, 0)


# LibreOffice's PDF export, with the blank pages it inserts before right-hand openings (left
# out by default), so PDF page n is the book's physical page n.
LO_PDF = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def libreoffice_convert(source: Path, outdir: Path, target: str = LO_PDF) -> Path:
    """`source` opened by LibreOffice and saved as `target` ("docx:MS Word 2007 XML", or a
    PDF export) into `outdir`, with its own profile there; the converted file."""
    soffice = require_tool("soffice")
    run = subprocess.run(
        [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            f"-env:UserInstallation={(outdir / 'lo-profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    converted = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert converted.is_file(), f"LibreOffice wrote no {converted.name}"
    return converted


# A case with every kind of block (the scale tests and benchmarks build books of them).
_case = books.case


@pytest.fixture(scope="session")
def sample_compendium() -> Compendium:
    return books.sample_compendium()


@pytest.fixture(scope="session")
def theme():
    return load_theme(ROOT / "styles" / "theme.toml")


@pytest.fixture
def writer_options(tmp_path) -> WriterOptions:
    return WriterOptions(
        content_dir=tmp_path / "content", styles_dir=ROOT / "styles", date="2026-11-01"
    )
