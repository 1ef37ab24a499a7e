"""The workbench's builds: 立即构建, and the PDF built again after saves so the printed
pages follow. One at a time, in a thread, through `api.build` (the command's pipeline and
lock), its progress told to every open page.

Before that build, a saved case's proof (`api.proof_case`: its piece laid out alone, with
the folios it has in the last built book) is shown at once; the build then takes the
piece from the cache, and its pages replace the proof's."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .. import api
from ..pipeline.project import Project
from ..support.errors import PublisherError
from . import printed
from .live import Broadcaster
from .state import Workbench

STAGES = {"sources": "导入来源", "load": "读取", "lint": "检查", "preflight": "预检"}
STAGES |= {"typeset": "排版", "write": "写出"}
PAGES_DELAY = 1.0  # seconds of quiet after the last save before the PDF follows
PAGE_EVERY = 0.3  # seconds between progress events of the pages laid out


class Builds:
    def __init__(self, bench: Workbench, events: Broadcaster, *, live_pages: bool) -> None:
        self.bench = bench
        self.project: Project = bench.project
        self.events = events
        self.proofs_due: list[str] = []  # saved cases whose proof is to be made
        self.proofing = threading.Lock()
        self.live_pages = live_pages
        self.lock = threading.Lock()
        self.state: dict[str, object] = {"running": False, "lines": [], "result": ""}
        self.pages_due: asyncio.TimerHandle | None = None
        self.pages_again = False  # cases changed while a build ran
        self.build_after_proofs = False  # the PDF is due once the proofs are made
        self.stopped = False

    def schedule_pages(self, cases: tuple[str, ...] = ()) -> None:
        """The printed pages follow the case files: each saved case's proof at once
        (`cases`), then, once saves have paused, the PDF built again (only the changed
        cases are laid out anew; the rest come from the piece cache). Only where a PDF was
        built before: the first build is the editor's."""
        if self.stopped or not self.live_pages or printed.last_pdf(self.project) is None:
            return
        self.proofs_due += [c for c in cases if c not in self.proofs_due]
        self._next_proof()
        if self.lock.locked():  # after the build under way
            self.pages_again = True
            return
        if self.pages_due is not None:
            self.pages_due.cancel()
        loop = asyncio.get_running_loop()
        self.pages_due = loop.call_later(PAGES_DELAY, self._pages_build)

    def _pages_build(self) -> None:
        """The PDF built again after saves, once the proofs due are made: it takes the
        build lock, and a proof laid out after it would be of a book that is no more."""
        self.pages_due = None
        if self.proofing.locked() or self.proofs_due:
            self.build_after_proofs = True
            return
        self.build_after_proofs = False
        self.start(("pdf",))

    def start(self, formats: tuple[str, ...] = ("pdf", "docx")) -> bool:
        """Start a build unless one is under way (called in the event loop)."""
        if self.stopped or not self.lock.acquire(blocking=False):
            return False
        self.state = {"running": True, "lines": [], "result": ""}
        loop = asyncio.get_running_loop()
        threading.Thread(target=self._run, args=(loop, formats), daemon=True).start()
        return True

    def warm_up(self) -> None:
        """What the first proof after the start would wait for, made ready in the
        background (called once the server answers): the layout workers' server, which
        imports WeasyPrint once for every worker to come; the proof's own modules; the
        fonts' character tables. Nothing is written. The workers' server ends with this
        process, as after any build."""
        if self.stopped or not self.live_pages:
            return
        threading.Thread(target=self._warm, name="warm-up", daemon=True).start()

    def _warm(self) -> None:
        from ..look.fonts import check_coverage
        from ..support import workers
        from ..writers.pdf.layout import WORKER_PRELOAD

        try:
            workers.start(WORKER_PRELOAD)
            from ..writers.pdf import proof  # noqa: F401  (the HTML writer, pikepdf)

            loaded = self.bench.snapshot.loaded
            if loaded is not None and not self.stopped:
                check_coverage(loaded.compendium, loaded.theme, loaded.files, chars=loaded.chars)
        except PublisherError:  # a character no font has: the build says where
            pass
        except Exception as exc:  # the first proof pays for it then, as before
            print(f"workbench: warming up: {type(exc).__name__}: {exc}", flush=True)

    async def stop(self) -> None:
        """No more builds; wait for the one under way, so its workers and LibreOffice end
        with it."""
        self.stopped = True
        if self.pages_due is not None:
            self.pages_due.cancel()
        if self.lock.locked():
            print("waiting for the build under way to finish…", flush=True)
            await asyncio.to_thread(self.lock.acquire, True, 600)

    def _next_proof(self) -> None:
        """The next proof due, in a thread, unless one is under way (in the event loop:
        what is due and what runs are decided here alone)."""
        if self.stopped or not self.proofs_due or self.proofing.locked():
            return
        self.proofing.acquire()
        case_id = self.proofs_due.pop(0)
        loop = asyncio.get_running_loop()
        threading.Thread(target=self._proof_thread, args=(loop, case_id), daemon=True).start()

    def _proof_thread(self, loop: asyncio.AbstractEventLoop, case_id: str) -> None:
        made = False
        try:
            made = self._proof(case_id)
        except Exception as exc:  # an internal error: the build follows all the same
            print(f"workbench: proof of {case_id}: {type(exc).__name__}: {exc}", flush=True)
        finally:
            give_back_memory()
            self.proofing.release()
            # Always: the proofs due after this one start from here.
            _in_loop(loop, self._proof_done, case_id, made)

    def _proof_done(self, case_id: str, made: bool) -> None:
        """A proof is there: every page showing the case fetches it; the next one starts,
        or, the last made, the PDF due after them."""
        if made:
            self.events.send("pages", case=case_id)
        self._next_proof()
        if self.build_after_proofs and self.pages_due is None:
            self._pages_build()

    def _proof(self, case_id: str) -> bool:
        """Case `case_id`'s proof, as the snapshot has it now; False when there is none
        to show (not in the built book, a content error: the build says why)."""
        book = printed.last_pdf(self.project)
        snapshot = self.bench.snapshot
        loaded, status = snapshot.loaded, snapshot.cases.get(case_id)
        folio = printed.first_folio(book, case_id) if book is not None else None
        if book is None or loaded is None or status is None or folio is None:
            return False
        if printed.has_proof(self.project, book, case_id, status.digest):
            return False  # made already (a save seen by the page and by the watcher)

        def keep(proof) -> None:  # under the build lock: a build starting sweeps build/
            printed.save_proof(self.project, case_id, proof.data, book.key, folio, status.digest)

        try:
            return api.proof_case(self.project, loaded, case_id, folio, keep=keep) is not None
        except PublisherError:
            return False

    def _run(self, loop: asyncio.AbstractEventLoop, formats: tuple[str, ...]) -> None:
        lines: list[str] = []
        last_page = 0.0

        def tell(text: str, step: str = "info") -> None:
            lines.append(text)
            _in_loop(loop, lambda: self.events.send("build", step=step, text=text))

        def on_event(event: api.BuildEvent) -> None:
            nonlocal last_page
            if event.kind == "stage":
                tell(f"{STAGES.get(event.text, event.text)}…", "stage")
            elif event.kind == "page":  # a thousand pages: a few lines a second will do
                if time.monotonic() - last_page >= PAGE_EVERY:
                    last_page = time.monotonic()
                    tell(f"排版：第 {event.count} 页", "page")
            elif event.kind == "info":
                tell(event.text)

        try:
            result = api.build(self.project, formats, on_event=on_event)
            done = "已是最新，无需重建" if result.up_to_date else "构建完成"
        except PublisherError as exc:
            lines += [str(d) for d in exc.diagnostics]
            done = f"构建失败：{exc}"
        except Exception as exc:  # an internal error: one line, the server goes on
            done = f"构建失败（内部错误）：{type(exc).__name__}: {exc}"
        self.state = {"running": False, "lines": lines[-50:], "result": done}
        give_back_memory()
        self.lock.release()
        _in_loop(loop, lambda: self.events.send("build", step="end", text=done))
        if self.pages_again:
            self.pages_again = False
            _in_loop(loop, self.schedule_pages)


