"""Fuzzing in CI: every reader of the project (case files, compendium.toml, raw articles
in .txt, .md, .html and .docx) given broken inputs gives a result or one line naming the
file (tests/fuzzing.py says what is checked). A bounded, derandomized run (about 45 s);
benchmarks/fuzz.py is the long run. A crash found there becomes a regression test below,
with its minimal input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.writers.casefile import write_case_file
from tests.fuzzing import KINDS, ROOT, check, mutate, seeds

# Examples per kind, sized by what one costs (a case file: ~1 ms; a web page: ~50 ms).
EXAMPLES = {"casefile": 500, "settings": 300, "txt": 300, "md": 300, "html": 60, "docx": 150}


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,  # the same inputs on every CI run; the long run explores
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


@pytest.mark.slow  # 1,600 generated inputs: CI runs them, the quick loop leaves them out
@pytest.mark.parametrize("kind", KINDS)
def test_mutated_inputs_give_a_result_or_one_line(kind):
    @fuzz(EXAMPLES[kind])
    @given(seed=st.sampled_from(seeds()[kind]), rng=st.randoms(use_true_random=False))
    def run(seed, rng):
        check(kind, mutate(seed, rng, kind))

    run()


# YAML's own syntax, in any order: front matter an editor (or a bad tool) might write.
_YAML = st.lists(
    st.sampled_from(list("-:[]{}?&*!|>'\"#%@`,\n \t") + ["id", "title", "a", "汉", "\x85"]),
    max_size=80,
).map("".join)


@pytest.mark.slow
@fuzz(300)
@given(front=_YAML, body=st.text(max_size=60))
def test_generated_front_matter_gives_a_case_or_one_line(front, body):
    check("casefile", f"---\nid: a\ntitle: t\n{front}\n---\n{body}\n".encode("utf-8", "replace"))


_TOML = st.lists(
    st.sampled_from(list("[]{}=\"',.#\n ") + ["title", "date", "parts", "cases", "1", "汉"]),
    max_size=80,
).map("".join)


@pytest.mark.slow
@fuzz(300)
@given(extra=_TOML)
def test_generated_settings_give_settings_or_one_line(extra):
    check("settings", f'title = "t"\n{extra}\n'.encode())


# --- crashes the long run found, as regression tests with their minimal input ----------


def test_control_character_in_front_matter_is_one_line():
    check("casefile", b"---\nid: a\ntitle: t\x0c\n---\n")


def test_docx_bold_run_of_a_line_break_alone_before_the_text():
    """Found by benchmarks/fuzz.py (input 6,293): a bold run holding only <w:br/> opened
    the paragraph; its lead-in stripped to nothing and the model refused the empty run."""
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("某县的经验", style="Title")
    p = document.add_paragraph()
    p.add_run().add_break()
    p.runs[0].bold = True
    p.add_run("二是配强班子。去年以来，全县以党建为引领，探索出一条新路子。")
    out = io.BytesIO()
    document.save(out)
    assert check("docx", out.getvalue()) == "ok"


def test_html_figure_picture_with_an_attribute_name_lxml_refuses():
    """Found by benchmarks/fuzz.py (input 7,177): `<img src"tool="x">` inside <figure>
    (lxml's HTML parser keeps the name, its tree refuses it): ValueError."""
    body = "".join(f"<p>这是第{n}段正文，介绍当地的经验做法和成效。</p>" for n in range(3))
    page = (
        f"<html><body><article><h1>某县的经验</h1>{body}"
        f'<figure><img src="a.jpg" src"tool="x"></figure>{body}</article></body></html>'
    )
    assert check("html", page.encode()) == "ok"


def test_docx_line_break_in_a_short_first_line_is_a_space_in_its_warning():
    """Found by benchmarks/fuzz.py (input 6,755): a bold first line with a <w:br/> was
    quoted, line break and all, in the title guess: a warning of two lines."""
    import io

    import docx

    document = docx.Document()
    p = document.add_paragraph()
    run = p.add_run("落到实处。")
    run.bold = True
    run.add_break()
    p.add_run("（新华社北京6月30日电）").bold = True
    document.add_paragraph("去年以来，全县以党建为引领，探索出一条新路子。")
    out = io.BytesIO()
    document.save(out)
    assert check("docx", out.getvalue()) == "ok"


def test_markdown_metadata_line_of_ten_thousand_spaces_does_not_hang():
    """Found by benchmarks/fuzz.py (input 7,969): `*来源: ht` and 10,000 spaces made the
    metadata pattern backtrack cubically (4 s at 1,000 spaces: hours at 10,000). Run in a
    child with a time limit, so a regression fails instead of hanging the suite."""
    import subprocess
    import sys

    page = "某县的经验\n\n这是正文，介绍当地的经验做法。\n\n*来源: ht" + " " * 10_000 + "x\n"
    code = (
        "import sys; from tests.fuzzing import check; print(check('md', sys.stdin.buffer.read()))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=page.encode(),
        capture_output=True,
        timeout=120,
        cwd=str(ROOT),
    )
    assert run.stdout.decode().strip() in ("ok", "refused"), run.stderr.decode()[-500:]


def test_markdown_html_block_of_two_lines_is_quoted_on_one_line():
    """Found by benchmarks/fuzz.py (seed 2, input 4,971): an HTML block's line break
    reached the warning that names what was dropped."""
    page = "某县的经验\n\n这是正文，介绍当地的经验做法和成效。\n\n<figure>\n以下为全文：\n"
    assert check("md", page.encode()) in ("ok", "refused")


def test_docx_with_a_nul_character_in_its_xml_is_refused_in_one_line():
    """Found by benchmarks/fuzz.py (seed 2, input 10,024): lxml's message for a NUL in
    document.xml has a line break; the refusal printed two lines."""
    import io
    import zipfile

    from tests.fuzzing import _docx

    source = zipfile.ZipFile(io.BytesIO(_docx("plain")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace("某县的经验".encode(), "某县\x00的经验".encode())
            target.writestr(item, data)
    assert check("docx", out.getvalue()) == "refused"


def test_html_figure_picture_with_an_attribute_of_braces():
    """Found by benchmarks/fuzz.py (seed 2, input 18,431): `<img src="a.jpg" {{{{>` in a
    <figure>: lxml's tree refuses to read the attribute back (ValueError)."""
    body = "".join(f"<p>这是第{n}段正文，介绍当地的经验做法和成效。</p>" for n in range(3))
    page = (
        f"<html><body><article><h1>某县的经验</h1>{body}"
        f'<figure><img src="a.jpg" {{{{{{{{></figure>{body}</article></body></html>'
    )
    assert check("html", page.encode()) == "ok"


def test_docx_in_a_zip_version_python_cannot_read_is_one_line():
    """Found by benchmarks/fuzz.py (seed 2, input 16,155): a damaged header asking for zip
    version 22.4 raised NotImplementedError."""
    import io
    import zipfile

    from tests.fuzzing import _docx

    data = bytearray(_docx("plain"))
    directory = data.rfind(b"PK\x01\x02")  # the last member's central directory entry
    data[directory + 6] = 224  # the version needed to extract it: 22.4
    with pytest.raises(NotImplementedError):
        zipfile.ZipFile(io.BytesIO(bytes(data)))
    assert check("docx", bytes(data)) == "refused"


@pytest.mark.parametrize(
    "front",
    [
        "tags: " + "[" * 5000 + "]" * 5000,  # found by benchmarks/fuzz.py (seed 2, 42,015)
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nauthor: [*c, *c, *c, *c, *c, *c, *c]\n",
    ],
    ids=["deep", "laughs"],
)
def test_markdown_front_matter_too_deep_or_aliased_is_read_as_text(front):
    """A scraped page's front matter nested 5,000 deep (RecursionError), or a billion
    laughs of aliases (author printed as text would grow exponentially)."""
    page = f"---\n{front}\n---\n\n某县的经验\n\n这是正文，介绍当地的经验做法和成效。\n"
    assert check("md", page.encode()) in ("ok", "refused")


def test_markdown_front_matter_aliases_do_not_multiply_into_the_case():
    from publisher.readers import import_source

    front = (
        "a: &a [甲, 乙, 丙, 丁, 戊, 己, 庚, 辛, 壬]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nauthor: [*c, *c, *c, *c, *c, *c, *c]\n"
    )
    page = f"---\n{front}---\n\n某县的经验\n\n这是正文，介绍当地的经验做法和成效。\n"
    result = import_source(page.encode(), "content/sources/x.md")
    text = write_case_file(result.cases[0], stamp=True)
    assert len(text) < 2_000  # before: 5,103 names from 3 lines (9 levels: 387 million)


def test_html_picture_address_with_line_breaks_is_named_on_one_line():
    """Found by benchmarks/fuzz.py (seed 2, input 72,568): a picture address broken over
    lines reached the "pictures are on the web" warning as is."""
    body = "".join(f"<p>这是第{n}段正文，介绍当地的经验做法和成效。</p>" for n in range(3))
    page = (
        f"<html><body><article><h1>某县的经验</h1>{body}"
        f'<p><img src="http://example.com/p\n---\nhoto1.jpg"></p>{body}</article></body></html>'
    )
    assert check("html", page.encode()) == "ok"


def test_html_that_trafilatura_cannot_parse_back_is_one_line():
    """Found by benchmarks/fuzz.py (seed 3, input 9,710), minimised: trafilatura writes
    XML it then cannot parse (XMLSyntaxError from inside trafilatura.extract)."""
    assert check("html", "<span></span><s\n<>建".encode()) == "refused"


def test_inline_byline_with_a_space_before_the_role():
    """Found by benchmarks/fuzz.py (seed 3, input 48,027): `本报讯（ 通讯员 李四）` gave the
    role ' 通讯员', which the model refuses (ModelError)."""
    body = "".join(f"<p>这是第{n}段正文，介绍当地的经验做法和成效。</p>" for n in range(3))
    page = (
        "<html><body><article><h1>某县的经验</h1>"
        f"<p>本报讯（ 通讯员 李四）今年以来，某县坚持党建引领基层治理。</p>{body}"
        "</article></body></html>"
    )
    assert check("html", page.encode()) == "ok"
