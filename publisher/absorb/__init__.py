"""`publisher absorb FILE.docx`: edits made in Word, WPS or LibreOffice back into content/.

Stages, one module each: package (open the file; refuse what is not ours, damaged or
encrypted), reader (cases by their markers, paragraphs by style name), mapping (against
a fresh DOCX of the same content: changed, added and deleted blocks, the title block,
captions, pictures), corrections (each wording change recorded, reason "edited in the
DOCX"), pictures (checked, then saved into content/images/), writing (all files, or
none). Here: the checks. Every changed case file must parse and give back the merged
case before any file is written; a case marked twice is refused, and so is a DOCX older
than its case files rather than let it undo their changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..model import Case, ModelError
from ..pipeline.dates import build_date
from ..pipeline.project import Loaded, Project, load_project
from ..readers.casefile import decode_case_file, read_case_file
from ..support.errors import ContentError, Diagnostic
from ..support.options import WriterOptions
from ..writers.casefile import write_case_file
from ..writers.docx.markers import PREFIX, id_hash
from .history import case_at_build
from .mapping import ReaderMismatch, merge_case
from .package import open_docx
from .pictures import PictureStore
from .reader import CaseReading, Reading, read_document
from .writing import write_all

__all__ = ["absorb", "AbsorbResult"]


@dataclass
class AbsorbResult:
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # case file → old, new
    changes: dict[str, list[str]] = field(default_factory=dict)  # case file → what
    pictures: list[str] = field(default_factory=list)  # content/images/…
    warnings: list[Diagnostic] = field(default_factory=list)
    written: bool = False


# PLR0915 allowed here: one transaction in the order it must run (read, map, check, write all or
# nothing); split, its steps would pass the same six values around.
def absorb(project: Project, path: Path, *, dry_run: bool = False) -> AbsorbResult:  # noqa: PLR0915
    """Merge the edits in the DOCX at `path` into the case files (unless `dry_run`)."""
    shown = project.display(path)
    actual = read_document(open_docx(path, shown))
    if actual.tracked:
        raise ContentError(
            f"has {len(actual.tracked)} tracked change(s) not yet accepted "
            f"(the first: {actual.tracked[0]}): accept or reject them in Word "
            "or WPS, save, and absorb again; nothing was written",
            path=shown,
        )
    if not actual.cases:
        raise ContentError(
            "was not made by 'publisher build' (no case markers in it): "
            "nothing to absorb; nothing was written",
            path=shown,
        )
    loaded = load_project(project)
    by_hash = {id_hash(c.id): c for c in loaded.compendium.cases}
    stale = [r for r in actual.cases if r.id_hash not in by_hash]
    if stale:
        raise ContentError(
            f"comes from an older build: {len(stale)} of its cases are no "
            "longer in content/cases (renamed or removed); build again and "
            "redo the edits in the new DOCX; nothing was written",
            path=shown,
        )
    _refuse_duplicates(actual, by_hash, loaded, shown)
    expected_reading = _expected_reading(project, loaded)
    expected = {r.id_hash: r for r in expected_reading.cases}
    store = PictureStore(project.content)
    result = AbsorbResult()
    result.warnings += [
        Diagnostic(shown, 0, 0, "warning", f"{f.where}: {f.message}") for f in actual.findings
    ]
    outside = _first_difference(expected_reading.outside, actual.outside)
    if outside is not None:
        result.warnings.append(
            Diagnostic(
                shown,
                0,
                0,
                "warning",
                f"near “{outside}”: text "
                "outside the cases (cover, preface, part titles, "
                "afterword) was changed; it is not absorbed: make "
                "that change in content/ (compendium.toml, the "
                "preface or afterword file) by hand",
            )
        )
    conflicts: list[str] = []
    seen: set[str] = set()
    for reading in actual.cases:
        case = by_hash[reading.id_hash]
        file = loaded.files[case.id]
        seen.add(case.id)
        base = expected[reading.id_hash]
        try:
            if reading.content_hash != base.content_hash:
                # Changed since the build: fine only if the DOCX adds nothing to it (its
                # edits were absorbed before, or it was not edited in the DOCX at all);
                # otherwise absorbing would undo that change.
                trial = PictureStore(project.content)
                if (
                    merge_case(case, base.items, reading.items, trial.save).case != case
                    or trial.planned
                ):
                    if _edited_in_docx(project, loaded, case, file, reading):
                        conflicts.append(file)
                    else:
                        result.warnings.append(
                            Diagnostic(
                                shown,
                                0,
                                0,
                                "warning",
                                f"{file} changed since this DOCX was "
                                "built and was not edited in it: left as it is",
                            )
                        )
                continue
            merge = merge_case(case, base.items, reading.items, store.save)
        except ReaderMismatch as exc:
            raise ContentError(
                f"cannot be read back reliably ({exc}); nothing was written", path=shown
            ) from None
        except ModelError as exc:
            raise ContentError(
                f"the edits to {file} cannot be absorbed ({exc}); nothing was written",
                path=shown,
            ) from None
        result.warnings += [
            Diagnostic(
                shown, 0, 0, "warning", f"{file}: {f.where}: {f.message}".replace(": : ", ": ")
            )
            for f in reading.findings + merge.findings
        ]
        if merge.case == case:
            continue
        text = write_case_file(merge.case)
        if read_case_file(text, file) != merge.case:  # every changed file must read back
            raise ContentError(
                f"the edits to {file} cannot be written as a case file; nothing was written",
                path=shown,
            )
        old = decode_case_file((project.root / file).read_bytes(), file)
        result.texts[file] = (old, text)
        result.changes[file] = merge.changes
    if conflicts:
        raise ContentError(
            f"{', '.join(conflicts)} changed since this DOCX was built, and "
            "absorbing it would undo those changes: build again, redo the "
            "DOCX edits in the new file, then absorb it; nothing was written",
            path=shown,
        )
    for case in loaded.compendium.cases:
        if case.id not in seen:
            result.warnings.append(
                Diagnostic(
                    shown,
                    0,
                    0,
                    "warning",
                    f"case {case.id} "
                    f"({loaded.files[case.id]}) is not in this "
                    "DOCX; it was left as it is",
                )
            )
    result.pictures = [project.display(p) for p in store.planned]
    if not dry_run:
        files = dict(store.planned)
        files.update(
            {project.root / file: text.encode("utf-8") for file, (_, text) in result.texts.items()}
        )
        write_all(project.content, files, project.display)
        result.written = True
    return result


def _refuse_duplicates(
    actual: Reading, by_hash: dict[str, Case], loaded: Loaded, shown: str
) -> None:
    """A case marker twice (copied with a title, or a whole case pasted twice): which
    copy is the case cannot be told, and reading either could drop the other's text."""
    counts = Counter(r.id_hash for r in actual.cases)
    twice = [by_hash[h] for h, n in counts.items() if n > 1]
    if twice:
        case = twice[0]
        raise ContentError(
            f"case {case.id} ({loaded.files[case.id]}) is marked twice in it (its title "
            "or the whole case copied, with the hidden bookmark "
            f"{PREFIX}{id_hash(case.id)}_…): delete the copy in Word or WPS, or build "
            "again and redo the edits; nothing was written",
            path=shown,
        )


