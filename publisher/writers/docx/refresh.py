"""`publisher docx-refresh FILE`: an edited DOCX's TOC, page references and figure numbers
brought up to date in the editor's own file, in place.

The fields are updated as Word's "update fields" would (`fields.py`): SEQ and REF results
in Python, the TOC's entries from the headings in body order, and its page numbers from
a headless LibreOffice layout of the file. Only those cached results (and a `_Toc`
bookmark for a new heading) change: styles, sections, headers and everything else stay as
the editor left them; LibreOffice's own save of a DOCX would rename styles and turn each
case's first page into a section of its own. The file as it was is kept as
`<name>.before-refresh.docx` (a later refresh keeps it and adds `-2`, `-3` …), the new
file replaces it in one rename; a failure leaves the file untouched.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import docx

from ...support.errors import ContentError, EnvironmentProblem
from .document import TocEntry
from .fields import TocLine, rebuild_toc, update_numbers
from .toc_pages import find_uno_python, page_numbers


def backup_path(path: Path, n: int = 1) -> Path:
    number = f"-{n}" if n > 1 else ""
    return path.with_name(f"{path.stem}.before-refresh{number}{path.suffix}")


def new_backup(path: Path) -> Path:
    """Where the file as it is now is kept: `.before-refresh.docx`, or, when that holds
    an earlier version already (a second refresh), the next free `-2`, `-3` …; a backup
    is never overwritten. The newest backup when it holds these very bytes."""
    data = path.read_bytes()
    n, last = 1, None
    while backup_path(path, n).exists() or backup_path(path, n).is_symlink():
        last = backup_path(path, n)
        n += 1
    if last is not None and last.is_file() and last.read_bytes() == data:
        return last
    return backup_path(path, n)


def refresh_docx(path: Path) -> Path:
    """Refresh `path` in place; returns the backup of the file as it was."""
    if not path.is_file():
        raise ContentError("no such file", path=str(path))
    if not zipfile.is_zipfile(path):
        raise ContentError("not a DOCX file (not a zip package)", path=str(path))
    if shutil.which("soffice") is None and not os.environ.get("PUBLISHER_SOFFICE"):
        raise EnvironmentProblem(
            "LibreOffice (soffice) is not installed: sudo apt-get install "
            "libreoffice-writer-nogui python3-uno"
        )
    if find_uno_python() is None:
        raise EnvironmentProblem(
            "no Python with LibreOffice's uno module: sudo apt-get install python3-uno"
        )
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise ContentError(f"not a readable DOCX file: {exc}", path=str(path)) from None
    body = document.element.body
    update_numbers(body)

    def pages(lines: list[TocLine]) -> dict[str, str]:
        buffer = io.BytesIO()
        document.save(buffer)
        entries = [TocEntry(line.level, line.text, line.bookmark, "") for line in lines]
        result = page_numbers(buffer.getvalue(), entries)
        if result.pages is None:
            why = "; ".join(result.warnings)
            raise EnvironmentProblem(f"{path} left as it was: no page numbers for its TOC ({why})")
        return result.pages

    rebuild_toc(body, document.styles.element, pages)
    return _replace(path, document)


def _replace(path: Path, document) -> Path:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".docx", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        document.save(str(tmp))
        backup = new_backup(path)
        if not backup.exists():
            shutil.copy2(path, backup)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return backup
