"""The workbench (`publisher serve`) in a real browser: Debian's chromium driven by
Playwright, against the server started as an editor starts it. What an editor would do and
see: the book and a case; a case file changed on disk showing up without a reload; a save
linted; a conflicting save refused with nothing lost; an article dropped in; an edited
DOCX's diff and its Apply; a case dragged to another part; an article's markup shown as
text; and a request without the token refused beyond loopback."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import IN_CI
from publisher.workbench import printed

pytestmark = pytest.mark.slow  # a browser drives the workbench

ROOT = Path(__file__).resolve().parent.parent
# Debian's chromium; where the distribution's is a snap (Ubuntu), the Chrome or Chromium
# already on the machine (GitHub's runners have Chrome), or PUBLISHER_BROWSER.
BROWSERS = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RONGSHUI = "000_b1767db4946b0b0f"
TAIYUAN = "001_a8e2ffcc3b22423d"
XINGAN = "002_7a9b3e6cd7ab33a6"
ZIZHONG = "003_cb2881a0ddc343a6-1"
DOCX = "抓党建促脱贫攻坚典型案例汇编.docx"

XSS_ARTICLE = """\
---
id: xss
title: 标题<script>alert(1)</script>
authors:
  - name: 张三
date: '2020-06-11'
source: 示例来源
region: 四川
---

# 一、{{ 7*7 }}的做法

**一是<b>加粗</b>。**正文<img src=x onerror=alert(2)>内容。
"""


def _missing(what: str) -> None:
    message = f"{what} (./run setup installs it)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the Python package playwright is not installed")
    executable = find_browser()
    if executable is None:
        _missing("no Chromium or Chrome is installed (apt package chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


def find_browser() -> str | None:
    import os
    import shutil

    for name in (os.environ.get("PUBLISHER_BROWSER", ""), *BROWSERS):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`publisher -C ROOT serve` in a process of its own, as an editor starts it."""

    def __init__(self, root: Path, *args: str) -> None:
        self.root = root
        self.port = _free_port()
        self.log = root.parent / f"serve-{self.port}.log"  # a file: a full pipe would block it
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "publisher.cli", "-C", str(root), "serve"]
                + ["--port", str(self.port), *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        deadline = time.monotonic() + 30
        found = None
        while found is None and time.monotonic() < deadline and self.process.poll() is None:
            found = re.search(r"(http://\S+)", self.log.read_text(encoding="utf-8"))
            time.sleep(0.05)
        assert found, f"no address printed: {self.log.read_text(encoding='utf-8')!r}"
        self.url = found.group(1)
        self.base = f"http://127.0.0.1:{self.port}"
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url, timeout=2)
                return
            except urllib.error.HTTPError:
                return  # answering (a refusal is an answer)
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the workbench did not answer")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            return self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def _copy_seed(root: Path) -> Path:
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "styles", root / "styles", ignore=shutil.ignore_patterns("*.png"))
    (root / "build").mkdir()
    return root


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = _copy_seed(tmp_path_factory.mktemp("book"))
    (root / "content" / "cases" / "xss.md").write_text(XSS_ARTICLE, encoding="utf-8")
    server = Server(root)
    yield server
    assert server.stop() == 0, "the workbench did not stop cleanly on Ctrl+C"


@pytest.fixture
def page(browser, served):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.dialogs = dialogs
    yield tab
    context.close()


def case_file(served: Server, case_id: str) -> Path:
    return served.root / "content" / "cases" / f"{case_id}.md"


def _live(tab) -> None:
    """Wait until the page's event stream is open: changes from now on reach it."""
    tab.wait_for_selector("#live-state.on", timeout=10_000)


# --- the scenarios ----------------------------------------------------------------------


