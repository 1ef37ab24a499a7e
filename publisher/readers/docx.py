"""Word files (DOCX) sent in by local units → cases, with python-docx.

What the file's structure says is used as evidence:
- styles: Title → title; Subtitle → subtitle; Heading 1-3 (标题 1-3, or an outline level)
  → headings; Caption (题注) → the caption of the picture before it;
- bold runs opening a paragraph → its lead-in (run-in head); a short all-bold line
  without end punctuation → a heading (listed for review);
- embedded pictures → figures; their files are extracted to content/images/;
- tables cannot be mapped to the content model: each is reported, never silently lost.
With no Title-styled paragraph, a first short line that is centred or all bold is the
title (listed for review); otherwise the case has none (a lint error). A centred short
line under the title that names a unit (某镇党委宣传办) or people is the byline.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..imaging.decode import ImageProblem, open_image
from ..model import Author
from ..support.errors import ContentError, Diagnostic
from ..support.package import check_package
from .raw.assemble import case_id
from .rules.facts import is_organisation, split_names
from .rules.text import ends_final
from .structured import SourceBlock, SourcePage, build_page

__all__ = ["import_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_CAPTION_STYLES = {"caption", "题注"}
_IMAGE_EXT = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "image/webp": ".webp",
}
_TITLE_MAX = 60


_ON = {"", "1", "true", "on"}
_OFF = {"0", "false", "off", "none"}


class _Styles:
    """The document's styles, read once: python-docx looks a paragraph's or run's style up
    by scanning every style (for an unstyled run: every call), 5.7 ms a paragraph."""

    def __init__(self, document) -> None:
        self.names: dict[str, str] = {}
        self.bold: dict[str, bool | None] = {}
        self.default: dict[str, str] = {}
        for style in document.styles.element.iterchildren(_W + "style"):
            style_id = style.get(_W + "styleId") or ""
            name = style.find(_W + "name")
            self.names[style_id] = (name.get(_W + "val") or "") if name is not None else ""
            b = style.find(f"{_W}rPr/{_W}b")
            self.bold[style_id] = _on_off(b) if b is not None else None
            if style.get(_W + "default") in ("1", "true", "on"):
                self.default.setdefault(style.get(_W + "type") or "", style_id)
        self.unknown_values: set[str] = set()  # <w:b w:val="maybe"/>: read as not bold

    def paragraph_style(self, p_element) -> str:
        """The lower-cased name of a paragraph's style (the default style when it names
        none, or one the document does not define), as python-docx would give it."""
        ids = p_element.xpath("./w:pPr/w:pStyle/@w:val")
        style_id = ids[0] if ids and ids[0] in self.names else self.default.get("paragraph", "")
        return self.names.get(style_id, "").strip().lower()

    def is_bold(self, r_element) -> bool:
        """Direct formatting first; else the run's character style (bold, or named
        Strong / 要点)."""
        direct = r_element.find(f"{_W}rPr/{_W}b")
        if direct is not None:
            value = _on_off(direct)
            if value is None:
                self.unknown_values.add(direct.get(_W + "val") or "")
                return False
            if value:
                return True
        ids = r_element.xpath("./w:rPr/w:rStyle/@w:val")
        style_id = ids[0] if ids else self.default.get("character", "")
        return bool(self.bold.get(style_id)) or self.names.get(style_id, "").lower() in (
            "strong",
            "要点",
        )


def _on_off(element) -> bool | None:
    """An OOXML on/off property (`<w:b/>`, `w:val="0"`…); None for a value it cannot have."""
    value = (element.get(_W + "val") or "").strip().lower()
    return True if value in _ON else False if value in _OFF else None


def _centred(p_element) -> bool:
    return p_element.xpath("string(./w:pPr/w:jc/@w:val)") == "center"


def _outline_level(p_element) -> int:
    """A paragraph's outline level set directly on it (`w:outlineLvl`), 1-based; 0: none."""
    vals = p_element.xpath("./w:pPr/w:outlineLvl/@w:val")
    return int(vals[0]) + 1 if vals and vals[0].isdigit() and int(vals[0]) < 9 else 0


