"""Fonts: theme family lists resolved to installed faces, and glyph coverage of the content.

Families are looked up by name through fontconfig (`fc-match`), exactly as WeasyPrint/Pango
will find them; never by file path (a .ttc path would embed the collection's first face,
the Japanese one). The coverage check reads each face's cmap with fontTools from the file
and collection index fontconfig reports, so a character no font can show is an error that
names it (U+XXXX), the case and the line, before anything is typeset.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import overload

from ..model import Case, Compendium, Figure, Heading, Note, Paragraph
from ..support.errors import ContentError, EnvironmentProblem
from .theme import Theme

__all__ = ["Face", "FontStacks", "resolve_family", "font_stacks", "check_coverage", "INSTALL_HINT"]

INSTALL_HINT = "sudo apt-get install fonts-noto-cjk"


@dataclass(frozen=True, slots=True)
class Face:
    """An installed font face: the family name CSS uses, and where fontconfig found it."""

    family: str
    file: str
    index: int

    def __str__(self) -> str:
        return f"{self.family} ({self.file}, face {self.index})"


@dataclass(frozen=True, slots=True)
class FontStacks:
    """The faces each role is set in, first choice first: the CSS font-family lists and
    the coverage check both come from here, so they cannot disagree."""

    body: tuple[Face, ...]
    heading: tuple[Face, ...]
    caption: tuple[Face, ...]

    def families(self, role: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.family for f in getattr(self, role)))


def _fc_match() -> str:
    tool = shutil.which("fc-match")
    if tool is None:
        raise EnvironmentProblem(
            "fc-match (fontconfig) is not installed: "
            "sudo apt-get install fontconfig " + INSTALL_HINT.split()[-1]
        )
    return tool


@overload
def resolve_family(family: str) -> Face | None: ...
@overload
def resolve_family(family: tuple[str, ...] | list[str]) -> Face: ...
def resolve_family(family: str | tuple[str, ...] | list[str]) -> Face | None:
    """The regular face of an installed family, or None when fontconfig only offers a
    substitute. Given a list of families (a theme role), the first installed one; none
    installed is an EnvironmentProblem with the install command."""
    if isinstance(family, str):
        return _resolve(family)
    face = _first(tuple(family))
    if face is None:
        raise EnvironmentProblem(
            f"none of these fonts is installed ({', '.join(family)}): {INSTALL_HINT}"
        )
    return face


@cache
def _resolve(family: str) -> Face | None:
    out = subprocess.run(
        [_fc_match(), "-f", "%{family}\t%{file}\t%{index}", f"{family}:style=Regular"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    parts = out.split("\t")
    if len(parts) != 3:
        return None
    names = {n.strip().casefold() for n in parts[0].split(",")}
    if family.strip().casefold() not in names:
        return None
    try:
        index = int(parts[2] or 0)
    except ValueError:
        index = 0
    return Face(family, parts[1], index)


def _first(families: tuple[str, ...]) -> Face | None:
    for family in families:
        face = _resolve(family)
        if face is not None:
            return face
    return None


def _installed(families: tuple[str, ...]) -> tuple[Face, ...]:
    return tuple(f for f in (_resolve(n) for n in families) if f is not None)


def font_stacks(theme: Theme) -> FontStacks:
    """Resolve the theme's lists: the first installed family of each role, then the body
    face and the installed Latin faces as fallbacks. No body or heading face at all is an
    environment problem with the install command."""
    fonts = theme.fonts
    body = _first(fonts.body)
    if body is None:
        raise EnvironmentProblem(
            f"none of the body fonts is installed ({', '.join(fonts.body)}): {INSTALL_HINT}"
        )
    heading = _first(fonts.heading)
    if heading is None:
        raise EnvironmentProblem(
            f"none of the heading fonts is installed ({', '.join(fonts.heading)}): {INSTALL_HINT}"
        )
    caption = _first(fonts.caption) or body
    latin = _installed(fonts.latin)
    return FontStacks(
        body=(body, *latin), heading=(heading, body, *latin), caption=(caption, body, *latin)
    )


@cache
def _cmap(file: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # WeasyPrint depends on fontTools

    with TTFont(file, fontNumber=index, lazy=True) as font:
        if "maxp" in font:  # placeholder glyph names: only the codes are wanted, and the
            # real names (a CJK font's CFF charset) take longer to read than the cmap itself
            font.setGlyphOrder([f"g{gid}" for gid in range(font["maxp"].numGlyphs)])
        return frozenset(font.getBestCmap() or ())


def _needs_glyph(ch: str) -> bool:
    """Characters that are drawn: not spaces, controls, format or variation selectors."""
    if ch in " \u00a0":
        return False
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Zl", "Zp"):
        return False
    code = ord(ch)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def _texts(compendium: Compendium) -> Iterator[tuple[str, str, Case | None, int, str]]:
    """(role, text, case, line, what) for everything the PDF prints from the content."""
    c = compendium
    for text in (c.title, c.subtitle):
        yield "heading", text, None, 0, "the compendium title"
    yield "body", c.compiler, None, 0, "the compiler"
    for blocks, what in ((c.preface, c.preface_title), (c.afterword, c.afterword_title)):
        yield "heading", what, None, 0, what
        for block in blocks:
            yield from _block_texts(block, None, what)
    for part in c.parts:
        yield "heading", part.title, None, 0, "a part title"
    for case in c.cases:
        for name in ("title", "subtitle", "kicker", "series"):
            yield "heading", getattr(case, name), case, 0, name
        for name in ("publication", "page", "source", "place", "region"):
            yield "body", getattr(case, name), case, 0, name
        for author in case.authors:
            for text in (author.name, author.role, author.note):
                yield "body", text, case, 0, "an author"
        for block in case.blocks:
            yield from _block_texts(block, case, "")


def _block_texts(block, case: Case | None, what: str):
    if isinstance(block, Heading):
        yield "heading", block.text, case, block.line, what or "a heading"
    elif isinstance(block, Paragraph):
        yield "body", block.text, case, block.line, what or "a paragraph"
    elif isinstance(block, Note):
        yield "body", block.text, case, block.line, what or "a note"
    elif isinstance(block, Figure):
        yield "caption", block.caption, case, block.line, what or "a figure caption"
        yield "caption", block.credit, case, block.line, what or "a figure credit"


def check_coverage(
    compendium: Compendium, theme: Theme, files: dict[str, str] | None = None
) -> FontStacks:
    """Raise ContentError for the first character no font of its role can show.

    `files` maps case id -> case file path, so the message names the file and line.
    Returns the resolved font stacks for the writer to use.
    """
    stacks = font_stacks(theme)
    cmaps = {
        role: [_cmap(f.file, f.index) for f in getattr(stacks, role)]
        for role in ("body", "heading", "caption")
    }
    # Fast path: every distinct character of each role, checked once. Only when one is
    # missing is the content walked in order, to name the first place it occurs.
    used: dict[str, set[str]] = {role: set() for role in cmaps}
    for role, text, _case, _line, _what in _texts(compendium):
        used[role].update(text)
    if not any(
        _needs_glyph(ch) and not any(ord(ch) in cmap for cmap in cmaps[role])
        for role, chars in used.items()
        for ch in chars
    ):
        return stacks
    covered: dict[str, set[str]] = {role: set() for role in cmaps}
    for role, text, case, line, what in _texts(compendium):
        seen = covered[role]
        for ch in text:
            if ch in seen or not _needs_glyph(ch):
                continue
            if any(ord(ch) in cmap for cmap in cmaps[role]):
                seen.add(ch)
                continue
            name = unicodedata.name(ch, "unnamed character")
            fonts = ", ".join(stacks.families(role))
            where = f"case {case.id!r}, {what}" if case else what
            path = (files or {}).get(case.id, "") if case else ""
            if line and not path:
                where += f", line {line}"
            raise ContentError(
                f"no installed font can show {ch!r} U+{ord(ch):04X} ({name}) in {where}"
                f" (fonts tried: {fonts}); replace the character or install a font that "
                f"has it",
                path=path,
                line=line if path else 0,
            )
    return stacks
