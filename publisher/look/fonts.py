"""Fonts: theme family lists resolved to installed faces, and glyph coverage of the content.

Families are looked up by name through fontconfig (`fc-match`), exactly as WeasyPrint/Pango
will find them; never by file path (a .ttc path would embed the collection's first face,
the Japanese one). The coverage check reads each face's cmap with fontTools from the file
and collection index fontconfig reports, so a character no font can show is an error that
names it (U+XXXX), the case and the line, before anything is typeset.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import unicodedata
from bisect import bisect_right
from collections.abc import Container, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import overload

from ..model import Case, Compendium, Figure, Heading, Note, Paragraph
from ..support.errors import ContentError, EnvironmentProblem
from ..support.fileio import atomic_write
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
    title: tuple[Face, ...] = ()  # empty: the heading's
    folio: tuple[Face, ...] = ()  # empty: the body's
    # A role none of whose faces is installed, set in a fallback face: one line each for
    # the build report ("body: 仿宋_GB2312, … not installed: set in Noto Serif CJK SC …").
    substitutions: tuple[str, ...] = ()

    def families(self, role: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.family for f in self.faces(role)))

    def faces(self, role: str) -> tuple[Face, ...]:
        faces = getattr(self, role)
        if not faces and role in ("title", "folio"):
            return self.heading if role == "title" else self.body
        return faces


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


# How to get a free face for a role the machine lacks (`publisher doctor`, build report).
FREE_FACES = {
    "仿宋": "FandolFang: sudo apt-get install texlive-lang-chinese, then make its fonts "
    "visible to fontconfig: sudo ln -s /usr/share/texlive/texmf-dist/fonts/opentype/public/"
    "fandol /usr/local/share/fonts/fandol && fc-cache (./run setup does both)",
}


def _role_face(families: tuple[str, ...], fallback: tuple[str, ...], role: str, notes: list):
    """The first installed face of `families`, else of `fallback` (a substitution, noted)."""
    face = _first(families)
    if face is not None or not fallback:
        return face
    face = _first(fallback)
    if face is not None:
        wanted = ", ".join(families)
        hint = next((h for kind, h in FREE_FACES.items() if kind in wanted), "")
        notes.append(
            f"{role}: none of {wanted} is installed; set in {face.family} instead"
            + (f" (a free one: {hint})" if hint else "")
        )
    return face


def font_stacks(theme: Theme) -> FontStacks:
    """Resolve the theme's lists: the first installed family of each role (else of its
    fallback list, a substitution the build reports), then the body face and the
    installed Latin faces as fallbacks. No body or heading face at all is an environment
    problem with the install command."""
    fonts, spare = theme.fonts, theme.fonts.fallback
    notes: list[str] = []
    body = _role_face(fonts.body, spare.body, "body", notes)
    if body is None:
        raise EnvironmentProblem(
            f"none of the body fonts is installed ({', '.join(fonts.body)}): {INSTALL_HINT}"
        )
    heading = _role_face(fonts.heading, spare.heading, "heading", notes)
    if heading is None:
        raise EnvironmentProblem(
            f"none of the heading fonts is installed ({', '.join(fonts.heading)}): {INSTALL_HINT}"
        )
    caption = _role_face(fonts.caption, spare.caption, "caption", notes) or body
    latin = _installed(fonts.latin)
    title: tuple[Face, ...] = ()
    if fonts.title:
        face = _role_face(fonts.title, spare.title, "title", notes) or heading
        title = (face, heading, body, *latin)
    folio: tuple[Face, ...] = ()
    if fonts.folio:
        face = _role_face(fonts.folio, spare.folio, "folio", notes) or body
        folio = (face, body, *latin)
    return FontStacks(
        body=(body, *latin),
        heading=(heading, body, *latin),
        caption=(caption, body, *latin),
        title=title,
        folio=folio,
        substitutions=tuple(notes),
    )


@cache
def _cmap(file: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # WeasyPrint depends on fontTools

    with TTFont(file, fontNumber=index, lazy=True) as font:
        if "maxp" in font:  # placeholder glyph names: only the codes are wanted, and the
            # real names (a CJK font's CFF charset) take longer to read than the cmap itself
            font.setGlyphOrder([f"g{gid}" for gid in range(font["maxp"].numGlyphs)])
        return frozenset(font.getBestCmap() or ())


ROLES = ("body", "heading", "caption")  # the font stacks, by what they set
FACE_ROLES = (*ROLES, "title", "folio")  # and the faces the stylesheet names
_CMAP_FORMAT = 1  # the layout of a kept table; part of its key
_KEPT: dict[str, Container[int]] = {}  # tables read in this process, by key


class _CodeRanges:
    """A kept table: its sorted, disjoint [first, last] ranges, searched by bisection
    (a set of a CJK face's 45,000 codes takes longer to make than the check takes)."""

    __slots__ = ("firsts", "lasts")

    def __init__(self, ranges: list[list[int]]) -> None:
        self.firsts = [first for first, _last in ranges]
        self.lasts = [last for _first, last in ranges]

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, int):
            return False
        i = bisect_right(self.firsts, code) - 1
        return i >= 0 and code <= self.lasts[i]