# The runs of a paragraph that carry its text: its own, and those inside a hyperlink, a
# tracked insertion, a simple field or a smart tag (python-docx's `runs` has only the first).
_TEXT_RUNS = (
    "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:fldSimple/w:r | ./w:smartTag/w:r"
    " | ./w:customXml/w:r"
)
# Control characters have no place in article text (U+0085 and the rest of C1 included).
_CONTROL: dict[int, None] = dict.fromkeys(
    (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))
)


def _body_items(body):
    """The body's paragraphs and tables in order, with content controls (`w:sdt`) and
    custom XML opened: their paragraphs are the editor's text too."""
    for child in body.iterchildren():
        if child.tag in (_W + "sdt", _W + "customXml"):
            content = child.find(_W + "sdtContent") if child.tag == _W + "sdt" else child
            if content is not None:
                yield from _body_items(content)
            continue
        yield child


def _pictures(p_element) -> list[str]:
    """The relationship ids of the pictures in a paragraph (`w:p` element)."""
    return p_element.xpath(".//a:blip/@r:embed")


# C901 and PLR0915 allowed here: one pass over a Word file's body, a branch per kind of block,
# each with its own warning.
def import_docx(data: bytes, path: str):  # noqa: C901, PLR0915
    """Import one Word file: one case."""
    check_package(data, path)
    try:
        import docx

        document = docx.Document(io.BytesIO(bytes(data)))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ContentError(
            f"cannot read this Word file ({exc.__class__.__name__}): is it a"
            " .docx saved by Word or WPS?",
            path=path,
        ) from None
    except Exception as exc:  # python-docx raises plain exceptions for foreign packages
        reason = re.sub(r"\s*\n\s*", " ", str(exc)).replace(" ,", ",")  # lxml's: 2 lines
        raise ContentError(f"cannot read this Word file: {reason}", path=path) from None
    styles = _Styles(document)
    diags: list[Diagnostic] = []
    blocks: list[SourceBlock] = []
    images: dict[str, bytes] = {}
    base = case_id(path)
    title = ""
    authors: list[Author] = []
    subtitle_runs: list[tuple[str, bool]] = []
    tables = 0
    from docx.table import Table

    n = 0
    for child in _body_items(document.element.body):
        n += 1
        if child.tag == _W + "tbl":
            tables += 1
            rows = len(Table(child, document).rows)
            diags.append(
                Diagnostic(
                    path,
                    0,
                    0,
                    "warning",
                    f"table {tables} ({rows} rows) cannot be typeset as a case"
                    " block: not imported; copy what matters into the text",
                )
            )
            continue
        if child.tag == _W + "altChunk":
            diags.append(_alt_chunk(child, document, path))
            continue
        if child.tag != _W + "p":
            continue
        style = styles.paragraph_style(child)
        for rid in _pictures(child):
            part = document.part.related_parts.get(rid)
            if part is None:
                continue
            problem = _picture_problem(part)
            if problem:
                diags.append(
                    Diagnostic(path, 0, 0, "warning", f"picture {part.partname} {problem}")
                )
                continue
            name = f"images/{base}-{len(images) + 1}{_IMAGE_EXT[part.content_type]}"
            images[name] = part.blob
            blocks.append(SourceBlock("figure", image=name, line=n))
        runs = _runs(child, styles, path, n, diags)
        text = "".join(t for t, _ in runs).strip()
        if not text:
            continue
        if style == "title" and not title:
            title = text
            continue
        if style == "subtitle":
            subtitle_runs = runs
            continue
        if (
            style in _CAPTION_STYLES
            and blocks
            and blocks[-1].kind == "figure"
            and not blocks[-1].caption
        ):
            blocks[-1].caption = text
            continue
        m = _HEADING_STYLE.match(style)
        level = int(m.group(1)) if m else _outline_level(child)
        if level:
            blocks.append(SourceBlock("heading", [(text, False)], level=level, line=n))
            continue
        centred = _centred(child)
        if (
            not title
            and not any(b.kind == "paragraph" for b in blocks)
            and len(text) <= _TITLE_MAX
            and not ends_final(text)
            and (centred or all(bold for t, bold in runs if t.strip()))
        ):
            title = text
            diags.append(
                Diagnostic(
                    path,
                    0,
                    0,
                    "warning",
                    f"guess: “{text}” taken as the "
                    "title (a first short line, centred or bold): check",
                )
            )
            continue
        if (
            title
            and centred
            and not any(b.kind == "paragraph" for b in blocks)
            and len(text) <= _TITLE_MAX
            and not ends_final(text)
        ):
            # a centred line under the title naming a unit or people: the byline
            if is_organisation(text, by_length=False):
                authors.append(Author(text, "作者单位"))
                continue
            names = split_names(text)
            if names:
                authors.extend(Author(name, role or "作者") for name, role in names)
                diags.append(
                    Diagnostic(
                        path,
                        n,
                        0,
                        "warning",
                        f"guess: the centred line “{text}” under the title taken as the"
                        " byline: check",
                    )
                )
                continue
        blocks.append(SourceBlock("paragraph", runs, line=n))
    if not any(b.kind in ("paragraph", "heading") for b in blocks) and not title:
        what = "only a table" if tables else "no text"
        raise ContentError(f"this Word file holds {what}: no article to import", path=path)
    if styles.unknown_values:
        values = ", ".join(sorted(repr(v) for v in styles.unknown_values))
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"bold set to a value Word does not define ({values}): read as not bold",
            )
        )
    subtitle = "".join(t for t, _ in subtitle_runs).strip()
    page = SourcePage(
        blocks, title=title, subtitle=subtitle, authors=authors, images=images, diagnostics=diags
    )
    return build_page(page, data, path, "Word")


