"""The image stage, run once before typesetting; both writers embed only its output.

- `files`: where a figure's file is inside content/ (never outside it);
- `decode`: safe opening (size limits before decoding, one-line problems);
- `process`: upright, sRGB, no metadata, printed size, JPEG for photos, PNG for line art;
- `layout`: the printed size of a figure's photos (one, or two side by side);
- `naming`: photos found as `content/images/<case id>/<n>.jpg` without editing a case file;
- `stage`: all figures, through a content-addressed cache in `build/.cache/images/`.
"""

from __future__ import annotations

from pathlib import Path

from .stage import FigureImages, PlacedImage, ResolvedImages, prepare_images

__all__ = [
    "FigureImages",
    "PlacedImage",
    "ResolvedImages",
    "prepare_images",
    "CACHE_FOLDER",
]

CACHE_FOLDER = Path(".cache") / "images"  # inside the build folder
