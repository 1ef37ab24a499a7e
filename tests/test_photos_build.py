"""Photos through a whole build: what an editor handing in a folder of phone photos gets.

Both writers embed the image stage's processed file (checked byte for byte in the PDF's
image XObject and the DOCX's media part), bad photos stop the build with one line naming
the image, the case file and the line, and the report lists where every photo came from.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from imagefactory import bomb_png, exif_with, headerless_progressive_jpeg, photo, save
from publisher.pipeline.build import build
from publisher.pipeline.project import Project
from publisher.pipeline.scaffold import init_project
from publisher.support.errors import ContentError

pytestmark = pytest.mark.slow  # whole builds with photos

CASE = """\
---
id: demo
title: 示例案例
---

正文内容。

{figures}
"""


def make_project(root: Path, figures: str) -> Project:
    init_project(root, "测试汇编")
    settings = root / "content" / "compendium.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "docx_toc_pages = false\npdf_tagged = false\n",
        encoding="utf-8",
    )
    (root / "content" / "cases" / "demo.md").write_text(
        CASE.format(figures=figures), encoding="utf-8"
    )
    return Project(root)


def cache_files(project: Project) -> list[Path]:
    return sorted(
        p for p in (project.build / ".cache" / "images").iterdir() if p.name != "index.json"
    )


def docx_media(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if n.startswith("word/media/")}


def pdf_jpeg_streams(path: Path) -> list[bytes]:
    """The raw (DCTDecode) bytes of every JPEG image XObject in the PDF."""
    streams = []
    for page in PdfReader(path).pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image" and obj.get("/Filter") == "/DCTDecode":
                streams.append(obj._data)
    return list(dict.fromkeys(streams))


def test_headerless_progressive_jpeg_is_printed_in_both_files(tmp_path):
    """Was: `internal error: UnrecognizedImageError` from the DOCX writer, exit 2, no
    outputs. python-docx cannot recognise a JPEG without a JFIF/Exif header; the image
    stage re-encodes it first."""
    project = make_project(tmp_path, "![村民行使选举权利。](images/web.jpg) 孙璞玉 摄")
    headerless_progressive_jpeg(project.content / "images" / "web.jpg")
    result = build(project)
    pdf, docx = sorted(result.outputs, key=lambda p: p.suffix, reverse=True)
    assert pdf.suffix == ".pdf" and docx.suffix == ".docx"
    processed = cache_files(project)
    assert len(processed) == 1 and processed[0].suffix == ".jpg"
    assert list(docx_media(docx).values()) == [processed[0].read_bytes()]
    assert pdf_jpeg_streams(pdf) == [processed[0].read_bytes()]
    original = (project.content / "images" / "web.jpg").read_bytes()
    assert original not in pdf.read_bytes() and original not in docx.read_bytes()


def test_phone_photo_is_upright_small_and_without_location(tmp_path):
    project = make_project(tmp_path, "![竖拍的照片。](images/phone.jpg) 某某 摄")
    # Stored sideways (landscape) with EXIF orientation 6: shown turned 90° clockwise.
    save(
        photo(1600, 1200),
        project.content / "images" / "phone.jpg",
        "JPEG",
        quality=92,
        exif=exif_with(orientation=6, gps=True),
    )
    result = build(project)
    (processed,) = cache_files(project)
    docx = next(p for p in result.outputs if p.suffix == ".docx")
    (media,) = docx_media(docx).values()
    assert media == processed.read_bytes()
    with Image.open(io.BytesIO(media)) as image:
        assert image.width < image.height  # portrait, as the phone showed it
        assert not image.getexif() and b"Exif" not in media  # no EXIF, so no GPS
        rgb = image.convert("RGB")
        w, h = image.size
        # Turned clockwise: the stored top-left red corner is now at the top right.
        assert _near(rgb.getpixel((w - 5, 5)), (220, 30, 30))
        assert _near(rgb.getpixel((5, h - 5)), (30, 30, 220))
    figure = json.loads((project.build / "report.json").read_text())["figures"][0]
    # A portrait photo is printed 110 mm high (the theme's max_height), not a page high.
    assert figure["printed_mm"] == "82.5×110"


def _near(pixel, expected, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False))


def test_photos_by_naming_rule_pairs_and_the_report(tmp_path):
    figures = (
        "![第一张。]() 某某 摄\n\n![图为甲（左）乙（右）。]()()\n\n"
        "![写明文件的照片。](images/named.png)\n\n![还没有照片。]()"
    )
    project = make_project(tmp_path, figures)
    images = project.content / "images"
    save(photo(900, 600), images / "demo" / "1.JPG", "JPEG")  # 图 1-1 by the rule
    save(photo(600, 800, seed=2), images / "demo" / "2a.webp", "WEBP")  # 图 1-2 left
    save(photo(800, 600, seed=3), images / "demo" / "2b.heic", "HEIF") if _heif() else save(
        photo(800, 600, seed=3), images / "demo" / "2b.tif", "TIFF"
    )
    Image.new("P", (300, 200), 3).save(images / "named.png")  # line art: PNG
    result = build(project)
    report = json.loads((project.build / "report.json").read_text())
    rows = {f["figure"]: f for f in report["figures"]}
    assert rows["图 1-1"]["origin"] == "naming rule"
    assert rows["图 1-1"]["images"] == ["images/demo/1.JPG"]
    assert rows["图 1-2"]["origin"] == "naming rule" and len(rows["图 1-2"]["images"]) == 2
    assert rows["图 1-3"]["origin"] == "case file" and rows["图 1-3"]["pixels"][0].endswith("PNG")
    assert rows["图 1-4"]["missing"] and rows["图 1-4"]["wanted"] == "images/demo/4.jpg"
    markdown = (project.build / "report.md").read_text()
    assert "missing: put it at `images/demo/4.jpg`" in markdown
    # The pair: two pictures of one height side by side, the caption no wider than both.
    docx = next(p for p in result.outputs if p.suffix == ".docx")
    assert len(docx_media(docx)) == 5  # four photos and the placeholder picture of 图 1-4
    width, height = (float(x) for x in rows["图 1-2"]["printed_mm"].split("×"))
    assert width <= 160.87 and height <= 110
    with zipfile.ZipFile(docx) as package:
        xml = package.read("word/document.xml").decode()
    sizes = [tuple(map(int, m)) for m in re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"/>', xml)]
    assert len(sizes) == 5 and sizes[1][1] == sizes[2][1]  # one height for the pair
    assert abs(sizes[1][0] + sizes[2][0] + 4.33 * 36000 - width * 36000) < 36000
    assert 'descr="图 1-2　图为甲（左）乙（右）。"' in xml  # alt text: the caption
    # One line in Word and LibreOffice: both pictures, no default spacing around them
    # (LibreOffice adds some unless told), and the ideographic space (1 em of 12 pt).
    assert len(re.findall(r'<wp:inline[^>]*distL="0"[^>]*distR="0"', xml)) >= 4
    assert sizes[1][0] + sizes[2][0] + 12 / 72 * 25.4 * 36000 <= 160.867 * 36000


def _heif() -> bool:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()  # so that the test can write HEIC files
    return True


def test_rebuild_reuses_the_cache_and_gives_the_same_bytes(tmp_path):
    project = make_project(tmp_path, "![照片。](images/a.jpg)\n\n![图。](images/b.png)")
    save(photo(2000, 1500), project.content / "images" / "a.jpg", "JPEG")
    save(photo(1200, 900).convert("RGBA"), project.content / "images" / "b.png", "PNG")
    first = build(project)
    before = {p.name: p.read_bytes() for p in cache_files(project)}
    outputs = {p.name: p.read_bytes() for p in first.outputs}
    (project.content / "cases" / "demo.md").write_text(
        CASE.format(figures="![照片。](images/a.jpg)\n\n![图。](images/b.png)") + "\n再一段。\n",
        encoding="utf-8",
    )
    second = build(project, force=True)
    assert second.report is not None
    assert {p.name: p.read_bytes() for p in cache_files(project)} == before
    for cached in cache_files(project):
        cached.unlink()
    build(project, force=True)  # made again from the originals: the same bytes
    assert {p.name: p.read_bytes() for p in cache_files(project)} == before
    assert outputs  # (the PDF text changed, so only the images are compared)


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: p.write_bytes(b""), "is an empty file (0 bytes)"),
        (lambda p: p.write_text("这不是照片，是一段文字。\n", encoding="utf-8"), "is a text file"),
        (lambda p: p.write_bytes(_truncated_jpeg()), "is damaged or incomplete"),
        (lambda p: bomb_png(p), "more than 120 megapixels"),
        (lambda p: Image.new("RGB", (32, 32)).save(p, "ICO"), "not an image in a format"),
    ],
)
def test_a_bad_photo_is_one_line_with_image_case_file_and_line(tmp_path, make, words):
    project = make_project(tmp_path, "![坏照片。](images/bad.jpg) 某某 摄")
    make(project.content / "images" / "bad.jpg")
    with pytest.raises(ContentError) as err:
        build(project)
    message = str(err.value)
    assert "\n" not in message and words in message
    assert message.startswith("content/cases/demo.md:8: error: 图 1-1: image images/bad.jpg ")
    assert not (project.build / "测试汇编.pdf").exists()


def _truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    photo(600, 400).save(buffer, "JPEG")
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


def test_cli_reports_a_bad_photo_without_a_traceback(tmp_path):
    project = make_project(tmp_path, "![坏照片。](images/bad.jpg)")
    bomb_png(project.content / "images" / "bad.jpg")
    run = subprocess.run(
        [sys.executable, "-m", "publisher", "build", "-q"],
        capture_output=True,
        text=True,
        cwd=project.root,
    )
    assert run.returncode == 1
    assert "demo.md:8: error: 图 1-1: image images/bad.jpg" in run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr


def _image_boxes(page) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) in pt, PDF coordinates, of every image drawn on the page."""
    from pypdf.generic import ContentStream

    def mul(a, b):
        return [
            a[0] * b[0] + a[1] * b[2],
            a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4],
            a[4] * b[1] + a[5] * b[3] + b[5],
        ]

    ctm, stack, boxes = [1, 0, 0, 1, 0, 0], [], []
    for operands, op in ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = mul([float(v) for v in operands], ctm)
        elif op == b"Do":
            xs = [ctm[4], ctm[0] + ctm[4], ctm[2] + ctm[4], ctm[0] + ctm[2] + ctm[4]]
            ys = [ctm[5], ctm[1] + ctm[5], ctm[3] + ctm[5], ctm[1] + ctm[3] + ctm[5]]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def _words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) in pt from the top of the page (pdftotext -bbox)."""
    from conftest import require_tool

    require_tool("pdftotext")
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (w, *map(float, box))
        for *box, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html
        )
    ]


def test_pdf_caption_sits_under_its_photo_and_no_wider(tmp_path):
    caption = "竖拍的照片，说明文字很长很长，比照片本身宽得多，要在照片的宽度之内折行排列，" * 2
    project = make_project(tmp_path, f"![{caption}](images/tall.jpg) 某某 摄")
    save(photo(900, 1200), project.content / "images" / "tall.jpg", "JPEG")
    pdf = next(p for p in build(project).outputs if p.suffix == ".pdf")
    reader = PdfReader(pdf)
    number, page = next((n, p) for n, p in enumerate(reader.pages, 1) if _image_boxes(p))
    ((x0, y0, x1, y1),) = _image_boxes(page)
    assert (x1 - x0) / 72 * 25.4 == pytest.approx(82.5, abs=0.2)  # 110 mm high, 3:4
    assert (y1 - y0) / 72 * 25.4 == pytest.approx(110, abs=0.2)
    height = float(page.mediabox.height)
    words = _words(pdf, number)
    lines = [w for w in words if "图" in w[0] or "照片" in w[0] or "摄" in w[0]]
    assert lines, words
    for _, left, top, right, _ in lines:  # caption lines: inside the photo's width,
        assert left >= x0 - 1 and right <= x1 + 1
        assert top >= height - y0 - 1  # and below it, on the same page


def test_line_art_png_pixels_in_the_pdf_are_the_processed_ones(tmp_path):
    """WeasyPrint stores a PNG as Flate pixels: they are the stage's PNG, not the original."""
    from PIL import ImageChops, ImageDraw

    project = make_project(tmp_path, "![流程图。](images/chart.png)")
    chart = Image.new("P", (3000, 2000), 0)
    chart.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    ImageDraw.Draw(chart).rectangle((300, 300, 2700, 1700), outline=1, width=40)
    chart.save(project.content / "images" / "chart.png")
    pdf = next(p for p in build(project, ("pdf",)).outputs if p.suffix == ".pdf")
    (processed,) = cache_files(project)
    assert processed.suffix == ".png"
    # Pages share one resource dictionary: the same image is listed on every page.
    (embedded,) = {i.name: i.image for page in PdfReader(pdf).pages for i in page.images}.values()
    with Image.open(processed) as expected:
        assert embedded.size == expected.size and embedded.size[0] < 3000
        difference = ImageChops.difference(embedded.convert("RGB"), expected.convert("RGB"))
        assert difference.getbbox() is None
