"""`publisher lint`: findings an editor should fix, as `file:line:col: severity: message`.

Text rules run on the lines of a file exactly as written (a case file or a raw article),
so every column points at the offending characters. Case rules (empty sections, missing
metadata, duplicates) run on the content model. The rules are in `caserules.py` (the case
cache runs them too); here: running them over a project or given files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..model import Case, Figure
from ..readers.casefile import decode_case_file, read_case_file
from ..support.errors import ContentError, Diagnostic
from ..support.fileio import is_regular, read_limited
from ..text.textcheck import check_line
from .casecache import file_findings
from .caserules import check_case, check_duplicates, check_text_file  # also lint's API
from .project import Loaded, Project, load_project, project_cache, read_case_files

# --- entry point ----------------------------------------------------------------------


def lint_project(project: Project, loaded: Loaded | None = None) -> list[Diagnostic]:
    """Lint every case file (text and case rules) and the settings. `loaded` is the
    project as the build has already read it, so nothing is parsed twice; without it
    (`publisher lint`, or a build whose load failed) the findings are the same. A case
    file's own findings come from the case cache when it has them; lint never writes it."""
    diagnostics: list[Diagnostic] = []
    findings: dict[str, tuple[Diagnostic, ...]] = {}
    if loaded is None:
        try:
            loaded = load_project(project)
        except ContentError as exc:  # still lint the case files that do parse
            diagnostics += as_diagnostics(exc)
    if loaded is not None:
        cases, files = list(loaded.compendium.cases), loaded.files
        diagnostics += loaded.diagnostics
        findings = loaded.findings
    else:
        read = read_case_files(project, project_cache(project, writable=False))
        cases, files, findings = read.cases, read.files, read.findings
        diagnostics += read.problems
    for case in cases:
        path = files[case.id]
        if case.id in findings:
            diagnostics += findings[case.id]
            continue
        text = decode_case_file(project.read(project.root / path, path), path)
        diagnostics += file_findings(text, case, path)
    diagnostics += check_duplicates((c, files[c.id]) for c in cases)
    return sort_diagnostics(diagnostics)


def as_diagnostics(exc: ContentError) -> list[Diagnostic]:
    if exc.diagnostics and not exc.path:
        return list(exc.diagnostics)
    return [Diagnostic(exc.path, exc.line, exc.col, "error", exc.message)]


def is_case_file(path: Path) -> bool:
    """A `.md` file outside a sources folder that opens with front matter is a case file;
    raw articles are the rest (a Markdown page an editor received included)."""
    if path.suffix.lower() != ".md" or "sources" in path.resolve().parent.parts:
        return False
    if not is_regular(path):
        return True  # a FIFO or device: refused as the case file it names, never opened
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return True  # reported as the case file it names
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


# Raw articles whose bytes are not their text: linted as imported (in memory). A Markdown
# page too: its scraper lines (`**日期**: …`, `*来源: …*`) are metadata, not text.
_IMPORTED_SUFFIXES = (".html", ".htm", ".docx", ".md")


def check_imported(path: Path, shown: str) -> tuple[list[Diagnostic], list[Case]]:
    """A web page or Word file as the importer reads it: its warnings, then the text
    and case rules over each imported case (line: the source's, where it knows it)."""
    from ..readers import import_source
    from .sources import read_source

    try:
        result = import_source(read_source(path, shown), shown, path)
    except ContentError as exc:
        return as_diagnostics(exc), []
    out = list(result.diagnostics)
    for case in result.cases:
        texts = [(0, t) for t in (case.title, case.subtitle, case.kicker, case.series)]
        texts += [
            (b.line, f"{b.caption} {b.credit}" if isinstance(b, Figure) else b.text)
            for b in case.blocks
        ]
        for line, text in texts:
            for f in check_line(text):
                near = text[max(0, f.col - 6) : f.col + 10]
                out.append(
                    Diagnostic(
                        shown, line, 0, f.severity, f"{f.message} (case {case.id}: …{near}…)"
                    )
                )
        out += check_case(case, shown)
    return out, list(result.cases)


def lint_files(paths: Iterable[Path], display) -> list[Diagnostic]:
    """Lint given files: raw articles (text rules; a web page or Word file as imported)
    or case files (text and case rules, read as the build reads them)."""
    from ..readers.raw.decode import decode

    diagnostics: list[Diagnostic] = []
    cases = []
    for path in paths:
        shown = display(path)
        if path.suffix.lower() in _IMPORTED_SUFFIXES and not is_case_file(path):
            found, imported = check_imported(path, shown)
            diagnostics += found
            cases += [(c, shown) for c in imported]
            continue
        case_file = is_case_file(path)
        try:
            data = read_limited(path, shown)
            text = decode_case_file(data, shown) if case_file else decode(data, shown)[0]
        except ContentError as exc:
            diagnostics.append(Diagnostic(shown, exc.line, exc.col, "error", exc.message))
            continue
        diagnostics += check_text_file(text, shown)
        if case_file:
            try:
                case = read_case_file(text, shown)
            except ContentError as exc:
                diagnostics.append(Diagnostic(shown, exc.line, exc.col, "error", exc.message))
                continue
            diagnostics += check_case(case, shown)
            cases.append((case, shown))
    diagnostics += check_duplicates(cases)
    return sort_diagnostics(diagnostics)


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    unique = dict.fromkeys(diagnostics)  # the same finding from two routes once
    return sorted(unique, key=lambda d: (d.path, d.line, d.col, d.message))