def test_open_the_book_then_a_case(page, served):
    page.goto(served.base + "/")
    parts = page.locator(".part-title").all_inner_texts()
    assert parts[:4] == ["广西壮族自治区", "山西省", "内蒙古自治区", "四川省"]
    row = page.locator(f'.case-row[data-case="{RONGSHUI}"]')
    assert "更正 1" in row.inner_text()  # the recorded correction, in the case's status
    row.locator("a.case-link").click()
    page.wait_for_url(f"**/case/{RONGSHUI}")
    assert page.locator("article h1").inner_text().replace("\n", "") == "融水：党建引领助推精准脱贫"
    assert page.locator("figcaption .fig-label").first.inner_text() == "图 1-1"
    assert "安陲乡" in page.locator(".corrections").inner_text()


def test_a_case_file_changed_on_disk_shows_without_a_reload(page, served):
    page.goto(f"{served.base}/case/{XINGAN}")
    _live(page)
    page.evaluate("window.__notReloaded = true")
    page.evaluate("window.scrollTo(0, 600)")
    path = case_file(served, XINGAN)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("两年多来", "三年多来", 1), encoding="utf-8")
    page.wait_for_function(
        "document.querySelector('article').innerText.includes('三年多来')", timeout=10_000
    )
    assert page.evaluate("window.__notReloaded") is True
    assert page.evaluate("window.scrollY") == 600


def test_ten_saves_in_a_second_end_in_the_view_of_the_last(page, browser, served):
    page.goto(f"{served.base}/case/{XINGAN}")
    _live(page)
    path = case_file(served, XINGAN)
    original = path.read_text(encoding="utf-8")
    marker = "近年来，兴安盟委"
    assert marker in original
    for n in range(10):
        path.write_text(original.replace(marker, f"第{n}稿：{marker}", 1), encoding="utf-8")
        time.sleep(0.08)
    page.wait_for_function(
        "document.querySelector('article').innerText.includes('第9稿')", timeout=10_000
    )
    time.sleep(1.0)  # any refresh still under way lands
    live = page.locator("#case-live").inner_html()
    cold = browser.new_page()
    cold.goto(f"{served.base}/case/{XINGAN}")
    fresh = cold.locator("#case-live").inner_html()
    cold.close()
    strip = lambda html: re.sub(r' data-version="\d+"', "", html).strip()  # noqa: E731
    assert strip(live) == strip(fresh)
    assert "第8稿" not in live


def test_edit_and_save_in_the_browser_runs_lint(page, served):
    page.goto(f"{served.base}/edit/{TAIYUAN}.md")
    text = page.locator("#text").input_value()
    added = "新增的一段,用了半角逗号。"
    page.locator("#text").fill(text.rstrip("\n") + "\n\n" + added + "\n")
    page.get_by_role("button", name="保存（Ctrl+S）").click()
    page.wait_for_selector("#save-state")
    assert "已保存" in page.locator("#save-state").inner_text()
    saved = case_file(served, TAIYUAN).read_text(encoding="utf-8")
    assert added in saved
    line = saved.splitlines().index(added) + 1
    findings = page.locator("ul.findings").inner_text()
    assert f"content/cases/{TAIYUAN}.md:{line}:" in findings
    assert "half-width ','" in findings


def test_a_file_that_does_not_parse_is_refused_with_its_place(page, served):
    path = case_file(served, TAIYUAN)
    before = path.read_bytes()
    page.goto(f"{served.base}/edit/{TAIYUAN}.md")
    text = page.locator("#text").input_value()
    page.locator("#text").fill(text.replace("title:", "title: [", 1))
    page.get_by_role("button", name="保存（Ctrl+S）").click()
    error = page.locator("#save-error").inner_text()
    assert re.search(rf"content/cases/{TAIYUAN}\.md:\d+:\d+: error", error), error
    assert path.read_bytes() == before


