"""Shared fixtures: a small hand-built compendium, the project paths, tool checks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from publisher.look.theme import load_theme
from publisher.model import (
    Author,
    Case,
    Compendium,
    Correction,
    Figure,
    Heading,
    Note,
    Paragraph,
    Part,
    Run,
)
from publisher.support.options import WriterOptions

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(name: str) -> str:
    """A system tool the test needs: skipped on a laptop without it, a failure in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (run ./run test, which installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def libreoffice_version() -> tuple[int, int]:
    """The installed LibreOffice's (major, minor) version, (0, 0) when none answers."""
    import re

    soffice = shutil.which("soffice")
    if soffice is None:
        return (0, 0)
    try:
        out = subprocess.run(
            [soffice, "--version"], capture_output=True, text=True, timeout=60
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return (0, 0)
    found = re.search(r"LibreOffice (\d+)\.(\d+)", out)
    return (int(found[1]), int(found[2])) if found else (0, 0)


# LibreOffice's PDF export, with the blank pages it inserts before right-hand openings (left
# out by default), so PDF page n is the book's physical page n.
LO_PDF = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def libreoffice_convert(source: Path, outdir: Path, target: str = LO_PDF) -> Path:
    """`source` opened by LibreOffice and saved as `target` ("docx:MS Word 2007 XML", or a
    PDF export) into `outdir`, with its own profile there; the converted file."""
    soffice = require_tool("soffice")
    run = subprocess.run(
        [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            f"-env:UserInstallation={(outdir / 'lo-profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    converted = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert converted.is_file(), f"LibreOffice wrote no {converted.name}"
    return converted


def _case(n: int, title: str, **extra) -> Case:
    blocks = (
        Figure(caption=f"第{n}案开头的照片。", credit="", image=""),
        Paragraph.of(
            "近年来，某县以党建为引领，推进脱贫攻坚，全县6156户、25783人已脱贫。"
            "这是一段足够长的正文，用来检查首行缩进两字、两端对齐和行距。" * 3
        ),
        Heading(1, "建队伍，聚力精准扶贫"),
        Paragraph(
            (
                Run("一是配强班子领导。", strong=True),
                Run("以换届为契机，加强乡镇领导班子建设，配备35岁以下年轻干部。"),
                Run("二是选好工作队员。", strong=True),
                Run("精心选派379名优秀年轻干部，担任第一书记。"),
            )
        ),
        Heading(2, "（一）健全工作机制"),
        Paragraph.of("正文段落，含英文 PDF 与数字 2017 年。" * 4),
        Figure(caption="科右前旗创新党建富民新模式。", credit="孙璞玉 摄", image=""),
        Heading(3, "三级标题"),
        Paragraph.of("最后一段。"),
        Note("（作者：永嘉乡党委书记）"),
    )
    return Case(id=f"case-{n}", title=title, blocks=blocks, **extra)


@pytest.fixture(scope="session")
def sample_compendium() -> Compendium:
    one = _case(1, "融水：党建引领助推精准脱贫", authors=(Author("龙林智"),), region="广西")
    two = _case(
        2,
        "太原：强堡垒富百姓",
        kicker="抓好党建促脱贫　脱贫攻坚促党建",
        series="深度关注·贯彻十九大精神 切实提升组织力②",
        authors=(Author("刘鑫焱", "记者"), Author("冯粒", "责编")),
        publication="人民日报",
        page="18版",
        source="人民网-人民日报",
        date="2017-11-14T05:32",
        region="山西",
        script="traditional",
    )
    three = _case(
        3,
        "聚焦问题 整合力量 精准发力",
        subtitle="兴安盟多措并举推进抓党建促脱贫攻坚纪实",
        authors=(Author("胡日查"), Author("高敏娜")),
        region="内蒙古",
        corrections=(Correction("4711340人", "471户1340人", "源文件丢失“户”字", 12),),
    )
    return Compendium(
        title="抓党建促脱贫攻坚典型案例汇编",
        subtitle="示例",
        compiler="编写组",
        date="2026-11-01",
        preface=(Paragraph.of("这是前言。"),),
        parts=(Part("广西", (one,)), Part("山西", (two,)), Part("内蒙古", (three,))),
    )


@pytest.fixture(scope="session")
def theme():
    return load_theme(ROOT / "styles" / "theme.toml")


@pytest.fixture
def writer_options(tmp_path) -> WriterOptions:
    return WriterOptions(
        content_dir=tmp_path / "content", styles_dir=ROOT / "styles", date="2026-11-01"
    )
