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
import re
import shutil
import subprocess
from collections import defaultdict
from functools import cache

__all__ = ["merge_fonts"]

# WeasyPrint's dropped tables (pdf/fonts.py, `_harfbuzz_subset`).
DROPPED_TABLES = (
    "BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ",
)  # fmt: skip


def merge_fonts(pdf) -> int:
    """Replace every face embedded more than once by one font object; returns how many
    faces were merged."""
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
        if len(members) > 1:
            one = _merge(pdf, [members[k] for k in sorted(members)])
            if one is not None:
                merged[base] = one
    for fonts, key, base in users:
        if base in merged:
            fonts[key] = merged[base]
    return len(merged)


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
    """A CID font's /W array as glyph id -> width."""
    import pikepdf

    found: dict[int, float] = {}
    items = list(cid_font.get("/W", []))
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for k, width in enumerate(items[i + 1]):
                found[first + k] = float(width)
            i += 2
        else:
            for gid in range(first, int(items[i + 1]) + 1):
                found[gid] = float(items[i + 2])
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


@cache
def _face_file(family: str, style: str) -> tuple[str, int] | None:
    """Where fontconfig finds a face (as Pango asks it: family and style words)."""
    tool = shutil.which("fc-match")
    if tool is None:
        return None
    pattern = family + "".join(f":{word.lower()}" for word in style.split())
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


def _merge(pdf, fonts):
    """One Type 0 font for `fonts` (the same face from several pieces), or None."""
    import pikepdf

    first = fonts[0]
    cid_font = first.DescendantFonts[0]
    descriptor = cid_font.FontDescriptor
    program_key = "/FontFile3" if "/FontFile3" in descriptor else "/FontFile2"
    if program_key not in descriptor:
        return None
    family = str(descriptor.get("/FontFamily", ""))
    name = str(first.BaseFont).split("+", 1)[-1]
    style = name[len(family.replace(" ", "-")) :].replace("-", " ").strip()
    found = _face_file(family, style)
    if found is None:
        return None
    embedded = _postscript_name(descriptor[program_key].read_bytes())
    if not embedded or _face_name(*found) != embedded:
        return None  # not the face WeasyPrint embedded: keep the pieces' own copies

    widths: dict[int, float] = {}
    to_unicode: dict[int, str] = {}
    for font in fonts:
        widths.update(read_widths(font.DescendantFonts[0]))
        to_unicode.update(read_to_unicode(font))
    program = _subset(found[0], found[1], set(widths))
    font_file = pikepdf.Stream(pdf, program)
    if program_key == "/FontFile3":
        font_file.Subtype = pikepdf.Name.OpenType
    else:
        font_file.Length1 = len(program)

    new_descriptor = pikepdf.Dictionary({k: descriptor[k] for k in descriptor})
    new_descriptor[program_key] = pdf.make_indirect(font_file)
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
    new_cid.FontDescriptor = pdf.make_indirect(new_descriptor)
    new_font = pikepdf.Dictionary({k: first[k] for k in first})
    new_font.DescendantFonts = pikepdf.Array([pdf.make_indirect(new_cid)])
    new_font.ToUnicode = pdf.make_indirect(pikepdf.Stream(pdf, _to_unicode_stream(to_unicode)))
    return pdf.make_indirect(new_font)
