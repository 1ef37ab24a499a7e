"""The HTML edition and the EPUB as files: pages, photos, the search data, the same bytes
on every build, only the pages an edit touches rewritten, a failed build leaving the old
site, and the EPUB through epubcheck (the browser tests are in test_site_browser.py)."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile

import pytest
from lxml import html

from conftest import require_tool
from publisher.screen.search import t2s_pairs
from publisher.support.errors import ContentError
from publisher.writers.site import MANIFEST
from sitebook import PHOTO_CASE, SEARCH_CASE, XSS_CASE, build_book, make_book


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    project = make_book(tmp_path_factory.mktemp("site"))
    build_book(project, ("html", "epub"))
    return project


def _page(path):
    return html.fromstring(path.read_bytes())


def _site_files(site):
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_home_page_lists_every_case_by_parts_and_each_case_has_its_page(book):
    site = book.build / "html"
    home = _page(site / "index.html")
    assert home.get("lang") == "zh-CN"
    assert len(home.findall(".//h1")) == 1
    assert home.find(".//h1").text_content() == "抓党建促脱贫攻坚典型案例汇编"
    assert home.get_element_by_id("preface") is not None
    listed = [a.get("href") for a in home.xpath("//main//li[@class='contents-case']/a")]
    cases = sorted(p.stem for p in (book.content / "cases").glob("*.md"))
    assert sorted(h.removeprefix("cases/").removesuffix(".html") for h in listed) == cases
    parts = [h.text_content() for h in home.xpath("//main//*[@class='contents-part-title']")]
    assert parts[:2] == ["广西壮族自治区", "山西省"]
    for case in cases:
        page = _page(site / "cases" / f"{case}.html")
        assert len(page.findall(".//h1")) == 1
        assert page.find(".//main") is not None and page.find(".//nav") is not None
        assert page.xpath(
            f'//nav[@id="toc"]//a[@aria-current="page"][@href="../cases/{case}.html"]'
        )


def test_the_afterword_has_its_page_after_the_last_case(book):
    page = _page(book.build / "html" / "afterword.html")
    assert page.find(".//h1").text_content() == "编后记"
    assert "谨致谢忱" in page.find(".//main").text_content()
    assert page.xpath("//a[@class='pager-prev']")[0].get("href").startswith("cases/")


def test_previous_and_next_follow_the_reading_order(book):
    site = book.build / "html"
    order = [
        a.get("href")
        for a in _page(site / "index.html").xpath("//main//li[@class='contents-case']/a")
    ]
    for i, href in enumerate(order):
        page = _page(site / href)
        prev = page.xpath("//a[@class='pager-prev']")
        nxt = page.xpath("//a[@class='pager-next']")
        assert [a.get("href") for a in prev] == ([f"../{order[i - 1]}"] if i else [])
        last = ["../afterword.html"]  # the afterword follows the last case
        assert [a.get("href") for a in nxt] == (
            [f"../{order[i + 1]}"] if i + 1 < len(order) else last
        )


def test_figures_with_and_without_photos(book):
    site = book.build / "html"
    page = _page(site / "cases" / f"{PHOTO_CASE}.html")
    first = page.get_element_by_id("fig-1-1")
    img = first.find(".//img")
    assert img.get("alt") == "广泛征求意见。"
    widths = [c.split()[1] for c in img.get("srcset").split(", ")]
    assert widths == ["480w", "960w"]
    for candidate in img.get("srcset").split(", "):
        assert (site / "cases" / candidate.split()[0]).resolve().is_file()
    assert "图 1-1" in first.find(".//figcaption").text_content()
    second = page.get_element_by_id("fig-1-2")  # a final edition: caption only, no frame
    assert second.find(".//img") is None and "missing" in second.get("class")
    assert "图 1-2" in second.find(".//figcaption").text_content()


def test_nothing_is_fetched_from_the_network(book):
    for name, data in _site_files(book.build / "html").items():
        if name.endswith((".html", ".css", ".js")):
            text = data.decode()
            assert not re.search(
                r"""(src|href)=["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import|@font-face""",
                text,
            ), name


