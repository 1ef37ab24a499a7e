"""`publisher absorb` on DOCX files edited in hostile ways (issue 22): text an editor
typed is never dropped. Restyled paragraphs, fields, embedded documents, a copied case
marker, a full disk, symlinked image folders, pictures that are not images, damaged XML,
and `docx-refresh`'s backup. Each edited DOCX is made here from one the project wrote."""

from __future__ import annotations

import copy
import errno
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from PIL import Image

from conftest import IN_CI
from publisher.absorb import absorb
from publisher.cli import main
from publisher.pipeline.build import build
from publisher.pipeline.project import Project
from publisher.support.errors import ContentError
from test_absorb import (
    DOCX,
    RONGSHUI,
    TAIYUAN,
    _copy_seed,
    jpeg,
    paragraph,
    put_picture_into_first_placeholder,
    tree,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MIDDLE = "鹰落沟村地处沟壑"  # a body paragraph in the middle of 太原 (case 001)
LAST = "娄烦县委常委、组织部"  # one further down the same case


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, bytes]:
    project = _copy_seed(tmp_path_factory.mktemp("seed"))
    build(project, ("docx",))
    return project.root, (project.build / DOCX).read_bytes()


@pytest.fixture
def project(built, tmp_path) -> Project:
    root, data = built
    project = _copy_seed(tmp_path / "p")
    (project.build / DOCX).write_bytes(data)
    shutil.copy(root / "build" / ".publisher-state.json", project.build)
    return project


def case_text(project: Project, file: str) -> str:
    return (project.root / file).read_text(encoding="utf-8")


def style_id(document, name: str) -> str:
    for style in document.styles.element.findall(qn("w:style")):
        found = style.find(qn("w:name"))
        if found is not None and found.get(qn("w:val")).lower() == name.lower():
            return style.get(qn("w:styleId"))
    raise KeyError(name)


def restyle(p, document, name: str) -> None:
    p._p.get_or_add_pPr().get_or_add_pStyle().val = style_id(document, name)


def run_cli(project: Project, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "publisher", *args],
        capture_output=True,
        text=True,
        cwd=project.root,
    )


def messages(result) -> list[str]:
    return [str(w) for w in result.warnings]


# --- 1, 2: a paragraph restyled is absorbed as body text, with a warning -----------------

RESTYLED = [
    "Title",
    "Part Title",
    "Matter Title",
    "TOC Heading",
    "heading 1",
    "Kicker",
    "Figure Placeholder",
    "Figure",
    "Source Note",
    "Subtitle",
    "Byline",
    "Source",
    "Case Subtitle",
    "toc 1",
    "Normal",
]


@pytest.mark.parametrize("style", RESTYLED)
def test_a_body_paragraph_restyled_is_kept_with_a_warning(project, tmp_path, style):
    """The paragraph stays in its case as body text, and everything after it too (a
    title style used to end the case there, and other styles dropped the paragraph)."""
    document = docx.Document(str(project.build / DOCX))
    restyle(paragraph(document, MIDDLE), document, style)
    edited = tmp_path / "restyled.docx"
    document.save(str(edited))
    before = tree(project.content)
    result = absorb(project, edited)
    assert tree(project.content) == before  # the same text, where it was: nothing changed
    shown = {"heading 1": "Heading 1", "toc 1": "TOC 1"}.get(style, style)
    (warning,) = [m for m in messages(result) if MIDDLE in m]
    assert warning.startswith(f"{edited}: warning: {TAIYUAN}: in “{MIDDLE}"), warning
    assert f"“{shown}”" in warning and "absorbed as body text" in warning


def test_restyled_paragraphs_with_an_edit_come_back_and_the_rest_of_the_case_too(project, tmp_path):
    document = docx.Document(str(project.build / DOCX))
    middle = paragraph(document, MIDDLE)
    middle.runs[0].text = "编辑改过：" + middle.runs[0].text
    restyle(middle, document, "Title")
    restyle(paragraph(document, LAST), document, "Part Title")
    edited = tmp_path / "restyled.docx"
    document.save(str(edited))
    run = run_cli(project, "absorb", str(edited))
    assert run.returncode == 0, run.stderr
    text = case_text(project, TAIYUAN)
    assert "编辑改过：" + MIDDLE in text and LAST in text
    for later in ("补齐最大短板", "重温入党誓词"):  # what came after them in the case
        assert later in text
    assert run.stderr.count("absorbed as body text") == 2


def test_a_second_title_amid_the_body_is_body_text_the_case_title_stays(project, tmp_path):
    document = docx.Document(str(project.build / DOCX))
    title = next(p for p in document.paragraphs if p.style.name == "Heading 1" and "太原" in p.text)
    copied = DocxParagraph(copy.deepcopy(title._p), title._parent)
    paragraph(document, LAST)._p.addnext(copied._p)
    copied.text = "编辑加的一行，用了标题样式"
    edited = tmp_path / "two-titles.docx"
    document.save(str(edited))
    absorb(project, edited)
    text = case_text(project, TAIYUAN)
    assert "title: 太原：强堡垒富百姓" in text and "编辑加的一行，用了标题样式" in text


