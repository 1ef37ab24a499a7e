"""`publisher lint`: what it flags, where, and its exit code."""

import subprocess
import sys
from pathlib import Path

import pytest

from publisher.model import Case, Heading, Paragraph
from publisher.pipeline.lint import check_case, check_duplicates, check_text_file
from publisher.text.textcheck import check_line

ROOT = Path(__file__).resolve().parent.parent
SOURCE_004 = ROOT / "content" / "sources" / "004_72b8bfec9142b5c8.txt"


def messages(text):
    return [(f.severity, f.message) for f in check_line(text)]


@pytest.mark.parametrize(
    "text, col, words",
    [
        ("截止20177月再识别", 2, "年 seems lost"),
        ("建档立卡贫困户4711340人。", 7, "unit seems lost"),
        ("预计丰产期可收益3000/亩。", 8, "unit before '/' is lost"),
        ("上一篇:紧盯目标下一篇:对策", 0, "website chrome"),
        ("发布时间:2017 点击次数:904", 10, "website chrome"),
        ("融水:党建引领", 2, "half-width ':'"),
        ("他说“好", 2, "never closed"),
        ("书名》", 2, "closes nothing"),
    ],
)
def test_flags(text, col, words):
    found = check_line(text)
    assert any(f.col == col and words in f.message for f in found), found


@pytest.mark.parametrize(
    "text",
    [
        "全县6156户、25783人、17个贫困村。",  # real figures
        "按照8:2比例分红，人均1,000元，增长3.5%。",  # ratios, thousands, decimals
        "2017年7月，“两学一做”（学党章）。",
        "总人口1.5万人，其中农业人口1.45万人。",
        "Version 2.0 (beta): fine, really!",
    ],
)
def test_does_not_flag_good_text(text):
    assert check_line(text) == []


def test_raw_004_damaged_figures_and_chrome_are_flagged_at_their_lines():
    found = check_text_file(SOURCE_004.read_text(encoding="utf-8"), "004.txt")
    errors = {(d.line, d.message.split(":")[0]) for d in found if d.severity == "error"}
    assert (12, "garbled figure '4711340人' after 户") in errors
    assert (12, "garbled date '20177月'") in errors
    assert (18, "garbled figure '3000/亩'") in errors
    assert {d.line for d in found if "chrome" in d.message} >= {1, 2, 3, 4, 7, 8, 48}
    line12 = SOURCE_004.read_text(encoding="utf-8").splitlines()[11]
    d = next(d for d in found if "4711340" in d.message)
    assert line12[d.col - 1 :].startswith("4711340人")


def test_case_rules():
    case = Case(
        id="a",
        title="标题",
        blocks=(
            Heading(1, "空的一节", line=7),
            Heading(1, "有内容", line=9),
            Paragraph.of("正文。", line=11),
        ),
    )
    found = check_case(case, "a.md")
    assert any(d.line == 7 and "empty section" in d.message for d in found)
    assert not any(d.line == 9 and "empty section" in d.message for d in found)
    assert {
        "no date: add 'date:' if the source gives one",
        "no author",
        "no source or publication",
    } <= {d.message for d in found}


def test_nested_heading_is_not_an_empty_section():
    case = Case(
        id="a",
        title="t",
        blocks=(
            Heading(1, "一、总", line=5),
            Heading(2, "（一）分", line=6),
            Paragraph.of("正文。"),
        ),
    )
    assert not any("empty section" in d.message for d in check_case(case, "a.md"))


def test_duplicate_cases():
    a = Case(id="a", title="融水：党建引领", blocks=(Paragraph.of("第一段。"),))
    b = Case(id="b", title="融水:党建引领", blocks=(Paragraph.of("别的。"),))
    found = check_duplicates([(a, "a.md"), (b, "b.md")])
    assert len(found) == 1 and found[0].path == "b.md" and "a.md" in found[0].message


