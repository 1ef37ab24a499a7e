"""The book page's ↑ ↓ buttons: a case moves one place, within its part or across into
the neighbouring one; the book's first case goes no higher, its last no lower."""

from __future__ import annotations

from publisher.api import Group
from publisher.workbench.order import moved

BOOK = [Group("甲", ("a", "b")), Group("乙", ()), Group("丙", ("c", "d"))]


def order(groups: list[Group] | None) -> list[tuple[str, ...]] | None:
    return None if groups is None else [g.cases for g in groups]


def test_a_case_moves_one_place_within_its_part():
    assert order(moved(BOOK, "b", -1)) == [("b", "a"), (), ("c", "d")]
    assert order(moved(BOOK, "c", 1)) == [("a", "b"), (), ("d", "c")]


def test_past_the_end_of_its_part_a_case_goes_into_the_next_one():
    assert order(moved(BOOK, "b", 1)) == [("a",), ("b",), ("c", "d")]  # an empty part too
    assert order(moved(BOOK, "c", -1)) == [("a", "b"), ("c",), ("d",)]
    two = [Group("甲", ("a",)), Group("乙", ("b", "c"))]
    assert order(moved(two, "b", -1)) == [("a", "b"), ("c",)]  # to the end going up
    assert order(moved(two, "a", 1)) == [(), ("a", "b", "c")]  # to the start going down


def test_the_books_ends_and_an_unknown_case_go_nowhere():
    assert moved(BOOK, "a", -1) is None
    assert moved(BOOK, "d", 1) is None
    assert moved(BOOK, "x", 1) is None
    assert [g.title for g in moved(BOOK, "a", 1) or []] == ["甲", "乙", "丙"]
