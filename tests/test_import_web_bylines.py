"""Saved web pages: bylines and dates printed away from the headline or declared in other
words (issue 21), each on a small page written here (not a copy of a real one)."""

from __future__ import annotations

import pytest

from publisher.readers import import_source

BODY = "".join(
    f"<p>今年以来，该县第{n}小组坚持以党建引领乡村振兴，推动各项工作落实落细，群众满意度持续提高。</p>"
    for n in "一二三四五六"
)


def _case(head: str, body: str):
    html = f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    result = import_source(html.encode(), "content/sources/p.html")
    (case,) = result.cases
    return case, [d.message for d in result.diagnostics]


def _names(case) -> list[str]:
    return [a.name for a in case.authors]


@pytest.mark.parametrize(
    "closing, names",
    [
        ("（姚某 上海报道）", ["姚某"]),
        ("（本报记者 张某某）", ["张某某"]),
        ("（记者 李某 王某某 北京报道）", ["李某", "王某某"]),
    ],
)
def test_a_byline_closing_the_last_paragraph_with_where_it_was_filed(closing, names):
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<p>下一步，该县将继续推进乡村振兴。{closing}</p>",
    )
    assert _names(case) == names
    assert "报道" not in "".join(b.text for b in case.blocks if hasattr(b, "runs"))


def test_interns_and_trainee_reporters_are_bylines():
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1><p>本报实习生 刘某某 周某</p><p>见习记者 王某</p>{BODY}",
    )
    assert _names(case) == ["刘某某", "周某", "王某"]


def test_a_source_naming_a_person_is_a_guessed_author_a_site_never():
    case, warnings = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<p>来源: 尹某</p>",
    )
    assert _names(case) == ["尹某"]
    assert any("is a person's name, taken as the author" in w for w in warnings)
    case, _ = _case(
        "<title>某县推进乡村振兴</title>",
        f"<h1>某县推进乡村振兴</h1>{BODY}<p>来源: 和讯网</p>",
    )
    assert _names(case) == [] and case.source == "和讯网"


def test_the_page_code_declares_the_writer_beside_the_publisher():
    """`author` names the publisher, `citation_author` the writer printed padded (赵  某)."""
    case, _ = _case(
        "<title>某县推进乡村振兴</title><meta name='author' content='某某出版社,Publishers'>"
        "<meta name='citation_author' content='赵  某'>",
        f"<h1>某县推进乡村振兴</h1>{BODY}",
    )
    assert _names(case) == ["赵某"]


def test_a_government_documents_record_gives_its_issuer_and_its_own_date():
    case, warnings = _case(
        "<title>某省人民政府关于某事项的通告</title>",
        "<table><tr><td>发文机关：</td><td>某省人民政府</td></tr>"
        "<tr><td>成文日期：</td><td>2022年01月27日</td></tr></table>"
        "<h1>某省人民政府关于某事项的通告</h1><p>2022-01-28</p>"
        f"{BODY}<p>某省人民政府</p><p>2022年1月27日</p>",
    )
    assert _names(case) == ["某省人民政府"]
    assert case.date == "2022-01-27"
    assert any("成文日期" in w for w in warnings)


def test_a_reposted_article_keeps_its_own_title_block_and_date():
    """The site's line under the headline dates the repost; the article's own title block
    under it (the headline again, its unit, `2003年5月`) dates the article."""
    case, _ = _case(
        "<title></title>",
        "<div>首页 &gt;&gt; 研究集萃</div><h2>某市儿童心理素质发展现状调查报告</h2>"
        "<div>http://www.example.com/ 2005-03-06 16:17:00</div>"
        "<p>某市儿童心理素质发展现状调查报告</p><p>某市儿童工作委员会课题组</p>"
        f"<p>2003年5月</p>{BODY}",
    )
    assert case.date == "2003-05"
    assert "2003年5月" not in [b.text for b in case.blocks if hasattr(b, "runs")]


def test_a_name_alone_that_the_headline_opens_with_is_the_writer():
    """`茉某：我是怎样走上研究之路的` over the title again and `茉某` alone: the writer,
    though 茉 is no common surname."""
    case, warnings = _case(
        "<title>茉某：我是怎样走上研究之路的</title>",
        f"<h2>茉某：我是怎样走上研究之路的</h2><p>我是怎样走上研究之路的</p><p>茉某</p>{BODY}",
    )
    assert _names(case) == ["茉某"]
    assert any("taken as the author" in w for w in warnings)


def test_a_threads_posters_are_no_byline():
    posts = "".join(
        f"<p>作者：{name}</p><p>这部影片拍得很好，{name}看了以后觉得很感动，推荐大家都去看看。</p>"
        for name in ("某某用户", "老财迷", "阿某")
    )
    lead = "<p>" + "今年以来，该县坚持以党建引领乡村振兴，推动各项工作落实落细。" * 3 + "</p>"
    case, warnings = _case(
        "<title>某县推进乡村振兴</title>", f"<h1>某县推进乡村振兴</h1>{lead}{BODY}{posts}"
    )
    assert _names(case) == []
    assert any("a thread's posters" in w for w in warnings)
