"""`publisher import`: raw articles in, one editable case file per case out.

The same rules as the build's import (publisher/pipeline/sources.py): a case file an editor changed
is kept and the new import goes beside it as `<id>.md.new`; `--force` replaces it and keeps
a backup; an id taken by another source's case file is an error naming both.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import Case
from ..readers import import_source
from ..support.errors import ContentError
from ..support.fileio import atomic_write
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
            created = _new_files(project, file, result)
            try:
                _keep_source(project, file)
                done = write_cases(project, result.cases, shown, existing, force=force)
                pictures = save_images(project, result.images, shown) if done.wrote else []
            except OSError:  # a full disk, a read-only folder: take back what this import added
                for new in created:
                    new.unlink(missing_ok=True)
                raise
            for d in [*done.diagnostics, *pictures]:
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


def _new_files(project: Project, file: Path, result) -> list[Path]:
    """The files an import of `file` would create (not replace): what a failure removes."""
    wanted = [project.sources / file.name]
    for case in result.cases:
        target = project.cases / f"{case.id}.md"
        wanted += [target, target.with_name(target.name + ".new")]
    wanted += [project.content / rel for rel in result.images]
    return [path for path in wanted if not path.exists() and not path.is_symlink()]


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
        atomic_write(target, file.read_bytes())  # a full disk leaves no half copy
