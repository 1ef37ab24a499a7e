"""The theme: fonts, sizes, spacing, page and colours, read once from `styles/` for both writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..support.config import load_dataclass, read_toml

PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "B5": (176.0, 250.0)}


@dataclass(frozen=True, slots=True)
class PageTheme:
    size: Literal["A4", "A5", "B5"] = "A4"
    margin_top: float = 25.0  # mm
    margin_bottom: float = 22.0
    margin_inside: float = 25.0  # binding side
    margin_outside: float = 20.0

    @property
    def width_mm(self) -> float:
        return PAGE_SIZES_MM[self.size][0]

    @property
    def height_mm(self) -> float:
        return PAGE_SIZES_MM[self.size][1]


@dataclass(frozen=True, slots=True)
class FontTheme:
    """Family lists, first installed wins. Family names only: a .ttc path would embed the
    Japanese face of a CJK collection."""

    body: tuple[str, ...] = ("Noto Serif CJK SC",)
    heading: tuple[str, ...] = ("Noto Sans CJK SC",)
    caption: tuple[str, ...] = ("LXGW WenKai", "AR PL UKai CN", "Noto Serif CJK SC")
    latin: tuple[str, ...] = ("Noto Serif", "DejaVu Serif")


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


@dataclass(frozen=True, slots=True)
class SpacingTheme:
    first_line_indent: float = 2.0  # em
    heading_before: float = 12.0  # pt
    heading_after: float = 6.0
    case_title_before: float = 36.0
    figure_before: float = 8.0
    figure_after: float = 8.0


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


def load_theme(path: Path, display: str | None = None, within: tuple[Path, ...] = ()) -> Theme:
    """Read a theme TOML file (e.g. `styles/theme.toml`); unknown keys are errors. A
    project's theme is read only inside its content/ and styles/ (`within`)."""
    shown = display or str(path)
    table, text = read_toml(path, shown, within)
    return load_dataclass(Theme, table, path=shown, text=text)
