"""`publisher build`: sources → case files → model → checks → PDF and DOCX, atomically.

Stages: import new or changed raw articles, load the project, lint (errors stop the build),
check font coverage, run the writers, then rename every output into place together, so a
failed build leaves the last good outputs untouched. A build whose inputs are unchanged
(content, styles, the package itself) is skipped. A DOCX that is not what the last build
wrote (an editor saved over it) is moved to build/edited/, never overwritten.
One build at a time per output folder (`buildlock`); a build first clears what a killed
build left (`support/lifeline`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..support import lifeline, workers
from ..support.errors import ContentError, Diagnostic, EnvironmentProblem
from ..support.fileio import (
    atomic_write,
    atomic_write_all,
    content_digest,
    remove_stale_temporaries,
)
from ..support.options import WriterOptions, WriterResources
from ..support.progress import Progress
from ..writers import WRITERS, FolderOutput, Output
from ..writers import output_name as format_output
from .buildlock import build_lock
from .dates import build_date
from .lint import lint_project
from .project import Loaded, Project, load_project
from .report import BuildFacts, Report, write_reports
from .settings import docx_toc_pass, output_name
from .sources import sync_sources

FORMATS = tuple(WRITERS)
STATE_FILE = ".publisher-state.json"
PDF_CACHE = Path(".cache") / "pdf"  # laid-out PDF pieces, by content (writers/pdf/pieces.py)
EDITED_DIR = "edited"  # build/edited/: outputs an editor changed, never overwritten
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # publisher/: its code is an input

if TYPE_CHECKING:
    from ..look.theme import Theme
    from ..model import Compendium
    from ..writers.docx import DocxOutput
    from ..writers.pdf import PdfOutput
    from ..writers.preflight import Preflight


@dataclass(frozen=True)
class BuildResult:
    outputs: tuple[Path, ...]
    up_to_date: bool = False
    report: Report | None = None
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def book_options(project: Project, loaded: Loaded, date: str, **more) -> WriterOptions:
    """The writers' options of this project's book, as its settings give them: what a
    build and a case's proof (api.proof_case) both lay out with."""
    return WriterOptions(
        content_dir=project.content,
        styles_dir=project.styles,
        missing_images=loaded.settings.missing_images,
        date=date,
        tagged_pdf=loaded.settings.pdf_tagged,
        **more,
    )


def build(
    project: Project,
    formats: tuple[str, ...] = ("pdf", "docx"),
    *,
    out_dir: Path | None = None,
    progress: Progress | None = None,
    force: bool = False,
    jobs: int | None = None,
    wait: bool = True,
    print_shop: bool = False,
) -> BuildResult:
    """`jobs`: how many writers run at once (default: one per core). The outputs are the
    same bytes whatever it is. One build at a time per output folder: when another holds
    it, this one waits for it (saying so on stderr), or with `wait=False` raises
    BuildRunning. `print_shop`: also the print PDF and the cover (as the settings'
    `print = true`)."""
    out = (out_dir or project.build).resolve()
    with build_lock(out, wait=wait, on_wait=_say), ExitStack() as helpers:
        # Helpers a killed build left (support/lifeline); this build's own are recorded.
        record = out / lifeline.RECORD_FILE
        left = lifeline.clear_leftovers(record)
        left += [
            f"removed {p}, half written by a killed build" for p in remove_stale_temporaries(out)
        ]
        helpers.enter_context(lifeline.recording(record))
        result = _build(project, formats, out, progress, force, jobs, helpers, print_shop)
        if progress is not None:
            for line in left:
                progress.detail(line)
        return result


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)  # also with --quiet: a wait is no error


