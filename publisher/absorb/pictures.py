"""Pictures an editor put into figure placeholders, saved into content/images/."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Case
from ..support.fileio import content_digest
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


class UnprintablePicture(ValueError):
    """A picture format the writers cannot print (EMF, WMF, SVG …)."""


@dataclass
class PictureStore:
    """Chooses names for new pictures; writes nothing until `write` (after --dry-run)."""

    content: Path
    planned: dict[Path, bytes] = field(default_factory=dict)

    def save(self, picture: Picture, case: Case, number: int) -> str:
        ext = _EXTENSIONS.get(picture.ext)
        if ext is None:
            raise UnprintablePicture(
                f"the picture is {picture.ext.upper()}; insert it as JPEG or PNG"
            )
        images = self.content / "images"
        for existing in sorted(images.rglob("*")) if images.is_dir() else []:
            # a link out of content/ counts by where it leads, unread
            if existing.is_file() and content_digest(existing, (self.content,)).hex() == (
                picture.sha256
            ):
                return existing.relative_to(self.content).as_posix()  # already there
        for path, blob in self.planned.items():
            if _sha(blob) == picture.sha256:
                return path.relative_to(self.content).as_posix()
        # The image stage's naming rule (images/<case id>/<n>.jpg for 图 x-n), and the
        # case file links it too; never over another file.
        folder, n = images / case.id, 1
        path = folder / f"{number}.{ext}"
        while path.exists() or path in self.planned:
            n += 1
            path = folder / f"{number}-{n}.{ext}"
        self.planned[path] = picture.blob
        return path.relative_to(self.content).as_posix()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
