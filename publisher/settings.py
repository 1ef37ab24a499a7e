"""The compendium's own settings, `content/compendium.toml`: title, order, parts, options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .config import load_dataclass, read_toml

SETTINGS_FILE = "compendium.toml"

MissingImages = Literal["placeholder", "caption-only", "error"]


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
    date: str = ""                 # shown on the cover; empty: from git or SOURCE_DATE_EPOCH
    output: str = ""               # build/<output>.pdf and .docx; empty: the title
    theme: str = "theme.toml"      # a file in styles/
    preface: str = ""              # a body file in content/, e.g. "preface.md"
    preface_title: str = "前言"
    afterword: str = ""
    afterword_title: str = "编后记"
    missing_images: MissingImages = "placeholder"
    cases: tuple[str, ...] = ()    # case order when there are no parts
    parts: tuple[PartSettings, ...] = ()
    docx_toc_pages: bool = True    # fill DOCX TOC page numbers with LibreOffice if installed
    pdf_tagged: bool = True        # tagged PDF (PDF/UA-1)


def load_settings(path: Path, display: str) -> tuple[Settings, str]:
    """The settings and the file's text (for line numbers in later messages)."""
    table, text = read_toml(path, display)
    return load_dataclass(Settings, table, path=display, text=text), text
