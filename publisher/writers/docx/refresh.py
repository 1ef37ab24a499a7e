"""`publisher docx-refresh FILE`: an edited DOCX's TOC, page references, figure numbers and
running heads brought up to date by LibreOffice, in place.

LibreOffice (headless, its own profile) opens the file, updates its fields and indexes
and saves a DOCX beside it; that copy then replaces the file in one rename, after the
original is kept as `<name>.before-refresh.docx`. A failure leaves the file untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from ...support.errors import ContentError, EnvironmentProblem
from .toc_pages import find_uno_python, run_uno_script

SCRIPT = Path(__file__).with_name("lo_refresh.py")


def backup_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.before-refresh{path.suffix}")


def refresh_docx(path: Path) -> Path:
    """Refresh `path` in place; returns the backup of the original."""
    if not path.is_file():
        raise ContentError("no such file", path=str(path))
    if not zipfile.is_zipfile(path):
        raise ContentError("not a DOCX file (not a zip package)", path=str(path))
    if shutil.which("soffice") is None and not os.environ.get("PUBLISHER_SOFFICE"):
        raise EnvironmentProblem(
            "LibreOffice (soffice) is not installed: sudo apt-get install "
            "libreoffice-writer-nogui python3-uno"
        )
    python = find_uno_python()
    if python is None:
        raise EnvironmentProblem(
            "no Python with LibreOffice's uno module: sudo apt-get install python3-uno"
        )
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".docx", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _run(python, path, tmp)
        if not zipfile.is_zipfile(tmp):
            raise EnvironmentProblem(f"LibreOffice wrote no DOCX for {path}")
        shutil.copy2(path, backup_path(path))
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return backup_path(path)


def _run(python: str, source: Path, target: Path) -> None:
    try:
        run_uno_script(python, SCRIPT, str(source), str(target))
    except RuntimeError as exc:
        raise EnvironmentProblem(f"LibreOffice could not refresh {source}: {exc}") from None
