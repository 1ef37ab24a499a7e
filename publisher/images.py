"""Figure images: where a figure's file is, and whether it is one both writers can print.

The PDF and DOCX writers resolve images through `image_file`, so a file counts as missing
(and gets a placeholder) in both or in neither. `check_images` runs before typesetting and
names the case file and line of a bad image.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ContentError
from .model import Compendium

# What python-docx can embed and WeasyPrint can draw.
PRINTABLE_FORMATS = {"JPEG", "PNG", "GIF", "BMP", "TIFF"}


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


def check_images(compendium: Compendium, content_dir: Path, files: dict[str, str],
                 missing_images: str) -> None:
    """Every figure image that exists is a readable JPEG/PNG/GIF/BMP/TIFF inside content/;
    with missing_images = "error", every figure has one."""
    from PIL import Image, UnidentifiedImageError

    content = content_dir.resolve()
    for case, nf in compendium.iter_figures():
        where = files.get(case.id, case.id)
        fig = nf.figure
        if fig.image and not (content / fig.image).resolve().is_relative_to(content):
            raise ContentError(f"{nf.label}: image {fig.image!r} is outside content/",
                               path=where, line=fig.line)
        path = image_file(content_dir, fig.image)
        if path is None:
            if missing_images == "error":
                what = f"image {fig.image!r} not found in content/" if fig.image else "no image"
                raise ContentError(f"{nf.label}: {what} (missing_images = \"error\")",
                                   path=where, line=fig.line)
            continue
        try:
            with Image.open(path) as im:
                kind = im.format
                im.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ContentError(f"{nf.label}: {fig.image!r} is not a readable image ({exc})",
                               path=where, line=fig.line) from None
        if kind not in PRINTABLE_FORMATS:
            raise ContentError(f"{nf.label}: {fig.image!r} is {kind}; save it as JPEG or PNG",
                               path=where, line=fig.line)
