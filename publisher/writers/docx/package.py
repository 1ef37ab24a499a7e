"""The DOCX as reproducible bytes: fixed zip timestamps, entry order and attributes."""

from __future__ import annotations

import io
import zipfile

# The DOS epoch: zip stores local times from 1980 on; any fixed value makes builds equal.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_FIRST = ("[Content_Types].xml", "_rels/.rels")


def _order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name), "") if name in _FIRST else (len(_FIRST), name)


def reproducible_zip(data: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a zip (as python-docx saved it) with fixed metadata and sorted entries:
    `[Content_Types].xml` first, `_rels/.rels` second, then by name; the entries named in
    `replace` get the given bytes."""
    replace = replace or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in sorted(src.namelist(), key=_order):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, replace.get(name) or src.read(name), compresslevel=6)
    return out.getvalue()
