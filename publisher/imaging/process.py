"""One image made printable: upright, sRGB, no metadata, printed size, JPEG or PNG.

The result depends only on the source bytes and the arguments, so the same photo gives
the same bytes on every build (Pillow's encoders write no dates).
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from .decode import ImageProblem, load

ORIENTATION = 0x0112
_SWAPPED = (5, 6, 7, 8)  # EXIF orientations that turn the picture a quarter
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True, slots=True)
class Rendered:
    data: bytes
    format: str  # "JPEG" or "PNG"
    size: tuple[int, int]  # pixels


def upright_size(image: Image.Image) -> tuple[int, int]:
    """Width and height as the photo is meant to be seen (after its EXIF orientation)."""
    width, height = image.size
    return (height, width) if _orientation(image) in _SWAPPED else (width, height)


def render(image: Image.Image, size: tuple[int, int], *, dpi: int, quality: int) -> Rendered:
    """Decode `image` (opened, not loaded) and return it at `size` (upright pixels)."""
    source_format = image.format
    if source_format in ("JPEG", "MPO"):
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that is still large enough:
        # a 12-megapixel photo printed 15 cm wide never needs all its pixels decoded.
        stored = size[::-1] if _orientation(image) in _SWAPPED else size
        image.draft(None, stored)
    load(image)
    palette_like = image.mode in ("P", "1") or source_format == "GIF"
    # A broken EXIF block: keep the pixels as stored.
    with contextlib.suppress(ValueError, OSError, SyntaxError):
        image = ImageOps.exif_transpose(image)
    image = _to_srgb(image)
    # Line art (a chart, a scanned notice, a logo) stays sharp as PNG; judged before
    # resampling, which blends its few colours into many.
    line_art = palette_like or (
        source_format not in ("JPEG", "MPO") and image.getcolors(256) is not None
    )
    if image.size != size:
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    transparent = image.mode == "RGBA" and image.getchannel("A").getextrema() != (255, 255)
    if image.mode == "RGBA" and not transparent:
        image = image.convert("RGB")
    image.info = {}  # no EXIF, GPS, XMP, ICC or comments travel to the output
    out = io.BytesIO()
    if transparent or line_art:
        image.save(out, "PNG", optimize=False, compress_level=9, dpi=(dpi, dpi))
        return Rendered(out.getvalue(), "PNG", image.size)
    image.save(
        out,
        "JPEG",
        quality=quality,
        optimize=True,
        progressive=False,
        dpi=(dpi, dpi),
        subsampling="4:2:0",
    )
    return Rendered(out.getvalue(), "JPEG", image.size)


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(ORIENTATION, 1))
    except (ValueError, OSError, SyntaxError, TypeError):
        return 1


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB, RGBA or L in sRGB: colour profiles applied, 16-bit and CMYK converted."""
    icc = image.info.get("icc_profile")
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):  # 16-bit grey
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode in ("LA", "PA", "La", "RGBa"):
        image = image.convert("RGBA")
    elif image.mode == "1":
        image = image.convert("L")
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        converted = _apply_profile(image, icc)
        if converted is not None:
            return converted
    if image.mode in ("RGB", "RGBA", "L"):
        return image
    if image.mode == "F":
        raise ImageProblem("holds floating-point pixels; save it as an 8-bit JPEG or PNG")
    return image.convert("RGB")  # CMYK without a profile, YCbCr, LAB, HSV


def _apply_profile(image: Image.Image, icc: bytes) -> Image.Image | None:
    """Convert from the embedded profile to sRGB; None when it is sRGB or unusable."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(profile).lower().replace(" ", ""):
            return None
        alpha = image.getchannel("A") if image.mode == "RGBA" else None
        base = image.convert("RGB") if alpha is not None else image
        out_mode = "L" if base.mode == "L" else "RGB"
        converted = ImageCms.profileToProfile(
            base, profile, _SRGB, outputMode=out_mode, renderingIntent=ImageCms.Intent.PERCEPTUAL
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    if converted is None:
        return None
    if alpha is not None:
        converted.putalpha(alpha)
    return converted
