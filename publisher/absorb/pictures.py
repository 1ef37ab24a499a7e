"""Pictures an editor put into figure placeholders, saved into content/images/.

A picture is saved only when its bytes decode as an image the writers print (its pixel
count checked before decoding, as the build does), and only into content/images/<case>/
as real folders: a symlinked images folder would put the file outside the project.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..imaging.decode import ImageProblem, load, open_image, strict_decoding
from ..model import Case
from ..support.errors import ContentError
from .reader import Picture

# What both writers can print (images.PRINTABLE_FORMATS), by the part's file extension.
_EXTENSIONS = {
    "jpeg": "jpg",
    "jpg": "jpg",
    "png": "png",
    "gif": "gif",
    "bmp": "bmp",
    "tif": "tif",
    "tiff": "tif",
}
# The same, by what Pillow finds in the bytes (a part's name may say otherwise).
_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "GIF": "gif", "BMP": "bmp", "TIFF": "tif"}


class UnprintablePicture(ValueError):
    """A picture format the writers cannot print (EMF, WMF, SVG …), or not an image."""


@dataclass
class PictureStore:
    """Chooses names for new pictures; writes nothing (absorb writes `planned`)."""

    content: Path
    planned: dict[Path, bytes] = field(default_factory=dict)

    def save(self, picture: Picture, case: Case, number: int) -> str:
        if _EXTENSIONS.get(picture.ext) is None:
            raise UnprintablePicture(
                f"the picture is {picture.ext.upper()}; insert it as JPEG or PNG"
            )
        ext = _decoded_extension(picture)
        images = self.content / "images"
        folder = images / case.id
        for path in (images, folder):
            refuse_symlink(path, self.content)
        for existing in sorted(images.rglob("*")) if images.is_dir() else []:
            if existing.is_symlink() or not existing.is_file():
                continue  # never read through a link (it may lead out of the project)
            if _sha(existing.read_bytes()) == picture.sha256:
                return existing.relative_to(self.content).as_posix()  # already there
        for path, blob in self.planned.items():
            if _sha(blob) == picture.sha256:
                return path.relative_to(self.content).as_posix()
        # The image stage's naming rule (images/<case id>/<n>.jpg for 图 x-n), and the
        # case file links it too; never over another file.
        n = 1
        path = folder / f"{number}.{ext}"
        while path.exists() or path.is_symlink() or path in self.planned:
            n += 1
            path = folder / f"{number}-{n}.{ext}"
        self.planned[path] = picture.blob
        return path.relative_to(self.content).as_posix()


def refuse_symlink(path: Path, content: Path) -> None:
    """ContentError when `path` is a symlink (or not a folder): a file written through
    it could land outside the project."""
    if path.is_symlink():
        raise ContentError(
            "is a symbolic link: absorb writes only into real folders inside content/ "
            "(replace the link by the folder itself); nothing was written",
            path=f"content/{path.relative_to(content).as_posix()}",
        )
    if path.exists() and not path.is_dir():
        raise ContentError(
            "is not a folder: absorb writes into it; nothing was written",
            path=f"content/{path.relative_to(content).as_posix()}",
        )


def _decoded_extension(picture: Picture) -> str:
    """The extension of what the bytes are, once they decode (pixel count checked
    before decoding); UnprintablePicture when they do not."""
    try:
        with strict_decoding():
            image = open_image(picture.blob)
            try:
                found = _FORMATS.get(image.format or "")
                load(image)
            finally:
                image.close()
    except ImageProblem as exc:
        raise UnprintablePicture(f"the picture {exc}") from None
    if found is None:
        raise UnprintablePicture(f"the picture is {image.format}; insert it as JPEG or PNG")
    return found


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