def test_a_conflicting_save_is_refused_and_nothing_is_lost(page, served):
    path = case_file(served, TAIYUAN)
    page.goto(f"{served.base}/edit/{TAIYUAN}.md")
    theirs = path.read_text(encoding="utf-8").replace("太原", "太原市", 1)
    path.write_text(theirs, encoding="utf-8")  # another editor, meanwhile
    mine = page.locator("#text").input_value() + "\n我的新段落。\n"
    page.locator("#text").fill(mine)
    page.get_by_role("button", name="保存（Ctrl+S）").click()
    page.wait_for_selector(".conflict")
    assert path.read_text(encoding="utf-8") == theirs  # theirs kept
    assert page.locator("#text").input_value().replace("\r\n", "\n") == mine  # mine kept
    diff = page.locator(".conflict pre.diff").inner_text()
    assert "+我的新段落。" in diff and "太原市" in diff


def test_drop_an_article_and_see_the_new_case(page, served):
    page.goto(served.base + "/import")
    article = (
        "龙泉村：党建引领产业兴\n\n□ 王明\n\n"
        "近年来，龙泉村党支部带领群众发展茶叶产业，全村人均收入翻了一番。\n\n"
        "一是建强支部。村党支部换届后，班子更加团结。\n"
    )
    page.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.items.add(new File([text], "longquan.txt", {type: "text/plain"}));
            const zone = document.getElementById("import-drop");
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true,
                                                      cancelable: true}));
        }""",
        article,
    )
    page.wait_for_url("**/case/longquan")
    assert "龙泉村" in page.locator("article h1").inner_text()
    assert (served.root / "content" / "sources" / "longquan.txt").is_file()
    assert (served.root / "content" / "cases" / "longquan.md").is_file()


def test_an_upload_of_another_type_is_refused(page, served):
    page.goto(served.base + "/import")
    page.set_input_files(
        "#import-form input[type=file]",
        files=[{"name": "evil.sh", "mimeType": "text/plain", "buffer": b"rm -rf /"}],
    )
    page.locator("#import-form button").click()
    assert "不支持的文件类型" in page.locator("#import-error").inner_text()
    assert not list(served.root.rglob("evil.sh"))


def test_drag_a_case_to_another_part_keeps_the_comments(page, served):
    settings = served.root / "content" / "compendium.toml"
    comments = [line for line in settings.read_text(encoding="utf-8").splitlines() if "#" in line]
    page.goto(served.base + "/")
    source = page.locator(f'.case-row[data-case="{ZIZHONG}"] .grip')
    target = page.locator('.part[data-title="山西省"] ol.cases')
    source.drag_to(target)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and ZIZHONG not in _part(settings, "山西省"):
        time.sleep(0.1)
    assert ZIZHONG in _part(settings, "山西省")
    assert ZIZHONG not in _part(settings, "四川省")
    after = settings.read_text(encoding="utf-8").splitlines()
    assert comments == [line for line in after if "#" in line]
    page.wait_for_selector(f'.part[data-title="山西省"] .case-row[data-case="{ZIZHONG}"]')


def _wait_for_part(settings: Path, title: str, cases: list[str]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _part(settings, title) != cases:
        time.sleep(0.1)
    assert _part(settings, title) == cases


def _rows(tab, title: str) -> list[str]:
    rows = tab.locator(f'.part[data-title="{title}"] .case-row')
    return [rows.nth(i).get_attribute("data-case") for i in range(rows.count())]


def _wait_for_rows(tab, title: str, cases: list[str]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _rows(tab, title) != cases:
        time.sleep(0.1)
    assert _rows(tab, title) == cases


def test_on_a_touch_screen_the_move_buttons_reorder_the_book(browser, served):
    settings = served.root / "content" / "compendium.toml"
    comments = [line for line in settings.read_text(encoding="utf-8").splitlines() if "#" in line]
    sichuan, neimenggu = _part(settings, "四川省"), _part(settings, "内蒙古自治区")
    last = sichuan[-1]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    tab = context.new_page()
    try:
        tab.goto(served.base + "/")
        _live(tab)

        def tap(case_id: str, step: str) -> None:
            tab.locator(f'#case-{case_id} form.move button[value="{step}"]').tap()

        tap(last, "up")  # one place up within its part
        swapped = sichuan[:-2] + [last, sichuan[-2]]
        _wait_for_part(settings, "四川省", swapped)
        _wait_for_rows(tab, "四川省", swapped)
        first = swapped[0]
        tap(first, "up")  # the first case of a part: to the end of the part before it
        _wait_for_part(settings, "内蒙古自治区", neimenggu + [first])
        _wait_for_part(settings, "四川省", swapped[1:])
        _wait_for_rows(tab, "内蒙古自治区", neimenggu + [first])
        tap(first, "down")  # and back down, to the start of its part
        _wait_for_part(settings, "四川省", swapped)
        _wait_for_rows(tab, "四川省", swapped)
        tap(last, "down")
        _wait_for_part(settings, "四川省", sichuan)
        assert _part(settings, "内蒙古自治区") == neimenggu
        after = settings.read_text(encoding="utf-8").splitlines()
        assert comments == [line for line in after if "#" in line]
        # The first case of the book cannot go further up.
        first_row = tab.locator(".case-row").first
        assert first_row.locator('button[value="up"]').is_disabled()
    finally:
        context.close()


def test_with_the_keyboard_a_move_keeps_the_focus_on_its_button(page, served):
    settings = served.root / "content" / "compendium.toml"
    sichuan, neimenggu = _part(settings, "四川省"), _part(settings, "内蒙古自治区")
    first = sichuan[0]
    page.goto(served.base + "/")
    _live(page)
    page.locator(f'#case-{first} form.move button[value="up"]').focus()
    page.keyboard.press("Enter")
    _wait_for_part(settings, "内蒙古自治区", neimenggu + [first])
    _wait_for_rows(page, "内蒙古自治区", neimenggu + [first])
    page.wait_for_function(  # the moved case's own button, in its new place
        f"document.activeElement.closest('.case-row')?.dataset.case === {json.dumps(first)}"
        " && document.activeElement.value === 'up'"
    )
    page.keyboard.press("Tab")  # on to its ↓ button, and back down with Enter
    page.keyboard.press("Enter")
    _wait_for_part(settings, "四川省", sichuan)
    assert _part(settings, "内蒙古自治区") == neimenggu


def test_without_javascript_the_move_buttons_still_reorder(browser, served):
    settings = served.root / "content" / "compendium.toml"
    sichuan = _part(settings, "四川省")
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(served.base + "/")
        tab.locator(f'#case-{sichuan[0]} form.move button[value="down"]').click()
        tab.wait_for_url(re.compile(rf"/#case-{re.escape(sichuan[0])}$"))
        moved = [sichuan[1], sichuan[0], *sichuan[2:]]
        assert _part(settings, "四川省") == moved
        assert _rows(tab, "四川省") == moved  # the page shown after it
        tab.locator(f'#case-{sichuan[0]} form.move button[value="up"]').click()
        tab.wait_for_load_state()
        assert _part(settings, "四川省") == sichuan
    finally:
        context.close()


def _part(settings: Path, title: str) -> list[str]:
    import tomllib

    table = tomllib.loads(settings.read_text(encoding="utf-8"))
    return next(p["cases"] for p in table["parts"] if p["title"] == title)


def test_an_article_with_markup_is_shown_literally(page, served):
    page.goto(served.base + "/case/xss")
    article = page.locator("article")
    assert "<script>alert(1)</script>" in article.locator("h1").inner_text()
    assert "{{ 7*7 }}" in article.locator("h2").inner_text()
    assert "<img src=x onerror=alert(2)>" in article.inner_text()
    assert article.locator("script, img, b").count() == 0
    page.goto(served.base + "/edit/xss.md")
    assert "<script>alert(1)</script>" in page.locator("#text").input_value()
    assert page.dialogs == []


def test_a_photo_supplied_shows_in_its_figure(page, served):
    from imagefactory import photo, save

    save(photo(640, 480), served.root / "content" / "images" / "xa-1.jpg", "JPEG")
    path = case_file(served, XINGAN)
    text = path.read_text(encoding="utf-8")
    first = re.search(r"(?m)^!\[([^\]]+)\]\(\)", text)
    assert first, "the case has a figure without a photo"
    path.write_text(text.replace(first.group(0), f"![{first.group(1)}](images/xa-1.jpg)"), "utf-8")
    page.goto(f"{served.base}/case/{XINGAN}")
    image = page.locator("article figure img").first
    image.scroll_into_view_if_needed(timeout=10_000)  # after the live update, if need be
    page.wait_for_function(
        "[...document.querySelectorAll('article figure img')].some(i => i.naturalWidth > 0)",
        timeout=10_000,
    )
    label = page.locator("article figure:has(img) .fig-label").first.inner_text()
    assert re.fullmatch(r"图 \d+-1", label)  # the case's first figure


def test_paths_outside_the_case_files_are_refused(served):
    for path in ("/edit/..%2Fcompendium.toml", "/edit/..%2F..%2Fetc%2Fpasswd", "/media/..%2Fx"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(served.base + path, timeout=10)
        assert refused.value.code == 404, path


def test_a_change_without_the_pages_csrf_token_is_refused(served):
    request = urllib.request.Request(served.base + "/build", data=b"", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def _children(pid: int) -> dict[int, str]:
    """The processes whose parent is `pid`, with their command lines."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes().decode()
        except (OSError, IndexError, ValueError):
            continue
    return found


