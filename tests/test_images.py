"""Figure images are checked before typesetting; a bad one names the case file and line."""

from __future__ import annotations


import pytest
from PIL import Image

from publisher.errors import ContentError
from publisher.images import check_images, image_file
from publisher.model import Case, Compendium, Figure, Paragraph, Part


def book(image: str) -> Compendium:
    case = Case(id="a", title="标题", blocks=(Paragraph.of("正文。"),
                                              Figure("说明", image=image, line=9)))
    return Compendium(title="书", parts=(Part("", (case,)),))


@pytest.fixture
def content(tmp_path):
    (tmp_path / "images").mkdir()
    Image.new("RGB", (40, 30), "red").save(tmp_path / "images" / "ok.jpg")
    Image.new("RGB", (40, 30), "red").save(tmp_path / "images" / "photo.webp")
    (tmp_path / "images" / "fake.jpg").write_text("not an image")
    return tmp_path


FILES = {"a": "content/cases/a.md"}


def test_a_good_image_and_a_missing_one_pass(content):
    check_images(book("images/ok.jpg"), content, FILES, "placeholder")
    check_images(book("images/none.jpg"), content, FILES, "placeholder")
    assert image_file(content, "images/ok.jpg") == (content / "images" / "ok.jpg").resolve()
    assert image_file(content, "images/none.jpg") is None


@pytest.mark.parametrize("image, policy, words", [
    ("images/fake.jpg", "placeholder", "not a readable image"),
    ("images/photo.webp", "placeholder", "save it as JPEG or PNG"),
    ("images/none.jpg", "error", "not found"),
    ("", "error", "no image"),
])
def test_bad_images_name_the_case_file_and_line(content, image, policy, words):
    with pytest.raises(ContentError) as err:
        check_images(book(image), content, FILES, policy)
    assert words in err.value.message and "图 1-1" in err.value.message
    assert str(err.value).startswith("content/cases/a.md:9:")


def test_a_symlink_out_of_content_is_outside(content, tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.png"
    Image.new("RGB", (4, 4)).save(secret)
    (content / "images" / "link.png").symlink_to(secret)
    assert image_file(content, "images/link.png") is None
    with pytest.raises(ContentError, match="outside content"):
        check_images(book("images/link.png"), content, FILES, "placeholder")
