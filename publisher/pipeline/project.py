"""A compendium project on disk: where things are, and loading it into the content model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..look.theme import OVERRIDES_FILE, Theme, ThemeChoiceError, load_theme, overrides_file
from ..model import Case, Compendium, ModelError, Part
from ..readers.casefile import decode_case_file, read_blocks, read_case_file
from ..support.config import key_line
from ..support.errors import ContentError, Diagnostic, EnvironmentProblem
from ..support.fileio import MAX_TEXT_BYTES, printable_name, read_limited
from .casecache import FOLDER as CASE_CACHE
from .casecache import CaseCache
from .settings import SETTINGS_FILE, Settings, load_settings


@dataclass(frozen=True, slots=True)
class Project:
    """Paths of a project: content/ (articles, case files, settings), styles/, build/."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def sources(self) -> Path:
        return self.content / "sources"

    @property
    def cases(self) -> Path:
        return self.content / "cases"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def settings_file(self) -> Path:
        return self.content / SETTINGS_FILE

    def display(self, path: Path) -> str:
        """A path as messages show it: relative to the project root (a symlinked file by
        its own name in the project, not by where it leads)."""
        try:
            where = path.parent.resolve() / path.name if path.name else path.resolve()
            shown = where.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            shown = str(path)
        return printable_name(shown)

    def read(self, path: Path, shown: str | None = None, *, limit: int = MAX_TEXT_BYTES) -> bytes:
        """A file of content/ or styles/: a regular file of at most `limit` bytes that
        does not lead out of them (see support.fileio.read_limited)."""
        shown = shown or self.display(path)
        return read_limited(path, shown, limit=limit, within=(self.content, self.styles))

    def case_files(self) -> list[Path]:
        return sorted(self.cases.glob("*.md")) if self.cases.is_dir() else []


def find_project(start: Path) -> Project:
    """The project whose content/compendium.toml is at or above `start`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "content" / SETTINGS_FILE).is_file():
            return Project(folder)
    raise EnvironmentProblem(
        f"no content/{SETTINGS_FILE} here or above {start}; "
        "run 'publisher init DIR' to start a compendium"
    )


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a build starts from: the model, its settings and theme, and warnings."""

    compendium: Compendium
    settings: Settings
    theme: Theme
    files: dict[str, str]  # case id -> its case file, for messages
    diagnostics: tuple[Diagnostic, ...]
    content_dir: Path
    # case id -> the lint findings of its file alone, where the case cache had or made them
    findings: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)
    # case id -> the characters it prints, by font role (look.fonts.case_chars), likewise
    chars: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CaseFiles:
    """The case files as read: every case that parses, its file by id, an error for each
    file that does not, and (with a cache) each file's own lint findings and characters
    by case id."""

    cases: list[Case]
    files: dict[str, str]
    problems: list[Diagnostic]
    findings: dict[str, tuple[Diagnostic, ...]]
    chars: dict[str, dict[str, str]]


def read_case_files(project: Project, cache: CaseCache | None = None) -> CaseFiles:
    """Read every case file (all of them, so one run shows every problem); through
    `cache` when given (see CaseCache.finish for what it does after)."""
    cases: list[Case] = []
    files: dict[str, str] = {}
    problems: list[Diagnostic] = []
    findings: dict[str, tuple[Diagnostic, ...]] = {}
    chars: dict[str, dict[str, str]] = {}
    for path in project.case_files():
        shown = project.display(path)
        try:
            if cache is None:
                case = read_case_file(decode_case_file(project.read(path, shown), shown), shown)
                found, printed = None, None
            else:
                case, found, printed = cache.read(project.read(path, shown), shown)
        except ContentError as exc:
            problems.append(Diagnostic(shown, exc.line, exc.col, "error", exc.message))
            continue
        if case.id in files:
            problems.append(
                Diagnostic(
                    shown, 1, 0, "error", f"case id {case.id!r} is also used by {files[case.id]}"
                )
            )
            continue
        files[case.id] = shown
        cases.append(case)
        if found is not None and printed is not None:
            findings[case.id], chars[case.id] = found, printed
    if cache is not None:
        cache.finish()
    return CaseFiles(cases, files, problems, findings, chars)


def read_cases_or_fail(project: Project, cache: CaseCache | None = None) -> CaseFiles:
    read = read_case_files(project, cache)
    problems = read.problems
    if problems:
        if len(problems) == 1:
            d = problems[0]
            raise ContentError(d.message, path=d.path, line=d.line, col=d.col)
        raise ContentError(
            f"{len(problems)} case files cannot be read: fix them and build again",
            diagnostics=tuple(problems),
        )
    return read