def test_the_layout_workers_warm_after_the_start_and_end_with_ctrl_c(tmp_path):
    """The first proof after the start need not wait for WeasyPrint to be imported: once
    the server answers, the layout workers' server starts in the background; Ctrl+C ends
    it with the workbench."""
    server = Server(_copy_seed(tmp_path))
    try:
        deadline = time.monotonic() + 30
        warm: dict[int, str] = {}
        while not warm and time.monotonic() < deadline:
            time.sleep(0.2)
            warm = {
                pid: line
                for pid, line in _children(server.process.pid).items()
                if "forkserver" in line
            }
        assert warm, "no layout workers' server started"
    finally:
        assert server.stop() == 0
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in warm):
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in warm), "left running after Ctrl+C"


def test_beyond_loopback_a_request_without_the_token_is_refused(browser, tmp_path):
    server = Server(_copy_seed(tmp_path), "--host", "0.0.0.0")
    try:
        assert "token=" in server.url
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(server.base + "/", timeout=10)
        assert refused.value.code == 403
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(server.base + "/?token=wrong", timeout=10)
        tab = browser.new_page()
        tab.goto(server.url)  # the printed address: token to cookie
        assert "token" not in tab.url
        tab.goto(server.base + f"/case/{RONGSHUI}")  # the cookie carries it
        assert "融水" in tab.locator("article h1").inner_text()
        tab.close()
    finally:
        assert server.stop() == 0


