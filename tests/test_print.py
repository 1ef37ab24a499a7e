"""The print shop's files read as its pre-flight reads them: page, trim and bleed boxes,
crop marks, the output intent and PDF/X-4 identification, fonts embedded, backgrounds
running into the bleed, photos' resolution, and the cover's spine."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from conftest import ROOT, output_of, require_tool
from publisher.imaging.stage import FigureImages, PlacedImage, ResolvedImages
from publisher.look.fonts import font_stacks
from publisher.look.theme import load_theme
from publisher.model import Compendium
from publisher.support.options import WriterOptions
from publisher.testing.pdf_typography import pdf_lines
from publisher.writers.pdf import write_pdf
from publisher.writers.pdf.cover import write_cover
from publisher.writers.pdf.print_ready import (
    photo_resolutions,
    print_ready,
    spine_width_mm,
    unembedded_fonts,
)

MM = 72 / 25.4
BLEED = 3 * MM


@pytest.fixture(scope="module")
def book_theme():
    return load_theme(None, preset="book-16k")


@pytest.fixture(scope="module")
def screen_pdf(sample_compendium, book_theme, tmp_path_factory) -> bytes:
    options = WriterOptions(
        content_dir=tmp_path_factory.mktemp("p"), styles_dir=ROOT / "styles", date="2026-11-01"
    )
    return output_of(write_pdf, sample_compendium, book_theme, options).data


@pytest.fixture(scope="module")
def print_pdf(screen_pdf) -> bytes:
    return print_ready(screen_pdf)


def _render(data: bytes, page: int, tmp_path: Path, dpi: int = 72) -> Image.Image:
    """The page as a print shop's RIP sees it: the whole MediaBox (bleed and marks)."""
    require_tool("pdftoppm")
    source = tmp_path / "in.pdf"
    source.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile"]
        + [str(source), str(tmp_path / "page")],
        check=True,
    )
    return Image.open(tmp_path / "page.png").convert("RGB")


def test_spine_width_is_a_leaf_per_paper_thickness():
    assert spine_width_mm(38, 0.1) == 1.9
    assert spine_width_mm(400, 0.1) == 20.0
    assert spine_width_mm(401, 0.1) == 20.1  # the last leaf printed on one side
    assert spine_width_mm(400, 0.08) == 16.0


def test_every_page_has_trim_and_bleed_boxes(screen_pdf, print_pdf, book_theme):
    with pikepdf.open(io.BytesIO(screen_pdf)) as screen, pikepdf.open(io.BytesIO(print_pdf)) as pdf:
        assert len(pdf.pages) == len(screen.pages)
        for page in pdf.pages:
            trim = [float(v) for v in page.TrimBox]
            bleed = [float(v) for v in page.BleedBox]
            media = [float(v) for v in page.MediaBox]
            width, height = trim[2] - trim[0], trim[3] - trim[1]
            assert width == pytest.approx(185 * MM, abs=0.05)  # 16开
            assert height == pytest.approx(260 * MM, abs=0.05)
            assert bleed == pytest.approx(
                [trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED], abs=0.01
            )
            assert media[0] < bleed[0] and media[1] < bleed[1]  # room for the crop marks
            assert media[2] > bleed[2] and media[3] > bleed[3]
            assert "/Annots" not in page  # PDF/X: no annotation inside the bleed box


def test_pdfx4_output_intent_and_identification(print_pdf):
    with pikepdf.open(io.BytesIO(print_pdf)) as pdf:
        assert pdf.pdf_version >= "1.6"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3 and profile.read_bytes()[36:40] == b"acsp"  # an ICC profile
        assert str(pdf.trailer.Info.GTS_PDFXVersion) == "PDF/X-4"
        assert pdf.trailer.Info.Trapped == "/False"
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["xmpMM:DocumentID"].startswith("uuid:") and meta["xmpMM:VersionID"]
        assert meta["xmp:CreateDate"] and meta["pdf:Trapped"] == "False"


def test_all_fonts_embedded(print_pdf):
    assert unembedded_fonts(print_pdf) == []