# C901 and PLR0915 allowed here: the build's stages in the order they run (lock, sync, load,
# check, typeset, report), each a call; the order is the point.
def _build(  # noqa: C901, PLR0915
    project: Project,
    formats: tuple[str, ...],
    out: Path,
    progress: Progress | None,
    force: bool,
    jobs: int | None,
    helpers: ExitStack,
    print_shop: bool = False,
) -> BuildResult:
    progress = progress or Progress(quiet=True)
    jobs = max(1, jobs or os.cpu_count() or 1)
    warnings: list[Diagnostic] = []

    with progress.stage("sources"):
        synced = sync_sources(project, progress)
        warnings += synced.diagnostics
    fingerprint = _fingerprint(project, formats + (("print",) if print_shop else ()))
    state = _read_state(out)
    if not force and _up_to_date(state, fingerprint, out):
        for d in warnings:
            progress.info(str(d))
        progress.info("up to date: nothing changed since the last build")
        return BuildResult(
            tuple(out / name for name in state["outputs"]),
            up_to_date=True,
            diagnostics=tuple(warnings),
        )

    if jobs > 1 and "pdf" in formats:
        from ..writers.pdf.layout import WORKER_PRELOAD

        # The layout workers' server imports WeasyPrint during the checks.
        workers.start(preload=WORKER_PRELOAD)

    with progress.stage("load"):
        try:
            loaded = load_project(project, write_cache=True)
        except ContentError:
            loaded = None
    office = None  # the DOCX's LibreOffice pass: started now, it is ready when needed
    cases = len(loaded.compendium.cases) if loaded is not None else 0
    if loaded is not None and "docx" in formats and docx_toc_pass(loaded.settings, cases)[0]:
        from ..writers.docx.toc_pages import warm_office

        office = helpers.enter_context(warm_office())
    with progress.stage("lint"):
        # `publisher lint` runs exactly this, so both report the same findings.
        found = lint_project(project, loaded)
        errors = tuple(d for d in found if d.severity == "error")
        warnings += [d for d in found if d.severity == "warning"]
        if errors:
            raise ContentError(
                f"{len(errors)} lint error(s): fix them and build again "
                "(outputs left as they were)",
                diagnostics=errors,
            )
        if loaded is None:  # not reached: a project that does not load has lint errors
            raise ContentError("the project cannot be loaded")
    date, date_source = build_date(loaded.settings.date, project.content)
    toc_pass, toc_pass_skipped = docx_toc_pass(loaded.settings, len(loaded.compendium.cases))
    options = book_options(project, loaded, date, docx_toc_pages=toc_pass)
    resources = WriterResources(
        jobs=jobs,
        cache_dir=out / PDF_CACHE,
        office=office,
        on_page=progress.counter("typeset", "page", _last_pages(out)),
    )
    base = output_name(loaded.settings.title, loaded.settings.output)
    files: dict[str, bytes] = {}
    folders: dict[str, FolderOutput] = {}  # the outputs that are folders (the HTML edition)
    facts = BuildFacts(
        date,
        date_source,
        docx_toc_skipped=toc_pass_skipped,
        kept=[{"file": f, "what": "new import beside an edited case file"} for f in synced.beside],
    )

    pre = None
    if any(WRITERS[f].typeset for f in formats):
        with progress.stage("preflight"):
            from ..imaging import CACHE_FOLDER
            from ..writers.preflight import run_preflight

            pre = run_preflight(
                loaded.compendium,
                loaded.theme,
                options,
                files=loaded.files,
                cache_dir=out / CACHE_FOLDER,
                prune=True,
                chars=loaded.chars,
            )
            warnings += [
                Diagnostic("content/images", 0, 0, "warning", w) for w in pre.images.warnings
            ]
            warnings += [Diagnostic("fonts", 0, 0, "warning", w) for w in pre.fonts.substitutions]
            facts.images = pre.images
            progress.detail(
                f"images: {pre.images.processed} processed, {pre.images.reused} from the cache"
            )

    # Beside the PDF, the DOCX is written in a process of its own (pure-Python composition
    # in a thread would hold the GIL that the PDF's HTML and assembly need). Without its
    # LibreOffice pass it is the shorter of the two, so it yields the cores to the PDF's
    # layout workers, which are the build's critical path.
    elsewhere = [f for f in formats if f == "docx" and jobs > 1 and len(formats) > 1]
    inputs = (loaded.compendium, loaded.theme, options, pre)
    sent = replace(resources, on_page=None)  # a worker tells no one of pages
    beside = workers.pool(1, background=not toc_pass) if elsewhere else nullcontext()
    with progress.stage("typeset"), beside as pool:
        pending = {f: pool.submit(write_output, f, *inputs, sent) for f in elsewhere if pool}
        if pool:  # its process ends with its work, not with the PDF's: memory back sooner
            pool.shutdown(wait=False)
        results = {f: write_output(f, *inputs, resources) for f in formats if f not in pending}
        for fmt, job in pending.items():
            results[fmt] = workers.result(job, f"the {fmt.upper()} writer's worker process")
    for fmt in formats:
        output, progress.timings[fmt] = results[fmt]
        name = format_output(fmt, base)
        files[name] = output.data
        if WRITERS[fmt].folder:
            assert isinstance(output, FolderOutput)
            folders[name] = output
        warnings += [Diagnostic(name, 0, 0, "warning", w) for w in output.warnings]
    facts.pdf, facts.docx = _typed_outputs(results)
    pdf = facts.pdf
    if pdf is None and (print_shop or loaded.settings.print):
        warnings.append(
            Diagnostic(
                "build", 0, 0, "warning", "print: no print files without the PDF (--format pdf)"
            )
        )
    elif pdf is not None and (print_shop or loaded.settings.print):
        assert pre is not None  # the PDF typesets: the pre-flight ran
        with progress.stage("print"):
            from ..writers.pdf.print_shop import write_print_shop

            shop = write_print_shop(
                files[f"{base}.pdf"],
                pdf.pages,
                loaded.compendium,
                loaded.theme,
                pre,
                base=base,
                paper_thickness_mm=loaded.settings.paper_thickness_mm,
                date=date,
            )
            files.update(shop.files)
            facts.print_shop = shop.facts
            warnings += [Diagnostic(f"{base}.pdf", 0, 0, "warning", w) for w in shop.warnings]

    with progress.stage("write"):
        for name in files:
            if name.endswith(".docx"):
                moved = _keep_edited_output(out, name, state)
                if moved is not None:
                    shown = project.display(moved)
                    warnings.append(
                        Diagnostic(
                            project.display(out / name),
                            0,
                            0,
                            "warning",
                            f"was changed after the last build (edited in Word or WPS?), so it "
                            f"was moved to {shown}; bring its edits into the case files with: "
                            f"publisher absorb {shown}",
                        )
                    )
                    facts.kept.append(
                        {
                            "file": shown,
                            "what": "DOCX changed after the "
                            "last build, moved aside; absorb its edits",
                        }
                    )
        # The new outputs' hashes go in the state before the renames: a build killed
        # between them must not take its own DOCX for an editor's.
        before = _note_pending(out, files, state)
        try:
            # All writers succeeded: now replace the old files, all written before any
            # rename; a folder output (the HTML site) is swapped in whole.
            atomic_write_all(
                {out / name: data for name, data in files.items() if name not in folders}
            )
            for name, folder in folders.items():
                folder.write_into(out / name)
        except OSError:
            _restore_state(out, before)  # nothing was replaced: build/ as it was
            raise
        report = Report.collect(loaded, files, facts, warnings, progress.timings, __version__)
        write_reports(out, report)
        _write_state(out, fingerprint, files, state)
    for d in warnings:
        progress.info(str(d))
    progress.detail(
        f"date {date or '—'} (from {date_source}); {len(loaded.compendium.cases)} cases"
    )
    for case in report.cases:
        progress.detail(
            f"  {case['number']:>3}. {case['title']}  "
            f"(page {case['printed_page'] or '—'}, {case['figures']} figures)"
        )
    if report.docx_toc_pages is not None:
        progress.detail("DOCX table of contents: " + report.docx_toc_summary())
    return BuildResult(
        tuple(out / name for name in files), report=report, diagnostics=tuple(warnings)
    )