@pytest.mark.slow
def test_drop_an_edited_docx_see_the_diff_and_apply(page, served):
    from docx import Document

    from publisher.pipeline.build import build
    from publisher.pipeline.project import Project
    from publisher.readers.casefile import read_case_file

    settings = served.root / "content" / "compendium.toml"
    text = settings.read_text(encoding="utf-8")
    if "docx_toc_pages" not in text:  # no LibreOffice pass: the test needs only the text
        settings.write_text(
            text.replace("\n[[parts]]", "\ndocx_toc_pages = false\n\n[[parts]]", 1),
            encoding="utf-8",
        )
    build(Project(served.root), ("docx",))
    document = Document(str(served.root / "build" / DOCX))
    paragraph = next(p for p in document.paragraphs if "以换届为契机" in p.text)
    for run in paragraph.runs:
        run.text = run.text.replace("以换届为契机", "以村级换届为契机")
    edited = served.root / "edited.docx"
    document.save(str(edited))
    page.goto(served.base + "/absorb")
    page.set_input_files("#absorb-form input[type=file]", str(edited))
    page.locator("#absorb-form button").click()
    diff = page.locator(".absorb-diff").first.inner_text()
    assert f"{RONGSHUI}.md" in diff and "+" in diff and "以村级换届为契机" in diff
    assert "以村级换届为契机" not in case_file(served, RONGSHUI).read_text(encoding="utf-8")
    page.locator("#absorb-apply").click()
    page.wait_for_selector("text=已写入修改")
    saved = case_file(served, RONGSHUI).read_text(encoding="utf-8")
    assert "以村级换届为契机" in saved
    case = read_case_file(saved, "x")
    assert any(
        "以村级换届" in c.corrected and c.reason == "edited in the DOCX" for c in case.corrections
    )
    page.goto(f"{served.base}/case/{RONGSHUI}")  # and the case page lists it
    assert "以村级换届" in page.locator(".corrections").inner_text()