def test_article_markup_is_text(book):
    page = (book.build / "html" / "cases" / f"{XSS_CASE}.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    heading = html.fromstring(page).xpath("//main//h2")[0].text_content()
    assert heading == "一、{{ 7*7 }}的做法"
    index = (book.build / "html" / "search" / "index.js").read_text(encoding="utf-8")
    assert "</script" not in index and "<\\/script>" in index


def test_search_data_holds_the_model_text_and_the_traditional_map(book):
    index = (book.build / "html" / "search" / "index.js").read_text(encoding="utf-8")
    data = json.loads(index.removeprefix("window.publisherSearch=").rstrip(";\n"))
    by_href = {href: (title, texts) for href, title, texts in data["cases"]}
    title, texts = by_href[f"cases/{SEARCH_CASE}.html"]
    assert title == "蓝莓园里的新日子"
    assert any("村级集体经济，" in t for t in texts)  # wrapped in the case file, one here
    pairs = dict(zip(data["t2s"][::2], data["t2s"][1::2], strict=True))
    assert pairs["滿"] == "满" and pairs["經"] == "经"
    assert ("發", "发") in t2s_pairs(frozenset("发"))  # only the book's characters
    assert all(simplified == "发" for _, simplified in t2s_pairs(frozenset("发")))


def test_the_same_bytes_every_build_and_an_edit_rewrites_only_what_shows_it(book):
    site = book.build / "html"
    before = _site_files(site)
    stats = {name: (site / name).stat() for name in before}
    result = build_book(book)
    assert _site_files(site) == before
    output = result.report  # the site: one more output of the build
    assert output is not None
    assert all((site / n).stat().st_ino == stats[n].st_ino for n in before)

    case = book.content / "cases" / f"{SEARCH_CASE}.md"
    case.write_text(
        case.read_text(encoding="utf-8").replace("满意度很高", "满意度非常高"), encoding="utf-8"
    )
    build_book(book)
    after = _site_files(site)
    changed = {n for n in after if after[n] != before.get(n)}
    assert changed == {f"cases/{SEARCH_CASE}.html", "search/index.js", MANIFEST}
    for name in set(after) - changed:  # linked from the last site, not written again
        assert (site / name).stat().st_ino == stats[name].st_ino, name
        assert (site / name).stat().st_mtime_ns == stats[name].st_mtime_ns, name


def test_a_failed_build_leaves_the_last_site_in_place(book):
    site = book.build / "html"
    before = _site_files(site)
    broken = book.content / "cases" / "zz-broken.md"
    broken.write_text("---\nid: zz-broken\ntitle: [\n---\n正文。\n", encoding="utf-8")
    try:
        with pytest.raises(ContentError):
            build_book(book)
    finally:
        broken.unlink()
    assert _site_files(site) == before
    assert not any(p.name.startswith(".html.") for p in book.build.iterdir())


def test_an_unchanged_book_is_up_to_date_until_a_page_is_deleted(book):
    from publisher.pipeline.build import build

    build(book, ("html",), jobs=1)
    assert build(book, ("html",), jobs=1).up_to_date
    page = book.build / "html" / "cases" / f"{SEARCH_CASE}.html"
    page.unlink()
    assert not build(book, ("html",), jobs=1).up_to_date
    assert page.is_file()


def _epub(book):
    (path,) = book.build.glob("*.epub")
    return path


def test_epub_structure_metadata_and_photos(book):
    path = _epub(book)
    with zipfile.ZipFile(path) as epub:
        infos = epub.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert epub.read("mimetype") == b"application/epub+zip"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        opf = epub.read("OEBPS/content.opf").decode()
        for fact in (
            "<dc:title>抓党建促脱贫攻坚典型案例汇编</dc:title>",
            "<dc:language>zh-CN</dc:language>",
            '<dc:creator id="compiler">本书编写组</dc:creator>',
            "dcterms:modified",
            'rendition:layout">reflowable',
        ):
            assert fact in opf
        names = epub.namelist()
        assert "OEBPS/cover.xhtml" in names and "OEBPS/nav.xhtml" in names
        assert f"OEBPS/cases/{SEARCH_CASE}.xhtml" in names
        assert not [n for n in names if n.endswith((".otf", ".ttf", ".woff", ".woff2"))]
        photos = [n for n in names if n.startswith("OEBPS/images/")]
        assert len(photos) == 1 and photos[0].endswith("-960.jpg")
        page = epub.read(f"OEBPS/cases/{PHOTO_CASE}.xhtml").decode()
        assert '<img src="../images/' in page and 'alt="广泛征求意见。"' in page
        xss = epub.read(f"OEBPS/cases/{XSS_CASE}.xhtml").decode()
        assert "&lt;script&gt;" in xss and "<script" not in xss


def test_epub_same_bytes_every_build(book):
    build_book(book, ("epub",))
    first = _epub(book).read_bytes()
    build_book(book, ("epub",))
    assert _epub(book).read_bytes() == first


def epubcheck_command() -> list[str]:
    """Debian's epubcheck is a jar its wrapper runs through binfmt_misc, which a container
    may not have: run it with java."""
    path = require_tool("epubcheck")
    from pathlib import Path

    real = Path(path).resolve()
    return ["java", "-jar", str(real)] if real.suffix == ".jar" else [path]


@pytest.mark.slow
def test_epub_passes_epubcheck(book, tmp_path):
    found = tmp_path / "epubcheck.json"
    run = subprocess.run(
        [*epubcheck_command(), "--json", str(found), str(_epub(book))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(found.read_text(encoding="utf-8"))
    messages = [
        f"{m['severity']} {m['ID']}: {m['message']} {m['locations'][:1]}"
        for m in report["messages"]
    ]
    assert run.returncode == 0 and messages == [], messages


def test_a_site_write_stopped_halfway_is_cleaned_up_by_the_next(tmp_path):
    from publisher.writers.site import SiteOutput

    folder = tmp_path / "html"
    SiteOutput({"a.html": b"a", "b/c.html": b"c"}, b"", 2).write_into(folder)
    # stopped between the two renames: the old site aside, a half-made one beside it
    folder.rename(tmp_path / ".html.old")
    (tmp_path / ".html.new").mkdir()
    (tmp_path / ".html.new" / "half.html").write_bytes(b"x")
    inode = (tmp_path / ".html.old" / "a.html").stat().st_ino
    site = SiteOutput({"a.html": b"a", "b/c.html": b"new"}, b"", 2)
    site.write_into(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html"]
    assert (folder / "a.html").stat().st_ino == inode  # the old site's file, linked
    assert (folder / "b" / "c.html").read_bytes() == b"new"
    assert site.written == ["b/c.html"]