def test_a_paragraph_typed_above_the_title_is_body_text_the_title_stays(project, tmp_path):
    document = docx.Document(str(project.build / DOCX))
    kicker = next(p for p in document.paragraphs if p.style.name == "Kicker")
    kicker.insert_paragraph_before(
        "编辑在引题上面加的一段", style=paragraph(document, MIDDLE).style
    )
    edited = tmp_path / "above.docx"
    document.save(str(edited))
    result = absorb(project, edited)
    assert list(result.texts) == [TAIYUAN]
    text = case_text(project, TAIYUAN)
    assert "title: 太原：强堡垒富百姓" in text and "kicker: 抓好党建促脱贫" in text
    assert "\n编辑在引题上面加的一段\n" in text
    assert not any("title" in m for m in messages(result)), messages(result)


@pytest.mark.parametrize("bookmark", ["kept", "deleted"])
def test_the_real_part_title_still_ends_the_case(project, tmp_path, bookmark):
    """The part title after case 000 is not absorbed into it: an edit there is reported
    as outside the cases, by its bookmark or, without it, as past the case marker's end."""
    document = docx.Document(str(project.build / DOCX))
    part = next(
        p for p in document.paragraphs if p.style.name == "Part Title" and p.text == "山西省"
    )
    part.text = "山西省（编辑改）"
    if bookmark == "deleted":
        for mark in list(document.element.body.iter(qn("w:bookmarkStart"))):
            if mark.get(qn("w:name")).startswith("_Toc_p"):
                mark.getparent().remove(mark)
    edited = tmp_path / "part.docx"
    document.save(str(edited))
    before = tree(project.content)
    result = absorb(project, edited)
    assert tree(project.content) == before
    (warning,) = messages(result)
    assert "outside the cases" in warning and "山西省（编辑改）" in warning


# --- 3: fields and embedded documents -----------------------------------------------------

_FIELD_RUNS = (
    f'<w:p xmlns:w="{W_NS}">'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    "<w:r><w:t>复杂域里的链接文字</w:t></w:r>"
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:fldSimple w:instr=" HYPERLINK &quot;https://example.org/2&quot; ">'
    "<w:r><w:t>简单域里的文字</w:t></w:r></w:fldSimple>"
    "</w:p>"
)
_UNCLOSED = (
    f'<w:p xmlns:w="{W_NS}"><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    "<w:r><w:t>未闭合的域后面的文字</w:t></w:r></w:p>"
)


def _append_runs(p, xml: str) -> None:
    for child in list(parse_xml(xml)):
        p._p.append(child)


def test_field_results_and_text_after_an_unclosed_field_are_text(project, tmp_path):
    document = docx.Document(str(project.build / DOCX))
    _append_runs(paragraph(document, MIDDLE), _FIELD_RUNS)
    _append_runs(paragraph(document, LAST), _UNCLOSED)
    edited = tmp_path / "fields.docx"
    document.save(str(edited))
    result = absorb(project, edited)
    assert list(result.texts) == [TAIYUAN]
    text = case_text(project, TAIYUAN)
    for words in ("复杂域里的链接文字", "简单域里的文字", "未闭合的域后面的文字"):
        assert words in text
    assert "example.org" not in text  # the field code is not text


def test_an_embedded_document_is_reported_with_its_words(project, tmp_path):
    document = docx.Document(str(project.build / DOCX))
    html = "<html><body><p>嵌入的网页里的文字</p></body></html>".encode()
    part = Part(PackURI("/word/afchunk1.htm"), "text/html", html, document.part.package)
    rid = document.part.relate_to(part, RT.A_F_CHUNK)
    chunk = parse_xml(
        f'<w:altChunk xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/'
        f'officeDocument/2006/relationships" r:id="{rid}"/>'
    )
    paragraph(document, MIDDLE)._p.addnext(chunk)
    edited = tmp_path / "altchunk.docx"
    document.save(str(edited))
    result = absorb(project, edited)
    (warning,) = [m for m in messages(result) if "embedded document" in m]
    assert TAIYUAN in warning and "嵌入的网页里的文字" in warning and "afchunk1.htm" in warning


# --- 4: all or nothing on a full disk -------------------------------------------------------


def _edit_two_cases_and_a_picture(project: Project, out: Path) -> None:
    document = docx.Document(str(project.build / DOCX))
    for words in ("去年以来，融水苗族自治县", MIDDLE):
        p = paragraph(document, words)
        p.runs[0].text = "编辑改过：" + p.runs[0].text + "加长的话。" * 400
    put_picture_into_first_placeholder(document, jpeg())
    document.save(str(out))