@pytest.mark.slow
def test_build_now_then_the_printed_pages_follow_an_edit(browser, tmp_path):
    root = _copy_seed(tmp_path)
    settings = root / "content" / "compendium.toml"
    text = settings.read_text(encoding="utf-8")  # no LibreOffice pass: a shorter build
    settings.write_text(
        text.replace("\n[[parts]]", "\ndocx_toc_pages = false\n\n[[parts]]", 1), encoding="utf-8"
    )
    server = Server(root)
    try:
        tab = browser.new_page(viewport={"width": 1200, "height": 900})
        tab.goto(server.base + "/")
        _live(tab)
        tab.locator("#build-now").click()
        tab.wait_for_function(
            "document.getElementById('build-progress').innerText.includes('构建完成')",
            timeout=180_000,
        )
        tab.wait_for_selector('a.button[href="/download/pdf"]')
        report = json.loads((root / "build" / "report.json").read_text(encoding="utf-8"))
        entry = next(c for c in report["cases"] if c["id"] == TAIYUAN)
        tab.goto(f"{server.base}/case/{TAIYUAN}")
        first = tab.locator(".printed-page").first
        first.scroll_into_view_if_needed(timeout=10_000)
        assert f"第 {entry['printed_page']} 页" in first.inner_text()
        tab.wait_for_function(
            "document.querySelector('.printed-page img').naturalWidth > 0", timeout=30_000
        )
        path = case_file(server, TAIYUAN)
        added = "打印页随即跟上的一段。"
        path.write_text(path.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")
        # First the case's proof, laid out alone before the book is built again: the
        # edited text on its last page, the folios the case has in the book.
        tab.wait_for_selector('.page-images[data-source="proof"]', timeout=120_000)
        assert tab.locator(".stale").count() == 0
        assert f"第 {entry['printed_page']} 页" in first.inner_text()
        src = tab.locator(".printed-page img").last.get_attribute("src")
        key = re.fullmatch(r"/pages/(\w+)/\d+\.png", src or "").group(1)
        (proof,) = (root / "build" / printed.PROOFS).glob("*.pdf")  # the shown one
        assert key == printed.pdf_key(proof)
        assert added in "".join(_pdf_text(proof).split())
        tab.wait_for_function(  # the shown image is that page's
            "document.querySelector('.printed-page:last-child img').naturalWidth > 0",
            timeout=30_000,
        )
        # Then the PDF built again: the book's pages in place of the proof's.
        tab.wait_for_selector('.page-images[data-source="book"]', timeout=180_000)
        assert tab.locator(".stale").count() == 0
        tab.close()
    finally:
        assert server.stop() == 0


def _pdf_text(pdf: Path) -> str:
    run = subprocess.run(
        ["pdftotext", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout
