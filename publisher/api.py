"""The library's API: what the `publisher` command and the workbench (`publisher serve`)
both call, so no rule lives in either shell.

Load and lint a project; check and save one case file as the build reads it; import raw
articles; absorb an edited DOCX (dry run or apply); reorder the book in
`content/compendium.toml`; build, with progress as events. Errors are `PublisherError`s
naming the file and line, as everywhere.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .model import Case
from .pipeline.caserules import check_case, check_text_file
from .pipeline.project import Loaded, Project, find_project, load_project
from .readers.casefile import decode_case_file, is_edited, read_case_file
from .support.errors import ContentError, Diagnostic, PublisherError
from .support.fileio import atomic_write
from .support.progress import Progress

__all__ = [
    "open_project",
    "load",
    "lint",
    "CaseCheck",
    "check_case_text",
    "SaveConflict",
    "save_case_file",
    "case_file",
    "ImportOutcome",
    "import_files",
    "absorb",
    "Group",
    "book_order",
    "reorder",
    "BuildEvent",
    "build",
    "proof_case",
    "guesses",
    "digest",
]


def digest(data: bytes | str) -> str:
    """sha256 of a file's bytes (or text as UTF-8): what a page saw, to find changes."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def open_project(root: Path) -> Project:
    """The project at or above `root`."""
    return find_project(root)


def load(project: Project) -> Loaded:
    """The project as the build reads it (through the case cache, which only builds write)."""
    return load_project(project)


def lint(project: Project, loaded: Loaded | None = None) -> list[Diagnostic]:
    """Every finding of `publisher lint` (the build's lint gate runs the same)."""
    from .pipeline.lint import lint_project

    return lint_project(project, loaded)


# --- one case file --------------------------------------------------------------------


@dataclass(frozen=True)
class CaseCheck:
    """A case file's text as the build would read it: its case, or why it does not parse,
    and its own lint findings."""

    case: Case | None
    findings: tuple[Diagnostic, ...]
    error: Diagnostic | None = None


def case_file(project: Project, name: str) -> Path:
    """The case file `name` (e.g. `000_x.md`) in content/cases/; anything else (another
    folder, `..`, a hidden or non-.md file) is refused."""
    path = (project.cases / name).resolve()
    if (
        not name
        or "/" in name
        or "\\" in name
        or name.startswith(".")
        or not name.endswith(".md")
        or path.parent != project.cases.resolve()
    ):
        raise ContentError(f"not a case file of content/cases/: {name!r}")
    return path


def check_case_text(
    project: Project, path: Path, text: str, *, ids: Mapping[str, str] | None = None
) -> CaseCheck:
    """Parse and lint `text` as the case file at `path` exactly as the build does; also
    whether its id is another case file's. `ids`: case id → case file of the project as
    already loaded (else every other case file is read)."""
    shown = project.display(path)
    try:
        case = read_case_file(decode_case_file(text.encode("utf-8"), shown), shown)
    except ContentError as exc:
        return CaseCheck(None, (), Diagnostic(shown, exc.line, exc.col, "error", exc.message))
    findings = check_text_file(text, shown) + check_case(case, shown)
    other = _other_file_with_id(project, path, case.id, ids)
    if other is not None:
        findings.append(
            Diagnostic(shown, 1, 0, "error", f"case id {case.id!r} is also used by {other}")
        )
    return CaseCheck(case, tuple(findings))


def _other_file_with_id(
    project: Project, path: Path, case_id: str, ids: Mapping[str, str] | None
) -> str | None:
    shown = project.display(path)
    if ids is not None:
        other = ids.get(case_id)
        return other if other is not None and other != shown else None
    for other_path in project.case_files():
        if other_path.resolve() == path.resolve():
            continue
        try:
            other_case = read_case_file(decode_case_file(other_path.read_bytes(), "x"), "x")
        except (ContentError, OSError):
            continue
        if other_case.id == case_id:
            return project.display(other_path)
    return None


class SaveConflict(ContentError):
    """The file changed on disk since the editor opened it: nothing was written."""

    def __init__(self, shown: str, on_disk: str) -> None:
        super().__init__(
            "changed on disk since it was opened (another tab, an editor, a git pull): "
            "not saved; compare, copy your changes and open it again",
            path=shown,
        )
        self.on_disk = on_disk


