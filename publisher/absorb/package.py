"""Open the DOCX an editor hands in: refuse what is not a readable Word file, in one line."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ..support.errors import ContentError
from ..support.package import check_package

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: encrypted DOCX, or an old .doc
MAX_BYTES = 200_000_000
# python-docx's refusal names the stream it read and the content type it found.
_MAIN_TYPE = re.compile(r"content type is '([^']*)'")
_LXML_WHERE = re.compile(r" \(<string>, line \d+\)")
_BUFFER = re.compile(r"'?<_io\.BytesIO object at 0x[0-9a-f]+>'?")


def open_docx(path: Path, shown: str):
    """The python-docx Document of `path`; ContentError naming the file for anything else."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        if path.stat().st_size > MAX_BYTES:
            raise ContentError(
                f"is larger than {MAX_BYTES:,} bytes: not a compendium DOCX", path=shown
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror}", path=shown) from None
    if data.startswith(_OLE):
        raise ContentError(
            "is password-protected (encrypted) or an old Word .doc: save it "
            "in Word or WPS without a password, as .docx, then absorb again",
            path=shown,
        )
    check_package(data, shown)  # what the members expand to, before any is unpacked
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            damaged = package.testzip()
            names = set(package.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ContentError(
            "is not a DOCX, or it is damaged or cut short (not a readable zip package)", path=shown
        ) from None
    if damaged is not None:
        raise ContentError(
            f"is damaged: {damaged} inside it does not read back (a download "
            "or copy was cut short?)",
            path=shown,
        )
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise ContentError("is not a Word document (no word/document.xml inside)", path=shown)
    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        kind = _MAIN_TYPE.search(str(exc))
        if kind is not None and "macroenabled" in kind.group(1).lower():
            raise ContentError(
                "is a macro-enabled Word document (.docm): save it in Word or WPS as a "
                "Word Document (.docx), then absorb that",
                path=shown,
            ) from None
        if kind is not None:
            raise ContentError(
                f"is not a Word document (its main part is {kind.group(1)})", path=shown
            ) from None
        raise ContentError(
            f"is not a readable Word document ({_one_line(exc)})", path=shown
        ) from None
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as exc:
        raise ContentError(
            f"is not a readable Word document ({_one_line(exc)})", path=shown
        ) from None
    except Exception as exc:  # lxml syntax errors and the like: a damaged part
        raise ContentError(
            f"is damaged: {type(exc).__name__}: {_one_line(exc)}", path=shown
        ) from None


def _one_line(exc: BaseException) -> str:
    """The exception's message on one line, without the name of python-docx's buffer."""
    return " ".join(_LXML_WHERE.sub("", _BUFFER.sub("the file", str(exc))).split())
