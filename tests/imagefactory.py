"""Test images of every kind editors send, made with Pillow inside the tests (no binaries).

`photo()` has a red block in its top-left corner and a blue one in its bottom-right, so a
pixel test can tell which way up a processed photo is.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

RED, BLUE = (220, 30, 30), (30, 30, 220)


def photo(width: int = 800, height: int = 600, seed: int = 1) -> Image.Image:
    """A photo-like RGB image: gradient, noise, and corner markers."""
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    image = Image.blend(base, noise, 0.35)
    rng = random.Random(seed)
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.ellipse(
            (x, y, x + width // 10, y + height // 10),
            fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
        )
    draw.rectangle((0, 0, width // 4, height // 4), fill=RED)
    draw.rectangle((width * 3 // 4, height * 3 // 4, width, height), fill=BLUE)
    return image


def save(image: Image.Image, path: Path, fmt: str, **params) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, **params)
    return path


def without_app_headers(jpeg: bytes) -> bytes:
    """The JPEG with its APPn segments (JFIF, Exif, Adobe) removed, as some cameras and
    "Save for Web" exports write it: python-docx cannot tell what such a file is."""
    assert jpeg[:2] == b"\xff\xd8"
    out, pos = bytearray(b"\xff\xd8"), 2
    while jpeg[pos] == 0xFF and 0xE0 <= jpeg[pos + 1] <= 0xEF:
        length = struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]
        pos += 2 + length
    out += jpeg[pos:]
    return bytes(out)


def headerless_progressive_jpeg(path: Path, image: Image.Image | None = None) -> Path:
    buffer = io.BytesIO()
    (image or photo()).save(buffer, "JPEG", quality=90, progressive=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(without_app_headers(buffer.getvalue()))
    return path


def exif_with(orientation: int = 1, gps: bool = False) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 5.0)}
    return exif


def bomb_png(path: Path, width: int = 20000, height: int = 20000) -> Path:
    """A tiny PNG whose header claims `width`×`height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * (width * 3 + 1) * 4)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    return path
