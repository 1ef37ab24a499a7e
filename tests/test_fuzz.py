"""Fuzzing in CI: every reader of the project (case files, compendium.toml, raw articles
in .txt, .md, .html and .docx) given broken inputs gives a result or one line naming the
file (tests/fuzzing.py says what is checked). A bounded, derandomized run (about 45 s);
benchmarks/fuzz.py is the long run. A crash found there becomes a regression test below,
with its minimal input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import KINDS, check, mutate, seeds

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


@fuzz(300)
@given(front=_YAML, body=st.text(max_size=60))
def test_generated_front_matter_gives_a_case_or_one_line(front, body):
    check("casefile", f"---\nid: a\ntitle: t\n{front}\n---\n{body}\n".encode("utf-8", "replace"))


_TOML = st.lists(
    st.sampled_from(list("[]{}=\"',.#\n ") + ["title", "date", "parts", "cases", "1", "汉"]),
    max_size=80,
).map("".join)


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
