"""Golden tests: each input imports to the case files checked in under tests/golden/expected/.

The inputs are the seed articles (content/sources/) and small synthetic ones of each kind
(tests/golden/inputs/, plus a Word file this test builds). The expected files are compared
as text, so any change of an importer rule shows as a diff of case files. After a rule
change that is meant, regenerate them and review the diff in git:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_import_golden.py

Inputs that must be refused have an expected `.error` file: the one-line message.
"""

from __future__ import annotations

import difflib
import io
import os
from pathlib import Path

import pytest

from publisher.readers import import_source
from publisher.support.errors import ContentError
from publisher.writers.casefile import write_case_file

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _word_file() -> bytes:
    """A Word file as a local unit sends one, built here (no binaries in git)."""
    import docx
    from PIL import Image

    d = docx.Document()
    d.add_paragraph("党建引领　脱贫奔康", style="Title")
    d.add_paragraph("永嘉乡推进新农村建设纪实", style="Subtitle")
    d.add_paragraph("作者：张三　来源：永嘉乡　时间：2017-10-09")
    d.add_paragraph(
        "近年来，永嘉乡坚持以党建引领脱贫攻坚，推动各项工作落实落细，群众满意度持续提高。"
    )
    d.add_heading("一、强化组织引领", level=1)
    p = d.add_paragraph()
    p.add_run("健全工作机制。").bold = True
    p.add_run("坚持将党建工作深度融入脱贫攻坚，成效明显。一是配强班子。二是选好队员。")
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, "PNG")
    d.add_picture(io.BytesIO(buf.getvalue()))
    d.add_paragraph("村民参加技能培训。孙璞玉 摄", style="Caption")
    d.add_heading("二、壮大集体经济", level=1)
    d.add_paragraph("这是最后一段正文，说明后续工作安排和下一步打算。")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _word_file_without_styles() -> bytes:
    """A Word file typed without styles: a centred bold title, the unit centred under it,
    the date in brackets, bold numbered heads, a photo with its caption line below."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from PIL import Image

    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("某镇：党建引领绘就乡村振兴新画卷").bold = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("某镇党委宣传办").alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("（2021年6月10日）")
    d.add_paragraph(
        "近年来，某镇坚持以党建引领乡村振兴，聚焦产业发展、人居环境和乡风文明，走出了一条特色发展之路。"
    )
    d.add_paragraph().add_run("一、强化组织引领").bold = True
    d.add_paragraph("镇党委把抓好党建作为最大政绩，选优配强村级班子，全镇村干部平均年龄下降五岁。")
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buf, "PNG")
    d.add_picture(io.BytesIO(buf.getvalue()))
    d.add_paragraph("图为某村党员志愿者清理村道。")
    d.add_paragraph().add_run("二、发展特色产业").bold = True
    d.add_paragraph("依托资源优势，发展茶叶种植五千亩，带动群众户均增收一万余元。")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _inputs() -> list[tuple[str, bytes]]:
    found = [
        (f"content/sources/{p.name}", p.read_bytes())
        for p in sorted((ROOT / "content" / "sources").glob("*.txt"))
    ]
    found += [
        (f"content/sources/{p.name}", p.read_bytes()) for p in sorted((GOLDEN / "inputs").iterdir())
    ]
    found.append(("content/sources/word-unit.docx", _word_file()))
    found.append(("content/sources/word-plain.docx", _word_file_without_styles()))
    return found


def _render(path: str, data: bytes) -> dict[str, str]:
    """Expected file name → text: one case file per case, or the error line."""
    stem = Path(path).stem
    try:
        result = import_source(data, path)
    except ContentError as exc:
        return {f"{stem}.error": str(exc) + "\n"}
    out = {}
    for case in result.cases:
        text = write_case_file(case)
        if path.endswith(".docx"):  # a zip's bytes vary with the python-docx version
            text = "\n".join(
                "source_sha256: (a Word file)" if line.startswith("source_sha256:") else line
                for line in text.split("\n")
            )
        out[f"{case.id}.md"] = text
    out[f"{stem}.report"] = "".join(f"{d}\n" for d in result.diagnostics)
    return out


@pytest.mark.parametrize("path, data", _inputs(), ids=lambda v: v if isinstance(v, str) else "")
def test_golden(path, data):
    got = _render(path, data)
    expected_dir = GOLDEN / "expected"
    stem = Path(path).stem
    have = (
        {
            p.name
            for p in expected_dir.glob(f"{stem}*")
            if p.name == f"{stem}.error"
            or p.name == f"{stem}.report"
            or p.name.startswith((f"{stem}.md", f"{stem}-"))
        }
        if expected_dir.is_dir()
        else set()
    )
    if UPDATE:
        expected_dir.mkdir(parents=True, exist_ok=True)
        for name in have - set(got):
            (expected_dir / name).unlink()
        for name, text in got.items():
            (expected_dir / name).write_text(text, encoding="utf-8")
        return
    assert set(got) == have, f"case files differ: got {sorted(got)}, expected {sorted(have)}"
    for name, text in got.items():
        want = (expected_dir / name).read_text(encoding="utf-8")
        if text != want:
            diff = "".join(
                difflib.unified_diff(
                    want.splitlines(True), text.splitlines(True), f"expected/{name}", "imported"
                )
            )
            pytest.fail(f"{name} differs from its golden file:\n{diff}")