def _runs(
    p_element, styles: _Styles, path: str, n: int, diags: list[Diagnostic]
) -> list[tuple[str, bool]]:
    """A paragraph's text runs and whether each is bold; control characters are taken
    out, with a warning naming the paragraph."""
    runs = []
    removed = ""
    for r in p_element.xpath(_TEXT_RUNS):
        text = r.text
        if not text:
            continue
        clean = text.translate(_CONTROL).replace("\n", " ").replace("\t", " ")  # breaks, tabs
        if len(clean) != len(text):
            removed += "".join(ch for ch in text if ord(ch) in _CONTROL)
            if not clean:
                continue
        runs.append((clean, styles.is_bold(r)))
    if removed:
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(removed))
        diags.append(
            Diagnostic(
                path,
                n,
                0,
                "warning",
                f"paragraph {n}: {len(removed)} control character(s) ({codes}) taken out:"
                " they print as nothing or as boxes",
            )
        )
    return runs


def _picture_problem(part) -> str:
    """Why an embedded picture is not imported ("" when it is): not a photo format, or
    more pixels than a build accepts (read from its header, nothing decoded)."""
    if _IMAGE_EXT.get(getattr(part, "content_type", ""), "") == "":
        return "is not a photo format: not imported"
    try:
        with open_image(part.blob):
            pass
    except ImageProblem as problem:
        return f"{problem}: not imported"
    return ""


def _alt_chunk(element, document, path: str) -> Diagnostic:
    """An altChunk (a whole HTML, RTF or Word document pasted in as one piece): Word shows
    its text, but it is not paragraphs of this document; named, so nothing goes silently."""
    rid = element.get(_R + "id") or ""
    part = document.part.related_parts.get(rid)
    name = str(part.partname) if part is not None else rid
    return Diagnostic(
        path,
        0,
        0,
        "warning",
        f"an embedded document ({name}, an altChunk) is not imported: open the file in"
        " Word, copy its text into ordinary paragraphs, save and import again",
    )