def test_pdftoppm_and_poppler_see_pdfx4(print_pdf, tmp_path):
    require_tool("pdfinfo")
    path = tmp_path / "x.pdf"
    path.write_bytes(print_pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "PDF/X-4" in info


def test_the_cover_band_runs_into_the_bleed_and_the_marks_are_outside_it(
    print_pdf, book_theme, tmp_path
):
    image = _render(print_pdf, 1, tmp_path)
    with pikepdf.open(io.BytesIO(print_pdf)) as pdf:
        media = [float(v) for v in pdf.pages[0].MediaBox]
        trim = [float(v) for v in pdf.pages[0].TrimBox]

    def pixel(x_pt: float, y_pt: float) -> tuple[int, int, int]:
        """The colour at PDF point (x, y), y from the bottom."""
        return image.getpixel((round(x_pt - media[0]), round(media[3] - y_pt)))

    accent = tuple(int(book_theme.colors.accent[i : i + 2], 16) for i in (1, 3, 5))
    # the band is at the top of the cover page: 1.5 mm outside the trim, above and to
    # the left, it is still the accent colour (the bleed), and 1.5 mm outside the bleed
    # it is white
    inside_bleed = pixel(trim[0] - 1.5 * MM, trim[3] + 1.5 * MM)
    assert max(abs(a - b) for a, b in zip(inside_bleed, accent, strict=True)) < 40
    assert pixel(trim[0] - BLEED - 1.5 * MM, trim[3] + BLEED + 1.5 * MM) == (255, 255, 255)
    # white paper reaches no further than the trim: the foot of the page's bleed is white
    assert pixel((trim[0] + trim[2]) / 2, trim[1] - 1.5 * MM) == (255, 255, 255)
    # a crop mark: on the trim's extended left edge, beyond the bleed, below the page
    mark = pixel(trim[0], trim[1] - BLEED - 4 * MM)
    assert max(mark) < 128


def test_photos_resolution_at_printed_size_and_low_ones_marked(tmp_path):
    def placed(pixels: int, width_mm: float) -> PlacedImage:
        return PlacedImage("images/a.jpg", tmp_path / "a.jpg", "JPEG", (pixels, 600), width_mm, 80)

    images = ResolvedImages(
        {
            ("c", 1): FigureImages("c", "图 1-1", (placed(1500, 127),), "case file", "a.jpg"),
            ("c", 2): FigureImages("c", "图 1-2", (placed(900, 127),), "case file", "b.jpg"),
        },
        tmp_path,
    )
    photos = {p.label: p for p in photo_resolutions(images)}
    assert photos["图 1-1"].dpi == 300 and not photos["图 1-1"].low
    assert photos["图 1-2"].dpi == 180 and photos["图 1-2"].low


@pytest.mark.parametrize(("pages", "spine"), [(38, 1.9), (400, 20.0)])
def test_cover_sheet_is_back_spine_front(book_theme, pages, spine):
    book = Compendium(
        title="抓党建促脱贫攻坚典型案例汇编",
        subtitle="基层党组织引领精准扶贫案例选",
        compiler="本书编写组",
        date="2026-11-01",
        parts=(),
    )
    cover = write_cover(
        book, book_theme, font_stacks(book_theme), pages=pages, paper_thickness_mm=0.1
    )
    assert cover.spine_mm == spine
    with pikepdf.open(io.BytesIO(cover.data)) as pdf:
        (page,) = pdf.pages
        trim = [float(v) for v in page.TrimBox]
        assert trim[2] - trim[0] == pytest.approx((2 * 185 + spine) * MM, abs=0.1)
        assert trim[3] - trim[1] == pytest.approx(260 * MM, abs=0.1)
        assert [float(v) for v in page.BleedBox][0] == pytest.approx(trim[0] - BLEED, abs=0.01)
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFX"
        origin = -float(page.MediaBox[0])  # pdfminer measures from the MediaBox's corner
    glyphs = [(ln.y, g) for ln in pdf_lines(cover.data) for g in ln.glyphs]
    start, end = (185 * MM + origin, (185 + spine) * MM + origin)
    front = "".join(g.text for _, g in glyphs if g.x0 > end)
    for text in ("抓党建促脱贫攻坚典型案例汇编", "本书编写组", "2026年11月1日"):
        assert text in front
    on_spine = [(y, g) for y, g in glyphs if start - 1 < g.x0 and g.x1 < end + 1]
    if spine >= 5:  # down the spine, one character a line, upright (as wide as high)
        assert "".join(g.text for _, g in on_spine) == "抓党建促脱贫攻坚典型案例汇编"
        assert len({y for y, _ in on_spine}) == len(on_spine)
    else:
        assert on_spine == [] and cover.warnings


@pytest.mark.slow
def test_build_print_writes_both_files_and_the_report(tmp_path):
    from publisher.pipeline.build import build
    from publisher.pipeline.project import Project

    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    result = build(Project(tmp_path), ("pdf",), print_shop=True, jobs=1)
    names = {p.name for p in result.outputs}
    base = next(n for n in names if n.endswith(".pdf") and "-" not in n[-11:])[: -len(".pdf")]
    assert {f"{base}-print.pdf", f"{base}-cover.pdf"} <= names
    report = (tmp_path / "build" / "report.md").read_text(encoding="utf-8")
    assert "## For the print shop" in report and "spine" in report
    assert result.report is not None and result.report.print_shop["fonts_embedded"]
