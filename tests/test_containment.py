"""Nothing is read through a link or special file that leads out of content/ and styles/,
and the environment's faults (full disk, read-only folder, permissions) are one line.

Each test goes through the `publisher` command (click's CliRunner) and checks what a
user sees: one line naming the path, the exit code, and that nothing was written.
"""

from __future__ import annotations

import errno
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher import cli
from publisher.pipeline.scaffold import init_project

CASE = """\
---
id: demo
title: 示例案例
date: '2020-06-11'
source: 示例来源
---

# 一、标题

**一是示例。**正文内容。

![图为示例](images/demo/1.jpg)
"""


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("PUBLISHER_DEBUG", raising=False)
    project = tmp_path / "book"
    init_project(project, "测试汇编")
    (project / "content" / "cases" / "demo.md").write_text(CASE, encoding="utf-8")
    monkeypatch.chdir(project)
    return project


def run(*args: str):
    return CliRunner().invoke(cli.main, list(args))


# What a build keeps for itself in build/ whether or not it gets far: its lock and the
# record of its helper processes (pipeline/buildlock.py, support/lifeline.py).
RUN_FILES = {".publisher.lock", ".publisher-helpers", ".publisher-helpers.log"}


def tree(folder: Path) -> dict[str, bytes]:
    """The files in `folder` a reader would compare: not the cache, not the build's own
    lock and process record."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not p.is_symlink()
        and ".cache" not in p.parts
        and p.name not in RUN_FILES
    }


def one_error(result, *words: str) -> str:
    """The single error line of a run (the lint summary aside), with every word in it."""
    lines = [
        x
        for x in result.output.splitlines()
        if "error" in x and not x.startswith(("error: 1 lint", "1 errors"))
    ]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    for word in words:
        assert word in lines[0], result.output
    return lines[0]


# --- special files and links in content/ ------------------------------------------


def guarded(*args: str) -> subprocess.CompletedProcess:
    """`publisher ARGS` in a child limited to 60 s and 2 GB: a regression fails the test
    instead of blocking it forever or filling the memory."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "publisher", *args],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
    )


class Lines:
    def __init__(self, run: subprocess.CompletedProcess) -> None:
        self.output = run.stdout + run.stderr


@pytest.mark.parametrize("command", [("lint",), ("build", "--format", "json")])
def test_a_fifo_among_the_case_files_is_refused_not_waited_on(root, command):
    os.mkfifo(root / "content" / "cases" / "pipe.md")
    result = guarded(*command)  # before: blocked forever on the FIFO
    assert result.returncode == 1
    one_error(Lines(result), "content/cases/pipe.md", "FIFO")
    assert not (root / "build" / "测试汇编.json").exists()


def test_a_case_file_linked_to_dev_zero_is_refused_unread(root):
    (root / "content" / "cases" / "zero.md").symlink_to("/dev/zero")
    result = guarded("lint")  # before: read until the memory ran out
    assert result.returncode == 1
    one_error(Lines(result), "content/cases/zero.md", "refused")


def test_a_fifo_named_on_the_command_line_is_refused(root):
    os.mkfifo(root / "pipe.txt")
    result = guarded("lint", "pipe.txt")
    assert result.returncode == 1
    one_error(Lines(result), "pipe.txt", "FIFO")