def _fail_on(monkeypatch, name: str, call: int) -> None:
    """`os.<name>` in absorb's writing raises ENOSPC from its `call`-th call."""
    import publisher.absorb.writing as writing

    real = getattr(os, name)
    calls = []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) >= call:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    monkeypatch.setattr(writing.os, name, failing)


@pytest.mark.parametrize(("name", "call"), [("fsync", 2), ("replace", 2), ("fsync", 1)])
def test_a_full_disk_leaves_content_as_it_was(project, tmp_path, monkeypatch, name, call):
    edited = tmp_path / "edited.docx"
    _edit_two_cases_and_a_picture(project, edited)
    before = tree(project.content)
    folders = sorted(p for p in project.content.rglob("*") if p.is_dir())
    _fail_on(monkeypatch, name, call)
    run = CliRunner().invoke(main, ["-C", str(project.root), "absorb", str(edited)])
    assert run.exit_code == 2, run.output
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], lines
    assert "content/" in lines[0] and "internal error" not in lines[0]
    monkeypatch.undo()
    assert tree(project.content) == before  # no case file, picture or temporary
    assert sorted(p for p in project.content.rglob("*") if p.is_dir()) == folders


@pytest.mark.parametrize(
    ("fault", "words"),
    [("full", "No space left on device"), ("read-only", "Read-only file system")],
)
def test_a_full_or_read_only_content_folder_is_left_as_it_was(project, tmp_path, fault, words):
    """A real file system: a small tmpfs mounted on content/, filled up or read-only."""
    edited = tmp_path / "edited.docx"
    _edit_two_cases_and_a_picture(project, edited)
    saved = project.root / "content.orig"
    project.content.rename(saved)
    project.content.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(project.content)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        message = f"cannot mount a tmpfs here: {mounted.stderr.strip()}"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    try:
        shutil.copytree(saved, project.content, dirs_exist_ok=True)
        if fault == "full":
            with open(project.content / "filler.bin", "wb") as out:  # all but a few kB
                disk = os.statvfs(project.content)
                out.write(b"\0" * max(disk.f_bavail * disk.f_frsize - 12 * 1024, 0))
        else:
            subprocess.run(["mount", "-o", "remount,ro", str(project.content)], check=True)
        before = tree(project.content)
        run = run_cli(project, "absorb", str(edited))
        assert run.returncode == 2, run.stdout + run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and "content/" in lines[0], lines
        assert tree(project.content) == before
    finally:
        subprocess.run(["umount", str(project.content)], check=True)


# --- 5: a case marker copied ------------------------------------------------------------------


def test_a_case_marker_copied_with_the_title_is_an_error_naming_the_case(project, tmp_path):
    document = docx.Document(str(project.build / DOCX))
    body = document.element.body
    marker = next(
        b for b in body.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")).startswith("_Case_")
    )
    title = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    copied = copy.deepcopy(title._p)
    copied.insert(1, copy.deepcopy(marker))  # the hidden bookmark came along with the copy
    title._p.addnext(copied)
    edited = tmp_path / "copied.docx"
    document.save(str(edited))
    before = tree(project.content)
    with pytest.raises(ContentError) as err:
        absorb(project, edited)
    assert "000_b1767db4946b0b0f" in str(err.value) and "marked twice" in str(err.value)
    assert tree(project.content) == before


# --- 12, 24: titles and characters that cannot be values ---------------------------------


def test_a_title_emptied_to_a_line_break_is_a_warning(project, tmp_path):
    document = docx.Document(str(project.build / DOCX))
    title = next(p for p in document.paragraphs if p.style.name == "Heading 1" and "太原" in p.text)
    title.text = ""
    title.add_run().add_break()
    edited = tmp_path / "no-title.docx"
    document.save(str(edited))
    run = run_cli(project, "absorb", str(edited))
    assert run.returncode == 0, run.stderr
    assert "the case title was deleted" in run.stderr and TAIYUAN in run.stderr
    assert "internal error" not in run.stderr


def _with_document_xml(source: Path, out: Path, change) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, change(name, data))


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\x9c"])
def test_control_characters_in_body_text_are_absorbed_not_an_internal_error(
    project, tmp_path, char
):
    edited = tmp_path / "control.docx"
    typed = f"编辑加的{char}字"

    def change(name, data):
        if name != "word/document.xml":
            return data
        return data.replace(MIDDLE.encode(), (typed + MIDDLE).encode(), 1)

    _with_document_xml(project.build / DOCX, edited, change)
    run = run_cli(project, "absorb", str(edited))
    assert run.returncode == 0, run.stderr
    assert "编辑加的字" + MIDDLE in case_text(project, TAIYUAN)
    assert "internal error" not in run.stderr and len(run.stderr.splitlines()) <= 1


