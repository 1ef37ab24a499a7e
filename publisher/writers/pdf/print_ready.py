"""The print shop's PDF: the book's pages with bleed, crop marks, TrimBox and BleedBox, a
PDF/X-4 output intent and identification (pikepdf, on the screen PDF's bytes).

The pages are the screen PDF's, not laid out again: the trim is the page, and the MediaBox
grows by the bleed and the crop marks' room around it (to negative coordinates, so nothing
on the page moves, links and bookmarks included). A filled rectangle that reaches the
page's edge (a background, the cover band) is extended into the bleed, so no white line
shows where the guillotine cuts a hair off. Links are taken out: PDF/X allows no
annotation inside the BleedBox, and paper has none.

PDF/X-4 (ISO 15930-7): an output intent (`/GTS_PDFX`) whose profile is sRGB IEC61966-2.1,
the profile WeasyPrint ships (the book's colours and photos are sRGB; a print shop
converts to its own press condition), `GTS_PDFXVersion` in the XMP and the Info
dictionary, `Trapped` False, the XMP's document and version ids, PDF 1.6 or later; every
font is embedded (the check lists any that is not).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = [
    "BLEED_MM",
    "MIN_PRINT_DPI",
    "PrintPhoto",
    "print_ready",
    "spine_width_mm",
    "unembedded_fonts",
    "photo_resolutions",
]

PT_PER_MM = 72 / 25.4
BLEED_MM = 3.0  # the usual 出血 of Chinese print shops, on every side
MARK_ROOM_MM = 10.0  # outside the bleed: the crop marks (5 mm long, 2 mm clear of the bleed)
MARK_LENGTH_MM = 5.0
MIN_PRINT_DPI = 250  # below this at its printed size a photo looks soft in offset print
EDGE_PT = 0.5  # a rectangle this close to the trim reaches it
OUTPUT_CONDITION = "sRGB IEC61966-2.1"


def spine_width_mm(pages: int, paper_thickness_mm: float) -> float:
    """The spine as thick as the book block: one leaf (two pages) per paper thickness."""
    return round(math.ceil(pages / 2) * paper_thickness_mm, 2)


def srgb_profile() -> bytes:
    """The sRGB ICC profile WeasyPrint ships (its own PDF/A output intents use it)."""
    return (resources.files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def print_ready(
    data: bytes, *, bleed_mm: float = BLEED_MM, dates: tuple[str, str] | None = None
) -> bytes:
    """The PDF `data` as a print shop wants it (see the module's docstring). `dates`:
    the creation and modification dates (PDF form) for a document that has none."""
    import pikepdf

    bleed = bleed_mm * PT_PER_MM
    room = bleed + MARK_ROOM_MM * PT_PER_MM
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
            trim = (x0, y0, x1, y1)
            _bleed_backgrounds(pdf, page, trim, bleed)
            page.obj.MediaBox = pikepdf.Array([x0 - room, y0 - room, x1 + room, y1 + room])
            if "/CropBox" in page.obj:
                del page.obj["/CropBox"]
            page.obj.TrimBox = pikepdf.Array(list(trim))
            page.obj.BleedBox = pikepdf.Array([x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed])
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
            page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
            marks = _crop_marks(trim, bleed).encode("ascii")
            page.contents_add(pikepdf.Stream(pdf, b"Q\n" + marks), prepend=False)
        _pdfx(pdf, dates)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True, min_version="1.6")
    return out.getvalue()


def _crop_marks(trim: tuple[float, float, float, float], bleed: float) -> str:
    """Crop marks at the four corners, outside the bleed: thin black lines on the trim's
    extended edges (PDF/X: artifacts, in DeviceGray, allowed with any output intent)."""
    x0, y0, x1, y1 = trim
    length = MARK_LENGTH_MM * PT_PER_MM
    gap = bleed + 2 * PT_PER_MM
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            lines.append((x + sx * gap, y, x + sx * (gap + length), y))  # horizontal
            lines.append((x, y + sy * gap, x, y + sy * (gap + length)))  # vertical
    path = " ".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l" for a, b, c, d in lines)
    return (
        f"/Artifact <</Type /Pagination /Subtype /Watermark>> BDC\nq 0 G 0.25 w {path} S Q\nEMC\n"
    )


def _bleed_backgrounds(pdf, page, trim: tuple[float, float, float, float], bleed: float) -> None:
    """Extend each filled rectangle of the page's own content that reaches the trim's
    edge by the bleed on that side, and the clipping rectangle WeasyPrint sets around it
    (an axis-aligned transformation, as WeasyPrint draws backgrounds)."""
    import pikepdf

    instructions = pikepdf.parse_content_stream(page)
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    changed = False
    out: list = []
    pending: tuple[int, list[float]] | None = None  # a rectangle, until its paint operator
    for instruction in instructions:
        operands, op = list(instruction.operands), str(instruction.operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else ctm
        elif op == "cm":
            ctm = _multiply([float(v) for v in operands], ctm)
        elif op == "re":
            axis_aligned = abs(ctm[1]) < 1e-9 and abs(ctm[2]) < 1e-9
            pending = (len(out), [float(v) for v in operands]) if axis_aligned else None
        elif op in ("f", "F", "f*", "B", "B*", "W", "W*") and pending is not None:
            # a fill, or the clip WeasyPrint sets to the box before painting it
            index, rect = pending
            grown = _grown(rect, ctm, trim, bleed)
            if grown is not None:
                out[index] = pikepdf.ContentStreamInstruction(grown, pikepdf.Operator("re"))
                changed = True
            pending = None
        elif op not in ("m", "l", "c", "v", "y", "h", "n"):
            pending = None
        out.append(pikepdf.ContentStreamInstruction(operands, instruction.operator))
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


def _grown(rect, ctm, trim, bleed) -> list[float] | None:
    """`rect` (x, y, w, h in user space) grown by `bleed` on each side where its device
    rectangle reaches the trim; None where it reaches none."""
    x, y, w, h = rect
    a, d, e, f = ctm[0], ctm[3], ctm[4], ctm[5]
    xs = sorted((a * x + e, a * (x + w) + e))
    ys = sorted((d * y + f, d * (y + h) + f))
    left, right = xs
    bottom, top = ys
    tx0, ty0, tx1, ty1 = trim
    grow = [
        left <= tx0 + EDGE_PT and right > tx0,
        bottom <= ty0 + EDGE_PT and top > ty0,
        right >= tx1 - EDGE_PT and left < tx1,
        top >= ty1 - EDGE_PT and bottom < ty1,
    ]
    if not any(grow) or abs(a) < 1e-9 or abs(d) < 1e-9:
        return None
    left -= bleed if grow[0] else 0
    bottom -= bleed if grow[1] else 0
    right += bleed if grow[2] else 0
    top += bleed if grow[3] else 0
    ux = sorted(((left - e) / a, (right - e) / a))
    uy = sorted(((bottom - f) / d, (top - f) / d))
    return [ux[0], uy[0], ux[1] - ux[0], uy[1] - uy[0]]


def _multiply(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def pdf_dates(data: bytes) -> tuple[str, str] | None:
    """A PDF's creation and modification dates (PDF form), if it has them."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        info = pdf.trailer.get("/Info")
        if info is None or "/CreationDate" not in info:
            return None
        created = str(info.CreationDate)
        return created, str(info.get("/ModDate", created))


def _pdfx(pdf, dates: tuple[str, str] | None = None) -> None:
    """The output intent and the PDF/X-4 identification, dates kept from the document
    (SOURCE_DATE_EPOCH builds stay byte-identical)."""
    import pikepdf

    profile = pdf.make_stream(srgb_profile())
    profile.N = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
        RegistryName=pikepdf.String("http://www.color.org"),
        Info=pikepdf.String(OUTPUT_CONDITION),
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = pikepdf.Array([intent])
    info = pdf.trailer.get("/Info")
    if info is None:
        info = pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary())
    if dates is not None and "/CreationDate" not in info:
        info.CreationDate, info.ModDate = (pikepdf.String(d) for d in dates)
    info.GTS_PDFXVersion = pikepdf.String("PDF/X-4")
    info.Trapped = pikepdf.Name("/False")
    created = _xmp_date(info.get("/CreationDate"))
    modified = _xmp_date(info.get("/ModDate")) or created
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
        meta["pdf:Trapped"] = "False"
        if created:
            meta["xmp:CreateDate"] = created
            meta["xmp:MetadataDate"] = modified
        if modified:
            meta["xmp:ModifyDate"] = modified
        ident = "uuid:" + _document_uuid(pdf)
        meta["xmpMM:DocumentID"] = ident
        meta["xmpMM:InstanceID"] = ident
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"


