"""Opening an editor's image safely: size limits before decoding, one-line problems.

Pillow reads the header on `open` and the pixels only on `load`, so the file size and the
pixel count are checked before anything is decoded: a 20000×20000 PNG of a few kilobytes
(a decompression bomb) is refused without allocating 1.2 GB.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageFile, UnidentifiedImageError

from ..support.fileio import MAX_PICTURE_MB, FileRefused, contained, read_limited

# What editors send: camera and phone JPEGs (the JPEG decoder also opens MPO, a JPEG
# with a second picture), PNG, WebP, TIFF, GIF, BMP and HEIC from iPhones. No other
# decoder runs on their files.
FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "GIF", "BMP", "HEIF")
MAX_MEGAPIXELS = 120  # a 108-megapixel phone photo passes; 20000×20000 does not

Image.MAX_IMAGE_PIXELS = MAX_MEGAPIXELS * 1_000_000


class ImageProblem(Exception):
    """Why an image cannot be printed, in words for an editor (no file or line: the
    caller adds the image, the case file and the line)."""


def read_source(path: Path, within: Iterable[Path] = ()) -> bytes:
    """The file's bytes, refusing empty and over-size files before reading them, and
    anything but a regular file inside the folders `within` (content/)."""
    try:
        size = contained(path, "", within).stat().st_size
    except FileRefused as refused:
        raise ImageProblem(refused.message) from None
    if size == 0:
        raise ImageProblem("is an empty file (0 bytes)")
    if size > MAX_PICTURE_MB * 2**20:
        raise ImageProblem(
            f"is {size / 2**20:.0f} MB; images up to {MAX_PICTURE_MB} MB are "
            "accepted (send a smaller export of the photo)"
        )
    try:
        return read_limited(path, "", limit=MAX_PICTURE_MB * 2**20, within=within)
    except FileRefused as refused:
        raise ImageProblem(refused.message) from None


def open_image(data: bytes) -> Image.Image:
    """The image's header, opened but not decoded; pixel count checked."""
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_formats())
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(
            f"has more than {MAX_MEGAPIXELS} megapixels; refused without "
            "decoding it (a decompression bomb or a scan far too large)"
        ) from None
    except UnidentifiedImageError:
        raise ImageProblem(_unidentified(data)) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageProblem(f"cannot be read: {_reason(exc)}") from None
    width, height = image.size
    if width * height > MAX_MEGAPIXELS * 1_000_000:
        raise ImageProblem(
            f"is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels);"
            f" images up to {MAX_MEGAPIXELS} megapixels are accepted"
        )
    if width < 1 or height < 1:
        raise ImageProblem(f"has no pixels ({width}×{height})")
    return image


@contextmanager
def strict_decoding() -> Iterator[None]:
    """Truncated files are errors while the stage decodes. WeasyPrint sets Pillow's
    process-wide LOAD_TRUNCATED_IMAGES on import, which would print half a photo grey."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def load(image: Image.Image) -> None:
    """Decode the pixels; a truncated or corrupt file becomes an ImageProblem."""
    try:
        image.load()
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
        raise ImageProblem(
            f"is damaged or incomplete ({_reason(exc)}); send the file again"
        ) from None


def _unidentified(data: bytes) -> str:
    head = data[:512]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and all(ch.isprintable() or ch in "\r\n\t" for ch in text.rstrip("\x00")):
        return "is a text file, not an image"
    return "is not an image in a format the build reads (JPEG, PNG, WebP, TIFF, GIF, BMP or HEIC)"


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _formats() -> tuple[str, ...]:
    Image.init()
    return tuple(f for f in FORMATS if f in Image.OPEN)  # HEIF only with pillow-heif


_heif_registered = False


def _register_heif() -> None:
    """HEIC (iPhone photos) through pillow-heif, when it is installed."""
    global _heif_registered
    if _heif_registered:
        return
    _heif_registered = True
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return
    register_heif_opener()