def project_cache(project: Project, *, writable: bool) -> CaseCache:
    """The project's case cache in its build folder (see casecache)."""
    return CaseCache(project.build / CASE_CACHE, writable=writable)


def project_theme(project: Project, settings: Settings, shown: str, text: str) -> Theme:
    """The preset `theme =` names, with the project's styles/theme.toml over it."""
    try:
        preset, name = overrides_file(settings.theme)
    except ThemeChoiceError as exc:
        raise ContentError(str(exc), path=shown, line=key_line(text, "", "theme")) from None
    path = project.styles / name
    if name != OVERRIDES_FILE and not path.is_file():
        raise ContentError(
            f"theme = {settings.theme!r}: no such file in styles/",
            path=shown,
            line=key_line(text, "", "theme"),
        )
    within = (project.content, project.styles)  # a theme file linked outside is refused
    return load_theme(path, project.display(path), preset=preset, within=within)


def load_project(project: Project, *, write_cache: bool = False) -> Loaded:
    """Read settings, theme and case files into one validated Compendium. Unchanged case
    files come from the case cache in the build folder, which only the build writes
    (`write_cache`): lint, model, absorb and doctor read it and write nothing."""
    settings_shown = project.display(project.settings_file)
    within = (project.content, project.styles)
    settings, settings_text = load_settings(project.settings_file, settings_shown, within)
    theme = project_theme(project, settings, settings_shown, settings_text)
    read = read_cases_or_fail(project, project_cache(project, writable=write_cache))
    cases, files = read.cases, read.files
    warnings: list[Diagnostic] = []
    parts = _arrange(settings, settings_text, settings_shown, cases, warnings)
    try:
        compendium = Compendium(
            title=settings.title,
            subtitle=settings.subtitle,
            compiler=settings.compiler,
            date=settings.date,
            parts=parts,
            preface=_body_file(project, settings.preface),
            preface_title=settings.preface_title,
            afterword=_body_file(project, settings.afterword),
            afterword_title=settings.afterword_title,
        )
    except ModelError as exc:
        raise ContentError(str(exc), path=settings_shown) from None
    if not compendium.cases:
        warnings.append(
            Diagnostic(
                project.display(project.cases),
                0,
                0,
                "warning",
                "no cases yet: put articles in content/sources/ and build again",
            )
        )
    return Loaded(
        compendium,
        settings,
        theme,
        files,
        tuple(warnings),
        project.content,
        read.findings,
        read.chars,
    )


def _arrange(
    settings: Settings, text: str, shown: str, cases: list[Case], warnings: list[Diagnostic]
) -> tuple[Part, ...]:
    """Order cases as the settings say; a case left out goes at the end, with a warning."""
    by_id = {c.id: c for c in cases}
    groups = [(p.title, p.cases) for p in settings.parts]
    if settings.cases:
        groups.insert(0, ("", settings.cases))
    placed: set[str] = set()
    parts: list[Part] = []
    for title, ids in groups:
        chosen = []
        for case_id in ids:
            if case_id not in by_id:
                raise ContentError(
                    f"no case file has id {case_id!r}", path=shown, line=_id_line(text, case_id)
                )
            if case_id in placed:
                raise ContentError(
                    f"case {case_id!r} is listed twice", path=shown, line=_id_line(text, case_id)
                )
            placed.add(case_id)
            chosen.append(by_id[case_id])
        parts.append(Part(title, tuple(chosen)))
    rest = [c for c in cases if c.id not in placed]
    if rest and (settings.parts or settings.cases):
        for c in rest:
            warnings.append(
                Diagnostic(
                    shown, 0, 0, "warning", f"case {c.id!r} is not listed; it goes at the end"
                )
            )
    if rest:
        parts.append(Part("", tuple(rest)))
    return tuple(p for p in parts if p.cases or p.title)


def _id_line(text: str, case_id: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if f'"{case_id}"' in line or f"'{case_id}'" in line:
            return number
    return 0


def _body_file(project: Project, name: str) -> tuple:
    if not name:
        return ()
    path = project.content / name
    if not path.resolve().is_relative_to(project.content.resolve()):
        raise ContentError(
            f"{name!r} must be a file inside content/", path=project.display(project.settings_file)
        )
    if not path.exists():
        raise ContentError(
            f"{name!r} not found in content/", path=project.display(project.settings_file)
        )
    shown = project.display(path)
    return tuple(read_blocks(decode_case_file(project.read(path, shown), shown), shown))
