"""Files dropped on the Import and Absorb pages: kept by their bare names in a folder of
their own outside the project, only of the kinds and sizes the commands accept. From there
`publisher import` and `absorb` take them, and write only where they always write."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request

from ..pipeline.sources import MAX_BYTES
from ..support.errors import PublisherError

MAX_UPLOAD = MAX_BYTES  # an article's limit (pipeline/sources.py); a DOCX's too
MAX_FILES = 50
_SAFE_NAME = re.compile(r"^[^/\\\x00-\x1f]{1,200}$")


def too_large(request: Request, files: int) -> bool:
    """An upload refused by its declared size, before it is read."""
    declared = request.headers.get("content-length", "")
    return declared.isdigit() and int(declared) > files * MAX_UPLOAD + 100_000


async def save_uploads(
    parent: Path, files: list[UploadFile], suffixes: tuple[str, ...]
) -> list[Path]:
    """The uploads in a new folder under `parent`; a bad name, kind or size refuses all."""
    folder = Path(tempfile.mkdtemp(dir=parent))
    saved = []
    for upload in files:
        name = Path((upload.filename or "").replace("\\", "/")).name
        if not name or name.startswith(".") or not _SAFE_NAME.match(name):
            raise PublisherError(f"文件名不可用：{upload.filename!r}")
        if not name.lower().endswith(suffixes):
            raise PublisherError(f"{name}: 不支持的文件类型（可用：{'、'.join(suffixes)}），未导入")
        data = await upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise PublisherError(f"{name}: 文件超过 {MAX_UPLOAD // 1_000_000} MB，未导入")
        target = folder / name
        target.write_bytes(data)
        saved.append(target)
    return saved