def test_cli_exit_code_and_format():
    run = subprocess.run(
        [sys.executable, "-m", "publisher", "lint", str(SOURCE_004)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 1
    first = run.stdout.splitlines()[0]
    assert first.startswith("content/sources/004_72b8bfec9142b5c8.txt:1:")
    assert ": error: " in run.stdout and "Traceback" not in run.stderr


def test_broken_settings_do_not_hide_case_file_findings(tmp_path):
    from publisher.pipeline.lint import lint_project
    from publisher.pipeline.project import Project
    from publisher.pipeline.scaffold import init_project

    init_project(tmp_path, "t")
    (tmp_path / "content" / "compendium.toml").write_text('titel = "t"\n', encoding="utf-8")
    (tmp_path / "content" / "cases" / "a.md").write_text(
        "---\nid: a\ntitle: 标题\n---\n\n上一篇:残留\n", encoding="utf-8"
    )
    found = [str(d) for d in lint_project(Project(tmp_path))]
    assert any("compendium.toml:1" in f and "did you mean 'title'" in f for f in found)
    assert any(f.startswith("content/cases/a.md:6:1: error: website chrome") for f in found)


def test_web_pages_and_word_files_are_linted_as_imported(tmp_path):
    """`publisher lint x.html / x.docx` checks the text the importer takes from the file
    (not its markup or zip bytes), names the file, and lists the importer's warnings."""
    import docx

    from publisher.pipeline.lint import lint_files

    body = "".join(
        f"<p>某县坚持党建引领，推动乡村振兴各项工作落实落细，第{n}项工作成效明显。</p>"
        for n in range(1, 6)
    )
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>某县推进乡村振兴</title></head><body>"
        '<div class="nav">上一篇：旧闻</div><h1>某县推进乡村振兴</h1>'
        f"<div class='content'><p>今年20177月，某县启动乡村振兴示范村建设。</p>{body}</div>"
        "</body></html>",
        encoding="utf-8",
    )
    word = tmp_path / "unit.docx"
    d = docx.Document()
    d.add_paragraph("某县推进乡村振兴", style="Title")
    d.add_paragraph("今年20177月，某县启动乡村振兴示范村建设，各项工作稳步推进。")
    d.save(word)
    found = [str(f) for f in lint_files([page, word], lambda p: p.name)]
    for name in ("page.html", "unit.docx"):
        mine = [f for f in found if f.startswith(name)]
        assert any(": error: garbled date '20177月'" in f for f in mine), mine
        assert not any("chrome" in f or "not UTF-8" in f or "binary" in f for f in mine), mine
    # the importer's own warnings are listed with the findings
    assert any(f.startswith("unit.docx") and "no date found" in f for f in found), found


def test_a_markdown_page_is_linted_as_imported_and_a_case_file_as_a_case_file(tmp_path):
    """A Markdown page an editor received (no front matter), wherever it lies, is checked
    as the importer reads it: its scraper lines are metadata, not text with half-width
    colons; a `.md` with front matter outside sources/ is a case file."""
    from publisher.pipeline.lint import lint_files

    (tmp_path / "content" / "sources").mkdir(parents=True)
    page = tmp_path / "content" / "sources" / "digest.md"
    page.write_text(
        "# 某县推进乡村振兴\n\n**日期**: 2024-01-01\n\n*来源: 人民日报*\n\n"
        "今年20177月，某县启动乡村振兴示范村建设，各项工作稳步推进。\n",
        encoding="utf-8",
    )
    case = tmp_path / "case.md"
    case.write_text("---\nid: a\ntitle: 标题\n---\n\n正文: 内容。\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    found = [str(f) for f in lint_files([page, case], lambda p: p.name)]
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # lint imports in memory: it writes no case file, no picture
    mine = [f for f in found if f.startswith("digest.md")]
    assert any(": error: garbled date '20177月'" in f for f in mine), mine
    assert not any("half-width" in f or "front matter" in f for f in mine), mine
    assert any(f.startswith("case.md:6:3: warning: half-width ':'") for f in found), found


def test_lint_says_which_opencc_conversion_a_case_had():
    case = Case(
        id="a",
        title="标题",
        blocks=(Paragraph.of("正文。"),),
        script="traditional",
        opencc="hk2s",
    )
    (info,) = [d for d in check_case(case, "a.md") if d.severity == "info"]
    assert "OpenCC hk2s" in info.message
