"""Keep case files in step with the raw articles in content/sources/, never losing an edit.

An editor drops an article into content/sources/ and builds: a source with no case file is
imported. A source that changed since its import replaces a case file only if that file is
still exactly what the importer wrote (its `imported_sha256` stamp matches its text: the
file itself says so, nothing in build/ has to remember). An edited case file is kept and the
new import is written beside it as `<id>.md.new`, with a warning; `publisher import --force`
overwrites it and keeps a backup. A case file that does not parse stops everything: it is
reported with its line, never imported over. Ids are checked before anything is written:
two sources giving one id, or a case file of that id (names compared regardless of letter
case) that belongs to another source, is an error naming both files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Case
from ..readers import SOURCE_SUFFIXES, import_source
from ..readers.casefile import decode_case_file, is_edited, read_case_file
from ..readers.raw.assemble import case_id
from ..support.errors import ContentError, Diagnostic
from ..support.fileio import MAX_TEXT_BYTES, atomic_write, read_limited
from ..support.progress import Progress
from ..writers.casefile import write_case_file
from .import_images import save_images
from .project import Project

MAX_BYTES = MAX_TEXT_BYTES  # far above any article; guards against importing a disk image
NEW_SUFFIX = ".new"  # <id>.md.new: a fresh import waiting beside an edited case file
BACKUP_SUFFIX = ".bak"  # <id>.md.bak: what --force replaced


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: Path, shown: str, within: tuple[Path, ...] = ()) -> bytes:
    """A raw article's bytes; the one size limit for `import` and `build`. A regular file
    only, and inside the folders `within` when given (content/sources/ in a build; a file
    named on the command line may be anywhere)."""
    return read_limited(path, shown, limit=MAX_BYTES, within=within)


def _is_scratch(path: Path) -> bool:
    """Hidden files and the lock files Word and WPS leave beside an open document
    (~$报告.docx, .~报告.docx): no editor's article."""
    return path.name.startswith((".", "~$", "~"))


def source_files(project: Project) -> list[Path]:
    if not project.sources.is_dir():
        return []
    return [
        p
        for p in sorted(project.sources.iterdir())
        if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES and not _is_scratch(p)
    ]


# What to do with a file in content/sources/ that the importer does not read.
_OTHER_FILES = {
    (".doc", ".wps", ".rtf", ".odt", ".pages"): "save it as .docx (Word) and build again",
    (".pdf",): "copy its text into a .txt file, or save the page as .html",
    (".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff", ".bmp"): (
        "pictures belong in content/images/, named in a case file"
    ),
    (".mht", ".mhtml", ".webarchive"): "save the page as 'Web page, complete' (.html)",
}


def unread_files(project: Project) -> list[Diagnostic]:
    """A warning for each file in content/sources/ the importer does not read."""
    if not project.sources.is_dir():
        return []
    out = []
    for p in sorted(project.sources.iterdir()):
        if not p.is_file() or _is_scratch(p) or p.suffix.lower() in SOURCE_SUFFIXES:
            continue
        hint = next(
            (h for suffixes, h in _OTHER_FILES.items() if p.suffix.lower() in suffixes),
            "the importer reads .txt, .md, .html and .docx files",
        )
        out.append(
            Diagnostic(project.display(p), 0, 0, "warning", f"not an article it can read: {hint}")
        )
    return out


@dataclass(frozen=True)
class CaseFile:
    """An existing case file as the sync sees it."""

    path: Path
    shown: str
    case: Case
    edited: bool


def scan_case_files(project: Project) -> dict[str, CaseFile]:
    """Every case file by its lower-cased name; a file that does not parse is an error
    (all of them at once), because nothing may be imported over it."""
    found, problems = _scan(project)
    if problems:
        raise ContentError(
            f"{len(problems)} case file(s) cannot be read: fix them first "
            "(nothing was imported over them)",
            diagnostics=tuple(problems),
        )
    return found


def _scan(project: Project) -> tuple[dict[str, CaseFile], list[Diagnostic]]:
    found: dict[str, CaseFile] = {}
    problems: list[Diagnostic] = []
    for path in project.case_files():
        shown = project.display(path)
        try:
            text = decode_case_file(project.read(path, shown), shown)
            case = read_case_file(text, shown)
        except ContentError as exc:
            problems.append(Diagnostic(shown, exc.line, exc.col, "error", exc.message))
            continue
        key = path.name.lower()
        if key in found:
            problems.append(
                Diagnostic(
                    shown,
                    1,
                    0,
                    "error",
                    f"name differs only in letter case from {found[key].shown}: rename one of them",
                )
            )
            continue
        found[key] = CaseFile(path, shown, case, is_edited(text))
    return found, problems


@dataclass
class Written:
    """What one import did to the case files."""

    wrote: list[str] = field(default_factory=list)  # case files written or replaced
    beside: list[str] = field(default_factory=list)  # <id>.md.new beside an edited file
    backups: list[str] = field(default_factory=list)  # --force: the replaced files, kept
    diagnostics: list[Diagnostic] = field(default_factory=list)