def save_case_file(
    project: Project,
    path: Path,
    text: str,
    *,
    expected: str,
    ids: Mapping[str, str] | None = None,
) -> CaseCheck:
    """Write `text` to the case file at `path` if it parses and the file on disk is still
    the one whose digest is `expected` ("" for a new file); else nothing is written: a
    parse error is raised as a ContentError with its line and column, a changed file as
    SaveConflict (with the text on disk)."""
    shown = project.display(path)
    text = text.replace("\r\n", "\n")
    check = check_case_text(project, path, text, ids=ids)
    if check.error is not None:
        d = check.error
        raise ContentError(d.message, path=d.path, line=d.line, col=d.col)
    current = path.read_bytes() if path.exists() else b""
    if (digest(current) if current else "") != expected:
        raise SaveConflict(shown, current.decode("utf-8", "replace"))
    atomic_write(path, text)
    return check


# --- import and absorb ----------------------------------------------------------------


@dataclass
class ImportOutcome:
    cases: list[Case] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # as `publisher import` prints them


def import_files(
    project: Project, files: tuple[Path, ...], *, force: bool = False
) -> ImportOutcome:
    """`publisher import FILES`: the same checks, refusals and writes."""
    from .pipeline.importing import import_files as run_import

    outcome = ImportOutcome()

    def echo(message: str = "", **_kw) -> None:
        outcome.messages.append(str(message))

    outcome.cases = run_import(project.root, files, as_json=False, force=force, echo=echo)
    return outcome


def absorb(project: Project, path: Path, *, dry_run: bool):
    """`publisher absorb [--dry-run] FILE.docx` (publisher.absorb.AbsorbResult)."""
    from .absorb import absorb as run_absorb

    return run_absorb(project, path, dry_run=dry_run)


# --- the book's order -----------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A part of the book as shown: its title ("" for cases outside any part) and its
    case ids in order."""

    title: str
    cases: tuple[str, ...]


def book_order(loaded: Loaded) -> list[Group]:
    return [Group(p.title, tuple(c.id for c in p.cases)) for p in loaded.compendium.parts]


def reorder(project: Project, groups: list[Group], *, expected: str) -> None:
    """Write the book's order into content/compendium.toml, keeping its comments and
    layout (tomlkit); checked as `publisher build` checks it before anything is written.
    Parts are matched by title; an untitled group first is the top-level `cases`, an
    untitled group elsewhere is left unlisted (such cases go at the end). `expected`: the
    digest of the settings file as the page saw it (a changed file is refused)."""
    import tomlkit

    from .pipeline.project import _arrange, read_case_files
    from .pipeline.settings import load_settings

    path = project.settings_file
    shown = project.display(path)
    text = path.read_text(encoding="utf-8-sig")
    if digest(path.read_bytes()) != expected:
        raise ContentError(
            "changed on disk since the page was opened: reload and move the case again",
            path=shown,
        )
    doc = tomlkit.parse(text)
    titled = [g for g in groups if g.title]
    parts = doc.get("parts")
    known = [str(p.get("title", "")) for p in parts] if parts is not None else []
    for g in titled:
        if g.title not in known:
            raise ContentError(f"no part titled {g.title!r}", path=shown)
    if parts is not None:
        by_title = {g.title: g for g in titled}
        for part in parts:
            group = by_title.get(str(part.get("title", "")))
            _set_ids(part, "cases", group.cases if group else ())
    top = groups[0] if groups and not groups[0].title else None
    if top is not None and top.cases and ("cases" in doc or parts is None):
        _set_ids(doc, "cases", top.cases)
    elif "cases" in doc:
        _set_ids(doc, "cases", ())
    new_text = tomlkit.dumps(doc)
    with tempfile.TemporaryDirectory() as folder:  # checked as the build reads it
        trial = Path(folder) / path.name
        trial.write_text(new_text, encoding="utf-8")
        settings, checked_text = load_settings(trial, shown)
    read = read_case_files(project)
    _arrange(settings, checked_text, shown, read.cases, [])
    atomic_write(path, new_text)


def _set_ids(table, key: str, ids: tuple[str, ...]) -> None:
    import tomlkit

    array = tomlkit.array()
    array.extend(ids)
    if len(ids) > 3:
        array.multiline(True)
    table[key] = array


# --- build ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildEvent:
    """One step of a build as it happens: a stage starting or done, a page laid out, a
    message."""

    kind: str  # stage, done, page, info
    text: str
    count: int = 0


class _EventProgress(Progress):
    """The build's progress as events, for a listener that is not a terminal."""

    def __init__(self, emit: Callable[[BuildEvent], None]) -> None:
        super().__init__(verbose=False, tty=False, echo=lambda *a, **k: None)
        self.emit = emit

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.emit(BuildEvent("stage", name))
        with super().stage(name):
            yield
        self.emit(BuildEvent("done", name))

    def info(self, message: str) -> None:
        self.emit(BuildEvent("info", message))

    def counter(self, what: str, unit: str, total: int | None = None):
        def count(done: int) -> None:
            self.emit(BuildEvent("page", f"{what}: {unit} {done}", done))

        return count


