"""`publisher absorb`: edits made in the DOCX come back into the case files (issue 8,
deliverables 5 and 6): round trips through python-docx and LibreOffice, corrections,
pictures, what cannot be mapped, and bad input."""

from __future__ import annotations

import copy
import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from PIL import Image

from conftest import libreoffice_convert, require_tool
from publisher.absorb import absorb
from publisher.pipeline.build import build
from publisher.pipeline.project import Project, load_project
from publisher.support.errors import ContentError

# The seed's DOCX built, edited (python-docx, LibreOffice) and absorbed, end to end.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DOCX = "抓党建促脱贫攻坚典型案例汇编.docx"
RONGSHUI = "content/cases/000_b1767db4946b0b0f.md"
TAIYUAN = "content/cases/001_a8e2ffcc3b22423d.md"


def _copy_seed(root: Path) -> Project:
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "styles", root / "styles", ignore=shutil.ignore_patterns("preview.png"))
    settings = root / "content" / "compendium.toml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace('edition = "final"', 'edition = "draft"')  # figure placeholders
    settings.write_text(
        text.replace("\n[[parts]]", "docx_toc_pages = false\n\n[[parts]]", 1), encoding="utf-8"
    )
    (root / "build").mkdir()
    return Project(root)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, bytes]:
    """The seed compendium's DOCX, built once (no LibreOffice pass)."""
    project = _copy_seed(tmp_path_factory.mktemp("seed"))
    build(project, ("docx",))
    return project.root, (project.build / DOCX).read_bytes()


@pytest.fixture
def project(built, tmp_path) -> Project:
    root, data = built
    project = _copy_seed(tmp_path / "p")
    (project.build / DOCX).write_bytes(data)
    for name in (".publisher-state.json",):
        shutil.copy(root / "build" / name, project.build / name)
    return project


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def jpeg(color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), color).save(buffer, "JPEG")
    return buffer.getvalue()


def paragraph(document, words: str):
    return next(p for p in document.paragraphs if words in p.text)


def edit_like_an_editor(path: Path, out: Path) -> bytes:
    """Change a paragraph, retitle a case, delete a paragraph, add one, and put a JPEG
    into a figure placeholder, as python-docx (and so Word's object model) would."""
    document = docx.Document(str(path))
    changed = paragraph(document, "去年以来，融水苗族自治县")
    changed.runs[0].text = changed.runs[0].text.replace("去年以来", "2016年以来")
    title = next(
        p for p in document.paragraphs if p.style.name.lower() == "heading 1" and "太原" in p.text
    )
    title.text = "太原：强基层富百姓"
    gone = paragraph(document, "鹰落沟村地处沟壑")
    gone._p.getparent().remove(gone._p)
    before = paragraph(document, "山西太原市委常委")
    added = DocxParagraph(copy.deepcopy(before._p), before._parent)
    before._p.addnext(added._p)
    added.text = "这是编辑新加的一段。"
    put_picture_into_first_placeholder(document, jpeg())
    document.save(str(out))
    return out.read_bytes()


def put_picture_into_first_placeholder(document, data: bytes) -> None:
    """What Word does when the editor clicks a picture content control and picks a photo:
    the control's picture now shows the new image."""
    tag = next(
        t
        for t in document.element.body.iter(qn("w:tag"))
        if t.get(qn("w:val")).startswith("publisher:figure:")
    )
    sdt = next(a for a in tag.iterancestors() if a.tag == qn("w:sdt"))
    blip = next(sdt.iter(qn("a:blip")))
    rid, _ = document.part.get_or_add_image(io.BytesIO(data))
    blip.set(qn("r:embed"), rid)


def check_edits_absorbed(project: Project) -> None:
    loaded = load_project(project)
    cases = {c.id: c for c in loaded.compendium.cases}
    rongshui, taiyuan = cases["000_b1767db4946b0b0f"], cases["001_a8e2ffcc3b22423d"]
    texts = [b.text for b in taiyuan.blocks if hasattr(b, "text")]
    assert taiyuan.title == "太原：强基层富百姓"
    assert not any("鹰落沟村地处沟壑" in t for t in texts)
    assert (
        texts[texts.index(next(t for t in texts if t.startswith("山西太原市委常委"))) + 1]
        == "这是编辑新加的一段。"
    )
    assert any(
        t.startswith("2016年以来，融水")
        for t in (b.text for b in rongshui.blocks if hasattr(b, "text"))
    )
    image = rongshui.figures[0].image
    assert image == "images/000_b1767db4946b0b0f/1.jpg"  # the image stage's naming rule
    assert (project.content / image).read_bytes() == jpeg()
    reasons = {
        (c.original, c.corrected)
        for c in rongshui.corrections + taiyuan.corrections
        if c.reason == "edited in the DOCX"
    }
    assert ("去年以来", "2016年以来") in reasons
    assert any("强基层" in corrected for _, corrected in reasons)
    assert any(
        corrected == "" and original.startswith("鹰落沟村地处沟壑")
        for original, corrected in reasons
    )


