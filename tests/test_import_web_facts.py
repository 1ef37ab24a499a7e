"""Saved web pages: the facts of an article (date, authors, title) read by general rules
(issue 21), each on a small page written here (not a copy of a real one)."""

from __future__ import annotations

from publisher.readers import import_source

BODY = "".join(
    f"<p>今年以来，该县第{n}小组坚持以党建引领乡村振兴，推动各项工作落实落细，群众满意度持续提高。</p>"
    for n in "一二三四五六"
)


def _case(head: str, body: str, path: str = "content/sources/p.html"):
    html = f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    result = import_source(html.encode(), path)
    (case,) = result.cases
    return case, [d.message for d in result.diagnostics]


def _names(case) -> list[tuple[str, str]]:
    return [(a.name, a.role) for a in case.authors]


def test_a_byline_slot_naming_nobody_is_no_author():
    """`作者：未知`, `作者：网络整理`: the slot is filled, by nobody; a staff code is no
    editor (`责任编辑：NF051`) and is cut from a name (`王某_NE0011`)."""
    case, warnings = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<div>作者：未知 责任编辑：王某_NE0011</div>"
        "<div>本文来源：某某日报 责任编辑：NF051</div>",
    )
    assert _names(case) == [("王某", "责任编辑")]
    assert any("no author found" in w for w in warnings)
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><div>时间：2019-09-25 作者：网络整理</div>{BODY}",
    )
    assert _names(case) == [] and case.date == "2019-09-25"


def test_a_text_files_byline_naming_nobody_is_no_author_either():
    text = (
        "某县推进乡村振兴\n\n作者：佚名\n\n"
        + "今年以来，该县坚持以党建引领乡村振兴，推动各项工作落实落细。\n\n" * 3
    )
    result = import_source(text.encode(), "content/sources/p.txt")
    assert [a.name for a in result.cases[0].authors] == []


def test_a_latin_name_is_one_person_a_list_of_them_several():
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<div>作者：张某 责编：Demi Xia</div>",
    )
    assert _names(case) == [("张某", "作者"), ("Demi Xia", "责编")]
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<div>作者：Anna Li、Tom Wu</div>",
    )
    assert _names(case) == [("Anna Li", "作者"), ("Tom Wu", "作者")]
