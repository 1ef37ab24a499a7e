"""`publisher build`: load the project, check it, and run the writers into build/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .fileio import atomic_write
from .project import Project, load_project
from .writers.json import compendium_to_dict, dumps


@dataclass(frozen=True)
class BuildResult:
    outputs: tuple[Path, ...]


def output_name(title: str, output: str) -> str:
    """File name base for the outputs: the settings' `output`, else the title."""
    name = output or title
    return "".join("_" if ch in '/\\:*?"<>|' else ch for ch in name).strip() or "compendium"


def build(project: Project, formats: tuple[str, ...], *, out_dir: Path | None = None,
          echo: Callable[..., None] = print) -> BuildResult:
    loaded = load_project(project)
    for d in loaded.diagnostics:
        echo(str(d), err=True)
    out = out_dir or project.build
    base = output_name(loaded.settings.title, loaded.settings.output)
    outputs: list[Path] = []
    if "json" in formats:
        target = out / f"{base}.json"
        atomic_write(target, dumps(compendium_to_dict(loaded.compendium)))
        outputs.append(target)
    return BuildResult(tuple(outputs))