def _xmp_date(value: Any) -> str:
    """A PDF date (D:20231114221320+00'00') as XMP wants it (2023-11-14T22:13:20+00:00)."""
    if value is None:
        return ""
    text = str(value).removeprefix("D:")
    if len(text) < 14 or not text[:14].isdigit():
        return ""
    zone = text[14:].replace("'", "")
    zone = "+00:00" if zone in ("", "Z") else f"{zone[:3]}:{zone[3:5] or '00'}"
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}T{text[8:10]}:{text[10:12]}:{text[12:14]}{zone}"


def _document_uuid(pdf) -> str:
    """From the document's /ID (itself from its content): the same book, the same id."""
    first = bytes(pdf.trailer.ID[0]) if "/ID" in pdf.trailer else b"\0" * 16
    hexed = (first.hex() + "0" * 32)[:32]
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def unembedded_fonts(data: bytes) -> list[str]:
    """The fonts a print shop's pre-flight would reject: any without its font program."""
    import pikepdf

    missing: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            resources_ = page.obj.get("/Resources")
            fonts: Any = resources_.get("/Font") if resources_ is not None else None
            for key in list(fonts.keys()) if fonts is not None else ():
                font = fonts[key]
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is None or not any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    missing.add(str(font.get("/BaseFont", key)))
    return sorted(missing)


@dataclass(frozen=True, slots=True)
class PrintPhoto:
    """A photo as printed: its figure, source file, and pixels per inch at its size."""

    label: str
    source: str
    dpi: int

    @property
    def low(self) -> bool:
        return self.dpi < MIN_PRINT_DPI


def photo_resolutions(images) -> list[PrintPhoto]:
    """Every placed photo's effective resolution at its printed width (`ResolvedImages`)."""
    photos = []
    for figure in images.figures.values() if images is not None else ():
        for image in figure.images:
            dpi = round(image.pixels[0] / (image.width_mm / 25.4)) if image.width_mm else 0
            photos.append(PrintPhoto(figure.label, image.source, dpi))
    return photos
