"""Photos for screens: each photo of the image stage at a phone's and a wide screen's width.

The image stage makes one file per photo at its printed size (300 dpi, often 1500+ pixels
wide). A screen needs less: `WIDTHS` gives a copy for phones and one for wide screens, which
the page offers in a `srcset` so a phone loads the small one. Each copy is named by the hash
of the stage's file and its width, made once into a cache and the same bytes every time
(Pillow writes no dates).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape
from PIL import Image

from ..imaging import PlacedImage
from ..support.fileio import atomic_write

WIDTHS = (480, 960)  # pixels: a phone's column (1x-2x), a wide screen's measure at 2x
VERSION = "1"  # bump when the copies change
QUALITY = 80


@dataclass(frozen=True, slots=True)
class ScreenPhoto:
    """One photo as the screen shows it: its copies, smallest first."""

    copies: tuple[tuple[str, int, int], ...]  # file name, width, height
    files: dict[str, Path]  # file name -> the copy in the cache

    @property
    def largest(self) -> tuple[str, int, int]:
        return self.copies[-1]


def screen_photo(placed: PlacedImage, cache: Path) -> ScreenPhoto:
    """The copies of one processed photo, made into `cache` when not there yet."""
    source = placed.path.read_bytes()
    digest = hashlib.sha256(source + VERSION.encode()).hexdigest()[:20]
    suffix = ".png" if placed.format == "PNG" else ".jpg"
    width, height = placed.pixels
    copies = []
    files = {}
    for wanted in sorted({min(w, width) for w in WIDTHS}):
        name = f"{digest}-{wanted}{suffix}"
        size = (wanted, max(1, round(height * wanted / width)))
        path = cache / name
        if not path.is_file():
            atomic_write(path, _resized(source, size, placed.format))
        copies.append((name, *size))
        files[name] = path
    return ScreenPhoto(tuple(copies), files)


def _resized(source: bytes, size: tuple[int, int], fmt: str) -> bytes:
    with Image.open(io.BytesIO(source)) as opened:
        opened.load()
        image: Image.Image = opened
        if image.size != size:
            image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        image.info = {}
        out = io.BytesIO()
        if fmt == "PNG":
            image.save(out, "PNG", optimize=False, compress_level=9)
        else:
            image.convert("RGB").save(
                out, "JPEG", quality=QUALITY, optimize=True, progressive=True, subsampling=2
            )
        return out.getvalue()


def img_tags(
    photos: tuple[ScreenPhoto, ...], alt: str, prefix: str, *, srcset: bool = True
) -> Markup:
    """The `<img>` elements of a figure: with `srcset` and `sizes` for a web page (a pair
    shares the measure), or the largest copy alone (an EPUB, XHTML)."""
    share = "50vw" if len(photos) > 1 else "100vw"
    measure = "19em" if len(photos) > 1 else "38em"
    tags = []
    for photo in photos:
        name, width, height = photo.largest
        attrs = [
            f'src="{escape(prefix + name)}"',
            f'alt="{escape(alt)}"',
            f'width="{width}"',
            f'height="{height}"',
        ]
        if srcset:
            candidates = ", ".join(f"{prefix}{n} {w}w" for n, w, _ in photo.copies)
            attrs[0] = f'src="{escape(prefix + photo.copies[0][0])}"'
            attrs += [
                f'srcset="{escape(candidates)}"',
                f'sizes="(max-width: 40em) {share}, {measure}"',
                'loading="lazy"',
                'decoding="async"',
            ]
            tags.append(f"<img {' '.join(attrs)}>")
        else:
            tags.append(f"<img {' '.join(attrs)}/>")
    return Markup("".join(tags))