def _edited_in_docx(
    project: Project, loaded: Loaded, case: Case, file: str, reading: CaseReading
) -> bool:
    """Whether the DOCX shows this case otherwise than it was built (True when the
    version it was built from is not in git history: then nobody can tell)."""
    base = case_at_build(project, file, reading.content_hash)
    if base is None:
        return True
    parts = tuple(
        replace(part, cases=tuple(base if c.id == case.id else c for c in part.cases))
        for part in loaded.compendium.parts
    )
    then = replace(loaded, compendium=replace(loaded.compendium, parts=parts))
    built = {r.id_hash: r for r in _expected_reading(project, then).cases}.get(reading.id_hash)
    return built is None or built.items != reading.items


def _first_difference(before: list[str], after: list[str]) -> str | None:
    """A few characters where two lists of paragraphs first differ, None when equal."""
    if before == after:
        return None
    for old, new in zip(before, after, strict=False):
        if old != new:
            return (new or old)[:16]
    return (after[len(before) :] or before[len(after) :])[0][:16]


def _expected_reading(project: Project, loaded: Loaded) -> Reading:
    """How the reader sees a DOCX written from the content as it is now."""
    import io

    import docx

    from ..writers.docx import write_docx
    from ..writers.preflight import run_preflight

    missing = (
        "placeholder"
        if loaded.settings.missing_images == "error"
        else loaded.settings.missing_images
    )
    date, _ = build_date(loaded.settings.date, project.content)  # the cover date, as built
    options = WriterOptions(
        content_dir=project.content,
        styles_dir=project.styles,
        missing_images=missing,
        date=date,
        docx_toc_pages=False,
    )
    pre = run_preflight(loaded.compendium, loaded.theme, options, files=loaded.files)
    data = write_docx(loaded.compendium, loaded.theme, options, pre).data
    return read_document(docx.Document(io.BytesIO(data)))
