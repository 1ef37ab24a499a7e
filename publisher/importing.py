"""`publisher import`: raw articles in, one editable case file per case out."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from .errors import ContentError, EnvironmentProblem
from .fileio import atomic_write
from .model import Case
from .project import Project, find_project
from .readers import import_source
from .sources import remember_import
from .writers.casefile import write_case_file
from .writers.json import case_to_dict, dumps

MAX_BYTES = 20_000_000  # far above any article; guards against importing a disk image


def import_files(root: Path, files: tuple[Path, ...], *, as_json: bool, force: bool,
                 echo: Callable[..., None]) -> list[Case]:
    """Import `files`; with `as_json` print the cases and write nothing."""
    project = None if as_json else find_project(root)
    cases: list[Case] = []
    for file in files:
        shown = project.display(file) if project else str(file)
        if file.stat().st_size > MAX_BYTES:
            raise ContentError(f"file is {file.stat().st_size:,} bytes: too large for an "
                               "article", path=shown)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise EnvironmentProblem(f"cannot read: {exc.strerror}", path=shown) from None
        if project:
            shown = _keep_source(project, file)
        result = import_source(data, shown)
        for d in result.diagnostics:
            echo(str(d), err=True)
        cases.extend(result.cases)
        if project:
            for case in result.cases:
                _write_case(project, case, force, echo)
    if as_json:
        echo(dumps({"cases": [case_to_dict(c) for c in cases]}), nl=False)
    return cases


def _keep_source(project: Project, file: Path) -> str:
    """The raw article is kept, unchanged, in content/sources/: the case file points to it."""
    target = project.sources / file.name
    if file.resolve() != target.resolve():
        if target.exists() and target.read_bytes() != file.read_bytes():
            raise ContentError(f"content/sources/{file.name} exists with other content; "
                               "rename the file to import it", path=str(file))
        project.sources.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)
    return project.display(target)


def _write_case(project: Project, case: Case, force: bool, echo: Callable[..., None]) -> None:
    target = project.cases / f"{case.id}.md"
    shown = project.display(target)
    if target.exists() and not force:
        echo(f"{shown}: warning: exists, kept as it is (an editor may have changed it); "
             "use --force to overwrite", err=True)
        return
    text = write_case_file(case)
    atomic_write(target, text)
    remember_import(project, target, text)
    echo(f"wrote {shown}: {case.title} ({len(case.blocks)} blocks, "
         f"{len(case.figures)} figures)")
