"""The HTML edition in a real browser, opened from the file system as a reader would:
Debian's chromium driven by Playwright (the workbench tests' browser fixture). Navigation
from the home page to every case and back, search in Chinese, a phone's screen, figures
with and without photos, markup in an article shown as text, and axe-core's checks."""

from __future__ import annotations

from importlib import resources

import pytest

from sitebook import PHOTO_CASE, SEARCH_CASE, XSS_CASE, build_book, make_book
from test_workbench_browser import browser  # noqa: F401  (the fixture: Debian's chromium)

pytestmark = pytest.mark.slow  # a browser walks the HTML edition

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_book(tmp_path_factory.mktemp("site"))
    build_book(project)
    return project.build / "html"


@pytest.fixture
def tab(browser):  # noqa: F811
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def _url(site, path: str) -> str:
    return (site / path).as_uri()


def test_from_the_home_page_to_every_case_and_back(tab, site):
    tab.goto(_url(site, "index.html"))
    links = tab.locator("main ol.contents li.contents-case a")
    count = links.count()
    assert count == len(list((site / "cases").glob("*.html")))
    for i in range(count):
        link = tab.locator("main ol.contents li.contents-case a").nth(i)
        title = link.inner_text().split(maxsplit=1)[1] if " " in link.inner_text() else ""
        link.click()
        tab.wait_for_load_state()
        assert "/cases/" in tab.url
        heading = tab.locator("h1").inner_text().replace("\n", "")
        assert tab.locator("h1").count() == 1
        assert not title or heading.replace(" ", "") == title.replace(" ", "")
        tab.go_back()
        tab.wait_for_load_state()
        assert tab.url.endswith("index.html")


def test_previous_and_next_walk_the_book_by_keyboard(tab, site):
    tab.goto(_url(site, f"cases/{SEARCH_CASE}.html"))
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "跳到正文"
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"
    tab.locator("a.pager-next").focus()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url.endswith(f"cases/{XSS_CASE}.html")
    tab.locator("a.pager-prev").click()
    assert tab.url.endswith(f"cases/{SEARCH_CASE}.html")


def _search(tab, query: str) -> list[dict]:
    """Type `query` into the search page's box: the cases found, as shown."""
    tab.fill("#search-q", query)
    tab.wait_for_function(
        "q => document.getElementById('search-status').textContent.includes(q)", arg=query
    )
    return _results(tab)


def _results(tab) -> list[dict]:
    tab.wait_for_function("document.getElementById('search-status').textContent !== ''")
    return tab.evaluate(
        """[...document.querySelectorAll('#search-results li')].map(li => ({
            href: li.querySelector('a').getAttribute('href'),
            marks: [...li.querySelectorAll('.search-sentence mark')].map(m => m.textContent),
            sentences: [...li.querySelectorAll('.search-sentence')].map(p => p.textContent),
        }))"""
    )


@pytest.mark.parametrize(
    ("query", "first", "marked"),
    [
        ("蓝莓", SEARCH_CASE, "蓝莓"),  # 2 characters; ranked by how often
        ("满意度", SEARCH_CASE, "满意度"),  # 3
        ("滿意度", SEARCH_CASE, "满意度"),  # Traditional input finds the Simplified text
        ("第一书记", None, "第一书记"),  # 4
        ("集体经济", None, "集体经济"),  # wrapped across two lines in the case file
    ],
)
def test_search_in_chinese(tab, site, query, first, marked):
    tab.goto(_url(site, "search.html"))
    results = _search(tab, query)
    assert results, f"nothing found for {query}"
    for result in results:  # every case shown holds it, in the sentences shown
        assert result["marks"] and set(result["marks"]) == {marked}, result
    if first:
        assert results[0]["href"] == f"cases/{first}.html"
    if query == "集体经济":
        (ours,) = [r for r in results if r["href"] == f"cases/{SEARCH_CASE}.html"]
        assert ours["sentences"] == ["蓝莓园由村党支部领办，发展壮大村级集体经济，带动群众增收。"]


def test_search_from_the_box_on_every_page_ranks_the_cases(tab, site):
    tab.goto(_url(site, f"cases/{PHOTO_CASE}.html"))
    tab.fill("header input[type=search]", "蓝莓")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "search.html?q=" in tab.url
    hrefs = [r["href"] for r in _results(tab)]
    assert hrefs[:2] == [f"cases/{SEARCH_CASE}.html", f"cases/{XSS_CASE}.html"]
    tab.locator("#search-results a").first.click()
    assert tab.url.endswith(f"cases/{SEARCH_CASE}.html")


def test_a_phone_scrolls_no_sideways_and_keeps_the_toc_behind_its_button(browser, site):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        for path in ("index.html", f"cases/{PHOTO_CASE}.html", "search.html?q=第一书记"):
            page.goto(
                _url(site, path) if "?" not in path else _url(site, "search.html") + "?q=第一书记"
            )
            page.wait_for_load_state()
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.goto(_url(site, f"cases/{PHOTO_CASE}.html"))
        toc = page.locator("#toc")
        assert not toc.is_visible()
        button = page.locator("button.toc-toggle")
        assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
        button.click()
        assert toc.is_visible() and button.get_attribute("aria-expanded") == "true"
        page.keyboard.press("Escape")
        assert not toc.is_visible()
        # a phone loads the small copy of a photo
        page.wait_for_function("document.querySelector('#fig-1-1 img').complete")
        assert page.evaluate("document.querySelector('#fig-1-1 img').currentSrc").endswith(
            "-480.jpg"
        )
    finally:
        context.close()


def test_figures_with_and_without_photos(tab, site):
    tab.goto(_url(site, f"cases/{PHOTO_CASE}.html"))
    assert tab.locator("#toc").is_visible()  # beside the text on a wide screen
    img = tab.locator("#fig-1-1 img")
    img.scroll_into_view_if_needed()
    tab.wait_for_function("document.querySelector('#fig-1-1 img').naturalWidth > 0")
    assert img.get_attribute("alt") == "广泛征求意见。"
    assert tab.evaluate("document.querySelector('#fig-1-1 img').currentSrc").endswith("-960.jpg")
    assert tab.locator("#fig-1-1 figcaption").inner_text().startswith("图 1-1")
    assert tab.locator("#fig-1-2 img").count() == 0
    assert tab.locator("#fig-1-2 figcaption").inner_text().startswith("图 1-2")


def test_an_article_with_markup_is_shown_literally(tab, site):
    tab.goto(_url(site, f"cases/{XSS_CASE}.html"))
    assert tab.locator("h1").inner_text().replace("\n", "") == "标题<script>alert(1)</script>"
    assert "<img src=x onerror=alert(2)>" in tab.locator("main article").inner_text()
    tab.goto(_url(site, "search.html"))
    _search(tab, "alert")
    assert tab.locator("#search-results").inner_text().count("<script>") >= 1
    assert tab.dialogs == []


def _axe_source() -> str:
    try:
        return (resources.files("axe_playwright_python") / "axe.min.js").read_text()
    except ModuleNotFoundError:
        from conftest import IN_CI

        message = "axe-playwright-python is not installed (./run setup installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    ["index.html", f"cases/{PHOTO_CASE}.html", "search.html?q=蓝莓", "afterword.html"],
)
def test_axe_finds_nothing_serious(tab, site, path):
    name, _, query = path.partition("?")
    if not (site / name).is_file():
        pytest.skip(f"the book has no {name}")
    tab.goto(_url(site, name) + (f"?{query}" if query else ""))
    tab.wait_for_load_state()
    tab.add_script_tag(content=_axe_source())
    found = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
