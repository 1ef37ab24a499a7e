"""The image stage on every kind of file editors send (all made here with Pillow): read,
turned upright, converted to sRGB, stripped of metadata, sized to print at 300 dpi,
re-encoded, cached; and a bad file named with its case file and line."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from imagefactory import BLUE, RED, exif_with, headerless_progressive_jpeg, photo, save
from publisher.imaging import prepare_images
from publisher.imaging.files import image_file
from publisher.imaging.layout import printed_sizes
from publisher.model import Case, Compendium, Figure, Paragraph, Part
from publisher.support.errors import ContentError

FILES = {"a": "content/cases/a.md"}


def book(*figures: Figure) -> Compendium:
    case = Case(id="a", title="标题", blocks=(Paragraph.of("正文。"), *figures))
    return Compendium(title="书", parts=(Part("", (case,)),))


def run(content, *figures: Figure, theme, cache=None, **kw):
    cache = cache or content.parent / "cache"
    return prepare_images(book(*figures), theme, content, cache, files=FILES, **kw)


def only(result):
    (placed,) = [f for f in result.figures.values() if not f.missing]
    return placed


def processed(result, k=0) -> Image.Image:
    return Image.open(only(result).images[k].path)


@pytest.fixture
def content(tmp_path):
    (tmp_path / "content" / "images").mkdir(parents=True)
    return tmp_path / "content"


def near(pixel, expected, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False))


# --- what editors send ------------------------------------------------------------------


def _heif_available() -> bool:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()  # so that the test can write HEIC files
    return True


KINDS = {
    "baseline.jpg": lambda p: save(photo(), p, "JPEG", quality=90),
    "progressive.jpg": lambda p: save(photo(), p, "JPEG", progressive=True),
    "noheader.jpg": lambda p: headerless_progressive_jpeg(p),
    "photo.png": lambda p: save(photo(), p, "PNG"),
    "photo.webp": lambda p: save(photo(), p, "WEBP", quality=90),
    "photo.tif": lambda p: save(photo(), p, "TIFF", compression="tiff_lzw"),
    "photo.bmp": lambda p: save(photo(), p, "BMP"),
}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_photos_of_every_format_come_out_as_upright_jpeg(content, theme, name):
    KINDS[name](content / "images" / name)
    with processed(run(content, Figure("说明", image=f"images/{name}"), theme=theme)) as out:
        assert out.format == "JPEG" and out.size == (800, 600)
        rgb = out.convert("RGB")
        assert near(rgb.getpixel((10, 10)), RED) and near(rgb.getpixel((790, 590)), BLUE)


@pytest.mark.slow
@pytest.mark.skipif(not _heif_available(), reason="pillow-heif is not installed")
def test_heic_from_an_iphone(content, theme):
    save(photo(), content / "images" / "iphone.heic", "HEIF", quality=90)
    with processed(run(content, Figure("说明", image="images/iphone.heic"), theme=theme)) as out:
        assert out.format == "JPEG" and out.size == (800, 600)
        assert near(out.convert("RGB").getpixel((10, 10)), RED)


def test_cmyk_adobe_jpeg_becomes_rgb_with_the_right_colours(content, theme):
    cmyk = Image.new("CMYK", (400, 300), (0, 255, 255, 0))  # pure red ink
    save(cmyk, content / "images" / "print.jpg", "JPEG", quality=95)
    assert b"Adobe" in (content / "images" / "print.jpg").read_bytes()
    with processed(run(content, Figure("说明", image="images/print.jpg"), theme=theme)) as out:
        assert out.mode == "RGB" and near(out.getpixel((200, 150)), (255, 0, 0))


def test_16_bit_grey_palette_and_transparent_pngs(content, theme):
    Image.new("I;16", (300, 200), 50000).save(content / "images" / "grey16.png")
    Image.new("P", (300, 200), 5).save(content / "images" / "chart.png")
    logo = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    logo.paste((200, 0, 0, 255), (100, 50, 200, 150))
    logo.save(content / "images" / "logo.png")
    result = run(
        content,
        Figure("灰", image="images/grey16.png"),
        Figure("图表", image="images/chart.png"),
        Figure("标志", image="images/logo.png"),
        theme=theme,
    )
    grey, chart, logo_out = (f.images[0] for f in result.figures.values())
    with Image.open(grey.path) as out:  # 50000/65535 of white, not clipped to 255
        assert out.mode == "L" and abs(out.getpixel((5, 5)) - 195) <= 2
    assert chart.format == "PNG"  # line art stays sharp
    with Image.open(logo_out.path) as out:
        assert logo_out.format == "PNG" and out.mode == "RGBA"
        assert out.getpixel((0, 0))[3] == 0 and out.getpixel((150, 100)) == (200, 0, 0, 255)


def test_gif_prints_its_first_frame(content, theme):
    frames = [Image.new("RGB", (200, 100), RED), Image.new("RGB", (200, 100), BLUE)]
    frames[0].save(content / "images" / "anim.gif", save_all=True, append_images=frames[1:])
    with processed(run(content, Figure("动图", image="images/anim.gif"), theme=theme)) as out:
        assert near(out.convert("RGB").getpixel((100, 50)), RED)


# --- orientation, colour, metadata ------------------------------------------------------


@pytest.mark.parametrize(
    "orientation, red_corner",
    [(1, "top-left"), (3, "bottom-right"), (6, "top-right"), (8, "bottom-left")],
)
def test_exif_orientation_is_applied_to_the_pixels(content, theme, orientation, red_corner):
    save(
        photo(800, 600),
        content / "images" / "phone.jpg",
        "JPEG",
        quality=95,
        exif=exif_with(orientation),
    )
    with processed(run(content, Figure("说明", image="images/phone.jpg"), theme=theme)) as out:
        w, h = out.size
        assert (w, h) == ((600, 800) if orientation in (6, 8) else (800, 600))
        corners = {
            "top-left": (5, 5),
            "top-right": (w - 5, 5),
            "bottom-left": (5, h - 5),
            "bottom-right": (w - 5, h - 5),
        }
        assert near(out.convert("RGB").getpixel(corners[red_corner]), RED)


def test_gps_exif_comments_and_profiles_are_removed(content, theme):
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    save(
        photo(),
        content / "images" / "gps.jpg",
        "JPEG",
        exif=exif_with(1, gps=True),
        comment=b"secret",
        icc_profile=srgb,
    )
    data = (content / "images" / "gps.jpg").read_bytes()
    assert b"Exif" in data and b"secret" in data
    out = only(run(content, Figure("说明", image="images/gps.jpg"), theme=theme)).images[0]
    data = out.path.read_bytes()
    assert b"Exif" not in data and b"secret" not in data and b"ICC_PROFILE" not in data
    with Image.open(out.path) as image:
        assert not image.getexif() and "icc_profile" not in image.info


# --- sizes ------------------------------------------------------------------------------


def test_phone_photo_is_downscaled_to_300_dpi_at_its_printed_width(content, theme):
    save(photo(4032, 3024), content / "images" / "big.jpg", "JPEG", quality=90)
    placed = only(run(content, Figure("说明", image="images/big.jpg"), theme=theme))
    image = placed.images[0]
    # Landscape 4:3 in a 160.87 mm text block, at most 110 mm high: 146.66 × 110 mm.
    assert (image.width_mm, image.height_mm) == (146.66, 110.0)
    assert image.pixels == (1732, 1299)
    assert abs(image.pixels[0] / (image.width_mm / 25.4) - 300) < 1
    with Image.open(image.path) as out:
        assert out.info["dpi"] == (300, 300)
    assert image.path.stat().st_size < 1_500_000


def test_portrait_keeps_its_aspect_within_the_maximum_height(theme):
    (portrait,) = printed_sizes([(3024, 4032)], theme)
    assert portrait == (82.5, 110.0)
    (wide,) = printed_sizes([(4000, 1000)], theme)
    assert wide == (160.86, 40.21)  # panorama: the full text width
    (small,) = printed_sizes([(300, 200)], theme)
    assert small == (50.8, 33.86)  # no more than 300 px at 150 dpi


def test_a_pair_shares_one_height_and_the_text_width(content, theme):
    save(photo(600, 800), content / "images" / "l.jpg", "JPEG")
    save(photo(1600, 1200), content / "images" / "r.jpg", "JPEG")
    placed = only(
        run(
            content,
            Figure(
                "图为甲（左）乙（右）", image="images/l.jpg", pair=True, second_image="images/r.jpg"
            ),
            theme=theme,
        )
    )
    left, right = placed.images
    assert left.height_mm == right.height_mm
    assert placed.width_mm == pytest.approx(160.87, abs=0.05)  # 38 characters of 12 pt
    assert placed.width_mm <= 160.867
    assert left.width_mm / left.height_mm == pytest.approx(0.75, abs=0.01)


# --- cache ------------------------------------------------------------------------------


def test_cached_by_content_and_reproducible(content, theme, tmp_path):
    save(photo(2400, 1800), content / "images" / "a.jpg", "JPEG")
    figure = Figure("说明", image="images/a.jpg")
    first = run(content, figure, theme=theme)
    assert (first.processed, first.reused) == (1, 0)
    again = run(content, figure, theme=theme)
    assert (again.processed, again.reused) == (0, 1)
    elsewhere = run(content, figure, theme=theme, cache=tmp_path / "other")
    assert only(elsewhere).images[0].path.read_bytes() == only(first).images[0].path.read_bytes()
    (content / "images" / "a.jpg").rename(content / "images" / "renamed.jpg")
    moved = run(content, Figure("说明", image="images/renamed.jpg"), theme=theme)
    assert moved.processed == 0  # same bytes, same cached file


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_a_cached_photo_cut_short_is_made_again(content, theme, kind):
    name = f"images/a.{'jpg' if kind == 'JPEG' else 'png'}"
    # a photo is made a JPEG; a chart of few colours stays a PNG
    image = photo(1200, 900) if kind == "JPEG" else Image.new("RGB", (1200, 900), "white")
    save(image, content / name, kind)
    figure = Figure("说明", image=name)
    whole = only(run(content, figure, theme=theme)).images[0].path
    assert whole.suffix == (".jpg" if kind == "JPEG" else ".png")
    good = whole.read_bytes()
    whole.write_bytes(good[: len(good) // 2])  # a crash or a full disk
    again = run(content, figure, theme=theme)
    assert (again.processed, again.reused) == (1, 0)
    assert only(again).images[0].path.read_bytes() == good


# --- errors and missing images ----------------------------------------------------------


def test_missing_and_by_policy(content, theme):
    result = run(content, Figure("说明", image="images/none.jpg", line=9), theme=theme)
    (figure,) = result.figures.values()
    assert figure.missing and figure.wanted == "images/none.jpg"
    with pytest.raises(ContentError) as err:
        run(content, Figure("说明", line=9), theme=theme, missing_images="error")
    assert str(err.value).startswith("content/cases/a.md:9: error: 图 1-1: no image")
    assert "images/a/1.jpg" in str(err.value)


def test_over_size_file_refused_before_reading(content, theme, monkeypatch):
    from publisher.imaging import decode

    monkeypatch.setattr(decode, "MAX_PICTURE_MB", 0.001)
    save(photo(), content / "images" / "huge.jpg", "JPEG")
    with pytest.raises(ContentError, match=r"a.md:9: error: 图 1-1: image images/huge.jpg is 0 MB"):
        run(content, Figure("说明", image="images/huge.jpg", line=9), theme=theme)


def test_a_symlink_out_of_content_is_outside(content, theme, tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.png"
    Image.new("RGB", (4, 4)).save(secret)
    (content / "images" / "link.png").symlink_to(secret)
    assert image_file(content, "images/link.png") is None
    with pytest.raises(ContentError, match="outside content"):
        run(content, Figure("说明", image="images/link.png"), theme=theme)


def test_naming_rule_with_two_candidates_warns_and_uses_one(content, theme):
    save(photo(), content / "images" / "a" / "1.png", "PNG")
    save(photo(), content / "images" / "a" / "1.jpg", "JPEG")
    result = run(content, Figure("说明"), theme=theme)
    assert only(result).origin == "naming rule"
    assert only(result).images[0].source == "images/a/1.jpg"
    assert result.warnings and "1.jpg, 1.png" in result.warnings[0]


def test_jpeg_bytes_survive_as_they_are_decoded_by_python_docx(content, theme):
    """python-docx must recognise every processed file (it failed on header-less JPEGs)."""
    from docx.image.image import Image as DocxImage

    headerless_progressive_jpeg(content / "images" / "x.jpg")
    out = only(run(content, Figure("说明", image="images/x.jpg"), theme=theme)).images[0]
    assert DocxImage.from_blob(out.path.read_bytes()).content_type == "image/jpeg"
    assert io.BytesIO(out.path.read_bytes()).read(4) == b"\xff\xd8\xff\xe0"  # JFIF


def test_an_unchanged_photo_is_not_read_again(content, theme, monkeypatch):
    """The cache's index remembers size, time, hash and pixels: a cached rebuild opens
    no photo; a photo changed in place is read again."""
    from publisher.imaging import stage

    save(photo(), content / "images" / "a.jpg", "JPEG")
    figure = Figure("说明", image="images/a.jpg")
    first = run(content, figure, theme=theme)
    reads = []
    monkeypatch.setattr(stage, "read_source", lambda p: reads.append(p) or p.read_bytes())
    assert run(content, figure, theme=theme).processed == 0 and reads == []
    save(photo(seed=9).transpose(Image.Transpose.ROTATE_90), content / "images" / "a.jpg", "JPEG")
    changed = run(content, figure, theme=theme)
    assert changed.processed == 1 and only(changed).images[0].pixels == (600, 800)
    assert only(changed).images[0].path != only(first).images[0].path
