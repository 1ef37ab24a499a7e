"""Case files: writing a case and reading it back gives the same case; bad files get clear
errors."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.model import Author, Case, Correction, Figure, Heading, Note, Paragraph, Run
from publisher.readers.casefile import read_case_file
from publisher.support.errors import ContentError
from publisher.writers.casefile import write_case_file

# Text as articles hold it: CJK, Latin, digits, punctuation and the characters the
# format itself uses (*, #, >, !, [, ], (, ), \), with no line breaks or control chars.
_alphabet = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
line_text = st.text(_alphabet, min_size=1, max_size=40).map(str.strip).filter(bool)
maybe_text = st.one_of(st.just(""), line_text)


@st.composite
def paragraphs(draw):
    texts = draw(st.lists(st.text(_alphabet, min_size=1, max_size=30), min_size=1, max_size=4))
    first_strong = draw(st.booleans())
    runs = [Run(t, strong=(i % 2 == 0) == first_strong) for i, t in enumerate(texts)]
    p_text = "".join(r.text for r in runs)
    if p_text != p_text.strip() or not p_text.strip():
        return Paragraph.of(draw(line_text))
    return Paragraph(tuple(runs))


blocks = st.one_of(
    st.builds(Heading, level=st.sampled_from([1, 2, 3]), text=line_text),
    paragraphs(),
    st.builds(
        Figure,
        caption=line_text,
        credit=maybe_text,
        image=st.one_of(st.just(""), st.just("images/a (1).jpg")),
    ),
    st.builds(
        Figure,
        caption=line_text,
        credit=maybe_text,
        pair=st.just(True),
        image=st.sampled_from(["", "images/左 (1).jpg"]),
        second_image=st.sampled_from(["", "images/b\\c).png"]),
    ),
    st.builds(Note, text=line_text),
)

cases = st.builds(
    Case,
    id=st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True),
    title=line_text,
    blocks=st.lists(blocks, max_size=8).map(tuple),
    subtitle=maybe_text,
    kicker=maybe_text,
    series=maybe_text,
    authors=st.lists(
        st.builds(Author, name=line_text, role=maybe_text, note=maybe_text), max_size=3
    ).map(tuple),
    publication=maybe_text,
    source=maybe_text,
    date=st.sampled_from(["", "2017", "2017-11", "2017-11-14", "2017-11-14T05:32"]),
    script=st.just("traditional"),
    opencc=st.sampled_from(["", "t2s", "hk2s", "tw2s"]),  # the conversion used is kept
    corrections=st.lists(
        st.builds(
            Correction,
            original=line_text,
            corrected=st.just("改"),
            reason=line_text,
            line=st.integers(0, 500),
        ),
        max_size=2,
    ).map(lambda cs: tuple(c for c in cs if c.original != "改")),
)


cases = st.one_of(cases, cases.map(lambda c: replace(c, script="simplified", opencc="")))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(cases)
def test_write_then_read_gives_the_same_case(case):
    assert read_case_file(write_case_file(case), "x.md") == case


def test_markup_in_text_stays_text():
    case = Case(
        id="x",
        title="{{ 7*7 }}",
        blocks=(
            Paragraph.of("<script>alert(1)</script> **不是粗体** # 不是标题"),
            Paragraph.of("# 行首井号"),
            Paragraph.of("![不是图](x)"),
            Paragraph.of("> 不是注"),
            Figure(caption="说明[1]**", credit="张三 摄", image=""),
        ),
    )
    text = write_case_file(case)
    again = read_case_file(text, "x.md")
    assert again == case
    assert [type(b).__name__ for b in again.blocks] == ["Paragraph"] * 4 + ["Figure"]


def test_editor_forgot_blank_lines_around_heading_and_figure():
    text = "---\nid: a\ntitle: 标题\n---\n# 一、标题\n第一段\n![图说明]() 某某 摄\n> 注\n正文\n"
    case = read_case_file(text, "a.md")
    assert [type(b).__name__ for b in case.blocks] == [
        "Heading",
        "Paragraph",
        "Figure",
        "Note",
        "Paragraph",
    ]
    assert case.blocks[2].credit == "某某 摄"
    assert case.blocks[0].line == 5 and case.blocks[4].line == 9


def test_hard_wrapped_chinese_lines_join_without_space():
    text = "---\nid: a\ntitle: 标\n---\n\n**一是配强。**以换届\n为契机 and\nmore\n"
    (p,) = read_case_file(text, "a.md").blocks
    assert p.lead == "一是配强。" and p.text == "一是配强。以换届为契机 and more"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("id: a\n", 1, "starts with a '---'"),
        ("---\nid: a\ntitle: t\n", 1, "not closed"),
        ("---\nid: a\ntitel: t\n---\n", 3, "did you mean 'title'"),
        ("---\nid: a\n---\n", 2, "no 'title'"),
        ("---\nid: a\ntitle: [t\n---\n", 3, "front matter"),
        ("---\nid: A B\ntitle: t\n---\n", 1, "case id"),
        ("---\nid: a\ntitle: t\ndate: 14/11/2017\n---\n", 1, "not a date"),
        ("---\nid: a\ntitle: t\nscript: traditional\nopencc: s2t\n---\n", 1, "opencc must"),
        ("---\nid: a\ntitle: t\nopencc: hk2s\n---\n", 1, "script must be traditional"),
        ("---\nid: a\ntitle: t\n---\n\n正文**没有关闭\n", 6, "never closed"),
        ("---\nid: a\ntitle: t\n---\n\n![说明(x.jpg)\n", 6, "']' expected"),
        (
            "---\nid: a\ntitle: t\ncorrections:\n  - original: a\n    corected: b\n---\n",
            6,
            "did you mean 'corrected'",
        ),
        ("---\nid: a\ntitle: t\ndate: 2017-02-30\n---\n", 1, "not a date in the calendar"),
        ("---\nid: a\ntitle: t\n? [x, y]\n: z\n---\n", 4, "a key must be plain text"),
        (
            "---\nid: a\ntitle: t\nauthors:\n  - ? {x: 1}\n    : z\n---\n",
            5,
            "a key must be plain text",
        ),
        ("---\nid: a\ntitle: t\nauthors: " + "[" * 600 + "]" * 600 + "\n---\n", 4, "nested"),
        (
            "---\nid: a\ntitle: t\nauthors:\n"
            + "".join("  " * k + "- \n" for k in range(40))
            + "---\n",
            12,
            "nested more than 8 deep",
        ),
    ],
)
def test_bad_case_files_name_the_line(text, line, words):
    with pytest.raises(ContentError) as err:
        read_case_file(text, "content/cases/a.md")
    assert err.value.line == line, str(err.value)
    assert words in str(err.value)
    assert str(err.value).startswith(f"content/cases/a.md:{line}")


def test_two_photos_side_by_side():
    text = (
        "---\nid: a\ntitle: 标题\n---\n"
        "![图为甲（左）乙（右）](images/a.jpg)(images/b.jpg) 某某 摄\n"
        "\n![单图](images/c.jpg) (某某 摄)\n\n![待补两图]()()\n"
    )
    pair, single, empty = read_case_file(text, "a.md").blocks
    assert pair.pair and pair.images == ("images/a.jpg", "images/b.jpg")
    assert pair.credit == "某某 摄"
    assert not single.pair and single.credit == "(某某 摄)"
    assert empty.pair and empty.images == ("", "")
    assert "![图为甲（左）乙（右）](images/a.jpg)(images/b.jpg) 某某 摄" in write_case_file(
        read_case_file(text, "a.md")
    )


@pytest.mark.parametrize("levels", [500, 30_000])
def test_deep_front_matter_is_one_line_in_lint_and_build(tmp_path, levels):
    """Issue 22: a RecursionError from ~500 levels, a segfault (exit 139) from ~25,000."""
    import subprocess
    import sys

    from publisher.pipeline.scaffold import init_project

    init_project(tmp_path, "t")
    case = tmp_path / "content" / "cases" / "deep.md"
    case.write_text(
        "---\nid: deep\ntitle: t\nauthors: " + "[" * levels + "]" * levels + "\n---\n\n正文。\n",
        encoding="utf-8",
    )
    for command in (["lint"], ["build", "--format", "json"]):
        run = subprocess.run(
            [sys.executable, "-m", "publisher", *command],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 1, run.stderr
        errors = [x for x in (run.stdout + run.stderr).splitlines() if ": error: " in x]
        assert errors == [
            "content/cases/deep.md:4:17: error: front matter: lists and tables nested more"
            " than 8 deep; a case file's front matter is 'key: value' lines and lists of them"
        ]
        assert "Traceback" not in run.stderr
    assert not list((tmp_path / "build").glob("*.json"))
