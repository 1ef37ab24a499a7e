"""Figure images: where a figure's file is inside content/.

The image stage (`stage.py`) resolves every figure through `image_file`, so a
file counts as missing (and gets a placeholder) in both writers or in neither; it then
checks, sizes and processes the file before typesetting.
"""

from __future__ import annotations

from pathlib import Path


def image_file(content_dir: Path, image: str) -> Path | None:
    """The figure's file inside `content_dir`, or None when it has none or it is missing.
    Never a path outside the content folder (the model already refuses `..` and `/`)."""
    if not image:
        return None
    content = content_dir.resolve()
    path = (content / image).resolve()  # resolve(): a symlink pointing outside is outside
    if not path.is_relative_to(content) or not path.is_file():
        return None
    return path
