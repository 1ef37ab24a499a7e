"""`publisher import`: raw articles in, one editable case file per case out.

The same rules as the build's import (publisher/pipeline/sources.py): a case file an editor changed
is kept and the new import goes beside it as `<id>.md.new`; `--force` replaces it and keeps
a backup; an id taken by another source's case file is an error naming both.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from ..model import Case
from ..readers import import_source
from ..support.errors import ContentError
from ..writers.json import case_to_dict, dumps
from .import_images import save_images
from .project import Project, find_project
from .sources import (
    check_source_ids,
    check_targets,
    read_source,
    scan_case_files,
    source_files,
    write_cases,
)


def import_files(
    root: Path, files: tuple[Path, ...], *, as_json: bool, force: bool, echo: Callable[..., None]
) -> list[Case]:
    """Import `files`; with `as_json` print the cases and write nothing."""
    project = None if as_json else find_project(root)
    existing = scan_case_files(project) if project else {}
    cases: list[Case] = []
    for file in files:
        shown = project.display(file) if project else str(file)
        data = read_source(file, shown)
        if project:
            kept = project.sources / file.name
            shown = project.display(kept)
            check_source_ids(project, sorted({*source_files(project), kept}))
        result = import_source(data, shown, file)
        for d in result.diagnostics:
            echo(str(d), err=True)
        cases.extend(result.cases)
        if project:
            check_targets(project, result.cases, shown, existing)  # before anything is copied
            _keep_source(project, file)
            done = write_cases(project, result.cases, shown, existing, force=force)
            for d in done.diagnostics:
                echo(str(d), err=True)
            if done.wrote:
                for d in save_images(project, result.images, shown):
                    echo(str(d), err=True)
            for backup in done.backups:
                echo(f"kept the edited case file as {backup}")
            for path in done.wrote:
                case = next(c for c in result.cases if path.endswith(f"/{c.id}.md"))
                echo(
                    f"wrote {path}: {case.title} ({len(case.blocks)} blocks, "
                    f"{len(case.figures)} figures)"
                )
    if as_json:
        echo(dumps({"cases": [case_to_dict(c) for c in cases]}), nl=False)
    return cases


def _keep_source(project: Project, file: Path) -> None:
    """The raw article is kept, unchanged, in content/sources/: the case file points to it."""
    target = project.sources / file.name
    if file.resolve() != target.resolve():
        if target.exists() and target.read_bytes() != file.read_bytes():
            raise ContentError(
                f"content/sources/{file.name} exists with other content; "
                "rename the file to import it",
                path=str(file),
            )
        project.sources.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)
