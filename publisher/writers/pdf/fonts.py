"""One embedded font per face in the assembled book, not one per piece.

WeasyPrint embeds each face as a Type 0 font whose glyph ids are the face's own (its
HarfBuzz subset keeps glyph ids, RETAIN_GIDS), named `HASH+Family-Style` with a hash of the
font description, so the same face has the same name in every piece. Here the pieces'
copies of a face become one: the face's file (found as fontconfig finds it for Pango) is
subset again with HarfBuzz to the union of the glyphs the pieces use, with WeasyPrint's
flags, and the widths (/W) and text maps (ToUnicode) are merged. A face whose file cannot be
found or is not the one embedded is left as the pieces have it (correct, only larger).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from ...patches import weasyprint as weasyprint_patches

__all__ = ["merge_fonts", "FaceShare", "deferred_subsetting"]

STUB_MARK = b"\0publisher-face\0"  # a piece's font program: where the face is, no glyphs

# WeasyPrint's dropped tables (pdf/fonts.py, `_harfbuzz_subset`).
DROPPED_TABLES = (
    "BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ",
)  # fmt: skip


@contextmanager
def deferred_subsetting() -> Iterator[bool]:
    """While active, a piece's WeasyPrint embeds, instead of a subset of a plain installed
    face, a stub naming the face's file: the assembly subsets each face once for the whole
    book (`merge_fonts`), so the pieces need not (it was a third of a case's time). Faces
    that are variable, colour, bitmap, or not the file fontconfig names, are subset as
    WeasyPrint does. The patch itself: `patches.weasyprint.deferred_subsetting`."""
    with weasyprint_patches.deferred_subsetting(_stub_for) as installed:
        yield installed


def _stub_for(font) -> bytes | None:
    """A stub font program naming `font`'s face file, when it is a plain installed face."""
    plain = not ("fvar" in font.tables or font.png or font.svg or font.colr or font.bitmap)
    found = _face_of(font.family, int(font.weight), int(font.style)) if plain else None
    if not found or found[2] != len(font.file_content) or found[1] != font.index:
        return None
    cff = "CFF " in font.tables or "CFF2" in font.tables  # (a .ttc starts "ttcf")
    head = b"OTTO" if cff else b"\x00\x01\x00\x00"
    return head + STUB_MARK + json.dumps({"file": found[0], "index": found[1]}).encode()


def _stub(program: bytes) -> tuple[str, int] | None:
    if program[4 : 4 + len(STUB_MARK)] != STUB_MARK:
        return None
    where = json.loads(program[4 + len(STUB_MARK) :])
    return str(where["file"]), int(where["index"])


# Pango weights and styles as fontconfig patterns (fontconfig's own weight scale).
_FC_WEIGHTS = ((150, 0), (250, 40), (350, 50), (450, 80), (550, 100), (650, 180), (750, 200))
_FC_SLANTS = {0: "", 1: ":slant=110", 2: ":slant=100"}


@cache
def _face_of(family: str, weight: int, style: int) -> tuple[str, int, int] | None:
    """(file, index, file size) of the face fontconfig gives Pango for this description."""
    fc_weight = next((fc for top, fc in _FC_WEIGHTS if weight < top), 210)
    found = _fc_match(f"{family}:weight={fc_weight}{_FC_SLANTS.get(style, '')}")
    if found is None:
        return None
    try:
        return found[0], found[1], os.path.getsize(found[0])
    except OSError:
        return None


def merge_fonts(
    pdf, known: dict[str, tuple[dict[int, float], dict[int, str]]] | None = None
) -> int:
    """Replace every face embedded more than once by one font object, and every piece's
    stub by the face subset to the glyphs the book uses; returns how many faces were
    merged."""
    import pikepdf

    groups: dict[str, dict[tuple[int, int], pikepdf.Object]] = defaultdict(dict)
    users: list[tuple[pikepdf.Dictionary, str, str]] = []  # (font dict, key, base name)
    for resources in _resource_dicts(pdf):
        fonts = resources.get("/Font")
        if fonts is None:
            continue
        for key in list(fonts.keys()):
            font = fonts[key]
            if font.get("/Subtype") != "/Type0":
                continue
            base = str(font.BaseFont)
            groups[base][font.objgen] = font
            users.append((fonts, key, base))
    merged: dict[str, pikepdf.Object] = {}
    for base, members in sorted(groups.items()):
        if len(members) > 1 or _program_stub(next(iter(members.values()))):
            one = _merge(pdf, [members[k] for k in sorted(members)], (known or {}).get(base))
            if one is not None:
                merged[base] = one
    for fonts, key, base in users:
        if base in merged:
            fonts[key] = merged[base]
    return len(merged)


_SHARED = "publisher-face:"  # marks a font resource that is the book's copy of a face


class FaceShare:
    """Each face's font object copied into the book once, not once per piece. A piece's
    font for a face is its widths, text map and a stub (`deferred_subsetting`): all of it
    is made again for the whole book by `merge_fonts`, so copying it from every piece
    only held memory (most of the assembly's, 0.7 MB per case)."""

    def __init__(self) -> None:
        self.faces: dict[str, Any] = {}  # base font name -> the book's font object
        self.boxes: dict[str, list[float]] = {}  # the union of the pieces' font boxes

    def before_copy(self, source) -> None:
        """In the piece `source`, each stub font of a face the book holds already is
        swapped for a marker, so copying its pages does not copy the font again."""
        import pikepdf

        for resources in _resource_dicts(source):
            fonts = resources.get("/Font")
            for key in list(fonts.keys()) if fonts is not None else ():
                font = fonts[key]
                if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/Type0":
                    continue
                base = str(font.BaseFont)
                if base in self.faces and _program_stub(font):
                    box = [float(x) for x in font.DescendantFonts[0].FontDescriptor.FontBBox]
                    self._grow(base, box)
                    fonts[key] = pikepdf.String(_SHARED + base)

    def after_copy(self, pages) -> None:
        """In the copied `pages`, markers become the book's font for their face; a face
        first seen here makes its font the book's."""
        import pikepdf

        seen: set = set()
        for page in pages:
            for resources in _resources_in(page.get("/Resources"), seen):
                fonts = resources.get("/Font")
                for key in list(fonts.keys()) if fonts is not None else ():
                    font = fonts[key]
                    if isinstance(font, pikepdf.String):
                        fonts[key] = self.faces[str(font)[len(_SHARED) :]]
                    elif (
                        font.get("/Subtype") == "/Type0"
                        and str(font.BaseFont) not in self.faces
                        and _program_stub(font)
                    ):
                        base = str(font.BaseFont)
                        self.faces[base] = font
                        box = font.DescendantFonts[0].FontDescriptor.FontBBox
                        self._grow(base, [float(x) for x in box])

    def finish(self) -> None:
        """Each shared face's box: the union of its pieces' boxes."""
        import pikepdf

        for base, box in self.boxes.items():
            descriptor = self.faces[base].DescendantFonts[0].FontDescriptor
            descriptor.FontBBox = pikepdf.Array(box)

    def _grow(self, base: str, box: list[float]) -> None:
        have = self.boxes.setdefault(base, box)
        self.boxes[base] = [
            min(have[0], box[0]),
            min(have[1], box[1]),
            max(have[2], box[2]),
            max(have[3], box[3]),
        ]


def _resource_dicts(pdf):
    seen = set()
    for page in pdf.pages:
        yield from _resources_in(page.obj.get("/Resources"), seen)


def _resources_in(resources, seen):
    if resources is None:
        return
    if resources.is_indirect:
        if resources.objgen in seen:
            return
        seen.add(resources.objgen)
    yield resources
    xobjects = resources.get("/XObject")
    for name in list(xobjects.keys()) if xobjects is not None else ():
        xobject = xobjects[name]
        if xobject.get("/Subtype") == "/Form":
            yield from _resources_in(xobject.get("/Resources"), seen)


def read_widths(cid_font) -> dict[int, float]:
    """A CID font's /W array as glyph id -> width (read from its PDF syntax: walking a
    large array element by element through pikepdf is slow)."""
    w = cid_font.get("/W")
    if w is None:
        return {}
    tokens = re.findall(rb"\[|\]|[-+]?(?:\d+\.?\d*|\.\d+)", w.unparse(resolved=True))[1:-1]
    found: dict[int, float] = {}
    i = 0
    while i < len(tokens):
        first = int(float(tokens[i]))
        if tokens[i + 1] == b"[":
            i += 2
            while tokens[i] != b"]":
                found[first] = float(tokens[i])
                first, i = first + 1, i + 1
            i += 1
        else:
            for gid in range(first, int(float(tokens[i + 1])) + 1):
                found[gid] = float(tokens[i + 2])
            i += 3
    return found


def read_to_unicode(font) -> dict[int, str]:
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return {}
    text = cmap.read_bytes().decode("latin-1")
    found = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for gid, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            found[int(gid, 16)] = bytes.fromhex(uni).decode("utf-16-be", "replace")
    return found


def _to_unicode_stream(mapping: dict[int, str]) -> bytes:
    """A ToUnicode CMap as WeasyPrint writes it (batches of 100 bfchar entries)."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(mapping.items())
    for i in range(0, len(items), 100):
        batch = items[i : i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for gid, text in batch:
            lines.append(f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _widths_array(widths: dict[int, float]):
    import pikepdf

    array = pikepdf.Array()
    run = None
    for gid in sorted(widths):
        if run is None or gid - 1 not in widths:
            array.append(gid)
            run = pikepdf.Array()
            array.append(run)
        width = widths[gid]
        run.append(int(width) if width == int(width) else width)
    return array


def _program_stub(font) -> tuple[str, int] | None:
    descriptor = font.DescendantFonts[0].FontDescriptor
    program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
    return _stub(program.read_bytes()) if program is not None else None


@cache
def _face_file(family: str, style: str) -> tuple[str, int] | None:
    """Where fontconfig finds a face (as Pango asks it: family and style words)."""
    return _fc_match(family + "".join(f":{word.lower()}" for word in style.split()))


def _fc_match(pattern: str) -> tuple[str, int] | None:
    tool = shutil.which("fc-match")
    if tool is None:
        return None
    done = subprocess.run(
        [tool, "-f", "%{file}\n%{index}", pattern], capture_output=True, text=True, check=False
    )
    lines = done.stdout.splitlines()
    if done.returncode or len(lines) != 2:
        return None
    return lines[0], int(lines[1] or 0)


def _postscript_name(data: bytes | str, index: int = 0) -> str:
    from fontTools.ttLib import TTFont

    source = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        font = TTFont(source, fontNumber=index, lazy=True)
        return str(font["name"].getDebugName(6) or "")
    except Exception:  # noqa: BLE001 - an unreadable font is simply not merged
        return ""


@cache
def _face_name(path: str, index: int) -> str:
    return _postscript_name(path, index)


def _subset(path: str, index: int, glyphs: set[int]) -> bytes:
    """The face cut to `glyphs`, glyph ids kept, with WeasyPrint's flags and tables."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(path), index)
    subset_input = hb.SubsetInput()
    for gid in sorted(glyphs | {0}):
        subset_input.glyph_set.add(gid)
    for tag in DROPPED_TABLES:
        subset_input.drop_table_tag_set.add(int.from_bytes(tag.encode("ascii"), "big"))
    subset_input.flags = (
        hb.SubsetFlags.RETAIN_GIDS
        | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
        | hb.SubsetFlags.DESUBROUTINIZE
        | hb.SubsetFlags.NO_HINTING
    )
    return bytes(hb.subset(face, subset_input).blob.data)


def _merge(pdf, fonts, known=None):
    """One Type 0 font for `fonts` (the same face from several pieces), or None."""
    import pikepdf

    first = fonts[0]
    cid_font = first.DescendantFonts[0]
    descriptor = cid_font.FontDescriptor
    program_key = "/FontFile3" if "/FontFile3" in descriptor else "/FontFile2"
    if program_key not in descriptor:
        return None
    stubs = {_program_stub(font) for font in fonts}
    if len(stubs) > 1 and None in stubs:
        return None  # not reached: one description, one face, one decision
    found = next(iter(stubs))
    if found is None:
        family = str(descriptor.get("/FontFamily", ""))
        name = str(first.BaseFont).split("+", 1)[-1]
        style = name[len(family.replace(" ", "-")) :].replace("-", " ").strip()
        found = _face_file(family, style)
        if found is None:
            return None
        embedded = _postscript_name(descriptor[program_key].read_bytes())
        if not embedded or _face_name(*found) != embedded:
            return None  # not the face WeasyPrint embedded: keep the pieces' own copies

    if known is not None:  # the union, from the pieces' facts (`PieceResult.fonts`)
        widths, to_unicode = known
    else:
        widths, to_unicode = {}, {}
        for font in fonts:
            widths.update(read_widths(font.DescendantFonts[0]))
            to_unicode.update(read_to_unicode(font))
    program = _subset(found[0], found[1], set(widths))
    font_file = pikepdf.Stream(pdf, program)
    cff = program[:4] == b"OTTO"  # CFF outlines: a Type 0 CID font; else TrueType outlines
    if cff:
        font_file.Subtype = pikepdf.Name.OpenType
    else:
        font_file.Length1 = len(program)

    new_descriptor = pikepdf.Dictionary(
        {k: descriptor[k] for k in descriptor if k not in ("/FontFile2", "/FontFile3")}
    )
    new_descriptor["/FontFile3" if cff else "/FontFile2"] = pdf.make_indirect(font_file)
    boxes = [[float(x) for x in f.DescendantFonts[0].FontDescriptor.FontBBox] for f in fonts]
    new_descriptor.FontBBox = pikepdf.Array(
        [
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        ]
    )
    new_cid = pikepdf.Dictionary({k: cid_font[k] for k in cid_font})
    new_cid.W = _widths_array(widths)
    new_cid.Subtype = pikepdf.Name.CIDFontType0 if cff else pikepdf.Name.CIDFontType2
    new_cid.FontDescriptor = pdf.make_indirect(new_descriptor)
    new_font = pikepdf.Dictionary({k: first[k] for k in first})
    new_font.DescendantFonts = pikepdf.Array([pdf.make_indirect(new_cid)])
    new_font.ToUnicode = pdf.make_indirect(pikepdf.Stream(pdf, _to_unicode_stream(to_unicode)))
    return pdf.make_indirect(new_font)
