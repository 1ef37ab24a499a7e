"""What the workbench knows about the project: the book as last loaded, each case's status
(lint findings, unreviewed guesses, figures without a photo, corrections, edited since
import), kept current as files change. Everything comes from `publisher.api`.

A change to one case file re-reads that file alone (its case, its lint findings) when its
id and the book's order stay the same; any other change loads the project again. Either
way the result equals a cold load of the files as they are now: the file is read when the
change is handled, never from the event.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import api
from ..imaging import CACHE_FOLDER, ResolvedImages, prepare_images
from ..model import Case, Compendium, Figure, Part
from ..pipeline.project import Loaded, Project
from ..readers.casefile import is_edited
from ..support.errors import Diagnostic, PublisherError


@dataclass(frozen=True)
class CaseStatus:
    case: Case
    file: str  # content/cases/x.md
    findings: tuple[Diagnostic, ...]
    guesses: tuple[Diagnostic, ...]
    missing_photos: int
    edited: bool
    digest: str  # of the file as read

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.findings)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.findings)

    @property
    def name(self) -> str:
        return Path(self.file).name


@dataclass
class Snapshot:
    """The book at one moment: what every page is rendered from."""

    loaded: Loaded | None
    error: PublisherError | None
    cases: dict[str, CaseStatus] = field(default_factory=dict)  # by case id
    book_findings: tuple[Diagnostic, ...] = ()  # settings, duplicates, unreadable files
    settings_digest: str = ""
    version: int = 0
    images: ResolvedImages | None = None  # the image stage's photos, as the build has them

    def image_files(self) -> dict[str, Path]:
        """The processed photos the book uses, by file name (their addresses)."""
        if self.images is None:
            return {}
        return {i.path.name: i.path for f in self.images.figures.values() for i in f.images}


class Workbench:
    """The project and its current snapshot; `reload` and `case_changed` are called by the
    file watcher (from a worker thread, one at a time)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.lock = threading.Lock()
        self.snapshot = Snapshot(None, None)
        self.version = 0

    # --- loading ------------------------------------------------------------------

    def reload(self) -> Snapshot:
        with self.lock:
            self.version += 1
            try:
                loaded = api.load(self.project)
            except PublisherError as exc:
                found = list(exc.diagnostics) or [
                    Diagnostic(exc.path, exc.line, exc.col, "error", exc.message)
                ]
                self.snapshot = Snapshot(
                    None, exc, {}, tuple(found), self._settings_digest(), self.version
                )
                return self.snapshot
            findings = api.lint(self.project, loaded)
            by_file: dict[str, list[Diagnostic]] = {}
            for d in findings:
                by_file.setdefault(d.path, []).append(d)
            try:
                guesses = api.guesses(self.project, loaded)
            except (PublisherError, OSError):
                guesses = {}
            images, image_problems = self._images(loaded)
            cases = {}
            for case in loaded.compendium.cases:
                shown = loaded.files[case.id]
                cases[case.id] = self._status(
                    case, shown, tuple(by_file.pop(shown, ())), guesses.get(case.id, ()), images
                )
            rest = tuple(d for ds in by_file.values() for d in ds) + image_problems
            self.snapshot = Snapshot(
                loaded, None, cases, rest, self._settings_digest(), self.version, images
            )
            return self.snapshot

    def _images(self, loaded: Loaded) -> tuple[ResolvedImages | None, tuple[Diagnostic, ...]]:
        """The photos through the image stage and its cache in build/, as the build finds
        them (the naming rule included); a photo that cannot be printed is a finding."""
        try:
            images = prepare_images(
                loaded.compendium,
                loaded.theme,
                self.project.content,
                self.project.build / CACHE_FOLDER,
                files=loaded.files,
                missing_images=loaded.settings.missing_images,
            )
        except PublisherError as exc:
            return None, (Diagnostic(exc.path, exc.line, exc.col, "error", exc.message),)
        except OSError as exc:
            return None, (Diagnostic("build", 0, 0, "warning", f"photos: {exc}"),)
        return images, ()

    def case_changed(self, path: Path) -> str | None:
        """Re-read one case file; the case id it updated, or None when the whole book must
        be loaded again (a new, removed or renamed case, a file that no longer parses, an
        id change)."""
        with self.lock:
            snap = self.snapshot
            if snap.loaded is None:
                return None
            shown = self.project.display(path)
            case_id = next((i for i, f in snap.loaded.files.items() if f == shown), None)
            if case_id is None or not path.is_file():
                return None
            text = path.read_bytes().decode("utf-8", "replace")
            check = api.check_case_text(self.project, path, text, ids=snap.loaded.files)
            if check.case is None or check.case.id != case_id:
                return None
            old = snap.cases[case_id]
            if _figures(old.case) != _figures(check.case):
                return None  # the photos are placed again: the image stage runs
            compendium = _replace_case(snap.loaded.compendium, check.case)
            loaded = replace(snap.loaded, compendium=compendium)
            self.version += 1
            cases = dict(snap.cases)
            cases[case_id] = self._status(
                check.case, shown, check.findings, old.guesses, snap.images
            )
            self.snapshot = Snapshot(
                loaded,
                None,
                cases,
                snap.book_findings,
                snap.settings_digest,
                self.version,
                snap.images,
            )
            return case_id

    # --- helpers ------------------------------------------------------------------

    def _status(
        self,
        case: Case,
        shown: str,
        findings: tuple[Diagnostic, ...],
        guesses: tuple[Diagnostic, ...],
        images: ResolvedImages | None,
    ) -> CaseStatus:
        path = self.project.root / shown
        data = path.read_bytes() if path.is_file() else b""
        text = data.decode("utf-8", "replace")
        edited = is_edited(text)
        missing = 0
        for index, block in enumerate(case.blocks):
            if isinstance(block, Figure):
                placed = images.get(case.id, index) if images is not None else None
                missing += placed is None or placed.missing
        return CaseStatus(
            case,
            shown,
            findings,
            () if edited else guesses,
            missing,
            edited,
            api.digest(data),
        )

    def _settings_digest(self) -> str:
        try:
            return api.digest(self.project.settings_file.read_bytes())
        except OSError:
            return ""


def _figures(case: Case) -> list[tuple[int, tuple[str, ...]]]:
    return [(i, b.images) for i, b in enumerate(case.blocks) if isinstance(b, Figure)]


def _replace_case(compendium: Compendium, case: Case) -> Compendium:
    parts = tuple(
        Part(p.title, tuple(case if c.id == case.id else c for c in p.cases))
        for p in compendium.parts
    )
    return replace(compendium, parts=parts)