@pytest.mark.parametrize(
    ("what", "change", "words"),
    [
        (
            "an illegal XML character",
            lambda name, data: (
                data.replace(MIDDLE.encode(), b"\x0c" + MIDDLE.encode(), 1)
                if name == "word/document.xml"
                else data
            ),
            "is damaged",
        ),
        (
            "macro-enabled",
            lambda name, data: (
                data.replace(
                    b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
                )
                if name == "[Content_Types].xml"
                else data
            ),
            "macro-enabled",
        ),
    ],
)
def test_a_damaged_or_macro_enabled_file_is_one_line_naming_it(
    project, tmp_path, what, change, words
):
    bad = tmp_path / "稿件.docx"
    _with_document_xml(project.build / DOCX, bad, change)
    run = run_cli(project, "absorb", str(bad))
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}: error:") and words in lines[0], lines
    assert "BytesIO" not in lines[0] and "<string>" not in lines[0]


# --- 19, 22: pictures ------------------------------------------------------------------------


@pytest.mark.parametrize("link", ["images", "images/000_b1767db4946b0b0f"])
def test_a_symlinked_images_folder_is_refused_naming_it(project, tmp_path, link):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = project.content / link
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(outside, target_is_directory=True)
    document = docx.Document(str(project.build / DOCX))
    put_picture_into_first_placeholder(document, jpeg())
    edited = tmp_path / "picture.docx"
    document.save(str(edited))
    before = tree(project.content)
    run = run_cli(project, "absorb", str(edited))
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and f"content/{link}" in lines[0] and "symbolic link" in lines[0]
    assert list(outside.iterdir()) == [] and tree(project.content) == before


def _picture_blob(document, data: bytes) -> None:
    """Put a JPEG into the first placeholder, then swap the part's bytes for `data`."""
    put_picture_into_first_placeholder(document, jpeg((1, 2, 3)))
    part = next(p for p in document.part.package.iter_parts() if p.partname.endswith(".jpg"))
    part._blob = data


def _bomb() -> bytes:
    """A PNG header that says 30000×30000 pixels, a few hundred bytes long."""
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"this is not an image at all", "not an image"),
        (jpeg()[:200], "cannot be read"),
        (_bomb(), "megapixels"),
    ],
    ids=["text", "truncated", "bomb"],
)
def test_a_placeholder_with_bytes_that_are_not_an_image_is_a_warning(
    project, tmp_path, data, words
):
    document = docx.Document(str(project.build / DOCX))
    _picture_blob(document, data)
    edited = tmp_path / "not-an-image.docx"
    document.save(str(edited))
    before = tree(project.content)
    result = absorb(project, edited)
    assert tree(project.content) == before and result.pictures == []
    (warning,) = [m for m in messages(result) if "not absorbed" in m]
    assert RONGSHUI in warning and words in warning


# --- 6, 13: docx-refresh ---------------------------------------------------------------------


def test_a_second_docx_refresh_keeps_the_first_backup(project, tmp_path, monkeypatch):
    import publisher.writers.docx.refresh as refresh
    from publisher.writers.docx.toc_pages import TocPages

    monkeypatch.setenv("PUBLISHER_SOFFICE", "/bin/true")
    monkeypatch.setattr(refresh, "find_uno_python", lambda: sys.executable)
    monkeypatch.setattr(
        refresh, "page_numbers", lambda data, entries: TocPages({e.bookmark: "1" for e in entries})
    )
    path = tmp_path / "汇编.docx"
    document = docx.Document(str(project.build / DOCX))
    p = paragraph(document, MIDDLE)
    p.insert_paragraph_before("编辑加的一段。", style=p.style)
    document.save(str(path))
    original = path.read_bytes()
    first = refresh.refresh_docx(path)
    refreshed = path.read_bytes()
    assert first.read_bytes() == original
    second = refresh.refresh_docx(path)
    assert first.read_bytes() == original  # the original is never overwritten
    assert second != first and second.read_bytes() == refreshed
    third = refresh.refresh_docx(path)
    assert {first, second, third} == set(tmp_path.glob("汇编.before-refresh*.docx"))


def test_a_libreoffice_script_that_fails_is_one_line(tmp_path):
    from publisher.writers.docx.toc_pages import run_uno_script

    script = tmp_path / "fails.py"
    script.write_text(
        "def load():\n    raise RuntimeError('Unsupported URL <file:///x.docx>: type detection "
        "failed')\nload()\n",
        encoding="utf-8",
    )
    with pytest.raises(RuntimeError) as err:
        run_uno_script(sys.executable, script)
    message = str(err.value)
    assert "\n" not in message and "Traceback" not in message and 'File "' not in message
    assert "type detection failed" in message
