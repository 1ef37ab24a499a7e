"""The theme: fonts, sizes, spacing, page and colours, read once for both writers.

A theme is a preset (book, gongwen, book-16k: `presets/*.toml` in this folder) with the
project's own values from `styles/theme.toml` over it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..support.config import key_line, load_dataclass, read_toml
from ..support.errors import ContentError

PAGE_SIZES_MM = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "B5": (176.0, 250.0),
    "16K": (185.0, 260.0),  # 大16开, the usual Chinese book trim
}


@dataclass(frozen=True, slots=True)
class PageTheme:
    size: Literal["A4", "A5", "B5", "16K"] = "A4"
    margin_top: float = 25.0  # mm
    margin_bottom: float = 22.0
    margin_inside: float = 25.0  # binding side
    margin_outside: float = 20.0
    # A fixed grid (公文: 28 × 22): the body's characters and lines spaced to fill the text
    # block exactly. 0: as many whole characters as fit at the body size, lines at its
    # line height.
    chars_per_line: int = 0
    lines_per_page: int = 0
    running_heads: bool = True
    folio: Literal["center", "outside"] = "center"  # outside: right on odd, left on even
    folio_dashes: bool = False  # — 1 —
    folio_below: float = 0.0  # mm from the text block to the folio's top; 0: centred in
    # the bottom margin

    @property
    def width_mm(self) -> float:
        return PAGE_SIZES_MM[self.size][0]

    @property
    def height_mm(self) -> float:
        return PAGE_SIZES_MM[self.size][1]


@dataclass(frozen=True, slots=True)
class FontFallback:
    """Faces used when none of a role's faces is installed: a substitution, reported as a
    warning by the build and `publisher doctor` (e.g. Noto Serif CJK SC for 仿宋)."""

    body: tuple[str, ...] = ()
    heading: tuple[str, ...] = ()
    caption: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    folio: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FontTheme:
    """Family lists, first installed wins. Family names only: a .ttc path would embed the
    Japanese face of a CJK collection."""

    body: tuple[str, ...] = ("Noto Serif CJK SC",)
    heading: tuple[str, ...] = ("Noto Sans CJK SC",)
    caption: tuple[str, ...] = ("LXGW WenKai", "AR PL UKai CN", "Noto Serif CJK SC")
    latin: tuple[str, ...] = ("Noto Serif", "DejaVu Serif")
    title: tuple[str, ...] = ()  # titles; empty: the heading faces
    folio: tuple[str, ...] = ()  # page numbers; empty: the body faces
    title_bold: bool = True  # false where the title face is heavy itself (小标宋)
    # Headings of level 1, 2, 3: the role of their face (body, heading, caption), weight
    # and first-line indent (characters).
    heading_faces: tuple[Literal["body", "heading", "caption"], ...] = (
        "heading",
        "heading",
        "heading",
    )
    heading_bold: tuple[bool, ...] = (True, True, False)
    heading_indent: tuple[float, ...] = (0.0, 0.0, 2.0)
    # A run-in lead numbered as a heading (一、 （一） 1.) in that level's face and weight
    # (公文: （一）健全工作机制。 in 楷体); false: every lead-in bold in the body face.
    run_in_levels: bool = False
    fallback: FontFallback = field(default_factory=FontFallback)


@dataclass(frozen=True, slots=True)
class SizeTheme:
    """Font sizes in pt."""

    body: float = 12.0
    line_height: float = 1.7
    title: float = 22.0
    case_title: float = 18.0
    case_subtitle: float = 14.0
    heading1: float = 14.0
    heading2: float = 12.0
    heading3: float = 12.0
    byline: float = 10.5
    caption: float = 10.5
    note: float = 10.5
    header: float = 9.0
    toc: float = 12.0
    folio: float = 0.0  # page numbers; 0: the header size


@dataclass(frozen=True, slots=True)
class SpacingTheme:
    first_line_indent: float = 2.0  # em
    heading_before: float = 12.0  # pt
    heading_after: float = 6.0
    case_title_before: float = 36.0
    figure_before: float = 8.0
    figure_after: float = 8.0
    heading_lines: float = 1.0  # on the line grid: empty lines above a level 1 or 2 heading


@dataclass(frozen=True, slots=True)
class ColorTheme:
    text: str = "#000000"
    heading: str = "#000000"
    accent: str = "#8b0000"
    muted: str = "#555555"


@dataclass(frozen=True, slots=True)
class ImageTheme:
    """How photos are printed: the image stage (publisher/imaging) sizes and re-encodes
    every image by these, for both writers."""

    max_dpi: int = 300  # downscale to this resolution at the printed size
    min_dpi: int = 150  # a small image is printed no larger than at this resolution
    jpeg_quality: int = 85
    max_height: float = 110.0  # mm: a portrait photo must not fill the page
    pair_gap: float = 4.0  # mm between two photos side by side


@dataclass(frozen=True, slots=True)
class TypographyTheme:
    """Chinese typographic finish (W3C clreq)."""

    ragged_lines: bool = False  # accept ragged lines if flush justification can't install
    han_latin_space: float = 0.25  # em between Han and Latin letters or digits; 0 = off
    compress_punctuation: bool = True  # adjacent full-width marks: all but one half-width
    line_grid: bool = True  # headings, notes, captions take whole body lines


@dataclass(frozen=True, slots=True)
class DocxTheme:
    """The font names the DOCX asks for: the faces its readers have. Chinese Windows and
    WPS have SimSun (宋体), SimHei (黑体), KaiTi (楷体) and FangSong (仿宋); the English
    names are written because fontconfig maps them to the right Noto CJK SC face on Linux
    (SimSun → Noto Serif CJK SC), where 宋体 falls back to a sans face. Names only, never
    embedded. A 公文 theme sets body_font = "FangSong" (仿宋)."""

    body_font: str = "SimSun"
    heading_font: str = "SimHei"
    caption_font: str = "KaiTi"
    latin_font: str = "Times New Roman"
    title_font: str = ""  # empty: heading_font
    folio_font: str = ""  # empty: body_font
    document_grid: bool = False  # w:docGrid lines and characters (the page's fixed grid)


@dataclass(frozen=True, slots=True)
class Theme:
    name: str = "book"
    page: PageTheme = field(default_factory=PageTheme)
    fonts: FontTheme = field(default_factory=FontTheme)
    sizes: SizeTheme = field(default_factory=SizeTheme)
    spacing: SpacingTheme = field(default_factory=SpacingTheme)
    colors: ColorTheme = field(default_factory=ColorTheme)
    images: ImageTheme = field(default_factory=ImageTheme)
    typography: TypographyTheme = field(default_factory=TypographyTheme)
    docx: DocxTheme = field(default_factory=DocxTheme)


# The presets shipped with the package (publisher/look/presets/NAME.toml): complete themes.
# A project's styles/theme.toml holds only what it changes; its values win.
PRESETS = ("book", "gongwen", "book-16k")
DEFAULT_PRESET = "book"
OVERRIDES_FILE = "theme.toml"
_PRESET_FOLDER = Path(__file__).with_name("presets")


class ThemeChoiceError(ValueError):
    """A `theme =` value that is neither a preset nor a file name in styles/."""


def preset_path(name: str) -> Path:
    if name not in PRESETS:
        raise ThemeChoiceError(
            f"theme = {name!r} is not a theme: choose "
            + ", ".join(f'"{p}"' for p in PRESETS)
            + " (a project changes values in styles/theme.toml)"
        )
    return _PRESET_FOLDER / f"{name}.toml"


def overrides_file(choice: str) -> tuple[str, str]:
    """(preset, file in styles/) for a `theme =` value: a preset name reads the project's
    styles/theme.toml over it; a bare file name ending in .toml (an older project's
    `theme = "mine.toml"`) is read over the preset it names (`name =`), else the book's.
    Anything else, a path above all (`/etc/passwd`, `../x.toml`), is refused: a theme
    never reads outside the project."""
    if choice in PRESETS:
        return choice, OVERRIDES_FILE
    if choice.endswith(".toml") and re.fullmatch(r"[\w.-]+", choice) and ".." not in choice:
        return "", choice
    preset_path(choice)  # raises with the list of presets
    raise AssertionError  # pragma: no cover


def load_theme(
    path: Path | None,
    display: str | None = None,
    *,
    preset: str = "",
    within: tuple[Path, ...] = (),
) -> Theme:
    """The preset (`preset`, else the one the file names with `name =`, else "book") with
    the values of the TOML file at `path` (a project's `styles/theme.toml`; None or a
    missing file: the preset as it is). Unknown keys are errors naming the file and line.
    A file that names another preset than the one asked for (a full copy of the book's
    theme, kept from an older project) is an error: its values would silently undo the
    preset's. A project's file is read only inside its content/ and styles/ (`within`)."""
    table: dict[str, Any] = {}
    text = ""
    shown = display or str(path)
    if path is not None and path.is_file():
        table, text = read_toml(path, shown, within)
        load_dataclass(Theme, table, path=shown, text=text)  # its own keys and types
    named = table.get("name")
    if not preset:
        preset = named if named in PRESETS else DEFAULT_PRESET
    elif named in PRESETS and named != preset:
        raise ContentError(
            f'this file is the "{named}" theme but the project asks for "{preset}": keep '
            f'in it only the values you change (and no name), or set theme = "{named}"',
            path=shown,
            line=key_line(text, "", "name"),
        )
    base_path = preset_path(preset)
    base, base_text = read_toml(base_path, f"the {preset} theme ({base_path})")
    merged = _merged(base, table)
    if not table:
        return load_dataclass(Theme, merged, path=str(base_path), text=base_text)
    return load_dataclass(Theme, merged, path=shown, text=text)


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out