def build(
    project: Project,
    formats: tuple[str, ...] = ("pdf", "docx"),
    *,
    progress: Progress | None = None,
    on_event: Callable[[BuildEvent], None] | None = None,
    force: bool = False,
    jobs: int | None = None,
    out_dir: Path | None = None,
    wait: bool = True,
    print_shop: bool = False,
):
    """`publisher build`: the same pipeline (and lock); progress to a terminal
    (`progress`) or as events (`on_event`). With `wait` false, a build of the same project
    under way is an error instead of something to wait for."""
    from .pipeline.build import build as run_build

    if on_event is not None:
        progress = _EventProgress(on_event)
    return run_build(
        project,
        formats,
        out_dir=out_dir,
        progress=progress,
        force=force,
        jobs=jobs,
        wait=wait,
        print_shop=print_shop,
    )


def proof_case(project: Project, loaded: Loaded, case_id: str, first_folio: int, *, keep=None):
    """One case's printed pages (`writers.pdf.proof`), laid out as `build` lays the case
    out (same options, preflight, piece cache and lock), its folios from `first_folio`;
    a `CaseProof`, or None when the book has no such case. `keep(proof)` is called while
    the build lock is still held: what stores the proof in the build folder must, as a
    build waiting for the lock sweeps away half-written files there when it starts."""
    from .imaging import CACHE_FOLDER
    from .pipeline.build import PDF_CACHE, book_options
    from .pipeline.buildlock import build_lock
    from .pipeline.dates import build_date
    from .support.options import WriterResources
    from .writers.pdf.proof import proof_case as lay_out_proof
    from .writers.preflight import run_preflight

    out = project.build.resolve()
    date, _ = build_date(loaded.settings.date, project.content)
    options = book_options(project, loaded, date)
    # One piece, in a worker: the server never holds WeasyPrint's memory.
    resources = WriterResources(jobs=2, cache_dir=out / PDF_CACHE)
    # The edited case's characters are counted again (the snapshot's are of the load).
    chars = {k: v for k, v in loaded.chars.items() if k != case_id}
    with build_lock(out, on_wait=lambda _message: None):
        pre = run_preflight(
            loaded.compendium,
            loaded.theme,
            options,
            files=loaded.files,
            cache_dir=out / CACHE_FOLDER,
            chars=chars,
        )
        proof = lay_out_proof(
            loaded.compendium,
            loaded.theme,
            options,
            pre,
            case_id,
            first_folio,
            resources=resources,
        )
        if proof is not None and keep is not None:
            keep(proof)
        return proof


# --- import guesses -------------------------------------------------------------------


def guesses(project: Project, loaded: Loaded) -> dict[str, tuple[Diagnostic, ...]]:
    """The importer's guesses (`guess: …` warnings) about each case whose file is still
    as imported: not yet reviewed. A source's guesses are found again by importing it in
    memory (kept by its bytes); an edited case file counts as reviewed."""
    out: dict[str, tuple[Diagnostic, ...]] = {}
    for case in loaded.compendium.cases:
        path = project.root / loaded.files[case.id]
        source = project.content / case.source_file if case.source_file else None
        try:
            if is_edited(path.read_text(encoding="utf-8")) or source is None:
                continue
            data = source.read_bytes()
        except (OSError, UnicodeDecodeError):
            continue
        found = _source_guesses(digest(data), data, project.display(source), source)
        if found:
            out[case.id] = found
    return out


_known_guesses: dict[str, tuple[Diagnostic, ...]] = {}


def _source_guesses(key: str, data: bytes, shown: str, source: Path) -> tuple[Diagnostic, ...]:
    """The guesses of one source, kept by its digest `key` (the last 1000 sources)."""
    from .readers import import_source

    if key not in _known_guesses:
        try:
            found = import_source(data, shown, source).diagnostics
        except PublisherError:
            found = ()
        if len(_known_guesses) >= 1000:
            _known_guesses.pop(next(iter(_known_guesses)))
        _known_guesses[key] = tuple(d for d in found if "guess:" in d.message)
    return _known_guesses[key]
