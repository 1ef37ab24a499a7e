"""Keep case files in step with the raw articles in content/sources/.

An editor drops an article into content/sources/ and builds: a source with no case file is
imported; a source that changed since its import is imported again, but only if nobody has
edited its case files since (a hand-edited case file is never overwritten: a warning says
how to re-import it on purpose).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .errors import ContentError, Diagnostic
from .fileio import atomic_write
from .progress import Progress
from .project import Project
from .readers.casefile import read_case_file
from .readers import SOURCE_SUFFIXES, import_source
from .writers.casefile import write_case_file

IMPORT_STATE = ".imports.json"  # in build/: case file -> sha256 of the text import wrote


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sync_sources(project: Project, progress: Progress) -> list[Diagnostic]:
    if not project.sources.is_dir():
        return []
    state_path = project.build / IMPORT_STATE
    try:
        written: dict[str, str] = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        written = {}
    by_source: dict[str, list[tuple[Path, str]]] = {}
    for path in project.case_files():
        try:
            case = read_case_file(path.read_text(encoding="utf-8"), project.display(path))
        except (ContentError, UnicodeDecodeError):
            continue  # the load stage reports it with its line
        if case.source_file:
            by_source.setdefault(case.source_file, []).append((path, case.source_sha256))

    diagnostics: list[Diagnostic] = []
    changed = False
    for source in sorted(project.sources.iterdir()):
        if not source.is_file() or source.suffix.lower() not in SOURCE_SUFFIXES:
            continue
        rel = source.relative_to(project.content).as_posix()
        data = source.read_bytes()
        existing = by_source.get(rel, [])
        if existing and all(sha == _sha(data) for _, sha in existing):
            continue
        shown = project.display(source)
        if existing:
            edited = [p for p, _ in existing
                      if written.get(project.display(p)) != _sha(p.read_bytes())]
            if edited:
                diagnostics.append(Diagnostic(
                    shown, 0, 0, "warning",
                    f"changed since it was imported, but {project.display(edited[0])} has "
                    f"edits, so it was kept; to re-import: publisher import --force {shown}"))
                continue
        result = import_source(data, shown)
        diagnostics += result.diagnostics
        for case in result.cases:
            target = project.cases / f"{case.id}.md"
            text = write_case_file(case)
            atomic_write(target, text)
            written[project.display(target)] = _sha(text.encode("utf-8"))
            changed = True
            progress.info(f"imported {shown} → {project.display(target)}: review it")
    if changed:
        atomic_write(state_path, json.dumps(written, ensure_ascii=False, indent=2) + "\n")
    return diagnostics


def remember_import(project: Project, target: Path, text: str) -> None:
    """Record that `publisher import` wrote `target` (so a later source change may refresh it)."""
    state_path = project.build / IMPORT_STATE
    try:
        written = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        written = {}
    written[project.display(target)] = _sha(text.encode("utf-8"))
    atomic_write(state_path, json.dumps(written, ensure_ascii=False, indent=2) + "\n")
