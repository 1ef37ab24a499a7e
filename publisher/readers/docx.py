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

from ..model import Author
from ..support.errors import ContentError, Diagnostic
from .raw.assemble import case_id
from .rules.facts import is_organisation, split_names
from .rules.text import ends_final
from .structured import SourceBlock, SourcePage, build_page

__all__ = ["import_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
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


def _style_name(paragraph) -> str:
    try:
        return (paragraph.style.name or "").strip().lower() if paragraph.style else ""
    except (KeyError, ValueError):
        return ""


def _outline_level(p_element) -> int:
    """A paragraph's outline level set directly on it (`w:outlineLvl`), 1-based; 0: none."""
    vals = p_element.xpath("./w:pPr/w:outlineLvl/@w:val")
    return int(vals[0]) + 1 if vals and vals[0].isdigit() and int(vals[0]) < 9 else 0


def _bold(run) -> bool:
    if run.bold:
        return True
    try:
        return bool(run.style is not None and run.style.font.bold) or (
            run.style is not None and (run.style.name or "").lower() in ("strong", "要点")
        )
    except (KeyError, ValueError):
        return False


def _pictures(p_element) -> list[str]:
    """The relationship ids of the pictures in a paragraph (`w:p` element)."""
    return p_element.xpath(".//a:blip/@r:embed")


# C901 and PLR0915 allowed here: one pass over a Word file's body, a branch per kind of block,
# each with its own warning.
def import_docx(data: bytes, path: str):  # noqa: C901, PLR0915
    """Import one Word file: one case."""
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
        raise ContentError(f"cannot read this Word file: {exc}", path=path) from None
    diags: list[Diagnostic] = []
    blocks: list[SourceBlock] = []
    images: dict[str, bytes] = {}
    base = case_id(path)
    title = ""
    authors: list[Author] = []
    subtitle_runs: list[tuple[str, bool]] = []
    tables = 0
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    n = 0
    for child in document.element.body.iterchildren():
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
        if child.tag != _W + "p":
            continue
        p = DocxParagraph(child, document)
        style = _style_name(p)
        for rid in _pictures(child):
            part = document.part.related_parts.get(rid)
            if part is None:
                continue
            ext = _IMAGE_EXT.get(getattr(part, "content_type", ""), "")
            if not ext:
                diags.append(
                    Diagnostic(
                        path,
                        0,
                        0,
                        "warning",
                        f"picture {part.partname} is not a photo format: not imported",
                    )
                )
                continue
            name = f"images/{base}-{len(images) + 1}{ext}"
            images[name] = part.blob
            blocks.append(SourceBlock("figure", image=name, line=n))
        runs = [(r.text, _bold(r)) for r in p.runs if r.text]
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
        centred = p.alignment is not None and int(p.alignment) == 1
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
    subtitle = "".join(t for t, _ in subtitle_runs).strip()
    page = SourcePage(
        blocks, title=title, subtitle=subtitle, authors=authors, images=images, diagnostics=diags
    )
    return build_page(page, data, path, "Word")
