"""One set of Chinese text rules: the importer, lint and the typesetter agree on what is Han."""

from __future__ import annotations

import pytest

from publisher.look.html_cjk import typeset
from publisher.readers.rules.punctuation import normalize_punctuation
from publisher.text.chinese import EDITOR_ROLES, is_cjk, is_han
from publisher.text.textcheck import check_line

EXT_B = "\U0002a6d6"  # 𪛖: a Han character outside the Basic Multilingual Plane


@pytest.mark.parametrize(
    "ch, han, cjk",
    [
        ("中", True, True),
        (EXT_B, True, True),
        ("，", False, True),
        ("“", False, True),
        ("A", False, False),
        ("1", False, False),
        (" ", False, False),
        ("", False, False),
    ],
)
def test_character_classes(ch, han, cjk):
    assert (is_han(ch), is_cjk(ch)) == (han, cjk)


def test_importer_lint_and_typesetter_treat_extension_b_as_han():
    line = f"abc,{EXT_B}"  # the comma's only Chinese neighbour is beyond the BMP
    assert normalize_punctuation(line) == f"abc，{EXT_B}"  # importer
    assert any(
        "，" in f.message or "half" in f.message.lower() or "半角" in f.message
        for f in check_line(line)
    )  # lint
    assert "hl-" in str(typeset(f"{EXT_B}ABC", space=0.25, compress=True))  # spacing


def test_editor_roles_are_the_models():
    from publisher import model

    assert model.EDITOR_ROLES is EDITOR_ROLES