# --- round trips -------------------------------------------------------------------------


def test_an_unedited_docx_changes_nothing(project):
    before = tree(project.content)
    result = absorb(project, project.build / DOCX)
    assert result.texts == {} and tree(project.content) == before
    assert result.warnings == []


def test_an_edit_outside_the_cases_is_reported_not_dropped(project, tmp_path):
    preface = (project.content / "preface.md").read_text(encoding="utf-8")
    words = next(line for line in preface.splitlines() if len(line) > 20)[:10]
    document = docx.Document(str(project.build / DOCX))
    p = paragraph(document, words)
    p.runs[0].text = "编辑改过的" + p.runs[0].text
    edited = tmp_path / "preface.docx"
    document.save(str(edited))
    before = tree(project.content)
    result = absorb(project, edited)
    assert tree(project.content) == before
    (warning,) = [str(w) for w in result.warnings]
    assert "outside the cases" in warning and "编辑改过的" in warning


@pytest.mark.slow
def test_python_docx_edits_come_back_and_the_pdf_shows_them(project, tmp_path):
    from pypdf import PdfReader

    edited = tmp_path / "edited.docx"
    edit_like_an_editor(project.build / DOCX, edited)
    result = absorb(project, edited)
    assert set(result.texts) == {RONGSHUI, TAIYUAN}
    check_edits_absorbed(project)
    out = build(project, ("pdf",))
    text = "".join(page.extract_text() for page in PdfReader(out.outputs[0]).pages)
    text = text.replace("\n", "").replace(" ", "")
    for words in ("太原：强基层富百姓", "这是编辑新加的一段。", "2016年以来，融水"):
        assert words in text
    assert "鹰落沟村地处沟壑纵横" not in text
    assert absorb(project, edited).texts == {}  # absorbing it again changes nothing


@pytest.mark.slow
def test_edits_survive_a_libreoffice_open_and_save(project, tmp_path):
    edited = tmp_path / "edited.docx"
    edit_like_an_editor(project.build / DOCX, edited)
    (saved := tmp_path / "lo").mkdir()
    resaved = libreoffice_convert(edited, saved, "docx:MS Word 2007 XML")
    assert resaved.read_bytes() != edited.read_bytes()
    absorb(project, resaved)
    check_edits_absorbed(project)


def test_dry_run_prints_a_diff_per_case_file_and_writes_nothing(project, tmp_path):
    edited = tmp_path / "edited.docx"
    edit_like_an_editor(project.build / DOCX, edited)
    before = tree(project.content)
    run = subprocess.run(
        [sys.executable, "-m", "publisher", "absorb", "--dry-run", str(edited)],
        capture_output=True,
        text=True,
        cwd=project.root,
    )
    assert run.returncode == 0, run.stderr
    assert f"--- a/{RONGSHUI}" in run.stdout and f"+++ b/{TAIYUAN}" in run.stdout
    assert "+title: 太原：强基层富百姓" in run.stdout
    assert "would save content/images/" in run.stdout
    assert tree(project.content) == before


# --- what cannot be mapped is reported ---------------------------------------------------

_PICT_TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
    "<w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>"
    "</w:pict></w:r>"
)


def test_tables_text_boxes_and_comments_are_reported_with_their_place(project, tmp_path):
    from docx.oxml import parse_xml

    document = docx.Document(str(project.build / DOCX))
    anchor = paragraph(document, "山西太原市委常委")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "表格里的字"
    anchor._p.addnext(table._tbl)
    paragraph(document, "去年以来，融水苗族自治县")._p.append(parse_xml(_PICT_TEXT_BOX))
    commented = paragraph(document, "两年多来，郑亚辉")
    document.add_comment(commented.runs, text="请核实", author="编辑")
    body = paragraph(document, "近年来，资中县")
    body.runs[0].text = body.runs[0].text.replace("近年来", "多年来")  # an ordinary edit too
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    result = absorb(project, edited)
    messages = [str(d) for d in result.warnings]
    for words, case_file, place in (
        ("a table", TAIYUAN, "after “…掉贫困的帽子至关重要。”"),
        ("a text box", RONGSHUI, "in “去年以来，融水苗族自治县…”"),
        ("a comment", "content/cases/002_7a9b3e6cd7ab33a6.md", "in “两年多来，郑亚辉"),
    ):
        line = next(m for m in messages if words in m)
        assert line.startswith(f"{edited}: warning: {case_file}: {place}"), line
    assert list(result.texts) == ["content/cases/003_cb2881a0ddc343a6-1.md"]