def test_a_case_file_linked_outside_is_refused_and_named_by_its_own_path(root, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text(CASE.replace("demo", "secret").replace("示例案例", "外面的秘密"), "utf-8")
    (root / "content" / "cases" / "secret.md").symlink_to(outside)
    result = run("build", "--format", "json")
    assert result.exit_code == 1
    line = one_error(result, "content/cases/secret.md", "outside content/")
    assert line.startswith("content/cases/secret.md")  # the project's path, not the target's
    assert not (root / "build" / "测试汇编.json").exists()


def test_a_linked_case_file_inside_the_project_is_read(root):
    (root / "content" / "drafts").mkdir()
    moved = root / "content" / "drafts" / "demo.md"
    (root / "content" / "cases" / "demo.md").rename(moved)
    (root / "content" / "cases" / "demo.md").symlink_to(moved)
    result = run("lint")
    assert result.exit_code == 0, result.output


def test_a_photo_found_by_the_naming_rule_may_not_lead_outside(root, tmp_path):
    from tests.imagefactory import photo, save

    outside = tmp_path / "private.jpg"
    save(photo(), outside, "JPEG")
    folder = root / "content" / "images" / "demo"
    folder.mkdir(parents=True)
    (folder / "1.jpg").symlink_to(outside)
    case = root / "content" / "cases" / "demo.md"
    case.write_text(CASE.replace("(images/demo/1.jpg)", "()"), encoding="utf-8")
    before = tree(root / "build")
    result = run("build", "--format", "pdf", "-j", "1")  # fails at the pre-flight
    assert result.exit_code == 1
    one_error(result, "images/demo/1.jpg", "outside content/")
    assert tree(root / "build") == before


def test_a_source_linked_outside_is_not_imported(root, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("某县：经验\n\n正文内容写在这里。\n", encoding="utf-8")
    (root / "content" / "sources" / "elsewhere.txt").symlink_to(outside)
    result = run("build", "--format", "json")
    assert result.exit_code == 1
    assert "content/sources/elsewhere.txt: error: leads outside content/" in result.output
    assert not (root / "content" / "cases" / "elsewhere.md").exists()


def test_a_theme_outside_styles_is_refused_with_its_line(root):
    settings = root / "content" / "compendium.toml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^theme *=.*\n", "", text) + 'theme = "/etc/passwd"\n'
    settings.write_text(text, encoding="utf-8")
    result = run("lint")
    assert result.exit_code == 1
    one_error(result, "content/compendium.toml:", "'/etc/passwd' is not a theme")
    assert "root:" not in result.output


def test_a_theme_linked_outside_is_refused(root, tmp_path):
    outside = tmp_path / "theme.toml"
    outside.write_bytes((root / "styles" / "theme.toml").read_bytes())
    (root / "styles" / "theme.toml").unlink()
    (root / "styles" / "theme.toml").symlink_to(outside)
    result = run("lint")
    assert result.exit_code == 1
    one_error(result, "styles/theme.toml", "outside content/ and styles/")


def test_a_saved_pages_files_folder_linked_outside_is_not_copied(root, tmp_path):
    from tests.imagefactory import photo, save

    private = tmp_path / "private"
    private.mkdir()
    save(photo(), private / "a.jpg", "JPEG")
    page = tmp_path / "download" / "page.html"
    page.parent.mkdir()
    (page.parent / "page_files").symlink_to(private)
    body = "".join(f"<p>这是第{n}段正文，介绍当地的经验做法和成效。</p>" for n in range(6))
    page.write_text(
        "<html><head><title>某县的经验</title></head><body><article><h1>某县的经验</h1>"
        f"{body}<p><img src='page_files/a.jpg'></p>{body}</article></body></html>",
        encoding="utf-8",
    )
    result = run("import", str(page))
    assert result.exit_code == 0, result.output
    assert "page_files/a.jpg" in result.output and "outside" in result.output
    assert not list((root / "content" / "images").rglob("*.jpg"))


# --- faults of the environment -------------------------------------------------------


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "read-only"),
        (errno.EACCES, "permission denied"),
        (errno.ENAMETOOLONG, "too long"),
    ],
)
def test_environment_faults_are_one_line_exit_2_and_leave_the_outputs(
    root, monkeypatch, code, words
):
    assert run("build", "--format", "json").exit_code == 0
    before = tree(root / "build")
    (root / "content" / "cases" / "demo.md").write_text(
        CASE.replace("正文内容", "新的正文内容"), encoding="utf-8"
    )
    real_replace = os.replace

    def failing(src, dst, *args, **kwargs):
        if str(dst).endswith(".json") and "测试汇编" in str(dst):
            raise OSError(code, os.strerror(code), str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing)
    result = run("build", "--format", "json")
    assert result.exit_code == 2
    assert "bug" not in result.output and "internal error" not in result.output
    last = result.output.strip().splitlines()[-1]
    assert words in last and "测试汇编.json" in last, result.output
    assert tree(root / "build") == before


def test_a_full_disk_names_the_file_being_written(tmp_path):
    from publisher.support.fileio import atomic_write

    class Full:
        def __init__(self, fd, mode):
            os.close(fd)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "out.pdf"
    with pytest.MonkeyPatch.context() as m:
        m.setattr(os, "fdopen", Full)
        with pytest.raises(OSError) as err:
            atomic_write(target, b"x")
    assert err.value.errno == errno.ENOSPC and err.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


