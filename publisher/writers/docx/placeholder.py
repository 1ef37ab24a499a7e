"""The picture a figure without its photo shows in the DOCX: a framed grey box with a
picture sign, inside a picture content control that Word and WPS fill in one click.

The PNG is drawn here with Pillow, the same bytes on every build (no text: a text would
need a CJK font and differ between machines); the control's title says 图片待补.
"""

from __future__ import annotations

import io
from functools import lru_cache

from ...imaging.layout import printed_sizes
from ...look.theme import Theme

# The box stands for a landscape photo (4:3), sized as the image stage would print one.
ASPECT = (4000, 3000)  # pixels: large enough that no resolution limit applies
NAME = "publisher-placeholder"  # wp:docPr/@name of the placeholder picture


@lru_cache(maxsize=4)
def placeholder_png(muted: str = "#555555") -> bytes:
    from PIL import Image, ImageDraw

    w, h = 400, 300
    image = Image.new("RGB", (w, h), (242, 242, 242))
    draw = ImageDraw.Draw(image)
    draw.rectangle((1, 1, w - 2, h - 2), outline=muted, width=3)
    # A picture sign: a sun and two hills in a frame, centred.
    draw.rectangle((140, 100, 260, 200), outline=muted, width=4)
    draw.ellipse((218, 112, 242, 136), outline=muted, width=4)
    draw.line((144, 196, 185, 150, 210, 176, 228, 160, 256, 196), fill=muted, width=4)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def placeholder_size_mm(theme: Theme) -> tuple[float, float]:
    """As a 4:3 photo would print in this figure."""
    return printed_sizes([ASPECT], theme)[0]