# --- bad input: one line naming the file, nothing written --------------------------------


def _tracked(path: Path, out: Path) -> None:
    from docx.oxml import parse_xml

    document = docx.Document(str(path))
    p = paragraph(document, "去年以来，融水苗族自治县")
    p._p.append(
        parse_xml(
            '<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'w:id="901" w:author="编辑" w:date="2026-11-01T00:00:00Z"><w:r><w:t>新增的字</w:t>'
            "</w:r></w:ins>"
        )
    )
    document.save(str(out))


def _older_build(project: Project, out: Path) -> None:
    document = docx.Document(str(project.build / DOCX))
    for mark in document.element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bookmarkStart"
    ):
        name = mark.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name")
        if name.startswith("_Case_"):
            mark.set(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name",
                "_Case_0123456789_0123456789",
            )  # a case id that no longer exists
            break
    document.save(str(out))


BAD = {
    "not a docx": (lambda p, out: out.write_text("只是一段文字", encoding="utf-8"), "not a DOCX"),
    "truncated": (
        lambda p, out: out.write_bytes((p.build / DOCX).read_bytes()[:20000]),
        "damaged or cut short",
    ),
    "password-protected": (
        lambda p, out: out.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000),
        "password-protected",
    ),
    "not ours": (lambda p, out: docx.Document().save(str(out)), "no case markers"),
    "older build": (lambda p, out: _older_build(p, out), "older build"),
    "tracked changes": (lambda p, out: _tracked(p.build / DOCX, out), "tracked change"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_is_one_line_naming_the_file_and_nothing_is_written(project, tmp_path, kind):
    make, words = BAD[kind]
    bad = tmp_path / "稿件.docx"
    make(project, bad)
    before = tree(project.content)
    run = subprocess.run(
        [sys.executable, "-m", "publisher", "absorb", str(bad)],
        capture_output=True,
        text=True,
        cwd=project.root,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "稿件.docx" in lines[0] and words in lines[0], lines
    assert "Traceback" not in run.stderr
    assert tree(project.content) == before


def test_a_case_file_changed_since_the_build_is_never_undone(project, tmp_path):
    case_file = project.root / TAIYUAN
    case_file.write_text(
        case_file.read_text(encoding="utf-8").replace("region: 山西", "region: 山西省"),
        encoding="utf-8",
    )
    edited = tmp_path / "edited.docx"
    edit_like_an_editor(project.build / DOCX, edited)
    before = tree(project.content)
    with pytest.raises(ContentError) as err:
        absorb(project, edited)
    assert TAIYUAN in str(err.value) and "changed since this DOCX was built" in str(err.value)
    assert tree(project.content) == before


def _git(project: Project, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=project.root,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "编辑",
            "GIT_AUTHOR_EMAIL": "e@example.org",
            "GIT_COMMITTER_NAME": "编辑",
            "GIT_COMMITTER_EMAIL": "e@example.org",
            "HOME": str(project.root),
            "PATH": "/usr/bin:/bin",
        },
    )


def test_a_case_changed_in_git_but_not_in_the_docx_does_not_block_the_others(project, tmp_path):
    require_tool("git")
    _git(project, "init", "-q")
    _git(project, "add", "content")
    _git(project, "commit", "-q", "-m", "content as built")
    other = project.root / "content/cases/002_7a9b3e6cd7ab33a6.md"
    other.write_text(
        other.read_text(encoding="utf-8").replace("两年多来，郑亚辉", "两年来，郑亚辉"),
        encoding="utf-8",
    )
    _git(project, "commit", "-q", "-am", "a colleague's edit after the build")
    changed_by_colleague = other.read_bytes()
    edited = tmp_path / "edited.docx"
    edit_like_an_editor(project.build / DOCX, edited)  # edits cases 000 and 001 only
    result = absorb(project, edited)
    assert set(result.texts) == {RONGSHUI, TAIYUAN}
    assert other.read_bytes() == changed_by_colleague
    assert any(
        "002_7a9b3e6cd7ab33a6.md changed since this DOCX was built and was not "
        "edited in it" in str(w)
        for w in result.warnings
    )
    # the same case edited in both places: refused, nothing written
    _git(project, "checkout", "-q", "--", ".")
    _git(project, "clean", "-qfd", "content")
    document = docx.Document(str(project.build / DOCX))
    p = paragraph(document, "近年来，兴安盟委")
    p.runs[0].text = p.runs[0].text.replace("近年来", "多年来")
    both = tmp_path / "both.docx"
    document.save(str(both))
    before = tree(project.content)
    with pytest.raises(ContentError) as err:
        absorb(project, both)
    assert "002_7a9b3e6cd7ab33a6.md changed since this DOCX was built" in str(err.value)
    assert tree(project.content) == before