# --- what a file expands to ---------------------------------------------------------


@pytest.mark.parametrize("command", ["import", "absorb"])
def test_a_docx_whose_picture_expands_too_far_is_refused_before_unpacking(root, tmp_path, command):
    from tests.test_import_bad_input import _word, _zip_with

    bomb = tmp_path / "bomb.docx"
    # 96 MB of zeros in 100 kB (issue 22's had 1 GB: 2.1 GB of memory, a 1 GB file written)
    bomb.write_bytes(_zip_with(_word(lambda d: None), "word/media/image1.png", bytes(96 << 20)))
    assert bomb.stat().st_size < 200_000
    before = tree(root / "content")
    result = run(command, str(bomb))
    assert result.exit_code == 1
    one_error(result, "bomb.docx", "word/media/image1.png", "expands to 96 MB")
    assert tree(root / "content") == before


def test_outputs_replaced_together_a_full_disk_on_the_second_keeps_the_first(tmp_path):
    from publisher.support.fileio import atomic_write_all

    pdf, docx = tmp_path / "book.pdf", tmp_path / "book.docx"
    pdf.write_bytes(b"old pdf")
    docx.write_bytes(b"old docx")
    real_fdopen = os.fdopen
    opened = []

    def fdopen(fd, mode="r", *args, **kwargs):
        f = real_fdopen(fd, mode, *args, **kwargs)
        opened.append(f)
        if len(opened) == 2:  # the DOCX: the disk is full
            f.close()
            raise OSError(errno.ENOSPC, "No space left on device")
        return f

    with pytest.MonkeyPatch.context() as m:
        m.setattr(os, "fdopen", fdopen)
        with pytest.raises(OSError) as err:
            atomic_write_all({pdf: b"new pdf", docx: b"new docx"})
    assert err.value.filename == str(docx)
    assert pdf.read_bytes() == b"old pdf" and docx.read_bytes() == b"old docx"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.docx", "book.pdf"]


def test_the_build_fingerprint_does_not_read_through_a_link_out_of_the_project(
    root, tmp_path, monkeypatch
):
    import builtins
    import io

    from publisher.pipeline.build import _fingerprint
    from publisher.pipeline.project import Project

    outside = tmp_path / "huge.bin"
    outside.write_bytes(b"x")
    (root / "content" / "notes.bin").symlink_to(outside)
    real_open = builtins.open

    def watched(file, *args, **kwargs):
        assert Path(file).resolve() != outside, "read through the link"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watched)
    monkeypatch.setattr(io, "open", watched)  # pathlib's read_bytes opens through io
    first = _fingerprint(Project(root), ("json",))
    (root / "content" / "notes.bin").unlink()
    (root / "content" / "notes.bin").symlink_to(tmp_path / "other.bin")
    assert _fingerprint(Project(root), ("json",)) != first  # where it leads still counts


def test_an_import_that_meets_a_full_disk_takes_back_what_it_added(root, tmp_path, monkeypatch):
    article = tmp_path / "unit.txt"
    article.write_text("某县：经验\n\n" + "这是一段正文，写的是经验和做法。" * 20 + "\n", "utf-8")
    before = tree(root / "content")
    real_replace = os.replace

    def full(src, dst, *args, **kwargs):
        if str(dst).endswith(".md"):  # the source is kept, then the case file: disk full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full)
    result = run("import", str(article))
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "content/cases/unit.md: error: the disk is full: free some space and run it again"
    )
    assert tree(root / "content") == before  # before: content/sources/unit.txt was left


def test_a_case_file_that_links_to_itself_is_one_line(root):
    (root / "content" / "cases" / "loop.md").symlink_to("loop.md")
    result = run("lint")  # before: internal error: RuntimeError: Symlink loop
    assert result.exit_code == 1
    one_error(result, "content/cases/loop.md", "a loop")


def test_a_case_file_whose_name_is_not_utf8_is_named_with_escapes(root):
    name = os.fsencode(root / "content" / "cases") + b"/\xff.md"
    with open(name, "wb") as f:
        f.write(b"not a case file")
    result = guarded("build", "--format", "json")  # before: UnicodeEncodeError
    assert result.returncode == 1
    one_error(Lines(result), "content/cases/\\xff.md:1", "front matter")
