"""Progress at scale: pages laid out, with the time left, live on a terminal, plain in CI."""

from __future__ import annotations

from conftest import output_of
from publisher.support.options import WriterResources
from publisher.support.progress import Progress
from publisher.writers.pdf import write_pdf


def _lines(tty: bool, total: int | None, counts) -> list[str]:
    out: list[str] = []
    progress = Progress(tty=tty, echo=lambda text, **kw: out.append(text))
    counter = progress.counter("typeset", "page", total)
    counter.quiet_seconds = 0
    for n in counts:
        counter(n)
    return out


def test_ci_log_gets_a_line_at_each_tenth():
    lines = _lines(False, 40, range(1, 41))
    assert len(lines) == 10
    assert lines[0].startswith("typeset: page 4 of about 40")


def test_without_an_estimate_every_hundred_pages():
    assert [ln.split(",")[0] for ln in _lines(False, None, range(1, 301))] == [
        "typeset: page 100",
        "typeset: page 200",
        "typeset: page 300",
    ]


def test_terminal_line_is_rewritten_in_place():
    lines = _lines(True, 40, [1, 2])
    assert len(lines) == 2 and all(ln.startswith("\r") for ln in lines)


def test_quiet_prints_nothing():
    out: list[str] = []
    Progress(quiet=True, tty=False, echo=lambda t, **k: out.append(t)).counter("x", "page", 9)(5)
    assert out == []


def test_pdf_writer_reports_every_page(sample_compendium, theme, writer_options):
    seen: list[int] = []
    resources = WriterResources(on_page=seen.append)
    out = output_of(write_pdf, sample_compendium, theme, writer_options, resources=resources)
    assert seen == list(range(1, out.pages + 1))