def check_targets(
    project: Project, cases: tuple[Case, ...], source_shown: str, existing: dict[str, CaseFile]
) -> None:
    """No import writes over another source's case file: an error naming both files."""
    rel = source_shown.removeprefix("content/")
    for case in cases:
        target = existing.get(f"{case.id}.md")
        if target is not None and target.case.source_file != rel:
            owner = (
                f"imported from content/{target.case.source_file}"
                if target.case.source_file
                else "written by hand"
            )
            raise ContentError(
                f"gives case id {case.id!r}, but {target.shown} ({owner}) "
                "has it: rename one of the two files",
                path=source_shown,
            )
        if target is not None and target.path.name != f"{case.id}.md":
            raise ContentError(
                f"gives case file {case.id}.md, but {target.shown} differs "
                "only in letter case: rename one of the two files",
                path=source_shown,
            )


def write_cases(
    project: Project,
    cases: tuple[Case, ...],
    source_shown: str,
    existing: dict[str, CaseFile],
    *,
    force: bool,
) -> Written:
    """Write the imported `cases`: new or untouched case files are (re)written; an edited
    one is kept and the import goes beside it, unless `force` (then it is backed up)."""
    check_targets(project, cases, source_shown, existing)
    done = Written()
    for case in cases:
        target = project.cases / f"{case.id}.md"
        text = write_case_file(case, stamp=True)
        old = existing.get(target.name.lower())
        shown = project.display(target)
        beside = target.with_name(target.name + NEW_SUFFIX)
        if old is not None and old.edited and not force:
            if not beside.is_file() or not _edited_file(beside):  # an editor may merge in it
                atomic_write(beside, text)
            done.beside.append(project.display(beside))
            done.diagnostics.append(
                Diagnostic(
                    shown,
                    0,
                    0,
                    "warning",
                    f"{source_shown} changed, but this case file has edits, so it was kept; the "
                    f"new import is {project.display(beside)}: merge what you need by hand and "
                    f"delete it, or replace the case file: publisher import --force {source_shown}",
                )
            )
            continue
        if old is not None and old.edited:
            backup = _free_name(target.with_name(target.name + BACKUP_SUFFIX))
            backup.write_bytes(target.read_bytes())
            done.backups.append(project.display(backup))
        if not target.is_file() or target.read_bytes() != text.encode("utf-8"):
            atomic_write(target, text)
            done.wrote.append(shown)
        existing[target.name.lower()] = CaseFile(target, shown, case, edited=False)
        if beside.is_file() and not _edited_file(beside):
            beside.unlink()  # the waiting import is now the case file itself
    return done


def _edited_file(path: Path) -> bool:
    try:
        return is_edited(path.read_bytes().decode("utf-8", errors="replace"))
    except OSError:
        return True


def _free_name(path: Path) -> Path:
    """`path`, or path-2, path-3 … when a backup of that name is already kept."""
    n = 1
    candidate = path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def check_source_ids(project: Project, sources: list[Path]) -> None:
    """Two sources that give one case id (Article.txt and article.txt; x.md and x.txt)."""
    seen: dict[str, str] = {}
    problems = []
    for source in sources:
        shown = project.display(source)
        key = case_id(shown)
        if key in seen:
            problems.append(
                Diagnostic(
                    shown,
                    0,
                    0,
                    "error",
                    f"gives the same case id {key!r} as {seen[key]}: rename one of the two files",
                )
            )
        seen.setdefault(key, shown)
    if problems:
        raise ContentError(
            f"{len(problems)} case id collision(s) among the sources", diagnostics=tuple(problems)
        )


@dataclass
class SyncResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    beside: list[str] = field(default_factory=list)  # <id>.md.new files waiting for an editor


def sync_sources(project: Project, progress: Progress) -> SyncResult:
    """Import what is new or changed in content/sources/ (see the module docstring)."""
    result = SyncResult(diagnostics=unread_files(project))
    sources = source_files(project)
    if not sources:
        return result
    existing, problems = _scan(project)
    if problems:
        return result  # the lint stage reports them, as `publisher lint` does, and stops
    check_source_ids(project, sources)
    by_source: dict[str, list[CaseFile]] = {}
    for entry in existing.values():
        if entry.case.source_file:
            by_source.setdefault(entry.case.source_file, []).append(entry)
    refused: list[Diagnostic] = []
    for source in sources:
        shown = project.display(source)
        try:
            data = read_source(source, shown, (project.content,))
            mine = by_source.get(shown.removeprefix("content/"), [])
            if mine and all(e.case.source_sha256 == sha256(data) for e in mine):
                continue
            imported = import_source(data, shown, source)
        except ContentError as exc:  # the other files are still imported; all reported
            refused += list(exc.diagnostics) or [
                Diagnostic(exc.path or shown, exc.line, exc.col, "error", exc.message)
            ]
            continue
        done = write_cases(project, imported.cases, shown, existing, force=False)
        if done.wrote:
            result.diagnostics += imported.diagnostics
            result.diagnostics += save_images(project, imported.images, shown)
        result.diagnostics += done.diagnostics
        result.beside += done.beside
        for path in done.wrote:
            progress.info(f"imported {shown} → {path}: review it")
    if refused:
        raise ContentError(
            f"{len(refused)} file(s) in content/sources/ cannot be imported: fix or remove"
            " them (the others were imported)",
            diagnostics=tuple(result.diagnostics) + tuple(refused),
        )
    return result
