"""Readers: turn input files (collected articles, content files) into the content model.

`import_source` is the one entry point for collected articles: it picks the reader by the
file's suffix, so `publisher import`, `import --json` and the build's sync of
content/sources/ read every format alike.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from ..errors import ContentError
from .raw import ImportResult, import_raw

__all__ = ["ImportResult", "import_source", "SOURCE_SUFFIXES"]

# suffix → reader; every reader takes (bytes, display path) and returns an ImportResult
SOURCE_SUFFIXES = (".txt", ".text", ".md")


def import_source(data: bytes, path: str) -> ImportResult:
    """Import one collected article file, whatever its format (chosen by suffix)."""
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()
    if suffix in (".txt", ".text", ".md", ""):
        return import_raw(data, path)
    raise ContentError(f"cannot import {suffix} files: use .txt, .md, .html or .docx",
                       path=path)
