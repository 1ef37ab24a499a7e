"""Saved web pages from sites the importer has never seen: the general rules of issue 21,
each on a small page written here (not a copy of a real one)."""

from __future__ import annotations

from publisher.model import Paragraph
from publisher.readers import import_source

PARA = "今年以来，该县坚持以党建引领乡村振兴，推动各项工作落实落细，群众满意度持续提高。"
BODY = "".join(f"<p>{PARA}</p>" for _ in range(4))


def _page(head: str, body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def _import(html: bytes, name: str = "p.html"):
    return import_source(html, f"content/sources/{name}")


def _text(case) -> str:
    return "".join(b.text for b in case.blocks if isinstance(b, Paragraph))


def test_a_sidebar_of_headlines_is_no_digest():
    """A list of other headlines under the article (pictures with <h3> titles) is no evidence
    of a digest: the article before them stays whole, one case."""
    heads = ["某地举行技能大赛", "某市开通新公交线路", "某县召开党建会议"]
    sidebar = "".join(
        f"<div><img src='http://example.com/{n}.jpg' alt='{h}'><h3>{h}</h3></div>"
        for n, h in enumerate(heads)
    )
    html = _page(
        "<title>某县推进乡村振兴</title>",
        f"<div class='article'><h1>某县推进乡村振兴</h1>{BODY}{sidebar}</div>",
    )
    result = _import(html)
    assert len(result.cases) == 1
    assert _text(result.cases[0]).count(PARA) == 4
    assert not any("digest" in d.message for d in result.diagnostics)
