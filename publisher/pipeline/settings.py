"""The compendium's own settings, `content/compendium.toml`: title, order, parts, options."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ..model import date_problem
from ..support.config import key_line, load_dataclass, read_toml
from ..support.errors import ContentError

SETTINGS_FILE = "compendium.toml"

MissingImages = Literal["placeholder", "caption-only", "error"]
Edition = Literal["draft", "final"]


@dataclass(frozen=True, slots=True)
class PartSettings:
    """A part of the book (e.g. one province) and the ids of its cases, in order."""

    title: str
    cases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Settings:
    title: str
    subtitle: str = ""
    compiler: str = ""
    date: str = ""  # shown on the cover; empty: from git or SOURCE_DATE_EPOCH
    output: str = ""  # build/<output>.pdf and .docx; empty: the title
    theme: str = "book"  # a preset: book | gongwen | book-16k (styles/theme.toml over it)
    # also the print shop's PDF (bleed, crop marks, PDF/X-4) and the cover (--print)
    print: bool = False
    paper_thickness_mm: float = 0.1  # one leaf (two pages): the cover's spine
    preface: str = ""  # a body file in content/, e.g. "preface.md"
    preface_title: str = "前言"
    afterword: str = ""
    afterword_title: str = "编后记"
    edition: Edition = "draft"  # final: no empty photo frames (missing_images caption-only)
    missing_images: MissingImages = "placeholder"
    cases: tuple[str, ...] = ()  # case order when there are no parts
    parts: tuple[PartSettings, ...] = ()
    # DOCX TOC page numbers from a LibreOffice pass: true, false, or "auto" (on up to
    # TOC_PASS_MAX_CASES cases; above that Word fills them on open, docx-refresh on demand)
    docx_toc_pages: bool | Literal["auto"] = "auto"
    pdf_tagged: bool = True  # tagged PDF (PDF/UA-1)


# LibreOffice lays out the whole DOCX to number its TOC, and its cost grows faster than the
# book (one page style per case): 3 s at 40 cases, 7 s at 100, 40–60 s at 300 on 2 cores
# (benchmarks/NOTES.md). "auto" keeps it where it is a few seconds.
TOC_PASS_MAX_CASES = 60


def docx_toc_pass(settings: Settings, cases: int) -> tuple[bool, str]:
    """Whether the build runs the LibreOffice TOC pass, and why not when it does not."""
    if settings.docx_toc_pages == "auto":
        if cases > TOC_PASS_MAX_CASES:
            return False, (
                f"{cases} cases (more than {TOC_PASS_MAX_CASES}: the LibreOffice pass would "
                "take longer than the rest of the build; docx_toc_pages = true forces it)"
            )
        return True, ""
    return settings.docx_toc_pages, "" if settings.docx_toc_pages else "docx_toc_pages = false"


# A file name is at most 255 bytes on every common file system. The longest name made
# from the output's: its temporary while it is written (atomic_write: `.NAME.xxxxxxxx.tmp`)
# of `NAME.before-refresh.docx` (docx-refresh's backup).
MAX_NAME_BYTES = 255
_LONGEST_SUFFIX = len(".before-refresh.docx") + len("..xxxxxxxx.tmp")
MAX_OUTPUT_BYTES = MAX_NAME_BYTES - _LONGEST_SUFFIX


def output_name(title: str, output: str) -> str:
    """File name base for the outputs: the settings' `output`, else the title."""
    name = output or title
    return "".join("_" if ch in '/\\:*?"<>|' else ch for ch in name).strip() or "compendium"


def _check_output_name(settings: Settings, display: str, text: str) -> None:
    """A name the file system cannot hold is refused before anything is written."""
    name = output_name(settings.title, settings.output)
    size = len(name.encode("utf-8"))
    if size > MAX_OUTPUT_BYTES:
        key = "output" if settings.output else "title"
        raise ContentError(
            f"the output file name from {key!r} is {size} bytes ({len(name)} characters); "
            f"file names hold {MAX_OUTPUT_BYTES} bytes with their suffixes (about "
            f'{MAX_OUTPUT_BYTES // 3} Chinese characters): set a shorter output = "…"',
            path=display,
            line=key_line(text, "", key),
        )


def load_settings(path: Path, display: str, within: tuple[Path, ...] = ()) -> tuple[Settings, str]:
    """The settings and the file's text (for line numbers in later messages); read only
    inside the folders `within` when given."""
    table, text = read_toml(path, display, within)
    settings = load_dataclass(Settings, table, path=display, text=text)
    problem = date_problem(settings.date)
    if problem:
        raise ContentError(f"date {problem}", path=display, line=key_line(text, "", "date"))
    _check_output_name(settings, display, text)
    if settings.edition == "final":
        # A final edition never prints an empty frame: a missing photo leaves its caption.
        if "missing_images" not in table:
            settings = replace(settings, missing_images="caption-only")
        elif settings.missing_images == "placeholder":
            raise ContentError(
                'missing_images = "placeholder" prints empty frames, which a '
                'final edition never does: use "caption-only" or "error", or '
                'edition = "draft"',
                path=display,
                line=key_line(text, "", "missing_images"),
            )
    return settings, text
