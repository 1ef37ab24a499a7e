"""Readers: turn input files (collected articles, content files) into the content model.

`import_source` is the one entry point for collected articles: it picks the reader by the
file's suffix, so `publisher import`, `import --json` and the build's sync of
content/sources/ read every format alike.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..support.errors import ContentError
from .raw import ImportResult, import_raw

__all__ = ["ImportResult", "import_source", "SOURCE_SUFFIXES"]

# suffix → reader; every reader takes (bytes, display path) and returns an ImportResult
SOURCE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".docx")


def import_source(data: bytes, path: str, origin: Path | None = None) -> ImportResult:
    """Import one collected article file, whatever its format (chosen by suffix).

    `path` is the display path for messages; `origin` the file on disk, where a saved
    web page's pictures are looked for (never fetched from the network).
    """
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()
    if suffix in (".txt", ".text", ""):
        return import_raw(data, path)
    if suffix in (".md", ".markdown"):
        from .markdown import import_markdown

        return import_markdown(data, path)
    if suffix in (".html", ".htm"):
        from .html import import_html

        return import_html(data, path, origin)
    if suffix == ".docx":
        from .docx import import_docx

        return import_docx(data, path)
    raise ContentError(f"cannot import {suffix} files: use .txt, .md, .html or .docx", path=path)
