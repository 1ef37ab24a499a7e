"""Fonts: theme families resolved through fontconfig, and coverage of every character."""

from __future__ import annotations

from dataclasses import replace

import pytest

from publisher.look.fonts import check_coverage, font_stacks, resolve_family
from publisher.model import Case, Compendium, Figure, Heading, Paragraph, Part
from publisher.support.errors import ContentError, EnvironmentProblem

pytestmark = pytest.mark.usefixtures("fontconfig")


@pytest.fixture(scope="module")
def fontconfig():
    from conftest import require_tool

    require_tool("fc-match")
    if resolve_family("Noto Serif CJK SC") is None:
        from conftest import IN_CI

        if IN_CI:
            pytest.fail("fonts-noto-cjk is not installed")
        pytest.skip("fonts-noto-cjk is not installed")


def test_family_resolves_to_the_simplified_chinese_face_of_the_collection():
    face = resolve_family("Noto Serif CJK SC")
    assert face.file.endswith((".ttc", ".otc", ".otf", ".ttf"))
    if face.file.endswith(".ttc"):
        assert face.index != 0  # face 0 of the collection is the Japanese one
    assert resolve_family("No Such Family At All") is None
    assert resolve_family(("No Such Family", "Noto Serif CJK SC")).family == "Noto Serif CJK SC"
    with pytest.raises(EnvironmentProblem, match="apt-get install fonts-noto-cjk"):
        resolve_family(("No Such Family", "Nor This One"))


def test_stacks_follow_the_theme(theme):
    stacks = font_stacks(theme)
    assert stacks.families("body")[0] == "Noto Serif CJK SC"
    assert stacks.families("heading")[0] == "Noto Sans CJK SC"
    assert stacks.families("caption")[0] in theme.fonts.caption
    assert "Noto Serif CJK SC" in stacks.families("caption")  # the fallback for captions


def test_a_missing_body_font_is_an_environment_problem_with_the_install_hint(theme):
    broken = replace(theme, fonts=replace(theme.fonts, body=("No Such Song", "Nor This")))
    with pytest.raises(EnvironmentProblem) as err:
        font_stacks(broken)
    assert "apt-get install fonts-noto-cjk" in str(err.value)
    assert "No Such Song" in str(err.value)


def test_sample_is_covered(sample_compendium, theme):
    check_coverage(sample_compendium, theme)


def _book(*blocks, title="标题") -> Compendium:
    return Compendium(
        title="汇编", parts=(Part("", (Case(id="c-7", title=title, blocks=blocks),)),)
    )


@pytest.mark.parametrize("char", ["\U0010fffd", "\U000f0000", "\ue000"])
def test_an_uncovered_character_is_named_with_case_file_and_line(theme, char):
    book = _book(Paragraph.of("第一段。", line=8), Paragraph.of(f"有{char}字。", line=10))
    with pytest.raises(ContentError) as err:
        check_coverage(book, theme, {"c-7": "content/cases/c-7.md"})
    message = str(err.value)
    assert f"U+{ord(char):04X}" in message and "'c-7'" in message
    assert err.value.path == "content/cases/c-7.md" and err.value.line == 10
    assert message.startswith("content/cases/c-7.md:10:")


def test_without_files_the_message_still_names_case_and_line(theme):
    book = _book(Heading(1, "标\U0010fffd题", line=4))
    with pytest.raises(ContentError) as err:
        check_coverage(book, theme)
    assert "U+10FFFD" in str(err.value) and "'c-7'" in str(err.value)
    assert "line 4" in str(err.value)


def test_captions_and_titles_are_checked_too(theme):
    with pytest.raises(ContentError, match=r"U\+10FFFD"):
        check_coverage(_book(Figure(caption="图注\U0010fffd", line=3)), theme)
    with pytest.raises(ContentError, match=r"U\+10FFFD"):
        check_coverage(_book(title="题\U0010fffd"), theme)


def test_spaces_and_variation_selectors_need_no_glyph(theme):
    check_coverage(_book(Paragraph.of("葛\ufe00 与\u200b空格\u3000。")), theme)
