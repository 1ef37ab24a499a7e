"""Settings errors name the key and line; doctor reports the environment; progress output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from publisher.pipeline.settings import TOC_PASS_MAX_CASES, docx_toc_pass, load_settings
from publisher.support.errors import ContentError
from publisher.support.progress import Progress

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('titel = "x"\n', 1, "unknown key 'titel' (did you mean 'title'?)"),
        ('title = "x"\nmissing_images = "none"\n', 2, "must be one of placeholder"),
        ('title = "x"\ndocx_toc_pages = "yes"\n', 2, 'must be true or false or "auto"'),
        ('title = "x"\n[[parts]]\ntitle = "四川"\ncasse = ["a"]\n', 4, "did you mean 'cases'"),
        ('title = "x"\n[[parts]]\ntitle = "四川"\ncases = "a"\n', 4, "must be a list of text"),
        ('title = "x\n', 1, "TOML syntax"),
        ('subtitle = "x"\n', 0, "missing key 'title'"),
        ('title = "x"\ndate = "2017-13"\n', 2, "'2017-13' is not a date in the calendar"),
        ('title = "x"\ndate = "2017-02-30"\n', 2, "not a date in the calendar"),
        ('title = "x"\ndate = "2017-11-14 25:00"\n', 2, "not a date in the calendar"),
        ('title = "x"\ndate = "14.11.2017"\n', 2, "not a date like 2017-11-14"),
        ('title = "x"\noutput = "' + "汇" * 79 + '"\n', 2, "output file name from 'output'"),
        ('title = "' + "汇" * 79 + '"\n', 1, "output file name from 'title' is 237 bytes"),
        ("title = 'x'\nparts = " + "[" * 2000 + "]" * 2000 + "\n", 2, "nested far too deep"),
    ],
)
def test_settings_errors_name_the_line(tmp_path, text, line, words):
    path = tmp_path / "compendium.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_settings(path, "content/compendium.toml")
    assert words in err.value.message
    assert err.value.line == line
    assert str(err.value).startswith("content/compendium.toml")


@pytest.mark.parametrize(
    "setting, cases, runs, why",
    [
        ("", 6, True, ""),
        ("", TOC_PASS_MAX_CASES, True, ""),
        ("", TOC_PASS_MAX_CASES + 1, False, f"{TOC_PASS_MAX_CASES + 1} cases"),
        ('docx_toc_pages = "auto"\n', 300, False, "docx_toc_pages = true forces it"),
        ("docx_toc_pages = true\n", 300, True, ""),
        ("docx_toc_pages = false\n", 6, False, "docx_toc_pages = false"),
    ],
)
def test_docx_toc_pass_is_kept_for_books_where_it_is_cheap(tmp_path, setting, cases, runs, why):
    path = tmp_path / "compendium.toml"
    path.write_text('title = "x"\n' + setting, encoding="utf-8")
    settings, _ = load_settings(path, "content/compendium.toml")
    ran, reason = docx_toc_pass(settings, cases)
    assert ran is runs
    assert why in reason and bool(reason) is not runs


def test_unknown_case_id_in_settings_names_its_line(tmp_path):
    from publisher.pipeline.project import Project, load_project
    from publisher.pipeline.scaffold import init_project

    init_project(tmp_path, "t")
    settings = tmp_path / "content" / "compendium.toml"
    settings.write_text(
        'title = "t"\n\n[[parts]]\ntitle = "甲"\ncases = ["nope"]\n', encoding="utf-8"
    )
    with pytest.raises(ContentError) as err:
        load_project(Project(tmp_path))
    assert err.value.line == 5 and "'nope'" in err.value.message


@pytest.mark.slow
def test_doctor_reports_every_check():
    run = subprocess.run(
        [sys.executable, "-m", "publisher", "doctor"], capture_output=True, text=True, cwd=ROOT
    )
    for name in (
        "weasyprint",
        "pango",
        "harfbuzz-subset",
        "font (body)",
        "coverage",
        "libreoffice",
    ):
        assert name in run.stdout
    # here every required piece is installed (./run test installs them)
    assert run.returncode == 0, run.stdout
    assert "Noto Serif CJK SC" in run.stdout


def test_progress_on_a_terminal_shows_stage_names_and_times():
    lines = []
    progress = Progress(tty=True, echo=lambda m="", **kw: lines.append(m))
    with progress.stage("pdf"):
        pass
    assert "pdf" in lines[-1] and " s" in lines[-1] and "\x1b[" in "".join(lines)
    plain = []
    progress = Progress(tty=False, echo=lambda m="", **kw: plain.append(m))
    with progress.stage("pdf"):
        pass
    assert plain == [plain[0]] and plain[0].startswith("pdf: ") and "\x1b[" not in plain[0]


def test_error_in_the_second_part_points_at_the_second_part(tmp_path):
    path = tmp_path / "compendium.toml"
    path.write_text(
        'title = "x"\n[[parts]]\ntitle = "甲"\ncases = []\n[[parts]]\ntitle = "乙"\ncases = [1]\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as err:
        load_settings(path, "c.toml")
    assert err.value.line == 7


def test_longest_output_name_that_fits_builds(tmp_path):
    from publisher.pipeline.settings import MAX_OUTPUT_BYTES

    path = tmp_path / "compendium.toml"
    path.write_text(f'title = "{"汇" * (MAX_OUTPUT_BYTES // 3)}"\n', encoding="utf-8")
    settings, _ = load_settings(path, "content/compendium.toml")
    long_name = tmp_path / f".{settings.title}.before-refresh.docx.abcdefgh.tmp"
    long_name.write_bytes(b"")  # the longest name the build makes from it: the file system holds it


@pytest.mark.parametrize(
    "line, words",
    [
        ('date = "2017-02-30"', "date '2017-02-30' is not a date in the calendar"),
        ('output = "' + "汇" * 79 + '"', "the output file name from 'output' is 237 bytes"),
    ],
)
def test_bad_settings_stop_the_build_in_one_line_before_anything_is_written(
    tmp_path, monkeypatch, line, words
):
    from click.testing import CliRunner

    from publisher import cli
    from publisher.pipeline.scaffold import init_project

    init_project(tmp_path, "t")
    settings = tmp_path / "content" / "compendium.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    (tmp_path / "content" / "cases" / "a.md").write_text(
        "---\nid: a\ntitle: 标题\n---\n\n正文。\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PUBLISHER_DEBUG", raising=False)
    result = CliRunner().invoke(cli.main, ["build", "--format", "json"])
    assert result.exit_code == 1
    errors = [x for x in result.output.splitlines() if ": error: " in x]
    assert len(errors) == 1 and errors[0].startswith("content/compendium.toml:")
    assert words in errors[0]
    assert "Traceback" not in result.output and "internal error" not in result.output
    # (the build's lock file, taken before the settings are read, is no output)
    kept = {".gitignore", ".publisher.lock"}
    assert not [p for p in (tmp_path / "build").iterdir() if p.name not in kept]