def write_output(
    fmt: str,
    compendium: Compendium,
    theme: Theme,
    options: WriterOptions,
    preflight: Preflight | None,
    resources: WriterResources,
) -> tuple[Output, float]:
    """One writer's output and its seconds (in this process, or a worker: all picklable)."""
    start = time.perf_counter()
    output = WRITERS[fmt].write(compendium, theme, options, preflight, resources=resources)
    return output, time.perf_counter() - start


def _typed_outputs(
    results: dict[str, tuple[Output, float]],
) -> tuple[PdfOutput | None, DocxOutput | None]:
    """The PDF's and the DOCX's outputs as their writers' types, for the report (a module
    imported here only when its writer ran: here, or in a worker whose output came back)."""
    pdf: PdfOutput | None = None
    docx: DocxOutput | None = None
    if "pdf" in results:
        from ..writers.pdf import PdfOutput

        output = results["pdf"][0]
        assert isinstance(output, PdfOutput)
        pdf = output
    if "docx" in results:
        from ..writers.docx import DocxOutput

        output = results["docx"][0]
        assert isinstance(output, DocxOutput)
        docx = output
    return pdf, docx


# --- incremental builds ---------------------------------------------------------------


def _fingerprint(project: Project, formats: tuple[str, ...]) -> str:
    """Hash of everything a build reads: content, styles, the package, options."""
    digest = hashlib.sha256(f"{__version__}\0{','.join(sorted(formats))}".encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for folder in (project.content, project.styles, PACKAGE_DIR):
        within = () if folder is PACKAGE_DIR else (project.content, project.styles)
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(os.fsencode(path.relative_to(folder).as_posix()) + b"\0")
            digest.update(content_digest(path, within))
    return digest.hexdigest()


def _last_pages(out: Path) -> int | None:
    """The PDF's page count at the last build: the estimate for the time left."""
    try:
        pages = json.loads((out / "report.json").read_text(encoding="utf-8")).get("pages")
    except (OSError, ValueError, AttributeError):
        return None
    return pages if isinstance(pages, int) and pages > 0 else None


def _read_state(out: Path) -> dict[str, Any]:
    try:
        return json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _up_to_date(state: dict[str, Any], fingerprint: str, out: Path) -> bool:
    if state.get("fingerprint") != fingerprint or not state.get("outputs"):
        return False
    for name, sha in state["outputs"].items():
        path = out / name
        if path.is_dir():  # a folder output (the HTML edition): its manifest and files
            from ..writers.site import MANIFEST, site_matches

            path = path / MANIFEST
            if not path.is_file() or not site_matches(out / name, path.read_bytes()):
                return False
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            return False  # an output was deleted or changed by hand: build again
    return True


def _keep_edited_output(out: Path, name: str, state: dict[str, Any]) -> Path | None:
    """An output that is not what the last build wrote (an editor saved over it) is moved
    to out/edited/ instead of being overwritten; returns where it went."""
    path = out / name
    if not path.is_file():
        return None
    ours = {
        hashes.get(name)
        for hashes in (state.get("outputs", {}), state.get("written", {}), state.get("pending", {}))
    }
    if hashlib.sha256(path.read_bytes()).hexdigest() in ours:
        return None
    target = out / EDITED_DIR / name
    n = 1
    while target.exists():
        n += 1
        target = out / EDITED_DIR / f"{Path(name).stem}-{n}{Path(name).suffix}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    except OSError as exc:
        raise EnvironmentProblem(
            f"was changed after the last build and cannot be moved to "
            f"{target}: {exc.strerror} (close it in Word or WPS first)",
            path=str(path),
        ) from None
    return target


def _note_pending(out: Path, files: dict[str, bytes], state: dict[str, Any]) -> bytes | None:
    """The hashes of the outputs about to be renamed into place, as ours (`pending`).
    Returns the state file as it was (None: there was none)."""
    path = out / STATE_FILE
    before = path.read_bytes() if path.is_file() else None
    pending = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    atomic_write(path, json.dumps({**state, "pending": pending}, indent=2) + "\n")
    return before


def _restore_state(out: Path, before: bytes | None) -> None:
    """The state file as it was before `_note_pending`, after outputs failed to be written
    (best effort: on a full disk the pending hashes may stay, which is harmless)."""
    with contextlib.suppress(OSError):
        if before is None:
            (out / STATE_FILE).unlink(missing_ok=True)
        else:
            atomic_write(out / STATE_FILE, before)


def _write_state(
    out: Path, fingerprint: str, files: dict[str, bytes], previous: dict[str, Any]
) -> None:
    outputs = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    # `written`: the last bytes of every output ever written here, also those this build
    # did not make (a PDF-only build must not take the DOCX for an editor's file).
    written = {**previous.get("outputs", {}), **previous.get("written", {}), **outputs}
    state = {"fingerprint": fingerprint, "outputs": outputs, "written": written}
    atomic_write(out / STATE_FILE, json.dumps(state, indent=2) + "\n")