def _codes(face: Face, folder: Path | None, used: set[str]) -> Container[int]:
    """The characters `face` has. Reading a CJK face's cmap takes about 0.05 s, on every
    build, so with a `folder` (the build's cache) the table is kept there as ranges, named
    by the font file's path, size and time; a kept table that is damaged is made again."""
    if folder is None:
        return _cmap(face.file, face.index)
    try:
        stat = os.stat(face.file)
    except OSError:
        return _cmap(face.file, face.index)
    import fontTools

    key = hashlib.sha256(
        f"{_CMAP_FORMAT}\0{fontTools.version}\0{face.file}\0{face.index}"
        f"\0{stat.st_size}\0{stat.st_mtime_ns}".encode()
    ).hexdigest()
    used.add(key)
    if key in _KEPT:
        return _KEPT[key]
    path = folder / f"{key}.json"
    try:
        kept = json.loads(path.read_bytes())
        ranges = kept["ranges"]
        if kept["key"] != key or kept["sha256"] != _digest(ranges):
            raise ValueError("not this font's table")
        table = _KEPT[key] = _CodeRanges(ranges)
        return table
    except Exception:  # noqa: BLE001 - missing or damaged: read the font again
        pass
    codes = _KEPT[key] = _cmap(face.file, face.index)
    ranges = _ranges(codes)
    with contextlib.suppress(OSError):  # a build folder that cannot be written: no cache
        atomic_write(path, json.dumps({"key": key, "sha256": _digest(ranges), "ranges": ranges}))
    return codes


def _ranges(codes: frozenset[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges


def _digest(ranges: list[list[int]]) -> str:
    return hashlib.sha256(json.dumps(ranges).encode()).hexdigest()


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
    yield from _book_texts(compendium)
    for case in compendium.cases:
        yield from _case_texts(case)


def _book_texts(c: Compendium) -> Iterator[tuple[str, str, Case | None, int, str]]:
    """The texts of the book outside its cases: titles, preface, afterword, parts."""
    for text in (c.title, c.subtitle):
        yield "heading", text, None, 0, "the compendium title"
    yield "body", c.compiler, None, 0, "the compiler"
    for blocks, what in ((c.preface, c.preface_title), (c.afterword, c.afterword_title)):
        yield "heading", what, None, 0, what
        for block in blocks:
            yield from _block_texts(block, None, what)
    for part in c.parts:
        yield "heading", part.title, None, 0, "a part title"


def _case_texts(case: Case) -> Iterator[tuple[str, str, Case | None, int, str]]:
    for name in ("title", "subtitle", "kicker", "series"):
        yield "heading", getattr(case, name), case, 0, name
    for name in ("publication", "page", "source", "place", "region"):
        yield "body", getattr(case, name), case, 0, name
    for author in case.authors:
        for text in (author.name, author.role, author.note):
            yield "body", text, case, 0, "an author"
    for block in case.blocks:
        yield from _block_texts(block, case, "")


def case_chars(case: Case) -> dict[str, str]:
    """The distinct characters a case prints, by font role (what the coverage check
    looks at; the case cache keeps them)."""
    chars: dict[str, set[str]] = {role: set() for role in ROLES}
    for role, text, _case, _line, _what in _case_texts(case):
        chars[role].update(text)
    return {role: "".join(sorted(found)) for role, found in chars.items()}


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
    compendium: Compendium,
    theme: Theme,
    files: dict[str, str] | None = None,
    *,
    cache: Path | None = None,
    chars: dict[str, dict[str, str]] | None = None,
) -> FontStacks:
    """Raise ContentError for the first character no font of its role can show.

    `files` maps case id -> case file path, so the message names the file and line.
    `cache`: a folder where the faces' character tables are kept between builds (the
    build's; tables of faces no longer used are removed). `chars`: case id -> the
    characters it prints (`case_chars`), where the case cache kept them. Returns the
    resolved font stacks for the writer to use.
    """
    stacks = font_stacks(theme)
    kept: set[str] = set()
    cmaps = {role: [_codes(f, cache, kept) for f in stacks.faces(role)] for role in ROLES}
    if cache is not None and cache.is_dir():
        for table in cache.glob("*.json"):
            if table.stem not in kept:
                table.unlink(missing_ok=True)
    # Fast path: every distinct character of each role, checked once. Only when one is
    # missing is the content walked in order, to name the first place it occurs.
    used: dict[str, set[str]] = {role: set() for role in cmaps}
    for role, text, _case, _line, _what in _book_texts(compendium):
        used[role].update(text)
    for each in compendium.cases:
        known = (chars or {}).get(each.id)
        for role, found in (known if known is not None else case_chars(each)).items():
            used[role].update(found)
    if not any(
        _needs_glyph(ch) and not any(ord(ch) in cmap for cmap in cmaps[role])
        for role, found in used.items()
        for ch in found
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