def _in_loop(
    loop: asyncio.AbstractEventLoop, callback: Callable[..., object], *args: object
) -> None:
    """Hand `callback` to the server's event loop from a build's or a proof's thread; a
    loop already closed is a server stopped (Ctrl+C as a proof ended): nothing to tell."""
    try:
        loop.call_soon_threadsafe(callback, *args)
    except RuntimeError:
        if not loop.is_closed():
            raise


def give_back_memory() -> None:
    """Return the memory a build or proof freed to the system. glibc keeps freed heap for
    reuse, so a server that built a 300-case book once stayed at its size (160 MB where
    84 MB are in use); elsewhere there is no malloc_trim and nothing to do."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def output(project: Project, kind: str) -> Path | None:
    """The last built PDF, DOCX or report (`report`), or None."""
    out = project.build
    if kind == "report":
        path = out / "report.md"
        return path if path.is_file() else None
    try:
        state = json.loads((out / ".publisher-state.json").read_text(encoding="utf-8"))
        # `written`: also what an earlier build made (the DOCX beside a PDF-only build)
        names = list({**state.get("written", {}), **state.get("outputs", {})})
    except (OSError, ValueError):
        names = [p.name for p in out.glob(f"*.{kind}")]
    for name in names:
        if name.endswith(f".{kind}") and "/" not in name and (out / name).is_file():
            return out / name
    return None
